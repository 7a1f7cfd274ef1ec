// 04-admin: 三权分立, accounts and activation, the security policy, the audit log.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, json } from './lib.mjs';
import { sqlite, auditAll } from './lib-admin.mjs';

const CJK = /[\u4e00-\u9fff]/;
const ADMINS = ['sysadmin', 'secadmin', 'auditor'];
const BUSINESS = ['leader', 'member', 'staff', 'village', 'cleaner', 'inspector'];

let srv;
const clients = {};
const ids = {};		// role -> account id
let target;		// a pending account the matrix grants roles to
let target2;		// a pending account the matrix disables

// One signed-in client per demo role, kept for the whole file.
async function as(role) {
  if (!clients[role]) {
    clients[role] = await srv.as(role);
    ids[role] = (await json(await clients[role].get('/api/v1/me'))).user.id;
  }
  return clients[role];
}

async function createAccount(body) {
  const res = await (await as('sysadmin')).post('/api/v1/accounts', body);
  assert.equal(res.status, 201, `create account: ${res.status}`);
  return json(res);
}

function tokenOf(url) {
  return url.split('/activate/')[1];
}

async function lastAuditId() {
  const body = await json(await (await as('auditor')).get('/api/v1/audit?limit=1'));
  return body.items[0].id;
}

before(async () => {
  srv = await startServer();
  for (const r of [...ADMINS, ...BUSINESS]) await as(r);
  target = (await createAccount({ login: 'mx-target', roles: ['cleaner'] })).id;
  target2 = (await createAccount({ login: 'mx-target2', roles: ['cleaner'] })).id;
});
after(async () => { await srv.stop(); });

// --- the matrix ----------------------------------------------------------------

// Each power's representative route: who may call it and with what answer.
const powers = [
  { name: 'create an account', route: '/api/v1/accounts', ok: { sysadmin: 201 },
    call: (c, role) => c.post('/api/v1/accounts', { login: `mx-${role}`, roles: ['cleaner'] }) },
  { name: 'list accounts', route: '/api/v1/accounts', ok: { sysadmin: 200, secadmin: 200 },
    call: (c) => c.get('/api/v1/accounts') },
  { name: 'disable an account', route: '/api/v1/accounts/:id/disable', ok: { sysadmin: 200 },
    call: (c) => c.post(`/api/v1/accounts/${target2}/disable`, {}) },
  { name: 'grant roles', route: '/api/v1/accounts/:id/roles', ok: { secadmin: 200 },
    call: (c) => c.post(`/api/v1/accounts/${target}/roles`, { roles: ['cleaner'] }) },
  { name: 'read the policy', route: '/api/v1/settings', ok: { secadmin: 200 },
    call: (c) => c.get('/api/v1/settings') },
  { name: 'change the policy', route: '/api/v1/settings', ok: { secadmin: 200 },
    call: (c) => c.patch('/api/v1/settings', { lock_min: 30 }) },
  { name: 'read the audit', route: '/api/v1/audit', ok: { auditor: 200 },
    call: (c) => c.get('/api/v1/audit?limit=1') },
  { name: 'verify the audit chain', route: '/api/v1/audit/verify', ok: { auditor: 200 },
    call: (c) => c.post('/api/v1/audit/verify', {}) },
  { name: 'create a person', route: '/api/v1/people', ok: { leader: 201, member: 201, staff: 201, village: 201 },
    call: (c, role) => c.post('/api/v1/people', { name: `矩阵${role}` }) },
];

const denials = [];	// { role, route } the matrix expects an audit record for
let matrixStart = 0;

test('matrix: remember where the audit log stands', async () => {
  matrixStart = await lastAuditId();
  assert.ok(matrixStart > 0);
});

for (const role of [...ADMINS, ...BUSINESS]) {
  for (const p of powers) {
    const want = p.ok[role] ?? 403;
    if (want === 403) denials.push({ role, route: p.route });
    test(`matrix: ${role} may ${want === 403 ? 'not ' : ''}${p.name} (${want})`, async () => {
      const res = await p.call(await as(role), role);
      assert.equal(res.status, want);
      if (want === 403) {
        const err = (await json(res)).error;
        assert.equal(err.code, 'forbidden');
        assert.match(err.message, CJK);
      }
    });
  }
}

test('matrix: every refusal wrote an "access.denied" audit record with result "fail"', async () => {
  const { items } = await auditAll(await as('auditor'), 'action=access');
  const fresh = items.filter((r) => r.id > matrixStart);
  for (const r of fresh) {
    assert.equal(r.action, 'access.denied');
    assert.equal(r.result, 'fail');
    assert.equal(r.object_type, 'route');
  }
  for (const d of denials) {
    const login = srv.logins[d.role].login;
    const hit = fresh.filter((r) => r.actor === login && r.detail.route === d.route);
    assert.ok(hit.length >= 1, `audit record for ${d.role} on ${d.route}`);
    assert.equal(hit[0].role, d.role);
    assert.equal(hit[0].addr, '127.0.0.1');
  }
  // Two matrix powers share a route (GET and PATCH /api/v1/settings and the
  // two account routes), so compare totals rather than pairs.
  assert.equal(fresh.length, denials.length);
});

test('matrix: the disabled and granted targets really changed (the allowed calls worked)', async () => {
  const sys = await as('sysadmin');
  const t1 = await json(await sys.get(`/api/v1/accounts/${target}`));
  assert.deepEqual(t1.roles, ['cleaner']);
  const t2 = await json(await sys.get(`/api/v1/accounts/${target2}`));
  assert.equal(t2.status, 'disabled');
});

test('the audit page itself is refused to the sysadmin and the security admin', async () => {
  for (const role of ['sysadmin', 'secadmin']) {
    const res = await (await as(role)).get('/audit');
    assert.equal(res.status, 403, role);
    assert.match(await res.text(), /无权/);
  }
});

// --- no self-escalation ------------------------------------------------------------

test('the security admin cannot grant roles to their own account (403), roles unchanged', async () => {
  const sec = await as('secadmin');
  const res = await sec.post(`/api/v1/accounts/${ids.secadmin}/roles`, { roles: ['auditor'] });
  assert.equal(res.status, 403);
  assert.match((await json(res)).error.message, CJK);
  const me = await json(await sec.get('/api/v1/me'));
  assert.deepEqual(me.user.roles, ['secadmin']);
  const row = sqlite(srv.db, `SELECT roles FROM account WHERE id=${ids.secadmin}`);
  assert.equal(row.stdout.trim(), '128');
});

test('the sysadmin cannot reset their own account (403)', async () => {
  const sys = await as('sysadmin');
  const res = await sys.post(`/api/v1/accounts/${ids.sysadmin}/reset`, {});
  assert.equal(res.status, 403);
  assert.equal((await sys.get('/api/v1/me')).status, 200, 'still signed in');
});

test('the sysadmin cannot disable their own account (403)', async () => {
  const sys = await as('sysadmin');
  const res = await sys.post(`/api/v1/accounts/${ids.sysadmin}/disable`, {});
  assert.equal(res.status, 403);
  const acc = await json(await sys.get(`/api/v1/accounts/${ids.sysadmin}`));
  assert.equal(acc.status, 'active');
});

test('the sysadmin cannot grant roles, not even to themselves (403)', async () => {
  const res = await (await as('sysadmin')).post(`/api/v1/accounts/${ids.sysadmin}/roles`, { roles: ['secadmin'] });
  assert.equal(res.status, 403);
});

test('a refused self-grant is audited', async () => {
  const start = await lastAuditId();
  const sec = await as('secadmin');
  assert.equal((await sec.post(`/api/v1/accounts/${ids.secadmin}/roles`, { roles: ['leader'] })).status, 403);
  const { items } = await auditAll(await as('auditor'));
  const hit = items.filter((r) => r.id > start && r.result === 'fail' && r.actor === srv.logins.secadmin.login);
  assert.ok(hit.length >= 1);
});

// --- one power per account -----------------------------------------------------------

test('granting two admin roles is refused (422, field roles)', async () => {
  const res = await (await as('secadmin')).post(`/api/v1/accounts/${target}/roles`, { roles: ['sysadmin', 'auditor'] });
  assert.equal(res.status, 422);
  const err = (await json(res)).error;
  assert.equal(err.field, 'roles');
  assert.match(err.message, /三权分立/);
});

test('granting an admin role with a business role is refused (422)', async () => {
  const res = await (await as('secadmin')).post(`/api/v1/accounts/${target}/roles`, { roles: ['leader', 'auditor'] });
  assert.equal(res.status, 422);
  assert.equal((await json(res)).error.field, 'roles');
  const acc = await json(await (await as('sysadmin')).get(`/api/v1/accounts/${target}`));
  assert.deepEqual(acc.roles, ['cleaner'], 'unchanged');
});

test('an account asking for two admin roles is not created (422)', async () => {
  const sys = await as('sysadmin');
  const res = await sys.post('/api/v1/accounts', { login: 'two-powers', roles: ['secadmin', 'auditor'] });
  assert.equal(res.status, 422);
  assert.equal((await json(res)).error.field, 'roles');
  const list = await json(await sys.get('/api/v1/accounts'));
  assert.ok(!list.items.some((a) => a.login === 'two-powers'));
});

test('a village cadre account needs its village (422 field village_id, then 201 with it)', async () => {
  const sys = await as('sysadmin');
  const res = await sys.post('/api/v1/accounts', { login: 'cungan-x', roles: ['village'] });
  assert.equal(res.status, 422);
  const err = (await json(res)).error;
  assert.equal(err.field, 'village_id');
  assert.match(err.message, CJK);
  const villages = await json(await sys.get('/api/v1/villages'));
  const vid = (villages.items ?? villages)[0].id;
  const ok = await sys.post('/api/v1/accounts', { login: 'cungan-x', roles: ['village'], village_id: vid });
  assert.equal(ok.status, 201);
  const acc = await json(await sys.get(`/api/v1/accounts/${(await json(ok)).id}`));
  assert.equal(acc.village_id, vid);
  assert.deepEqual(acc.roles_requested, ['village']);
});

test('an unknown role is refused (422)', async () => {
  const res = await (await as('secadmin')).post(`/api/v1/accounts/${target}/roles`, { roles: ['root'] });
  assert.equal(res.status, 422);
  assert.equal((await json(res)).error.field, 'roles');
});

for (const [what, sql] of [
  ['sysadmin + secadmin (roles=192)', `UPDATE account SET roles=192 WHERE login='${'LOGIN'}'`],
  ['leader + auditor (roles=257)', `UPDATE account SET roles=257 WHERE login='${'LOGIN'}'`],
  ['requested secadmin + auditor (roles_requested=384)', `UPDATE account SET roles_requested=384 WHERE login='${'LOGIN'}'`],
]) {
  test(`the database refuses ${what} with a CHECK constraint`, async () => {
    const r = sqlite(srv.db, sql.replace('LOGIN', srv.logins.secadmin.login));
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /CHECK constraint failed/);
    assert.equal(sqlite(srv.db, `SELECT roles FROM account WHERE login='${srv.logins.secadmin.login}'`).stdout.trim(), '128');
  });
}

// --- the activation path ----------------------------------------------------------------

const fresh = { login: 'xinzhan', password: 'Lantern-Orchard-47!q', password2: 'Copper#Meadow-9316vw' };

test('activation: the sysadmin creates an account for a cadre who has none, and gets a link', async () => {
  const sys = await as('sysadmin');
  const accounts = await json(await sys.get('/api/v1/accounts'));
  const linked = new Set(accounts.items.map((a) => a.person_id).filter((x) => x));
  const people = await json(await sys.get('/api/v1/people?kind=cadre&limit=200'));
  const person = people.items.find((p) => !linked.has(p.id));
  assert.ok(person, 'a cadre without an account');
  fresh.person_id = person.id;
  const res = await sys.post('/api/v1/accounts', { person_id: person.id, login: fresh.login, roles: ['staff'] });
  assert.equal(res.status, 201);
  const text = await res.text();
  assert.doesNotMatch(text, /password|\$argon2|pw_hash/i);
  const body = JSON.parse(text);
  assert.ok(Number.isInteger(body.id));
  assert.match(body.activation_url, new RegExp(`^http://127\\.0\\.0\\.1:${srv.port}/activate/[A-Za-z0-9_-]{43}$`));
  fresh.id = body.id;
  fresh.token = tokenOf(body.activation_url);
});

test('activation: the same person cannot get a second account (409)', async () => {
  const res = await (await as('sysadmin')).post('/api/v1/accounts', { person_id: fresh.person_id, login: 'xinzhan2', roles: ['staff'] });
  assert.equal(res.status, 409);
});

test('activation: the new account is pending, with the role only requested', async () => {
  const acc = await json(await (await as('sysadmin')).get(`/api/v1/accounts/${fresh.id}`));
  assert.equal(acc.status, 'pending');
  assert.deepEqual(acc.roles, []);
  assert.deepEqual(acc.roles_requested, ['staff']);
  assert.equal(acc.person_id, fresh.person_id);
});

test('activation: account lists and details never contain a password or a hash', async () => {
  for (const role of ['sysadmin', 'secadmin']) {
    const c = await as(role);
    for (const path of ['/api/v1/accounts', `/api/v1/accounts/${fresh.id}`, `/api/v1/accounts/${ids.leader}`, '/accounts']) {
      const text = await (await c.get(path)).text();
      assert.doesNotMatch(text, /\$argon2|pw_hash/, `${role} ${path}`);
      if (path.startsWith('/api/')) assert.doesNotMatch(text, /password/i, `${role} ${path}`);
      for (const r of Object.values(srv.logins)) assert.ok(!text.includes(r.password), `${role} ${path}: a demo password`);
    }
  }
});

test('activation: the security admin grants ["staff"]', async () => {
  const res = await (await as('secadmin')).post(`/api/v1/accounts/${fresh.id}/roles`, { roles: ['staff'] });
  assert.equal(res.status, 200);
  const body = await json(res);
  assert.deepEqual(body.roles, ['staff']);
  assert.deepEqual(body.roles_requested, []);
});

test('activation: the page shows the login', async () => {
  const res = await srv.client().get(`/activate/${fresh.token}`);
  assert.equal(res.status, 200);
  const html = await res.text();
  assert.ok(html.includes(fresh.login));
  assert.match(html, /激活账号/);
});

test('activation: a weak password is refused (422, field password, Chinese)', async () => {
  const res = await srv.client().post(`/api/v1/activate/${fresh.token}`, { password: 'zn135246@' });
  assert.equal(res.status, 422);
  const err = (await json(res)).error;
  assert.equal(err.field, 'password');
  assert.match(err.message, CJK);
});

test('activation: a password containing the login is refused (422)', async () => {
  const res = await srv.client().post(`/api/v1/activate/${fresh.token}`, { password: 'Xinzhan-Harbor-2291!' });
  assert.equal(res.status, 422);
  assert.match((await json(res)).error.message, /登录名/);
});

test('activation: a strong password activates (204)', async () => {
  const res = await srv.client().post(`/api/v1/activate/${fresh.token}`, { password: fresh.password });
  assert.equal(res.status, 204);
});

test('activation: the same link again is gone (410), page and API', async () => {
  const res = await srv.client().post(`/api/v1/activate/${fresh.token}`, { password: 'Another-Strong-Pass-77!' });
  assert.equal(res.status, 410);
  assert.match((await json(res)).error.message, /失效/);
  assert.equal((await srv.client().get(`/activate/${fresh.token}`)).status, 410);
});

test('activation: an unknown token is gone (410)', async () => {
  const res = await srv.client().post(`/api/v1/activate/${'A'.repeat(43)}`, { password: fresh.password });
  assert.equal(res.status, 410);
});

test('activation: the new user signs in with roles ["staff"]', async () => {
  const c = srv.client();
  const res = await c.login(fresh.login, fresh.password);
  assert.equal(res.status, 200);
  const body = await json(res);
  assert.deepEqual(body.user.roles, ['staff']);
  assert.equal(body.user.must_change, false);
  fresh.client = c;
});

test('activation: the stored hash is Argon2id and the account is active', async () => {
  const r = sqlite(srv.db, `SELECT status, pw_hash FROM account WHERE id=${fresh.id}`);
  const [status, hash] = r.stdout.trim().split('|');
  assert.equal(status, 'active');
  assert.match(hash, /^\$argon2id\$v=19\$m=65536,t=2,/);
});

test('activation: a link older than 24 hours is gone (410)', async () => {
  const s2 = await startServer({ clock: true });
  try {
    const sys = await s2.as('sysadmin');
    const res = await sys.post('/api/v1/accounts', { login: 'late-comer', roles: ['staff'] });
    assert.equal(res.status, 201);
    const token = tokenOf((await json(res)).activation_url);
    s2.setClock('+23h');
    assert.equal((await s2.client().get(`/activate/${token}`)).status, 200, 'still valid at 23 h');
    s2.setClock('+25h');
    assert.equal((await s2.client().get(`/activate/${token}`)).status, 410);
    const post = await s2.client().post(`/api/v1/activate/${token}`, { password: fresh.password });
    assert.equal(post.status, 410);
    assert.equal((await s2.client().login('late-comer', fresh.password)).status, 401, 'never activated');
  } finally {
    await s2.stop();
  }
});

// --- reset, disable, enable -----------------------------------------------------------

test('reset: the sysadmin gets a new activation link (200)', async () => {
  const res = await (await as('sysadmin')).post(`/api/v1/accounts/${fresh.id}/reset`, {});
  assert.equal(res.status, 200);
  const text = await res.text();
  assert.doesNotMatch(text, /\$argon2/);
  const body = JSON.parse(text);
  assert.match(body.activation_url, /\/activate\/[A-Za-z0-9_-]{43}$/);
  assert.notEqual(tokenOf(body.activation_url), fresh.token);
  fresh.token2 = tokenOf(body.activation_url);
});

test('reset: the user\'s existing session has ended (401)', async () => {
  assert.equal((await fresh.client.get('/api/v1/me')).status, 401);
});

test('reset: the old password no longer works (401)', async () => {
  assert.equal((await srv.client().login(fresh.login, fresh.password)).status, 401);
});

test('reset: the new link sets a new password, which works', async () => {
  const res = await srv.client().post(`/api/v1/activate/${fresh.token2}`, { password: fresh.password2 });
  assert.equal(res.status, 204);
  const c = srv.client();
  assert.equal((await c.login(fresh.login, fresh.password2)).status, 200);
  fresh.client = c;
});

test('disable: the user\'s session ends and sign-in is refused (401)', async () => {
  const res = await (await as('sysadmin')).post(`/api/v1/accounts/${fresh.id}/disable`, {});
  assert.equal(res.status, 200);
  assert.equal((await json(res)).status, 'disabled');
  assert.equal((await fresh.client.get('/api/v1/me')).status, 401);
  assert.equal((await srv.client().login(fresh.login, fresh.password2)).status, 401);
});

test('enable: the user can sign in again', async () => {
  const res = await (await as('sysadmin')).post(`/api/v1/accounts/${fresh.id}/enable`, {});
  assert.equal(res.status, 200);
  assert.equal((await json(res)).status, 'active');
  const c = srv.client();
  assert.equal((await c.login(fresh.login, fresh.password2)).status, 200);
  fresh.client = c;
});

test('a role change ends the user\'s sessions; the new roles apply at the next sign-in', async () => {
  const res = await (await as('secadmin')).post(`/api/v1/accounts/${fresh.id}/roles`, { roles: ['staff', 'inspector'] });
  assert.equal(res.status, 200);
  assert.equal((await fresh.client.get('/api/v1/me')).status, 401);
  const c = srv.client();
  const body = await json(await c.login(fresh.login, fresh.password2));
  assert.deepEqual(body.user.roles, ['staff', 'inspector']);
});

test('a role change is audited with before and after', async () => {
  const { items } = await auditAll(await as('auditor'), 'action=account');
  const recs = items.filter((r) => r.action === 'account.roles' && r.object_id === String(fresh.id));
  assert.equal(recs.length, 2);
  const [second, first] = recs;		// newest first
  assert.deepEqual(first.detail, { before: 0, after: 4 });		// none → staff
  assert.deepEqual(second.detail, { before: 4, after: 4 | 32 });	// → staff + inspector
  assert.equal(first.actor, srv.logins.secadmin.login);
  assert.equal(first.role, 'secadmin');
  assert.equal(first.result, 'ok');
  assert.equal(first.object_type, 'account');
});

test('account creation, reset, disable and enable are audited', async () => {
  const { items } = await auditAll(await as('auditor'), 'action=account');
  const mine = items.filter((r) => r.object_id === String(fresh.id));
  for (const action of ['account.create', 'account.activate', 'account.reset', 'account.disable', 'account.enable']) {
    assert.ok(mine.some((r) => r.action === action && r.result === 'ok'), action);
  }
  const create = mine.find((r) => r.action === 'account.create');
  assert.equal(create.actor, srv.logins.sysadmin.login);
  assert.equal(create.detail.login, fresh.login);
});

// --- the security policy ---------------------------------------------------------------

async function policy() {
  const res = await (await as('secadmin')).get('/api/v1/settings');
  assert.equal(res.status, 200);
  return (await json(res)).policy;
}

async function policyRecords() {
  const { items } = await auditAll(await as('auditor'), 'action=policy');
  return items.filter((r) => r.action === 'policy.update');
}

test('policy: the default idle timeout is 30 minutes', async () => {
  assert.equal((await policy()).idle_min, 30);
});

test('policy: the security admin sets idle_min 15 (200) and it reads back', async () => {
  const res = await (await as('secadmin')).patch('/api/v1/settings', { idle_min: 15 });
  assert.equal(res.status, 200);
  assert.equal((await json(res)).policy.idle_min, 15);
  assert.equal((await policy()).idle_min, 15);
});

test('policy: the change is audited with before 30 and after 15', async () => {
  const [rec] = await policyRecords();
  assert.equal(rec.actor, srv.logins.secadmin.login);
  assert.equal(rec.role, 'secadmin');
  assert.equal(rec.result, 'ok');
  assert.equal(rec.detail.before.idle_min, 30);
  assert.equal(rec.detail.after.idle_min, 15);
});

for (const [body, field] of [
  [{ idle_min: 0 }, 'idle_min'],
  [{ idle_min: 241 }, 'idle_min'],
  [{ idle_min: -5 }, 'idle_min'],
  [{ idle_min: '20' }, 'idle_min'],
  [{ idle_min: 20.5 }, 'idle_min'],
  [{ pw_min_len: 7 }, 'pw_min_len'],
  [{ pw_min_classes: 5 }, 'pw_min_classes'],
  [{ lock_failures: 2 }, 'lock_failures'],
  [{ activation_h: 169 }, 'activation_h'],
  [{ idle_min: 20, lock_min: 0 }, 'lock_min'],
]) {
  test(`policy: ${JSON.stringify(body)} is refused (422, field ${field}) and nothing changes`, async () => {
    const beforePolicy = await policy();
    const beforeRecs = (await policyRecords()).length;
    const res = await (await as('secadmin')).patch('/api/v1/settings', body);
    assert.equal(res.status, 422);
    const err = (await json(res)).error;
    assert.equal(err.field, field);
    assert.match(err.message, CJK);
    assert.deepEqual(await policy(), beforePolicy);
    assert.equal((await policyRecords()).length, beforeRecs, 'no audit record for a refused change');
  });
}

test('policy: back to idle_min 30', async () => {
  const res = await (await as('secadmin')).patch('/api/v1/settings', { idle_min: 30 });
  assert.equal(res.status, 200);
  assert.equal((await policy()).idle_min, 30);
});

// --- the audit log ---------------------------------------------------------------------

let contactPhone;

test('audit: setup — a failed sign-in and a staff member viewing a contact with a reason', async () => {
  assert.equal((await srv.client().login(srv.logins.member.login, 'Wrong-Password-123')).status, 401);
  assert.equal((await srv.client().login('no-such-user', 'Wrong-Password-123')).status, 401);
  const staff = await srv.as('staff');
  const res = await staff.get(`/api/v1/people/1/contact?reason=${encodeURIComponent('走访核实联系方式')}`);
  assert.equal(res.status, 200);
  const text = await res.text();
  const m = text.match(/100\d{8}/);
  assert.ok(m, 'the contact view shows the full phone');
  contactPhone = m[0];
});

let all;

test('audit: the auditor can read the whole log', async () => {
  all = await auditAll(await as('auditor'));
  assert.ok(all.items.length > 100);
  const idsSeen = all.items.map((r) => r.id);
  assert.equal(new Set(idsSeen).size, idsSeen.length, 'no record twice across pages');
  for (let i = 1; i < idsSeen.length; i++) assert.ok(idsSeen[i] < idsSeen[i - 1], 'newest first');
});

for (const [action, result, extra] of [
  ['session.create', 'ok', null],
  ['session.create', 'fail', (r) => r.detail.reason === 'password'],
  ['session.create', 'fail', (r) => r.detail.reason === 'unknown' && r.actor === '-'],
  ['account.create', 'ok', (r) => r.actor === srv.logins.sysadmin.login],
  ['account.roles', 'ok', (r) => r.actor === srv.logins.secadmin.login],
  ['person.contact', 'ok', (r) => r.actor === srv.logins.staff.login && r.object_id === '1' && r.detail.reason === '走访核实联系方式'],
  ['policy.update', 'ok', null],
  ['access.denied', 'fail', null],
]) {
  test(`audit: has a ${action} record with result ${result}${extra ? ' (and the right details)' : ''}`, async () => {
    const hits = all.items.filter((r) => r.action === action && r.result === result && (!extra || extra(r)));
    assert.ok(hits.length >= 1);
    const r = hits[0];
    for (const k of ['at', 'actor', 'role', 'addr', 'action', 'object_type', 'result', 'request_id']) {
      assert.equal(typeof r[k], 'string', `${k} is a string`);
    }
    for (const k of ['at', 'actor', 'addr', 'action', 'object_type', 'request_id']) assert.notEqual(r[k], '', `${k} is set`);
    assert.equal(r.addr, '127.0.0.1');
    if (r.actor !== '-') assert.notEqual(r.role, '', 'a signed-in actor has a role');
  });
}

test('audit: no record contains a password, a hash or a full phone number', async () => {
  assert.ok(contactPhone);
  assert.doesNotMatch(all.text, /100\d{8}/);
  assert.ok(!all.text.includes(contactPhone));
  assert.doesNotMatch(all.text, /\$argon2/);
  assert.doesNotMatch(all.text, /Wrong-Password-123/);
  for (const [role, { password }] of Object.entries(srv.logins)) assert.ok(!all.text.includes(password), `${role}'s password`);
  for (const p of [fresh.password, fresh.password2]) assert.ok(!all.text.includes(p));
});

test('audit: filter actor= returns only that actor', async () => {
  const login = srv.logins.staff.login;
  const { items } = await auditAll(await as('auditor'), `actor=${login}`);
  assert.ok(items.length >= 2);
  for (const r of items) assert.equal(r.actor, login);
});

test('audit: filter action= by family returns only that family', async () => {
  const { items } = await auditAll(await as('auditor'), 'action=session');
  assert.ok(items.length >= 3);
  for (const r of items) assert.match(r.action, /^session\./);
});

test('audit: filter action= by exact action', async () => {
  const { items } = await auditAll(await as('auditor'), 'action=person.contact');
  assert.ok(items.length >= 1);
  for (const r of items) assert.equal(r.action, 'person.contact');
});

test('audit: filter result=fail returns only failures', async () => {
  const { items } = await auditAll(await as('auditor'), 'result=fail');
  assert.ok(items.length >= 3);
  for (const r of items) assert.equal(r.result, 'fail');
});

test('audit: filters combine (actor and action and result)', async () => {
  const login = srv.logins.member.login;
  const { items } = await auditAll(await as('auditor'), `actor=${login}&action=session&result=fail`);
  assert.ok(items.length >= 1);
  for (const r of items) {
    assert.equal(r.actor, login);
    assert.match(r.action, /^session\./);
    assert.equal(r.result, 'fail');
  }
});

test('audit: pagination with limit= and after= is contiguous and does not overlap', async () => {
  const aud = await as('auditor');
  const p1 = await json(await aud.get('/api/v1/audit?limit=5'));
  assert.equal(p1.items.length, 5);
  assert.equal(p1.next, String(p1.items[4].id));
  const p2 = await json(await aud.get(`/api/v1/audit?limit=5&after=${p1.next}`));
  assert.equal(p2.items.length, 5);
  assert.equal(p2.items[0].id, p1.items[4].id - 1);
  const seen = new Set(p1.items.map((r) => r.id));
  for (const r of p2.items) assert.ok(!seen.has(r.id));
});

test('audit: the last page has next null', async () => {
  const aud = await as('auditor');
  const res = await json(await aud.get('/api/v1/audit?limit=3&after=4'));
  assert.deepEqual(res.items.map((r) => r.id), [3, 2, 1]);
  assert.equal(res.next, null);
});

for (const q of ['limit=0', 'limit=201', 'limit=abc', 'after=abc', 'after=-1', 'from=2026-02-30']) {
  test(`audit: a bad ${q} is refused (422)`, async () => {
    const res = await (await as('auditor')).get(`/api/v1/audit?${q}`);
    assert.equal(res.status, 422);
    assert.match((await json(res)).error.message, CJK);
  });
}

test('audit: the default page size is 50, like every list', async () => {
  const res = await json(await (await as('auditor')).get('/api/v1/audit'));
  assert.equal(res.items.length, 50);
});

test('audit: record times are ISO-8601 with an offset', async () => {
  const res = await json(await (await as('auditor')).get('/api/v1/audit?limit=1'));
  assert.match(res.items[0].at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/);
});

// --- tamper evidence -----------------------------------------------------------------

test('audit verify (CLI): intact, exit 0', () => {
  const r = srv.cli(['audit', 'verify']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /intact/);
});

test('audit verify (API): intact', async () => {
  const res = await (await as('auditor')).post('/api/v1/audit/verify', {});
  assert.equal(res.status, 200);
  const body = await json(res);
  assert.equal(body.intact, true);
  assert.equal(body.broken_id, null);
  assert.ok(body.records > 100);
});

test('UPDATE on audit fails with the triggers in place ("append-only")', () => {
  const before = sqlite(srv.db, 'SELECT detail FROM audit WHERE id=5').stdout;
  const r = sqlite(srv.db, 'UPDATE audit SET detail=\'{"x":1}\' WHERE id=5');
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /append-only/);
  assert.equal(sqlite(srv.db, 'SELECT detail FROM audit WHERE id=5').stdout, before);
});

test('DELETE on audit fails with the triggers in place ("append-only")', () => {
  const count = sqlite(srv.db, 'SELECT count(*) FROM audit').stdout;
  const r = sqlite(srv.db, 'DELETE FROM audit WHERE id=5');
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /append-only/);
  assert.ok(Number(sqlite(srv.db, 'SELECT count(*) FROM audit').stdout) >= Number(count));
});

// --- fail closed ---------------------------------------------------------------------

test('fail closed: when the audit write fails, the business write is refused and rolled back', async () => {
  const t = sqlite(srv.db, "CREATE TRIGGER t_fail BEFORE INSERT ON audit WHEN NEW.action='person.create' BEGIN SELECT RAISE(ABORT,'x'); END;");
  assert.equal(t.status, 0, t.stderr);
  const staff = await as('staff');
  const res = await staff.post('/api/v1/people', { name: '审计失败测试' });
  assert.ok(res.status >= 400, `refused, got ${res.status}`);
  assert.match((await json(res)).error.message, CJK);
  const list = await json(await staff.get(`/api/v1/people?q=${encodeURIComponent('审计失败测试')}`));
  assert.equal(list.items.length, 0);
  assert.equal(sqlite(srv.db, "SELECT count(*) FROM person WHERE name='审计失败测试'").stdout.trim(), '0');
});

test('fail closed: an audit failure is answered 503 with Retry-After', async () => {
  const t = sqlite(srv.db, "CREATE TRIGGER t_fail2 BEFORE INSERT ON audit WHEN NEW.action='person.create' BEGIN SELECT RAISE(ABORT,'x'); END;");
  assert.equal(t.status, 0, t.stderr);
  try {
    const res = await (await as('staff')).post('/api/v1/people', { name: '审计失败测试二' });
    assert.equal(res.status, 503);
    assert.match(res.headers.get('retry-after') ?? '', /^\d+$/);
  } finally {
    sqlite(srv.db, 'DROP TRIGGER t_fail2;');
  }
});

test('fail closed: the refusal is logged', () => {
  assert.match(srv.log(), /audit write failed for person\.create/);
});

test('fail closed: other writes with their audit still work meanwhile', async () => {
  const res = await (await as('secadmin')).patch('/api/v1/settings', { idle_min: 30 });
  assert.equal(res.status, 200);
});

test('fail closed: with the trigger gone, the same write works (201)', async () => {
  const t = sqlite(srv.db, 'DROP TRIGGER t_fail;');
  assert.equal(t.status, 0, t.stderr);
  const staff = await as('staff');
  const res = await staff.post('/api/v1/people', { name: '审计失败测试' });
  assert.equal(res.status, 201);
  const list = await json(await staff.get(`/api/v1/people?q=${encodeURIComponent('审计失败测试')}`));
  assert.equal(list.items.length, 1);
  assert.equal(sqlite(srv.db, "SELECT count(*) FROM person WHERE name='审计失败测试'").stdout.trim(), '1');
});

// Last: this breaks the chain for good.
test('tampering: an edited record is found by the CLI (exit 1, names record 5)', () => {
  const t = sqlite(srv.db, 'DROP TRIGGER audit_no_update; UPDATE audit SET detail=\'{"x":1}\' WHERE id=5;');
  assert.equal(t.status, 0, t.stderr);
  const r = srv.cli(['audit', 'verify']);
  assert.equal(r.status, 1);
  assert.match(r.stdout + r.stderr, /record 5\b/);
  assert.match(r.stdout + r.stderr, /BROKEN/i);
});

test('tampering: the auditor\'s check reports intact:false and broken_id 5', async () => {
  const res = await (await as('auditor')).post('/api/v1/audit/verify', {});
  assert.equal(res.status, 200);
  const body = await json(res);
  assert.equal(body.intact, false);
  assert.equal(body.broken_id, 5);
  assert.match(body.why, /5/);
});

test('tampering: the failed check is itself audited', async () => {
  const [rec] = (await json(await (await as('auditor')).get('/api/v1/audit?action=audit.verify&limit=1'))).items;
  assert.equal(rec.result, 'fail');
  assert.equal(rec.detail.intact, false);
  assert.equal(rec.detail.broken_id, 5);
});

// ---------------------------------------------------------------- accounts waiting for roles, resets, public URL

test('an activated account waiting for its roles can sign in, see home and sign out', async () => {
  const sys = await as('sysadmin');
  const made = await json(await sys.post('/api/v1/accounts', { login: 'dengdai-shouquan', roles: ['staff'] }));
  const token = made.activation_url.split('/').pop();
  assert.equal((await srv.client().post(`/api/v1/activate/${token}`, { password: '等待授权的新同事 Wait-7' })).status, 204);
  const c = srv.client();
  const res = await c.login('dengdai-shouquan', '等待授权的新同事 Wait-7');
  assert.equal(res.status, 200);
  assert.deepEqual((await res.json()).user.roles, []);
  assert.equal((await c.get('/api/v1/me')).status, 200);
  const home = await c.get('/');
  assert.equal(home.status, 200);
  assert.match(await home.text(), /正在等待安全管理员授予角色/);
  assert.equal((await c.get('/api/v1/people')).status, 403, 'but nothing else');
  assert.equal((await c.delete('/api/v1/session')).status, 204);
});

test('a disabled account can be given a new activation link and come back', async () => {
  const sys = await as('sysadmin');
  const made = await json(await sys.post('/api/v1/accounts', { login: 'tingyong-huifu', roles: ['staff'] }));
  assert.equal((await sys.post(`/api/v1/accounts/${made.id}/disable`, {})).status, 200);
  const reset = await sys.post(`/api/v1/accounts/${made.id}/reset`, {});
  assert.equal(reset.status, 200);
  const token = (await json(reset)).activation_url.split('/').pop();
  assert.equal((await srv.client().post(`/api/v1/activate/${token}`, { password: '停用以后又回来了 Back-9' })).status, 204);
  assert.equal((await srv.client().login('tingyong-huifu', '停用以后又回来了 Back-9')).status, 200);
});

test('granting roles through the API must name the roles', async () => {
  const sec = await as('secadmin');
  const acc = (await json(await sec.get('/api/v1/accounts'))).items.find((a) => a.login === srv.logins.staff.login);
  const r = await sec.post(`/api/v1/accounts/${acc.id}/roles`, {});
  assert.equal(r.status, 422);
  assert.equal((await json(r)).error.field, 'roles');
  const after = (await json(await sec.get(`/api/v1/accounts/${acc.id}`)));
  assert.deepEqual(after.roles, ['staff'], 'nothing changed');
});

test('activation links use --public-url when it is set', async () => {
  const s2 = await startServer({ args: ['--public-url', 'https://xz.example.cn'] });
  try {
    const sys = await s2.as('sysadmin');
    const made = await json(await sys.post('/api/v1/accounts', { login: 'gongkai-dizhi', roles: ['staff'] }));
    assert.match(made.activation_url, /^https:\/\/xz\.example\.cn\/activate\/[A-Za-z0-9_-]{43}$/);
  } finally {
    await s2.stop();
  }
});
