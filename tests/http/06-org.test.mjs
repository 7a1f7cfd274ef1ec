// 06-org: units, villages and groups, through the API and through the page forms.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, json } from './lib.mjs';
import { call, getJson, mainOf, alerts, pageHas, CHINESE, assert422, uniq, clients, inputAttrs } from './lib-org.mjs';

const DEMO_VILLAGES = ['龙咀子村', '西渠村', '南邑村', '西头村', '孟河村'];

let srv, as;
before(async () => { srv = await startServer(); as = clients(srv); });
after(async () => { await srv.stop(); });

const units = async () => (await getJson(await as('leader'), '/api/v1/units')).items;
const villages = async () => (await getJson(await as('leader'), '/api/v1/villages')).items;
const village = async (id) => getJson(await as('leader'), `/api/v1/villages/${id}`);
const unitNamed = async (name) => (await units()).find((u) => u.name === name);
const villageId = async (name) => (await villages()).find((v) => v.name === name).id;

// ---------------------------------------------------------------- lists and detail

test('the unit list has the demo township\'s 12 units, each with its fields', async () => {
  const items = await units();
  assert.equal(items.length, 12);
  for (const u of items) {
    assert.ok(Number.isInteger(u.id) && u.id > 0);
    assert.ok(u.name.length > 0);
    assert.ok(['office', 'station', 'centre'].includes(u.kind), u.kind);
    assert.match(u.kind_label, CHINESE);
    assert.equal(typeof u.active, 'boolean');
    assert.equal(typeof u.sort, 'number');
    assert.equal(typeof u.members, 'number');
  }
  assert.equal(new Set(items.map((u) => u.name)).size, 12, 'names are distinct');
  assert.ok(items.some((u) => u.name === '司法所'));
});

test('the unit list is ordered by its sort number', async () => {
  const sorts = (await units()).map((u) => u.sort);
  assert.deepEqual(sorts, [...sorts].sort((a, b) => a - b));
});

test('the village list has the 5 demo villages in their order', async () => {
  const items = await villages();
  assert.deepEqual(items.map((v) => v.name), DEMO_VILLAGES);
  for (const v of items) {
    assert.ok(v.groups > 0, `${v.name} has groups`);
    assert.ok(v.people > 0, `${v.name} has people`);
    assert.equal(typeof v.households, 'number');
  }
});

test('the township list names the demo township', async () => {
  const t = await getJson(await as('leader'), '/api/v1/townships');
  assert.equal(t.items.length, 1);
  assert.match(t.items[0].name, /乡$/);
});

test('a unit\'s detail lists its current posts with the people', async () => {
  const u = await getJson(await as('leader'), '/api/v1/units/1');
  assert.equal(u.id, 1);
  assert.ok(Array.isArray(u.posts) && u.posts.length > 0);
  assert.equal(u.posts.length, u.members, 'members counts the posts');
  for (const p of u.posts) {
    assert.ok(p.person_id > 0);
    assert.ok(p.person.length > 0);
    assert.ok(p.title.length > 0);
    assert.match(p.started_on, /^\d{4}-\d{2}-\d{2}$/);
  }
});

test('a village\'s detail lists its groups and its cadres\' posts', async () => {
  const id = await villageId('龙咀子村');
  const v = await village(id);
  assert.equal(v.name, '龙咀子村');
  const listed = (await villages()).find((x) => x.id === id);
  assert.equal(v.groups.length, listed.groups);
  assert.ok(v.groups.some((g) => g.name === '一组'));
  assert.ok(v.posts.length > 0);
  assert.ok(v.posts.some((p) => p.title === '村党支部书记'));
});

test('an unknown or malformed unit or village id is 404', async () => {
  const c = await as('leader');
  for (const p of ['/api/v1/units/999999', '/api/v1/units/0', '/api/v1/units/abc', '/api/v1/units/-1',
    '/api/v1/villages/999999', '/api/v1/villages/x1']) {
    const r = await call(c, 'GET', p);
    assert.equal(r.status, 404, p);
    assert.equal(r.body.error.code, 'not_found', p);
  }
});

// ---------------------------------------------------------------- create and update

test('POST /api/v1/units creates a unit: 201 with every field, and it is listed', async () => {
  const c = await as('leader');
  const name = uniq('测试站');
  const r = await call(c, 'POST', '/api/v1/units', {
    name, kind: 'centre', phone: '0934-1234567', duties: '第一行\n第二行', sort: 55, active: false,
  });
  assert.equal(r.status, 201);
  assert.ok(r.body.id > 0);
  assert.equal(r.body.name, name);
  assert.equal(r.body.kind, 'centre');
  assert.equal(r.body.phone, '0934-1234567');
  assert.equal(r.body.duties, '第一行\n第二行');
  assert.equal(r.body.sort, 55);
  assert.equal(r.body.active, false);
  assert.deepEqual(r.body.posts, []);
  const again = await getJson(c, `/api/v1/units/${r.body.id}`);
  assert.equal(again.name, name);
  assert.equal(again.active, false);
  assert.ok((await units()).some((u) => u.id === r.body.id));
});

test('a unit created with only name and kind gets the defaults (active, sort 0)', async () => {
  const r = await call(await as('leader'), 'POST', '/api/v1/units', { name: uniq('默认所'), kind: 'office' });
  assert.equal(r.status, 201);
  assert.equal(r.body.active, true);
  assert.equal(r.body.sort, 0);
  assert.equal(r.body.phone, '');
  assert.equal(r.body.duties, '');
});

test('the limits are inclusive: a 40-character name and sort 0 and 9999 are accepted', async () => {
  const c = await as('leader');
  const name40 = '长'.repeat(38) + String(Date.now() % 100).padStart(2, '0');
  assert.equal([...name40].length, 40);
  const a = await call(c, 'POST', '/api/v1/units', { name: name40, kind: 'station', sort: 9999 });
  assert.equal(a.status, 201);
  assert.equal(a.body.name, name40);
  assert.equal(a.body.sort, 9999);
  const b = await call(c, 'POST', '/api/v1/units', { name: uniq('零排序'), kind: 'station', sort: '0' });
  assert.equal(b.status, 201, 'a sort number as a string is read as a number');
  assert.equal(b.body.sort, 0);
});

test('the name is trimmed of spaces and ideographic spaces', async () => {
  const name = uniq('修剪所');
  const r = await call(await as('leader'), 'POST', '/api/v1/units', { name: `\u3000 ${name} \u3000`, kind: 'office' });
  assert.equal(r.status, 201);
  assert.equal(r.body.name, name);
});

test('PATCH /api/v1/units/:id changes the unit and the change is kept', async () => {
  const c = await as('leader');
  const made = await call(c, 'POST', '/api/v1/units', { name: uniq('待改所'), kind: 'office', phone: '1', duties: 'a', sort: 1 });
  const name = uniq('已改所');
  const r = await call(c, 'PATCH', `/api/v1/units/${made.body.id}`, {
    name, kind: 'station', phone: '0934-7654321', duties: '新职责', sort: 77, active: false,
  });
  assert.equal(r.status, 200);
  assert.equal(r.body.id, made.body.id);
  const u = await getJson(c, `/api/v1/units/${made.body.id}`);
  assert.equal(u.name, name);
  assert.equal(u.kind, 'station');
  assert.equal(u.phone, '0934-7654321');
  assert.equal(u.duties, '新职责');
  assert.equal(u.sort, 77);
  assert.equal(u.active, false);
});

test('PATCH of a unit that does not exist is 404', async () => {
  const r = await call(await as('leader'), 'PATCH', '/api/v1/units/999999', { name: '不存在', kind: 'office' });
  assert.equal(r.status, 404);
});

// Regression (found by this suite, since fixed): PATCH was a full replacement, so fields not
// sent were reset to their defaults.  Request: PATCH /api/v1/units/:id {"name":<same>,"kind":<same>,"phone":"0934-1"} on a unit
// with duties "原职责" and sort 42.  Expected: duties and sort unchanged (PATCH semantics,
// RFC 5789); actual: 200 with duties "" and sort 0 (and active forced to true).
test('PATCH /api/v1/units/:id leaves the fields it was not sent unchanged', async () => {
  const c = await as('leader');
  const made = await call(c, 'POST', '/api/v1/units', { name: uniq('部分改'), kind: 'office', duties: '原职责', sort: 42, active: false });
  const r = await call(c, 'PATCH', `/api/v1/units/${made.body.id}`, { name: made.body.name, kind: 'office', phone: '0934-1' });
  assert.equal(r.status, 200);
  assert.equal(r.body.duties, '原职责');
  assert.equal(r.body.sort, 42);
  assert.equal(r.body.active, false);
});

test('POST /api/v1/villages creates a village: 201, listed after the demo villages by sort', async () => {
  const c = await as('leader');
  const name = uniq('新建村');
  const r = await call(c, 'POST', '/api/v1/villages', { name, sort: 900 });
  assert.equal(r.status, 201);
  assert.equal(r.body.name, name);
  assert.equal(r.body.sort, 900);
  assert.deepEqual(r.body.groups, []);
  const names = (await villages()).map((v) => v.name);
  assert.deepEqual(names.slice(0, 5), DEMO_VILLAGES);
  assert.ok(names.includes(name));
});

test('PATCH /api/v1/villages/:id renames a village and the change is kept', async () => {
  const c = await as('leader');
  const made = await call(c, 'POST', '/api/v1/villages', { name: uniq('改名前村'), sort: 901 });
  const name = uniq('改名后村');
  const r = await call(c, 'PATCH', `/api/v1/villages/${made.body.id}`, { name, sort: 902 });
  assert.equal(r.status, 200);
  const v = await village(made.body.id);
  assert.equal(v.name, name);
  assert.equal(v.sort, 902);
});

test('PATCH of a village that does not exist is 404', async () => {
  const r = await call(await as('leader'), 'PATCH', '/api/v1/villages/999999', { name: '无此村' });
  assert.equal(r.status, 404);
});

test('POST /api/v1/villages/:id/groups adds a group that shows in the village', async () => {
  const c = await as('leader');
  const v = await call(c, 'POST', '/api/v1/villages', { name: uniq('有组村'), sort: 903 });
  const r = await call(c, 'POST', `/api/v1/villages/${v.body.id}/groups`, { name: '一组', sort: 1 });
  assert.equal(r.status, 201);
  assert.ok(r.body.id > 0);
  assert.equal(r.body.village_id, v.body.id);
  assert.equal(r.body.name, '一组');
  const again = await village(v.body.id);
  assert.deepEqual(again.groups.map((g) => g.name), ['一组']);
  const listed = (await villages()).find((x) => x.id === v.body.id);
  assert.equal(listed.groups, 1);
});

test('the same group name may be used in two villages', async () => {
  const c = await as('leader');
  const name = uniq('同名组');
  const a = await call(c, 'POST', `/api/v1/villages/${await villageId('南邑村')}/groups`, { name });
  const b = await call(c, 'POST', `/api/v1/villages/${await villageId('西头村')}/groups`, { name });
  assert.equal(a.status, 201);
  assert.equal(b.status, 201);
});

test('a group for a village that does not exist is 404', async () => {
  const r = await call(await as('leader'), 'POST', '/api/v1/villages/999999/groups', { name: '一组' });
  assert.equal(r.status, 404);
});

// ---------------------------------------------------------------- duplicates

test('a duplicate unit name is 409 with a Chinese message, and nothing is stored', async () => {
  const c = await as('leader');
  const before = await units();
  const r = await call(c, 'POST', '/api/v1/units', { name: '司法所', kind: 'station' });
  assert.equal(r.status, 409);
  assert.equal(r.body.error.code, 'conflict');
  assert.equal(r.body.error.field, 'name');
  assert.match(r.body.error.message, CHINESE);
  assert.deepEqual(await units(), before);
});

test('renaming a unit to another unit\'s name is 409 and changes nothing', async () => {
  const c = await as('leader');
  const before = await units();
  const target = before.find((u) => u.name !== '司法所');
  const r = await call(c, 'PATCH', `/api/v1/units/${target.id}`, { name: '司法所', kind: target.kind });
  assert.equal(r.status, 409);
  assert.match(r.body.error.message, CHINESE);
  assert.deepEqual(await units(), before);
});

test('a duplicate village name is 409 with a Chinese message, and nothing is stored', async () => {
  const before = await villages();
  const r = await call(await as('leader'), 'POST', '/api/v1/villages', { name: '西渠村' });
  assert.equal(r.status, 409);
  assert.equal(r.body.error.field, 'name');
  assert.match(r.body.error.message, CHINESE);
  assert.deepEqual(await villages(), before);
});

test('renaming a village to another village\'s name is 409 and changes nothing', async () => {
  const before = await villages();
  const r = await call(await as('leader'), 'PATCH', `/api/v1/villages/${before[1].id}`, { name: before[0].name, sort: before[1].sort });
  assert.equal(r.status, 409);
  assert.match(r.body.error.message, CHINESE);
  assert.deepEqual(await villages(), before);
});

test('a duplicate group name within a village is 409 and adds nothing', async () => {
  const id = await villageId('龙咀子村');
  const before = await village(id);
  const r = await call(await as('leader'), 'POST', `/api/v1/villages/${id}/groups`, { name: '一组' });
  assert.equal(r.status, 409);
  assert.equal(r.body.error.field, 'name');
  assert.match(r.body.error.message, CHINESE);
  assert.deepEqual((await village(id)).groups, before.groups);
});

// ---------------------------------------------------------------- validation

const BAD_UNITS = [
  ['an empty name', { name: '', kind: 'office' }, 'name'],
  ['a missing name', { kind: 'office' }, 'name'],
  ['a name of spaces only', { name: ' \u3000 ', kind: 'office' }, 'name'],
  ['a 41-character name', { name: '名'.repeat(41), kind: 'office' }, 'name'],
  ['a name that is an object', { name: { a: 1 }, kind: 'office' }, 'name'],
  ['a BEL control character in the name', { name: '坏\u0007所', kind: 'office' }, 'name'],
  ['an ESC control character in the name', { name: '坏\u001b[31m所', kind: 'office' }, 'name'],
  ['a newline in the name', { name: '坏\n所', kind: 'office' }, 'name'],
  ['a carriage return in the name', { name: '坏\r所', kind: 'office' }, 'name'],
  ['a DEL character in the name', { name: '坏\u007f所', kind: 'office' }, 'name'],
  ['kind "bogus"', { name: '某所', kind: 'bogus' }, 'kind'],
  ['kind in capitals', { name: '某所', kind: 'OFFICE' }, 'kind'],
  ['a missing kind', { name: '某所' }, 'kind'],
  ['sort -1', { name: '某所', kind: 'office', sort: -1 }, 'sort'],
  ['sort 10000', { name: '某所', kind: 'office', sort: 10000 }, 'sort'],
  ['sort "abc"', { name: '某所', kind: 'office', sort: 'abc' }, 'sort'],
  ['sort 1.5', { name: '某所', kind: 'office', sort: 1.5 }, 'sort'],
  ['sort "1e3"', { name: '某所', kind: 'office', sort: '1e3' }, 'sort'],
  ['sort "12abc"', { name: '某所', kind: 'office', sort: '12abc' }, 'sort'],
  ['a 21-character phone', { name: '某所', kind: 'office', phone: '0'.repeat(21) }, 'phone'],
  ['a control character in the phone', { name: '某所', kind: 'office', phone: '0934\u0000' }, 'phone'],
  ['501 characters of duties', { name: '某所', kind: 'office', duties: '责'.repeat(501) }, 'duties'],
  ['a control character in the duties', { name: '某所', kind: 'office', duties: '第一\u0008行' }, 'duties'],
  ['active "maybe"', { name: '某所', kind: 'office', active: 'maybe' }, 'active'],
];

for (const [what, body, field] of BAD_UNITS) {
  test(`creating a unit with ${what} is 422 (field ${field}) and stores nothing`, async () => {
    const before = await units();
    const r = await call(await as('leader'), 'POST', '/api/v1/units', body);
    if (body.phone?.includes('\u0000')) {
      // JSON with a NUL: the parser may refuse the whole body (400) or the field (422).
      assert.ok([400, 422].includes(r.status), `status ${r.status}`);
      assert.match(r.body.error.message, CHINESE);
    } else {
      assert422(r, field, what);
    }
    assert.deepEqual(await units(), before);
  });
}

test('a NUL character in a unit name is refused (400 or 422), never stored', async () => {
  const before = await units();
  const r = await call(await as('leader'), 'POST', '/api/v1/units', { name: '空\u0000字符', kind: 'office' });
  assert.ok([400, 422].includes(r.status), `status ${r.status}`);
  assert.match(r.body.error.message, CHINESE);
  assert.deepEqual(await units(), before);
});

test('a name sent as a number is either refused or stored as text, never a 500', async () => {
  const r = await call(await as('leader'), 'POST', '/api/v1/units', { name: 4242, kind: 'office' });
  assert.ok([201, 422].includes(r.status), `status ${r.status}`);
  if (r.status === 201) assert.equal(r.body.name, '4242');
});

// Regression (since fixed): a tab is a control character, but the single-line check let it through.
// Request: POST /api/v1/units {"name":"制表\tX所","kind":"office"}.
// Expected: 422 field name (as for the other C0 controls); actual: 201 and the tab is stored.
test('a tab inside a single-line name is refused like the other control characters', async () => {
  const before = await units();
  const r = await call(await as('leader'), 'POST', '/api/v1/units', { name: '制表\tX所', kind: 'office' });
  assert422(r, 'name', 'tab');
  assert.deepEqual(await units(), before);
});

// Regression (since fixed): C1 controls (U+0080..U+009F) are two bytes in UTF-8 and escaped the
// byte-wise check.
// Request: POST /api/v1/units {"name":"下一行\u0085所","kind":"office"}.
// Expected: 422 field name; actual: 201, stored with U+0085 (NEL) inside.
test('a C1 control character (U+0085) in a name is refused', async () => {
  const before = await units();
  const r = await call(await as('leader'), 'POST', '/api/v1/units', { name: '下一行\u0085所', kind: 'office' });
  assert422(r, 'name', 'C1 control');
  assert.deepEqual(await units(), before);
});

const BAD_PATCHES = [
  ['an empty name', { name: '' }, 'name'],
  ['a 41-character name', { name: '改'.repeat(41) }, 'name'],
  ['kind "bogus"', { kind: 'bogus' }, 'kind'],
  ['sort -1', { sort: -1 }, 'sort'],
  ['sort 10000', { sort: 10000 }, 'sort'],
  ['sort "abc"', { sort: 'abc' }, 'sort'],
  ['a control character in the name', { name: '改\u0001名' }, 'name'],
];

for (const [what, change, field] of BAD_PATCHES) {
  test(`updating a unit with ${what} is 422 (field ${field}) and changes nothing`, async () => {
    const c = await as('leader');
    const before = await getJson(c, '/api/v1/units/4');
    const body = { name: before.name, kind: before.kind, phone: before.phone, duties: before.duties, sort: before.sort, active: before.active, ...change };
    const r = await call(c, 'PATCH', '/api/v1/units/4', body);
    assert422(r, field, what);
    assert.deepEqual(await getJson(c, '/api/v1/units/4'), before);
  });
}

const BAD_VILLAGES = [
  ['an empty name', { name: '' }, 'name'],
  ['a 41-character name', { name: '村'.repeat(41) }, 'name'],
  ['a control character in the name', { name: '坏\u0002村' }, 'name'],
  ['a newline in the name', { name: '坏\n村' }, 'name'],
  ['sort -1', { name: '某某村', sort: -1 }, 'sort'],
  ['sort 10000', { name: '某某村', sort: 10000 }, 'sort'],
  ['sort "abc"', { name: '某某村', sort: 'abc' }, 'sort'],
];

for (const [what, body, field] of BAD_VILLAGES) {
  test(`creating a village with ${what} is 422 (field ${field}) and stores nothing`, async () => {
    const before = await villages();
    const r = await call(await as('leader'), 'POST', '/api/v1/villages', body);
    assert422(r, field, what);
    assert.deepEqual(await villages(), before);
  });

  test(`renaming a village with ${what} is 422 (field ${field}) and changes nothing`, async () => {
    const id = await villageId('孟河村');
    const before = await village(id);
    const r = await call(await as('leader'), 'PATCH', `/api/v1/villages/${id}`, { name: before.name, sort: before.sort, ...body });
    assert422(r, field, what);
    assert.deepEqual(await village(id), before);
  });

  test(`adding a group with ${what} is 422 (field ${field}) and adds nothing`, async () => {
    const id = await villageId('孟河村');
    const before = await village(id);
    const r = await call(await as('leader'), 'POST', `/api/v1/villages/${id}/groups`, body);
    assert422(r, field, what);
    assert.deepEqual(await village(id), before);
  });
}

test('a body that is not JSON is 400, and form encoding on the API is 415', async () => {
  const c = await as('leader');
  const bad = await c.req('POST', '/api/v1/units', { body: '{"name":', headers: { 'content-type': 'application/json' } });
  assert.equal(bad.status, 400);
  const form = await c.req('POST', '/api/v1/units', { form: { name: '表单编码所', kind: 'office' } });
  assert.equal(form.status, 415);
  assert.ok(!(await units()).some((u) => u.name === '表单编码所'));
});

// ---------------------------------------------------------------- roles

for (const role of ['member', 'staff', 'village', 'inspector', 'cleaner', 'secadmin', 'auditor']) {
  test(`${role} may not change the organisation (403) and nothing changes`, async () => {
    const c = await as(role);
    const u0 = await units();
    const v0 = await villages();
    const g0 = (await village(v0[0].id)).groups;
    const tries = [
      ['POST', '/api/v1/units', { name: `越权${role}所`, kind: 'office' }],
      ['PATCH', '/api/v1/units/1', { name: `越权${role}`, kind: 'office' }],
      ['POST', '/api/v1/villages', { name: `越权${role}村` }],
      ['PATCH', `/api/v1/villages/${v0[0].id}`, { name: `越权${role}村` }],
      ['POST', `/api/v1/villages/${v0[0].id}/groups`, { name: `越权${role}组` }],
    ];
    for (const [m, p, b] of tries) {
      const r = await call(c, m, p, b);
      assert.equal(r.status, 403, `${role} ${m} ${p}`);
      assert.equal(r.body.error.code, 'forbidden');
    }
    assert.deepEqual(await units(), u0);
    assert.deepEqual(await villages(), v0);
    assert.deepEqual((await village(v0[0].id)).groups, g0);
  });
}

test('the system admin may change the organisation', async () => {
  const c = await as('sysadmin');
  const r = await call(c, 'POST', '/api/v1/units', { name: uniq('系统管理员建所'), kind: 'office' });
  assert.equal(r.status, 201);
  const v = await call(c, 'POST', '/api/v1/villages', { name: uniq('系统管理员建村'), sort: 950 });
  assert.equal(v.status, 201);
});

test('staff see the lists but no edit controls, and the forms are 403', async () => {
  const c = await as('staff');
  assert.equal((await getJson(c, '/api/v1/units')).can_edit, false);
  const page = await (await c.get('/units')).text();
  assert.ok(!page.includes('href="/units/new"'), 'no new-unit link');
  for (const p of ['/units/new', '/units/1/edit', '/villages/new', '/villages/1/edit']) {
    assert.equal((await c.get(p)).status, 403, p);
  }
  const form = await c.submit('/units/new', { name: '员工表单所', kind: 'office' }, { from: '/units' });
  assert.equal(form.status, 403);
  assert.ok(!(await units()).some((u) => u.name === '员工表单所'));
});

test('the leader sees the edit controls', async () => {
  const c = await as('leader');
  assert.equal((await getJson(c, '/api/v1/units')).can_edit, true);
  const page = await (await c.get('/units')).text();
  assert.ok(page.includes('href="/units/new"'));
});

test('the unit and village lists need a session', async () => {
  const c = srv.client();
  assert.equal((await c.get('/api/v1/units')).status, 401);
  assert.equal((await c.get('/api/v1/villages')).status, 401);
  assert.equal((await c.get('/units')).status, 303);
});

// ---------------------------------------------------------------- village scope

test('a village cadre sees only their own village in the village list', async () => {
  const mine = await getJson(await as('village'), '/api/v1/villages');
  assert.deepEqual(mine.items.map((v) => v.name), ['龙咀子村']);
  assert.equal(mine.can_edit, false);
  const other = await getJson(await as('village2'), '/api/v1/villages');
  assert.deepEqual(other.items.map((v) => v.name), ['西渠村']);
});

test('a village cadre gets 404, not 403, for another village\'s detail', async () => {
  const c = await as('village');
  const xiqu = await villageId('西渠村');
  const r = await call(c, 'GET', `/api/v1/villages/${xiqu}`);
  assert.equal(r.status, 404);
  assert.equal(r.body.error.code, 'not_found');
  assert.equal((await c.get(`/villages/${xiqu}`)).status, 404);
  const page = await (await c.get('/villages')).text();
  assert.ok(!page.includes('西渠村'), 'the other village is not on the list page');
});

test('a village cadre sees their own village\'s detail', async () => {
  const c = await as('village');
  const id = await villageId('龙咀子村');
  const v = await getJson(c, `/api/v1/villages/${id}`);
  assert.equal(v.name, '龙咀子村');
  assert.equal(v.can_edit, false);
  assert.equal((await c.get(`/villages/${id}`)).status, 200);
});

// ---------------------------------------------------------------- page forms

test('GET /units/new shows the form with its fields and token', async () => {
  const res = await (await as('leader')).get('/units/new');
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /^text\/html; charset=utf-8/);
  const html = mainOf(await res.text());
  assert.match(html, /<h1[^>]*>新增站所<\/h1>/);
  for (const f of ['name', 'phone', 'sort', 'active', 'csrf']) assert.match(html, new RegExp(`<input[^>]*name="${f}"`), f);
  assert.match(html, /<select\b[^>]*\bname="kind"/);
  assert.match(html, /<textarea\b[^>]*\bname="duties"/);
  for (const k of ['office', 'station', 'centre']) assert.match(html, new RegExp(`<option value="${k}"`));
});

test('submitting the new-unit form redirects (303) to the new unit', async () => {
  const c = await as('leader');
  const name = uniq('表单所');
  const res = await c.submit('/units/new', { name, kind: 'centre', phone: '0934-3000000', duties: '表单职责', sort: '12', active: 'on' });
  assert.equal(res.status, 303);
  const loc = res.headers.get('location');
  assert.match(loc, /^\/units\/\d+$/);
  const id = Number(loc.split('/')[2]);
  const u = await getJson(c, `/api/v1/units/${id}`);
  assert.equal(u.name, name);
  assert.equal(u.kind, 'centre');
  assert.equal(u.sort, 12);
  assert.equal(u.active, true);
  const page = await c.get(loc);
  assert.equal(page.status, 200);
  assert.ok(pageHas(await page.text(), name));
});

test('an unchecked "active" box on the form makes the unit inactive', async () => {
  const c = await as('leader');
  const res = await c.submit('/units/new', { name: uniq('撤销所'), kind: 'office', phone: '', duties: '', sort: '0' });
  assert.equal(res.status, 303);
  const u = await getJson(c, `/api/v1${res.headers.get('location')}`);
  assert.equal(u.active, false);
});

test('an invalid new-unit form comes back (422) with the values typed and the error in an alert', async () => {
  const c = await as('leader');
  const before = await units();
  const long = `超长名称${'长'.repeat(40)}`;
  const res = await c.submit('/units/new', { name: long, kind: 'station', phone: '0934-9999999', duties: '输入的职责', sort: '31', active: 'on' });
  assert.equal(res.status, 422);
  const html = mainOf(await res.text());
  const alert = alerts(html);
  assert.equal(alert.length, 1, 'one role="alert" element');
  assert.match(alert[0], /名称/);
  assert.match(alert[0], /40/);
  assert.ok(html.includes(`value="${long}"`), 'the name typed is shown again');
  assert.ok(html.includes('value="0934-9999999"'), 'the phone typed is shown again');
  assert.ok(html.includes('>输入的职责</textarea>'), 'the duties typed are shown again');
  assert.ok(html.includes('value="31"'), 'the sort typed is shown again');
  assert.match(html, /<option value="station" selected>/, 'the kind chosen stays chosen');
  assert.match(html, /name="csrf" value="[^"]+"/, 'the form can be sent again');
  assert.deepEqual(await units(), before);
});

test('a bad sort on the form comes back with "abc" in the field and a Chinese alert', async () => {
  const c = await as('leader');
  const before = await units();
  const name = uniq('排序错所');
  const res = await c.submit('/units/new', { name, kind: 'office', phone: '', duties: '', sort: 'abc', active: 'on' });
  assert.equal(res.status, 422);
  const html = mainOf(await res.text());
  assert.match(alerts(html)[0], /排序/);
  assert.ok(html.includes(`value="${name}"`));
  assert.ok(html.includes('value="abc"'));
  assert.deepEqual(await units(), before);
});

test('a duplicate name on the form comes back with 409 and the alert', async () => {
  const c = await as('leader');
  const before = await units();
  const res = await c.submit('/units/new', { name: '司法所', kind: 'station', phone: '', duties: '', sort: '0', active: 'on' });
  assert.equal(res.status, 409);
  const html = mainOf(await res.text());
  assert.match(alerts(html)[0], /同名/);
  assert.ok(html.includes('value="司法所"'));
  assert.deepEqual(await units(), before);
});

// Regression (since fixed): rerender() copied only the fields that were sent into the model, and
// an unchecked box sends nothing, so the default ("on") came back.
// Request: POST /units/new (form) name=<41 chars>&kind=office&sort=0 with no "active".
// Expected: the 422 form shows the box unchecked, as the user left it; actual: checked.
test('an invalid form keeps an unchecked "active" box unchecked', async () => {
  const c = await as('leader');
  const res = await c.submit('/units/new', { name: '框'.repeat(41), kind: 'office', phone: '', duties: '', sort: '0' });
  assert.equal(res.status, 422);
  const html = mainOf(await res.text());
  assert.doesNotMatch(html, /name="active"[^>]*checked/);
});

test('the edit form is filled with the unit, and submitting it redirects to the unit', async () => {
  const c = await as('leader');
  const made = await call(c, 'POST', '/api/v1/units', { name: uniq('编辑所'), kind: 'station', phone: '0934-1111111', duties: '旧职责', sort: 8 });
  const id = made.body.id;
  const form = mainOf(await (await c.get(`/units/${id}/edit`)).text());
  assert.match(form, /<h1[^>]*>修改站所<\/h1>/);
  assert.ok(form.includes(`value="${made.body.name}"`));
  assert.ok(form.includes('value="0934-1111111"'));
  assert.ok(form.includes('>旧职责</textarea>'));
  assert.match(form, /<option value="station" selected>/);
  const name = uniq('编辑后所');
  const res = await c.submit(`/units/${id}/edit`, { name, kind: 'office', phone: '0934-2222222', duties: '新职责', sort: '9', active: 'on' });
  assert.equal(res.status, 303);
  assert.equal(res.headers.get('location'), `/units/${id}`);
  const u = await getJson(c, `/api/v1/units/${id}`);
  assert.equal(u.name, name);
  assert.equal(u.kind, 'office');
  assert.equal(u.duties, '新职责');
});

test('an invalid edit form comes back with the alert and leaves the unit unchanged', async () => {
  const c = await as('leader');
  const before = await getJson(c, '/api/v1/units/5');
  const res = await c.submit('/units/5/edit', { name: '', kind: 'office', phone: '0934', duties: '改了职责', sort: '3', active: 'on' });
  assert.equal(res.status, 422);
  const html = mainOf(await res.text());
  assert.match(alerts(html)[0], /名称.*不能为空/);
  assert.ok(html.includes('>改了职责</textarea>'), 'the duties typed are shown again');
  assert.deepEqual(await getJson(c, '/api/v1/units/5'), before);
});

test('the edit form of a unit that does not exist is 404', async () => {
  assert.equal((await (await as('leader')).get('/units/999999/edit')).status, 404);
});

test('the new-village form creates a village and redirects to it', async () => {
  const c = await as('leader');
  const page = await c.get('/villages/new');
  assert.equal(page.status, 200);
  const name = uniq('表单村');
  const res = await c.submit('/villages/new', { name, sort: '960' });
  assert.equal(res.status, 303);
  assert.match(res.headers.get('location'), /^\/villages\/\d+$/);
  const v = await getJson(c, `/api/v1${res.headers.get('location')}`);
  assert.equal(v.name, name);
});

test('an invalid new-village form comes back with the values and the alert', async () => {
  const c = await as('leader');
  const before = await villages();
  const res = await c.submit('/villages/new', { name: '西渠村', sort: '961' });
  assert.equal(res.status, 409);
  const html = mainOf(await res.text());
  assert.match(alerts(html)[0], /同名/);
  assert.ok(html.includes('value="西渠村"'));
  assert.ok(html.includes('value="961"'));
  assert.deepEqual(await villages(), before);
});

test('the village edit form renames the village', async () => {
  const c = await as('leader');
  const made = await call(c, 'POST', '/api/v1/villages', { name: uniq('待改村'), sort: 962 });
  const form = await (await c.get(`/villages/${made.body.id}/edit`)).text();
  assert.ok(form.includes(`value="${made.body.name}"`));
  const name = uniq('改好村');
  const res = await c.submit(`/villages/${made.body.id}/edit`, { name, sort: '963' });
  assert.equal(res.status, 303);
  assert.equal((await village(made.body.id)).name, name);
});

test('the group form on the village page adds a group and redirects back', async () => {
  const c = await as('leader');
  const id = await villageId('西头村');
  const name = uniq('表单组');
  const res = await c.submit(`/villages/${id}`, { name, sort: '20' });
  assert.equal(res.status, 303);
  assert.equal(res.headers.get('location'), `/villages/${id}`);
  assert.ok((await village(id)).groups.some((g) => g.name === name));
});

test('a duplicate group on the village page comes back (409) with the alert and the name', async () => {
  const c = await as('leader');
  const id = await villageId('西头村');
  const before = await village(id);
  const res = await c.submit(`/villages/${id}`, { name: '一组', sort: '21' });
  assert.equal(res.status, 409);
  const html = mainOf(await res.text());
  assert.match(alerts(html)[0], /同名/);
  assert.equal(inputAttrs(html, 'name')?.value, '一组');
  assert.deepEqual(await village(id), before);
});

test('a page form without its token is refused (403) and stores nothing', async () => {
  const c = await as('leader');
  const before = await units();
  const res = await c.req('POST', '/units/new', { form: { name: '无令牌所', kind: 'office' }, csrf: false });
  assert.equal(res.status, 403);
  assert.deepEqual(await units(), before);
});

test('every change is audited with the right action', async () => {
  const c = await as('leader');
  const made = await call(c, 'POST', '/api/v1/units', { name: uniq('审计所'), kind: 'office' });
  await call(c, 'PATCH', `/api/v1/units/${made.body.id}`, { name: uniq('审计后所'), kind: 'office' });
  const a = await as('auditor');
  const log = await getJson(a, '/api/v1/audit?action=unit');
  const mine = log.items.filter((x) => String(x.object_id) === String(made.body.id));
  const actions = mine.map((x) => x.action).sort();
  assert.deepEqual(actions, ['unit.create', 'unit.update']);
  assert.ok(mine.every((x) => x.actor === srv.logins.leader.login));
});

test('a group can be renamed through the API and the page, and only within its village', async () => {
  const c = await as('leader');
  const villages = (await c.get('/api/v1/villages').then((r) => r.json())).items;
  const v = villages.find((x) => x.name === '南邑村');
  const other = villages.find((x) => x.name === '孟河村');
  const detail = await c.get(`/api/v1/villages/${v.id}`).then((r) => r.json());
  const g = detail.groups[0];
  const r = await call(c, 'PATCH', `/api/v1/villages/${v.id}/groups/${g.id}`, { name: `${g.name}（改）` });
  assert.equal(r.status, 200);
  const after = await c.get(`/api/v1/villages/${v.id}`).then((x) => x.json());
  assert.equal(after.groups[0].name, `${g.name}（改）`);
  assert.equal(after.groups[0].sort, g.sort, 'sort kept');
  const wrong = await call(c, 'PATCH', `/api/v1/villages/${other.id}/groups/${g.id}`, { name: '别村的组' });
  assert.equal(wrong.status, 404);
  const dup = await call(c, 'PATCH', `/api/v1/villages/${v.id}/groups/${g.id}`, { name: detail.groups[1].name });
  assert.equal(dup.status, 409);
  const page = await c.get(`/villages/${v.id}/groups/${g.id}/edit`);
  assert.equal(page.status, 200);
  const res = await c.submit(`/villages/${v.id}/groups/${g.id}/edit`, { name: g.name, sort: String(g.sort) });
  assert.equal(res.status, 303);
  const back = await c.get(`/api/v1/villages/${v.id}`).then((x) => x.json());
  assert.equal(back.groups[0].name, g.name);
  assert.equal((await call(await as('staff'), 'PATCH', `/api/v1/villages/${v.id}/groups/${g.id}`, { name: 'x' })).status, 403);
});
