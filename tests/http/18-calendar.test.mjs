// 18-calendar: the system admin's holiday calendar: who may change it, bad input, audit, effect on deadlines.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, json } from './lib.mjs';
import { sqlite } from './lib-admin.mjs';
import { call, clients, mainOf, pageHas, assert422, alerts, CHINESE } from './lib-org.mjs';

const OTHERS = ['leader', 'member', 'staff', 'village', 'cleaner', 'inspector', 'secadmin', 'auditor'];

let srv;
let as;

before(async () => {
  srv = await startServer();
  as = clients(srv);
});
after(async () => { await srv.stop(); });

// The whole table and the calendar audit records, to prove nothing changed.
function tableDump() {
  const r = sqlite(srv.db, "SELECT count(*) || ':' || group_concat(day || kind || name, '|') FROM (SELECT * FROM calendar_day ORDER BY day);"
    + " SELECT group_concat(year || status || source, '|') FROM calendar_year;");
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}
function calendarAudits() {
  const r = sqlite(srv.db, "SELECT count(*) FROM audit WHERE action LIKE 'calendar.%'");
  assert.equal(r.status, 0, r.stderr);
  return Number(r.stdout.trim());
}
function lastAudit(action) {
  const r = sqlite(srv.db, `SELECT object_id || ' ' || actor || ' ' || result || ' ' || detail FROM audit WHERE action = '${action}' ORDER BY id DESC LIMIT 1`);
  assert.equal(r.status, 0, r.stderr);
  const line = r.stdout.trim();
  const [objectId, actor, result, ...rest] = line.split(' ');
  return { objectId, actor, result, detail: JSON.parse(rest.join(' ')) };
}
async function due(c, q) {
  const r = await call(c, 'GET', `/api/v1/calendar/due?${q}`);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body.due;
}

// --- reading -------------------------------------------------------------------

test('the sysadmin sees a year of special days, page and JSON', async () => {
  const c = await as('sysadmin');
  const r = await call(c, 'GET', '/api/v1/calendar?year=2026');
  assert.equal(r.status, 200);
  assert.equal(r.body.year, 2026);
  assert.equal(r.body.status, 'official');
  assert.equal(r.body.provisional, false);
  assert.equal(r.body.days.length, 39);
  const oct1 = r.body.days.find((d) => d.day === '2026-10-01');
  assert.deepEqual({ kind: oct1.kind, name: oct1.name, weekday: oct1.weekday, kind_label: oct1.kind_label },
    { kind: 'rest', name: '国庆节', weekday: '星期四', kind_label: '放假' });
  const oct10 = r.body.days.find((d) => d.day === '2026-10-10');
  assert.equal(oct10.kind, 'work');
  assert.equal(oct10.weekend, true);
  assert.ok(r.body.days.every((d) => d.day.startsWith('2026-')));
  const years = r.body.years.map((y) => `${y.year}:${y.status}`);
  for (const y of ['2023:official', '2024:official', '2025:official', '2026:official', '2027:provisional']) {
    assert.ok(years.includes(y), `${y} in ${years}`);
  }

  const res = await c.get('/calendar?year=2026');
  assert.equal(res.status, 200);
  const html = mainOf(await res.text());
  assert.match(html, /2026-10-10/);
  assert.match(html, /国庆节调休/);
  assert.match(html, /已登记事项的期限不会重新计算/);
  assert.doesNotMatch(html, /暂定的/);
});

test('the default year is this year, and the nav links the page for the sysadmin only', async () => {
  const c = await as('sysadmin');
  const r = await call(c, 'GET', '/api/v1/calendar');
  assert.equal(r.status, 200);
  assert.equal(r.body.year, new Date(Date.now() + 8 * 3600e3).getUTCFullYear());
  assert.match(await (await c.get('/')).text(), /href="\/calendar"/);
  for (const role of OTHERS) {
    assert.doesNotMatch(await (await (await as(role)).get('/')).text(), /href="\/calendar"/, role);
  }
});

test('2027 is marked provisional, with a notice on the page', async () => {
  const c = await as('sysadmin');
  const r = await call(c, 'GET', '/api/v1/calendar?year=2027');
  assert.equal(r.body.status, 'provisional');
  assert.equal(r.body.provisional, true);
  assert.ok(r.body.days.length > 20);
  const html = mainOf(await (await c.get('/calendar?year=2027')).text());
  assert.match(html, /2027年的数据是暂定的/);
  assert.match(html, /待国务院办公厅通知发布后核对/);
});

test('a year without data says so: weekends only', async () => {
  const c = await as('sysadmin');
  const r = await call(c, 'GET', '/api/v1/calendar?year=2028');
  assert.equal(r.status, 200);
  assert.equal(r.body.no_data, true);
  assert.equal(r.body.status, '');
  assert.deepEqual(r.body.days, []);
  const html = mainOf(await (await c.get('/calendar?year=2028')).text());
  assert.match(html, /2028年还没有节假日数据/);
});

test('the 修改 link fills the form with that day', async () => {
  const c = await as('sysadmin');
  let html = mainOf(await (await c.get('/calendar?year=2026')).text());
  assert.match(html, /href="\/calendar\?year=2026&amp;day=2026-10-10#edit"/);
  assert.match(html, /name="day" value=""/);
  html = mainOf(await (await c.get('/calendar?year=2026&day=2026-10-10')).text());
  assert.match(html, /name="day" value="2026-10-10"/);
  assert.match(html, /<option value="work" selected>/);
  assert.match(html, /name="name" value="国庆节调休"/);
  // A day that is not in the table, or junk, leaves the form empty.
  for (const d of ['2026-10-11', 'junk']) {
    html = mainOf(await (await c.get(`/calendar?year=2026&day=${d}`)).text());
    assert.match(html, /name="day" value=""/, d);
  }
});

test('a bad year is a 422 naming "year"', async () => {
  const c = await as('sysadmin');
  for (const y of ['abc', '1999', '2101', '2026.5', '']) {
    assert422(await call(c, 'GET', `/api/v1/calendar?year=${encodeURIComponent(y)}`), 'year', `year ${y}`);
  }
  const res = await c.get('/calendar?year=1800');
  assert.equal(res.status, 422);
});

// --- who may change it ---------------------------------------------------------

test('no one but the sysadmin may read or change the calendar; nothing changes', async () => {
  const before = tableDump();
  const audits = calendarAudits();
  for (const role of OTHERS) {
    const c = await as(role);
    const tries = [
      ['GET', '/api/v1/calendar?year=2026', undefined],
      ['PUT', '/api/v1/calendar/2026-11-16', { kind: 'rest', name: '越权' }],
      ['POST', '/api/v1/calendar/2026-11-16', { kind: 'rest', name: '越权' }],
      ['DELETE', '/api/v1/calendar/2026-10-01', undefined],
      ['PUT', '/api/v1/calendar/years/2027', { status: 'official' }],
    ];
    for (const [m, p, b] of tries) {
      const r = await call(c, m, p, b);
      assert.ok(r.status === 403 || r.status === 404, `${role} ${m} ${p}: ${r.status}`);
      assert.match(r.body.error.message, CHINESE);
    }
    const page = await c.get('/calendar?year=2026');
    assert.ok(page.status === 403 || page.status === 404, `${role} page: ${page.status}`);
    const form = await c.submit('/calendar', { op: 'set', day: '2026-11-16', kind: 'rest', name: '越权' }, { from: '/' });
    assert.ok(form.status === 403 || form.status === 404, `${role} form: ${form.status}`);
  }
  const anon = srv.client();
  assert.equal((await anon.get('/api/v1/calendar')).status, 401);
  assert.equal((await anon.req('PUT', '/api/v1/calendar/2026-11-16', { json: { kind: 'rest', name: 'x' } })).status, 401);
  const page = await anon.get('/calendar');
  assert.equal(page.status, 303);
  assert.match(page.headers.get('location'), /^\/login/);
  assert.equal(tableDump(), before);
  assert.equal(calendarAudits(), audits);
});

test('a change without the CSRF token is refused and changes nothing', async () => {
  const c = await as('sysadmin');
  const before = tableDump();
  let res = await c.req('PUT', '/api/v1/calendar/2026-11-16', { json: { kind: 'rest', name: '无令牌' }, csrf: false });
  assert.equal(res.status, 403);
  res = await c.req('DELETE', '/api/v1/calendar/2026-10-01', { csrf: false });
  assert.equal(res.status, 403);
  res = await c.req('PUT', '/api/v1/calendar/years/2027', { json: { status: 'official' }, csrf: false, headers: { 'x-csrf-token': 'A'.repeat(43) } });
  assert.equal(res.status, 403);
  res = await c.req('POST', '/calendar', { form: { op: 'set', day: '2026-11-16', kind: 'rest', name: '无令牌' }, csrf: false });
  assert.equal(res.status, 403);
  res = await c.req('POST', '/calendar', { form: { op: 'delete', day: '2026-10-01', csrf: 'B'.repeat(43) }, csrf: false });
  assert.equal(res.status, 403);
  assert.equal(tableDump(), before);
});

// --- bad input -----------------------------------------------------------------

test('bad input per field is a 422 naming it, in Chinese, and nothing changes', async () => {
  const c = await as('sysadmin');
  const before = tableDump();
  const audits = calendarAudits();
  const cases = [
    ['2026-02-30', { kind: 'rest', name: '不存在' }, 'day'],
    ['2026-13-01', { kind: 'rest', name: '不存在' }, 'day'],
    ['tomorrow', { kind: 'rest', name: '不存在' }, 'day'],
    ['1999-12-31', { kind: 'rest', name: '太早' }, 'day'],
    ['2101-01-03', { kind: 'rest', name: '太晚' }, 'day'],
    ['2026-11-16', { name: '没有类型' }, 'kind'],
    ['2026-11-16', { kind: 'holiday', name: '错误类型' }, 'kind'],
    ['2026-11-16', { kind: 'REST', name: '大写' }, 'kind'],
    ['2026-11-16', { kind: 'rest' }, 'name'],
    ['2026-11-16', { kind: 'rest', name: '' }, 'name'],
    ['2026-11-16', { kind: 'rest', name: '　 ' }, 'name'],
    ['2026-11-16', { kind: 'rest', name: '一二三四五六七八九十一二三四五六七八九十一' }, 'name'],
    ['2026-11-16', { kind: 'rest', name: '有\u0007控制符' }, 'name'],
  ];
  for (const [day, body, field] of cases) {
    for (const m of ['PUT', 'POST']) {
      assert422(await call(c, m, `/api/v1/calendar/${encodeURIComponent(day)}`, body), field, `${m} ${day} ${JSON.stringify(body)}`);
    }
  }
  // A removal of a day that is not a date, or not in the table.
  assert422(await call(c, 'DELETE', '/api/v1/calendar/2026-02-30'), 'day', 'delete a non-date');
  const gone = await call(c, 'DELETE', '/api/v1/calendar/2026-11-18');
  assert.equal(gone.status, 404);
  assert.match(gone.body.error.message, CHINESE);
  // The year's status.
  assert422(await call(c, 'PUT', '/api/v1/calendar/years/1999', { status: 'official' }), 'year', 'year 1999');
  assert422(await call(c, 'PUT', '/api/v1/calendar/years/2027', { status: 'checked' }), 'status', 'bad status');
  assert422(await call(c, 'PUT', '/api/v1/calendar/years/2027', {}), 'status', 'no status');
  assert422(await call(c, 'PUT', '/api/v1/calendar/years/2027', { status: 'official', source: '文'.repeat(61) }), 'source', 'long source');
  assert.equal(tableDump(), before);
  assert.equal(calendarAudits(), audits);
});

test('a 调休 work day on a weekday, or a new rest day on a weekend, is refused', async () => {
  const c = await as('sysadmin');
  const before = tableDump();
  // Wednesday 2026-11-18 works anyway.
  let r = await call(c, 'PUT', '/api/v1/calendar/2026-11-18', { kind: 'work', name: '调休' });
  assert422(r, 'kind', 'work on a Wednesday');
  assert.match(r.body.error.message, /星期三/);
  assert.match(r.body.error.message, /星期六或星期日/);
  // Saturday 2026-11-21 rests anyway.
  r = await call(c, 'PUT', '/api/v1/calendar/2026-11-21', { kind: 'rest', name: '周末' });
  assert422(r, 'kind', 'rest on a Saturday');
  assert.match(r.body.error.message, /星期六，本来就休息/);
  // Turning the 调休 Saturday 10-10 into a rest day: delete it instead.
  r = await call(c, 'PUT', '/api/v1/calendar/2026-10-10', { kind: 'rest', name: '国庆节' });
  assert422(r, 'kind', 'rest on a 调休 Saturday');
  assert.match(r.body.error.message, /删除/);
  // Moving the 国庆 Thursday to a 'work' day.
  r = await call(c, 'PUT', '/api/v1/calendar/2026-10-01', { kind: 'work', name: '国庆节' });
  assert422(r, 'kind', 'work on 国庆');
  assert.equal(tableDump(), before);
});

test('a failed page form shows again with the input kept and the error named', async () => {
  const c = await as('sysadmin');
  const before = tableDump();
  const res = await c.submit('/calendar', { op: 'set', year: '2026', day: '2026-11-18', kind: 'work', name: '<b>保留</b>' },
    { from: '/calendar?year=2026' });
  assert.equal(res.status, 422);
  const html = await res.text();
  assert.ok(alerts(html).some((a) => /星期三/.test(a)), 'the alert names the weekday');
  assert.ok(pageHas(html, '<b>保留</b>'), 'the name is kept');
  assert.ok(!html.includes('<b>保留</b>'), 'and escaped');
  assert.match(html, /value="2026-11-18"/);
  assert.match(html, /<option value="work" selected>/);
  const bad = await c.submit('/calendar', { op: 'nonsense' }, { from: '/calendar?year=2026' });
  assert.equal(bad.status, 422);
  assert.equal(tableDump(), before);
});

// --- changes and their effect ----------------------------------------------------

test('adding a holiday moves /api/v1/calendar/due at once; changing and removing it too', async () => {
  const c = await as('sysadmin');
  const leader = await as('leader');
  // Tue 11-10 + 5 = Sun 11-15, so Monday 11-16.
  assert.equal(await due(leader, 'from=2026-11-10&days=5'), '2026-11-16');
  let audits = calendarAudits();

  let r = await call(c, 'PUT', '/api/v1/calendar/2026-11-16', { kind: 'rest', name: '测试假日' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.equal(r.body.day, '2026-11-16');
  assert.equal(r.body.kind, 'rest');
  assert.equal(r.body.weekday, '星期一');
  assert.equal(r.body.old, null);
  assert.equal(await due(leader, 'from=2026-11-10&days=5'), '2026-11-17');
  assert.equal(calendarAudits(), audits + 1);
  let a = lastAudit('calendar.set');
  assert.equal(a.objectId, '20261116');
  assert.equal(a.result, 'ok');
  assert.deepEqual(a.detail, { day: '2026-11-16', old: null, new: { kind: 'rest', name: '测试假日' } });

  // The same again changes nothing and audits nothing.
  r = await call(c, 'POST', '/api/v1/calendar/2026-11-16', { kind: 'rest', name: '测试假日' });
  assert.equal(r.status, 200);
  assert.equal(calendarAudits(), audits + 1);

  // Renamed: the audit keeps the old and the new name.
  r = await call(c, 'POST', '/api/v1/calendar/2026-11-16', { kind: 'rest', name: '改名假日' });
  assert.equal(r.status, 200);
  assert.deepEqual(r.body.old, { kind: 'rest', name: '测试假日' });
  a = lastAudit('calendar.set');
  assert.deepEqual(a.detail.old, { kind: 'rest', name: '测试假日' });
  assert.deepEqual(a.detail.new, { kind: 'rest', name: '改名假日' });
  assert.equal(sqlite(srv.db, "SELECT kind || name FROM calendar_day WHERE day = '2026-11-16'").stdout.trim(), 'rest改名假日');

  // Removed: the deadline is back.
  audits = calendarAudits();
  r = await call(c, 'DELETE', '/api/v1/calendar/2026-11-16');
  assert.equal(r.status, 200);
  assert.equal(r.body.deleted, true);
  assert.equal(await due(leader, 'from=2026-11-10&days=5'), '2026-11-16');
  assert.equal(calendarAudits(), audits + 1);
  a = lastAudit('calendar.delete');
  assert.deepEqual(a.detail, { day: '2026-11-16', old: { kind: 'rest', name: '改名假日' } });
  assert.equal((await call(c, 'DELETE', '/api/v1/calendar/2026-11-16')).status, 404);
  assert.equal(calendarAudits(), audits + 1);
});

test('a 调休 Saturday counts as a working day at once', async () => {
  const c = await as('sysadmin');
  const staff = await as('staff');
  // Fri 11-13 + 1 working day = Monday 11-16.
  assert.equal(await due(staff, 'from=2026-11-13&days=1&unit=working'), '2026-11-16');
  assert.equal(await due(staff, 'from=2026-11-13&days=1'), '2026-11-16');
  const r = await call(c, 'PUT', '/api/v1/calendar/2026-11-14', { kind: 'work', name: '测试调休' });
  assert.equal(r.status, 201);
  assert.equal(await due(staff, 'from=2026-11-13&days=1&unit=working'), '2026-11-14');
  assert.equal(await due(staff, 'from=2026-11-13&days=1'), '2026-11-14');
  assert.equal((await call(c, 'DELETE', '/api/v1/calendar/2026-11-14')).status, 200);
  assert.equal(await due(staff, 'from=2026-11-13&days=1&unit=working'), '2026-11-16');
});

test('a shipped weekend holiday row may be renamed, keeping its kind', async () => {
  const c = await as('sysadmin');
  let r = await call(c, 'PUT', '/api/v1/calendar/2026-10-03', { kind: 'rest', name: '国庆节假期' });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  r = await call(c, 'PUT', '/api/v1/calendar/2026-10-03', { kind: 'rest', name: '国庆节' });
  assert.equal(r.status, 200);
});

test('the page forms add, show and delete a day', async () => {
  const c = await as('sysadmin');
  let res = await c.submit('/calendar', { op: 'set', year: '2026', day: '2026/12/7', kind: 'rest', name: '页面假日' },
    { from: '/calendar?year=2026' });
  assert.equal(res.status, 303);
  assert.equal(res.headers.get('location'), '/calendar?year=2026');
  let html = mainOf(await (await c.get('/calendar?year=2026')).text());
  assert.match(html, /2026-12-07/);
  assert.match(html, /页面假日/);
  assert.equal(await due(c, 'from=2026-12-06&days=1'), '2026-12-08');
  res = await c.submit('/calendar', { op: 'delete', year: '2026', day: '2026-12-07' }, { from: '/calendar?year=2026' });
  assert.equal(res.status, 303);
  html = mainOf(await (await c.get('/calendar?year=2026')).text());
  assert.doesNotMatch(html, /页面假日/);
  assert.equal(await due(c, 'from=2026-12-06&days=1'), '2026-12-07');
  assert.equal(lastAudit('calendar.delete').detail.day, '2026-12-07');
});

test('a hostile name is stored as given and shown escaped', async () => {
  const c = await as('sysadmin');
  const names = ['<script>x</script>', '"><svg onload=1>', "' onmouseover='x", '&amp;&lt;'];
  let d = 7;
  for (const name of names) {
    const day = `2026-12-${String(d++).padStart(2, '0')}`;
    const r = await call(c, 'PUT', `/api/v1/calendar/${day}`, { kind: 'rest', name });
    assert.equal(r.status, 201, `${name}: ${JSON.stringify(r.body)}`);
    assert.equal(r.body.name, name);
    const j = await call(c, 'GET', '/api/v1/calendar?year=2026');
    assert.equal(j.body.days.find((x) => x.day === day).name, name);
    const html = mainOf(await (await c.get('/calendar?year=2026')).text());
    assert.ok(pageHas(html, name), `${name} shown`);
    if (/[<>"']/.test(name)) assert.ok(!html.includes(name), `${name} escaped`);
    assert.equal((await call(c, 'DELETE', `/api/v1/calendar/${day}`)).status, 200);
  }
  const html = await (await c.get('/calendar?year=2026')).text();
  assert.doesNotMatch(html, /<script>x/);
  assert.doesNotMatch(html, /<svg/);
});

test('a year is marked checked (official) or provisional, audited', async () => {
  const c = await as('sysadmin');
  const audits = calendarAudits();
  let r = await call(c, 'PUT', '/api/v1/calendar/years/2027', { status: 'official', source: '国办发明电〔2026〕测试号' });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.provisional, false);
  let page = mainOf(await (await c.get('/calendar?year=2027')).text());
  assert.doesNotMatch(page, /暂定的/);
  assert.match(page, /已按国务院通知核对/);
  assert.equal(calendarAudits(), audits + 1);
  const a = lastAudit('calendar.year');
  assert.equal(a.objectId, '2027');
  assert.equal(a.detail.old.status, 'provisional');
  assert.deepEqual(a.detail.new, { status: 'official', source: '国办发明电〔2026〕测试号' });

  // Through the page form, back to provisional.
  const res = await c.submit('/calendar', { op: 'year', year: '2027', status: 'provisional', source: '待核对' },
    { from: '/calendar?year=2027' });
  assert.equal(res.status, 303);
  assert.equal(res.headers.get('location'), '/calendar?year=2027');
  page = mainOf(await (await c.get('/calendar?year=2027')).text());
  assert.match(page, /2027年的数据是暂定的/);
  assert.match(page, /待核对/);

  // A new year may be given a status before its days.
  r = await call(c, 'PUT', '/api/v1/calendar/years/2028', { status: 'provisional' });
  assert.equal(r.status, 200);
  const j = await call(c, 'GET', '/api/v1/calendar?year=2028');
  assert.equal(j.body.provisional, true);
  assert.equal(j.body.no_data, true);
  assert.equal(calendarAudits(), audits + 3);
});

test('the audit chain verifies after the calendar changes', async () => {
  const r = await call(await as('auditor'), 'POST', '/api/v1/audit/verify', {});
  assert.equal(r.status, 200);
  assert.equal(r.body.intact, true, JSON.stringify(r.body));
  const list = await json(await (await as('auditor')).get('/api/v1/audit?limit=200&action=calendar'));
  assert.ok(list.items.some((i) => i.action === 'calendar.set'), 'the auditor sees calendar.set');
});
