// lib-load.mjs: slow clients, a normal client's latency, percentiles, server RSS,
// and the figures `make proof` reads from build/proof/.
import net from 'node:net';
import http from 'node:http';
import { Worker } from 'node:worker_threads';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../http/lib.mjs';

export const PROOF = process.env.XIANGZHI_PROOF === '1';
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// The p-th percentile (0..100) of a list of numbers, nearest rank.
export function pct(xs, p) {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}

export function summary(xs) {
  const r = (x) => Math.round(x * 100) / 100;
  return { n: xs.length, p50: r(pct(xs, 50)), p95: r(pct(xs, 95)), p99: r(pct(xs, 99)), max: r(pct(xs, 100)) };
}

// The server's resident memory in KiB (VmRSS).
export function rssKiB(pid) {
  const m = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+) kB/m);
  return m ? Number(m[1]) : NaN;
}

// How many descriptors the server holds (sockets, database, logs).
export function fdCount(pid) {
  try { return readdirSync(`/proc/${pid}/fd`).length; } catch { return NaN; }
}

// Sample fdCount every `everyMs` until stop(); .max is the peak.
export function fdSampler(pid, everyMs = 100) {
  const st = { max: 0 };
  const t = setInterval(() => { st.max = Math.max(st.max, fdCount(pid)); }, everyMs);
  st.stop = () => { clearInterval(t); return st.max; };
  return st;
}

// This process's open-file soft limit: each slow client is a descriptor here too.
export function fdLimit() {
  const m = readFileSync('/proc/self/limits', 'utf8').match(/^Max open files\s+(\d+|unlimited)/m);
  return !m || m[1] === 'unlimited' ? Infinity : Number(m[1]);
}

export function writeProof(name, data) {
  const dir = join(ROOT, 'build', 'proof');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, name), `${JSON.stringify(data, null, 2)}\n`);
}

// The loopback addresses 127.0.0.<from>..127.0.0.<from+n-1> (Linux answers on all of 127/8).
export function loopbacks(from, n) {
  return Array.from({ length: n }, (_, i) => `127.0.0.${from + i}`);
}

// Slow clients: `perAddr` connections from each address, each sending one more byte of a
// request whose headers never end, every `everyMs`.  With `reconnect`, a connection the
// server closes is opened again after `reconnectMs` (as slowloris does).
export function slowClients(port, { addrs, perAddr, everyMs, reconnect = false, reconnectMs = 1000, bytes = null }) {
  const text = bytes ?? 'GET /login HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: slow\r\nX-Slow: ' + 'a'.repeat(20000);
  const st = {
    opened: 0, open: 0, peakOpen: 0, closedByServer: 0, refused: 0,
    lifetimes: [], stopped: false, sockets: new Set(),
  };
  const openOne = (addr) => {
    if (st.stopped) return;
    const s = net.connect({ host: '127.0.0.1', port, localAddress: addr });
    s.setNoDelay(true);
    let at = 0, sent = 0, timer = null, gotData = false;
    s.on('connect', () => {
      at = performance.now();
      st.opened++; st.open++; st.peakOpen = Math.max(st.peakOpen, st.open);
      st.sockets.add(s);
      // Start at a random point of the interval so the bytes are spread out.
      const tick = () => {
        if (sent < text.length) s.write(text[sent++]);
        timer = setTimeout(tick, everyMs);
      };
      timer = setTimeout(tick, Math.random() * everyMs);
    });
    s.on('data', () => { gotData = true; });
    s.on('error', () => {});
    s.on('close', () => {
      clearTimeout(timer);
      st.sockets.delete(s);
      if (st.stopped) { if (at) st.open--; return; }
      if (at === 0) st.refused++;      // turned away before the handshake ended
      else {
        st.open--;
        const life = performance.now() - at;
        if (life < 500 && !gotData) st.refused++;
        else { st.closedByServer++; st.lifetimes.push(life); }
      }
      if (reconnect) setTimeout(() => openOne(addr), reconnectMs);
    });
  };
  for (const a of addrs) for (let i = 0; i < perAddr; i++) openOne(a);
  st.stop = () => {
    st.stopped = true;
    for (const s of st.sockets) s.destroy();
  };
  return st;
}

// One GET on a new connection; resolves { ms, status } or { ms, error }.
export function getOnce(port, path, { localAddress = '127.0.0.1', timeoutMs = 5000 } = {}) {
  const t0 = performance.now();
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path, localAddress, agent: false,
      headers: { connection: 'close' } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ ms: performance.now() - t0, status: res.statusCode }));
      res.on('error', (e) => resolve({ ms: performance.now() - t0, error: e.code ?? e.message }));
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error('timeout')));
    req.on('error', (e) => resolve({ ms: performance.now() - t0, error: e.code ?? e.message }));
  });
}

// A normal client fetching `path` every `everyMs` for `forMs`: latencies and failures.
export async function normalClient(port, { path = '/login', forMs, everyMs = 100, localAddress } = {}) {
  const lat = [], failures = [];
  const end = performance.now() + forMs;
  while (performance.now() < end) {
    const r = await getOnce(port, path, { localAddress });
    if (r.status === 200) lat.push(r.ms);
    else failures.push(r.error ?? `status ${r.status}`);
    await sleep(everyMs);
  }
  return { lat, failures };
}

// slowClients() on a worker thread: { stats(), stop() } both resolve with the counters.
export function slowClientsAside(port, opts) {
  const w = new Worker(new URL('./slow-worker.mjs', import.meta.url), { workerData: { port, opts } });
  const ask = (m) => new Promise((resolve) => { w.once('message', resolve); w.postMessage(m); });
  return {
    stats: () => ask('stats'),
    stop: async () => { const s = await ask('stop'); await w.terminate(); return s; },
  };
}
