// lib-admin.mjs: helpers for the limits, headers, admin and password suites
// (raw sockets, uncompressed HTTP, sqlite3, paging through the audit log).
import net from 'node:net';
import http from 'node:http';
import { execFileSync } from 'node:child_process';

// Parse the first HTTP/1.1 response in "buf" (a Buffer).  Returns null while
// it is incomplete: headers not all in, or fewer body bytes than promised.
export function parseResponse(buf) {
  const end = buf.indexOf('\r\n\r\n');
  if (end < 0) return null;
  const head = buf.subarray(0, end).toString('latin1');
  const [statusLine, ...lines] = head.split('\r\n');
  const m = statusLine.match(/^HTTP\/1\.[01] (\d{3})/);
  if (!m) return { status: 0, headers: {}, body: Buffer.alloc(0), head };
  const headers = {};
  for (const l of lines) {
    const i = l.indexOf(':');
    const k = l.slice(0, i).trim().toLowerCase();
    const v = l.slice(i + 1).trim();
    headers[k] = headers[k] === undefined ? v : `${headers[k]}, ${v}`;
  }
  const rest = buf.subarray(end + 4);
  const len = headers['content-length'] !== undefined ? Number(headers['content-length']) : null;
  if (len !== null && rest.length < len) return null;
  const body = len !== null ? rest.subarray(0, len) : rest;
  return { status: Number(m[1]), headers, body, head, extra: len !== null ? rest.subarray(len) : Buffer.alloc(0) };
}

// Send "chunks" (strings or Buffers, written in order) on a fresh TCP
// connection and collect what comes back.  Resolves when the server closes
// the connection, or "timeout" ms pass, or (stopAtResponse) as soon as one
// whole response is in.  Returns { res, raw, closed, error }, where res is
// the first parsed response (or null) and closed says the server ended the
// connection by itself.
export function rawRequest(port, chunks, { timeout = 5000, stopAtResponse = false, gapMs = 0 } = {}) {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    let buf = Buffer.alloc(0);
    let error = null;
    let closed = false;
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      s.destroy();
      resolve({ res: parseResponse(buf), raw: buf, closed, error });
    };
    const timer = setTimeout(finish, timeout);
    s.on('data', (d) => {
      buf = Buffer.concat([buf, d]);
      if (stopAtResponse && parseResponse(buf)) finish();
    });
    s.on('error', (e) => { error = e.code; });
    s.on('end', () => { closed = true; });
    s.on('close', () => { closed = true; finish(); });
    s.on('connect', async () => {
      for (const c of chunks) {
        if (!s.writable || done) break;
        s.write(c);
        if (gapMs) await new Promise((r) => setTimeout(r, gapMs));
      }
    });
  });
}

// How many HTTP responses begin in "buf".
export function countResponses(buf) {
  return (buf.toString('latin1').match(/HTTP\/1\.[01] \d{3} /g) || []).length;
}

// One request through node:http: no automatic Accept-Encoding and no
// decompression, so the bytes are what the server sent.
export function plainRequest(port, path, { method = 'GET', headers = {}, body } = {}) {
  return new Promise((resolve, reject) => {
    const r = http.request({ host: '127.0.0.1', port, path, method, headers, agent: false }, (res) => {
      const parts = [];
      res.on('data', (d) => parts.push(d));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(parts) }));
      res.on('error', reject);
    });
    r.on('error', reject);
    if (body !== undefined) r.write(body);
    r.end();
  });
}

// Run SQL with the sqlite3 shell: { status, stdout, stderr }.
export function sqlite(db, sql) {
  try {
    const stdout = execFileSync('sqlite3', ['-cmd', '.timeout 5000', db, sql],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return { status: 0, stdout, stderr: '' };
  } catch (e) {
    return { status: e.status, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

// Every audit record the client may see for "query" (newest first),
// following the "next" cursor; also the raw JSON texts of all pages.
export async function auditAll(client, query = '') {
  const items = [];
  const texts = [];
  let after = null;
  for (let page = 0; page < 1000; page++) {
    const q = new URLSearchParams(query);
    q.set('limit', '200');
    if (after) q.set('after', after);
    const res = await client.get(`/api/v1/audit?${q}`);
    if (res.status !== 200) throw new Error(`audit list: ${res.status} ${await res.text()}`);
    const text = await res.text();
    texts.push(text);
    const body = JSON.parse(text);
    items.push(...body.items);
    if (!body.next) break;
    after = body.next;
  }
  return { items, text: texts.join('\n') };
}

