// 52-disk: a full disk and a disk that fails or turns read-only, with the database on it.
//
// Needs root (mount).  A size-limited tmpfs holds the database for the full-disk case: a filler
// file takes the last byte, writes must then get 503 with a Chinese message (API and page),
// reads keep working, nothing stored changes, an ALERT line is logged, and writes resume once
// the filler is gone.  For the failing disk an ext4 image on a loop device is mounted with
// errors=remount-ro and the kernel is told an ext4 error happened (sysfs trigger_fs_error):
// the file system turns read-only under the running server, as it does when a real disk
// fails.  (`mount -o remount,ro` is refused with EBUSY while SQLite holds its files open for
// writing; the test tries it first and says which way it went.)  Writes must get 503, never an
// acknowledgement, reads keep working, the server does not crash, and after e2fsck every
// acknowledged write is there and integrity_check is ok.
//
// Where mounting is impossible (not root, no tmpfs/loop/ext4) the tests skip and say why.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, existsSync, writeFileSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve, freshDb, petition, wholeness, missingAcks, sql, todayCn, writeProof } from './lib-storage.mjs';
import { CHINESE } from './lib-org.mjs';

let dir;
const mounts = [];
const figures = {};

before(() => { dir = mkdtempSync(join(tmpdir(), 'xz-disk-')); });

after(() => {
  for (const m of mounts.reverse()) spawnSync('umount', ['-l', m]);
  rmSync(dir, { recursive: true, force: true });
  if (Object.keys(figures).length) writeProof('disk.json', { test: 'tests/http/52-disk.test.mjs', ...figures, at: new Date().toISOString() });
});

// Run a command; { ok, out } (stderr folded in), never throws.
function run(cmd, args) {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  return { ok: r.status === 0, status: r.status, out: `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? r.error.message : ''}`.trim() };
}

// Mount; a reason to skip when it cannot be done here, else null.
function mount(args, where) {
  if (process.getuid?.() !== 0) return 'needs root to mount a small file system (run as root, as CI does)';
  mkdirSync(where, { recursive: true });
  const r = run('mount', [...args, where]);
  if (!r.ok) return `cannot mount here (${args.join(' ')}): ${r.out}`;
  mounts.push(where);
  return null;
}

function umount(where) {
  const r = run('umount', [where]);
  assert.ok(r.ok, `umount ${where}: ${r.out}`);
  mounts.splice(mounts.indexOf(where), 1);
}

// A snapshot of what is stored: matters, their timelines, and the audit rows about them.
function stored(db) {
  return sql(db, `SELECT 'm', id, code, title, state FROM matter
    UNION ALL SELECT 'e', id, matter_id, action, to_state FROM matter_event
    UNION ALL SELECT 'a', id, action, object_id, hex(hash) FROM audit WHERE object_type = 'matter'
    ORDER BY 1, 2`).map((r) => r.join('|'));
}

async function signIn(srv, logins) {
  const c = srv.client();
  const res = await c.login(logins.leader.login, logins.leader.password);
  assert.equal(res.status, 200, 'sign-in');
  return c;
}

// Register petitions until one is refused; every answer is a 201 (recorded) or a 503 naming
// the fault in Chinese.  Returns the 503 body.
async function writeUntilRefused(c, acks, refused, code, title, body) {
  for (let i = 0; i < 200; i++) {
    const t = `${title} ${i}`;
    const res = await c.post('/api/v1/matters', petition(t, body));
    const j = await res.json();
    if (res.status === 201) { acks.push({ id: j.id, title: t }); continue; }
    assert.equal(res.status, 503, `${t}: ${res.status} ${JSON.stringify(j)}`);
    assert.equal(j.error.code, code);
    assert.match(j.error.message, CHINESE);
    assert.ok(Number(res.headers.get('retry-after')) > 0, 'Retry-After');
    refused.push(t);
    return j;
  }
  throw new Error(`${title}: never refused`);
}

// The page form answers 503 with the message on the page, the form's input not saved.
async function pageRefused(c, title, words) {
  const res = await c.submit('/petitions/new', {
    received_at: todayCn(), form: 'visit', title, body: '页面登记', p1_name: '测试庚', p1_phone: '13800000002',
  });
  const html = await res.text();
  assert.equal(res.status, 503, html.slice(0, 500));
  assert.ok(html.includes(words), `page names the fault: ${words}`);
}

// Reads go on: the API, the ledger page, a matter's page.
async function readsWork(c, acks) {
  const last = acks.at(-1);
  let res = await c.get(`/api/v1/matters/${last.id}`);
  assert.equal(res.status, 200);
  assert.equal((await res.json()).title, last.title);
  res = await c.get('/matters');
  assert.equal(res.status, 200);
  assert.ok((await res.text()).includes(last.title), 'ledger page lists the last acknowledged matter');
  res = await c.get(`/matters/${last.id}`);
  assert.equal(res.status, 200);
}

// No refused write left anything behind.
function noneStored(db, titles) {
  if (!titles.length) return;
  const q = titles.map((t) => `'${t.replace(/'/g, "''")}'`).join(',');
  assert.deepEqual(sql(db, `SELECT id, title FROM matter WHERE title IN (${q})`), [], 'a refused write was stored');
}

test('[S52] full disk: writes get 503 in Chinese, reads go on, nothing is damaged, writes resume', { timeout: 120000 }, async (t) => {
  const mnt = join(dir, 'small');
  const why = mount(['-t', 'tmpfs', '-o', 'size=16m,mode=0700', 'tmpfs'], mnt);
  if (why) { t.skip(why); return; }
  const db = join(mnt, 'x.db');
  const logins = freshDb(db);
  const srv = await serve(db);
  try {
    const c = await signIn(srv, logins);
    const acks = [], refused = [];
    for (let i = 0; i < 3; i++) {
      const res = await c.post('/api/v1/matters', petition(`满盘前 ${i}`));
      assert.equal(res.status, 201);
      acks.push({ id: (await res.json()).id, title: `满盘前 ${i}` });
    }
    // Take the last free block.
    const filler = join(mnt, 'filler');
    run('dd', ['if=/dev/zero', `of=${filler}`, 'bs=64k']);
    assert.match(run('df', ['--output=avail', mnt]).out, /\n\s*0\s*$/, 'the file system is full');

    // Bodies of 6 KB use up what the WAL still has; then every write is refused.
    const big = '渠'.repeat(2000);
    const j = await writeUntilRefused(c, acks, refused, 'disk_full', '满盘后', big);
    assert.match(j.error.message, /磁盘空间不足/);
    const before = stored(db);
    for (let i = 0; i < 3; i++) {
      const res = await c.post('/api/v1/matters', petition(`满盘再试 ${i}`, big));
      assert.equal(res.status, 503);
      refused.push(`满盘再试 ${i}`);
    }
    await pageRefused(c, '满盘页面登记', '磁盘空间不足');
    refused.push('满盘页面登记');
    await readsWork(c, acks);
    assert.equal(srv.proc.exitCode, null, 'the server is still running');
    assert.match(srv.log(), /ALERT storage: the disk is full/);
    // Nothing stored changed, nothing refused was stored, the file is sound.
    assert.deepEqual(stored(db), before);
    noneStored(db, refused);
    assert.deepEqual([...wholeness(db), ...missingAcks(db, acks)], []);
    figures.full = { mechanism: 'tmpfs size=16m', acknowledged: acks.length, refused: refused.length };

    // Space returns: writes resume without a restart.
    unlinkSync(filler);
    const res = await c.post('/api/v1/matters', petition('腾出空间后', big));
    assert.equal(res.status, 201);
    acks.push({ id: (await res.json()).id, title: '腾出空间后' });
    const page = await c.submit('/petitions/new', {
      received_at: todayCn(), form: 'visit', title: '腾出空间后页面登记', body: '页面登记', p1_name: '测试庚', p1_phone: '13800000002',
    });
    assert.equal(page.status, 303);
    noneStored(db, refused);
    assert.deepEqual([...wholeness(db), ...missingAcks(db, acks)], []);
  } finally {
    const { code } = await srv.stop();
    assert.equal(code, 0, srv.log().slice(-2000));
  }
  assert.deepEqual(wholeness(db), []);
  umount(mnt);
});

test('[S53] disk turns read-only under the server: 503, no acknowledgement, reads go on, no crash', { timeout: 120000 }, async (t) => {
  const img = join(dir, 'disk.img');
  const mnt = join(dir, 'ext4');
  for (const tool of ['mkfs.ext4', 'e2fsck', 'findmnt']) {
    if (!run('sh', ['-c', `command -v ${tool}`]).ok) { t.skip(`${tool} is not installed`); return; }
  }
  execFileSync('truncate', ['-s', '32M', img]);
  const mk = run('mkfs.ext4', ['-q', '-F', img]);
  if (!mk.ok) { t.skip(`mkfs.ext4: ${mk.out}`); return; }
  const why = mount(['-o', 'loop,errors=remount-ro', img], mnt);
  if (why) { t.skip(why); return; }
  const devName = run('findmnt', ['-n', '-o', 'SOURCE', mnt]).out.replace('/dev/', '');
  const trigger = `/sys/fs/ext4/${devName}/trigger_fs_error`;
  const db = join(mnt, 'x.db');
  const logins = freshDb(db);
  run('sync', ['-f', db]);	// the set-up is durable; the test is about what follows
  let srv = await serve(db);
  const acks = [], refused = [];
  let how;
  try {
    const c = await signIn(srv, logins);
    for (let i = 0; i < 3; i++) {
      const res = await c.post('/api/v1/matters', petition(`只读前 ${i}`));
      assert.equal(res.status, 201);
      acks.push({ id: (await res.json()).id, title: `只读前 ${i}` });
    }
    const before = stored(db);
    // The administrator's way first; the kernel refuses it while files are open for writing.
    const ro = run('mount', ['-o', 'remount,ro', mnt]);
    if (ro.ok) how = 'mount -o remount,ro';
    else if (existsSync(trigger)) {
      writeFileSync(trigger, 'xiangzhi storage test');
      how = `ext4 errors=remount-ro after trigger_fs_error (remount,ro refused: ${ro.out.split('\n')[0]})`;
    } else {
      t.skip(`cannot make the disk read-only here: remount,ro: ${ro.out}; no ${trigger}`);
      return;
    }
    t.diagnostic(`read-only by: ${how}`);
    assert.match(run('findmnt', ['-n', '-o', 'OPTIONS', mnt]).out, /(^|,)(ro|emergency_ro)(,|$)/, 'mounted read-only');

    const j = await writeUntilRefused(c, acks, refused, 'storage_failed', '只读后', '内容');
    assert.match(j.error.message, /只读/);
    assert.equal(acks.length, 3, 'nothing acknowledged once the disk is read-only');
    for (let i = 0; i < 3; i++) {
      const res = await c.post('/api/v1/matters', petition(`只读再试 ${i}`));
      assert.equal(res.status, 503);
      refused.push(`只读再试 ${i}`);
    }
    await pageRefused(c, '只读页面登记', '只读');
    refused.push('只读页面登记');
    await readsWork(c, acks);
    assert.equal(srv.proc.exitCode, null, 'the server is still running (degraded, read-only)');
    assert.match(srv.log(), /ALERT storage: the storage (reports an I\/O error|is read-only)/);
    assert.deepEqual(stored(db), before);
  } finally {
    // It stops on SIGTERM, by itself, though its last checkpoint cannot be written.
    const { code, signal } = await srv.stop();
    assert.equal(signal, null, `stopped by ${signal}`);
    assert.ok(code !== null, 'exited');
  }
  // The operator's repair: unmount, e2fsck, mount again.
  umount(mnt);
  const fsck = run('e2fsck', ['-f', '-y', img]);
  assert.ok(fsck.status === 0 || fsck.status === 1, `e2fsck: ${fsck.status} ${fsck.out}`);
  assert.equal(mount(['-o', 'loop', img], mnt), null);
  assert.deepEqual(wholeness(db), []);
  assert.deepEqual(missingAcks(db, acks), [], 'every acknowledged write is there');
  noneStored(db, refused);
  srv = await serve(db);
  try {
    const c = await signIn(srv, logins);
    const res = await c.post('/api/v1/matters', petition('修复后'));
    assert.equal(res.status, 201);
    acks.push({ id: (await res.json()).id, title: '修复后' });
  } finally {
    assert.equal((await srv.stop()).code, 0, srv.log().slice(-2000));
  }
  assert.deepEqual([...wholeness(db), ...missingAcks(db, acks)], []);
  figures.readonly = { mechanism: how, acknowledged: acks.length, refused: refused.length };
  umount(mnt);
});
