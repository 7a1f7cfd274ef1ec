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
import { call, getJson, mainOf, CHINESE, assert422, clients, pageHas } from './lib-org.mjs';

let srv, as, township;   // township cadres (person rows without a village)

const DAY = 86400000;
const cnDay = (offset = 0) => new Date(Date.now() + 8 * 3600000 + offset * DAY).toISOString().slice(0, 10);
const lastYear = () => Number(cnDay().slice(0, 4)) - 1;

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
const rate = async (person, month, level, comment = '', role = 'leader') => call(await as(role), 'POST',
  '/api/v1/community/ratings', { person_id: person, month, level: String(level), comment });
const cadre = async (id, year) => getJson(await as('leader'), `/api/v1/community/cadres/${id}${year ? `?year=${year}` : ''}`);
const negative = async (year) => (await getJson(await as('leader'), `/api/v1/community/negative?year=${year}`)).items;

// ---------------------------------------------------------------- 进社区

test('the demo registers four cadres; one has one 不满意 and is not listed', async () => {
  const m = await getJson(await as('leader'), '/api/v1/community');
  assert.equal(m.registrations.length, 4);
  assert.equal(m.rule_count, 2);
  const bad = m.registrations.filter((r) => r.bad > 0);
  assert.equal(bad.length <= 1, true);
  assert.ok(m.registrations.every((r) => r.listed === false));
});

test('two 不满意 in a year put the cadre on the negative list exactly once, with the ratings that caused it', async () => {
  const y = lastYear();
  const p = township[0];
  assert.equal((await register(p.id)).status, 201);
  let r = await rate(p.id, `${y}-03`, 2, '很少参加小区活动');
  assert.equal(r.status, 201);
  assert.equal(r.body.listed, false, 'one bad rating does not list');
  assert.equal((await cadre(p.id, y)).ineligible, false);
  r = await rate(p.id, `${y}-04`, 4);
  assert.equal(r.body.listed, false, 'a good rating does not count');
  r = await rate(p.id, `${y}-05`, 1, '群众反映强烈');
  assert.equal(r.status, 201);
  assert.equal(r.body.listed, true, 'the second bad rating lists');
  r = await rate(p.id, `${y}-07`, 2);
  assert.equal(r.status, 201);
  assert.equal(r.body.listed, false, 'a third bad rating does not list again');
  const list = (await negative(y)).filter((e) => e.person_id === p.id);
  assert.equal(list.length, 1, 'listed exactly once');
  assert.deepEqual(list[0].ratings.map((x) => x.month), [`${y}-03`, `${y}-05`, `${y}-07`]);
  assert.deepEqual(list[0].ratings.map((x) => x.level_label), ['不满意', '非常不满意', '不满意']);
  assert.match(list[0].reason, /不满意/);
  const c = await cadre(p.id, y);
  assert.equal(c.ineligible, true);
  assert.ok(c.listing && c.listing.reason);
  // Visible on the cadre's page and the list page.
  const page = mainOf(await (await (await as('leader')).get(`/community/cadres/${p.id}?year=${y}`)).text());
  assert.ok(page.includes('取消评先选优资格'), 'the cadre page says ineligible');
  assert.ok(page.includes('群众反映强烈'));
  const lp = mainOf(await (await (await as('leader')).get(`/community/negative?year=${y}`)).text());
  assert.ok(lp.includes(p.name) && lp.includes('取消资格') && lp.includes(`${y}-05`));
  // Another year is unaffected.
  assert.equal((await cadre(p.id, y + 1)).ineligible, false);
  assert.equal((await negative(y + 1)).filter((e) => e.person_id === p.id).length, 0);
});

test('one 不满意 in a year does not list; bad ratings in two different years do not add up', async () => {
  const y = lastYear();
  const p = township[1];
  assert.equal((await register(p.id, { community: '南街社区' })).status, 201);
  assert.equal((await rate(p.id, `${y - 1}-12`, 2)).body.listed, false);
  assert.equal((await rate(p.id, `${y}-01`, 2)).body.listed, false);
  assert.equal((await rate(p.id, `${y}-02`, 3)).body.listed, false, '基本满意 is not bad');
  assert.equal((await cadre(p.id, y)).ineligible, false);
  assert.equal((await negative(y)).some((e) => e.person_id === p.id), false);
  assert.equal((await negative(y - 1)).some((e) => e.person_id === p.id), false);
  const page = mainOf(await (await (await as('leader')).get(`/community/cadres/${p.id}?year=${y}`)).text());
  assert.ok(page.includes('未列入负面清单'));
});

test('ratings: bad input is 422 in Chinese and stores nothing', async () => {
  const y = lastYear();
  const p = township[2];
  assert.equal((await rate(p.id, `${y}-03`, 2)).status, 422, 'not registered');
  assert422(await rate(p.id, `${y}-03`, 2), 'person_id', 'unregistered cadre');
  assert.equal((await register(p.id)).status, 201);
  assert422(await rate(p.id, `${y}-13`, 2), 'month', 'month 13');
  assert422(await rate(p.id, '2026/03', 2), 'month', 'slash');
  assert422(await rate(p.id, `${Number(cnDay().slice(0, 4)) + 1}-01`, 2), 'month', 'future month');
  assert422(await rate(p.id, `${y}-03`, 6), 'level', 'level 6');
  assert422(await rate(p.id, `${y}-03`, 0), 'level', 'level 0');
  assert422(await rate(999999, `${y}-03`, 2), 'person_id', 'unknown person');
  assert.equal((await cadre(p.id)).ratings.length, 0, 'nothing stored');
  assert.equal((await rate(p.id, `${y}-03`, 5, '好')).status, 201);
  const dup = await rate(p.id, `${y}-03`, 1, '重复');
  assert422(dup, 'month', 'second rating of the month');
  const rs = (await cadre(p.id)).ratings;
  assert.equal(rs.length, 1);
  assert.equal(rs[0].level, 5, 'the stored rating is unchanged');
  assert.equal(rs[0].comment, '好');
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
  assert.equal((await call(await as('village'), 'POST', '/api/v1/community/ratings',
    { person_id: township[0].id, month: `${lastYear()}-09`, level: '1' })).status, 403);
});

test('CSRF: registration and rating without the token are refused and store nothing', async () => {
  const c = await as('leader');
  const p = township[5];
  let r = await c.req('POST', '/api/v1/community/registrations', { json: { person_id: p.id, community: '东苑社区', registered_on: cnDay(), role: '楼栋长' }, csrf: false });
  assert.equal(r.status, 403);
  r = await c.req('POST', '/community', { form: { person_id: String(p.id), community: '东苑社区', registered_on: cnDay(), role: '楼栋长' }, csrf: false });
  assert.equal(r.status, 403);
  assert.equal((await cadre(p.id)).registrations.length, 0);
  r = await c.req('POST', '/api/v1/community/ratings', { json: { person_id: township[0].id, month: `${lastYear()}-10`, level: '1' }, csrf: false });
  assert.equal(r.status, 403);
  assert.equal((await cadre(township[0].id)).ratings.some((x) => x.month === `${lastYear()}-10`), false);
});

test('XSS: community name, role and rating comment are stored and rendered escaped', async () => {
  const p = township[4];
  const evil = '<script>alert(1)</script>';
  assert.equal((await register(p.id, { community: `社区${evil}`.slice(0, 40), role: `<img src=x onerror=alert(1)>` })).status, 201);
  assert.equal((await rate(p.id, `${lastYear()}-06`, 2, `意见${evil}`)).status, 201);
  for (const path of ['/community', `/community/cadres/${p.id}`]) {
    const html = await (await (await as('leader')).get(path)).text();
    assert.equal(html.includes('<script>alert(1)'), false, path);
    assert.equal(html.includes('<img src=x'), false, path);
    assert.ok(pageHas(html, '<img src=x onerror=alert(1)>'), `${path} shows the text escaped`);
  }
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

test('the demo pairs subjects in every village; phones are masked and no ID numbers are shown', async () => {
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

test('village cadres see and log only their own village (404 elsewhere), and nothing is stored across villages', async () => {
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

test('pairing keeps its history; CSRF is required', async () => {
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

test('roles: the cleaner and admins cannot reach care records; the inspector reads but cannot log', async () => {
  const s = (await careList())[0];
  for (const role of ['cleaner', 'sysadmin', 'auditor']) {
    assert.equal((await call(await as(role), 'GET', '/api/v1/care')).status, 403, role);
  }
  assert.equal((await call(await as('inspector'), 'GET', `/api/v1/care/${s.id}`)).status, 200);
  const r = await call(await as('inspector'), 'POST', `/api/v1/care/${s.id}/contacts`, { contacted_on: cnDay(), way: 'phone', note: '纪检' });
  assert.equal(r.status, 403);
});

test('XSS: contact notes and care notes are stored and rendered escaped', async () => {
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

async function xlsxText(client, path, name) {
  const res = await client.get(path);
  assert.equal(res.status, 200, path);
  assert.equal(res.headers.get('content-type'), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  assert.match(res.headers.get('content-disposition'), /^attachment; filename="/);
  const file = join(srv.dir, name);
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
  const y = lastYear();
  const neg = await xlsxText(await as('leader'), `/community/negative.xlsx?year=${y}`, 'n.xlsx');
  assert.ok(neg.includes(`${y}年干部管理使用负面清单`));
  assert.ok(neg.includes(township[0].name));
  assert.ok(neg.includes('取消评先选优资格'));
  assert.equal((await (await as('village')).get(`/community/negative.xlsx?year=${y}`)).status, 403);
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
  const item = (await getJson(l, '/api/v1/models')).items.find((i) => i.id === r.body.id);
  assert.equal(item.chosen, true);
  assert.equal(item.category_label, '民族团结示范户');
  // CSRF.
  const x = await c.req('POST', '/api/v1/models', { json: { household_id: hid, category: 'family', reason: '无令牌' }, csrf: false });
  assert.equal(x.status, 403);
  assert.equal((await getJson(c, '/api/v1/models')).items.some((i) => i.reason === '无令牌'), false);
});

test('XSS: a nomination reason is rendered escaped', async () => {
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
