// 13-matters-paths: the ledger list answers the same rows whichever statement reads them.
//
// matter_list() picks a statement by the filters (src/matter/matter_db.c, list_stmt()): the
// open matters only (the matter_open index) for overdue, due-soon and open-state filters; the
// search index newest first for a search of the whole township; the township's rows for the
// rest.  Each path is checked here against the unfiltered list filtered in JavaScript, on
// petitions in two villages, some accepted, some rejected, some overdue (the server's clock is
// moved past their deadlines).
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib.mjs';
import { call, getJson } from './lib-org.mjs';

let srv, leader, village;
let me, villageIds, all, today;
const made = [];

const cnDay = (ms) => new Date(ms + 8 * 3600e3).toISOString().slice(0, 10);
const addDays = (day, n) => cnDay(Date.parse(`${day}T00:00:00+08:00`) + n * 86400e3);
const CLOCK = 70;		// days the server's clock moves on after the petitions are made

async function register(over) {
  const r = await call(leader, 'POST', '/api/v1/matters', {
    type: 'petition', source: 'visit', body: '',
    details: { received_at: cnDay(Date.now()), petitioners: [{ name: '测试丙' }] },
    ...over,
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  made.push(r.body.id);
  return r.body;
}
const act = (id, action, body = {}) => call(leader, 'POST', `/api/v1/matters/${id}/${action}`, body);

// Every matter of the township, newest first (two pages of at most 200).
async function everything(c) {
  const out = [];
  let next = null;
  do {
    const page = await getJson(c, `/api/v1/matters?limit=200${next ? `&after=${next}` : ''}`);
    out.push(...page.items);
    next = page.next;
  } while (next);
  return out;
}

// The ids a filtered list answers, all pages, checking they come newest first.
async function ids(c, query, limit = 3) {
  const out = [];
  let next = null;
  do {
    const page = await getJson(c, `/api/v1/matters?${query}&limit=${limit}${next ? `&after=${next}` : ''}`);
    out.push(...page.items.map((x) => x.id));
    next = page.next;
  } while (next);
  for (let i = 1; i < out.length; i++) assert.ok(out[i] < out[i - 1], `${query}: newest first`);
  return out;
}

const open = (m) => m.state !== 'closed' && m.state !== 'rejected';
const overdue = (m) => open(m) && !m.paused && m.due_on !== null && m.due_on < today;
const dueSoon = (m) => open(m) && !m.paused && m.due_on !== null && m.due_on >= today &&
  m.due_on <= addDays(today, 7);
const has = (s) => (m) => m.title.includes(s);
const expect = (pred) => all.filter(pred).map((m) => m.id);

before(async () => {
  srv = await startServer({ clock: true });
  leader = await srv.as('leader');
  village = await srv.as('village');
  me = (await getJson(village, '/api/v1/me')).user;
  villageIds = (await getJson(leader, '/api/v1/villages')).items.map((v) => v.id);
  assert.ok(villageIds.includes(me.village_id));
  const other = villageIds.find((v) => v !== me.village_id);
  const base = cnDay(Date.now());
  // Received from 75 days ago to today, alternating villages and titles.
  const titles = ['灌溉渠道渗漏', '村道泥泞难行', '土地承包纠纷', '渠道与道路'];
  for (let i = 0; i < 16; i++) {
    await register({
      title: titles[i % titles.length],
      village_id: i % 3 === 0 ? other : me.village_id,
      details: { received_at: addDays(base, -75 + i * 5), petitioners: [{ name: '测试丙' }] },
    });
  }
  // Some accepted (their 60-day clock runs out once the clock moves), some rejected.
  for (const [k, id] of made.entries()) {
    if (k % 4 === 1) assert.equal((await act(id, 'accept')).status, 200);
    if (k % 4 === 3) assert.equal((await act(id, 'reject', { note: '不属于受理范围' })).status, 200);
  }
  srv.setClock(`+${CLOCK}d`);
  leader = await srv.as('leader');
  village = await srv.as('village');
  today = cnDay(Date.now() + CLOCK * 86400e3);
  all = (await everything(leader)).filter((m) => made.includes(m.id));
  assert.equal(all.length, made.length);
  assert.ok(all.some(overdue) && all.some((m) => m.state === 'accepted' && overdue(m)), 'overdue rows exist');
  assert.ok(all.some((m) => !open(m)), 'closed rows exist');
});
after(async () => { await srv.stop(); });

// The filters are checked on this test's petitions only (the demo may hold others).
const mine = (list) => list.filter((id) => made.includes(id));

describe('open-matter filters (the matter_open index)', () => {
  test('overdue', async () => {
    assert.deepEqual(mine(await ids(leader, 'overdue=1')), expect(overdue));
  });
  test('an open state, with and without the type', async () => {
    const want = expect((m) => m.state === 'accepted');
    assert.ok(want.length > 0);
    assert.deepEqual(mine(await ids(leader, 'type=petition&state=accepted')), want);
    assert.deepEqual(mine(await ids(leader, 'state=accepted')), want);
  });
  test('an open state in one village, overdue', async () => {
    const v = me.village_id;
    const want = expect((m) => m.state === 'accepted' && m.village_id === v && overdue(m));
    assert.ok(want.length > 0);
    assert.deepEqual(mine(await ids(leader, `type=petition&state=accepted&village=${v}&overdue=1`)), want);
  });
  test('due within 7 days', async () => {
    assert.deepEqual(mine(await ids(leader, 'due_soon=1')), expect(dueSoon));
  });
  test('a closed state still lists closed matters', async () => {
    const want = expect((m) => m.state === 'rejected');
    assert.ok(want.length > 0);
    assert.deepEqual(mine(await ids(leader, 'state=rejected')), want);
  });
});

describe('search', () => {
  test('the whole township (the search index newest first), one and two characters', async () => {
    for (const s of ['渠', '道路', '纠纷']) {
      const want = expect(has(s));
      assert.ok(want.length > 0, s);
      assert.deepEqual(mine(await ids(leader, `q=${encodeURIComponent(s)}`)), want, s);
    }
  });
  test('with a village, an open filter or an owner (the township\'s rows)', async () => {
    const v = me.village_id;
    const q = encodeURIComponent('道');
    assert.deepEqual(mine(await ids(leader, `q=${q}&village=${v}`)),
      expect((m) => has('道')(m) && m.village_id === v));
    assert.deepEqual(mine(await ids(leader, `q=${q}&overdue=1`)), expect((m) => has('道')(m) && overdue(m)));
  });
  test('a village cadre searches their own village only', async () => {
    const got = mine(await ids(village, `q=${encodeURIComponent('道')}`));
    assert.deepEqual(got, expect((m) => has('道')(m) && m.village_id === me.village_id));
  });
  test('a search that matches nothing is an empty page, not an error', async () => {
    const r = await getJson(leader, `/api/v1/matters?q=${encodeURIComponent('鑫')}`);
    assert.deepEqual(r.items, []);
    assert.equal(r.next, null);
  });
});
