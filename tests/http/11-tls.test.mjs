// 11-tls: serving HTTPS directly through libmicrohttpd's GnuTLS support.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import https from 'node:https';
import { startServer } from './lib.mjs';

let srv, dir;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'xz-tls-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1',
    '-subj', '/CN=127.0.0.1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')],
  { stdio: 'ignore' });
  srv = await startServer({ args: ['--tls-cert', join(dir, 'cert.pem'), '--tls-key', join(dir, 'key.pem')] });
});
after(async () => {
  await srv?.stop();
  rmSync(dir, { recursive: true, force: true });
});

// A self-signed certificate: the test trusts it explicitly, nothing else.
function get(path, { method = 'GET', body, headers = {} } = {}) {
  return new Promise((resolve, reject) => {
    const req = https.request({
      host: '127.0.0.1', port: srv.port, path, method, headers, rejectUnauthorized: false,
    }, (res) => {
      let data = '';
      res.on('data', (d) => { data += d; });
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: data }));
    });
    req.on('error', reject);
    if (body) req.write(body);
    req.end();
  });
}

test('pages are served over TLS with HSTS', async () => {
  const r = await get('/login');
  assert.equal(r.status, 200);
  assert.match(r.headers['strict-transport-security'], /max-age=\d+/);
  assert.match(r.body, /登录/);
});

test('the session cookie over TLS is __Host- prefixed and Secure', async () => {
  const { login, password } = srv.logins.leader;
  const r = await get('/api/v1/session', {
    method: 'POST', body: JSON.stringify({ login, password }),
    headers: { 'content-type': 'application/json' },
  });
  assert.equal(r.status, 200);
  const cookie = r.headers['set-cookie'].find((c) => c.startsWith('__Host-xz='));
  assert.ok(cookie, 'a __Host-xz cookie');
  assert.match(cookie, /; Secure/);
  assert.match(cookie, /HttpOnly/);
  assert.match(cookie, /Path=\//);
  assert.doesNotMatch(cookie, /Domain=/i);
  const me = await get('/api/v1/me', { headers: { cookie: cookie.split(';')[0] } });
  assert.equal(me.status, 200);
});

test('plain HTTP to the TLS port gets no page', async () => {
  const res = await fetch(`http://127.0.0.1:${srv.port}/login`).then((r) => r.status, () => 'refused');
  assert.notEqual(res, 200);
});
