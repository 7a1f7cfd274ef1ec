// 15-roster: the reception duty roster (接访活动安排表): public page, management, print,
// the principal-leader flag, and the desk petition's default receiving leader.
//
// The demo fills this week and the next two with one duty a working day; the third week
// (demo week 2) has neither 党委书记 nor 乡长, so it is flagged.  Tests that move the
// server's clock come last and sign in afresh after each move (sessions go idle).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { HtmlValidate } from 'html-validate';
import { startServer } from './lib.mjs';
import { call, getJson, mainOf, pageHas, CHINESE, assert422, uniq, clients } from './lib-org.mjs';

let srv, as;
before(async () => { srv = await startServer({ clock: true }); as = clients(srv); });
after(async () => { await srv.stop(); });

const HOSTILE = '<script>alert(1)</script>"\'&';
const HEADS = ['序号', '接访日期', '接访领导', '职务', '分管工作', '接访时间', '接访地点', '接访形式', '备注'];

// Days as 'YYYY-MM-DD' (UTC arithmetic on civil dates).
const addDays = (iso, n) => new Date(Date.parse(`${iso}T00:00:00Z`) + n * 86400000).toISOString().slice(0, 10);
const mondayOf = (iso) => addDays(iso, -((new Date(`${iso}T00:00:00Z`).getUTCDay() + 6) % 7));

// The server's idea of today (Asia/Shanghai) and the roster as a reader sees it.
async function roster(client, query = '') {
  return getJson(client, `/api/v1/roster${query}`);
}
async function today(client) {
  return (await roster(client ?? srv.client())).today;
}
const rows = (r) => r.weeks.flatMap((w) => w.items);
async function allRows(client) {
  const t = await today(client);
  return rows(await roster(client, `?from=${addDays(mondayOf(t), -7)}&to=${addDays(mondayOf(t), 27)}`));
}
async function demoLeader(post) {
  const r = (await allRows(await as('leader'))).find((x) => x.post === post);
  assert.ok(r, `a demo duty of ${post}`);
  return r.leader_id;
}
async function count(client) {
  return (await allRows(client ?? await as('leader'))).length;
}

// A valid new duty for "day" (default: today), by the 副乡长.
async function duty(over = {}) {
  return {
    day: over.day ?? await today(),
    leader_id: over.leader_id ?? await demoLeader('副乡长'),
    post: '副乡长',
    duties: '分管农业农村',
    time: `下午${uniq('')}:00`,
    place: '乡综治中心信访接待室',
    form: 'classified',
    note: '测试安排',
    ...over,
  };
}

async function auditActions(objectId) {
  const r = await getJson(await as('auditor'), '/api/v1/audit?action=roster&limit=200');
  return r.items.filter((a) => String(a.object_id) === String(objectId)).map((a) => a.action);
}

// ---------------------------------------------------------------- the public page

test('the public page needs no sign-in and shows names, posts, places and forms', async () => {
  const anon = srv.client();
  const res = await anon.get('/roster');
  assert.equal(res.status, 200);
  const html = mainOf(await res.text());
  assert.match(html, /领导干部接访下访活动安排/);
  const reader = await roster(await as('leader'));
  const shown = rows(reader).filter((r) => r.day >= mondayOf(reader.today));
  assert.ok(shown.length >= 10, 'the demo\'s coming weeks are published');
  for (const r of shown.slice(0, 10)) {
    assert.ok(pageHas(html, r.leader), `name ${r.leader}`);
    assert.ok(pageHas(html, r.post), `post ${r.post}`);
    assert.ok(pageHas(html, r.place), `place ${r.place}`);
    assert.ok(pageHas(html, r.form_label), `form ${r.form_label}`);
  }
  assert.ok(html.includes('党委书记'));
  assert.ok(html.includes('值班接访') && html.includes('带案下访'));
});

test('the public page shows no phone numbers, masked or not, and no notes', async () => {
  const html = await (await srv.client().get('/roster')).text();
  assert.doesNotMatch(html, /1\d{10}/, 'no mobile number');
  assert.doesNotMatch(html, /\d{3}\*{4}\d{4}/, 'no masked number');
  assert.doesNotMatch(html, /电话/);
  const notes = rows(await roster(await as('leader'))).map((r) => r.note).filter((n) => n);
  assert.ok(notes.length > 0, 'the demo has notes');
  for (const n of notes) assert.ok(!html.includes(n), `note "${n}" is internal`);
});

test('the public JSON carries only what the plan publishes', async () => {
  const r = await roster(srv.client());
  assert.equal(r.public, true);
  const items = rows(r);
  assert.ok(items.length > 0);
  for (const it of items) {
    assert.deepEqual(Object.keys(it).sort(),
      ['day', 'day_label', 'duties', 'form', 'form_label', 'leader', 'place', 'post', 'time', 'weekday']);
  }
  const signed = await roster(await as('staff'));
  assert.equal(signed.public, false);
  assert.ok(rows(signed).every((it) => Number.isInteger(it.id) && Number.isInteger(it.leader_id)));
});

test('the public cannot read past weeks; cadres can', async () => {
  const t = await today();
  const from = addDays(mondayOf(t), -28);
  const anon = await roster(srv.client(), `?from=${from}&to=${addDays(mondayOf(t), -1)}`);
  assert.deepEqual(anon.weeks, [], 'nothing before this week');
  const wide = await roster(srv.client(), `?from=${from}&to=${addDays(t, 400)}`);
  assert.equal(wide.from, mondayOf(t), 'clamped to this Monday');
  assert.equal(wide.weeks.length, 8, 'and to eight weeks');
  const cadre = await roster(await as('village'), `?from=${from}&to=${addDays(mondayOf(t), 6)}`);
  assert.equal(cadre.from, from);
  assert.equal(cadre.weeks.length, 5);
});

test('the JSON range is checked: dates, order, at most 53 weeks', async () => {
  const c = await as('leader');
  let r = await call(c, 'GET', '/api/v1/roster?from=2026-13-45');
  assert422(r, 'from', 'bad from');
  r = await call(c, 'GET', '/api/v1/roster?to=yesterday');
  assert422(r, 'to', 'bad to');
  r = await call(c, 'GET', '/api/v1/roster?from=2026-06-01&to=2026-05-01');
  assert422(r, 'to', 'to before from');
  r = await call(c, 'GET', '/api/v1/roster?from=2026-01-01&to=2027-06-01');
  assert422(r, 'to', 'over a year');
});

test('weeks run Monday to Sunday and every row falls in its week', async () => {
  const r = await roster(await as('leader'));
  for (const w of r.weeks) {
    assert.equal(new Date(`${w.monday}T00:00:00Z`).getUTCDay(), 1, `${w.monday} is a Monday`);
    assert.equal(w.sunday, addDays(w.monday, 6));
    for (const it of w.items) assert.ok(it.day >= w.monday && it.day <= w.sunday);
  }
  assert.equal(r.weeks.filter((w) => w.current).length, 1);
});

// ---------------------------------------------------------------- the principal-leader flag

test('a week without a principal leader is flagged, with a Chinese reason', async () => {
  const r = await roster(await as('leader'));
  const [w0, w1, w2] = r.weeks;
  assert.equal(w0.flagged, false, 'this week: 党委书记 and 乡长');
  assert.equal(w1.flagged, false);
  assert.match(w1.principals, /党委书记/);
  assert.equal(w2.flagged, true, 'demo week 2 has no principal leader');
  assert.match(w2.reason, /主要领导/);
  assert.match(w2.reason, CHINESE);
  assert.equal(w1.reason, null);
  assert.ok(w2.items.length >= 5, 'the week has other leaders\' days');
  assert.ok(w2.items.every((it) => it.principal === false));
  // Weeks with nothing at all are flagged too.
  assert.equal(r.weeks[5].items.length, 0);
  assert.equal(r.weeks[5].flagged, true);
});

test('the management page marks the flagged week', async () => {
  const html = mainOf(await (await (await as('leader')).get('/roster/manage')).text());
  const sections = [...html.matchAll(/<section class="roster-week" data-flagged="(true|false)">([\s\S]*?)<\/section>/g)];
  assert.equal(sections.length, 4);
  assert.deepEqual(sections.slice(0, 3).map((s) => s[1]), ['false', 'false', 'true']);
  assert.match(sections[2][2], /缺主要领导接访/);
  assert.match(sections[2][2], /本周没有安排主要领导接访/);
  assert.doesNotMatch(sections[1][2], /缺主要领导接访/);
});

test('a principal leader\'s day clears the flag; removing it brings the flag back', async () => {
  const c = await as('leader');
  const t = await today();
  const w2 = addDays(mondayOf(t), 14);
  const secretary = await demoLeader('党委书记');
  const r = await call(c, 'POST', '/api/v1/roster', await duty({ day: addDays(w2, 2), leader_id: secretary, post: '党委书记', form: 'visit_duty' }));
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.equal(r.body.principal, true);
  let week = (await roster(c, `?from=${w2}&to=${w2}`)).weeks[0];
  assert.equal(week.flagged, false);
  assert.match(week.principals, /党委书记/);
  assert.equal((await call(c, 'DELETE', `/api/v1/roster/${r.body.id}`)).status, 200);
  week = (await roster(c, `?from=${w2}&to=${w2}`)).weeks[0];
  assert.equal(week.flagged, true);
});

test('the 乡长 (no account) counts as a principal leader by post', async () => {
  const c = await as('leader');
  const mayor = await demoLeader('乡长');
  const t = await today();
  const w3 = addDays(mondayOf(t), 21);
  const r = await call(c, 'POST', '/api/v1/roster', await duty({ day: addDays(w3, 1), leader_id: mayor, post: '乡长', form: 'visit_duty' }));
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.equal(r.body.principal, true);
  assert.equal((await roster(c, `?from=${w3}&to=${w3}`)).weeks[0].flagged, false);
  const vice = await call(c, 'POST', '/api/v1/roster', await duty({ day: addDays(w3, 2), post: '党委书记' }));
  assert.equal(vice.status, 201);
  assert.equal(vice.body.principal, false, 'typing a post does not make a principal leader');
  await call(c, 'DELETE', `/api/v1/roster/${r.body.id}`);
  await call(c, 'DELETE', `/api/v1/roster/${vice.body.id}`);
});

// ---------------------------------------------------------------- managing the roster

test('a leader creates, changes and deletes a duty day through the API, each audited', async () => {
  const c = await as('leader');
  const before = await count(c);
  const input = await duty({ day: addDays(await today(), 3), post: undefined });
  delete input.post;
  let r = await call(c, 'POST', '/api/v1/roster', input);
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const id = r.body.id;
  assert.equal(r.body.day, input.day);
  assert.equal(r.body.leader_id, input.leader_id);
  assert.equal(r.body.post, '副乡长', 'the post defaults to the leader\'s current post');
  assert.equal(r.body.form, 'classified');
  assert.equal(r.body.form_label, '分类接访');
  assert.equal(r.body.note, '测试安排');
  assert.equal(await count(c), before + 1);
  assert.deepEqual(await auditActions(id), ['roster.create']);

  r = await call(c, 'PATCH', `/api/v1/roster/${id}`, { place: '西头村村委会', form: 'down_visit' });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.place, '西头村村委会');
  assert.equal(r.body.form_label, '带案下访');
  assert.equal(r.body.time, input.time, 'fields not sent are kept');
  const got = await getJson(c, `/api/v1/roster/${id}`);
  assert.equal(got.place, '西头村村委会');
  assert.deepEqual((await auditActions(id)).sort(), ['roster.create', 'roster.update']);

  r = await call(c, 'DELETE', `/api/v1/roster/${id}`);
  assert.equal(r.status, 200);
  assert.equal(r.body.deleted, true);
  assert.equal((await call(c, 'GET', `/api/v1/roster/${id}`)).status, 404);
  assert.equal(await count(c), before);
  assert.deepEqual((await auditActions(id)).sort(), ['roster.create', 'roster.delete', 'roster.update']);
});

test('a member keeps the roster through the page forms', async () => {
  const c = await as('member');
  const t = await today();
  const leaderId = await demoLeader('人大主席');
  const form = await c.get('/roster/new');
  assert.equal(form.status, 200);
  const page = await form.text();
  assert.match(page, /name="leader_id"/);
  assert.match(page, /上午9:00-12:00/, 'the usual time is the default');
  let res = await c.submit('/roster/new', {
    day: t, leader_id: String(leaderId), post: '', duties: '分管民政', time: '下午15:00-17:00',
    place: '乡便民服务中心', form: 'visit_duty', note: '',
  });
  assert.equal(res.status, 303);
  assert.match(res.headers.get('location'), /^\/roster\/manage\?week=\d{4}-\d{2}-\d{2}$/);
  const made = (await allRows(c)).find((x) => x.day === t && x.time === '下午15:00-17:00');
  assert.ok(made, 'stored');
  assert.equal(made.post, '人大主席');
  const manage = mainOf(await (await c.get(res.headers.get('location'))).text());
  assert.ok(manage.includes(`/roster/${made.id}/edit`), 'an edit link');

  const edit = await (await c.get(`/roster/${made.id}/edit`)).text();
  assert.match(edit, /value="下午15:00-17:00"/);
  res = await c.submit(`/roster/${made.id}/edit`, {
    day: t, leader_id: String(leaderId), post: '人大主席', duties: '分管民政、社会保障',
    time: '下午15:00-17:00', place: '乡综治中心信访接待室', form: 'visit_duty', note: '改到接待室',
  });
  assert.equal(res.status, 303);
  const changed = await getJson(c, `/api/v1/roster/${made.id}`);
  assert.equal(changed.place, '乡综治中心信访接待室');
  assert.equal(changed.note, '改到接待室');

  res = await c.submit(`/roster/${made.id}/delete`, {}, { from: '/roster/manage' });
  assert.equal(res.status, 303);
  assert.equal((await call(c, 'GET', `/api/v1/roster/${made.id}`)).status, 404);
});

test('the add form takes the week\'s day from the link, and ignores a bad or past one', async () => {
  const c = await as('leader');
  const t = await today();
  const dayValue = async (q) => {
    const res = await c.get(`/roster/new${q}`);
    assert.equal(res.status, 200, q);
    const html = await res.text();
    assert.doesNotMatch(html, /role="alert"/, `${q}: no error shown`);
    return html.match(/name="day" value="([^"]*)"/)[1];
  };
  assert.equal(await dayValue(`?day=${addDays(t, 9)}`), addDays(t, 9));
  assert.equal(await dayValue('?day=notaday'), t);
  assert.equal(await dayValue(`?day=${addDays(t, -3)}`), t);
  assert.equal(await dayValue(''), t);
});

test('a refused page form comes back with the input kept and the field named', async () => {
  const c = await as('leader');
  const before = await count(c);
  const res = await c.submit('/roster/new', {
    day: '2020-01-06', leader_id: String(await demoLeader('副乡长')), post: '副乡长', duties: '',
    time: '上午9:00-12:00', place: '留着的地点', form: 'visit_duty', note: '',
  });
  assert.equal(res.status, 422);
  const html = await res.text();
  assert.match(html, /接访日期/);
  assert.match(html, /value="留着的地点"/);
  assert.equal(await count(c), before);
});

test('only leaders and members may change the roster', async () => {
  const body = await duty();
  for (const role of ['staff', 'village', 'cleaner', 'inspector', 'sysadmin', 'secadmin', 'auditor']) {
    const c = await as(role);
    assert.equal((await call(c, 'POST', '/api/v1/roster', body)).status, 403, `${role} create`);
    assert.equal((await c.get('/roster/new')).status, 403, `${role} form`);
  }
  const anyRow = (await allRows(await as('leader'))).find((x) => x.day >= body.day);
  for (const role of ['staff', 'village', 'cleaner']) {
    const c = await as(role);
    assert.equal((await call(c, 'PATCH', `/api/v1/roster/${anyRow.id}`, { place: 'x' })).status, 403, `${role} update`);
    assert.equal((await call(c, 'DELETE', `/api/v1/roster/${anyRow.id}`)).status, 403, `${role} delete`);
  }
  assert.equal((await call(srv.client(), 'POST', '/api/v1/roster', body)).status, 401);
  assert.deepEqual(await getJson(await as('leader'), `/api/v1/roster/${anyRow.id}`), anyRow, 'unchanged');
});

test('cadres read the management page; only keepers see edit links; others are refused', async () => {
  for (const role of ['staff', 'village', 'inspector']) {
    const res = await (await as(role)).get('/roster/manage');
    assert.equal(res.status, 200, role);
    const html = mainOf(await res.text());
    assert.doesNotMatch(html, /\/roster\/\d+\/edit/, `${role}: no edit links`);
    assert.doesNotMatch(html, /href="\/roster\/new/, `${role}: no add link`);
  }
  assert.match(mainOf(await (await (await as('member')).get('/roster/manage')).text()), /href="\/roster\/new/);
  for (const role of ['cleaner', 'sysadmin', 'secadmin', 'auditor']) {
    assert.equal((await (await as(role)).get('/roster/manage')).status, 403, role);
    assert.equal((await (await as(role)).get('/roster/print?blank=1')).status, 403, role);
  }
  const anon = await srv.client().get('/roster/manage');
  assert.equal(anon.status, 303);
  assert.match(anon.headers.get('location'), /^\/login/);
});

test('a change without the CSRF token is refused and nothing is stored', async () => {
  const c = await as('leader');
  const before = await count(c);
  const r = await c.req('POST', '/api/v1/roster', { json: await duty(), csrf: false });
  assert.equal(r.status, 403);
  const page = await c.req('POST', '/roster/new', { form: { ...(await duty()), leader_id: String(await demoLeader('副乡长')) }, csrf: false });
  assert.equal(page.status, 403);
  const t = await today();
  const row = (await allRows(c)).find((x) => x.day >= t);
  const del = await c.req('POST', `/roster/${row.id}/delete`, { form: {}, csrf: false });
  assert.equal(del.status, 403);
  const patch = await c.req('PATCH', `/api/v1/roster/${row.id}`, { json: { place: '被改' }, csrf: false });
  assert.equal(patch.status, 403);
  assert.equal(await count(c), before);
  assert.equal((await getJson(c, `/api/v1/roster/${row.id}`)).place, row.place);
});

test('bad input is refused per field with 422, and nothing is stored', async () => {
  const c = await as('leader');
  const t = await today();
  const citizen = (await getJson(c, '/api/v1/people?kind=citizen&limit=1')).items[0].id;
  const postless = await call(c, 'POST', '/api/v1/people', { name: uniq('无职务干部'), kind: 'cadre' });
  assert.equal(postless.status, 201, JSON.stringify(postless.body));
  const long = (n) => '长'.repeat(n + 1);
  const cases = [
    [{ day: undefined }, 'day'],
    [{ day: '2026-13-45' }, 'day'],
    [{ day: addDays(t, -1) }, 'day'],
    [{ day: addDays(t, 400) }, 'day'],
    [{ leader_id: undefined }, 'leader_id'],
    [{ leader_id: 'abc' }, 'leader_id'],
    [{ leader_id: 99999999 }, 'leader_id'],
    [{ leader_id: citizen }, 'leader_id'],
    [{ leader_id: postless.body.id }, 'leader_id'],
    [{ post: long(40) }, 'post'],
    [{ duties: long(100) }, 'duties'],
    [{ time: undefined }, 'time'],
    [{ time: '' }, 'time'],
    [{ time: long(40) }, 'time'],
    [{ place: undefined }, 'place'],
    [{ place: long(60) }, 'place'],
    [{ place: '接待室\u0007' }, 'place'],
    [{ form: undefined }, 'form'],
    [{ form: 'visit' }, 'form'],
    [{ note: long(200) }, 'note'],
  ];
  const before = await count(c);
  for (const [over, field] of cases) {
    const body = await duty(over);
    for (const k of Object.keys(over)) if (over[k] === undefined) delete body[k];
    const r = await call(c, 'POST', '/api/v1/roster', body);
    assert422(r, field, JSON.stringify(over).slice(0, 60));
  }
  assert.equal(await count(c), before);

  const made = await call(c, 'POST', '/api/v1/roster', await duty({ day: addDays(t, 1) }));
  assert.equal(made.status, 201);
  const stored = await getJson(c, `/api/v1/roster/${made.body.id}`);
  for (const [over, field] of cases) {
    if (Object.values(over).includes(undefined)) continue;   // PATCH keeps what is not sent
    const r = await call(c, 'PATCH', `/api/v1/roster/${made.body.id}`, over);
    assert422(r, field, `patch ${JSON.stringify(over).slice(0, 60)}`);
  }
  assert.deepEqual(await getJson(c, `/api/v1/roster/${made.body.id}`), stored, 'unchanged');
  await call(c, 'DELETE', `/api/v1/roster/${made.body.id}`);
});

test('the same leader, day and time twice is a conflict', async () => {
  const c = await as('leader');
  const body = await duty({ day: addDays(await today(), 2) });
  const a = await call(c, 'POST', '/api/v1/roster', body);
  assert.equal(a.status, 201);
  const b = await call(c, 'POST', '/api/v1/roster', body);
  assert.equal(b.status, 409);
  assert.match(b.body.error.message, CHINESE);
  await call(c, 'DELETE', `/api/v1/roster/${a.body.id}`);
});

test('unknown duty ids are 404', async () => {
  const c = await as('leader');
  assert.equal((await call(c, 'GET', '/api/v1/roster/99999999')).status, 404);
  assert.equal((await call(c, 'PATCH', '/api/v1/roster/99999999', { place: 'x' })).status, 404);
  assert.equal((await call(c, 'DELETE', '/api/v1/roster/99999999')).status, 404);
  assert.equal((await c.get('/roster/99999999/edit')).status, 404);
});

// ---------------------------------------------------------------- escaping

test('hostile text in every field is escaped on the public, management and print pages', async () => {
  const c = await as('leader');
  const t = await today();
  const r = await call(c, 'POST', '/api/v1/roster', await duty({
    day: t, post: HOSTILE, duties: `分管${HOSTILE}`, time: `全天${HOSTILE}`, place: `地点${HOSTILE}`, note: `备注${HOSTILE}`,
  }));
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.equal(r.body.post, HOSTILE, 'stored as typed');
  const pages = {
    public: [await (await srv.client().get('/roster')).text(), ['post', 'duties', 'time', 'place']],
    manage: [await (await c.get(`/roster/manage?week=${t}`)).text(), ['post', 'duties', 'time', 'place', 'note']],
    print: [await (await c.get(`/roster/print?week=${t}`)).text(), ['post', 'duties', 'time', 'place', 'note']],
    edit: [await (await c.get(`/roster/${r.body.id}/edit`)).text(), ['post', 'duties', 'time', 'place', 'note']],
  };
  for (const [name, [html, fields]] of Object.entries(pages)) {
    assert.ok(!html.includes('<script>alert(1)'), `${name}: no live script`);
    for (const f of fields) assert.ok(pageHas(html, r.body[f]), `${name}: ${f} shown escaped`);
  }
  await call(c, 'DELETE', `/api/v1/roster/${r.body.id}`);
});

// ---------------------------------------------------------------- printing

test('the blank form prints with the column heads, empty rows and signature boxes', async () => {
  const res = await (await as('staff')).get('/roster/print?blank=1');
  assert.equal(res.status, 200);
  const html = await res.text();
  assert.match(html, /class="print-page"/, 'the bare A4 frame');
  assert.doesNotMatch(html, /class="banner"/);
  assert.match(html, /领导干部接访下访活动安排表/);
  for (const h of HEADS) assert.ok(html.includes(`<th scope="col">${h}</th>`), h);
  for (const s of ['填表人（签字）', '审核人（签字）', '主要领导（签字）']) assert.ok(html.includes(s), s);
  assert.equal((html.match(/<tr class="blank">/g) ?? []).length, 10);
  const names = rows(await roster(await as('leader'))).map((x) => x.leader);
  assert.ok(names.every((n) => !html.includes(n)), 'no names on the blank form');
});

test('the filled form prints one week with its duties', async () => {
  const c = await as('leader');
  const t = await today();
  const w1 = addDays(mondayOf(t), 7);
  const res = await c.get(`/roster/print?week=${addDays(w1, 3)}`);
  assert.equal(res.status, 200);
  const html = await res.text();
  for (const h of HEADS) assert.ok(html.includes(`<th scope="col">${h}</th>`), h);
  const week = (await roster(c, `?from=${w1}&to=${w1}`)).weeks[0];
  assert.ok(html.includes(week.label), 'the week\'s dates');
  for (const it of week.items) {
    assert.ok(pageHas(html, it.leader) && pageHas(html, it.place) && pageHas(html, it.form_label));
  }
  assert.ok(html.includes('主要领导（签字）'));
  assert.equal((await c.get('/roster/print?week=notaday')).status, 422);
  assert.equal((await c.get('/roster/print?blank=yes')).status, 422);
  const flagged = await (await c.get(`/roster/print?week=${addDays(mondayOf(t), 14)}`)).text();
  assert.match(flagged, /本周没有安排主要领导接访/, 'a flagged week says so on screen');
  assert.doesNotMatch(html, /本周没有安排主要领导接访/);
});

// ---------------------------------------------------------------- well-formed pages

test('every roster page passes html-validate (the crawl\'s rules)', async () => {
  const hv = new HtmlValidate({
    extends: ['html-validate:recommended'],
    rules: { 'doctype-style': 'off', 'form-dup-name': ['error', { shared: ['radio', 'checkbox', 'button', 'reset', 'submit'] }] },
  });
  const c = await as('leader');
  const t = await today();
  const editable = (await allRows(c)).find((x) => x.day > t);
  const pages = [
    [srv.client(), '/roster'], [c, '/roster'], [c, '/roster/manage'], [c, `/roster/manage?week=${addDays(t, 14)}`],
    [c, '/roster/new'], [c, `/roster/${editable.id}/edit`], [c, '/roster/print?blank=1'], [c, `/roster/print?week=${t}`],
    [await as('village'), '/roster/manage'], [c, '/petitions/new'], [srv.client(), '/login'],
  ];
  for (const [client, path] of pages) {
    const res = await client.get(path);
    assert.equal(res.status, 200, path);
    const html = await res.text();
    assert.equal((html.match(/<h1[\s>]/g) ?? []).length, 1, `${path}: one h1`);
    const report = await hv.validateString(html);
    const msgs = report.results.flatMap((r) => r.messages).map((m) => `${m.ruleId} ${m.line}:${m.column} ${m.message}`);
    assert.deepEqual(msgs, [], path);
  }
});

test('the login page and the cadres\' home link to the roster', async () => {
  assert.match(await (await srv.client().get('/login')).text(), /href="\/roster"/);
  assert.match(await (await (await as('staff')).get('/')).text(), /href="\/roster\/manage"/);
  assert.doesNotMatch(await (await (await as('cleaner')).get('/')).text(), /href="\/roster\/manage"/);
});

// ---------------------------------------------------------------- the desk's default leader

const petition = (t, over = {}) => ({
  type: 'petition',
  title: uniq('反映道路损坏'),
  details: { form: 'visit', received_at: t, ...(over.details ?? {}) },
  petitioners: [{ name: uniq('来访群众') }],
  ...over.top,
});

test('a desk petition with no receiving leader goes to the leader on duty', async () => {
  const vice = await demoLeader('副乡长');
  const mayor = await demoLeader('乡长');
  srv.setClock('+63d');          // nine weeks on: nothing of the demo's
  try {
    const c = await srv.as('leader');
    const t = (await roster(c)).today;
    assert.equal(rows(await roster(c, `?from=${t}&to=${t}`)).filter((x) => x.day === t).length, 0);
    // Nobody on duty: nothing is defaulted.
    let m = await call(c, 'POST', '/api/v1/matters', petition(t));
    assert.equal(m.status, 201, JSON.stringify(m.body));
    assert.equal(m.body.details.receiving_leader_id, undefined);

    // A 分类接访 row later in the day, and the 值班接访 row: the duty leader wins.
    let r = await call(c, 'POST', '/api/v1/roster', { day: t, leader_id: mayor, time: '下午14:30-17:30', place: '乡便民服务中心', form: 'classified' });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    r = await call(c, 'POST', '/api/v1/roster', { day: t, leader_id: vice, time: '上午9:00-12:00', place: '乡综治中心信访接待室', form: 'visit_duty' });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    const onDuty = (await roster(c)).on_duty;
    assert.equal(onDuty.leader_id, vice);

    m = await call(c, 'POST', '/api/v1/matters', petition(t));
    assert.equal(m.status, 201, JSON.stringify(m.body));
    assert.equal(m.body.details.receiving_leader_id, vice);
    assert.ok(m.body.details.receiving_leader.startsWith(onDuty.leader), m.body.details.receiving_leader);
    const again = await getJson(c, `/api/v1/matters/${m.body.id}`);
    assert.equal(again.details.receiving_leader_id, vice, 'stored');

    // Another form of petition is not received by anyone in person.
    m = await call(c, 'POST', '/api/v1/matters', petition(t, { details: { form: 'letter' } }));
    assert.equal(m.status, 201);
    assert.equal(m.body.details.receiving_leader_id, undefined);
    // A leader named wins over the roster.
    m = await call(c, 'POST', '/api/v1/matters', petition(t, { details: { receiving_leader_id: mayor } }));
    assert.equal(m.status, 201);
    assert.equal(m.body.details.receiving_leader_id, mayor);
    // A village cadre registers at the village, not the desk.
    const v = await srv.as('village');
    m = await call(v, 'POST', '/api/v1/matters', petition(t));
    assert.equal(m.status, 201, JSON.stringify(m.body));
    assert.equal(m.body.details.receiving_leader_id, undefined);

    // The registration page preselects the leader on duty.
    const page = await (await c.get('/petitions/new')).text();
    const sel = page.match(/<select name="receiving_leader_id">([\s\S]*?)<\/select>/)[1];
    assert.match(sel, new RegExp(`<option value="${vice}" selected>`));
  } finally {
    srv.setClock('+0');
  }
});

// ---------------------------------------------------------------- history is kept

test('past duty days cannot be changed or deleted, and new ones cannot be set in the past', async () => {
  const c0 = await as('leader');
  const t0 = await today(c0);
  const old = rows(await roster(c0, `?from=${mondayOf(t0)}&to=${mondayOf(t0)}`))[0];
  assert.ok(old, 'a demo duty this week');
  srv.setClock('+8d');
  try {
    const c = await srv.as('leader');
    const t = (await roster(c)).today;
    assert.ok(old.day < t);
    let r = await call(c, 'PATCH', `/api/v1/roster/${old.id}`, { place: '改历史', day: t });
    assert.equal(r.status, 409);
    assert.match(r.body.error.message, /已过去/);
    r = await call(c, 'DELETE', `/api/v1/roster/${old.id}`);
    assert.equal(r.status, 409);
    const page = await c.get(`/roster/${old.id}/edit`);
    assert.equal(page.status, 409);
    assert.match(await page.text(), /已过去的接访安排不能修改/);
    const manage = mainOf(await (await c.get(`/roster/manage?week=${old.day}`)).text());
    assert.ok(!manage.includes(`/roster/${old.id}/edit`), 'no edit link for the past');
    assert.deepEqual(await getJson(c, `/api/v1/roster/${old.id}`), old, 'unchanged');
    // The public no longer sees that week.
    const pub = await (await srv.client().get('/roster')).text();
    assert.ok(!pub.includes(old.day_label), `${old.day_label} is history`);
  } finally {
    srv.setClock('+0');
  }
});
