// 01-auth: sign-in, sessions, lockout, throttle, CSRF, idle expiry.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, json } from './lib.mjs';

let srv;
before(async () => { srv = await startServer(); });
after(async () => { await srv.stop(); });

test('sign-in returns the user and a CSRF token and sets an HttpOnly cookie', async () => {
  const c = srv.client();
  const { login, password } = srv.logins.leader;
  const res = await c.login(login, password);
  assert.equal(res.status, 200);
  const body = await json(res);
  assert.equal(body.user.login, login);
  assert.deepEqual(body.user.roles, ['leader']);
  assert.match(body.csrf, /^[A-Za-z0-9_-]{43}$/);
  const cookie = res.headers.getSetCookie().find((s) => s.startsWith('xz='));
  assert.ok(cookie, 'session cookie set');
  assert.match(cookie, /HttpOnly/);
  assert.match(cookie, /SameSite=Lax/);
  assert.match(cookie, /Path=\//);
  assert.doesNotMatch(cookie, /Domain=/i);
  const me = await json(await c.get('/api/v1/me'));
  assert.equal(me.user.login, login);
});

test('wrong password and unknown login give the same 401 and body', async () => {
  const a = await srv.client().login(srv.logins.staff.login, 'Wrong-Password-123');
  const b = await srv.client().login('nobody-here', 'Wrong-Password-123');
  assert.equal(a.status, 401);
  assert.equal(b.status, 401);
  assert.deepEqual(await a.json(), await b.json());
});

test('an empty password is refused', async () => {
  const res = await srv.client().login(srv.logins.staff.login, '');
  assert.equal(res.status, 422);
});

test('a state change without the CSRF token is refused and changes nothing', async () => {
  const c = await srv.as('leader');
  const before = await json(await c.get('/api/v1/people?q=无令牌'));
  assert.equal(before.items.length, 0);
  const res = await c.post('/api/v1/people', { name: '无令牌' }, { csrf: false });
  assert.equal(res.status, 403);
  assert.equal((await json(res)).error.code, 'csrf');
  const res2 = await c.req('POST', '/api/v1/people', { json: { name: '无令牌' }, csrf: false, headers: { 'x-csrf-token': 'A'.repeat(43) } });
  assert.equal(res2.status, 403);
  const afterList = await json(await c.get('/api/v1/people?q=无令牌'));
  assert.equal(afterList.items.length, 0, 'nothing was stored');
});

test('a cross-origin request is refused even with the token', async () => {
  const c = await srv.as('leader');
  const res = await c.req('POST', '/api/v1/people', { json: { name: '跨站' }, headers: { origin: 'http://evil.example' } });
  assert.equal(res.status, 403);
});

test('another session\'s CSRF token does not work', async () => {
  const a = await srv.as('leader');
  const b = await srv.as('member');
  const res = await a.req('POST', '/api/v1/people', { json: { name: '别人的令牌' }, csrf: false, headers: { 'x-csrf-token': b.csrf } });
  assert.equal(res.status, 403);
});

test('sign-out ends the session on the server', async () => {
  const c = await srv.as('member');
  const saved = c.cookieHeader();
  assert.equal((await c.delete('/api/v1/session')).status, 204);
  const res = await fetch(srv.url + '/api/v1/me', { headers: { cookie: saved } });
  assert.equal(res.status, 401);
});

test('the session id changes at sign-in and the old one stops working', async () => {
  const c = await srv.as('inspector');
  const first = c.cookies.get('xz');
  const { login, password } = srv.logins.inspector;
  const res = await c.login(login, password);
  assert.equal(res.status, 200);
  const second = c.cookies.get('xz');
  assert.notEqual(first, second);
  const old = await fetch(srv.url + '/api/v1/me', { headers: { cookie: `xz=${first}` } });
  assert.equal(old.status, 401);
});

test('pages redirect to sign-in; the API answers 401', async () => {
  const c = srv.client();
  const page = await c.get('/people');
  assert.equal(page.status, 303);
  assert.equal(page.headers.get('location'), '/login?next=%2Fpeople');
  const api = await c.get('/api/v1/people');
  assert.equal(api.status, 401);
});

test('the sign-in form works like a browser, with the pre-session token', async () => {
  const c = srv.client();
  const { login, password } = srv.logins.staff;
  const res = await c.submit('/login', { login, password, next: '/people' });
  assert.equal(res.status, 303);
  assert.equal(res.headers.get('location'), '/people');
  assert.equal((await c.get('/people')).status, 200);
});

test('the sign-in form without its token is refused', async () => {
  const c = srv.client();
  const { login, password } = srv.logins.staff;
  const res = await c.req('POST', '/login', { form: { login, password }, csrf: false });
  assert.equal(res.status, 403);
});

test('an open redirect through next= is not followed', async () => {
  const c = srv.client();
  const { login, password } = srv.logins.staff;
  const res = await c.submit('/login', { login, password, next: '//evil.example/x' });
  assert.equal(res.status, 303);
  assert.equal(res.headers.get('location'), '/');
});

test('five wrong passwords lock the account, with the same message, even for the right one', async () => {
  const { login, password } = srv.logins.village2;
  for (let i = 0; i < 5; i++) {
    const r = await srv.client().login(login, `Wrong-${i}-Password!x`);
    assert.equal(r.status, 401);
  }
  const wrong = await srv.client().login(login, 'Wrong-again-Password!x');
  const right = await srv.client().login(login, password);
  assert.equal(right.status, 401, 'locked: the right password is refused');
  assert.deepEqual(await right.json(), await wrong.json());
  const r = srv.cli(['user', 'list']);
  assert.equal(r.status, 0);
});

test('idle sessions expire after the idle timeout, server-side', async () => {
  const s2 = await startServer({ clock: true });
  try {
    const c = await s2.as('staff');
    assert.equal((await c.get('/api/v1/me')).status, 200);
    s2.setClock('+29m');
    assert.equal((await c.get('/api/v1/me')).status, 200, 'still alive at 29 minutes');
    s2.setClock('+60m');
    assert.equal((await c.get('/api/v1/me')).status, 401, 'expired after 31 idle minutes');
    s2.setClock('+0');
    assert.equal((await c.get('/api/v1/me')).status, 401, 'and stays gone when the clock returns');
  } finally {
    await s2.stop();
  }
});

test('a locked account opens again after the lockout time', async () => {
  const s2 = await startServer({ clock: true });
  try {
    const { login, password } = s2.logins.cleaner;
    for (let i = 0; i < 5; i++) await s2.client().login(login, `Wrong-${i}-Password!x`);
    assert.equal((await s2.client().login(login, password)).status, 401);
    s2.setClock('+31m');
    assert.equal((await s2.client().login(login, password)).status, 200);
  } finally {
    await s2.stop();
  }
});

// The sign-in throttle counts per clock minute: tries that must share one minute start clear of
// its end (a minute's end falling between them would start the count again).
async function clearOfMinuteEnd() {
  const into = Date.now() % 60000;
  if (into > 50000) await new Promise((r) => setTimeout(r, 60500 - into));
}

test('too many sign-in attempts from one address get 429 with Retry-After', async () => {
  const s2 = await startServer({ env: { XIANGZHI_LOGIN_RATE: '5' } });
  try {
    await clearOfMinuteEnd();
    const codes = [];
    let last;
    for (let i = 0; i < 8; i++) {
      last = await s2.client().login('nobody', 'Wrong-Password-123');
      codes.push(last.status);
    }
    assert.deepEqual(codes.slice(0, 5), [401, 401, 401, 401, 401]);
    assert.equal(codes[7], 429);
    assert.match(last.headers.get('retry-after'), /^\d+$/);
  } finally {
    await s2.stop();
  }
});

test('a password older than 90 days must be changed before anything else', async () => {
  const s2 = await startServer({ clock: true });
  try {
    s2.setClock('+91d');
    const c = s2.client();
    const { login, password } = s2.logins.staff;
    const res = await c.login(login, password);
    assert.equal(res.status, 200);
    assert.equal((await res.json()).user.must_change, true);
    const blocked = await c.get('/api/v1/people');
    assert.equal(blocked.status, 403);
    assert.equal((await blocked.json()).error.code, 'password_change_required');
    const page = await c.get('/people');
    assert.equal(page.status, 303);
    assert.equal(page.headers.get('location'), '/password');
    const ch = await c.post('/api/v1/me/password', { old: password, new: 'Ninety-One-Days-Later!' });
    assert.equal(ch.status, 204);
    assert.equal((await c.get('/api/v1/people')).status, 200);
  } finally {
    await s2.stop();
  }
});

test('behind a trusted proxy the client address comes from X-Real-IP', async () => {
  const s2 = await startServer({ args: ['--trusted-proxy', '127.0.0.1'], env: { XIANGZHI_LOGIN_RATE: '3' } });
  try {
    const from = (ip) => s2.client().req('POST', '/api/v1/session',
      { json: { login: 'nobody', password: 'Wrong-Password-1' }, headers: { 'x-real-ip': ip } });
    await clearOfMinuteEnd();
    for (let i = 0; i < 4; i++) await from('10.0.0.1');
    assert.equal((await from('10.0.0.1')).status, 429, 'one address is throttled');
    assert.equal((await from('10.0.0.2')).status, 401, 'another is not');
    const https = await s2.client().req('GET', '/login', { headers: { 'x-forwarded-proto': 'https' } });
    assert.match(https.headers.get('strict-transport-security') ?? '', /max-age=/);
    assert.ok(https.headers.getSetCookie().every((c) => /Secure/.test(c)));
  } finally {
    await s2.stop();
  }
});
