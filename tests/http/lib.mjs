// lib.mjs: start a real xiangzhi server on a fresh database, and speak HTTP to it.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = join(ROOT, 'xiangzhi');

// Run a xiangzhi subcommand; returns { status, stdout, stderr }.
export function cli(args, { input, env } = {}) {
  try {
    const stdout = execFileSync(BIN, args, {
      input, env: { ...process.env, ...env }, encoding: 'utf8',
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    return { status: 0, stdout, stderr: '' };
  } catch (e) {
    return { status: e.status, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

// Parse the demo's login lines: "  <role>  <login>  <password>  <label>  <name>".
export function parseDemo(text) {
  const logins = {};
  for (const line of text.split('\n')) {
    const m = line.match(/^\s+([a-z]+)\s{2,}(\S+)\s{2,}(\S+)\s{2,}/);
    if (!m) continue;
    const [, role, login, password] = m;
    const key = logins[role] ? `${role}2` : role;  // the second village cadre
    logins[key] = { login, password };
  }
  return logins;
}

// Start a server on a fresh database (with the demo township unless demo:false).
//   clock: true runs the server under libfaketime; srv.setClock('+31m') then
//   moves its wall clock (monotonic time is left alone).
export async function startServer({ demo = true, env = {}, args = [], clock = false } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'xz-test-'));
  const clockFile = join(dir, 'clock');
  if (clock) {
    writeFileSync(clockFile, '+0\n');
    env = {
      LD_PRELOAD: '/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1',
      FAKETIME_TIMESTAMP_FILE: clockFile, FAKETIME_NO_CACHE: '1',
      DONT_FAKE_MONOTONIC: '1',
      // Under ASan (make asan) libfaketime is preloaded before the runtime.
      ASAN_OPTIONS: `${process.env.ASAN_OPTIONS ?? ''}:verify_asan_link_order=0`,
      ...env,
    };
  }
  const db = join(dir, 'x.db');
  let r = cli(['init', '--db', db]);
  if (r.status !== 0) throw new Error(`init failed: ${r.stderr}`);
  let logins = {};
  if (demo) {
    r = cli(['demo', '--db', db]);
    if (r.status !== 0) throw new Error(`demo failed: ${r.stderr}`);
    logins = parseDemo(r.stdout);
  }
  const fullEnv = {
    ...process.env,
    XIANGZHI_DEV: '1',
    XIANGZHI_LOGIN_RATE: '100000',
    // Clocks jump by months in tests; 42-stale-accounts turns this back on.
    XIANGZHI_INACTIVE_DAYS: '0',
    ...env,
  };
  const proc = spawn(BIN, ['serve', '--db', db, '--listen', '127.0.0.1:0', ...args],
    { env: fullEnv, stdio: ['ignore', 'pipe', 'pipe'] });
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
  const server = {
    url: `http://127.0.0.1:${port}`, port, dir, db, logins, proc,
    log: () => err,
    // Written aside and renamed: libfaketime rereads the file on every call
    // and must never see it half-written (empty means "no offset").
    setClock: (offset) => {
      writeFileSync(`${clockFile}.new`, `${offset}\n`);
      renameSync(`${clockFile}.new`, clockFile);
    },
    cli: (a, o) => cli([...a, '--db', db], o),
    client: () => new Client(`http://127.0.0.1:${port}`),
    // A client signed in as a demo role ("leader", "village", "village2", ...).
    as: async (role) => {
      const c = new Client(`http://127.0.0.1:${port}`);
      const who = logins[role];
      if (!who) throw new Error(`no demo login for ${role}`);
      const res = await c.login(who.login, who.password);
      if (res.status !== 200) throw new Error(`sign-in as ${role}: ${res.status} ${await res.text()}`);
      return c;
    },
    // SIGTERM must end the server cleanly (exit 0); under ASan that also
    // means LeakSanitizer found nothing.
    stop: async () => {
      let code = proc.exitCode;
      if (code === null) {
        const done = new Promise((res) => proc.on('exit', (c, sig) => res(c ?? sig)));
        proc.kill('SIGTERM');
        code = await done;
      }
      rmSync(dir, { recursive: true, force: true });
      if (code !== 0) throw new Error(`server exited ${code}:\n${err.slice(-3000)}`);
    },
  };
  return server;
}

// A browser-like client: a cookie jar, the CSRF token, no automatic redirects.
export class Client {
  constructor(base) {
    this.base = base;
    this.cookies = new Map();
    this.csrf = null;
  }

  cookieHeader() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  remember(res) {
    for (const c of res.headers.getSetCookie()) {
      const [pair, ...attrs] = c.split(';');
      const i = pair.indexOf('=');
      const name = pair.slice(0, i).trim();
      const value = pair.slice(i + 1).trim();
      if (attrs.some((a) => /max-age=0/i.test(a)) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  // method, path, { json, form, headers, csrf: false to leave the token out }
  async req(method, path, { json, form, body, headers = {}, csrf = true } = {}) {
    const h = { ...headers };
    if (this.cookies.size) h.cookie = this.cookieHeader();
    if (csrf && this.csrf && method !== 'GET' && method !== 'HEAD') h['x-csrf-token'] = this.csrf;
    let b = body;
    if (json !== undefined) { h['content-type'] = 'application/json'; b = JSON.stringify(json); }
    if (form !== undefined) {
      h['content-type'] = 'application/x-www-form-urlencoded';
      b = new URLSearchParams(form).toString();
    }
    const res = await fetch(this.base + path, { method, headers: h, body: b, redirect: 'manual' });
    this.remember(res);
    return res;
  }

  get(path, o) { return this.req('GET', path, o); }
  post(path, json, o = {}) { return this.req('POST', path, { json, ...o }); }
  patch(path, json, o = {}) { return this.req('PATCH', path, { json, ...o }); }
  delete(path, o) { return this.req('DELETE', path, o); }

  async login(login, password) {
    const res = await this.post('/api/v1/session', { login, password }, { csrf: false });
    if (res.status === 200) {
      const j = await res.clone().json();
      this.csrf = j.csrf;
    }
    return res;
  }

  // Fetch a page and return its form's hidden csrf value (pages, not the API).
  async pageCsrf(path) {
    const res = await this.get(path);
    const html = await res.text();
    const m = html.match(/name="csrf" value="([^"]+)"/);
    return m ? m[1] : null;
  }

  // Submit a page form like a browser: csrf from the page, urlencoded body.
  async submit(path, fields, { from = path } = {}) {
    const token = await this.pageCsrf(from);
    return this.req('POST', path, { form: { csrf: token, ...fields }, csrf: false });
  }
}

export async function json(res) {
  const t = await res.text();
  try { return JSON.parse(t); } catch { throw new Error(`not JSON (${res.status}): ${t.slice(0, 300)}`); }
}
