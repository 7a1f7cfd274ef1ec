// 40-logs: what the server's log and its account table promise an auditor:
// one record per line whatever a client sends, no session token in a log or
// a link, and no default, shared or empty-password account after install.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import net from 'node:net';
import { readFileSync } from 'node:fs';
import { startServer } from './lib.mjs';

let srv;
before(async () => { srv = await startServer(); });
after(async () => { await srv.stop(); });

const RECORD = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z (info|warn|error|bug) /;

function sql(query) {
  const r = spawnSync('sqlite3', [srv.db, query], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`sqlite3: ${r.stderr}`);
  return r.stdout.trim();
}

// A raw request, so the bytes are exactly what a hostile client sends.
function raw(bytes) {
  return new Promise((resolve) => {
    const s = net.connect(srv.port, '127.0.0.1');
    let got = '';
    s.on('data', (d) => { got += d; });
    s.on('close', () => resolve(got));
    s.on('error', () => resolve(got));
    s.end(bytes);
  });
}

test('[S33] a forged record in a path or a login stays inside one escaped log line', async () => {
  const forged = '2026-01-01T00:00:00.000Z info forged';
  await raw(`GET /nope%0D%0A${encodeURIComponent(forged)}%1B[31m HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
  const c = srv.client();
  assert.equal((await c.get(`/api/v1/nope%0A${encodeURIComponent(forged)}`)).status, 404);
  const res = await c.login(`evil\r\n${forged}\u001b[2J`, 'Wrong-Password-123');
  assert.ok([401, 422].includes(res.status), `status ${res.status}`);
  await new Promise((r) => setTimeout(r, 200));
  const lines = srv.log().split('\n').filter((l) => l !== '');
  assert.ok(lines.some((l) => l.includes('/nope\\x0d\\x0a2026-01-01T00:00:00.000Z info forged\\x1b[31m')),
    'the hostile path is logged, escaped, on its own line');
  assert.ok(lines.some((l) => l.includes('/api/v1/nope\\x0a2026')), 'the API path too');
  for (const l of lines) {
    assert.match(l, RECORD, `every line is a record: ${JSON.stringify(l)}`);
    assert.ok(!l.startsWith(forged), 'no forged record');
    assert.doesNotMatch(l, /[\u0000-\u001f\u007f]/, 'no control character reaches the log');
  }
});

test('[S18] the session cookie and CSRF token appear in no log line, link or page', async () => {
  const c = srv.client();
  const { login, password } = srv.logins.leader;
  assert.equal((await c.login(login, password)).status, 200);
  const session = c.cookies.get('xz');
  assert.ok(session && session.length >= 22, 'a session cookie');
  const pages = ['/', '/matters', '/people', '/units', '/villages', '/roster'];
  for (const p of pages) {
    const res = await c.get(p);
    assert.ok(res.status < 500, `${p}: ${res.status}`);
    const html = await res.text();
    assert.ok(!html.includes(session), `${p} does not carry the session id`);
    for (const m of html.matchAll(/(?:href|src|action)="([^"]*)"/g)) {
      assert.ok(!m[1].includes(c.csrf), `${p}: no token in the link ${m[1]}`);
    }
  }
  await c.post('/api/v1/people', { name: '' });  // a refusal is logged too
  await new Promise((r) => setTimeout(r, 200));
  const log = srv.log();
  assert.ok(!log.includes(session), 'the session id is not logged');
  assert.ok(!log.includes(c.csrf), 'the CSRF token is not logged');
  assert.ok(!sql('SELECT group_concat(hex(token_hash)) FROM session').includes(Buffer.from(session).toString('hex').toUpperCase()),
    'the session table does not keep the cookie value itself');
});

test('[S1] after install: unique logins, no empty hash, no default or shared account names', () => {
  assert.equal(sql('SELECT count(*) FROM (SELECT lower(login) FROM account GROUP BY 1 HAVING count(*) > 1)'), '0');
  assert.equal(sql("SELECT count(*) FROM account WHERE status = 'active' AND (pw_hash IS NULL OR pw_hash = '')"), '0');
  const logins = sql('SELECT lower(login) FROM account').split('\n');
  assert.ok(logins.length >= 10, 'the demo accounts are there');
  for (const bad of ['admin', 'administrator', 'root', 'test', 'guest', 'user', 'demo', 'xiangzhi', 'sysadmin']) {
    assert.ok(!logins.includes(bad), `no account named ${bad}`);
  }
  assert.equal(sql('SELECT count(*) FROM (SELECT pw_hash FROM account WHERE pw_hash IS NOT NULL GROUP BY 1 HAVING count(*) > 1)'), '0',
    'no two accounts share a password hash');
});

test('[S40] a deleted duty leaves no trace of its text in the database or its WAL', async () => {
  const c = srv.client();
  const { login, password } = srv.logins.leader;
  assert.equal((await c.login(login, password)).status, 200);
  const roster = await (await c.get('/api/v1/roster')).json();
  const any = roster.weeks.flatMap((w) => w.items)[0];
  assert.ok(any, 'a demo duty to copy');
  const marker = `ZZMARK${Date.now()}`;
  const res = await c.post('/api/v1/roster', {
    day: roster.today, leader_id: any.leader_id, post: '副乡长', duties: marker,
    time: '上午', place: '乡综治中心', form: 'classified', note: marker,
  });
  assert.equal(res.status, 201, await res.clone().text());
  const { id } = await res.json();
  const files = () => [srv.db, `${srv.db}-wal`].map((f) => {
    try { return readFileSync(f); } catch { return Buffer.alloc(0); }
  });
  assert.ok(files().some((b) => b.includes(marker)), 'the marker was written');
  assert.equal((await c.delete(`/api/v1/roster/${id}`)).status, 200);
  sql('PRAGMA wal_checkpoint(TRUNCATE)');
  const [db, wal] = files();
  assert.ok(!db.includes(marker), 'the database file holds no trace (secure_delete)');
  assert.ok(!wal.includes(marker), 'the WAL holds no trace after a checkpoint');
});

test('[S34] the server reports whether NTP keeps its clock, at start and in /metrics, and stores UTC', async () => {
  const text = await (await fetch(`${srv.url}/metrics`)).text();
  const m = text.match(/^xiangzhi_clock_synchronised (-1|0|1)$/m);
  assert.ok(m, 'the gauge is there');
  const warned = srv.log().includes('the system clock is not synchronised by NTP');
  assert.equal(warned, m[1] === '0', 'the start-up log agrees with the gauge');
  if (!warned) assert.match(srv.log(), /system clock: (synchronised by NTP|cannot tell)/);
  const times = sql("SELECT at FROM audit UNION ALL SELECT created_at FROM account").split('\n');
  assert.ok(times.length > 10);
  for (const t of times) assert.match(t, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/, `stored as UTC: ${t}`);
});
