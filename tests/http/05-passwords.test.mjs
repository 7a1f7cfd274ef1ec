// 05-passwords: the password policy, password changes, storage and the CLI.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { startServer, json } from './lib.mjs';
import { sqlite } from './lib-admin.mjs';

const CJK = /[\u4e00-\u9fff]/;

let srv;
const pw = {};		// role -> the password it has now
const tried = new Set();	// every password this file sent, for the leak search

before(async () => {
  srv = await startServer();
  for (const [role, { password }] of Object.entries(srv.logins)) pw[role] = password;
});
after(async () => { await srv.stop(); });

// A deterministic mixed string of n characters with no walks or runs in it.
function mixed(n, seed = 7) {
  const cs = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789#%&*+-=?@';
  let s = '';
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    s += cs[x % cs.length];
  }
  return s;
}

// Change the password of "role" through the API, signed in as "c".
async function change(c, role, next, old = pw[role]) {
  tried.add(next);
  const res = await c.post('/api/v1/me/password', { old, new: next });
  if (res.status === 204) pw[role] = next;
  return res;
}

async function signIn(role, password = pw[role]) {
  return srv.client().login(srv.logins[role].login, password);
}

// A client signed in as "role" with the password it has now.
async function as(role) {
  const c = srv.client();
  const res = await c.login(srv.logins[role].login, pw[role]);
  assert.equal(res.status, 200, `sign-in as ${role}`);
  return c;
}

// A refusal: 422, the error on "field", a Chinese message (matching "re").
async function assertRefused(res, field, re = CJK) {
  assert.equal(res.status, 422);
  const err = (await json(res)).error;
  assert.equal(err.field, field);
  assert.match(err.message, CJK);
  assert.match(err.message, re);
  return err;
}

// --- length and classes ---------------------------------------------------------

test('11 characters are refused (422, field new, "至少需要12个字符")', async () => {
  const c = await as('leader');
  await assertRefused(await change(c, 'leader', 'Quiet-Rive7'), 'new', /12/);
  assert.equal((await signIn('leader')).status, 200, 'the old password still works');
});

test('12 characters with 3 classes ("Quiet-River7") are accepted (204)', async () => {
  const c = await as('leader');
  const old = pw.leader;
  const res = await change(c, 'leader', 'Quiet-River7');
  assert.equal(res.status, 204);
  assert.equal((await signIn('leader')).status, 200, 'the new password works');
  assert.equal((await signIn('leader', old)).status, 401, 'the old one does not');
});

test('12 characters of only 2 classes are refused', async () => {
  const c = await as('leader');
  await assertRefused(await change(c, 'leader', 'quietmeadowriver'), 'new');
});

test('a passphrase with spaces is accepted', async () => {
  const c = await as('leader');
  assert.equal((await change(c, 'leader', 'correct horse Battery 7 staple')).status, 204);
  assert.equal((await signIn('leader')).status, 200);
});

test('128 characters are accepted', async () => {
  const c = await as('member');
  const p = mixed(128);
  assert.equal(p.length, 128);
  assert.equal((await change(c, 'member', p)).status, 204);
  assert.equal((await signIn('member')).status, 200);
});

test('129 characters are refused ("不能超过128个字符")', async () => {
  const c = await as('member');
  await assertRefused(await change(c, 'member', mixed(129, 11)), 'new', /128/);
});

test('Chinese characters with a digit and a symbol are accepted', async () => {
  const c = await as('staff');
  assert.equal((await change(c, 'staff', '冬天的雪很大Snow-2026')).status, 204);
  assert.equal((await signIn('staff')).status, 200);
});

test('Unicode is normalised (NFKC): a full-width password signs in with its ASCII form', async () => {
  const c = await as('sysadmin');
  tried.add('Quiet-Meadow9');
  assert.equal((await change(c, 'sysadmin', 'Ｑｕｉｅｔ－Ｍｅａｄｏｗ９')).status, 204);
  assert.equal((await signIn('sysadmin', 'Quiet-Meadow9')).status, 200);
  assert.equal((await signIn('sysadmin', 'Ｑｕｉｅｔ－Ｍｅａｄｏｗ９')).status, 200);
});

test('a control character in a password is refused', async () => {
  const c = await as('sysadmin');
  await assertRefused(await change(c, 'sysadmin', 'Quiet\tHarbor-Lamp7'), 'new', /控制字符/);
});

// --- leaked shapes, walks, the login, the old password ------------------------------

for (const p of ['Zn135246135@', 'Mrj135246!!!', 'zn135246@zn135246', '135246zn@@@@', 'Abc12345678!', 'Password2026!']) {
  test(`the leaked-table shape "${p}" is refused`, async () => {
    const c = await as('village');
    await assertRefused(await change(c, 'village', p), 'new');
  });
}

for (const p of ['1qaz2wsx3edc!Q', 'Qwertyuiop[]12', '!QAZ2wsx#EDC4rfv', 'zaq1XSW2cde3!']) {
  test(`the keyboard walk "${p}" is refused`, async () => {
    const c = await as('village');
    await assertRefused(await change(c, 'village', p), 'new', /键盘|常见/);
  });
}

test('a password containing the login is refused ("登录名")', async () => {
  const c = await as('village');
  const login = srv.logins.village.login;
  const p = `${login[0].toUpperCase()}${login.slice(1)}#Field82x`;
  await assertRefused(await change(c, 'village', p), 'new', /登录名/);
});

test('a password containing one\'s own name is refused ("姓名")', async () => {
  const c = await as('village');
  const me = await json(await c.get('/api/v1/me'));
  await assertRefused(await change(c, 'village', `${me.user.name}Harbor-8315!x`), 'new', /姓名/);
});

test('the same password as the old one is refused', async () => {
  const c = await as('village');
  await assertRefused(await change(c, 'village', pw.village), 'new', /旧密码/);
});

test('a password one character away from the old one is refused', async () => {
  const c = await as('village');
  await assertRefused(await change(c, 'village', `${pw.village}x`), 'new', /旧密码/);
});

test('a wrong old password is refused (422, field old) and nothing changes', async () => {
  const c = await as('village');
  const res = await change(c, 'village', 'Harbor-Lantern-Quiet-58!', 'Not-The-Old-One-99!');
  await assertRefused(res, 'old', /原密码/);
  assert.equal((await signIn('village')).status, 200, 'the old password still works');
  assert.equal((await signIn('village', 'Harbor-Lantern-Quiet-58!')).status, 401);
  assert.equal((await c.get('/api/v1/me')).status, 200, 'the session goes on');
});

test('after all those refusals the account is not locked', async () => {
  assert.equal((await signIn('village')).status, 200);
});

// --- one pattern per township ----------------------------------------------------

test('account A sets "Gansu#2023-1126!Wind"', async () => {
  const c = await as('cleaner');
  assert.equal((await change(c, 'cleaner', 'Gansu#2023-1126!Wind')).status, 204);
});

test('account B may not use the same pattern ("Plain#2023-1126!Yard" → 同一模式)', async () => {
  const c = await as('inspector');
  await assertRefused(await change(c, 'inspector', 'Plain#2023-1126!Yard'), 'new', /同一模式/);
  assert.equal((await signIn('inspector')).status, 200, 'the old password still works');
});

test('account B may use a different pattern', async () => {
  const c = await as('inspector');
  assert.equal((await change(c, 'inspector', 'Plain#2024-0807!Yard')).status, 204);
});

// --- sessions ---------------------------------------------------------------------

test('after a change, the account\'s other sessions end and the changing one goes on', async () => {
  const one = await as('village2');
  const two = await as('village2');
  assert.equal((await two.get('/api/v1/me')).status, 200);
  assert.equal((await change(one, 'village2', 'Orchard-Kettle#7741mq')).status, 204);
  assert.equal((await two.get('/api/v1/me')).status, 401, 'the other session ended');
  assert.equal((await one.get('/api/v1/me')).status, 200, 'the changing session goes on');
  assert.equal((await one.get('/api/v1/people?limit=1')).status, 200);
});

test('another account\'s sessions are not touched by a change', async () => {
  const other = await as('village');
  const c = await as('village2');
  assert.equal((await change(c, 'village2', 'Saffron-Bridge#3390kt')).status, 204);
  assert.equal((await other.get('/api/v1/me')).status, 200);
});

test('a password change needs a session (401) and the CSRF token (403)', async () => {
  const anon = await srv.client().post('/api/v1/me/password', { old: 'x', new: 'Saffron-Bridge#3390kz' });
  assert.equal(anon.status, 401);
  const c = await as('village2');
  const res = await c.post('/api/v1/me/password', { old: pw.village2, new: 'Saffron-Bridge#3390kz' }, { csrf: false });
  assert.equal(res.status, 403);
  assert.equal((await signIn('village2')).status, 200, 'unchanged');
});

// --- the CLI -----------------------------------------------------------------------

test('CLI: user passwd with a weak password exits 1 with a Chinese message', async () => {
  tried.add('short1!A');
  const r = srv.cli(['user', 'passwd', srv.logins.secadmin.login, '--password-stdin'], { input: 'short1!A\n' });
  assert.equal(r.status, 1);
  assert.match(r.stderr, CJK);
  assert.equal((await signIn('secadmin')).status, 200, 'unchanged');
});

test('CLI: user passwd with a strong password exits 0 and the password works', async () => {
  const old = pw.secadmin;
  const next = 'Harvest-Lantern#5520q';
  tried.add(next);
  const r = srv.cli(['user', 'passwd', srv.logins.secadmin.login, '--password-stdin'], { input: `${next}\n` });
  assert.equal(r.status, 0, r.stderr);
  pw.secadmin = next;
  assert.equal((await signIn('secadmin')).status, 200);
  assert.equal((await signIn('secadmin', old)).status, 401);
});

test('CLI: user add with an empty password exits non-zero and leaves no usable account', async () => {
  const r = srv.cli(['user', 'add', 'kongmima', '--role', 'staff', '--password-stdin'], { input: '\n' });
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /password/i);
  const row = sqlite(srv.db, "SELECT status, pw_hash IS NULL FROM account WHERE login='kongmima'").stdout.trim();
  if (row !== '') assert.equal(row, 'pending|1', 'at most a pending account without a hash');
  assert.notEqual((await srv.client().login('kongmima', '')).status, 200);
  assert.equal((await srv.client().login('kongmima', 'Anything-Goes-123!')).status, 401);
});

test('CLI: user add with a weak password exits non-zero', async () => {
  tried.add('zn135246@@@');
  const r = srv.cli(['user', 'add', 'ruomima', '--role', 'staff', '--password-stdin'], { input: 'zn135246@@@\n' });
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, CJK);
  assert.equal((await srv.client().login('ruomima', 'zn135246@@@')).status, 401);
});

test('CLI: user add with a strong password works', async () => {
  const p = 'Juniper-Valley#6028wd';
  tried.add(p);
  const r = srv.cli(['user', 'add', 'qiangmima', '--role', 'staff', '--password-stdin'], { input: `${p}\n` });
  assert.equal(r.status, 0, r.stderr);
  const res = await srv.client().login('qiangmima', p);
  assert.equal(res.status, 200);
  assert.deepEqual((await json(res)).user.roles, ['staff']);
});

// --- rehash ----------------------------------------------------------------------------

test('a low-cost hash is rewritten with the current parameters at the next sign-in', async (t) => {
  // libsodium's crypto_pwhash_str_alg() at its minimum cost, from a tiny C
  // program (Node 20 has no Argon2).
  const src = join(srv.dir, 'lowhash.c');
  const bin = join(srv.dir, 'lowhash');
  writeFileSync(src, `#include <sodium.h>
#include <stdio.h>
#include <string.h>
int main(int argc, char **argv) {
	char out[crypto_pwhash_STRBYTES];
	if (argc != 2 || sodium_init() < 0) return 1;
	if (crypto_pwhash_str_alg(out, argv[1], strlen(argv[1]), 1, 8192,
	    crypto_pwhash_ALG_ARGON2ID13) != 0) return 1;
	puts(out);
	return 0;
}
`);
  try {
    execFileSync('cc', ['-o', bin, src, '-lsodium'], { stdio: 'pipe' });
  } catch {
    t.skip('no C compiler or libsodium headers to make a low-cost hash');
    return;
  }
  const p = 'Winter-Kettle#4471zz';
  tried.add(p);
  const low = execFileSync(bin, [p], { encoding: 'utf8' }).trim();
  assert.match(low, /^\$argon2id\$v=19\$m=8,t=1,p=1\$/);
  const login = srv.logins.auditor.login;
  const up = sqlite(srv.db, `UPDATE account SET pw_hash='${low}' WHERE login='${login}'`);
  assert.equal(up.status, 0, up.stderr);
  assert.equal((await signIn('auditor', p)).status, 200, 'the low-cost hash verifies');
  const now = sqlite(srv.db, `SELECT pw_hash FROM account WHERE login='${login}'`).stdout.trim();
  assert.notEqual(now, low);
  assert.match(now, /^\$argon2id\$v=19\$m=65536,t=2,p=1\$/);
  pw.auditor = p;
  assert.equal((await signIn('auditor')).status, 200, 'and the new hash verifies too');
});

// --- storage -----------------------------------------------------------------------------

test('the database stores only Argon2id hashes with m=65536,t=2', () => {
  const r = sqlite(srv.db, 'SELECT pw_hash FROM account WHERE pw_hash IS NOT NULL');
  assert.equal(r.status, 0, r.stderr);
  const hashes = r.stdout.trim().split('\n');
  assert.ok(hashes.length >= 11, `${hashes.length} hashes`);
  for (const h of hashes) assert.match(h, /^\$argon2id\$v=19\$m=65536,t=2,p=1\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/);
  const bad = sqlite(srv.db, "SELECT count(*) FROM account WHERE status='active' AND (pw_hash IS NULL OR pw_hash = '')");
  assert.equal(bad.stdout.trim(), '0', 'no active account without a hash');
});

test('no two accounts share a hash (salts are random)', () => {
  const r = sqlite(srv.db, 'SELECT count(*) - count(DISTINCT pw_hash) FROM account WHERE pw_hash IS NOT NULL');
  assert.equal(r.stdout.trim(), '0');
});

test('no password set or tried here appears in the database, its WAL, or the server log', () => {
  const files = [srv.db, `${srv.db}-wal`].filter((f) => existsSync(f)).map((f) => [f, readFileSync(f)]);
  files.push(['server log', Buffer.from(srv.log(), 'utf8')]);
  assert.ok(tried.size >= 20, `${tried.size} passwords`);
  for (const p of tried) {
    const needle = Buffer.from(p, 'utf8');
    for (const [name, bytes] of files) assert.equal(bytes.indexOf(needle), -1, `"${p}" found in ${name}`);
  }
});

test('refusals are logged with their reason, never the password', () => {
  const log = srv.log();
  assert.match(log, /password refused: too short/);
  assert.match(log, /password refused: keyboard walk/);
  assert.match(log, /password refused: short letter stem/);
});

test('wrong old passwords at the password change count toward the lockout', async () => {
  const s2 = await startServer();
  try {
    const c = await s2.as('inspector');
    for (let i = 0; i < 5; i++) {
      const r = await c.post('/api/v1/me/password', { old: `Wrong-old-${i}!x`, new: 'Irrelevant-New-Pass-9' });
      assert.equal(r.status, 422);
    }
    const { login, password } = s2.logins.inspector;
    assert.equal((await s2.client().login(login, password)).status, 401, 'locked');
  } finally {
    await s2.stop();
  }
});
