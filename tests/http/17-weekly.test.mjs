// 17-weekly.test.mjs: the weekly ledger submission (每周五12:00前报送) across Friday noon.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, json } from './lib.mjs';
import { call, assert422, mainOf, pageHas, CHINESE } from './lib-org.mjs';

const DAY = 86400000;
const HOUR = 3600000;
const XSS = '<script>alert("周报")</script><img src=x onerror=alert(1)>';

// The deadline (UTC ms) of the week being prepared at "now": Friday 12:00
// Asia/Shanghai (04:00 UTC), the next one from that instant on.
function deadlineAfter(now) {
  const day = Math.floor((now + 8 * HOUR) / DAY);
  const weekday = ((day + 3) % 7) + 1;          // 1970-01-01 was a Thursday
  let dl = (day - (weekday - 1) + 4) * DAY + 4 * HOUR;
  if (now >= dl) dl += 7 * DAY;
  return dl;
}
const iso = (ms) => new Date(ms).toISOString().slice(0, 10);
const mondayOf = (dl) => iso(dl - 4 * HOUR - 4 * DAY);
const cnDay = (ms) => iso(ms + 8 * HOUR);

let srv, leader, village, village2, staff, D, W, PREV, NEXT, villageId, village2Id;
let justice, centre, matterId, matterCode, SUBMITTERS;

// Move the server's wall clock to the instant "at" (UTC ms).
function clockAt(at) {
  const s = Math.round((at - Date.now()) / 1000);
  srv.setClock(s >= 0 ? `+${s}` : `${s}`);
}

before(async () => {
  srv = await startServer({ clock: true });
  D = deadlineAfter(Date.now());
  W = mondayOf(D);
  PREV = iso(Date.parse(W) - 7 * DAY);
  NEXT = iso(Date.parse(W) + 7 * DAY);
  clockAt(D - 40 * 60 * 1000);
  leader = await srv.as('leader');
  village = await srv.as('village');
  village2 = await srv.as('village2');
  staff = await srv.as('staff');
  villageId = (await json(await village.get('/api/v1/me'))).user.village_id;
  village2Id = (await json(await village2.get('/api/v1/me'))).user.village_id;
  const list = (await json(await leader.get('/api/v1/units'))).items;
  justice = list.find((u) => u.name === '司法所');
  centre = list.find((u) => u.supervises);
  assert.ok(justice && centre, 'demo units');
  // Every village, and every active unit but the one that supervises.
  SUBMITTERS = (await json(await leader.get('/api/v1/villages'))).items.length +
    list.filter((u) => u.active && !u.supervises).length;
});

after(async () => { await srv?.stop(); });

test('the server clock stands 40 minutes before Friday 12:00', async () => {
  const r = await call(leader, 'GET', '/api/v1/weekly');
  assert.equal(r.status, 200);
  assert.equal(r.body.week, W);
  assert.equal(r.body.deadline_passed, false);
  assert.equal(r.body.current, true);
  assert.match(r.body.deadline_label, /（星期五）12:00$/);
  assert.equal(r.body.deadline, `${cnDay(D)} 12:00`);
  assert.equal(r.body.next_url, null);
});

test('the leader sees the board of every village and station, with the deadline', async () => {
  const r = await call(leader, 'GET', '/api/v1/weekly');
  const b = r.body.board;
  assert.ok(b, 'board');
  assert.deepEqual(r.body.mine, []);
  // The demo's 5 villages and 11 units; the centre (综治中心) receives, it does not submit.
  assert.equal(b.summary.submitters, SUBMITTERS);
  assert.ok(SUBMITTERS >= 16);
  assert.ok(!b.submitters.some((s) => s.kind === 'unit' && s.id === centre.id));
  assert.equal(b.summary.pending, SUBMITTERS);
  assert.equal(b.summary.missing, 0);
  const page = await leader.get('/weekly');
  assert.equal(page.status, 200);
  const html = mainOf(await page.text());
  assert.ok(html.includes('报送截止时间'));
  assert.ok(html.includes(`${cnDay(D).slice(0, 4)}年`));
  assert.ok(html.includes('id="board"'));
});

test('a village cadre previews the ledger and submits it on time', async () => {
  let r = await call(village, 'POST', '/api/v1/matters', {
    received_at: cnDay(D - 40 * 60 * 1000),
    form: 'visit', title: '反映村道积水', anonymous: true, unit_id: justice.id,
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  matterId = r.body.id;
  matterCode = r.body.code;

  r = await call(village, 'GET', '/api/v1/weekly');
  assert.equal(r.status, 200);
  assert.equal(r.body.board, null, 'a village cadre has no board');
  assert.equal(r.body.mine.length, 1);
  const mine = r.body.mine[0];
  assert.equal(mine.kind, 'village');
  assert.equal(mine.id, villageId);
  assert.equal(mine.status, 'pending');
  assert.ok(mine.rows.some((x) => x.code === matterCode && x.new === true));

  const page = mainOf(await (await village.get('/weekly')).text());
  assert.ok(page.includes('报送本周台账'));
  assert.ok(page.includes(matterCode));

  r = await call(village, 'POST', '/api/v1/weekly', { note: XSS });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.equal(r.body.late, false);
  assert.equal(r.body.kind, 'village');
  assert.equal(r.body.submitter_id, villageId);
  assert.equal(r.body.week, W);
  assert.equal(r.body.note, XSS);
  const row = r.body.rows.find((x) => x.code === matterCode);
  assert.ok(row, 'the new petition is in the snapshot');
  assert.equal(row.state, '已登记');
  assert.equal(row.title, '反映村道积水');
  assert.equal(r.body.row_count, r.body.rows.length);
});

test('the snapshot stays frozen after the matter changes', async () => {
  const first = (await call(village, 'GET', '/api/v1/weekly')).body.mine[0].submission;
  const r = await call(leader, 'POST', `/api/v1/matters/${matterId}/accept`, {});
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal((await call(leader, 'GET', `/api/v1/matters/${matterId}`)).body.state, 'accepted');
  const s = await call(leader, 'GET', `/api/v1/weekly/${first.id}`);
  assert.equal(s.status, 200);
  const row = s.body.rows.find((x) => x.code === matterCode);
  assert.equal(row.state, '已登记', 'the state as submitted');
  // The live preview has moved on.
  const live = (await call(village, 'GET', '/api/v1/weekly')).body.mine[0].rows
    .find((x) => x.code === matterCode);
  assert.equal(live.state, '办理中');
});

test('the note is stored as typed and shown escaped', async () => {
  const id = (await call(village, 'GET', '/api/v1/weekly')).body.mine[0].submission.id;
  for (const [c, path] of [[village, `/weekly/${id}`], [leader, `/weekly/${id}`], [leader, '/weekly']]) {
    const html = mainOf(await (await c.get(path)).text());
    assert.ok(!html.includes('<script>alert'), path);
    assert.ok(!html.includes('<img src=x'), path);
    assert.ok(pageHas(html, XSS), `${path} shows the note escaped`);
  }
});

test('a petition title with markup is escaped in the preview', async () => {
  const title = '<b onmouseover=alert(1)>积水</b>';
  const r = await call(village, 'POST', '/api/v1/matters', {
    received_at: cnDay(D - 40 * 60 * 1000), form: 'phone', title, anonymous: true,
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const html = mainOf(await (await village.get('/weekly')).text());
  assert.ok(!html.includes('<b onmouseover'));
  assert.ok(pageHas(html, title));
});

test('submitting again before the deadline replaces it and keeps the first in history', async () => {
  const before = (await call(village, 'GET', '/api/v1/weekly')).body.mine[0].submission.id;
  const r = await call(village, 'POST', '/api/v1/weekly', { note: '更正：补充一件' });
  assert.equal(r.status, 201);
  assert.ok(r.body.id > before);
  assert.equal(r.body.history.length, 2);
  const old = await call(village, 'GET', `/api/v1/weekly/${before}`);
  assert.equal(old.body.replaced_by, r.body.id);
  assert.ok(old.body.replaced_at);
  const html = mainOf(await (await village.get(`/weekly/${before}`)).text());
  assert.ok(html.includes('被重新报送的台账替换'));
  const board = (await call(leader, 'GET', '/api/v1/weekly')).body.board;
  const line = board.submitters.find((s) => s.kind === 'village' && s.id === villageId);
  assert.equal(line.submission.id, r.body.id);
  assert.equal(line.status, 'on_time');
});

test('bad input is refused with 422 in Chinese and nothing is stored', async () => {
  const count = async () => (await call(leader, 'GET', `/api/v1/weekly?week=${W}`)).body.board.submitters
    .filter((s) => s.submission).map((s) => s.submission.id).join(',');
  const historyLen = async () => {
    const id = (await call(village, 'GET', '/api/v1/weekly')).body.mine[0].submission.id;
    return (await call(village, 'GET', `/api/v1/weekly/${id}`)).body.history.length;
  };
  const was = await count();
  const hist = await historyLen();
  assert422(await call(village, 'POST', '/api/v1/weekly', { note: '长'.repeat(501) }), 'note', 'long note');
  assert422(await call(village, 'POST', '/api/v1/weekly', { week: '2026-13-45' }), 'week', 'bad date');
  assert422(await call(village, 'POST', '/api/v1/weekly', { week: NEXT }), 'week', 'a week not begun');
  assert422(await call(village, 'POST', '/api/v1/weekly', { kind: 'county' }), 'kind', 'bad kind');
  assert422(await call(village, 'POST', '/api/v1/weekly', { submitter_id: 'abc' }), 'submitter_id', 'bad id');
  assert422(await call(leader, 'GET', '/api/v1/weekly?week=abc'), 'week', 'bad week query');
  assert422(await call(leader, 'GET', `/api/v1/weekly?week=${NEXT}`), 'week', 'future week query');
  assert.equal(await count(), was);
  assert.equal(await historyLen(), hist);
  // The page form comes back with the message and what was typed.
  const res = await village.submit('/weekly', { week: W, kind: 'village', submitter_id: String(villageId), note: `保留${'字'.repeat(500)}` });
  assert.equal(res.status, 422);
  const html = await res.text();
  assert.match(html, /role="alert"[^>]*>[^<]*备注/);
  assert.ok(html.includes(`保留${'字'.repeat(20)}`));
  assert.equal(await count(), was);
});

test('a village cadre cannot submit or read another village\'s ledger', async () => {
  let r = await call(village, 'POST', '/api/v1/weekly', { kind: 'village', submitter_id: village2Id });
  assert.equal(r.status, 404);
  r = await call(village, 'POST', '/api/v1/weekly', { kind: 'unit', submitter_id: justice.id });
  assert.equal(r.status, 403);
  assert.match(r.body.error.message, CHINESE);
  // Last week's demo submissions: another village's, and a unit's.
  const prev = (await call(leader, 'GET', `/api/v1/weekly?week=${PREV}`)).body.board.submitters;
  const other = prev.find((s) => s.kind === 'village' && s.id === village2Id && s.submission);
  const unit = prev.find((s) => s.kind === 'unit' && s.submission);
  const own = prev.find((s) => s.kind === 'village' && s.id === villageId && s.submission);
  for (const s of [other, unit]) {
    assert.equal((await call(village, 'GET', `/api/v1/weekly/${s.submission.id}`)).status, 404);
    assert.equal((await village.get(`/weekly/${s.submission.id}`)).status, 404);
    assert.equal((await village.get(`/weekly/${s.submission.id}.xlsx`)).status, 404);
  }
  assert.equal((await call(village, 'GET', `/api/v1/weekly/${own.submission.id}`)).status, 200);
  assert.equal((await call(leader, 'GET', '/api/v1/weekly/999999')).status, 404);
  assert.equal((await leader.get('/weekly/999999.xlsx')).status, 404);
  assert.equal((await leader.get('/weekly/abc.xlsx')).status, 404);
});

test('roles: leaders do not submit; cleaners and admins see nothing', async () => {
  assert.equal((await call(leader, 'POST', '/api/v1/weekly', {})).status, 403);
  for (const role of ['cleaner', 'sysadmin', 'auditor']) {
    const c = await srv.as(role);
    assert.equal((await c.get('/weekly')).status, 403, role);
    assert.equal((await call(c, 'GET', '/api/v1/weekly')).status, 403, role);
  }
  const inspector = await srv.as('inspector');
  const r = await call(inspector, 'GET', '/api/v1/weekly');
  assert.equal(r.status, 200);
  assert.ok(r.body.board, 'the inspector reads the board');
  assert.equal((await call(inspector, 'POST', '/api/v1/weekly', {})).status, 403);
  const member = await srv.as('member');
  assert.ok((await call(member, 'GET', '/api/v1/weekly')).body.board);
});

test('a station submits through the page form; the centre\'s own unit is not a submitter', async () => {
  let r = await call(staff, 'GET', '/api/v1/weekly');
  assert.equal(r.body.board, null, 'a station is not the centre');
  assert.equal(r.body.mine.length, 1);
  assert.equal(r.body.mine[0].kind, 'unit');
  assert.equal(r.body.mine[0].id, justice.id);
  assert.ok(r.body.mine[0].rows.some((x) => x.code === matterCode), 'the unit\'s petitions');

  r = await call(staff, 'POST', '/api/v1/weekly', { kind: 'unit', submitter_id: centre.id });
  assert.equal(r.status, 403);
  const other = (await call(leader, 'GET', '/api/v1/weekly')).body.board.submitters
    .find((s) => s.kind === 'unit' && s.id !== justice.id);
  assert.equal((await call(staff, 'POST', '/api/v1/weekly', { kind: 'unit', submitter_id: other.id })).status, 403);
  assert.equal((await call(staff, 'POST', '/api/v1/weekly', { kind: 'village', submitter_id: villageId })).status, 403);

  const res = await staff.submit('/weekly', { week: W, kind: 'unit', submitter_id: String(justice.id), note: '司法所本周台账' });
  assert.equal(res.status, 303);
  assert.match(res.headers.get('location'), /^\/weekly\/\d+$/);
  const snap = await call(staff, 'GET', `/api/v1${res.headers.get('location')}`);
  assert.equal(snap.body.kind, 'unit');
  assert.equal(snap.body.submitter, '司法所');

  // Given a post in the centre, the same cadre reads the board.
  const u = (await call(leader, 'GET', `/api/v1/units/${justice.id}`)).body;
  const me = (await call(staff, 'GET', '/api/v1/me')).body.user;
  const post = (u.posts ?? []).find((p) => p.person === me.name);
  assert.ok(post, 'the staff account\'s post');
  r = await call(leader, 'POST', `/api/v1/people/${post.person_id}/posts`, {
    title: '兼职干事', unit_id: centre.id, started_on: cnDay(D - DAY),
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  r = await call(staff, 'GET', '/api/v1/weekly');
  assert.ok(r.body.board, 'the centre\'s staff read the board');
  assert.equal(r.body.mine.length, 1, 'and still submit for the station');
});

test('CSRF: a submission without the token is refused and nothing is stored', async () => {
  const was = (await call(village, 'GET', '/api/v1/weekly')).body.mine[0].submission.id;
  let res = await village.req('POST', '/api/v1/weekly', { json: { note: 'x' }, csrf: false });
  assert.equal(res.status, 403);
  res = await village.req('POST', '/weekly', { form: { note: 'x', week: W }, csrf: false });
  assert.equal(res.status, 403);
  assert.equal((await call(village, 'GET', '/api/v1/weekly')).body.mine[0].submission.id, was);
});

test('at Friday 12:00 the missing submitters are listed', async () => {
  clockAt(D + 5 * 60 * 1000);
  // 45 minutes on: past the idle timeout, so everyone signs in again.
  leader = await srv.as('leader');
  village = await srv.as('village');
  village2 = await srv.as('village2');
  const r = await call(leader, 'GET', `/api/v1/weekly?week=${W}`);
  assert.equal(r.body.deadline_passed, true);
  const b = r.body.board;
  const st = (kind, id) => b.submitters.find((s) => s.kind === kind && s.id === id).status;
  assert.equal(st('village', villageId), 'on_time');
  assert.equal(st('unit', justice.id), 'on_time');
  assert.equal(st('village', village2Id), 'missing');
  assert.equal(b.summary.on_time, 2);
  assert.equal(b.summary.missing, SUBMITTERS - 2);
  assert.equal(b.summary.pending, 0);
  assert.ok(b.missing.includes('西渠村'));
  const html = mainOf(await (await leader.get(`/weekly?week=${W}`)).text());
  assert.match(html, /截止时间已过仍未报送：[^<]*西渠村/);
  // The week being prepared is now the next one.
  assert.equal((await call(leader, 'GET', '/api/v1/weekly')).body.week, NEXT);
});

test('after the deadline: a late submission is flagged, a second one refused', async () => {
  let r = await call(village, 'POST', '/api/v1/weekly', { week: W, note: '截止后再报' });
  assert.equal(r.status, 409);
  assert.match(r.body.error.message, CHINESE);
  // The page form comes back on the week it was for, with the reason.
  const res = await village.submit('/weekly', { week: W, kind: 'village', submitter_id: String(villageId) },
    { from: `/weekly?week=${W}` });
  assert.equal(res.status, 409);
  const page = await res.text();
  assert.match(page, /role="alert"[^>]*>[^<]*不能再次报送/);
  assert.ok(page.includes(`href="/weekly?week=${PREV}"`), 'the same week (its 上一周 link)');
  assert.ok(page.includes('（已截止）'));

  // The next week: the late village is reminded of last week.
  r = await call(village2, 'GET', '/api/v1/weekly');
  assert.equal(r.body.week, NEXT);
  assert.equal(r.body.mine[0].prev_missing, true);
  assert.ok(mainOf(await (await village2.get('/weekly')).text()).includes('上一周的台账还没有报送'));

  r = await call(village2, 'POST', '/api/v1/weekly', { week: W, note: '补报' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.equal(r.body.late, true);
  assert.equal(r.body.week, W);
  const b = (await call(leader, 'GET', `/api/v1/weekly?week=${W}`)).body.board;
  assert.equal(b.submitters.find((s) => s.kind === 'village' && s.id === village2Id).status, 'late');
  assert.ok(b.late.includes('西渠村'));
  assert.equal(b.summary.late, 1);
  assert.equal((await call(village2, 'GET', '/api/v1/weekly')).body.mine[0].prev_missing, false);
  assert.equal((await call(village2, 'POST', '/api/v1/weekly', { week: W })).status, 409);
});

test('the demo\'s last week: on time, one late, one missing', async () => {
  const b = (await call(leader, 'GET', `/api/v1/weekly?week=${PREV}`)).body.board;
  assert.equal(b.summary.late, 1);
  assert.equal(b.summary.missing, 1);
  assert.equal(b.summary.on_time, b.summary.submitters - 2);
});

test('the snapshot exports to a real XLSX ledger', async () => {
  const id = (await call(village, 'GET', `/api/v1/weekly?week=${W}`)).body.mine[0].submission.id;
  const snap = (await call(leader, 'GET', `/api/v1/weekly/${id}`)).body;
  const res = await leader.get(`/weekly/${id}.xlsx`);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  assert.match(res.headers.get('content-disposition'), /^attachment; filename="weekly-\d+\.xlsx"/);
  const file = join(srv.dir, 'weekly.xlsx');
  writeFileSync(file, Buffer.from(await res.arrayBuffer()));
  const xml = execFileSync('unzip', ['-p', file], { encoding: 'utf8', maxBuffer: 1 << 24 });
  assert.ok(xml.includes('信访事项周报台账'), 'title');
  assert.ok(xml.includes(`填报单位：${snap.submitter}`), 'submitter');
  const [y, m, d] = snap.submitted_at.slice(0, 10).split('-').map(Number);
  assert.ok(xml.includes(`填报时间：${y}年${m}月${d}日`), 'date line');
  assert.ok(xml.includes(matterCode), 'a row');
  assert.ok(xml.includes(snap.rows.find((x) => x.code === matterCode).state), 'the state as submitted');
  assert.ok(xml.includes('填报人'), 'the signature footer');
});

test('the home page has the weekly tile', async () => {
  const html = mainOf(await (await village.get('/')).text());
  assert.ok(html.includes('href="/weekly"'));
  assert.ok(html.includes('每周报送'));
});
