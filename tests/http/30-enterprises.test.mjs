// 30-enterprises: enterprises and their patrons (干部进企业): registration with masked phones,
// 包抓/包保 assignments with history, 六必访 visits, 企业诉求 in the ledger, the monthly
// report's flag, the two responsibility lists imported (dry run, GBK, bad rows, account and
// password columns refused), the spot-check sample and the 督办意见 it opens, scope, roles,
// CSRF and XSS.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer } from './lib.mjs';
import { call, getJson, mainOf, CHINESE, assert422, clients, pageHas, uniq } from './lib-org.mjs';

let srv, as, leaderMe, memberMe, staffMe, villageMe, longzui, xiqu;

const DAY = 86400000;
const cnDay = (offset = 0) => new Date(Date.now() + 8 * 3600000 + offset * DAY).toISOString().slice(0, 10);
const thisMonth = () => cnDay(0).slice(0, 7);
const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000' +
  '1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082', 'hex');

before(async () => {
  srv = await startServer();
  as = clients(srv);
  leaderMe = (await getJson(await as('leader'), '/api/v1/me')).user;
  memberMe = (await getJson(await as('member'), '/api/v1/me')).user;
  staffMe = (await getJson(await as('staff'), '/api/v1/me')).user;
  villageMe = (await getJson(await as('village'), '/api/v1/me')).user;
  const vs = (await getJson(await as('leader'), '/api/v1/villages')).items;
  longzui = vs.find((v) => v.name === '龙咀子村');
  xiqu = vs.find((v) => v.name === '西渠村');
});
after(async () => { await srv.stop(); });

const list = async (role = 'leader', q = '') => (await getJson(await as(role), `/api/v1/enterprises${q}`)).items;
const one = async (id, role = 'leader') => getJson(await as(role), `/api/v1/enterprises/${id}`);
let phoneSeq = 0;
const phone = () => `1389${String(100000 + (++phoneSeq)).slice(-6)}${phoneSeq % 10}`;
async function register(over = {}, role = 'leader') {
  return call(await as(role), 'POST', '/api/v1/enterprises', {
    name: uniq('测试养殖合作社'), kind: 'coop', village_id: longzui.id, place: '一组',
    contact: '测试联系人', phone: phone(), ...over,
  });
}
async function created(over = {}, role = 'leader') {
  const r = await register(over, role);
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body;
}
const assign = async (id, body, role = 'leader') => call(await as(role), 'POST', `/api/v1/enterprises/${id}/patrons`, body);
const visit = async (id, body, role = 'leader') => call(await as(role), 'POST', `/api/v1/enterprises/${id}/visits`, body);
const raise = async (id, body, role = 'leader') => call(await as(role), 'POST', `/api/v1/enterprises/${id}/problems`, body);
const act = async (id, action, body = {}, role = 'leader') => call(await as(role), 'POST', `/api/v1/matters/${id}/${action}`, body);

async function upload(id, kind, role = 'leader') {
  const fd = new FormData();
  fd.append('kind', kind);
  fd.append('file', new Blob([PNG], { type: 'image/png' }), '确认.png');
  const res = await (await as(role)).req('POST', `/api/v1/matters/${id}/attachments`, { body: fd });
  assert.equal(res.status, 201, await res.text());
}

// Upload a CSV to the import API (bytes or a string), dry run or not.
async function importCsv(content, { dry = false, role = 'leader', name = '清单.csv', type = 'text/csv' } = {}) {
  const fd = new FormData();
  fd.append('file', new Blob([content], { type }), name);
  if (dry) fd.append('dry_run', '1');
  const res = await (await as(role)).req('POST', '/api/v1/enterprises/import', { body: fd });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}
const count = async () => (await list()).length;

// ---------------------------------------------------------------- the demo

test('the demo has enterprises with patrons, visits and one open problem; phones are masked', async () => {
  const items = await list();
  assert.ok(items.length >= 5, `${items.length} enterprises`);
  const coop = items.find((e) => e.name === '青禾养殖农民专业合作社');
  assert.equal(coop.lead, leaderMe.name);
  assert.equal(coop.keep, staffMe.name);
  assert.equal(coop.open_problems, 1);
  for (const e of items) if (e.phone) assert.match(e.phone, /^1\d\d\*{4}\d{4}$/, e.phone);
  const page = await (await (await as('leader')).get(`/enterprises/${coop.id}`)).text();
  assert.ok(!/100900000\d\d/.test(page), 'no full phone number on the page');
  assert.ok(pageHas(page, '100****0001'));
  const full = await one(coop.id);
  assert.ok(full.visits.length >= 1 && full.matters.length === 1);
  assert.equal(full.matters[0].type, 'enterprise_problem');
  assert.match(full.matters[0].code, /^QY-\d{4}-\d{4}$/);
});

// ---------------------------------------------------------------- registration

describe('registration', () => {
  test('a leader registers an enterprise; the phone is stored sealed and shown masked', async () => {
    const p = phone();
    const e = await created({ phone: p, tel: phone(), name: uniq('青山苹果家庭农场'), kind: 'farm' });
    assert.equal(e.kind_label, '家庭农场');
    assert.equal(e.phone, `${p.slice(0, 3)}****${p.slice(7)}`);
    const page = await (await (await as('leader')).get(`/enterprises/${e.id}`)).text();
    assert.ok(!page.includes(p), 'full phone not on the page');
  });

  test('the page form registers through a CSRF-checked POST and redirects to the enterprise', async () => {
    const c = await as('member');
    const name = uniq('页面登记门店');
    const res = await c.submit('/enterprises/new', { name, kind: 'shop', village_id: String(xiqu.id), place: '街道' });
    assert.equal(res.status, 303);
    assert.match(res.headers.get('location'), /^\/enterprises\/\d+$/);
    assert.ok((await list()).some((e) => e.name === name));
  });

  test('bad input: 422 naming the field in Chinese, nothing stored', async () => {
    const before = await count();
    assert422(await register({ name: '' }), 'name', 'empty name');
    assert422(await register({ name: '甲' }), 'name', 'one character');
    assert422(await register({ kind: 'bank' }), 'kind', 'unknown kind');
    assert422(await register({ phone: '139****1234' }), 'phone', 'masked phone');
    assert422(await register({ tel: '12345' }), 'tel', 'short phone');
    assert422(await register({ village_id: 999999 }), 'village_id', 'unknown village');
    assert422(await register({ place: 'x'.repeat(101) }), 'place', 'long place');
    const name = uniq('重名企业');
    await created({ name });
    assert422(await register({ name }), 'name', 'duplicate');
    assert.equal(await count(), before + 1);
  });

  test('editing: PATCH changes what it names and keeps the sealed phones; scope, duplicates, CSRF', async () => {
    const p = phone();
    const e = await created({ phone: p });
    const c = await as('leader');
    let r = await call(c, 'PATCH', `/api/v1/enterprises/${e.id}`, { place: '二组新址', kind: 'company' });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.place, '二组新址');
    assert.equal(r.body.kind, 'company');
    assert.equal(r.body.name, e.name);
    assert.equal(r.body.phone, e.phone, 'the phone is kept');
    const other = await created({ name: uniq('另一家企业') });
    const before = JSON.stringify(await one(e.id));
    assert422(await call(c, 'PATCH', `/api/v1/enterprises/${e.id}`, { name: other.name }), 'name', 'duplicate');
    assert422(await call(c, 'PATCH', `/api/v1/enterprises/${e.id}`, { kind: 'bank' }), 'kind', 'kind');
    assert.equal((await c.req('PATCH', `/api/v1/enterprises/${e.id}`, { json: { place: 'x' }, csrf: false })).status, 403);
    const xq = (await list()).find((x) => x.village_id === xiqu.id);
    assert.equal((await call(await as('village'), 'PATCH', `/api/v1/enterprises/${xq.id}`, { place: '越权修改' })).status, 404);
    assert.equal(JSON.stringify(await one(e.id)), before, 'nothing changed');
    const page = await (await c.get(`/enterprises/${e.id}/edit`)).text();
    assert.ok(pageHas(page, '二组新址') && page.includes('留空则不修改'));
    const res = await c.submit(`/enterprises/${e.id}/edit`, { name: e.name, kind: 'shop', village_id: String(longzui.id), place: '页面修改', contact: '', phone: '', tel: '', note: '' });
    assert.equal(res.status, 303);
    const after = await one(e.id);
    assert.equal(after.place, '页面修改');
    assert.equal(after.phone, e.phone);
  });

  test('a refused page form comes back with the typed values and the message', async () => {
    const c = await as('leader');
    const res = await c.submit('/enterprises/new', { name: '保留输入测试名', kind: '', place: '原样保留的场所' });
    assert.equal(res.status, 422);
    const html = mainOf(await res.text());
    assert.ok(pageHas(html, '原样保留的场所'));
    assert.match(html, /类型/);
  });

  test('[S25] without the CSRF token a POST is refused and nothing is stored', async () => {
    const before = await count();
    const c = await as('leader');
    const r = await c.req('POST', '/api/v1/enterprises', { json: { name: uniq('无令牌企业'), kind: 'shop' }, csrf: false });
    assert.equal(r.status, 403);
    const p = await c.req('POST', '/enterprises/new', { form: { name: uniq('无令牌企业'), kind: 'shop' }, csrf: false });
    assert.equal(p.status, 403);
    assert.equal(await count(), before);
  });

  test('[S42] XSS: names, places and contacts are stored as typed and rendered escaped', async () => {
    const evil = '<script>alert(1)</script>';
    const e = await created({ name: `恶意${evil}${uniq('')}`, place: `<img src=x onerror=alert(2)>`, contact: `"><b>x</b>` });
    assert.ok((await one(e.id)).name.includes(evil));
    for (const path of ['/enterprises', `/enterprises/${e.id}`]) {
      const html = await (await (await as('leader')).get(path)).text();
      assert.ok(!html.includes(evil) && !html.includes('<img src=x') && !html.includes('<b>x</b>'), path);
      assert.ok(html.includes('&lt;script&gt;'), path);
    }
  });
});

// ---------------------------------------------------------------- scope and roles

describe('scope and roles', () => {
  test('[S21] a village cadre sees only their village\'s enterprises; others are 404 (IDOR)', async () => {
    assert.equal(villageMe.village_id, longzui.id);
    const mine = await list('village');
    assert.ok(mine.length > 0 && mine.every((e) => e.village_id === longzui.id));
    const other = (await list()).find((e) => e.village_id === xiqu.id);
    const v = await as('village');
    assert.equal((await v.get(`/api/v1/enterprises/${other.id}`)).status, 404);
    assert.equal((await v.get(`/enterprises/${other.id}`)).status, 404);
    const before = JSON.stringify(await one(other.id));
    assert.equal((await visit(other.id, { patron_id: memberMe.person_id, kind: 'routine', visited_on: cnDay(), findings: '越权走访' }, 'village')).status, 404);
    assert.equal((await raise(other.id, { title: '越权登记诉求' }, 'village')).status, 404);
    assert.equal((await v.get(`/api/v1/enterprises?village=${xiqu.id}`)).status, 404);
    assert.equal(JSON.stringify(await one(other.id)), before, 'nothing changed');
  });

  test('a village cadre registers in their own village only', async () => {
    const e = await created({ village_id: undefined, name: uniq('本村门店') }, 'village');
    assert.equal(e.village_id, longzui.id);
    assert422(await register({ village_id: xiqu.id }, 'village'), 'village_id', 'other village');
  });

  test('roles: cleaners and admins cannot read; only leaders assign; village cadres cannot import or read reports', async () => {
    for (const role of ['cleaner', 'sysadmin', 'auditor']) {
      assert.equal((await (await as(role)).get('/api/v1/enterprises')).status, 403, role);
    }
    const e = (await list()).find((x) => x.name === '塬上鲜果蔬菜店');
    const before = (await one(e.id)).patrons;
    for (const role of ['staff', 'village', 'inspector']) {
      const r = await assign(e.id, { role: 'lead', person_id: memberMe.person_id }, role);
      assert.equal(r.status, 403, role);
      assert.match(r.body.error.message, CHINESE);
    }
    assert.deepEqual((await one(e.id)).patrons, before);
    assert.equal((await importCsv('企业社名称,包抓领导\n甲乙丙,丁\n', { role: 'village' })).status, 403);
    assert.equal((await (await as('village')).get('/api/v1/enterprises/report')).status, 403);
    assert.equal((await (await as('staff')).get('/api/v1/enterprises/spotcheck')).status, 403);
    assert.equal((await (await as('inspector')).get('/api/v1/enterprises/report')).status, 200);
  });
});

// ---------------------------------------------------------------- patrons and history

describe('patrons', () => {
  test('reassigning keeps the old row with its end date; the new one is current', async () => {
    const e = await created();
    let r = await assign(e.id, { role: 'lead', person_id: leaderMe.person_id, from_on: cnDay(-20) });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    r = await assign(e.id, { role: 'keep', person_id: staffMe.person_id });
    assert.equal(r.status, 201);
    r = await assign(e.id, { role: 'lead', person_id: memberMe.person_id, from_on: cnDay(-2) });
    assert.equal(r.status, 201);
    const ps = r.body.patrons.filter((p) => p.role === 'lead');
    assert.equal(ps.length, 2);
    const old = ps.find((p) => p.person_id === leaderMe.person_id);
    const cur = ps.find((p) => p.person_id === memberMe.person_id);
    assert.equal(old.current, false);
    assert.equal(old.to_on, cnDay(-2));
    assert.equal(old.from_on, cnDay(-20));
    assert.equal(cur.current, true);
    assert.equal(r.body.lead, memberMe.name);
    assert.equal(r.body.keep, staffMe.name);
    const page = await (await (await as('leader')).get(`/enterprises/${e.id}`)).text();
    assert.ok(pageHas(page, cnDay(-20)) && page.includes('现任'));
  });

  test('bad assignments are refused in Chinese and change nothing', async () => {
    const e = await created();
    await assign(e.id, { role: 'lead', person_id: leaderMe.person_id, from_on: cnDay(-5) });
    const before = (await one(e.id)).patrons;
    assert422(await assign(e.id, { role: 'boss', person_id: memberMe.person_id }), 'role', 'role');
    assert422(await assign(e.id, { role: 'lead' }), 'person_id', 'no person');
    assert422(await assign(e.id, { role: 'lead', person_id: 999999 }), 'person_id', 'unknown person');
    assert422(await assign(e.id, { role: 'lead', person_id: leaderMe.person_id }), 'person_id', 'same person');
    assert422(await assign(e.id, { role: 'lead', person_id: memberMe.person_id, from_on: cnDay(-9) }), 'from_on', 'before the current start');
    assert422(await assign(e.id, { role: 'lead', person_id: memberMe.person_id, from_on: '2026-13-45' }), 'from_on', 'not a date');
    assert.deepEqual((await one(e.id)).patrons, before);
  });

  test('a citizen cannot be a patron', async () => {
    const people = await getJson(await as('leader'), '/api/v1/people?kind=citizen&limit=1');
    const citizen = people.items.find((p) => p.kind === 'citizen') ?? people.items[0];
    const e = await created();
    if (citizen.kind === 'citizen') assert422(await assign(e.id, { role: 'keep', person_id: citizen.id }), 'person_id', 'citizen');
  });
});

// ---------------------------------------------------------------- visits

describe('visits (六必访)', () => {
  test('a current patron\'s visit is logged; others, future and old dates, unknown kinds are refused', async () => {
    const e = await created();
    await assign(e.id, { role: 'keep', person_id: staffMe.person_id });
    const before = (await one(e.id)).visits.length;
    assert422(await visit(e.id, { patron_id: memberMe.person_id, kind: 'routine', visited_on: cnDay(), findings: '不是包抓干部' }), 'patron_id', 'not a patron');
    assert422(await visit(e.id, { patron_id: staffMe.person_id, kind: 'party', visited_on: cnDay(), findings: '类别不对' }), 'kind', 'kind');
    assert422(await visit(e.id, { patron_id: staffMe.person_id, kind: 'routine', visited_on: cnDay(1), findings: '明天的走访' }), 'visited_on', 'future');
    assert422(await visit(e.id, { patron_id: staffMe.person_id, kind: 'routine', visited_on: cnDay(-40), findings: '太早的走访' }), 'visited_on', 'old');
    assert422(await visit(e.id, { patron_id: staffMe.person_id, kind: 'routine', visited_on: cnDay(), findings: '' }), 'findings', 'empty');
    assert.equal((await one(e.id)).visits.length, before);
    const evil = '<script>v()</script>企业反映用工难';
    const r = await visit(e.id, { patron_id: staffMe.person_id, kind: 'difficulty', visited_on: cnDay(-1), findings: evil }, 'staff');
    assert.equal(r.status, 201, JSON.stringify(r.body));
    const got = await one(e.id);
    assert.equal(got.visits.length, before + 1);
    assert.equal(got.visits[0].kind_label, '生产经营困难必访');
    const html = await (await (await as('leader')).get(`/enterprises/${e.id}`)).text();
    assert.ok(!html.includes('<script>v()') && html.includes('&lt;script&gt;v()'));
  });

  test('the page form logs a visit (op=visit) with the CSRF field', async () => {
    const e = await created();
    await assign(e.id, { role: 'keep', person_id: staffMe.person_id });
    const c = await as('staff');
    const res = await c.submit(`/enterprises/${e.id}`, { op: 'visit', patron_id: String(staffMe.person_id), kind: 'holiday', visited_on: cnDay(), findings: '节前走访，送去安全生产提示。' });
    assert.equal(res.status, 303);
    assert.equal((await one(e.id)).visits.length, 1);
    const bad = await c.submit(`/enterprises/${e.id}`, { op: 'visit', patron_id: String(staffMe.person_id), kind: '', visited_on: cnDay(), findings: '保留的走访情况' });
    assert.equal(bad.status, 422);
    assert.ok(pageHas(await bad.text(), '保留的走访情况'));
    assert.equal((await one(e.id)).visits.length, 1);
  });
});

// ---------------------------------------------------------------- problems, report, flag

describe('problems and the monthly report', () => {
  test('a problem becomes a 企业诉求 matter owned by the patron and shows in their to-dos', async () => {
    const e = await created();
    assert422(await raise(e.id, { title: '没有包抓干部' }), 'title', 'no patron yet');
    await assign(e.id, { role: 'lead', person_id: memberMe.person_id });
    assert422(await raise(e.id, { title: '' }), 'title', 'empty title');
    assert422(await raise(e.id, { title: '来源不对', source: 'tv' }), 'source', 'bad source');
    assert.equal((await one(e.id)).matters.length, 0);
    const r = await raise(e.id, { title: '申请贷款贴息', body: '合作社扩建需要贷款。' });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.match(r.body.code, /^QY-/);
    const m = await getJson(await as('leader'), `/api/v1/matters/${r.body.id}`);
    assert.equal((m.matter ?? m).type, 'enterprise_problem');
    const home = await getJson(await as('member'), '/api/v1/home');
    assert.ok(home.todos.matters.some((x) => x.id === r.body.id), 'in the patron\'s to-dos');
  });

  test('a patron is flagged until a problem of that enterprise is solved (closed as solved, with the confirmation)', async () => {
    const e = await created();
    await assign(e.id, { role: 'lead', person_id: memberMe.person_id });
    const row = async () => {
      const rep = await getJson(await as('leader'), `/api/v1/enterprises/report?month=${thisMonth()}`);
      const p = rep.patrons.find((x) => x.person_id === memberMe.person_id && x.role === 'lead');
      return { p, r: p.rows.find((x) => x.enterprise_id === e.id) };
    };
    let { p, r } = await row();
    assert.equal(r.flagged, true);
    assert.equal(p.flagged, true);
    const m = (await raise(e.id, { title: '道路硬化', body: '门前道路泥泞。' })).body;
    ({ r } = await row());
    assert.equal(r.raised, 1);
    assert.equal(r.open, 1);
    assert.equal(r.flagged, true);
    assert.equal((await act(m.id, 'accept', {}, 'member')).status, 200);
    assert.equal((await act(m.id, 'reply', { note: '已协调交通站硬化道路。' }, 'member')).status, 200);
    assert.equal((await act(m.id, 'callback', { note: '企业确认道路已硬化。' }, 'member')).status, 200);
    const refused = await act(m.id, 'close', { closing: 'solved' }, 'member');
    assert.equal(refused.status, 422, 'solved needs the confirmation or a photo');
    ({ r } = await row());
    assert.equal(r.flagged, true);
    await upload(m.id, 'confirmation', 'member');
    assert.equal((await act(m.id, 'close', { closing: 'solved', note: '问题已解决' }, 'member')).status, 200);
    ({ r } = await row());
    assert.equal(r.solved_month, 1);
    assert.equal(r.solved_period, 1);
    assert.equal(r.open, 0);
    assert.equal(r.flagged, false);
    const html = await (await (await as('leader')).get(`/enterprises/report?month=${thisMonth()}`)).text();
    assert.ok(html.includes('未解决问题') && html.includes('当年1月1日'));
    assert422(await call(await as('leader'), 'GET', '/api/v1/enterprises/report?month=2026-13'), 'month', 'bad month');
  });
});

// ---------------------------------------------------------------- import

const LIST1 = (rows) => ['五顷塬回族乡领导包抓企业责任清单', '序号,企业社名称,"经营\n场所","包抓\n领导",企业联系人,备注', ...rows].join('\r\n') + '\r\n';
const LIST2 = (rows, extra = '') => ['五顷塬回族乡干部包保责任清单', `责任人,电话${extra},包保企业,企业电话`, ...rows].join('\n') + '\n';

describe('import of the responsibility lists', () => {
  test('list 1: a dry run stores nothing, the import stores enterprises and 包抓 patrons', async () => {
    const a = uniq('导入养殖农民专业合作社'), b = uniq('导入家庭农场');
    const csv = LIST1([
      `1,${a},龙咀子村,${leaderMe.name},导入甲 13900000001,`,
      `2,${b},西渠村,${memberMe.name},导入乙13900000002,备注文字`,
    ]);
    const before = await count();
    const dry = await importCsv(csv, { dry: true });
    assert.equal(dry.status, 200, JSON.stringify(dry.body));
    assert.equal(dry.body.list, 'lead');
    assert.equal(dry.body.created, 2);
    assert.equal(dry.body.imported, false);
    assert.equal(dry.body.preview.length, 2);
    assert.equal(await count(), before, 'dry run stored nothing');
    const real = await importCsv(csv);
    assert.equal(real.status, 200, JSON.stringify(real.body));
    assert.equal(real.body.imported, true);
    const items = await list();
    assert.equal(items.length, before + 2);
    const ea = items.find((e) => e.name === a);
    assert.equal(ea.village_id, longzui.id);
    assert.equal(ea.lead, leaderMe.name);
    assert.equal(ea.contact, '导入甲');
    assert.equal(ea.phone, '139****0001');
    assert.equal(ea.kind, 'coop');
    assert.equal(items.find((e) => e.name === b).kind, 'farm');
    // Importing again with another leader reassigns and keeps the history.
    const again = await importCsv(LIST1([`1,${a},龙咀子村,${memberMe.name},,`]));
    assert.equal(again.status, 200, JSON.stringify(again.body));
    assert.equal(again.body.updated, 1);
    const full = await one(ea.id);
    assert.equal(full.lead, memberMe.name);
    assert.equal(full.contact, '导入甲', 'an empty cell keeps the contact');
    assert.equal(full.patrons.filter((p) => p.role === 'lead').length, 2);
  });

  test('list 1 saved as GBK (Excel on Chinese Windows) is read', async () => {
    const name = uniq('编码测试合作社');
    const gbk = execFileSync('iconv', ['-f', 'UTF-8', '-t', 'GBK'], { input: LIST1([`1,${name},南邑村,${leaderMe.name},,`]) });
    const r = await importCsv(gbk);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.ok((await list()).some((e) => e.name === name));
  });

  test('list 2 as published (账号, 密码 columns) is refused whole, both columns reported, nothing stored', async () => {
    const before = await count();
    const csv = LIST2([`${staffMe.name},13900000009,【账号已删除】,【密码已删除】,${uniq('拒绝导入店')},13900000010`], ',账号,密码');
    for (const dry of [true, false]) {
      const r = await importCsv(csv, { dry });
      assert.equal(r.status, 422);
      assert.equal(r.body.report.refused, 'password_column');
      const msgs = r.body.report.errors.map((x) => x.message).join('\n');
      assert.match(msgs, /「账号」是账号列/);
      assert.match(msgs, /「密码」是密码列/);
      assert.ok(!msgs.includes('【密码已删除】'), 'the password cell is never quoted');
      assert.equal(r.body.error.field, 'file');
    }
    assert.equal(await count(), before);
  });

  test('list 2 without the account columns: 责任人 carried down (merged cells), 包保 assigned', async () => {
    const a = uniq('包保一店'), b = uniq('包保二店');
    const r = await importCsv(LIST2([`${staffMe.name},13900000011,${a},13900000012`, `,,${b},`]));
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.list, 'keep');
    const items = await list();
    for (const n of [a, b]) assert.equal(items.find((e) => e.name === n).keep, staffMe.name, n);
    assert.equal(items.find((e) => e.name === a).tel, '139****0012');
  });

  test('bad rows are all reported with their line and column; nothing is stored', async () => {
    const before = await count();
    const dup = uniq('重复行企业');
    const r = await importCsv(LIST1([
      `1,${uniq('未知领导企业')},龙咀子村,查无此人,,`,
      `2,${uniq('打码电话企业')},龙咀子村,${leaderMe.name},某人139****5712,`,
      `3,,龙咀子村,${leaderMe.name},,`,
      `4,${dup},龙咀子村,${leaderMe.name},,`,
      `5,${dup},龙咀子村,${leaderMe.name},,`,
      `6,${uniq('好的一行')},龙咀子村,${leaderMe.name},,`,
    ]));
    assert.equal(r.status, 422, JSON.stringify(r.body));
    const msgs = r.body.report.errors.map((x) => x.message);
    assert.ok(msgs.some((m) => /^第3行：「包抓领导」不在本乡登记的干部中/.test(m)), msgs.join('\n'));
    assert.ok(msgs.some((m) => /^第4行：「企业联系人」号码不完整/.test(m)), msgs.join('\n'));
    assert.ok(msgs.some((m) => /^第5行：「企业社名称」不能为空/.test(m)), msgs.join('\n'));
    assert.ok(msgs.some((m) => /^第7行：「企业社名称」与第6行是同一企业/.test(m)), msgs.join('\n'));
    assert.equal(r.body.report.imported, false);
    assert.equal(await count(), before);
  });

  test('a workbook, an unknown column, an empty file are refused with a Chinese explanation', async () => {
    const before = await count();
    let r = await importCsv(Buffer.from('PK\x03\x04rest-of-a-zip'), { name: '清单.xlsx' });
    assert.equal(r.status, 422);
    assert.match(r.body.report.errors[0].message, /另存为/);
    r = await importCsv('企业社名称,包抓领导,年产值\n某合作社,某人,100\n');
    assert.equal(r.status, 422);
    assert.match(r.body.report.errors[0].message, /「年产值」是无法识别的列/);
    r = await importCsv('');
    assert.equal(r.status, 422);
    r = await importCsv('姓名,电话\n张三,13900000000\n');
    assert.equal(r.status, 422);
    assert.match(r.body.report.errors[0].message, /企业社名称/);
    assert.equal(await count(), before);
  });

  test('the import page: a dry run shows what would happen and stores nothing; then it imports', async () => {
    const c = await as('staff');
    const name = uniq('页面试导入合作社');
    const csv = LIST1([`1,${name},西渠村,${memberMe.name},页面联系人 13900000077,`]);
    const send = async (dry) => {
      const page = await (await c.get('/enterprises/import')).text();
      const fd = new FormData();
      fd.append('csrf', page.match(/name="csrf" value="([^"]+)"/)[1]);
      if (dry) fd.append('dry_run', '1');
      fd.append('file', new Blob([csv], { type: 'text/csv' }), '包抓清单.csv');
      return c.req('POST', '/enterprises/import', { body: fd, csrf: false });
    };
    const before = await count();
    let res = await send(true);
    assert.equal(res.status, 200);
    let html = mainOf(await res.text());
    assert.ok(html.includes('试导入结果（未保存）') && pageHas(html, name) && html.includes('新增'));
    assert.equal(await count(), before);
    res = await send(false);
    assert.equal(res.status, 200);
    html = mainOf(await res.text());
    assert.ok(html.includes('已导入'));
    assert.equal(await count(), before + 1);
    assert.equal((await list()).find((e) => e.name === name).phone, '139****0077');
  });

  test('the import page shows the refusal, keeps CSRF, and stores nothing', async () => {
    const c = await as('leader');
    const page = await (await c.get('/enterprises/import')).text();
    const token = page.match(/name="csrf" value="([^"]+)"/)[1];
    const fd = new FormData();
    fd.append('csrf', token);
    fd.append('file', new Blob([LIST2([`${staffMe.name},1,a,b,${uniq('页面拒绝店')},`], ',账号,密码')], { type: 'text/csv' }), 'b.csv');
    const before = await count();
    const res = await c.req('POST', '/enterprises/import', { body: fd, csrf: false });
    assert.equal(res.status, 422);
    const html = mainOf(await res.text());
    assert.ok(html.includes('是密码列') && html.includes('是账号列'), 'the report is on the page');
    const fd2 = new FormData();
    fd2.append('file', new Blob([LIST1([`1,${uniq('无令牌导入')},龙咀子村,${leaderMe.name},,`])], { type: 'text/csv' }), 'a.csv');
    assert.equal((await c.req('POST', '/enterprises/import', { body: fd2, csrf: false })).status, 403);
    assert.equal(await count(), before);
  });
});

// ---------------------------------------------------------------- spot-checks and 督办意见

describe('spot-checks', () => {
  const spot = async (month = thisMonth(), role = 'leader') => getJson(await as(role), `/api/v1/enterprises/spotcheck?month=${month}`);
  const check = async (body, role = 'leader') => call(await as(role), 'POST', '/api/v1/enterprises/spotcheck', { month: thisMonth(), ...body });

  test('the month\'s sample is deterministic: 20% of the enterprises with a patron, at least 3', async () => {
    const a = await spot();
    const b = await spot();
    assert.deepEqual(a.sample.map((x) => x.id), b.sample.map((x) => x.id));
    const withPatron = (await list()).filter((e) => e.lead || e.keep).length;
    assert.equal(a.sample.length, Math.min(withPatron, Math.max(3, Math.ceil(withPatron * 0.2))));
    const other = await spot('2026-01');
    assert.ok(other.sample.length <= a.sample.length);
  });

  test('a spot-check of 一般 opens one 督办意见 for the patron, exactly once per month', async () => {
    const s = (await spot()).sample;
    const target = s.find((x) => x.lead || x.keep);
    const patronName = target.lead || target.keep;
    let r = await check({ enterprise_id: target.id, result: 'confirmed', level: 'fair', note: '企业反映包抓干部联系不够。' });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.equal(r.body.opinion_opened, true);
    const mid = r.body.opinion_id;
    const m = await getJson(await as('leader'), `/api/v1/matters/${mid}`);
    assert.equal((m.matter ?? m).type, 'supervision_opinion');
    // Again (corrected to 不满意), and by the inspector: still the one opinion.
    r = await check({ enterprise_id: target.id, result: 'confirmed', level: 'unsatisfied' }, 'inspector');
    assert.equal(r.status, 201);
    assert.equal(r.body.opinion_opened, false);
    assert.equal(r.body.opinion_id, mid);
    const full = await one(target.id);
    assert.equal(full.matters.filter((x) => x.type === 'supervision_opinion').length, 1);
    const who = [leaderMe, memberMe, staffMe].find((u) => u.name === patronName);
    const role = who === leaderMe ? 'leader' : who === memberMe ? 'member' : 'staff';
    const home = await getJson(await as(role), '/api/v1/home');
    assert.ok(home.todos.matters.some((x) => x.id === mid), 'the patron sees it in their to-dos');
    const page = await (await (await as('leader')).get(`/enterprises/spotcheck?month=${thisMonth()}`)).text();
    assert.ok(page.includes('不满意'));
  });

  test('满意 opens nothing; an enterprise outside the sample and bad input are refused', async () => {
    const s = (await spot()).sample;
    const target = s[s.length - 1];
    const before = (await one(target.id)).matters.length;
    const ok = await check({ enterprise_id: target.id, result: 'confirmed', level: 'satisfied' });
    assert.equal(ok.status, 201);
    assert.equal(ok.body.opinion_opened, false);
    assert.equal((await one(target.id)).matters.length, before);
    const outside = (await list()).find((e) => !s.some((x) => x.id === e.id));
    assert422(await check({ enterprise_id: outside.id, result: 'confirmed', level: 'fair' }), 'enterprise_id', 'not sampled');
    assert422(await check({ enterprise_id: target.id, result: 'maybe', level: 'fair' }), 'result', 'result');
    assert422(await check({ enterprise_id: target.id, result: 'confirmed', level: 'bad' }), 'level', 'level');
    assert422(await check({ enterprise_id: target.id, result: 'confirmed', level: 'fair', month: '2099-01' }), 'month', 'future month');
    assert.equal((await check({ enterprise_id: target.id, result: 'confirmed', level: 'fair' }, 'village')).status, 403);
    const c = await as('leader');
    assert.equal((await c.req('POST', '/api/v1/enterprises/spotcheck', { json: { month: thisMonth(), enterprise_id: target.id, result: 'confirmed', level: 'fair' }, csrf: false })).status, 403);
    assert.equal((await one(target.id)).matters.length, before, 'nothing opened');
  });
});

// ---------------------------------------------------------------- monthly rating (the rating core)

describe('monthly rating of the patron', () => {
  const link = async (id, role = 'leader') => call(await as(role), 'POST', `/api/v1/enterprises/${id}/link`, {});
  const rate = async (token, level, extra = {}) => call(srv.client(), 'POST', `/api/v1/r/${token}`, { answers: [{ level, ...extra }] });
  const opinions = async (id) => (await one(id)).matters.filter((m) => m.type === 'supervision_opinion');

  test('the link offers the enterprise scale; 一般 opens one 督办意见 for the patron, shown to the leader', async () => {
    const e = await created();
    await assign(e.id, { role: 'keep', person_id: staffMe.person_id });
    const l = await link(e.id);
    assert.equal(l.status, 201, JSON.stringify(l.body));
    assert.match(l.body.url, /\/r\/[A-Za-z0-9_-]{43}$/);
    const page = await getJson(srv.client(), `/api/v1/r/${l.body.token}`);
    assert.deepEqual(page.levels.map((x) => x.label), ['满意', '基本满意', '一般', '不满意']);
    const r = await rate(l.body.token, 2, { comment: '联系不够<script>' });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    const ops = await opinions(e.id);
    assert.equal(ops.length, 1, 'one supervision opinion');
    assert.equal(ops[0].patron, staffMe.name);
    const leaderHome = await getJson(await as('leader'), '/api/v1/home');
    assert.ok(leaderHome.todos.matters.some((m) => m.id === ops[0].id), 'the issuing leader sees it');
    const staffHome = await getJson(await as('staff'), '/api/v1/home');
    assert.ok(staffHome.todos.matters.some((m) => m.id === ops[0].id), 'the patron gets the feedback');
    const full = await one(e.id);
    assert.equal(full.ratings[0].level_label, '一般');
    assert.equal(full.ratings[0].bad, true);
    // Exactly once: the token is spent, a new link this month is refused, a spot-check finds it.
    assert.equal((await rate(l.body.token, 1)).status, 410);
    assert.equal((await link(e.id)).status, 409);
    assert.equal((await opinions(e.id)).length, 1);
    const html = await (await (await as('leader')).get(`/enterprises/${e.id}`)).text();
    assert.ok(!html.includes('联系不够<script>'));
  });

  test('满意 opens nothing; a renewed link revokes the old one', async () => {
    const e = await created();
    await assign(e.id, { role: 'lead', person_id: memberMe.person_id });
    const first = await link(e.id);
    const second = await link(e.id, 'member');
    assert.equal(second.status, 201);
    assert.equal((await rate(first.body.token, 4)).status, 410, 'the first link was revoked');
    assert.equal((await rate(second.body.token, 4)).status, 201);
    assert.equal((await opinions(e.id)).length, 0);
    assert.equal((await one(e.id)).ratings[0].level_label, '满意');
  });

  test('links: no patron is refused; village cadres cannot issue; CSRF; IDOR-proof', async () => {
    const e = await created();
    const r = await link(e.id);
    assert.equal(r.status, 422);
    assert.match(r.body.error.message, CHINESE);
    assert.equal((await link(e.id, 'village')).status, 403);
    assert.equal((await link(999999)).status, 404);
    const c = await as('leader');
    assert.equal((await c.req('POST', `/api/v1/enterprises/${e.id}/link`, { json: {}, csrf: false })).status, 403);
    assert.equal((await one(e.id)).ratings.length, 0);
  });

  test('the month\'s batch gives every enterprise with a patron a link and skips the rated', async () => {
    const r = await call(await as('leader'), 'POST', '/api/v1/enterprises/links', {});
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.equal(r.body.month, thisMonth());
    const withPatron = (await list()).filter((e) => e.lead || e.keep);
    assert.equal(r.body.links.length + r.body.skipped.filter((s) => s.why === '本月已评价或已督办').length, withPatron.length);
    assert.ok(r.body.skipped.some((s) => s.why === '本月已评价或已督办'));
    const html = await (await (await as('leader')).get('/enterprises/links')).text();
    assert.ok(html.includes('生成本月评价链接'));
  });

  test('a spot-check opinion first: the month\'s unused link is revoked and no new one is issued (one opinion)', async () => {
    const s = (await getJson(await as('leader'), `/api/v1/enterprises/spotcheck?month=${thisMonth()}`)).sample;
    let target = null;
    for (const x of s) {
      const full = await one(x.id);
      if (full.matters.some((m) => m.type === 'supervision_opinion')) continue;
      if (full.ratings.some((r) => r.month === thisMonth() && r.rated)) continue;
      target = x;
      break;
    }
    assert.ok(target, 'a sampled enterprise without an opinion or a rating this month');
    const l = await link(target.id);
    assert.equal(l.status, 201, JSON.stringify(l.body));
    const c = await call(await as('leader'), 'POST', '/api/v1/enterprises/spotcheck', { month: thisMonth(), enterprise_id: target.id, result: 'differs', level: 'unsatisfied' });
    assert.equal(c.status, 201);
    assert.equal(c.body.opinion_opened, true);
    assert.equal((await rate(l.body.token, 1)).status, 410, 'the link was revoked');
    assert.equal((await link(target.id)).status, 409);
    assert.equal((await opinions(target.id)).length, 1);
  });
});

// ---------------------------------------------------------------- every page form, as a browser sends it

test('the page forms: assign, raise, issue a link, the month\'s links, a spot-check', async () => {
  const c = await as('leader');
  const e = await created();
  let res = await c.submit(`/enterprises/${e.id}`, { op: 'patron', role: 'keep', person_id: String(staffMe.person_id), from_on: cnDay() });
  assert.equal(res.status, 303);
  assert.equal((await one(e.id)).keep, staffMe.name);
  res = await c.submit(`/enterprises/${e.id}`, { op: 'problem', title: '页面登记的诉求', source: 'patron', body: '' });
  assert.equal(res.status, 303);
  assert.match(res.headers.get('location'), /^\/matters\/\d+$/);
  res = await c.submit(`/enterprises/${e.id}/link`, {}, { from: `/enterprises/${e.id}` });
  assert.equal(res.status, 200);
  assert.match(await res.text(), /id="rating-url">[^<]*\/r\/[A-Za-z0-9_-]{43}</);
  res = await c.submit('/enterprises/links', {});
  assert.equal(res.status, 200);
  assert.match(await res.text(), /qr\.svg/);
  const sample = (await getJson(c, `/api/v1/enterprises/spotcheck?month=${thisMonth()}`)).sample;
  res = await c.submit('/enterprises/spotcheck', { month: thisMonth(), enterprise_id: String(sample[0].id), result: 'unreachable', level: 'basic', note: '电话未接通' }, { from: '/enterprises/spotcheck' });
  assert.equal(res.status, 303);
  const after = (await getJson(c, `/api/v1/enterprises/spotcheck?month=${thisMonth()}`)).sample.find((x) => x.id === sample[0].id);
  assert.equal(after.check.result, 'unreachable');
  res = await c.submit(`/enterprises/${e.id}`, { op: 'nonsense' });
  assert.equal(res.status, 400);
});

