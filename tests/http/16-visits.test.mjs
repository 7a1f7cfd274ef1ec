// 16-visits: household visits (村组干部走访登记表): logging, weekly coverage, scope, roles,
// validation, XSS, a petition opened from a visit, and the paper form.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib.mjs';
import { call, getJson, mainOf, alerts, CHINESE, assert422, clients, pageHas } from './lib-org.mjs';

let srv, as, longzui, xiqu;

// Days in Asia/Shanghai, as the server counts them.
const DAY = 86400000;
const cnDay = (offset = 0) => new Date(Date.now() + 8 * 3600000 + offset * DAY).toISOString().slice(0, 10);
const today = () => cnDay(0);
function mondayOf(iso) {
  const d = new Date(`${iso}T00:00:00Z`);
  const wd = (d.getUTCDay() + 6) % 7;  // Monday 0 .. Sunday 6
  return new Date(d.getTime() - wd * DAY).toISOString().slice(0, 10);
}

before(async () => {
  srv = await startServer();
  as = clients(srv);
  const vs = (await getJson(await as('leader'), '/api/v1/villages')).items;
  longzui = vs.find((v) => v.name === '龙咀子村');
  xiqu = vs.find((v) => v.name === '西渠村');
});
after(async () => { await srv.stop(); });

const coverage = async (role = 'leader', q = '') => getJson(await as(role), `/api/v1/visits/coverage${q}`);
const villageOf = (cov, id) => cov.villages.find((v) => v.id === id);
// An unvisited household of a village this week, and the village's cadres.
async function place(villageId, role = 'leader') {
  const v = villageOf(await coverage(role), villageId);
  const g = v.groups.find((x) => x.unvisited.length > 0);
  return { village: v, household: g.unvisited[0], group: g, cadres: v.cadres };
}
// The newest visit id in the township ("nothing stored" means it did not move).
async function newest() {
  const l = await getJson(await as('leader'), '/api/v1/visits?limit=1');
  return l.items.length ? l.items[0].id : 0;
}
// The signed-in village cadre as a cadre of their village ({person_id, name}).
async function me(role) {
  const user = (await getJson(await as(role), '/api/v1/me')).user;
  const v = villageOf(await coverage('leader'), user.village_id);
  const c = v.cadres.find((x) => x.name === user.name);
  return { person_id: c.id, name: c.name };
}
async function log(body, role = 'village') {
  return call(await as(role), 'POST', '/api/v1/visits', body);
}

// ---------------------------------------------------------------- the demo and coverage

test('the demo logs most of this week\'s visits, leaves some households out and one cadre below the round', async () => {
  const cov = await coverage();
  assert.equal(cov.round, 10, 'the default weekly round');
  assert.equal(cov.week.start, mondayOf(today()));
  assert.equal(cov.villages.length, 5);
  assert.ok(cov.totals.visited > 0 && cov.totals.unvisited > 0, JSON.stringify(cov.totals));
  assert.equal(cov.totals.households, cov.totals.visited + cov.totals.unvisited);
  assert.equal(cov.totals.below, 1, 'exactly one cadre below the round');
  for (const v of cov.villages) {
    const sum = v.groups.reduce((n, g) => n + g.households, 0);
    const seen = v.groups.reduce((n, g) => n + g.visited, 0);
    assert.equal(v.households, sum, `${v.name}: households add up`);
    assert.equal(v.visited, seen, `${v.name}: visited add up`);
    for (const g of v.groups) {
      assert.equal(g.unvisited.length, g.households - g.visited, `${v.name}${g.name}: the unvisited list`);
      assert.equal(g.complete, g.unvisited.length === 0);
      assert.equal(g.percent, Math.floor((g.visited * 100) / g.households));
    }
  }
  const below = cov.villages.flatMap((v) => v.cadres).filter((c) => c.below);
  assert.equal(below.length, 1);
  assert.ok(below[0].visits < 10);
});

test('a week with no visits yet shows everyone unvisited and every cadre below the round', async () => {
  const next = cnDay(7);
  const cov = await coverage('leader', `?week=${next}`);
  assert.equal(cov.week.start, mondayOf(next));
  assert.equal(cov.totals.visited, 0);
  assert.equal(cov.totals.unvisited, cov.totals.households);
  assert.ok(cov.villages.flatMap((v) => v.cadres).every((c) => c.below && c.visits === 0));
});

test('any day of a week names that week; a bad week is 422 naming "week"', async () => {
  const c = await as('leader');
  const monday = mondayOf(today());
  for (const d of [monday, cnDay(0)]) {
    const cov = await getJson(c, `/api/v1/visits/coverage?week=${d}`);
    assert.equal(cov.week.start, monday);
  }
  for (const bad of ['abc', '2026-02-30', '2026-13-01']) {
    assert422(await call(c, 'GET', `/api/v1/visits/coverage?week=${bad}`), 'week', bad);
    assert422(await call(c, 'GET', `/api/v1/visits?week=${bad}`), 'week', bad);
  }
});

// ---------------------------------------------------------------- logging

test('a village cadre logs a visit through the API: 201, stored, audited, coverage moves', async () => {
  const before = await place(longzui.id, 'village');
  const self = await me('village');
  const other = before.cadres.find((c) => c.id !== self.person_id);
  const cadreBefore = before.cadres.find((c) => c.id === other.id).visits;
  const r = await log({
    visited_on: today(), household_id: before.household.id, cadre_ids: [self.person_id, String(other.id)],
    findings: '老人冬季取暖正常，反映自来水冬天易冻', follow_up: '已报村委会协调',
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.equal(r.body.household_id, before.household.id);
  assert.equal(r.body.village_id, longzui.id);
  assert.equal(r.body.visited_on, today());
  assert.equal(r.body.matter_id, null);
  assert.deepEqual(r.body.went.map((x) => x.id).sort(), [self.person_id, other.id].sort());
  assert.equal(r.body.head, before.household.head);

  const got = await getJson(await as('leader'), `/api/v1/visits/${r.body.id}`);
  assert.equal(got.findings, '老人冬季取暖正常，反映自来水冬天易冻');
  assert.equal(got.follow_up, '已报村委会协调');

  const after = villageOf(await coverage(), longzui.id);
  assert.equal(after.visited, before.village.visited + 1, 'one more household visited');
  const g = after.groups.find((x) => x.id === before.group.id);
  assert.ok(!g.unvisited.some((h) => h.id === before.household.id), 'no longer in the unvisited list');
  assert.equal(after.cadres.find((c) => c.id === other.id).visits, cadreBefore + 1, 'the cadre who went counts it');

  const audit = await getJson(await as('auditor'), '/api/v1/audit?action=visit');
  const rec = audit.items.find((x) => x.action === 'visit.create' && String(x.object_id) === String(r.body.id));
  assert.ok(rec, 'an audit record visit.create');
  assert.equal(rec.actor, srv.logins.village.login);
  assert.equal(rec.detail.household_id, before.household.id);
  assert.ok(!JSON.stringify(rec).includes('自来水'), 'no findings in the audit record');
});

test('a second visit to the same household does not count it twice', async () => {
  const p = await place(longzui.id, 'village');
  const first = await log({ visited_on: today(), household_id: p.household.id, findings: '第一次走访' });
  assert.equal(first.status, 201, JSON.stringify(first.body));
  const mid = villageOf(await coverage(), longzui.id);
  const second = await log({ visited_on: today(), household_id: p.household.id, findings: '第二次走访' });
  assert.equal(second.status, 201);
  const end = villageOf(await coverage(), longzui.id);
  assert.equal(end.visited, mid.visited);
  const self = await me('village');
  assert.equal(end.cadres.find((c) => c.id === self.person_id).visits,
    mid.cadres.find((c) => c.id === self.person_id).visits, 'distinct households per cadre');
});

test('the API defaults who went to the signed-in cadre', async () => {
  const p = await place(longzui.id, 'village');
  const self = await me('village');
  const r = await log({ visited_on: today(), household_id: p.household.id, findings: '家中一切正常' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.deepEqual(r.body.went.map((x) => x.id), [self.person_id]);
});

test('the form page: today\'s date, households grouped by 组, the signed-in cadre ticked', async () => {
  const c = await as('village');
  const res = await c.get('/visits/new');
  assert.equal(res.status, 200);
  const html = mainOf(await res.text());
  const self = await me('village');
  assert.match(html, new RegExp(`name="visited_on" value="${today()}"`));
  assert.match(html, new RegExp(`max="${today()}"`));
  assert.match(html, /<optgroup label="一组">/);
  assert.match(html, /（本周已访）/, 'visited households are marked');
  assert.match(html, new RegExp(`name="cadre_ids" value="${self.person_id}" checked`));
  assert.ok(html.includes('发现问题，登记为信访事项'));
  const p = await place(longzui.id, 'village');
  const pre = mainOf(await (await c.get(`/visits/new?household=${p.household.id}`)).text());
  assert.match(pre, new RegExp(`value="${p.household.id}" selected`), 'the coverage link preselects the household');
});

test('a village cadre logs a visit through the page form: 303 to the visit, shown in the list', async () => {
  const c = await as('village');
  const p = await place(longzui.id, 'village');
  const self = await me('village');
  const res = await c.submit('/visits/new', {
    visited_on: cnDay(-1) < mondayOf(today()) ? today() : cnDay(-1), household_id: String(p.household.id),
    cadre_ids: String(self.person_id), findings: '页面登记：询问养老保险缴费', follow_up: '',
  });
  assert.equal(res.status, 303);
  const loc = res.headers.get('location');
  assert.match(loc, /^\/visits\/\d+$/);
  const page = await c.get(loc);
  assert.equal(page.status, 200);
  const html = mainOf(await page.text());
  assert.ok(html.includes('页面登记：询问养老保险缴费'));
  assert.ok(html.includes(p.household.head));
  const list = mainOf(await (await c.get('/visits')).text());
  assert.ok(list.includes('页面登记：询问养老保险缴费'));
  assert.ok(list.includes(`href="${loc}"`));
});

test('a refused page form comes back with the input kept and the field named', async () => {
  const c = await as('village');
  const p = await place(longzui.id, 'village');
  const self = await me('village');
  const n = await newest();
  const res = await c.submit('/visits/new', {
    visited_on: cnDay(1), household_id: String(p.household.id), cadre_ids: String(self.person_id),
    findings: '留着的走访情况',
  });
  assert.equal(res.status, 422);
  const html = await res.text();
  assert.match(alerts(html).join(' '), /走访日期.*不能晚于今天/);
  assert.ok(mainOf(html).includes('留着的走访情况'), 'the findings are kept');
  assert.match(mainOf(html), new RegExp(`value="${p.household.id}" selected`), 'the household stays picked');
  assert.equal(await newest(), n, 'nothing stored');
});

// ---------------------------------------------------------------- validation

test('bad input, field by field: 422 naming the field, in Chinese, and nothing stored', async () => {
  const p = await place(longzui.id, 'village');
  const foreign = await place(xiqu.id, 'leader');
  const self = await me('village');
  const good = { visited_on: today(), household_id: p.household.id, cadre_ids: [self.person_id], findings: '正常' };
  const n = await newest();
  const cov = villageOf(await coverage(), longzui.id);
  const cases = [
    ['visited_on', { visited_on: undefined }],
    ['visited_on', { visited_on: '' }],
    ['visited_on', { visited_on: 'yesterday' }],
    ['visited_on', { visited_on: '2026-02-30' }],
    ['visited_on', { visited_on: cnDay(1) }],
    ['visited_on', { visited_on: cnDay(-31) }],
    ['household_id', { household_id: undefined }],
    ['household_id', { household_id: 'abc' }],
    ['household_id', { household_id: 99999999 }],
    ['household_id', { household_id: foreign.household.id }],
    ['findings', { findings: undefined }],
    ['findings', { findings: '   ' }],
    ['findings', { findings: '好' }],
    ['findings', { findings: '走'.repeat(2001) }],
    ['findings', { findings: 'bad\u0007bell' }],
    ['follow_up', { follow_up: '后'.repeat(1001) }],
    ['cadre_ids', { cadre_ids: [] }],
    ['cadre_ids', { cadre_ids: 'me' }],
    ['cadre_ids', { cadre_ids: [999999] }],
    ['cadre_ids', { cadre_ids: ['x'] }],
    ['cadre_ids', { cadre_ids: Array.from({ length: 11 }, () => self.person_id) }],
    ['cadre_ids', { cadre_ids: [foreign.cadres[0].id] }],
    ['open_matter', { open_matter: 'maybe' }],
    ['matter_title', { open_matter: true }],
    ['matter_title', { open_matter: true, matter_title: '问' }],
    ['matter_title', { open_matter: true, matter_title: '问'.repeat(101) }],
    ['matter_body', { open_matter: true, matter_title: '反映问题', matter_body: '内'.repeat(4001) }],
  ];
  for (const [field, over] of cases) {
    const body = { ...good, ...over };
    for (const k of Object.keys(body)) if (body[k] === undefined) delete body[k];
    assert422(await log(body), field, `${field} ${JSON.stringify(over).slice(0, 60)}`);
  }
  assert.equal(await newest(), n, 'no visit stored');
  const after = villageOf(await coverage(), longzui.id);
  assert.equal(after.visited, cov.visited, 'coverage unchanged');
});

test('30 days back is still accepted; the message for 31 says why', async () => {
  const p = await place(longzui.id, 'village');
  const ok = await log({ visited_on: cnDay(-30), household_id: p.household.id, findings: '补登上月走访' });
  assert.equal(ok.status, 201, JSON.stringify(ok.body));
  const old = await log({ visited_on: cnDay(-31), household_id: p.household.id, findings: '补登太久的走访' });
  assert422(old, 'visited_on');
  assert.match(old.body.error.message, /30天/);
});

// ---------------------------------------------------------------- scope and roles

test('a village cadre cannot see or log another village\'s visits', async () => {
  const foreign = await place(xiqu.id, 'leader');
  const r2 = await log({ visited_on: today(), household_id: foreign.household.id, findings: '西渠村的走访' }, 'village2');
  assert.equal(r2.status, 201, JSON.stringify(r2.body));
  const c = await as('village');
  assert.equal((await call(c, 'GET', `/api/v1/visits/${r2.body.id}`)).status, 404);
  assert.equal((await c.get(`/visits/${r2.body.id}`)).status, 404);
  assert.equal((await call(c, 'GET', `/api/v1/visits?village=${xiqu.id}`)).status, 404);
  assert.equal((await call(c, 'GET', `/api/v1/visits/coverage?village=${xiqu.id}`)).status, 404);
  assert.equal((await c.get(`/visits/print?village=${xiqu.id}`)).status, 404);
  const mine = await getJson(c, '/api/v1/visits?limit=200');
  assert.ok(mine.items.length > 0);
  assert.ok(mine.items.every((v) => v.village_id === longzui.id), 'only the own village in the list');
  const cov = await coverage('village');
  assert.deepEqual(cov.villages.map((v) => v.id), [longzui.id], 'only the own village covered');
  const n = await newest();
  assert422(await log({ visited_on: today(), household_id: foreign.household.id, findings: '越村登记' }), 'household_id');
  assert.equal(await newest(), n);
  // The leader sees both.
  assert.equal((await call(await as('leader'), 'GET', `/api/v1/visits/${r2.body.id}`)).status, 200);
});

test('roles: village cadres log; leaders, members, staff and the inspector read; others are refused', async () => {
  const p = await place(longzui.id, 'leader');
  const body = { visited_on: today(), household_id: p.household.id, cadre_ids: [p.cadres[0].id], findings: '领导代登' };
  const n = await newest();
  for (const role of ['leader', 'member', 'staff', 'inspector', 'cleaner', 'sysadmin', 'secadmin', 'auditor']) {
    const r = await log(body, role);
    assert.equal(r.status, 403, `${role} may not log a visit`);
  }
  assert.equal(await newest(), n);
  for (const role of ['leader', 'member', 'staff', 'inspector', 'village']) {
    const c = await as(role);
    for (const path of ['/api/v1/visits', '/api/v1/visits/coverage']) {
      assert.equal((await c.get(path)).status, 200, `${role} reads ${path}`);
    }
    assert.equal((await c.get('/visits/coverage')).status, 200);
    assert.equal((await c.get('/visits/print?blank=1')).status, 200);
  }
  for (const role of ['cleaner', 'sysadmin', 'secadmin', 'auditor']) {
    const c = await as(role);
    for (const path of ['/api/v1/visits', '/api/v1/visits/coverage', '/visits', '/visits/new', '/visits/print?blank=1']) {
      assert.equal((await c.get(path)).status, 403, `${role} GET ${path}`);
    }
  }
  for (const role of ['leader', 'inspector']) {
    assert.equal((await (await as(role)).get('/visits/new')).status, 403, `${role} has no visit form`);
  }
  const anon = srv.client();
  assert.equal((await anon.get('/api/v1/visits')).status, 401);
  assert.equal((await anon.get('/visits')).status, 303);
});

test('the home page links village cadres to the visit form and others to coverage', async () => {
  const v = mainOf(await (await (await as('village')).get('/')).text());
  assert.ok(v.includes('href="/visits/new"'));
  const l = mainOf(await (await (await as('leader')).get('/')).text());
  assert.ok(l.includes('href="/visits/coverage"'));
  assert.ok(!l.includes('href="/visits/new"'));
});

test('CSRF: a POST without the token is refused and stores nothing', async () => {
  const p = await place(longzui.id, 'village');
  const c = await as('village');
  const n = await newest();
  const r = await c.req('POST', '/api/v1/visits', {
    json: { visited_on: today(), household_id: p.household.id, findings: '无令牌' }, csrf: false,
  });
  assert.equal(r.status, 403);
  const f = await c.req('POST', '/visits/new', {
    form: { visited_on: today(), household_id: String(p.household.id), findings: '无令牌' }, csrf: false,
  });
  assert.equal(f.status, 403);
  const w = await c.req('POST', '/visits/new', {
    form: { csrf: 'forged', visited_on: today(), household_id: String(p.household.id), findings: '假令牌' }, csrf: false,
  });
  assert.equal(w.status, 403);
  const round = await (await as('leader')).req('PATCH', '/api/v1/visits/round', { json: { round: 3 }, csrf: false });
  assert.equal(round.status, 403);
  assert.equal(await newest(), n);
  assert.equal((await coverage()).round, 10);
});

// ---------------------------------------------------------------- the weekly round

test('a leader sets the weekly round; bad values are 422 and change nothing', async () => {
  const c = await as('leader');
  for (const bad of [0, 201, 'ten', '', null]) {
    assert422(await call(c, 'PATCH', '/api/v1/visits/round', { round: bad }), 'round', String(bad));
  }
  assert.equal((await coverage()).round, 10);
  for (const role of ['member', 'staff', 'inspector', 'village']) {
    assert.equal((await call(await as(role), 'PATCH', '/api/v1/visits/round', { round: 3 })).status, 403, role);
  }
  const before = (await coverage()).totals.below;
  const r = await call(c, 'PATCH', '/api/v1/visits/round', { round: 200 });
  assert.equal(r.status, 200);
  assert.equal(r.body.round, 200);
  const high = await coverage();
  assert.equal(high.round, 200);
  assert.ok(high.totals.below > before, 'more cadres below a higher round');
  // The page form, as a browser sends it.
  const res = await c.submit('/visits/coverage', { round: '10' });
  assert.equal(res.status, 303);
  assert.equal((await coverage()).round, 10);
  const bad = await c.submit('/visits/coverage', { round: '0' });
  assert.equal(bad.status, 422);
  assert.match(alerts(await bad.text()).join(' '), /每周走访户数/);
  const audit = await getJson(await as('auditor'), '/api/v1/audit?action=visit.round');
  assert.ok(audit.items.some((x) => x.action === 'visit.round' && x.detail.to === 200));
});

// ---------------------------------------------------------------- a petition from a visit

test('"发现问题，登记为信访事项" opens a petition (XF-…) linked both ways, in one transaction', async () => {
  const p = await place(longzui.id, 'village');
  const r = await log({
    visited_on: today(), household_id: p.household.id, findings: '反映与邻居宅基地边界争议，情绪激动',
    follow_up: '已约双方周五到村委会调解', open_matter: true, matter_title: '反映宅基地边界纠纷',
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.match(r.body.matter_code, /^XF-\d{4}-\d{4}$/);
  assert.ok(r.body.matter_id > 0);
  const m = await getJson(await as('leader'), `/api/v1/matters/${r.body.matter_id}`);
  assert.equal(m.code, r.body.matter_code);
  assert.equal(m.type, 'petition');
  assert.equal(m.source, 'visit_down');
  assert.equal(m.title, '反映宅基地边界纠纷');
  assert.equal(m.body, '反映与邻居宅基地边界争议，情绪激动', 'the findings stand in for the content');
  assert.equal(m.village_id, longzui.id);
  assert.equal(m.details.visit_id, r.body.id, 'the matter names the visit');
  assert.equal(m.details.received_at, today());
  assert.ok(m.petitioners.some((x) => x.name === p.household.head), 'the household head is the petitioner');
  assert.match(m.timeline[0].note, new RegExp(`走访记录第${r.body.id}号`), 'the timeline says it came from the visit');
  assert.ok(m.timeline[0].note.includes(p.household.head));
  // The matter's page links back; the visit page links to the matter.
  const mp = mainOf(await (await (await as('leader')).get(`/matters/${r.body.matter_id}`)).text());
  assert.ok(mp.includes(`href="/visits/${r.body.id}"`));
  const vp = mainOf(await (await (await as('village')).get(`/visits/${r.body.id}`)).text());
  assert.ok(vp.includes(`href="/matters/${r.body.matter_id}"`));
  assert.ok(vp.includes(r.body.matter_code));
  // The village cadre sees it in the petition ledger.
  const ledger = await getJson(await as('village'), '/api/v1/matters?limit=200');
  assert.ok(ledger.items.some((x) => x.id === r.body.matter_id));
  const audit = await getJson(await as('auditor'), '/api/v1/audit?action=visit.open_matter');
  assert.ok(audit.items.some((x) => String(x.object_id) === String(r.body.id) && x.detail.code === r.body.matter_code));
});

test('a petition from the page form too; a refused one stores neither the visit nor a matter', async () => {
  const c = await as('village');
  const p = await place(longzui.id, 'village');
  const self = await me('village');
  const matters = (await getJson(await as('leader'), '/api/v1/matters?limit=1')).items[0]?.id ?? 0;
  const n = await newest();
  const bad = await c.submit('/visits/new', {
    visited_on: today(), household_id: String(p.household.id), cadre_ids: String(self.person_id),
    findings: '发现问题', open_matter: '1', matter_title: '',
  });
  assert.equal(bad.status, 422);
  const html = await bad.text();
  assert.match(alerts(html).join(' '), /信访事由/);
  assert.match(mainOf(html), /name="open_matter" value="1" checked/, 'the box stays ticked');
  assert.equal(await newest(), n);
  assert.equal((await getJson(await as('leader'), '/api/v1/matters?limit=1')).items[0]?.id ?? 0, matters);
  const ok = await c.submit('/visits/new', {
    visited_on: today(), household_id: String(p.household.id), cadre_ids: String(self.person_id),
    findings: '发现问题', open_matter: '1', matter_title: '反映灌溉水渠堵塞',
  });
  assert.equal(ok.status, 303);
  const id = Number(ok.headers.get('location').split('/').pop());
  const v = await getJson(c, `/api/v1/visits/${id}`);
  assert.match(v.matter_code, /^XF-/);
});

// ---------------------------------------------------------------- XSS

test('findings and follow-up are escaped on the list, the visit, coverage and the paper form', async () => {
  const XSS = '<script>alert("xss")</script><img src=x onerror=alert(1)>';
  const p = await place(longzui.id, 'village');
  const r = await log({
    visited_on: today(), household_id: p.household.id, findings: `情况${XSS}`, follow_up: `后续${XSS}"'`,
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const c = await as('leader');
  const week = mondayOf(today());
  for (const path of ['/visits', `/visits/${r.body.id}`, `/visits/coverage?village=${longzui.id}`,
    `/visits/print?village=${longzui.id}&week=${week}`, `/visits?week=${week}&village=${longzui.id}`]) {
    const res = await c.get(path);
    assert.equal(res.status, 200, path);
    const html = await res.text();
    assert.ok(!html.includes('<script>alert'), `${path}: no live script`);
    assert.ok(!html.includes('<img src=x'), `${path}: no live img`);
    if (!path.startsWith('/visits/coverage')) assert.ok(pageHas(html, `情况${XSS}`), `${path}: shown escaped`);
  }
  // The JSON keeps the text as typed.
  const got = await getJson(c, `/api/v1/visits/${r.body.id}`);
  assert.equal(got.findings, `情况${XSS}`);
});

// ---------------------------------------------------------------- printing

const HEADS = ['序号', '走访日期', '组别', '走访对象', '家庭住址', '走访人', '走访情况', '解决情况及后续安排', '被走访人', '记录人（签字）', '村党支部书记（签字）'];

test('the blank form prints on A4 with the column heads and signature lines', async () => {
  const res = await (await as('village')).get('/visits/print?blank=1');
  assert.equal(res.status, 200);
  const html = await res.text();
  assert.match(html, /class="print-page"/);
  assert.ok(html.includes('村组干部走访登记表'));
  for (const h of HEADS) assert.ok(html.includes(h), `blank form has ${h}`);
  assert.equal((html.match(/class="blank-row"/g) || []).length, 12, 'twelve empty rows');
  assert.ok(!html.includes('本周应走访'), 'no figures on a blank form');
});

test('the filled form lists the village\'s visits of the week with the same heads', async () => {
  const c = await as('leader');
  const week = mondayOf(today());
  const list = await getJson(c, `/api/v1/visits?village=${longzui.id}&week=${week}&limit=200`);
  assert.ok(list.items.length > 0);
  const res = await c.get(`/visits/print?village=${longzui.id}&week=${today()}`);
  assert.equal(res.status, 200);
  const html = await res.text();
  for (const h of HEADS) assert.ok(html.includes(h), `filled form has ${h}`);
  assert.ok(html.includes('龙咀子村'));
  for (const v of list.items.slice(0, 5)) assert.ok(pageHas(html, v.head), `lists ${v.head}`);
  assert.match(html, /本周应走访 \d+ 户，已走访 \d+ 户/);
  // A village cadre prints their own village without naming it.
  const own = await (await as('village')).get('/visits/print');
  assert.equal(own.status, 200);
  assert.ok((await own.text()).includes('龙咀子村'));
  // A township role must name the village.
  const none = await c.get('/visits/print');
  assert.equal(none.status, 422);
  assert.match(await none.text(), CHINESE);
});

// ---------------------------------------------------------------- list filters

test('the list filters by village, group and week, newest first, with a cursor', async () => {
  const c = await as('leader');
  const p = await place(longzui.id);
  const week = mondayOf(today());
  const byGroup = await getJson(c, `/api/v1/visits?village=${longzui.id}&group=${p.group.id}&limit=200`);
  assert.ok(byGroup.items.every((v) => v.group_id === p.group.id));
  const wk = await getJson(c, `/api/v1/visits?week=${week}&limit=200`);
  assert.equal(wk.week.start, week);
  assert.ok(wk.items.every((v) => v.visited_on >= week && v.visited_on <= wk.week.end));
  const old = await getJson(c, `/api/v1/visits?week=${cnDay(-30)}&limit=200`);
  assert.ok(old.items.every((v) => v.visited_on < week));
  const page1 = await getJson(c, '/api/v1/visits?limit=5');
  assert.equal(page1.items.length, 5);
  assert.equal(typeof page1.next, 'string');
  const page2 = await getJson(c, `/api/v1/visits?limit=5&after=${page1.next}`);
  assert.ok(page2.items[0].id < page1.items[4].id);
  assert.equal((await call(c, 'GET', '/api/v1/visits?limit=0')).status, 422);
  assert.equal((await call(c, 'GET', '/api/v1/visits?group=abc')).status, 422);
  assert.equal((await call(c, 'GET', `/api/v1/visits?group=${p.group.id}&village=${xiqu.id}`)).status, 404);
});
