// 02-limits: HTTP framing and size limits over raw sockets; malformed bodies.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, json } from './lib.mjs';
import { rawRequest, countResponses, sqlite } from './lib-admin.mjs';

const MiB = 1024 * 1024;
let srv;
before(async () => { srv = await startServer(); });
after(async () => { await srv.stop(); });

// A normal request on a new connection: the server is still there.
async function assertAlive() {
  const r = await rawRequest(srv.port, ['GET /healthz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n']);
  assert.ok(r.res, `no answer from /healthz after the bad request (${r.error})`);
  assert.equal(r.res.status, 200);
  assert.equal(r.res.body.toString(), 'ok\n');
}

function get(target, extra = '') {
  return `GET ${target} HTTP/1.1\r\nHost: t\r\n${extra}Connection: close\r\n\r\n`;
}

function post(path, headers, body = '') {
  return `POST ${path} HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n${headers}\r\n${body}`;
}

// The JSON error body of a raw response.
function errorOf(res) {
  return JSON.parse(res.body.toString('utf8')).error;
}

// --- URL, headers --------------------------------------------------------

test('a URL just under 8 KiB is served', async () => {
  const r = await rawRequest(srv.port, [get(`/healthz?pad=${'a'.repeat(8000)}`)]);
  assert.equal(r.res.status, 200);
});

test('a URL over 8 KiB gets 414 (query string)', async () => {
  const r = await rawRequest(srv.port, [get(`/healthz?pad=${'a'.repeat(9000)}`)]);
  assert.equal(r.res.status, 414);
  await assertAlive();
});

test('a URL over 8 KiB gets 414 (path), with a Chinese page', async () => {
  const r = await rawRequest(srv.port, [get(`/${'a'.repeat(9000)}`)]);
  assert.equal(r.res.status, 414);
  assert.match(r.res.body.toString('utf8'), /网址过长/);
  await assertAlive();
});

test('an over-long API URL gets a 414 JSON error', async () => {
  const r = await rawRequest(srv.port, [get(`/api/v1/${'a'.repeat(9000)}`)]);
  assert.equal(r.res.status, 414);
  assert.match(r.res.headers['content-type'], /^application\/json/);
  assert.match(errorOf(r.res).message, /网址过长/);
});

test('a header block just under 32 KiB is served', async () => {
  const r = await rawRequest(srv.port, [get('/healthz', `X-Pad: ${'a'.repeat(30 * 1024)}\r\n`)]);
  assert.equal(r.res.status, 200);
});

test('one header over 32 KiB gets 431', async () => {
  const r = await rawRequest(srv.port, [get('/healthz', `X-Big: ${'a'.repeat(33 * 1024)}\r\n`)]);
  assert.equal(r.res.status, 431);
  await assertAlive();
});

test('1000 headers (about 40 KiB) get 431', async () => {
  let h = '';
  for (let i = 0; i < 1000; i++) h += `X-H${i}: ${'v'.repeat(30)}\r\n`;
  const r = await rawRequest(srv.port, [get('/healthz', h)]);
  assert.equal(r.res.status, 431);
  await assertAlive();
});

// --- bodies --------------------------------------------------------------

test('a JSON body of exactly 1 MiB is read (not 413)', async () => {
  const head = '{"login":"nobody-here","password":"Wrong-Password-123","pad":"';
  const tail = '"}';
  const body = head + 'a'.repeat(MiB - head.length - tail.length) + tail;
  assert.equal(Buffer.byteLength(body), MiB);
  const r = await rawRequest(srv.port, [post('/api/v1/session', `Content-Length: ${MiB}\r\nConnection: close\r\n`, body)],
    { timeout: 10000 });
  assert.equal(r.res.status, 401);
});

test('a 1 MiB + 1 body announced by Content-Length gets 413 before the body is sent', async () => {
  // Only the headers go out: the answer must come without waiting for the body.
  const r = await rawRequest(srv.port, [post('/api/v1/session', `Content-Length: ${MiB + 1}\r\n`)],
    { stopAtResponse: true, timeout: 3000 });
  assert.ok(r.res, 'an answer arrived before any body byte was sent');
  assert.equal(r.res.status, 413);
  assert.match(errorOf(r.res).message, /过大/);
  assert.match(r.res.headers.connection ?? '', /close/i);
  await assertAlive();
});

test('a 1 MiB + 1 chunked body gets 413', async () => {
  const big = Buffer.alloc(MiB + 1, 'a');
  const req = Buffer.concat([
    Buffer.from(post('/api/v1/session', 'Transfer-Encoding: chunked\r\nConnection: close\r\n')),
    Buffer.from(`${big.length.toString(16)}\r\n`), big, Buffer.from('\r\n0\r\n\r\n'),
  ]);
  const r = await rawRequest(srv.port, [req], { timeout: 10000 });
  assert.equal(r.res.status, 413);
  await assertAlive();
});

test('a 1 MiB + 1 body in many small chunks gets 413', async () => {
  const piece = Buffer.alloc(64 * 1024, 'b');
  const parts = [Buffer.from(post('/api/v1/session', 'Transfer-Encoding: chunked\r\nConnection: close\r\n'))];
  for (let i = 0; i < 16; i++) parts.push(Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from('\r\n'));
  parts.push(Buffer.from('1\r\nb\r\n0\r\n\r\n'));
  const r = await rawRequest(srv.port, [Buffer.concat(parts)], { timeout: 10000 });
  assert.equal(r.res.status, 413);
  await assertAlive();
});

test('a small chunked JSON body is read normally', async () => {
  const body = JSON.stringify({ login: 'nobody-here', password: 'Wrong-Password-123' });
  const r = await rawRequest(srv.port, [post('/api/v1/session', 'Transfer-Encoding: chunked\r\nConnection: close\r\n',
    `${Buffer.byteLength(body).toString(16)}\r\n${body}\r\n0\r\n\r\n`)]);
  assert.equal(r.res.status, 401);
});

test.skip('an upload route accepts bodies above 1 MiB (no upload route exists yet)', () => {});

// --- framing (request smuggling) -----------------------------------------

test('two Content-Length headers get 400 and the connection is closed', async () => {
  const r = await rawRequest(srv.port, [post('/api/v1/session', 'Content-Length: 2\r\nContent-Length: 2\r\n', '{}')]);
  assert.equal(r.res.status, 400);
  assert.ok(r.closed, 'the server closed the connection');
  await assertAlive();
});

test('two different Content-Length headers get 400', async () => {
  const r = await rawRequest(srv.port, [post('/api/v1/session', 'Content-Length: 2\r\nContent-Length: 40\r\n', '{}')]);
  assert.equal(r.res.status, 400);
  await assertAlive();
});

test('Content-Length with Transfer-Encoding gets 400, closes, and the smuggled request is never answered', async () => {
  const smuggled = 'GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n';
  const body = `0\r\n\r\n${smuggled}`;
  const r = await rawRequest(srv.port, [post('/api/v1/session',
    `Content-Length: ${body.length}\r\nTransfer-Encoding: chunked\r\n`, body)]);
  assert.equal(r.res.status, 400);
  assert.ok(r.closed, 'the server closed the connection');
  assert.equal(countResponses(r.raw), 1, 'one answer only');
  await assertAlive();
});

test('a bad chunk size gets 400 and the connection is closed', async () => {
  const r = await rawRequest(srv.port, [post('/api/v1/session', 'Transfer-Encoding: chunked\r\n', 'zz\r\n{}\r\n0\r\n\r\n')]);
  assert.equal(r.res.status, 400);
  assert.ok(r.closed, 'the server closed the connection');
  await assertAlive();
});

test('a non-numeric Content-Length gets 400', async () => {
  const r = await rawRequest(srv.port, [post('/api/v1/session', 'Content-Length: 2x\r\nConnection: close\r\n', '{}')]);
  assert.equal(r.res.status, 400);
  await assertAlive();
});

// SECURITY.md #46 asks for 400 on bare LF line ends too.
// BUG: GET /healthz HTTP/1.1\nHost: t\nConnection: close\n\n (bare LF, no CR)
// expected 400 and the connection closed; actual 200 "ok" (libmicrohttpd
// 0.9.75 accepts bare LF and server.c has no check of its own).
test.skip('a request with bare LF line ends gets 400 — BUG: bare LF accepted (200)', async () => {
  const r = await rawRequest(srv.port, ['GET /healthz HTTP/1.1\nHost: t\nConnection: close\n\n']);
  assert.equal(r.res.status, 400);
  await assertAlive();
});

// --- paths ---------------------------------------------------------------

for (const [name, target] of [
  ['an escaped NUL (%00)', '/healthz%00'],
  ['an escaped NUL inside a page path', '/people/1%00'],
  ['a bad escape (%zz)', '/%zz'],
  ['a truncated escape (%4)', '/healthz%4'],
  ['overlong UTF-8 (%C0%AF)', '/static/%C0%AF..%C0%AFMakefile'],
  ['an escaped 0xFF byte', '/people/%FF'],
  ['a lone surrogate (%ED%A0%80)', '/people/%ED%A0%80'],
]) {
  test(`a path with ${name} gets 400`, async () => {
    const r = await rawRequest(srv.port, [get(target)]);
    assert.equal(r.res.status, 400);
    await assertAlive();
  });
}

test('an API path with a bad escape gets a 400 JSON error in Chinese', async () => {
  const r = await rawRequest(srv.port, [get('/api/v1/people/%C0%AF')]);
  assert.equal(r.res.status, 400);
  assert.match(r.res.headers['content-type'], /^application\/json/);
  assert.match(errorOf(r.res).message, /请求格式不正确/);
});

test('an API path with a bad escape gets 400', async () => {
  const r = await rawRequest(srv.port, [get('/api/v1/people/%C0%AF')]);
  assert.equal(r.res.status, 400);
  assert.match(r.res.body.toString('utf8'), /请求格式不正确/);
  await assertAlive();
});

test('a query string with a bad escape gets 400', async () => {
  const r = await rawRequest(srv.port, [get('/healthz?q=%zz')]);
  assert.equal(r.res.status, 400);
  await assertAlive();
});

// --- JSON bodies ---------------------------------------------------------

// How many people rows the database holds (optionally with "name" in the name).
function peopleTotal(name = '') {
  const where = name ? ` WHERE instr(name, '${name}') > 0` : '';
  const r = sqlite(srv.db, `SELECT count(*) FROM person${where}`);
  assert.equal(r.status, 0, r.stderr);
  return Number(r.stdout.trim());
}

function jsonBytes(c, path, bytes) {
  return c.req('POST', path, { body: bytes, headers: { 'content-type': 'application/json' } });
}

test('invalid UTF-8 in a JSON body gets 400 and nothing is stored', async () => {
  const c = await srv.as('staff');
  const total = peopleTotal();
  const body = Buffer.concat([Buffer.from('{"name":"坏字'), Buffer.from([0xff, 0xfe]), Buffer.from('节"}')]);
  const res = await jsonBytes(c, '/api/v1/people', body);
  assert.equal(res.status, 400);
  const err = (await json(res)).error;
  assert.equal(err.code, 'bad_json');
  assert.match(err.message, /JSON/);
  assert.equal(peopleTotal(), total);
  assert.equal(peopleTotal('坏字'), 0);
});

test('overlong UTF-8 inside a JSON string gets 400 and nothing is stored', async () => {
  const c = await srv.as('staff');
  const total = peopleTotal();
  const body = Buffer.concat([Buffer.from('{"name":"超长'), Buffer.from([0xc0, 0xaf]), Buffer.from('"}')]);
  const res = await jsonBytes(c, '/api/v1/people', body);
  assert.equal(res.status, 400);
  assert.equal(peopleTotal(), total);
});

test('NUL in a JSON string (\\u0000) gets 400 and nothing is stored', async () => {
  const c = await srv.as('staff');
  const total = peopleTotal();
  const res = await jsonBytes(c, '/api/v1/people', Buffer.from('{"name":"零字\\u0000节"}'));
  assert.equal(res.status, 400);
  assert.equal((await json(res)).error.code, 'bad_json');
  assert.equal(peopleTotal(), total);
  assert.equal(peopleTotal('零字'), 0);
});

for (const [name, text] of [['an array', '[]'], ['a string', '"张三"'], ['a number', '1'], ['null', 'null'],
  ['truncated JSON', '{"name":"张三"'], ['a duplicate key', '{"name":"甲","name":"乙"}']]) {
  test(`a JSON body that is ${name} gets 400`, async () => {
    const c = await srv.as('staff');
    const total = peopleTotal();
    const res = await jsonBytes(c, '/api/v1/people', Buffer.from(text));
    assert.equal(res.status, 400);
    const err = (await json(res)).error;
    assert.equal(err.code, 'bad_json');
    assert.match(err.message, /JSON 对象/);
    assert.equal(peopleTotal(), total);
  });
}

test('a form post to an API route gets 415 and nothing is stored', async () => {
  const c = await srv.as('staff');
  const total = peopleTotal();
  const res = await c.req('POST', '/api/v1/people', { form: { name: '表单提交', csrf: c.csrf } });
  assert.equal(res.status, 415);
  assert.match((await json(res)).error.message, /application\/json/);
  assert.equal(peopleTotal(), total);
});

test('a text/plain post to the sign-in API gets 415', async () => {
  const { login, password } = srv.logins.staff;
  const res = await srv.client().req('POST', '/api/v1/session',
    { body: JSON.stringify({ login, password }), headers: { 'content-type': 'text/plain' } });
  assert.equal(res.status, 415);
  assert.equal(res.headers.getSetCookie().filter((s) => s.startsWith('xz=')).length, 0, 'no session');
});

test('the server is still healthy after everything above', async () => {
  await assertAlive();
  const c = await srv.as('leader');
  assert.equal((await c.get('/api/v1/me')).status, 200);
});
