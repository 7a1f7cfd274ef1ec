// 02-limits: HTTP framing and size limits over raw sockets; malformed bodies
// (SECURITY.md #44, #45, #46).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
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

test('[S45] a URL over 8 KiB gets 414 (query string)', async () => {
  const r = await rawRequest(srv.port, [get(`/healthz?pad=${'a'.repeat(9000)}`)]);
  assert.equal(r.res.status, 414);
  await assertAlive();
});

test('[S45] a URL over 8 KiB gets 414 (path), with a Chinese page', async () => {
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

test('[S45] one header over 32 KiB gets 431', async () => {
  const r = await rawRequest(srv.port, [get('/healthz', `X-Big: ${'a'.repeat(33 * 1024)}\r\n`)]);
  assert.equal(r.res.status, 431);
  await assertAlive();
});

test('[S45] 1000 headers (about 40 KiB) get 431', async () => {
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

test('[S45] a 1 MiB + 1 body announced by Content-Length gets 413 before the body is sent', async () => {
  // Only the headers go out: the answer must come without waiting for the body.
  const r = await rawRequest(srv.port, [post('/api/v1/session', `Content-Length: ${MiB + 1}\r\n`)],
    { stopAtResponse: true, timeout: 3000 });
  assert.ok(r.res, 'an answer arrived before any body byte was sent');
  assert.equal(r.res.status, 413);
  assert.match(errorOf(r.res).message, /过大/);
  assert.match(r.res.headers.connection ?? '', /close/i);
  await assertAlive();
});

test('[S45] a 1 MiB + 1 chunked body gets 413', async () => {
  const big = Buffer.alloc(MiB + 1, 'a');
  const req = Buffer.concat([
    Buffer.from(post('/api/v1/session', 'Transfer-Encoding: chunked\r\nConnection: close\r\n')),
    Buffer.from(`${big.length.toString(16)}\r\n`), big, Buffer.from('\r\n0\r\n\r\n'),
  ]);
  const r = await rawRequest(srv.port, [req], { timeout: 10000 });
  assert.equal(r.res.status, 413);
  await assertAlive();
});

test('[S45] a 1 MiB + 1 body in many small chunks gets 413', async () => {
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

test('[S46] two Content-Length headers get 400 and the connection is closed', async () => {
  const r = await rawRequest(srv.port, [post('/api/v1/session', 'Content-Length: 2\r\nContent-Length: 2\r\n', '{}')]);
  assert.equal(r.res.status, 400);
  assert.ok(r.closed, 'the server closed the connection');
  await assertAlive();
});

test('[S46] two different Content-Length headers get 400', async () => {
  const r = await rawRequest(srv.port, [post('/api/v1/session', 'Content-Length: 2\r\nContent-Length: 40\r\n', '{}')]);
  assert.equal(r.res.status, 400);
  await assertAlive();
});

test('[S46] Content-Length with Transfer-Encoding gets 400, closes, and the smuggled request is never answered', async () => {
  const smuggled = 'GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n';
  const body = `0\r\n\r\n${smuggled}`;
  const r = await rawRequest(srv.port, [post('/api/v1/session',
    `Content-Length: ${body.length}\r\nTransfer-Encoding: chunked\r\n`, body)]);
  assert.equal(r.res.status, 400);
  assert.ok(r.closed, 'the server closed the connection');
  assert.equal(countResponses(r.raw), 1, 'one answer only');
  await assertAlive();
});

test('[S46] a bad chunk size gets 400 and the connection is closed', async () => {
  const r = await rawRequest(srv.port, [post('/api/v1/session', 'Transfer-Encoding: chunked\r\n', 'zz\r\n{}\r\n0\r\n\r\n')]);
  assert.equal(r.res.status, 400);
  assert.ok(r.closed, 'the server closed the connection');
  await assertAlive();
});

test('[S46] a non-numeric Content-Length gets 400', async () => {
  const r = await rawRequest(srv.port, [post('/api/v1/session', 'Content-Length: 2x\r\nConnection: close\r\n', '{}')]);
  assert.equal(r.res.status, 400);
  await assertAlive();
});

// SECURITY.md #46 asks for 400 on bare LF line ends too.  Not done, on purpose:
// libmicrohttpd 0.9.75 accepts "GET / HTTP/1.1\nHost: t\n\n" as if the line ends were
// CRLF, and server.c only ever sees the parsed request line and headers (MHD reads the
// socket into its own buffer), so no check of ours can tell a bare LF from CRLF.  A
// bare LF cannot smuggle a second request past MHD (it frames both the same way); the
// fix is MHD 1.0's client discipline level (MHD_OPTION_CLIENT_DISCIPLINE_LVL).
test.skip('[S46] a request with bare LF line ends gets 400 — libmicrohttpd 0.9.75 accepts bare LF (200), invisible to server.c', async () => {
  const r = await rawRequest(srv.port, ['GET /healthz HTTP/1.1\nHost: t\nConnection: close\n\n']);
  assert.equal(r.res.status, 400);
  await assertAlive();
});

// --- hostile framing and sizes (SECURITY.md #45, #46) ---------------------

// The server's resident memory in KiB.
function rssKiB() {
  const m = readFileSync(`/proc/${srv.proc.pid}/status`, 'utf8').match(/VmRSS:\s+(\d+) kB/);
  return Number(m[1]);
}

test('[S45] a 100 KiB header gets 431 at once and the connection is closed', async () => {
  const t0 = Date.now();
  const r = await rawRequest(srv.port, [get('/healthz', `X-Big: ${'a'.repeat(100 * 1024)}\r\n`)]);
  assert.equal(r.res.status, 431);
  assert.ok(r.closed, 'closed');
  assert.ok(Date.now() - t0 < 2000, 'quickly');
  await assertAlive();
});

test('[S45] a 64 KiB URL gets 414 at once and the connection is closed', async () => {
  const t0 = Date.now();
  const r = await rawRequest(srv.port, [get(`/healthz?pad=${'a'.repeat(64 * 1024)}`)]);
  assert.equal(r.res.status, 414);
  assert.ok(r.closed, 'closed');
  assert.ok(Date.now() - t0 < 2000, 'quickly');
  await assertAlive();
});

test('[S45] a 64 KiB page path gets 414 too', async () => {
  const r = await rawRequest(srv.port, [get(`/people/${'1'.repeat(64 * 1024)}`)]);
  assert.equal(r.res.status, 414);
  await assertAlive();
});

test('[S45] a 50 MiB body sent to a form endpoint gets 413 before it is all sent, and memory stays flat', async () => {
  const rss0 = rssKiB();
  const piece = Buffer.alloc(1024 * 1024, 'a');
  const head = `POST /people/new HTTP/1.1\r\nHost: t\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${50 * MiB}\r\n\r\n`;
  const chunks = [head, ...Array.from({ length: 50 }, () => piece)];
  const t0 = Date.now();
  const r = await rawRequest(srv.port, chunks, { stopAtResponse: true, timeout: 10000 });
  // The server answers 413 and closes at once; when the close lands while the client is
  // still writing, the kernel's reset can discard the answer before it is read.
  if (r.res) {
    assert.equal(r.res.status, 413);
    assert.match(r.res.headers.connection ?? '', /close/i);
  } else assert.ok(['EPIPE', 'ECONNRESET'].includes(r.error), `refused by closing (${r.error})`);
  assert.ok(Date.now() - t0 < 3000, 'quickly');
  const grown = rssKiB() - rss0;
  assert.ok(grown < 2048, `RSS grew ${grown} KiB (limit 2 MiB)`);
  await assertAlive();
});

test('[S45] Content-Length over the limit with a slow body is answered 413 at once, without waiting for the body', async () => {
  const t0 = Date.now();
  // The headers, then one byte every 200 ms: the answer must not wait for them.
  const r = await rawRequest(srv.port, [post('/api/v1/session', `Content-Length: ${5 * MiB}\r\n`), 'a', 'a', 'a', 'a', 'a'],
    { stopAtResponse: true, timeout: 5000, gapMs: 200 });
  assert.ok(r.res, 'answered');
  assert.equal(r.res.status, 413);
  assert.ok(Date.now() - t0 < 1000, `answered in ${Date.now() - t0} ms`);
  await assertAlive();
});

test('[S45] a slow body within the limit does not hold up another client', async () => {
  const slow = rawRequest(srv.port, [post('/api/v1/session', 'Content-Length: 100\r\n'), '{', '"', 'a'],
    { timeout: 1500, gapMs: 300 });
  const t0 = Date.now();
  await assertAlive();
  assert.ok(Date.now() - t0 < 1000, 'the other client was served at once');
  await slow;
});

test('[S45] an endless chunked body is cut off: the connection is closed once twice the limit has come in', async () => {
  const piece = Buffer.alloc(256 * 1024, 'c');
  const t0 = Date.now();
  const r = await rawRequest(srv.port, [post('/api/v1/session', 'Transfer-Encoding: chunked\r\n', '7fffffffffffffff\r\n'),
    ...Array.from({ length: 40 }, () => piece)], { timeout: 8000, gapMs: 5 });
  assert.ok(r.closed || ['EPIPE', 'ECONNRESET'].includes(r.error), 'the server closed the connection');
  assert.ok(Date.now() - t0 < 6000, `closed after ${Date.now() - t0} ms, before the client finished its 10 MiB`);
  assert.notEqual(r.res?.status, 200);
  await assertAlive();
});

for (const [name, size, want] of [
  ['negative (-2)', '-2', 400],
  ['"0x" prefixed', '0x2', 400],
  ['space-prefixed', ' 2', 400],
  ['over 64 bits', 'fffffffffffffffffffff', 413],
  ['empty', '', 400],
]) {
  test(`[S46] a ${name} chunk size gets ${want} and the connection is closed`, async () => {
    const r = await rawRequest(srv.port, [post('/api/v1/session', 'Transfer-Encoding: chunked\r\n', `${size}\r\n{}\r\n0\r\n\r\n`)]);
    assert.equal(r.res.status, want);
    assert.ok(r.closed, 'closed');
    await assertAlive();
  });
}

for (const [name, headers] of [
  ['two Transfer-Encoding headers', 'Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n'],
  ['a Transfer-Encoding other than chunked ("gzip, chunked")', 'Transfer-Encoding: gzip, chunked\r\n'],
  ['Transfer-Encoding: identity', 'Transfer-Encoding: identity\r\n'],
  ['whitespace between a header name and its colon', 'Content-Length : 2\r\n'],
  ['a negative Content-Length', 'Content-Length: -1\r\n'],
  ['a "+2" Content-Length', 'Content-Length: +2\r\n'],
  ['a list "2, 2" as Content-Length', 'Content-Length: 2, 2\r\n'],
]) {
  test(`[S46] ${name} gets 400 at once and the connection is closed`, async () => {
    const t0 = Date.now();
    const r = await rawRequest(srv.port, [post('/api/v1/session', headers, '2\r\n{}\r\n0\r\n\r\n')], { timeout: 3000 });
    assert.ok(r.res, 'answered');
    assert.equal(r.res.status, 400);
    assert.ok(r.closed, 'closed');
    assert.ok(Date.now() - t0 < 2000, 'without waiting for a body');
    // (libmicrohttpd 0.9.75 refuses a malformed Content-Length itself and writes its
    // 400 status line and headers twice before closing; nothing else is answered.)
    assert.doesNotMatch(r.raw.toString('latin1'), /HTTP\/1\.1 [2-5](?!00)\d\d /, 'no answer but 400');
    await assertAlive();
  });
}

test('[S46] a chunked body with a smuggled request after its last chunk gets one answer', async () => {
  const smuggled = 'GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n';
  const r = await rawRequest(srv.port, [post('/api/v1/session', 'Transfer-Encoding: chunked\r\nConnection: close\r\n',
    `2\r\n{}\r\n0\r\n\r\n${smuggled}`)]);
  assert.ok(r.res);
  assert.notEqual(r.res.status, 200, 'the first request was not the smuggled one');
  assert.equal(countResponses(r.raw), 1, 'the smuggled request is never answered');
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
  test(`[S44] a path with ${name} gets 400`, async () => {
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

test('[S44] invalid UTF-8 in a JSON body gets 400 and nothing is stored', async () => {
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

test('[S44] overlong UTF-8 inside a JSON string gets 400 and nothing is stored', async () => {
  const c = await srv.as('staff');
  const total = peopleTotal();
  const body = Buffer.concat([Buffer.from('{"name":"超长'), Buffer.from([0xc0, 0xaf]), Buffer.from('"}')]);
  const res = await jsonBytes(c, '/api/v1/people', body);
  assert.equal(res.status, 400);
  assert.equal(peopleTotal(), total);
});

test('[S44] NUL in a JSON string (\\u0000) gets 400 and nothing is stored', async () => {
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
