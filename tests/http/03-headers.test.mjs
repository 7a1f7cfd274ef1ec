// 03-headers: security headers on every response, caching, gzip, static files, metrics.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { startServer, json } from './lib.mjs';
import { plainRequest, rawRequest } from './lib-admin.mjs';

let srv;
let leader;
before(async () => {
  srv = await startServer();
  leader = await srv.as('leader');
});
after(async () => { await srv.stop(); });

// node:http, so nothing is added or decompressed behind our back.
function req(path, o = {}) {
  return plainRequest(srv.port, path, o);
}

function signedIn(path, o = {}) {
  return req(path, { ...o, headers: { cookie: leader.cookieHeader(), ...(o.headers ?? {}) } });
}

// The security headers every response must carry.
function assertSecurityHeaders(h, what) {
  const csp = h['content-security-policy'];
  assert.ok(csp, `${what}: Content-Security-Policy present`);
  assert.match(csp, /(^|;)\s*default-src 'self'(;|$)/, `${what}: default-src 'self'`);
  assert.match(csp, /frame-ancestors 'none'/, `${what}: frame-ancestors 'none'`);
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/, `${what}: no unsafe-inline`);
  assert.equal(h['x-content-type-options'], 'nosniff', `${what}: nosniff`);
  assert.ok(h['referrer-policy'], `${what}: Referrer-Policy present`);
  assert.match(h['referrer-policy'], /^(no-referrer|same-origin|strict-origin|strict-origin-when-cross-origin)$/,
    `${what}: a Referrer-Policy that does not leak paths`);
}

function assertNoStore(h, what) {
  assert.match(h['cache-control'] ?? '', /no-store/, `${what}: Cache-Control: no-store`);
}

// --- every kind of dynamic response ---------------------------------------

const dynamic = [
  ['a page (signed in)', () => signedIn('/people'), 200, /^text\/html; charset=utf-8$/i],
  ['the sign-in page', () => req('/login'), 200, /^text\/html; charset=utf-8$/i],
  ['an API answer', () => signedIn('/api/v1/people?limit=2'), 200, /^application\/json; charset=utf-8$/i],
  ['a page 404', () => req('/no-such-page'), 404, /^text\/html; charset=utf-8$/i],
  ['an API 404', () => req('/api/v1/no-such-thing'), 404, /^application\/json; charset=utf-8$/i],
  ['an API 401', () => req('/api/v1/people'), 401, /^application\/json; charset=utf-8$/i],
  ['an API 403', () => signedIn('/api/v1/audit'), 403, /^application\/json; charset=utf-8$/i],
  ['a 303 redirect to sign-in', () => req('/people'), 303, null],
  ['a 405', () => req('/api/v1/me', { method: 'PUT' }), 405, /^application\/json; charset=utf-8$/i],
  ['/healthz', () => req('/healthz'), 200, /^text\/plain; charset=utf-8$/i],
  ['/metrics', () => req('/metrics'), 200, /^text\/plain;.*charset=utf-8/i],
];

for (const [what, fetchIt, status, ctype] of dynamic) {
  test(`${what}: status ${status} with CSP, nosniff, Referrer-Policy`, async () => {
    const r = await fetchIt();
    assert.equal(r.status, status);
    assertSecurityHeaders(r.headers, what);
  });
  test(`${what}: Cache-Control: no-store`, async () => {
    const r = await fetchIt();
    assertNoStore(r.headers, what);
  });
  if (ctype) {
    test(`${what}: Content-Type with charset`, async () => {
      const r = await fetchIt();
      assert.match(r.headers['content-type'], ctype);
    });
  }
}

test('the 303 redirect goes to sign-in with the page to come back to', async () => {
  const r = await req('/people');
  assert.equal(r.headers.location, '/login?next=%2Fpeople');
});

test('an error page says what happened in Chinese', async () => {
  const r = await req('/no-such-page');
  assert.match(r.body.toString('utf8'), /没有找到/);
});

test('an error raised before routing (400 bad path) still carries the security headers', async () => {
  const r = await rawRequest(srv.port, ['GET /%zz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n']);
  assert.equal(r.res.status, 400);
  assertSecurityHeaders(r.res.headers, '400');
  assertNoStore(r.res.headers, '400');
});

// --- static files ----------------------------------------------------------

test('a static file is served with the right type, an ETag and a long Cache-Control', async () => {
  const r = await req('/static/app.css');
  assert.equal(r.status, 200);
  assert.equal(r.headers['content-type'], 'text/css; charset=utf-8');
  assert.match(r.headers.etag, /^"[0-9a-f]{8,}"$/);
  assert.match(r.headers['cache-control'], /max-age=31536000/);
  assert.doesNotMatch(r.headers['cache-control'], /no-store|no-cache|private/);
  assert.ok(r.body.length > 1000);
  assert.equal(r.headers['content-encoding'], undefined, 'not compressed when not asked');
});

test('a static file has CSP (frame-ancestors none, no unsafe-inline) and nosniff', async () => {
  const r = await req('/static/app.css');
  const csp = r.headers['content-security-policy'];
  assert.ok(csp);
  // A file may be stricter than the pages: default-src 'none' is fine too.
  assert.match(csp, /default-src '(self|none)'/);
  assert.match(csp, /frame-ancestors 'none'/);
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
  assert.equal(r.headers['x-content-type-options'], 'nosniff');
});

test('a static file carries Referrer-Policy', async () => {
  const r = await req('/static/app.css');
  assert.ok(r.headers['referrer-policy']);
});

test('If-None-Match with the ETag gets 304 and no body', async () => {
  const first = await req('/static/app.css');
  const r = await req('/static/app.css', { headers: { 'if-none-match': first.headers.etag } });
  assert.equal(r.status, 304);
  assert.equal(r.body.length, 0);
  assert.equal(r.headers.etag, first.headers.etag);
});

test('If-None-Match with another ETag gets the file again', async () => {
  const r = await req('/static/app.css', { headers: { 'if-none-match': '"0000000000000000"' } });
  assert.equal(r.status, 200);
  assert.ok(r.body.length > 0);
});

test('a static file is gzipped when asked, and unzips to the same bytes', async () => {
  const plain = await req('/static/app.css');
  const gz = await req('/static/app.css', { headers: { 'accept-encoding': 'gzip' } });
  assert.equal(gz.status, 200);
  assert.equal(gz.headers['content-encoding'], 'gzip');
  assert.match(gz.headers.vary ?? '', /Accept-Encoding/i);
  assert.ok(gz.body.length < plain.body.length, 'smaller');
  assert.ok(gunzipSync(gz.body).equals(plain.body), 'same bytes');
  assert.equal(gz.headers.etag, plain.headers.etag);
});

test('the page links the stylesheet with its ETag as version', async () => {
  const css = await req('/static/app.css');
  const page = await req('/login');
  const tag = css.headers.etag.replace(/"/g, '').slice(0, 8);
  assert.match(page.body.toString('utf8'), new RegExp(`/static/app\\.css\\?v=${tag}`));
});

test('/static/../Makefile is not served (raw path, not normalised by the client)', async () => {
  const r = await rawRequest(srv.port, ['GET /static/../Makefile HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n']);
  assert.equal(r.res.status, 404);
  assert.doesNotMatch(r.res.body.toString('latin1'), /CFLAGS|xiangzhi:/);
});

test('/static/%2e%2e/Makefile is not served either', async () => {
  const r = await rawRequest(srv.port, ['GET /static/%2e%2e/Makefile HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n']);
  assert.equal(r.res.status, 404);
  assert.doesNotMatch(r.res.body.toString('latin1'), /CFLAGS/);
});

test('/static/nope.css gets 404', async () => {
  const r = await req('/static/nope.css');
  assert.equal(r.status, 404);
});

test('a static 404 carries the security headers', async () => {
  const r = await req('/static/nope.css');
  const h = r.headers;
  // Static answers use the stricter default-src 'none'.
  assert.match(h['content-security-policy'] ?? '', /default-src '(none|self)'/);
  assert.match(h['content-security-policy'], /frame-ancestors 'none'/);
  assert.equal(h['x-content-type-options'], 'nosniff');
  assert.equal(h['referrer-policy'], 'same-origin');
  assertNoStore(h, 'static 404');
});

// --- compression of dynamic responses ---------------------------------------

test('an HTML page is gzipped when asked and large enough, and unzips to the page', async () => {
  const gz = await signedIn('/people', { headers: { 'accept-encoding': 'gzip' } });
  assert.equal(gz.status, 200);
  assert.equal(gz.headers['content-encoding'], 'gzip');
  assert.match(gz.headers.vary ?? '', /Accept-Encoding/i);
  const html = gunzipSync(gz.body).toString('utf8');
  assert.match(html, /^<!doctype html>/i);
  assert.match(html, /人员/);
  const plain = await signedIn('/people');
  assert.equal(plain.headers['content-encoding'], undefined);
  assert.ok(gz.body.length < plain.body.length);
});

test('a large JSON answer is gzipped when asked', async () => {
  const gz = await signedIn('/api/v1/people?limit=50', { headers: { 'accept-encoding': 'gzip' } });
  assert.equal(gz.headers['content-encoding'], 'gzip');
  const body = JSON.parse(gunzipSync(gz.body).toString('utf8'));
  assert.equal(body.items.length, 50);
});

test('a small response is not gzipped', async () => {
  const r = await req('/healthz', { headers: { 'accept-encoding': 'gzip' } });
  assert.equal(r.headers['content-encoding'], undefined);
  assert.equal(r.body.toString(), 'ok\n');
});

test('a page is not gzipped for a client that did not ask', async () => {
  const r = await signedIn('/people', { headers: { 'accept-encoding': 'identity' } });
  assert.equal(r.headers['content-encoding'], undefined);
  assert.match(r.body.toString('utf8'), /^<!doctype html>/i);
});

// --- health and metrics ------------------------------------------------------

test('/healthz returns "ok"', async () => {
  const r = await req('/healthz');
  assert.equal(r.status, 200);
  assert.equal(r.body.toString(), 'ok\n');
});

function counter(text, route, status) {
  const re = new RegExp(`^xiangzhi_requests_total\\{route="${route.replace(/[/*.]/g, '\\$&')}",status="${status}"\\} (\\d+)$`, 'm');
  const m = text.match(re);
  return m ? Number(m[1]) : 0;
}

async function metrics() {
  const r = await req('/metrics');
  assert.equal(r.status, 200);
  return r.body.toString('utf8');
}

test('/metrics is Prometheus text with TYPE lines', async () => {
  const t = await metrics();
  assert.match(t, /^# TYPE xiangzhi_requests_total counter$/m);
  assert.match(t, /^# TYPE xiangzhi_request_duration_seconds histogram$/m);
  assert.match(t, /^# TYPE xiangzhi_db_errors_total counter$/m);
  for (const line of t.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    assert.match(line, /^[a-z_]+(\{[a-z_]+="[^"]*"(,[a-z_]+="[^"]*")*\})? [0-9.e+-]+$/, `sample line: ${line}`);
  }
});

test('/metrics counts requests by route pattern, and the counters go up', async () => {
  await signedIn('/api/v1/people/1');
  const before = counter(await metrics(), '/api/v1/people/:id', '2xx');
  assert.ok(before >= 1, 'the route pattern, not the path, is the label');
  await signedIn('/api/v1/people/1');
  await signedIn('/api/v1/people/2');
  const afterCount = counter(await metrics(), '/api/v1/people/:id', '2xx');
  assert.equal(afterCount, before + 2);
});

test('/metrics counts 4xx separately from 2xx', async () => {
  const before = counter(await metrics(), '/api/v1/people', '4xx');
  await req('/api/v1/people');
  await req('/api/v1/people');
  assert.equal(counter(await metrics(), '/api/v1/people', '4xx'), before + 2);
});

test('/metrics never puts a concrete path or token into a label', async () => {
  await req('/activate/SecretTokenThatMustNotShowUpInMetrics0000000');
  await req('/people/12345');
  const t = await metrics();
  assert.doesNotMatch(t, /SecretTokenThatMustNotShowUp/);
  assert.doesNotMatch(t, /12345/);
  assert.match(t, /route="\/activate\/:token"/);
});

test('/metrics has a duration histogram with +Inf, _sum and _count', async () => {
  const t = await metrics();
  const buckets = [...t.matchAll(/^xiangzhi_request_duration_seconds_bucket\{le="([^"]+)"\} (\d+)$/gm)];
  assert.ok(buckets.length >= 5);
  assert.equal(buckets.at(-1)[1], '+Inf');
  const counts = buckets.map((b) => Number(b[2]));
  for (let i = 1; i < counts.length; i++) assert.ok(counts[i] >= counts[i - 1], 'buckets are cumulative');
  const count = Number(t.match(/^xiangzhi_request_duration_seconds_count (\d+)$/m)[1]);
  assert.equal(counts.at(-1), count, '+Inf bucket equals _count');
  assert.match(t, /^xiangzhi_request_duration_seconds_sum [0-9.]+$/m);
});

test('/metrics has xiangzhi_db_errors_total, at 0 on a healthy server', async () => {
  const t = await metrics();
  assert.match(t, /^xiangzhi_db_errors_total 0$/m);
});

// --- cookies -------------------------------------------------------------------

test('no page or API response sets a cookie without HttpOnly', async () => {
  const c = srv.client();
  const seen = [];
  const note = (r) => { for (const s of r.headers.getSetCookie()) seen.push(s); };
  note(await c.get('/login'));
  note(await c.get('/'));
  note(await c.get('/activate/NoSuchToken'));
  const { login, password } = srv.logins.member;
  note(await c.login(login, 'Wrong-Password-123'));
  note(await c.login(login, password));
  note(await c.get('/'));
  note(await c.get('/people'));
  note(await c.get('/api/v1/me'));
  note(await c.delete('/api/v1/session'));
  // A dead session cookie is cleared.
  note(await fetch(`${srv.url}/api/v1/me`, { headers: { cookie: `xz=${'A'.repeat(43)}` } }));
  note(await fetch(`${srv.url}/people`, { headers: { cookie: `xz=${'A'.repeat(43)}` }, redirect: 'manual' }));
  // The page form sign-in.
  const f = srv.client();
  note(await f.submit('/login', { login, password }));
  assert.ok(seen.length >= 4, `saw ${seen.length} cookies`);
  for (const s of seen) {
    assert.match(s, /;\s*HttpOnly/i, `HttpOnly on: ${s}`);
    assert.match(s, /;\s*SameSite=(Lax|Strict)/i, `SameSite on: ${s}`);
    assert.match(s, /;\s*Path=\//, `Path=/ on: ${s}`);
  }
});
