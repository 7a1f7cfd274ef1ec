// 42-stale-accounts: accounts nobody has used for the policy's inactive_days
// are disabled by the server's sweep, audited, and an admin role is never left
// without an active holder (SECURITY #24).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { startServer, json } from './lib.mjs';

let srv;
before(async () => {
  srv = await startServer({
    clock: true, env: { XIANGZHI_INACTIVE_DAYS: '60', XIANGZHI_SWEEP_SECONDS: '1' },
  });
});
after(async () => { await srv.stop(); });

// Signs in; a password past its 90 days is changed first, as the user would.
async function signIn(role) {
  const c = srv.client();
  const who = srv.logins[role];
  const res = await c.login(who.login, who.password);
  if (res.status === 200 && (await res.clone().json()).user.must_change) {
    const fresh = `Quiet-Sweep-${role}-${Date.now()}!`;
    assert.equal((await c.post('/api/v1/me/password', { old: who.password, new: fresh })).status, 204);
    who.password = fresh;
  }
  return { c, status: res.status };
}

test('[S24] within inactive_days nothing is disabled', async () => {
  srv.setClock('+59d');
  await sleep(2500);
  await sleep(2500);  // a sweep or two: enabling counts as use
  const again = await signIn('staff');
  assert.equal(again.status, 200, srv.log().split('\n').slice(-15).join('\n'));
});

test('[S24] past inactive_days the sweep disables unused accounts; sign-in is refused', async () => {
  srv.setClock('+120d');  // the staff member signed in at +59d: 61 days ago
  await sleep(2500);
  for (const role of ['staff', 'leader', 'village', 'inspector']) {
    assert.equal((await signIn(role)).status, 401, `${role} is disabled`);
  }
});

test('[S24] the only holder of each admin role stays active, so the system can be managed', async () => {
  for (const role of ['sysadmin', 'secadmin', 'auditor']) {
    assert.equal((await signIn(role)).status, 200, `${role} can sign in`);
  }
});

test('[S24] each disabling is audited as the system, with the reason and the days', async () => {
  const { c } = await signIn('auditor');
  const { items } = await json(await c.get('/api/v1/audit?action=account.disable&limit=100'));
  assert.ok(items.length >= 4, `audited: ${items.length}`);
  for (const r of items) {
    assert.equal(r.actor, 'system');
    assert.equal(r.result, 'ok');
    assert.deepEqual(r.detail, { reason: 'inactive', days: 60 });
  }
  const ids = new Set(items.map((r) => r.object_id));
  assert.equal(ids.size, items.length, 'each account is disabled once, not at every sweep');
});

test('[S24] the system admin enables a disabled cadre, who can then sign in', async () => {
  const { c } = await signIn('sysadmin');
  const list = await json(await c.get('/api/v1/accounts?limit=100'));
  const staff = list.items.find((a) => a.login === srv.logins.staff.login);
  assert.equal(staff.status, 'disabled');
  const res = await c.post(`/api/v1/accounts/${staff.id}/enable`, {});
  assert.equal(res.status, 200, (await res.clone().text()) + srv.log().split('\n').slice(-15).join('\n'));
  assert.equal((await signIn('staff')).status, 200);
});

test('[S31] after 200 days and many sweeps every audit record is still there and the chain verifies', async () => {
  srv.setClock('+200d');
  await sleep(2500);
  const r = srv.cli(['audit', 'verify']);
  assert.equal(r.status, 0, r.stderr);
  const { c } = await signIn('auditor');
  const first = await json(await c.get('/api/v1/audit?limit=1'));
  assert.ok(first.items[0].id >= 40, 'the log has grown');
  // Walk to the oldest record: nothing below id 1 was ever removed.
  let page = await json(await c.get('/api/v1/audit?limit=200')), ids = [];
  for (;;) {
    ids.push(...page.items.map((x) => Number(x.id)));
    if (!page.next) break;
    page = await json(await c.get(`/api/v1/audit?limit=200&after=${page.next}`));
  }
  assert.equal(Math.min(...ids), 1, 'the first record is kept');
  assert.equal(ids.length, Math.max(...ids), 'no record is missing');
});
