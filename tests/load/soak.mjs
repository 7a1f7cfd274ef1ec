// soak.mjs: sixty cadres of the demo township at work on one server: each signs in from
// its own address (the real login throttle applies), then reads (home, ledgers, matter
// pages, people, visits) nine times in ten and writes (registers a petition, accepts one,
// adds a note) one time in ten, pausing between clicks.  Returns the figures.
import http from 'node:http';
import { randomBytes } from 'node:crypto';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { BIN } from '../http/lib.mjs';
import { sleep, summary, rssKiB } from './lib-load.mjs';

const run = promisify(execFile);

// A password the policy accepts and that shares no pattern with the others.
const password = () => `Q${randomBytes(9).toString('base64').replace(/[+/=]/g, 'x')}#7k`;

// Who the sixty are: the demo's five ledger accounts plus synthetic ones, roughly a
// township's mix (most are village and station cadres).
const MIX = [['leader', 1], ['member', 6], ['staff', 20], ['village', 28]];

// Create the synthetic accounts through the CLI (each one hashes a password: two at a time).
async function addAccounts(srv, villages, n) {
  const want = [];
  let k = 0;
  for (const [role, count] of MIX) {
    for (let i = 0; i < count && want.length < n; i++) {
      const login = `soak${String(++k).padStart(2, '0')}`;
      const v = role === 'village' ? villages[i % villages.length].name : null;
      want.push({ role, login, password: password(), village: v });
    }
  }
  const add = async (a) => {
    const args = ['user', 'add', a.login, '--role', a.role, '--password-stdin', '--db', srv.db];
    if (a.village) args.push('--village', a.village);
    const p = run(BIN, args);
    p.child.stdin.end(`${a.password}\n`);
    await p;
  };
  for (let i = 0; i < want.length; i += 2) await Promise.all(want.slice(i, i + 2).map(add));
  return want;
}

// One cadre: an agent that keeps its connections alive, bound to its own address.
class Cadre {
  constructor(port, who, addr) {
    this.port = port;
    this.who = who;
    this.addr = addr;
    this.agent = new http.Agent({ keepAlive: true, maxSockets: 2 });
    this.cookie = '';
    this.csrf = null;
    this.matters = [];      // ids this cadre can see
  }

  req(method, path, body, { csrf = true, timeoutMs = 10000 } = {}) {
    const headers = {};
    if (this.cookie) headers.cookie = this.cookie;
    let data;
    if (body !== undefined) {
      data = Buffer.from(JSON.stringify(body));
      headers['content-type'] = 'application/json';
      headers['content-length'] = data.length;
    }
    if (csrf && this.csrf && method !== 'GET') headers['x-csrf-token'] = this.csrf;
    const t0 = performance.now();
    return new Promise((resolve) => {
      const r = http.request({
        host: '127.0.0.1', port: this.port, path, method, headers, agent: this.agent,
        localAddress: this.addr,
      }, (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          for (const c of res.headers['set-cookie'] ?? []) this.setCookie(c.split(';')[0]);
          resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString(), ms: performance.now() - t0 });
        });
        res.on('error', (e) => resolve({ status: 0, error: e.message, ms: performance.now() - t0 }));
      });
      r.setTimeout(timeoutMs, () => r.destroy(new Error('timeout')));
      r.on('error', (e) => resolve({ status: 0, error: e.message, ms: performance.now() - t0 }));
      r.end(data);
    });
  }

  setCookie(pair) {
    const jar = new Map(this.cookie ? this.cookie.split('; ').map((p) => [p.slice(0, p.indexOf('=')), p]) : []);
    const name = pair.slice(0, pair.indexOf('=')).trim();
    if (pair.slice(pair.indexOf('=') + 1).trim() === '') jar.delete(name);
    else jar.set(name, pair.trim());
    this.cookie = [...jar.values()].join('; ');
  }

  async signIn() {
    // Hashing waits for a slot (two at a time) and so can take seconds in a burst; a
    // browser waits that long too.
    const r = await this.req('POST', '/api/v1/session', { login: this.who.login, password: this.who.password },
      { csrf: false, timeoutMs: 60000 });
    if (r.status === 200) this.csrf = JSON.parse(r.body).csrf;
    return r;
  }
}

function pick(xs) { return xs[Math.floor(Math.random() * xs.length)]; }

const today = () => new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);

// The reads, weighted like a day's clicks.
const READS = [
  [20, () => '/'],
  [20, () => '/matters'],
  [10, () => '/api/v1/matters?limit=20'],
  [4, () => '/matters?due_soon=1'],
  [4, () => '/matters?state=accepted&q=%E9%81%93%E8%B7%AF'],
  [22, (c) => (c.matters.length ? `/matters/${pick(c.matters)}` : '/matters')],
  [10, () => '/people'],
  [5, () => '/visits'],
  [5, () => '/visits/coverage'],
];
const READ_TOTAL = READS.reduce((s, [w]) => s + w, 0);

function readPath(c) {
  let x = Math.random() * READ_TOTAL;
  for (const [w, f] of READS) { if ((x -= w) < 0) return f(c); }
  return '/';
}

const HANDLER = new Set(['leader', 'member', 'staff']);

// A write: register a petition, accept a registered one (handlers), or add a note.
async function write(c, n) {
  const x = Math.random();
  if (x < 0.5 || c.matters.length === 0) {
    const r = await c.req('POST', '/api/v1/matters', {
      type: 'petition', title: `浸泡测试来访 ${n}`, body: '群众反映道路破损，请求修复。', source: 'visit',
      details: { received_at: today(), petitioners: [{ name: '测试乙', sex: 'F', age: 47, phone: '13800000002' }] },
    });
    if (r.status === 201) c.matters.push(JSON.parse(r.body).id);
    return { kind: 'register', ...r, ok: r.status === 201 };
  }
  if (x < 0.75 && HANDLER.has(c.who.role)) {
    const l = await c.req('GET', '/api/v1/matters?state=registered&limit=20');
    const items = l.status === 200 ? JSON.parse(l.body).items : [];
    if (items.length) {
      const r = await c.req('POST', `/api/v1/matters/${pick(items).id}/accept`, {});
      // Another cadre may have accepted it first: 409 is the product's right answer.
      return { kind: 'accept', ...r, ok: r.status === 200 || r.status === 409 };
    }
  }
  const r = await c.req('POST', `/api/v1/matters/${pick(c.matters)}/note`, { note: `浸泡测试备注 ${n}` });
  return { kind: 'note', ...r, ok: r.status === 200 || r.status === 201 };
}

// Run the soak.  durationMs: the measured part, after everyone has signed in; RSS after its
// first sixth (at most 30 s) is the reference for "flat".
export async function soak(srv, { cadres = 60, durationMs = 60000, signInMs = 15000, thinkMs = [500, 1500], log = () => {} } = {}) {
  const villages = [];
  const pid = srv.proc.pid;
  // The demo's ledger accounts, then synthetic ones.
  const demo = ['leader', 'member', 'staff', 'village', 'village2'].map((r) => ({
    role: r.replace(/2$/, ''), ...srv.logins[r],
  }));
  const lead = new Cadre(srv.port, demo[0], '127.0.1.1');
  assert(await lead.signIn(), 200, 'demo leader signs in');
  const vs = JSON.parse((await lead.req('GET', '/api/v1/villages')).body).items;
  villages.push(...vs);
  const t0 = performance.now();
  const synth = await addAccounts(srv, villages, cadres - demo.length);
  const setupMs = performance.now() - t0;
  const people = [...demo, ...synth].slice(0, cadres);
  const cs = people.map((p, i) => new Cadre(srv.port, p, `127.0.1.${i + 1}`));

  const lat = { read: [], write: [], login: [] };
  const errors = [];
  const counts = { read: 0, write: 0, login: 0, register: 0, accept: 0, note: 0 };
  const rss = [];
  const sample = (label) => rss.push({ t_s: Math.round((performance.now() - start) / 1000), label, kib: rssKiB(pid) });
  let start = performance.now();
  sample('before sign-in');

  // Sign-in: each from its own address (the throttle is per address), arriving over
  // signInMs as a morning does.  A 429 "busy" (all hashing slots taken, Retry-After) is the
  // product's back-pressure: the cadre waits as told and tries again; counted, not an error.
  let busy = 0;
  await Promise.all(cs.map(async (c, i) => {
    await sleep((i / cs.length) * signInMs);
    for (;;) {
      const r = await c.signIn();
      counts.login++;
      lat.login.push(r.ms);
      if (r.status === 429 && /"busy"/.test(r.body) && busy < cs.length) {
        busy++;
        await sleep(2000);
        continue;
      }
      if (r.status !== 200) errors.push({ what: `sign-in ${c.who.login}`, status: r.status, body: (r.body ?? r.error ?? '').slice(0, 200) });
      break;
    }
    const l = await c.req('GET', '/api/v1/matters?limit=50');
    if (l.status === 200) c.matters = JSON.parse(l.body).items.map((m) => m.id);
  }));
  // A write without the CSRF token is refused (and is not counted as a write).
  const noCsrf = await cs[0].req('POST', `/api/v1/matters/${cs[0].matters[0]}/note`, { note: 'x' }, { csrf: false });

  start = performance.now();
  const end = start + durationMs;
  const warmAt = Math.min(30000, durationMs / 6);
  let warm = null, n = 0;
  const sampler = setInterval(() => sample('during'), Math.max(5000, durationMs / 20));
  const warmTimer = setTimeout(() => { sample('after warm-up'); warm = rss[rss.length - 1].kib; }, warmAt);
  const midTimer = setTimeout(() => sample('middle'), durationMs / 2);

  await Promise.all(cs.map(async (c) => {
    await sleep(Math.random() * thinkMs[1]);
    while (performance.now() < end) {
      if (Math.random() < 0.9) {
        const path = readPath(c);
        const r = await c.req('GET', path);
        counts.read++;
        if (r.status === 200) lat.read.push(r.ms);
        else errors.push({ what: `GET ${path} as ${c.who.role}`, status: r.status, body: (r.body ?? r.error ?? '').slice(0, 200) });
      } else {
        const r = await write(c, ++n);
        counts.write++;
        counts[r.kind]++;
        if (r.ok) lat.write.push(r.ms);
        else errors.push({ what: `${r.kind} as ${c.who.role}`, status: r.status, body: (r.body ?? r.error ?? '').slice(0, 200) });
      }
      await sleep(thinkMs[0] + Math.random() * (thinkMs[1] - thinkMs[0]));
    }
  }));
  clearInterval(sampler);
  clearTimeout(warmTimer);
  clearTimeout(midTimer);
  sample('end');
  for (const c of cs) c.agent.destroy();
  const endKib = rss[rss.length - 1].kib;
  warm ??= rss.find((s) => s.label === 'during')?.kib ?? rss[0].kib;
  const elapsed = (performance.now() - start) / 1000;
  const out = {
    cadres: cs.length, roles: Object.fromEntries(['leader', 'member', 'staff', 'village'].map((r) => [r, people.filter((p) => p.role === r).length])),
    duration_s: Math.round(elapsed), think_ms: thinkMs, sign_in_spread_s: signInMs / 1000, sign_in_busy_retries: busy, account_setup_s: Math.round(setupMs / 100) / 10,
    requests: counts.read + counts.write, counts, per_second: Math.round(((counts.read + counts.write) / elapsed) * 10) / 10,
    errors: errors.length, first_errors: errors.slice(0, 10),
    no_csrf_status: noCsrf.status,
    latency_ms: { read: summary(lat.read), write: summary(lat.write), login: summary(lat.login) },
    rss_kib: { start: rss[0].kib, after_warm_up: warm, middle: rss.find((s) => s.label === 'middle')?.kib ?? null, end: endKib, growth_after_warm_up: endKib - warm, samples: rss },
  };
  log(out);
  return out;
}

function assert(r, status, what) {
  if (r.status !== status) throw new Error(`${what}: ${r.status} ${r.body ?? r.error}`);
  return true;
}
