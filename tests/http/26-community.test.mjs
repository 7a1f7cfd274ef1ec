// 26-community: 进社区、进农户: cadres' registration (报到) and monthly community ratings with
// the negative list (two 不满意 in a year, listed exactly once), monitored households and care
// recipients paired with cadres, contacts and the month's no-contact view, model household
// nominations closing at the plan's deadline (30 November); roles, village scope, CSRF, XSS.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer } from './lib.mjs';
import { call, getJson, mainOf, assert422, clients, pageHas } from './lib-org.mjs';

let srv, as, township;   // township cadres (person rows without a village)

const DAY = 86400000;
const cnDay = (offset = 0) => new Date(Date.now() + 8 * 3600000 + offset * DAY).toISOString().slice(0, 10);

before(async () => {
  srv = await startServer();
  as = clients(srv);
  const people = (await getJson(await as('leader'), '/api/v1/people?limit=200')).items;
  const regs = (await getJson(await as('leader'), '/api/v1/community')).registrations.map((r) => r.person_id);
  township = people.filter((p) => p.kind === 'cadre' && p.village_id == null && !regs.includes(p.id));
  assert.ok(township.length >= 6, 'enough unregistered township cadres in the demo');
});
after(async () => { await srv.stop(); });

const register = async (person, body = {}, role = 'leader') => call(await as(role), 'POST',
  '/api/v1/community/registrations', { person_id: person, community: '东苑社区', registered_on: cnDay(-10), role: '楼栋长', ...body });
// This month's link for a cadre (the rating core's token), and the community's rating through it.
const link = async (person, role = 'leader', s = srv, c = null) => call(c ?? await as(role), 'POST', '/api/v1/community/links', { person_id: person });
const rateVia = async (token, level, comment = '', s = srv) => call(s.client(), 'POST', `/api/v1/r/${token}`, { answers: [{ level, comment }] });
const cadre = async (id, year, c = null) => getJson(c ?? await as('leader'), `/api/v1/community/cadres/${id}${year ? `?year=${year}` : ''}`);
const negative = async (year, c = null) => (await getJson(c ?? await as('leader'), `/api/v1/community/negative?year=${year}`)).items;
const thisYear = () => Number(cnDay().slice(0, 4));

// ---------------------------------------------------------------- 进社区

test('the demo registers four cadres; the rule is data', async () => {
  const m = await getJson(await as('leader'), '/api/v1/community');
  assert.equal(m.registrations.length, 4);
  assert.deepEqual(m.rule, { threshold: 2, max_level: 2, label: '社区满意度测评2次不满意', list: 'negative', period: 'year' });
  assert.ok(m.registrations.every((r) => r.listed === false && r.bad === 0 && r.month_level === null && r.issued === false));
});

test('a month\'s rating link: the community rates the cadre once from its phone page', async () => {
  const p = township[0];
  assert422(await link(p.id), 'person_id', 'not registered');
  assert.equal((await register(p.id)).status, 201);
  const r = await link(p.id);
  assert.equal(r.status, 201);
  assert.equal(r.body.month, cnDay().slice(0, 7));
  assert.match(r.body.token, /^[A-Za-z0-9_-]{43}$/);
  assert.ok(r.body.url.endsWith(`/r/${r.body.token}`));
  // The public page asks about this cadre on the national five levels.
  const page = await getJson(srv.client(), `/api/v1/r/${r.body.token}`);
  assert.equal(page.purpose, 'community');
  assert.equal(page.levels.length, 5);
  assert.ok(JSON.stringify(page).includes(p.name));
  // A second link replaces the first (unused) one.
  const again = await link(p.id);
  assert.equal(again.status, 201);
  assert.equal((await rateVia(r.body.token, 4)).status, 410, 'the replaced link is revoked');
  const ok = await rateVia(again.body.token, 2, '很少参加小区活动');
  assert.equal(ok.status, 201);
  assert.equal((await rateVia(again.body.token, 5)).status, 410, 'single use');
  assert422(await link(p.id), 'person_id', 'the month is rated');
  const c = await cadre(p.id);
  assert.equal(c.ratings.length, 1);
  assert.equal(c.ratings[0].month, cnDay().slice(0, 7));
  assert.equal(c.ratings[0].level_label, '不满意');
  assert.equal(c.ratings[0].bad, true);
  assert.equal(c.ineligible, false, 'one 不满意 does not list');
  assert.equal((await negative(thisYear())).some((e) => e.person_id === p.id), false);
  const m = await getJson(await as('leader'), '/api/v1/community');
  const reg = m.registrations.find((x) => x.person_id === p.id);
  assert.equal(reg.bad, 1);
  assert.equal(reg.listed, false);
  assert.equal(reg.month_level, 2);
  assert.equal(m.rule.threshold, 2);
  assert.equal(m.rule.max_level, 2);
  // The page form shows the link and its QR code.
  const other = township[1];
  assert.equal((await register(other.id, { community: '南街社区' })).status, 201);
  const f = await (await as('leader')).submit('/community/rate', { person_id: String(other.id) });
  assert.equal(f.status, 200);
  const html = mainOf(await f.text());
  assert.match(html, /\/r\/[A-Za-z0-9_-]{43}\/qr\.svg/);
  assert.ok(html.includes(other.name));
});

test('links: bad input is 422 in Chinese and issues nothing', async () => {
  const p = township[2];
  assert422(await link(p.id), 'person_id', 'unregistered cadre');
  assert422(await link(999999), 'person_id', 'unknown person');
  assert422(await call(await as('leader'), 'POST', '/api/v1/community/links', {}), 'person_id', 'missing');
  assert422(await call(await as('leader'), 'POST', '/api/v1/community/links', { person_id: 'x' }), 'person_id', 'junk');
  const m = await getJson(await as('leader'), '/api/v1/community');
  assert.equal(m.registrations.some((x) => x.person_id === p.id), false);
});

test('registration: bad input is 422; a move ends the earlier registration', async () => {
  const p = township[3];
  assert422(await register(p.id, { community: '' }), 'community');
  assert422(await register(p.id, { registered_on: cnDay(3) }), 'registered_on', 'future date');
  assert422(await register(p.id, { role: '' }), 'role');
  assert422(await register(999999), 'person_id');
  assert.equal((await cadre(p.id)).registrations.length, 0, 'nothing stored');
  assert.equal((await register(p.id)).status, 201);
  assert.equal((await register(p.id, { community: '西关社区', role: '志愿者' })).status, 201);
  const h = (await cadre(p.id)).registrations;
  assert.equal(h.length, 2);
  assert.equal(h[0].community, '西关社区');
  assert.equal(h[0].ended_on, null);
  assert.ok(h[1].ended_on, 'the earlier one ended');
  const m = await getJson(await as('leader'), '/api/v1/community');
  assert.equal(m.registrations.filter((r) => r.person_id === p.id).length, 1);
});

test('community routes: village cadres and admins are refused, the inspector reads but cannot write', async () => {
  for (const role of ['village', 'cleaner', 'sysadmin']) {
    assert.equal((await call(await as(role), 'GET', '/api/v1/community')).status, 403, role);
    assert.equal((await call(await as(role), 'GET', '/api/v1/community/negative')).status, 403, role);
  }
  assert.equal((await call(await as('inspector'), 'GET', '/api/v1/community/negative')).status, 200);
  const r = await register(township[4].id, {}, 'inspector');
  assert.equal(r.status, 403);
  assert.equal((await cadre(township[4].id)).registrations.length, 0);
  assert.equal((await call(await as('village'), 'POST', '/api/v1/community/links', { person_id: township[0].id })).status, 403);
  assert.equal((await call(await as('inspector'), 'POST', '/api/v1/community/links', { person_id: township[0].id })).status, 403);
});

test('[S25] CSRF: registration and links without the token are refused and store nothing', async () => {
  const c = await as('leader');
  const p = township[5];
  let r = await c.req('POST', '/api/v1/community/registrations', { json: { person_id: p.id, community: '东苑社区', registered_on: cnDay(), role: '楼栋长' }, csrf: false });
  assert.equal(r.status, 403);
  r = await c.req('POST', '/community', { form: { person_id: String(p.id), community: '东苑社区', registered_on: cnDay(), role: '楼栋长' }, csrf: false });
  assert.equal(r.status, 403);
  assert.equal((await cadre(p.id)).registrations.length, 0);
  r = await c.req('POST', '/api/v1/community/links', { json: { person_id: township[1].id }, csrf: false });
  assert.equal(r.status, 403);
  r = await c.req('POST', '/community/rate', { form: { person_id: String(township[1].id) }, csrf: false });
  assert.equal(r.status, 403);
});

test('[S42] XSS: community name, role and rating comment are stored and rendered escaped', async () => {
  const p = township[4];
  const evil = '<script>alert(1)</script>';
  assert.equal((await register(p.id, { community: `社区${evil}`.slice(0, 40), role: `<img src=x onerror=alert(1)>` })).status, 201);
  const l = await link(p.id);
  assert.equal(l.status, 201);
  assert.equal((await rateVia(l.body.token, 1, `意见${evil}`)).status, 201);
  for (const path of ['/community', `/community/cadres/${p.id}`]) {
    const html = await (await (await as('leader')).get(path)).text();
    assert.equal(html.includes('<script>alert(1)'), false, path);
    assert.equal(html.includes('<img src=x'), false, path);
    assert.ok(pageHas(html, '<img src=x onerror=alert(1)>'), `${path} shows the text escaped`);
  }
  const page = await (await (await as('leader')).get(`/community/cadres/${p.id}`)).text();
  assert.ok(pageHas(page, `意见${evil}`), 'the rating comment, escaped');
});

test('pages: the registration form re-renders with the message and the input kept', async () => {
  const c = await as('leader');
  const r = await c.submit('/community', { person_id: String(township[5].id), community: '留在表单的社区', registered_on: '不是日期', role: '楼栋长' });
  assert.equal(r.status, 422);
  const html = await r.text();
  assert.ok(html.includes('留在表单的社区'));
  assert.match(mainOf(html), /报到日期/);
  assert.equal((await cadre(township[5].id)).registrations.length, 0);
  const f = await c.get('/community/rate');
  assert.equal(f.status, 200);
});

// ---------------------------------------------------------------- 进农户

const me = async (role) => (await getJson(await as(role), '/api/v1/me')).user;
const careList = async (role = 'leader', q = '') => (await getJson(await as(role), `/api/v1/care${q}`)).items;
const uncontacted = async (role = 'leader', q = '') => getJson(await as(role), `/api/v1/care/uncontacted${q}`);
const households = async () => (await getJson(await as('leader'), '/api/v1/visits/coverage')).villages;

test('[S36] the demo pairs subjects in every village; phones are masked and no ID numbers are shown', async () => {
  const items = await careList();
  assert.ok(items.length >= 10);
  assert.ok(new Set(items.map((i) => i.village_id)).size >= 2);
  for (const i of items) {
    assert.ok(i.category_label.length > 0);
    assert.doesNotMatch(JSON.stringify(i), /\d{11}/, 'no clear phone');
    assert.equal('idno' in i, false);
    if (i.phone) assert.match(i.phone, /\*{4}/);
  }
  const html = await (await (await as('leader')).get(`/care/${items[0].id}`)).text();
  assert.doesNotMatch(mainOf(html), /\d{11}/);
});

test('[S21] village cadres see and log only their own village (404 elsewhere), and nothing is stored across villages', async () => {
  const u = await me('village');
  const mine = await careList('village');
  assert.ok(mine.length > 0 && mine.every((i) => i.village_id === u.village_id));
  const other = (await careList()).find((i) => i.village_id !== u.village_id);
  const c = await as('village');
  assert.equal((await call(c, 'GET', `/api/v1/care/${other.id}`)).status, 404);
  assert.equal((await c.get(`/care/${other.id}`)).status, 404);
  const before = (await getJson(await as('leader'), `/api/v1/care/${other.id}`)).log.length;
  let r = await call(c, 'POST', `/api/v1/care/${other.id}/contacts`, { contacted_on: cnDay(), way: 'phone', note: '越权登记' });
  assert.equal(r.status, 404);
  r = await call(c, 'POST', `/api/v1/care/${other.id}/pair`, { cadre_id: u.person_id, started_on: cnDay() });
  assert.equal(r.status, 404);
  const after = await getJson(await as('leader'), `/api/v1/care/${other.id}`);
  assert.equal(after.log.length, before);
  assert.equal(after.pairs.length, 1);
  // Another village's household cannot be registered or nominated.
  const vs = await households();
  const foreign = vs.find((v) => v.id !== u.village_id);
  const hh = foreign.groups.flatMap((g) => g.unvisited)[0] ?? null;
  const hid = hh ? hh.id : null;
  if (hid) {
    const n = (await careList()).length;
    assert422(await call(c, 'POST', '/api/v1/care', { category: 'hardship', household_id: hid, since: cnDay() }), 'household_id');
    assert.equal((await careList()).length, n);
    assert422(await call(c, 'POST', '/api/v1/models', { household_id: hid, category: 'family', reason: '越权推荐' }), 'household_id');
  }
  // ?village= of another village is 404 for a village cadre.
  assert.equal((await call(c, 'GET', `/api/v1/care/uncontacted?village=${foreign.id}`)).status, 404);
  assert.equal((await call(c, 'GET', `/api/v1/care?village=${foreign.id}`)).status, 404);
});

test('a village cadre registers a care recipient and logs a contact; bad input is 422 and stores nothing', async () => {
  const u = await me('village');
  const c = await as('village');
  const people = (await getJson(await as('leader'), '/api/v1/people?limit=200')).items;
  const listed = new Set((await careList()).map((i) => i.person_id));
  const citizen = people.find((p) => p.kind === 'citizen' && p.village_id === u.village_id && !listed.has(p.id));
  assert.ok(citizen, 'a citizen of the village');
  const n = (await careList()).length;
  assert422(await call(c, 'POST', '/api/v1/care', { category: 'left_child', since: cnDay() }), 'person_id', 'no person');
  assert422(await call(c, 'POST', '/api/v1/care', { category: 'orphan', person_id: citizen.id, since: cnDay() }), 'category', 'bad category');
  assert422(await call(c, 'POST', '/api/v1/care', { category: 'left_child', person_id: citizen.id, since: cnDay(2) }), 'since', 'future');
  assert422(await call(c, 'POST', '/api/v1/care', { category: 'unstable', since: cnDay() }), 'household_id', 'no household');
  assert422(await call(c, 'POST', '/api/v1/care', { category: 'left_child', person_id: citizen.id, since: cnDay(), cadre_id: 999999 }), 'cadre_id');
  assert.equal((await careList()).length, n, 'nothing stored');
  const r = await call(c, 'POST', '/api/v1/care', { category: 'left_elder', person_id: citizen.id, since: cnDay(), cadre_id: u.person_id, note: '独居' });
  assert.equal(r.status, 201);
  const id = r.body.id;
  assert422(await call(c, 'POST', '/api/v1/care', { category: 'left_elder', person_id: citizen.id, since: cnDay() }), 'category', 'twice');
  const s = await getJson(c, `/api/v1/care/${id}`);
  assert.equal(s.cadre_id, u.person_id);
  assert.equal(s.contacts, 0);
  // Contacts: bad input first.
  const post = (b) => call(c, 'POST', `/api/v1/care/${id}/contacts`, b);
  assert422(await post({ contacted_on: cnDay(1), way: 'phone', note: '明天' }), 'contacted_on', 'future');
  assert422(await post({ contacted_on: cnDay(-40), way: 'phone', note: '太早' }), 'contacted_on', 'too old');
  assert422(await post({ contacted_on: cnDay(), way: 'letter', note: '写信' }), 'way');
  assert422(await post({ contacted_on: cnDay(), way: 'phone', note: '' }), 'note');
  assert422(await post({ contacted_on: cnDay(), way: 'phone', note: '好的', cadre_id: 999999 }), 'cadre_id');
  assert.equal((await getJson(c, `/api/v1/care/${id}`)).log.length, 0, 'nothing stored');
  const k = await post({ contacted_on: cnDay(), way: 'visit', note: '身体健康', follow_up: '下月再访' });
  assert.equal(k.status, 201);
  const after = await getJson(c, `/api/v1/care/${id}`);
  assert.equal(after.contacts, 1);
  assert.equal(after.log[0].cadre, u.name, 'the signed-in cadre by default');
  assert.equal(after.log[0].way_label, '入户走访');
});

test('[S25] pairing keeps its history; CSRF is required', async () => {
  const items = await careList();
  const s = items.find((i) => i.cadre_id);
  const c = await as('leader');
  const people = (await getJson(c, '/api/v1/people?limit=200')).items;
  const other = people.find((p) => p.kind === 'cadre' && p.id !== s.cadre_id);
  let r = await c.req('POST', `/api/v1/care/${s.id}/pair`, { json: { cadre_id: other.id, started_on: cnDay() }, csrf: false });
  assert.equal(r.status, 403);
  r = await c.req('POST', `/api/v1/care/${s.id}/contacts`, { json: { contacted_on: cnDay(), way: 'phone', note: '无令牌' }, csrf: false });
  assert.equal(r.status, 403);
  r = await c.req('POST', `/care/${s.id}`, { form: { do: 'contact', contacted_on: cnDay(), way: 'phone', note: '无令牌' }, csrf: false });
  assert.equal(r.status, 403);
  let got = await getJson(c, `/api/v1/care/${s.id}`);
  assert.equal(got.pairs.length, 1);
  assert.equal(got.log.some((x) => x.note === '无令牌'), false);
  assert422(await call(c, 'POST', `/api/v1/care/${s.id}/pair`, { cadre_id: other.id, started_on: cnDay(5) }), 'started_on');
  assert422(await call(c, 'POST', `/api/v1/care/${s.id}/pair`, {}), 'cadre_id');
  r = await call(c, 'POST', `/api/v1/care/${s.id}/pair`, { cadre_id: other.id, started_on: cnDay() });
  assert.equal(r.status, 200);
  got = await getJson(c, `/api/v1/care/${s.id}`);
  assert.equal(got.pairs.length, 2);
  assert.equal(got.cadre_id, other.id);
  assert.equal(got.pairs[0].ended_on, null);
  assert.equal(got.pairs[1].ended_on, cnDay());
  // The page form pairs too (do=pair).
  r = await c.submit(`/care/${s.id}`, { do: 'pair', cadre_id: String(s.cadre_id), started_on: cnDay() });
  assert.equal(r.status, 303);
  assert.equal((await getJson(c, `/api/v1/care/${s.id}`)).pairs.length, 3);
});

test('ending care (移出): dated, once, in scope; no contacts or pairing after it', async () => {
  const c = await as('village');
  const u = await me('village');
  const s = (await careList('village')).find((i) => i.cadre_id);
  const other = (await careList()).find((i) => i.village_id !== u.village_id);
  assert.equal((await call(c, 'POST', `/api/v1/care/${other.id}/end`, { ended_on: cnDay() })).status, 404);
  assert.equal((await getJson(await as('leader'), `/api/v1/care/${other.id}`)).ended_on, null);
  assert422(await call(c, 'POST', `/api/v1/care/${s.id}/end`, { ended_on: cnDay(1) }), 'ended_on', 'future');
  assert422(await call(c, 'POST', `/api/v1/care/${s.id}/end`, { ended_on: '2000-01-01' }), 'ended_on', 'before since');
  assert422(await call(c, 'POST', `/api/v1/care/${s.id}/end`, {}), 'ended_on', 'missing');
  assert.equal((await c.req('POST', `/api/v1/care/${s.id}/end`, { json: { ended_on: cnDay() }, csrf: false })).status, 403);
  assert.equal((await getJson(c, `/api/v1/care/${s.id}`)).ended_on, null, 'nothing changed');
  const r = await c.submit(`/care/${s.id}`, { do: 'end', ended_on: cnDay() });
  assert.equal(r.status, 303);
  const got = await getJson(c, `/api/v1/care/${s.id}`);
  assert.equal(got.ended_on, cnDay());
  assert.equal(got.cadre_id, null, 'the pairing ended too');
  assert.equal(got.pairs[0].ended_on, cnDay());
  assert.equal((await careList('village')).some((i) => i.id === s.id), false, 'off the current list');
  assert.equal((await call(c, 'POST', `/api/v1/care/${s.id}/end`, { ended_on: cnDay() })).status, 409);
  assert.equal((await call(c, 'POST', `/api/v1/care/${s.id}/contacts`, { contacted_on: cnDay(), way: 'phone', note: '移出后' })).status, 409);
  assert.equal((await call(c, 'POST', `/api/v1/care/${s.id}/pair`, { cadre_id: u.person_id, started_on: cnDay() })).status, 409);
  assert.equal((await getJson(c, `/api/v1/care/${s.id}`)).log.some((x) => x.note === '移出后'), false);
  const html = mainOf(await (await c.get(`/care/${s.id}`)).text());
  assert.ok(html.includes('已移出'));
  assert.equal(html.includes('name="do" value="contact"'), false, 'no forms once ended');
});

test('roles: the cleaner and admins cannot reach care records; the inspector reads but cannot log', async () => {
  const s = (await careList())[0];
  for (const role of ['cleaner', 'sysadmin', 'auditor']) {
    assert.equal((await call(await as(role), 'GET', '/api/v1/care')).status, 403, role);
  }
  assert.equal((await call(await as('inspector'), 'GET', `/api/v1/care/${s.id}`)).status, 200);
  const r = await call(await as('inspector'), 'POST', `/api/v1/care/${s.id}/contacts`, { contacted_on: cnDay(), way: 'phone', note: '纪检' });
  assert.equal(r.status, 403);
});

test('[S42] XSS: contact notes are stored and rendered escaped', async () => {
  const c = await as('village');
  const s = (await careList('village'))[0];
  const evil = '<script>alert("x")</script>';
  assert.equal((await call(c, 'POST', `/api/v1/care/${s.id}/contacts`, { contacted_on: cnDay(), way: 'phone', note: `情况${evil}`, follow_up: `<b onmouseover=alert(1)>跟进</b>` })).status, 201);
  const html = await (await c.get(`/care/${s.id}`)).text();
  assert.equal(html.includes('<script>alert("x")'), false);
  assert.equal(html.includes('<b onmouseover'), false);
  assert.ok(pageHas(html, `情况${evil}`));
});

test('the page form logs a contact and re-renders a bad one with the message', async () => {
  const c = await as('village');
  const s = (await careList('village'))[1];
  let r = await c.submit(`/care/${s.id}`, { do: 'contact', contacted_on: cnDay(), way: 'phone', note: '' });
  assert.equal(r.status, 422);
  assert.match(mainOf(await r.text()), /联系情况/);
  const n = (await getJson(c, `/api/v1/care/${s.id}`)).log.length;
  r = await c.submit(`/care/${s.id}`, { do: 'contact', contacted_on: cnDay(), way: 'visit', note: '表单登记' });
  assert.equal(r.status, 303);
  assert.equal((await getJson(c, `/api/v1/care/${s.id}`)).log.length, n + 1);
});

test('the no-contact month: bad ?month= is 422, future months too', async () => {
  const c = await as('leader');
  assert422(await call(c, 'GET', '/api/v1/care/uncontacted?month=2026-13'), 'month');
  assert422(await call(c, 'GET', '/api/v1/care/uncontacted?month=abc'), 'month');
  assert422(await call(c, 'GET', `/api/v1/care/uncontacted?month=${Number(cnDay().slice(0, 4)) + 1}-01`), 'month');
  const u = await uncontacted();
  const sumV = u.villages.reduce((n, v) => n + v.uncontacted, 0);
  const sumC = u.cadres.reduce((n, v) => n + v.uncontacted, 0);
  assert.equal(sumV, u.items.length);
  assert.equal(sumC, u.items.length);
  assert.equal(u.missed, u.items.length);
  assert.ok(u.items.every((i) => i.contacts === 0));
  const page = await (await c.get('/care/uncontacted')).text();
  assert.equal(page.includes('本月未联系'), true);
});

async function xlsxText(client, path, name, s = srv) {
  const res = await client.get(path);
  assert.equal(res.status, 200, path);
  assert.equal(res.headers.get('content-type'), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  assert.match(res.headers.get('content-disposition'), /^attachment; filename="/);
  const file = join(s.dir, name);
  writeFileSync(file, Buffer.from(await res.arrayBuffer()));
  return execFileSync('unzip', ['-p', file], { encoding: 'utf8', maxBuffer: 1 << 24 });
}

test('the no-contact list and the negative list export to XLSX ledgers, in scope', async () => {
  const u = await uncontacted('village');
  const xml = await xlsxText(await as('village'), '/care/uncontacted.xlsx', 'u.xlsx');
  assert.ok(xml.includes('结对帮扶未联系对象清单'));
  for (const i of u.items) assert.ok(xml.includes(i.name), i.name);
  const all = await uncontacted();
  const foreign = all.items.filter((i) => i.village_id !== u.items[0]?.village_id && !u.items.some((x) => x.name === i.name));
  for (const i of foreign) assert.equal(xml.includes(i.name), false, `${i.name} of another village is left out`);
  assert.ok(xml.includes('填报人'));
  assert.equal((await (await as('village')).get('/care/uncontacted.xlsx?month=2026-13')).status, 422);
  const neg = await xlsxText(await as('leader'), `/community/negative.xlsx?year=${thisYear()}`, 'n.xlsx');
  assert.ok(neg.includes(`${thisYear()}年干部管理使用负面清单`));
  assert.equal((await (await as('village')).get(`/community/negative.xlsx?year=${thisYear()}`)).status, 403);
});

// ---------------------------------------------------------------- 示范户

test('model households: nominate, refuse duplicates and bad input, choose by a leader', async () => {
  const u = await me('village');
  const c = await as('village');
  const mine = (await households()).find((v) => v.id === u.village_id);
  const hid = (await careList('village')).find((i) => i.household_id)?.household_id;
  assert.ok(mine && hid);
  const y = Number(cnDay().slice(0, 4));
  const closed = cnDay().slice(5) > '11-30';
  const n = (await getJson(c, '/api/v1/models')).items.length;
  assert422(await call(c, 'POST', '/api/v1/models', { household_id: hid, category: 'hero', reason: '好' + '人' }), 'category');
  assert422(await call(c, 'POST', '/api/v1/models', { household_id: hid, category: 'unity', reason: '' }), 'reason');
  assert.equal((await getJson(c, '/api/v1/models')).items.length, n);
  const r = await call(c, 'POST', '/api/v1/models', { household_id: hid, category: 'unity', reason: '各民族邻里互助' });
  if (closed) {
    assert422(r, 'household_id', 'after 30 November');
    return;
  }
  assert.equal(r.status, 201);
  assert.equal(r.body.year, y);
  assert422(await call(c, 'POST', '/api/v1/models', { household_id: hid, category: 'unity', reason: '再次推荐' }), 'category', 'twice');
  // Village cadres cannot choose; a leader can, once.
  assert.equal((await call(c, 'POST', `/api/v1/models/${r.body.id}/choose`)).status, 403);
  const l = await as('leader');
  assert.equal((await call(l, 'POST', `/api/v1/models/${r.body.id}/choose`, {})).status, 200);
  assert.equal((await call(l, 'POST', `/api/v1/models/${r.body.id}/choose`, {})).status, 409);
  assert.equal((await call(l, 'POST', '/api/v1/models/999999/choose', {})).status, 404);
  const item = (await getJson(l, '/api/v1/models')).items.find((i) => i.id === r.body.id);
  assert.equal(item.chosen, true);
  assert.equal(item.category_label, '民族团结示范户');
  // CSRF.
  const x = await c.req('POST', '/api/v1/models', { json: { household_id: hid, category: 'family', reason: '无令牌' }, csrf: false });
  assert.equal(x.status, 403);
  assert.equal((await getJson(c, '/api/v1/models')).items.some((i) => i.reason === '无令牌'), false);
});

test('[S42] XSS: a nomination reason is rendered escaped', async () => {
  if (cnDay().slice(5) > '11-30') return;
  const c = await as('village');
  const hid = (await careList('village')).filter((i) => i.household_id)[1]?.household_id;
  const r = await call(c, 'POST', '/api/v1/models', { household_id: hid, category: 'prosperity', reason: '<script>alert(2)</script>' });
  assert.equal(r.status, 201);
  const html = await (await c.get('/models')).text();
  assert.equal(html.includes('<script>alert(2)'), false);
  assert.ok(pageHas(html, '<script>alert(2)</script>'));
});

// ---------------------------------------------------------------- the clock: month boundary, deadline

// Whole days from the Asia/Shanghai day "from" to "to" (both YYYY-MM-DD).
const daysBetween = (from, to) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY);
const firstOfNext = (iso) => {
  const d = new Date(`${iso.slice(0, 7)}-01T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + 1);
  return d.toISOString().slice(0, 10);
};

test('the no-contact view across a month boundary (faketime): a contact counts in its own month only', async () => {
  const s2 = await startServer({ clock: true });
  try {
    const today = cnDay();
    const village = await s2.as('village');
    const u = (await getJson(village, '/api/v1/me')).user;
    const before = await getJson(village, '/api/v1/care/uncontacted');
    assert.equal(before.month, today.slice(0, 7));
    const s = before.items.find((i) => i.cadre_id);
    assert.ok(s, 'an uncontacted, paired subject in the village');
    const vBefore = before.villages.find((v) => v.village_id === u.village_id).uncontacted;
    const cBefore = before.cadres.find((c) => c.cadre_id === s.cadre_id).uncontacted;
    const r = await call(village, 'POST', `/api/v1/care/${s.id}/contacts`, { contacted_on: today, way: 'phone', note: '电话问候，一切安好' });
    assert.equal(r.status, 201);
    const after = await getJson(village, '/api/v1/care/uncontacted');
    assert.equal(after.items.length, before.items.length - 1, 'the list shrinks by one');
    assert.equal(after.items.some((i) => i.id === s.id), false);
    assert.equal(after.villages.find((v) => v.village_id === u.village_id).uncontacted, vBefore - 1);
    assert.equal((after.cadres.find((c) => c.cadre_id === s.cadre_id)?.uncontacted ?? 0), cBefore - 1);

    // The first day of next month: the contact belongs to last month.
    const next = firstOfNext(today);
    s2.setClock(`+${daysBetween(today, next)}d`);
    const v2 = await s2.as('village');
    const now = await getJson(v2, '/api/v1/care/uncontacted');
    assert.equal(now.month, next.slice(0, 7));
    assert.ok(now.items.some((i) => i.id === s.id), 'uncontacted again in the new month');
    const last = await getJson(v2, `/api/v1/care/uncontacted?month=${today.slice(0, 7)}`);
    assert.equal(last.items.some((i) => i.id === s.id), false, 'still contacted in its own month');
    assert.equal(last.items.length, after.items.length);
    // A late entry dated last month does not count for this month.
    const yesterday = new Date(Date.parse(`${next}T00:00:00Z`) - DAY).toISOString().slice(0, 10);
    const s3 = now.items.find((i) => i.id !== s.id);
    assert.equal((await call(v2, 'POST', `/api/v1/care/${s3.id}/contacts`, { contacted_on: yesterday, way: 'visit', note: '补登上月走访' })).status, 201);
    const still = await getJson(v2, '/api/v1/care/uncontacted');
    assert.ok(still.items.some((i) => i.id === s3.id));
    assert.equal((await getJson(v2, `/api/v1/care/uncontacted?month=${today.slice(0, 7)}`)).items.some((i) => i.id === s3.id), false);
    assert.equal((await call(v2, 'POST', `/api/v1/care/${s.id}/contacts`, { contacted_on: next, way: 'visit', note: '本月走访' })).status, 201);
    const done = await getJson(v2, '/api/v1/care/uncontacted');
    assert.equal(done.items.length, now.items.length - 1);
    const html = await (await v2.get('/care/uncontacted')).text();
    assert.match(html, new RegExp(`id="uncontacted-count">${done.items.length}<`));
  } finally {
    await s2.stop();
  }
});

test('model household nominations close at the end of 30 November (faketime), with a Chinese message', async () => {
  const s3 = await startServer({ clock: true });
  try {
    const today = cnDay();
    const y = today.slice(5) > '11-30' ? Number(today.slice(0, 4)) + 1 : Number(today.slice(0, 4));
    const off = daysBetween(today, `${y}-11-30`);
    s3.setClock(`+${off}d`);
    let c = await s3.as('village');
    const hid = (await getJson(c, '/api/v1/care')).items.find((i) => i.household_id).household_id;
    let r = await call(c, 'POST', '/api/v1/models', { household_id: hid, category: 'daughter_in_law', reason: '孝敬老人，邻里和睦' });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.equal(r.body.year, y);
    s3.setClock(`+${off + 1}d`);
    c = await s3.as('village');
    const n = (await getJson(c, `/api/v1/models?year=${y}`)).items.length;
    r = await call(c, 'POST', '/api/v1/models', { household_id: hid, category: 'mother_in_law', reason: '截止后推荐' });
    assert422(r, 'household_id', 'on 1 December');
    assert.match(r.body.error.message, /截止/);
    assert.match(r.body.error.message, /11月30日/);
    assert.equal((await getJson(c, `/api/v1/models?year=${y}`)).items.length, n, 'nothing stored');
    const m = await getJson(c, `/api/v1/models?year=${y}`);
    assert.equal(m.closed, true);
    const html = mainOf(await (await c.get('/models')).text());
    assert.ok(html.includes('本年度推荐已截止'));
    assert.equal(html.includes('action="/models"'), false, 'no nomination form after the deadline');
    const f = await c.submit('/models', { household_id: String(hid), category: 'family', reason: '表单截止后' }, { from: '/care' });
    assert.equal(f.status, 422);
    assert.match(await f.text(), /截止/);
  } finally {
    await s3.stop();
  }
});

test('[rating rule] two 不满意 in one year put the cadre on the negative list exactly once (faketime, three months)', async () => {
  const s4 = await startServer({ clock: true });
  try {
    // Passwords of the demo must not expire while the clock runs ahead.
    assert.equal((await (await s4.as('secadmin')).patch('/api/v1/settings', { pw_max_age_days: 365 })).status, 200);
    const today = cnDay();
    // Three months of one year: from this month, or from January if too late in the year.
    const start = Number(today.slice(5, 7)) >= 11 ? `${thisYear() + 1}-01-05` : today;
    const day = (k) => { const d = new Date(`${start.slice(0, 7)}-05T00:00:00Z`); d.setUTCMonth(d.getUTCMonth() + k); return k === 0 ? start : d.toISOString().slice(0, 10); };
    const year = Number(start.slice(0, 4));
    const people = (await getJson(await s4.as('leader'), '/api/v1/people?limit=200')).items;
    const regs = (await getJson(await s4.as('leader'), '/api/v1/community')).registrations.map((r) => r.person_id);
    const [a, b] = people.filter((p) => p.kind === 'cadre' && p.village_id == null && !regs.includes(p.id));
    let leader = await s4.as('leader');
    for (const p of [a, b]) {
      assert.equal((await call(leader, 'POST', '/api/v1/community/registrations', { person_id: p.id, community: '东苑社区', registered_on: today, role: '志愿服务' })).status, 201);
    }
    const month = async (k, levelA, levelB, note) => {
      s4.setClock(`+${daysBetween(today, day(k))}d`);
      leader = await s4.as('leader');
      const la = await link(a.id, null, s4, leader);
      assert.equal(la.status, 201, JSON.stringify(la.body));
      assert.equal(la.body.month, day(k).slice(0, 7));
      assert.equal((await rateVia(la.body.token, levelA, note, s4)).status, 201);
      const lb = await link(b.id, null, s4, leader);
      assert.equal((await rateVia(lb.body.token, levelB, '', s4)).status, 201);
    };
    await month(0, 2, 2, '很少参加小区活动');
    assert.equal((await cadre(a.id, year, leader)).ineligible, false, 'one bad rating: not listed');
    await month(1, 1, 4, '群众反映强烈');
    let c = await cadre(a.id, year, leader);
    assert.equal(c.ineligible, true, 'the second bad rating lists');
    assert.ok(c.listing.reason.includes('不满意'));
    assert.equal((await cadre(b.id, year, leader)).ineligible, false, 'one bad and one good: not listed');
    await month(2, 2, 5, '仍未改进');
    const list = (await negative(year, leader)).filter((e) => e.person_id === a.id);
    assert.equal(list.length, 1, 'listed exactly once');
    assert.deepEqual(list[0].ratings.map((x) => x.month), [0, 1, 2].map((k) => day(k).slice(0, 7)));
    assert.deepEqual(list[0].ratings.map((x) => x.level_label), ['不满意', '非常不满意', '不满意']);
    assert.equal((await negative(year, leader)).some((e) => e.person_id === b.id), false);
    // Visible on the cadre's page and the list page, with the ratings that caused it.
    const page = mainOf(await (await leader.get(`/community/cadres/${a.id}?year=${year}`)).text());
    assert.ok(page.includes('取消评先选优资格'));
    assert.ok(page.includes('群众反映强烈'));
    const lp = mainOf(await (await leader.get(`/community/negative?year=${year}`)).text());
    assert.ok(lp.includes(a.name) && lp.includes('取消资格') && lp.includes(day(1).slice(0, 7)));
    assert.equal(lp.includes(b.name), false);
    const home = await getJson(leader, '/api/v1/community');
    assert.equal(home.registrations.find((r) => r.person_id === a.id).listed, true);
    assert.equal(home.registrations.find((r) => r.person_id === a.id).bad, 3);
    // The rating core fired once: one audit-visible firing, one list member.
    const neg = await xlsxText(leader, `/community/negative.xlsx?year=${year}`, 'neg.xlsx', s4);
    assert.ok(neg.includes(a.name) && neg.includes('取消评先选优资格'));
    // Another year is unaffected.
    assert.equal((await cadre(a.id, year + 1, leader)).ineligible, false);
    assert.equal((await negative(year + 1, leader)).length, 0);
  } finally {
    await s4.stop();
  }
});
