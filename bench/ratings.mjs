#!/usr/bin/env node
// bench/ratings.mjs: 10,000 ratings submitted concurrently by 64 clients.
//
// Set-up (not timed): a window and N service records, each with its rating link (一事两评: a
// token and its paired conduct token, so one submission stores two ratings), issued through
// the API like a window clerk would.  Then 64 clients submit every token TWICE, in a shuffled
// order, through POST /api/v1/r/<token>: exactly one of the two may succeed (201), the other
// must be refused (410).  About 5% are bad reviews, so the rule opening 差评整改 runs too.
// Checks: N ratings pages stored exactly once (2N rating rows), N tokens used, no 5xx; prints
// requests/s and latency percentiles as a Markdown row for bench/RESULTS.md.
//
// N=10000 CLIENTS=64 THREADS=4 node bench/ratings.mjs
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { startServer } from '../tests/http/lib.mjs';

const N = Number(process.env.N ?? 10000);
const CLIENTS = Number(process.env.CLIENTS ?? 64);
const THREADS = process.env.THREADS ?? '4';

const srv = await startServer({ args: ['--threads', THREADS] });
// The server's CPU time (user + system) in ms, from /proc.
const cpuMs = (pid) => {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(f[11]) + Number(f[12])) * 10;
};
const sql = (q) => execFileSync('sqlite3', [srv.db, q], { encoding: 'utf8' }).trim();
try {
  const L = await srv.as('leader');
  const people = (await (await L.get('/api/v1/people?kind=cadre')).json()).items;
  let r = await L.post('/api/v1/windows', { name: '压测窗口', lead_id: 1, a_id: people[1].id, b_id: people[2].id });
  assert.equal(r.status, 201);
  const wid = (await r.json()).id;

  // Issue the links, 16 at a time.
  const t0 = Date.now();
  const tokens = new Array(N);
  let next = 0;
  async function issuer() {
    for (;;) {
      const i = next++;
      if (i >= N) return;
      const rec = await (await L.post(`/api/v1/windows/${wid}/records`, { item: '压测事项', citizen: '压测' })).json();
      const l = await L.post(`/api/v1/records/${rec.id}/link`, {});
      assert.equal(l.status, 201);
      tokens[i] = (await l.json()).token;
    }
  }
  await Promise.all(Array.from({ length: 16 }, issuer));
  const issueSecs = (Date.now() - t0) / 1000;

  // Every token twice, shuffled (deterministic LCG).
  const jobs = [];
  for (let i = 0; i < N; i++) jobs.push(i, i);
  let seed = 12345;
  for (let i = jobs.length - 1; i > 0; i--) {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    const j = seed % (i + 1);
    [jobs[i], jobs[j]] = [jobs[j], jobs[i]];
  }
  const lat = [];
  const codes = {};
  let k = 0;
  async function client() {
    for (;;) {
      const n = k++;
      if (n >= jobs.length) return;
      const i = jobs[n];
      const bad = i % 20 === 0;
      const body = JSON.stringify({ answers: [
        bad ? { level: 2, reason: 'slow' } : { level: 5 - (i % 3) }, { level: 5 }] });
      const s = process.hrtime.bigint();
      const res = await fetch(`${srv.url}/api/v1/r/${tokens[i]}`, {
        method: 'POST', headers: { 'content-type': 'application/json' }, body,
      });
      await res.arrayBuffer();
      lat.push(Number(process.hrtime.bigint() - s) / 1e6);
      codes[res.status] = (codes[res.status] ?? 0) + 1;
    }
  }
  const t1 = Date.now();
  const c1 = cpuMs(srv.proc.pid);
  await Promise.all(Array.from({ length: CLIENTS }, client));
  const secs = (Date.now() - t1) / 1000;
  const cpu = cpuMs(srv.proc.pid) - c1;

  lat.sort((a, b) => a - b);
  const pct = (p) => lat[Math.min(lat.length - 1, Math.floor(lat.length * p))].toFixed(1);
  const rows = Number(sql(`SELECT count(*) FROM rating WHERE purpose = 'window' AND subject_kind = 'window' AND subject_id = ${wid}`));
  const all = Number(sql(`SELECT count(*) FROM rating r JOIN service_record s ON s.id = r.record_id WHERE s.window_id = ${wid}`));
  const dup = Number(sql('SELECT count(*) FROM (SELECT token_id FROM rating GROUP BY token_id HAVING count(*) > 1)'));
  const used = Number(sql(`SELECT count(*) FROM rating_token t JOIN service_record s ON s.id = t.record_id WHERE s.window_id = ${wid} AND t.used_at IS NOT NULL`));
  const rect = Number(sql(`SELECT count(*) FROM rating_firing f JOIN rating r ON r.id = f.rating_id JOIN service_record s ON s.id = r.record_id WHERE s.window_id = ${wid}`));
  console.log(`issued ${N} links in ${issueSecs.toFixed(1)} s`);
  console.log(`server CPU during the submissions: ${(cpu / 1000).toFixed(1)} s over ${secs.toFixed(1)} s wall, ${(cpu / jobs.length).toFixed(2)} ms a request; load average ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`);
  console.log(`statuses: ${JSON.stringify(codes)}`);
  console.log(`stored: ${rows} service ratings, ${all} rating rows, ${used} tokens used, ${dup} duplicated tokens, ${rect} rectifications`);
  assert.equal(codes[201], N, 'each token succeeds once');
  assert.equal(codes[410], N, 'each second try is refused');
  assert.equal(rows, N);
  assert.equal(all, 2 * N);
  assert.equal(used, 2 * N);
  assert.equal(dup, 0);
  assert.equal(rect, Math.ceil(N / 20));
  // The baseline, in the same run: as many GET /healthz (a database ping, no write) by the
  // same clients: what this machine, node's fetch and the server's pipeline cost alone.
  const blat = [];
  let b = 0;
  async function pinger() {
    for (;;) {
      if (b++ >= jobs.length) return;
      const s = process.hrtime.bigint();
      const res = await fetch(`${srv.url}/healthz`);
      await res.arrayBuffer();
      assert.equal(res.status, 200);
      blat.push(Number(process.hrtime.bigint() - s) / 1e6);
    }
  }
  const t2 = Date.now();
  await Promise.all(Array.from({ length: CLIENTS }, pinger));
  const bsecs = (Date.now() - t2) / 1000;
  blat.sort((x, y) => x - y);
  const bpct = (p) => blat[Math.min(blat.length - 1, Math.floor(blat.length * p))].toFixed(1);
  console.log(`\n| ${CLIENTS} clients, ${jobs.length} requests | requests/s | p50 ms | p99 ms | max ms |`);
  console.log('| --- | ---: | ---: | ---: | ---: |');
  console.log(`| baseline: GET /healthz | ${(jobs.length / bsecs).toFixed(0)} | ${bpct(0.5)} | ${bpct(0.99)} | ${blat[blat.length - 1].toFixed(1)} |`);
  console.log(`| ratings (${N} stored, ${N} refused 410) | ${(jobs.length / secs).toFixed(0)} | ${pct(0.5)} | ${pct(0.99)} | ${lat[lat.length - 1].toFixed(1)} |`);
  console.log(`\nratings/baseline: ${((jobs.length / secs) / (jobs.length / bsecs) * 100).toFixed(0)}% of the baseline's requests/s; p99 ${(Number(pct(0.99)) / Number(bpct(0.99))).toFixed(1)}×`);
} finally {
  await srv.stop();
}
