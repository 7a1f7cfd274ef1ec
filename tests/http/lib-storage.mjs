// lib-storage.mjs: servers that are killed, restarted and starved of disk, on a database the
// test places itself (the crash and full-disk suites).
import { spawn, execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, ROOT, cli, parseDemo, Client } from './lib.mjs';

// Create a database with the demo township at "db"; returns the demo logins.
export function freshDb(db) {
  let r = cli(['init', '--db', db]);
  if (r.status !== 0) throw new Error(`init failed: ${r.stderr}`);
  r = cli(['demo', '--db', db]);
  if (r.status !== 0) throw new Error(`demo failed: ${r.stderr}`);
  return parseDemo(r.stdout);
}

// Start "xiangzhi serve" on an existing database; resolves once it listens.
//   srv.exited resolves to { code, signal, at } (at: performance.now() of the exit).
export async function serve(db, { env = {}, args = [], port = 0 } = {}) {
  const t0 = performance.now();
  const proc = spawn(BIN, ['serve', '--db', db, '--listen', `127.0.0.1:${port}`, ...args], {
    env: { ...process.env, XIANGZHI_DEV: '1', XIANGZHI_LOGIN_RATE: '100000', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '', err = '';
  proc.stderr.on('data', (d) => { err += d; });
  const exited = new Promise((res) => proc.on('exit', (code, signal) =>
    res({ code, signal, at: performance.now() })));
  const got = await new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`server did not start:\n${err}`)), 10000);
    proc.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/\(port (\d+)\)/);
      if (m) { clearTimeout(t); resolve(Number(m[1])); }
    });
    exited.then(({ code, signal }) => {
      clearTimeout(t);
      reject(new Error(`server exited ${code ?? signal}:\n${err}`));
    });
  });
  return {
    proc, port: got, url: `http://127.0.0.1:${got}`, exited,
    startMs: performance.now() - t0,
    log: () => err,
    client: () => new Client(`http://127.0.0.1:${got}`),
    // SIGTERM and wait: { code, signal, at }.
    stop: async () => { if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM'); return exited; },
    kill: async () => { if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL'); return exited; },
  };
}

// Run SQL with the sqlite3 shell (the server may be running: WAL readers do not block it).
// Rows come back as arrays of strings (columns separated by |).
export function sql(db, query) {
  const out = execFileSync('sqlite3', ['-batch', '-bail', db, query], { encoding: 'utf8' });
  return out.split('\n').filter((l) => l !== '').map((l) => l.split('|'));
}

// Shanghai's day for now, as YYYY-MM-DD.
export const todayCn = () => new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);

export function petition(title, body = '村民反映三组灌溉渠道渗漏，请求维修。') {
  return {
    type: 'petition', title, body, source: 'visit',
    details: { received_at: todayCn(), petitioners: [{ name: '测试甲', sex: 'M', age: 56, phone: '13800000001' }] },
  };
}

// Every matter is whole: a create event in its timeline, a matter.create audit row and a
// search-index row; no timeline, audit or index row points at a missing matter.  Returns a
// list of problems (empty when whole).
export function wholeness(db) {
  const checks = {
    integrity_check: 'PRAGMA integrity_check',
    foreign_key_check: 'PRAGMA foreign_key_check',
    'matter without its create event': `SELECT m.id FROM matter m WHERE NOT EXISTS
      (SELECT 1 FROM matter_event e WHERE e.matter_id = m.id AND e.action = 'create')`,
    'matter without its audit row': `SELECT m.id FROM matter m WHERE NOT EXISTS
      (SELECT 1 FROM audit a WHERE a.action = 'matter.create' AND a.object_type = 'matter'
        AND a.object_id = CAST(m.id AS TEXT))`,
    'audit row for a missing matter': `SELECT a.object_id FROM audit a WHERE a.action = 'matter.create'
      AND NOT EXISTS (SELECT 1 FROM matter m WHERE CAST(m.id AS TEXT) = a.object_id)`,
    'timeline row for a missing matter': `SELECT e.id FROM matter_event e
      WHERE NOT EXISTS (SELECT 1 FROM matter m WHERE m.id = e.matter_id)`,
    'matter missing from the search index': `SELECT m.id FROM matter m
      WHERE NOT EXISTS (SELECT 1 FROM matter_fts_docsize f WHERE f.id = m.id)`,
    'search-index row for a missing matter': `SELECT f.id FROM matter_fts_docsize f
      WHERE NOT EXISTS (SELECT 1 FROM matter m WHERE m.id = f.id)`,
  };
  // One sqlite3 run for all of them (a crash cycle runs this each time): each query's rows
  // follow a marker line.
  const script = Object.entries(checks).map(([k, q]) => `.print ==${k}\n${q.replace(/\s+/g, ' ')};`).join('\n');
  const out = execFileSync('sqlite3', ['-batch', '-bail', db], { input: `${script}\n`, encoding: 'utf8' });
  const got = {};
  let cur = null;
  for (const line of out.split('\n')) {
    if (line.startsWith('==')) { cur = line.slice(2); got[cur] = []; } else if (line !== '' && cur) got[cur].push(line);
  }
  const problems = [];
  for (const k of Object.keys(checks)) {
    const rows = got[k];
    if (rows === undefined) problems.push(`${k}: not run`);
    else if (k === 'integrity_check') { if (rows.join() !== 'ok') problems.push(`integrity_check: ${rows.join('; ')}`); }
    else if (rows.length) problems.push(`${k}: ${rows.slice(0, 10).join(', ')}`);
  }
  const v = cli(['audit', 'verify', '--db', db]);
  if (v.status !== 0) problems.push(`audit verify: ${v.stdout}${v.stderr}`.trim());
  return problems;
}

// The acknowledged ids missing, or not whole, in the database (empty when all are there).
export function missingAcks(db, acks) {
  if (!acks.length) return [];
  const rows = sql(db, `SELECT m.id, m.title, (SELECT count(*) FROM matter_event e
      WHERE e.matter_id = m.id AND e.action = 'create'),
    (SELECT count(*) FROM audit a WHERE a.action = 'matter.create' AND a.object_id = CAST(m.id AS TEXT))
    FROM matter m WHERE m.id IN (${acks.map((a) => Number(a.id)).join(',')})`);
  const have = new Map(rows.map((r) => [Number(r[0]), r]));
  const bad = [];
  for (const a of acks) {
    const r = have.get(Number(a.id));
    if (!r) bad.push(`${a.id} (${a.title}) missing`);
    else if (r[1] !== a.title) bad.push(`${a.id} title ${r[1]} != ${a.title}`);
    else if (r[2] !== '1' || r[3] !== '1') bad.push(`${a.id} events ${r[2]} audit ${r[3]}`);
  }
  return bad;
}

// Write a proof figure file under build/proof/.
export function writeProof(name, data) {
  const dir = join(ROOT, 'build', 'proof');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, name), `${JSON.stringify(data, null, 2)}\n`);
}
