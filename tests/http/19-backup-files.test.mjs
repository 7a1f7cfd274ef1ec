// 19-backup-files: backup and restore carry the attachments (DEST.files beside DEST).
//
// One server on the demo township with petitions and uploaded files.  Backups run while it
// serves (and while uploads go on); restores go into fresh paths, never the live database, and a
// second server started on a restored database must hand back every file byte for byte.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, copyFileSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { startServer, BIN, Client } from './lib.mjs';
import { call, getJson } from './lib-org.mjs';

// A 1x1 PNG, a small PDF and a larger binary file: what a township uploads.
const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000' +
  '1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082', 'hex');
const PDF = Buffer.from('%PDF-1.4\n% 息访息诉协议\n1 0 obj << >> endobj\n%%EOF\n');
const BIG = randomBytes(300 * 1024 + 17);

const sha = (buf) => createHash('sha256').update(buf).digest('hex');
const shaFile = (f) => sha(readFileSync(f));
const cnDay = (ms) => new Date(ms + 8 * 3600e3).toISOString().slice(0, 10);

function sql(file, query) {
  const r = spawnSync('sqlite3', [file, query], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`sqlite3 ${file}: ${r.stderr}`);
  return r.stdout.trim();
}

// Every regular file under "root" as { rel: path relative to root, path }, sorted.
function filesUnder(root) {
  const out = [];
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p); else out.push({ rel: p.slice(root.length + 1), path: p });
    }
  };
  if (existsSync(root)) walk(root);
  return out.sort((a, b) => a.rel.localeCompare(b.rel));
}

// Every directory under "root", "root" included.
function dirsUnder(root) {
  const out = [root];
  for (const e of readdirSync(root, { withFileTypes: true })) {
    if (e.isDirectory()) out.push(...dirsUnder(join(root, e.name)));
  }
  return out;
}

// Where the store keeps a file: ab/cd/abcd…
const fan = (hex) => `${hex.slice(0, 2)}/${hex.slice(2, 4)}/${hex}`;

// The distinct hashes a database's attachment rows name.
const named = (db) => sql(db, 'SELECT DISTINCT sha256 FROM attachment ORDER BY sha256').split('\n').filter(Boolean);

// A snapshot of a directory tree: relative path → sha256 (to prove nothing changed).
function treeHash(root) {
  return Object.fromEntries(filesUnder(root).map((f) => [f.rel, shaFile(f.path)]));
}

function flipByte(path, at = 0) {
  const buf = readFileSync(path);
  buf[at] ^= 0x20;
  writeFileSync(path, buf);
}

// The most recent audit record of "action" in "db": { result, detail }.
function lastAudit(db, action) {
  const row = sql(db, `SELECT result || '|' || detail FROM audit WHERE action = '${action}' ORDER BY id DESC LIMIT 1`);
  const i = row.indexOf('|');
  return { result: row.slice(0, i), detail: JSON.parse(row.slice(i + 1)) };
}

// Run a subcommand; { status, stdout, stderr } (stderr also when it succeeds: warnings).
function run(args) {
  const r = spawnSync(BIN, args, { encoding: 'utf8', env: { ...process.env, XIANGZHI_DB: '', XIANGZHI_FILES: '' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

// Run a subcommand without waiting, so the server can be used meanwhile.
function cliAsync(args) {
  return new Promise((resolve) => {
    const p = spawn(BIN, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, XIANGZHI_FILES: '' } });
    let stdout = '', stderr = '';
    p.stdout.on('data', (d) => { stdout += d; });
    p.stderr.on('data', (d) => { stderr += d; });
    p.on('exit', (status) => resolve({ status, stdout, stderr }));
  });
}

// Start a server on an existing (restored) database; { url, client(), stop() }.
async function serveOn(db) {
  const proc = spawn(BIN, ['serve', '--db', db, '--listen', '127.0.0.1:0'], {
    env: { ...process.env, XIANGZHI_DEV: '1', XIANGZHI_LOGIN_RATE: '100000' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '', err = '';
  proc.stderr.on('data', (d) => { err += d; });
  const port = await new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`server did not start:\n${err}`)), 10000);
    proc.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/\(port (\d+)\)/);
      if (m) { clearTimeout(t); resolve(Number(m[1])); }
    });
    proc.on('exit', (code) => { clearTimeout(t); reject(new Error(`server exited ${code}:\n${err}`)); });
  });
  proc.removeAllListeners('exit');
  return {
    client: () => new Client(`http://127.0.0.1:${port}`),
    stop: () => new Promise((res) => { proc.on('exit', (c) => res(c)); proc.kill('SIGTERM'); }),
  };
}

let srv, leader, tmp, live;
const uploaded = [];	// { id, sha256, bytes }

async function register(title) {
  const r = await call(leader, 'POST', '/api/v1/matters', {
    type: 'petition', title, body: '村民反映道路损坏，请求维修。', source: 'visit',
    details: { received_at: cnDay(Date.now()), petitioners: [{ name: '测试乙', sex: 'F', age: 44, phone: '13800000002' }] },
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body;
}

async function upload(matterId, kind, bytes, name) {
  const fd = new FormData();
  fd.append('kind', kind);
  fd.append('file', new Blob([bytes]), name);
  const res = await leader.req('POST', `/api/v1/matters/${matterId}/attachments`, { body: fd });
  const body = await res.json();
  assert.equal(res.status, 201, JSON.stringify(body));
  assert.equal(body.sha256, sha(bytes));
  uploaded.push({ id: body.id, sha256: body.sha256, bytes });
  return body;
}

before(async () => {
  srv = await startServer();
  leader = await srv.as('leader');
  live = `${srv.db}.files`;
  tmp = mkdtempSync(join(tmpdir(), 'xz-bkf-'));
  const a = await register('道路损坏');
  const b = await register('路灯不亮');
  await upload(a.id, 'agreement', PNG, '协议.png');
  await upload(a.id, 'handling_opinion', PDF, '处理意见书.pdf');
  await upload(b.id, 'photo', BIG, '现场.jpg');
  await upload(b.id, 'agreement', PNG, '同一份协议.png');	// the same bytes: one file
});
after(async () => {
  await srv.stop();
  rmSync(tmp, { recursive: true, force: true });
});

describe('backup', () => {
  let b1, set1;
  before(() => { b1 = join(tmp, 'b1.db'); set1 = `${b1}.files`; });

  test('backup while the server serves and uploads go on: DEST.files holds exactly the files the copy names', async () => {
    const m = await register('边备份边上传');
    const [r] = await Promise.all([
      cliAsync(['backup', '--db', srv.db, b1]),
      (async () => { for (let i = 0; i < 4; i++) await upload(m.id, 'photo', randomBytes(2000 + i), `p${i}.jpg`); })(),
    ]);
    assert.equal(r.status, 0, r.stderr);
    const want = named(b1);
    assert.ok(want.length >= 3, 'the files uploaded before the backup are named');
    // The set matches the snapshot, whatever the uploads that raced it did.
    assert.deepEqual(filesUnder(set1).map((f) => f.rel), want.map(fan).sort());
    for (const f of filesUnder(set1)) assert.equal(shaFile(f.path), f.rel.split('/')[2], f.rel);
    assert.match(r.stdout, new RegExp(`attachments: ${want.length} in .*: ${want.length} copied \\(\\d+ bytes\\), 0 already there`));
    assert.equal((await srv.client().get('/healthz')).status, 200, 'the server carries on');
  });

  test('the set is the owner\'s alone: directories 0700, files 0600', () => {
    for (const d of dirsUnder(set1)) assert.equal(statSync(d).mode & 0o777, 0o700, d);
    for (const f of filesUnder(set1)) assert.equal(statSync(f.path).mode & 0o777, 0o600, f.rel);
  });

  test('the files are copies, not links to the live store', () => {
    for (const f of filesUnder(set1)) {
      const st = statSync(f.path);
      assert.equal(st.nlink, 1, f.rel);
      assert.notEqual(st.ino, statSync(join(live, f.rel)).ino);
    }
  });

  test('the live audit log records the file counts; the copy holds its backup.create', () => {
    const a = lastAudit(srv.db, 'backup.files');
    assert.equal(a.result, 'ok');
    assert.equal(a.detail.file, b1);
    assert.equal(a.detail.files, set1);
    assert.equal(a.detail.attachments.needed, named(b1).length);
    assert.equal(a.detail.attachments.copied, named(b1).length);
    assert.equal(a.detail.attachments.missing + a.detail.attachments.damaged + a.detail.attachments.failed, 0);
    assert.ok(a.detail.attachments.bytes > BIG.length);
    assert.equal(lastAudit(b1, 'backup.create').detail.files, set1);
  });

  test('a second backup into the same DEST.files copies nothing new, and rewrites nothing', () => {
    // Catch up first with the uploads that raced the first backup.
    rmSync(b1);	// a rolling slot: the old database goes, its files stay
    assert.equal(run(['backup', '--db', srv.db, b1]).status, 0);
    const inodes = Object.fromEntries(filesUnder(set1).map((f) => [f.rel, statSync(f.path).ino]));
    rmSync(b1);
    const r = run(['backup', '--db', srv.db, b1]);
    assert.equal(r.status, 0, r.stderr);
    const n = named(b1).length;
    assert.match(r.stdout, new RegExp(`attachments: ${n} in .*: 0 copied \\(0 bytes\\), ${n} already there`));
    for (const f of filesUnder(set1)) if (inodes[f.rel]) assert.equal(statSync(f.path).ino, inodes[f.rel], f.rel);
    assert.equal(lastAudit(srv.db, 'backup.files').detail.attachments.copied, 0);
  });

  test('a new upload makes the next backup into the slot copy exactly that file', async () => {
    const m = await register('新增照片');
    const up = await upload(m.id, 'photo', randomBytes(5000), 'new.jpg');
    rmSync(b1);
    const r = run(['backup', '--db', srv.db, b1]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /: 1 copied \(5000 bytes\)/);
    assert.equal(shaFile(join(set1, fan(up.sha256))), up.sha256);
  });

  test('backup into a set where a file was damaged repairs it', () => {
    const f = filesUnder(set1)[0];
    flipByte(f.path);
    rmSync(b1);
    const r = run(['backup', '--db', srv.db, b1]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /: 1 copied/);
    assert.equal(shaFile(f.path), f.rel.split('/')[2]);
  });

  test('a damaged or missing live file fails the backup by name, after copying the rest', () => {
    const [gone, hurt] = [uploaded[0].sha256, uploaded[1].sha256];
    const aside = join(tmp, 'aside');
    const hurtPath = join(live, fan(hurt));
    const good = readFileSync(hurtPath);
    renameSync(join(live, fan(gone)), aside);
    flipByte(hurtPath, 3);
    try {
      const b2 = join(tmp, 'b2.db');
      const r = run(['backup', '--db', srv.db, b2]);
      assert.equal(r.status, 1);
      assert.match(r.stderr, new RegExp(`${gone} is missing`));
      assert.match(r.stderr, new RegExp(`${hurt} is damaged`));
      assert.match(r.stderr, /2 of \d+ attachments could not be backed up .*INCOMPLETE/s);
      // Everything else was copied, and neither bad file was.
      const want = named(b2).filter((h) => h !== gone && h !== hurt).map(fan).sort();
      assert.deepEqual(filesUnder(`${b2}.files`).map((f) => f.rel), want);
      const a = lastAudit(srv.db, 'backup.files');
      assert.equal(a.result, 'fail');
      assert.equal(a.detail.attachments.missing, 1);
      assert.equal(a.detail.attachments.damaged, 1);
    } finally {
      renameSync(aside, join(live, fan(gone)));
      writeFileSync(hurtPath, good, { mode: 0o600 });
    }
  });

  test('backup with --files naming an empty directory fails and says how many are missing', () => {
    const empty = join(tmp, 'empty-store');
    const r = run(['backup', '--db', srv.db, '--files', empty, join(tmp, 'b3.db')]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /\d+ missing/);
  });

  test('backup takes no --without-files (exit 2)', () => {
    assert.equal(run(['backup', '--db', srv.db, '--without-files', join(tmp, 'b4.db')]).status, 2);
    assert.ok(!existsSync(join(tmp, 'b4.db')));
  });
});

describe('restore', () => {
  let b, set, target, targetFiles;
  before(() => {
    // A backup of its own, after every upload above.
    b = join(tmp, 'r-src.db');
    set = `${b}.files`;
    const r = run(['backup', '--db', srv.db, b]);
    assert.equal(r.status, 0, r.stderr);
    target = join(mkdtempSync(join(tmp, 'fresh-')), 'x.db');
    targetFiles = `${target}.files`;
    copyFileSync(`${srv.db}.key`, `${target}.key`);
  });

  test('restore into a fresh path brings the files; a server on it hands them back byte for byte', async () => {
    const r = run(['restore', '--db', target, b]);
    assert.equal(r.status, 0, r.stderr);
    const n = named(b).length;
    assert.match(r.stdout, new RegExp(`attachments: ${n} needed: ${n} copied into .*, 0 already there, 0 missing`));
    assert.deepEqual(filesUnder(targetFiles).map((f) => f.rel), named(b).map(fan).sort());
    for (const d of dirsUnder(targetFiles)) assert.equal(statSync(d).mode & 0o777, 0o700, d);
    for (const f of filesUnder(targetFiles)) assert.equal(statSync(f.path).mode & 0o777, 0o600, f.rel);
    const a = lastAudit(target, 'backup.restore');
    assert.equal(a.detail.attachments.copied, n);
    assert.equal(a.detail.without_files, false);
    assert.equal(run(['audit', 'verify', '--db', target]).status, 0);

    const s2 = await serveOn(target);
    try {
      const c = s2.client();
      assert.equal((await c.login(srv.logins.leader.login, srv.logins.leader.password)).status, 200);
      for (const u of uploaded) {
        const res = await c.get(`/api/v1/attachments/${u.id}`);
        assert.equal(res.status, 200, `attachment ${u.id}`);
        assert.deepEqual(Buffer.from(await res.arrayBuffer()), u.bytes, `attachment ${u.id}`);
      }
    } finally {
      assert.equal(await s2.stop(), 0);
    }
  });

  test('restoring again copies nothing: the files are there already', () => {
    const r = run(['restore', '--db', target, b]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /: 0 copied into .*, \d+ already there, 0 missing/);
  });

  test('a damaged file in the backup set: restore refuses, names it, and changes nothing', () => {
    const bad = join(tmp, 'bad.db');
    copyFileSync(b, bad);
    cpSync(set, `${bad}.files`, { recursive: true });
    // One file the target lacks is damaged in the set; another it lacks is fine there.
    const [hurt, other] = [uploaded[2].sha256, uploaded[1].sha256];
    rmSync(join(targetFiles, fan(hurt)));
    rmSync(join(targetFiles, fan(other)));
    flipByte(join(`${bad}.files`, fan(hurt)), 100);
    const dbBefore = shaFile(target);
    const filesBefore = treeHash(targetFiles);
    const r = run(['restore', '--db', target, bad]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, new RegExp(`${hurt} is damaged`));
    assert.match(r.stderr, /1 of \d+ attachments .*nothing was restored.*--without-files/s);
    assert.equal(shaFile(target), dbBefore, 'the database is as it was');
    assert.deepEqual(treeHash(targetFiles), filesBefore, 'no file was added, not even the good one');

    // Told to go on without it: the good file comes back, the damaged one stays out.
    const w = run(['restore', '--db', target, '--without-files', bad]);
    assert.equal(w.status, 0, w.stderr);
    assert.match(w.stderr, /WITHOUT 1 attachments/);
    assert.match(w.stdout, /: 1 copied into .*, 1 missing/);
    assert.ok(existsSync(join(targetFiles, fan(other))));
    assert.ok(!existsSync(join(targetFiles, fan(hurt))));
    const a = lastAudit(target, 'backup.restore');
    assert.equal(a.detail.without_files, true);
    assert.equal(a.detail.attachments.damaged, 1);
  });

  test('a backup without its files directory is refused unless --without-files, naming what is missing', () => {
    const lone = join(tmp, 'lone.db');
    copyFileSync(b, lone);
    const t2 = join(mkdtempSync(join(tmp, 'fresh-')), 'y.db');
    copyFileSync(`${srv.db}.key`, `${t2}.key`);
    const n = named(lone).length;
    const r = run(['restore', '--db', t2, lone]);
    assert.equal(r.status, 1);
    for (const h of named(lone)) assert.match(r.stderr, new RegExp(`${h} is missing`));
    assert.match(r.stderr, new RegExp(`${n} of ${n} attachments .*there is no \\S*lone\\.db\\.files beside the backup.*--without-files`, 's'));
    assert.ok(!existsSync(t2), 'no database was made');
    assert.ok(!existsSync(`${t2}.files`), 'no files directory was made');

    const w = run(['restore', '--db', t2, '--without-files', lone]);
    assert.equal(w.status, 0, w.stderr);
    assert.match(w.stdout, new RegExp(`0 copied into .*, 0 already there, ${n} missing`));
  });

  test('files the live store already has need no backup set', () => {
    // Restoring the database alone over a store that kept its files (a lost database).
    const lone = join(tmp, 'lone2.db');
    copyFileSync(b, lone);
    const r = run(['restore', '--db', target, '--files', live, lone]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /: 0 copied into .*, \d+ already there, 0 missing/);
  });

  test('a damaged database backup is still refused before any file is copied', () => {
    const bad = join(tmp, 'baddb.db');
    const buf = readFileSync(b);
    const mid = Math.floor(buf.length / 4096 / 2) * 4096;
    for (let i = mid; i < mid + 4096; i++) buf[i] ^= 0xff;
    writeFileSync(bad, buf);
    cpSync(set, `${bad}.files`, { recursive: true });
    const t3 = join(mkdtempSync(join(tmp, 'fresh-')), 'z.db');
    copyFileSync(`${srv.db}.key`, `${t3}.key`);
    const r = run(['restore', '--db', t3, bad]);
    assert.equal(r.status, 1);
    assert.ok(!existsSync(`${t3}.files`), 'no file was copied');
  });
});
