// 20-backup-drill: backups under a write load, their manifests, the restore drill and sealed
// off-site copies.
//
// One server on the demo township.  Two writers register petitions through the API without
// pause while `xiangzhi backup` runs three times; each backup must verify, restore into a fresh
// directory, pass integrity_check and match its manifest table by table (the manifest is taken
// in the same read transaction as the copy), and hold exactly a prefix of the live audit chain.
// Then the drill (recorded in the audit log, seen by the auditor) and the sealed copy, with a
// changed byte in each place it can be changed.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname, basename } from 'node:path';
import { startServer, BIN } from './lib.mjs';
import { call } from './lib-org.mjs';

const sha = (buf) => createHash('sha256').update(buf).digest('hex');
const cnDay = (ms) => new Date(ms + 8 * 3600e3).toISOString().slice(0, 10);
const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000' +
  '1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082', 'hex');

function sql(file, query) {
  const r = spawnSync('sqlite3', ['-readonly', file, query], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`sqlite3 ${file}: ${r.stderr}`);
  return r.stdout.trim();
}
// Rows as JSON, for comparing content outside xiangzhi's own hashing.
function rows(file, query) {
  const r = spawnSync('sqlite3', ['-readonly', '-json', file, query], { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`sqlite3 ${file}: ${r.stderr}`);
  return r.stdout.trim() === '' ? [] : JSON.parse(r.stdout);
}

function run(args, env = {}) {
  const r = spawnSync(BIN, args, { encoding: 'utf8', env: { ...process.env, XIANGZHI_DB: '', XIANGZHI_FILES: '', ...env } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
function runAsync(args) {
  return new Promise((resolve) => {
    const p = spawn(BIN, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, XIANGZHI_FILES: '' } });
    let stdout = '', stderr = '';
    p.stdout.on('data', (d) => { stdout += d; });
    p.stderr.on('data', (d) => { stderr += d; });
    p.on('exit', (status) => resolve({ status, stdout, stderr }));
  });
}

// Everything a backup DEST is made of.
const parts = (dest) => [dest, `${dest}.manifest`, `${dest}.files`, `${dest}.key`, `${dest}.sealed`];
const leftovers = (dest) => readdirSync(dirname(dest)).filter((n) => n.startsWith(basename(dest)));

let srv, staff, leader, auditor, tmp;
const acked = [];	// ids of petitions the server acknowledged (201)

async function register(c, title) {
  const r = await call(c, 'POST', '/api/v1/matters', {
    type: 'petition', title, body: '群众反映村道积水，请求疏通排水沟。', source: 'visit',
    details: { received_at: cnDay(Date.now()), petitioners: [{ name: '测试丙', sex: 'M', age: 50, phone: '13800000003' }] },
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  acked.push(r.body.id);
  return r.body;
}

before(async () => {
  srv = await startServer();
  [staff, leader, auditor] = [await srv.as('staff'), await srv.as('leader'), await srv.as('auditor')];
  tmp = mkdtempSync(join(tmpdir(), 'xz-drill-'));
  const m = await register(leader, '附件随备份');
  const fd = new FormData();
  fd.append('kind', 'agreement');
  fd.append('file', new Blob([PNG]), '协议.png');
  assert.equal((await leader.req('POST', `/api/v1/matters/${m.id}/attachments`, { body: fd })).status, 201);
});
after(async () => {
  await srv.stop();
  rmSync(tmp, { recursive: true, force: true });
});

describe('backups during a write load', () => {
  const backups = [];

  test('[S55] three backups taken while two writers register petitions all succeed', async () => {
    let stop = false;
    const writer = async (c, tag) => {
      let n = 0;
      while (!stop) await register(c, `${tag}写入${n++}`);
      return n;
    };
    const writers = [writer(staff, '甲'), writer(leader, '乙')];
    await new Promise((r) => setTimeout(r, 200));
    for (let i = 0; i < 3; i++) {
      const dest = join(tmp, `load${i}.db`);
      const before = acked.length;
      const r = await runAsync(['backup', '--db', srv.db, dest]);
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /verified \(\d+ tables, manifest /);
      backups.push({ dest, ackedBefore: acked.slice(0, before), during: acked.length - before });
    }
    await register(staff, '最后一次备份之后');	// certainly after the last snapshot
    stop = true;
    const written = (await Promise.all(writers)).reduce((a, b) => a + b, 0);
    assert.ok(written >= 6, `the writers kept writing (${written})`);
    assert.ok(backups.some((b) => b.during > 0), `writes were acknowledged while a backup ran: ${backups.map((b) => b.during)}`);
    // Writes went on during the backups: at least one backup misses a later write.
    const last = backups[backups.length - 1];
    const inLast = Number(sql(last.dest, 'SELECT count(*) FROM matter'));
    assert.ok(inLast < Number(sql(srv.db, 'SELECT count(*) FROM matter')), 'the source moved on after the last backup');
  });

  test('[S55] each backup passes integrity_check, verifies against its manifest, and holds every write acknowledged before it began', () => {
    for (const b of backups) {
      assert.equal(sql(b.dest, 'PRAGMA integrity_check'), 'ok');
      const v = run(['backup', '--verify', '--key', `${srv.db}.key`, b.dest]);
      assert.equal(v.status, 0, v.stderr);
      assert.match(v.stdout, /\d+ tables, \d+ rows match its manifest/);
      const ids = new Set(sql(b.dest, 'SELECT id FROM matter').split('\n').map(Number));
      for (const id of b.ackedBefore) assert.ok(ids.has(id), `acknowledged petition ${id} is in ${b.dest}`);
      // The row counts in the manifest are the copy's (sqlite3, not xiangzhi, counting).
      const man = JSON.parse(readFileSync(`${b.dest}.manifest`, 'utf8'));
      for (const [t, { rows: n }] of Object.entries(man.tables)) {
        assert.equal(Number(sql(b.dest, `SELECT count(*) FROM "${t}"`)), n, `${t} rows`);
      }
      assert.ok(man.tables.matter.rows >= b.ackedBefore.length);
      assert.equal(man.database_sha256, sha(readFileSync(b.dest)));
    }
  });

  test('[S55] each backup is one moment of the source: every matter has its audit record, and its audit log is a prefix of the live one', () => {
    const live = rows(srv.db, 'SELECT id, hex(hash) AS h FROM audit ORDER BY id');
    const liveMatters = new Map(rows(srv.db, 'SELECT * FROM matter').map((m) => [m.id, JSON.stringify(m)]));
    for (const b of backups) {
      // Written in one transaction with its matter: never one without the other.
      assert.equal(sql(b.dest, "SELECT count(*) FROM matter WHERE id NOT IN (SELECT CAST(object_id AS INTEGER) FROM audit WHERE action = 'matter.create')"), '0');
      assert.equal(sql(b.dest, "SELECT count(*) FROM audit WHERE action = 'matter.create' AND CAST(object_id AS INTEGER) NOT IN (SELECT id FROM matter)"), '0');
      const mine = rows(b.dest, 'SELECT id, hex(hash) AS h FROM audit ORDER BY id');
      assert.deepEqual(mine, live.slice(0, mine.length), 'the audit chain of the backup is the start of the live chain');
      // Its own record, written just before the snapshot (writers may commit in between).
      assert.equal(sql(b.dest, `SELECT count(*) FROM audit WHERE action = 'backup.create' AND json_extract(detail, '$.file') = '${b.dest}'`), '1', 'the copy holds its own backup record');
      // Rows the load only inserts are all in the source afterwards, unchanged.
      for (const m of rows(b.dest, 'SELECT * FROM matter')) {
        if (m.title.includes('写入')) assert.equal(liveMatters.get(m.id), JSON.stringify(m));
      }
    }
  });

  test('[S55] [S56] a restore into a fresh directory passes integrity_check and every table equals the manifest', () => {
    for (const b of backups) {
      const dir = mkdtempSync(join(tmp, 'restore-'));
      const db = join(dir, 'x.db');
      copyFileSync(`${srv.db}.key`, `${db}.key`);
      const r = run(['restore', '--db', db, b.dest]);
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /every table matches the manifest/);
      assert.equal(sql(db, 'PRAGMA integrity_check'), 'ok');
      // Independently of xiangzhi's hashing: every table's rows equal the backup's.
      const man = JSON.parse(readFileSync(`${b.dest}.manifest`, 'utf8'));
      for (const t of Object.keys(man.tables)) {
        if (t === 'audit' || t.startsWith('sqlite_') || /_(data|idx|docsize|config|content)$/.test(t)) continue;
        const q = `SELECT * FROM "${t}" ORDER BY 1, 2`;
        assert.deepEqual(rows(db, q), rows(b.dest, q), `table ${t}`);
      }
      // The restore's own record comes after everything the backup held.
      assert.equal(Number(sql(db, 'SELECT count(*) FROM audit')), man.tables.audit.rows + 1);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('[S31] every backup holds the audit log, chain intact', () => {
    for (const b of backups) {
      assert.ok(Number(sql(b.dest, 'SELECT count(*) FROM audit')) > 100);
      // On a copy: "audit verify" records itself in the database it checks.
      const c = join(tmp, 'audit-check.db');
      rmSync(c, { force: true });
      copyFileSync(b.dest, c);
      const r = run(['audit', 'verify', '--db', c, '--key', `${srv.db}.key`]);
      assert.equal(r.status, 0, r.stderr);
    }
  });

  test('[S55] a backup changed after the fact fails --verify and restore, naming the table or the file', () => {
    const b = backups[0];
    const bad = join(tmp, 'changed.db');
    copyFileSync(b.dest, bad);
    const man = JSON.parse(readFileSync(`${b.dest}.manifest`, 'utf8'));
    man.tables.matter.sha256 = '0'.repeat(64);
    man.database_sha256 = sha(readFileSync(bad));
    writeFileSync(`${bad}.manifest`, JSON.stringify(man));
    let r = run(['backup', '--verify', '--key', `${srv.db}.key`, bad]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /table matter differs/);
    const dir = mkdtempSync(join(tmp, 'restore-'));
    copyFileSync(`${srv.db}.key`, join(dir, 'x.db.key'));
    r = run(['restore', '--db', join(dir, 'x.db'), bad]);
    assert.equal(r.status, 1);
    assert.ok(!existsSync(join(dir, 'x.db')), 'nothing restored');
    // The file itself changed: its hash no longer matches the manifest.
    copyFileSync(`${b.dest}.manifest`, `${bad}.manifest`);
    const buf = readFileSync(bad);
    buf[buf.length - 100] ^= 0x20;
    writeFileSync(bad, buf);
    r = run(['backup', '--verify', '--key', `${srv.db}.key`, bad]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /not the file its manifest describes/);
  });
});

describe('the restore drill', () => {
  let dest;
  before(() => {
    dest = join(tmp, 'drill.db');
    const r = run(['backup', '--db', srv.db, dest]);
    assert.equal(r.status, 0, r.stderr);
  });

  test('[S56] drill: restores into a scratch directory, matches the manifest, serves the copy, records PASSED in the audit log', () => {
    const t0 = Date.now();
    const r = run(['drill', '--db', srv.db, '--from', dest]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /drill PASSED/);
    assert.match(r.stdout, /\/healthz 200, \/login 200, exit 0/);
    const dir = r.stdout.match(/restored into (\S+) \(removed\)/)[1];
    assert.ok(!existsSync(dir), 'the scratch directory is gone');
    const row = rows(srv.db, "SELECT result, detail FROM audit WHERE action = 'backup.drill' ORDER BY id DESC LIMIT 1")[0];
    assert.equal(row.result, 'ok');
    const d = JSON.parse(row.detail);
    assert.equal(d.file, dest);
    assert.equal(d.healthz, 200);
    assert.equal(d.page, 200);
    assert.ok(d.tables > 20 && d.rows > 100);
    assert.ok(d.ms > 0 && d.ms <= Date.now() - t0 + 5);
    const live = run(['audit', 'verify', '--db', srv.db]);
    assert.equal(live.status, 0, live.stderr);
  });

  test('[S56] the auditor sees the drill in the audit log; a village cadre does not', async () => {
    const res = await call(auditor, 'GET', '/api/v1/audit?action=backup');
    assert.equal(res.status, 200);
    const drill = res.body.items.find((i) => i.action === 'backup.drill');
    assert.ok(drill, JSON.stringify(res.body.items.map((i) => i.action)));
    const page = await (await auditor.get('/audit?action=backup')).text();
    assert.ok(page.includes('backup.drill'));
    const v = await srv.as('village');
    assert.ok([403, 404].includes((await v.get('/api/v1/audit?action=backup')).status));
  });

  test('[S56] a drill of a damaged backup FAILS, exits 1 and is recorded as failed', () => {
    const bad = join(tmp, 'drill-bad.db');
    copyFileSync(dest, bad);
    copyFileSync(`${dest}.manifest`, `${bad}.manifest`);
    const buf = readFileSync(bad);
    buf[Math.floor(buf.length / 2)] ^= 0x01;
    writeFileSync(bad, buf);
    const r = run(['drill', '--db', srv.db, '--no-serve', '--from', bad]);
    assert.equal(r.status, 1);
    assert.match(r.stdout, /drill FAILED/);
    const row = rows(srv.db, "SELECT result, detail FROM audit WHERE action = 'backup.drill' ORDER BY id DESC LIMIT 1")[0];
    assert.equal(row.result, 'fail');
    assert.equal(JSON.parse(row.detail).file, bad);
    // A backup with no manifest cannot be drilled either.
    const bare = join(tmp, 'drill-bare.db');
    copyFileSync(dest, bare);
    assert.equal(run(['drill', '--db', srv.db, '--no-serve', '--from', bare]).status, 1);
    assert.equal(run(['drill', '--db', srv.db]).status, 2, 'usage without --from');
  });
});

describe('sealed off-site copies', () => {
  let key, dest, sealed;
  before(() => {
    key = join(tmp, 'offsite.key');
    dest = join(tmp, 'sealed.db');
    sealed = `${dest}.sealed`;
  });

  test('[S57] keygen makes a 0600 key file and never overwrites one', () => {
    let r = run(['keygen', key]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(statSync(key).mode & 0o777, 0o600);
    const first = readFileSync(key, 'utf8');
    assert.match(first, /^xiangzhi-seal-key [0-9a-f]{64}\n$/);
    r = run(['keygen', key]);
    assert.equal(r.status, 1);
    assert.equal(readFileSync(key, 'utf8'), first);
  });

  test('[S57] backup --encrypt seals the database, manifest, key and attachments; unseal and restore bring them back', () => {
    let r = run(['backup', '--db', srv.db, '--encrypt', key, dest]);
    assert.equal(r.status, 0, r.stderr);
    assert.ok(existsSync(sealed));
    const blob = readFileSync(sealed);
    assert.equal(blob.subarray(0, 8).toString(), 'XZSEAL1\n');
    // Nothing readable inside: not the SQLite header, not the key, not a Chinese title.
    assert.ok(!blob.includes(Buffer.from('SQLite format 3')));
    assert.ok(!blob.includes(Buffer.from('附件随备份')));
    const out = join(tmp, 'unsealed', 'b.db');
    spawnSync('mkdir', ['-p', dirname(out)]);
    r = run(['unseal', '--key', key, sealed, out]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(sha(readFileSync(out)), sha(readFileSync(dest)));
    assert.equal(readFileSync(`${out}.key`, 'utf8'), readFileSync(`${srv.db}.key`, 'utf8'));
    assert.equal(statSync(`${out}.key`).mode & 0o777, 0o600);
    const hexes = sql(out, 'SELECT DISTINCT sha256 FROM attachment').split('\n').filter(Boolean);
    assert.ok(hexes.length >= 1);
    for (const h of hexes) {
      assert.equal(sha(readFileSync(join(`${out}.files`, h.slice(0, 2), h.slice(2, 4), h))), h);
    }
    // A disaster: only the sealed copy and the seal key survive; restore to a new machine.
    const fresh = join(tmp, 'newhost', 'x.db');
    spawnSync('mkdir', ['-p', dirname(fresh)]);
    copyFileSync(`${out}.key`, `${fresh}.key`);
    r = run(['restore', '--db', fresh, out]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(sql(fresh, 'PRAGMA integrity_check'), 'ok');
    assert.equal(sql(fresh, "SELECT count(*) FROM matter WHERE title = '附件随备份'"), '1');
    for (const h of hexes) assert.ok(existsSync(join(`${fresh}.files`, h.slice(0, 2), h.slice(2, 4), h)));
  });

  // One changed byte anywhere, or a cut: a loud failure, exit 1, nothing usable written.
  const cases = [
    ['the magic', (b) => { b[2] ^= 1; return b; }, /not a xiangzhi sealed copy/],
    ['the stream header', (b) => { b[20] ^= 1; return b; }, /AUTHENTICATION FAILED/],
    ['the first message', (b) => { b[40] ^= 0x80; return b; }, /AUTHENTICATION FAILED/],
    ['a middle message', (b) => { b[Math.floor(b.length / 2)] ^= 1; return b; }, /AUTHENTICATION FAILED/],
    ['the last message', (b) => { b[b.length - 3] ^= 1; return b; }, /AUTHENTICATION FAILED/],
    ['a truncation', (b) => b.subarray(0, b.length - 40), /AUTHENTICATION FAILED|TRUNCATED/],
    ['a cut at a message border', (b) => b.subarray(0, 32 + 65553), /TRUNCATED/],
    ['bytes appended', (b) => Buffer.concat([b, Buffer.from('x')]), /AUTHENTICATION FAILED|after its authenticated end/],
  ];
  for (const [where, change, msg] of cases) {
    test(`[S57] a sealed copy with ${where} changed fails loudly and writes nothing`, () => {
      const bad = join(tmp, `tampered-${where.replace(/\W+/g, '-')}.sealed`);
      writeFileSync(bad, change(Buffer.from(readFileSync(sealed))));
      const out = join(tmp, `out-${where.replace(/\W+/g, '-')}.db`);
      const r = run(['unseal', '--key', key, bad, out]);
      assert.equal(r.status, 1, r.stdout);
      assert.match(r.stderr, /UNSEAL FAILED/);
      assert.match(r.stderr, msg);
      assert.match(r.stderr, /nothing was written/);
      for (const p of parts(out)) assert.ok(!existsSync(p), `${p} must not exist`);
      assert.deepEqual(leftovers(out), [], 'no scratch directory left');
    });
  }

  test('[S57] the wrong key, an unreadable key file or a DEST in use are refused without writing', () => {
    const other = join(tmp, 'other.key');
    assert.equal(run(['keygen', other]).status, 0);
    const out = join(tmp, 'wrongkey.db');
    let r = run(['unseal', '--key', other, sealed, out]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /not its key/);
    assert.deepEqual(leftovers(out), []);
    spawnSync('chmod', ['644', other]);
    r = run(['unseal', '--key', other, sealed, out]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /readable by others/);
    r = run(['unseal', '--key', key, sealed, dest]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /exists; choose a new DEST/);
    r = run(['backup', '--db', srv.db, '--encrypt', other, join(tmp, 'never.db')]);
    assert.equal(r.status, 1, 'a readable key is refused for sealing too');
    assert.ok(!existsSync(join(tmp, 'never.db.sealed')));
    assert.equal(run(['unseal', sealed, out]).status, 2, 'usage without --key');
  });

  test('[S57] sealing time and size for the demo township are reported', () => {
    const d = join(tmp, 'timed.db');
    const t0 = Date.now();
    const r = run(['backup', '--db', srv.db, '--encrypt', key, d]);
    const ms = Date.now() - t0;
    assert.equal(r.status, 0, r.stderr);
    const db = statSync(d).size, s = statSync(`${d}.sealed`).size;
    assert.ok(s > db && s < db * 1.01 + 4096, `sealed ${s} for a ${db}-byte database`);
    console.log(`# backup+seal of the demo township: ${ms} ms, database ${db} bytes, sealed ${s} bytes`);
  });
});
