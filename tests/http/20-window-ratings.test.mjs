// 20-window-ratings: the one rating mechanism (single-use hashed tokens, rules as data firing
// once) and the window service (好差评): AB posts, 一事两评, 差评整改 closed by the callback and
// the citizen's re-rating, 申诉复核, monthly figures, the posted QR page, scope, roles, CSRF.
//
// Tests that move the server's clock come last and sign in afresh (sessions go idle).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer } from './lib.mjs';
import { call, getJson, mainOf, pageHas, CHINESE, assert422, uniq, clients } from './lib-org.mjs';

let srv, as;
before(async () => { srv = await startServer({ clock: true }); as = clients(srv); });
after(async () => { await srv.stop(); });

const HOSTILE = '<script>alert(1)</script>"\'&';
const sql = (q) => execFileSync('sqlite3', [srv.db, q], { encoding: 'utf8' }).trim();

async function cadres(client) {
  const p = await getJson(client, '/api/v1/people?kind=cadre');
  return p.items.filter((x) => x.kind === 'cadre').map((x) => x.id);
}

// A township window led by the leader (person 1), A and B two other cadres.
async function newWindow(over = {}) {
  const L = await as('leader');
  const ids = await cadres(L);
  const r = await call(L, 'POST', '/api/v1/windows', {
    name: uniq('综合窗口'), items: '社保、医保', lead_id: 1, a_id: ids[1], b_id: ids[2], ...over,
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return { id: r.body.id, a: over.a_id ?? ids[1], b: over.b_id ?? ids[2] };
}

async function newRecord(wid, client) {
  const r = await call(client ?? await as('leader'), 'POST', `/api/v1/windows/${wid}/records`,
    { item: '养老保险资格认证', citizen: '张三丰' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.match(r.body.eval_code, /^\d{6}$/);
  return r.body;
}

async function link(rid, client) {
  const r = await call(client ?? await as('leader'), 'POST', `/api/v1/records/${rid}/link`, {});
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.equal(r.body.token.length, 43);
  return r.body.token;
}

const rate = (token, answers) => call(srv.client(), 'POST', `/api/v1/r/${token}`, { answers });
const ratingsOf = (rid) => Number(sql(`SELECT count(*) FROM rating WHERE record_id = ${rid} AND purpose = 'window'`));

test('the token page: five labelled buttons, reasons only for bad levels, no account needed', async () => {
  const w = await newWindow();
  const rec = await newRecord(w.id);
  const token = await link(rec.id);
  const pub = srv.client();
  const res = await pub.get(`/r/${token}`);
  assert.equal(res.status, 200);
  const html = mainOf(await res.text());
  for (const l of ['非常满意', '满意', '基本满意', '不满意', '非常不满意']) assert.ok(html.includes(`>${l}</label>`), l);
  assert.equal((html.match(/type="radio" name="level0"/g) || []).length, 5);
  assert.equal((html.match(/type="radio" name="level1"/g) || []).length, 5, '一事两评: a second question');
  assert.ok(html.includes('办事服务') && html.includes('干部作风'));
  assert.equal((html.match(/class="bad"/g) || []).length, 4, 'two bad levels per aspect open the reason picker');
  assert.ok(html.includes('class="rate-reasons"'));
  assert.ok(!/<script>/.test(html), 'the page needs no script');
  const api = await getJson(pub, `/api/v1/r/${token}`);
  assert.deepEqual(api.levels.map((l) => l.label), ['非常满意', '满意', '基本满意', '不满意', '非常不满意']);
  assert.deepEqual(api.levels.filter((l) => l.bad).map((l) => l.level), [2, 1]);
  // The token is stored hashed only.
  assert.equal(Number(sql(`SELECT count(*) FROM rating_token WHERE instr(token_hash, '${token}') > 0 OR hex(token_hash) = '${token}'`)), 0);
  assert.equal(Number(sql(`SELECT length(token_hash) FROM rating_token WHERE record_id = ${rec.id} AND pair_id IS NULL`)), 32);
  const qr = await pub.get(`/r/${token}/qr.svg`);
  assert.equal(qr.status, 200);
  assert.equal(qr.headers.get('content-type'), 'image/svg+xml');
  assert.match(await qr.text(), /^<svg[^>]*viewBox="0 0 \d+ \d+"[\s\S]*<path fill="#000" d="M/);
});

test('a token rates once: the second use is refused with 410 and a Chinese page, nothing changes', async () => {
  const w = await newWindow();
  const rec = await newRecord(w.id);
  const token = await link(rec.id);
  const r = await rate(token, [{ level: 5 }, { level: 4 }]);
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.equal(r.body.ids.length, 2);
  const again = await rate(token, [{ level: 1, reason: 'slow' }, { level: 1 }]);
  assert.equal(again.status, 410);
  assert.equal(again.body.error.code, 'used');
  assert.match(again.body.error.message, CHINESE);
  const page = await srv.client().get(`/r/${token}`);
  assert.equal(page.status, 410);
  assert.match(await page.text(), /只能评价一次/);
  assert.equal(ratingsOf(rec.id), 2);
  assert.equal(sql(`SELECT group_concat(level) FROM (SELECT level FROM rating WHERE record_id = ${rec.id} ORDER BY id)`), '5,4');
  // A rated record issues no new link.
  const l2 = await call(await as('leader'), 'POST', `/api/v1/records/${rec.id}/link`, {});
  assert.equal(l2.status, 409);
  assert.match(l2.body.error.message, CHINESE);
});

test('unknown and malformed tokens are 404', async () => {
  for (const t of ['x'.repeat(43), 'short', '%3Cscript%3E']) {
    const r = await call(srv.client(), 'GET', `/api/v1/r/${t}`);
    assert.equal(r.status, 404, t);
    assert.match(r.body.error.message, CHINESE);
    const p = await rate(t, [{ level: 5 }]);
    assert.equal(p.status, 404);
  }
});

test('one rating per token even with 24 concurrent submissions', async () => {
  const w = await newWindow();
  const rec = await newRecord(w.id);
  const token = await link(rec.id);
  const rs = await Promise.all(Array.from({ length: 24 }, (_, i) =>
    rate(token, [{ level: 1 + (i % 5) }, { level: 5 }])));
  const codes = rs.map((r) => r.status).sort();
  assert.equal(codes.filter((c) => c === 201).length, 1, codes.join(','));
  assert.equal(codes.filter((c) => c === 410).length, 23, codes.join(','));
  assert.equal(ratingsOf(rec.id), 2);
});

test('bad input: 422 naming the field in Chinese, and the token stays usable', async () => {
  const w = await newWindow();
  const rec = await newRecord(w.id);
  const token = await link(rec.id);
  assert422(await rate(token, [{ level: 9 }, { level: 5 }]), 'level', 'level out of the scale');
  assert422(await rate(token, [{ level: 5, reason: 'slow' }, { level: 5 }]), 'reason', 'a reason with a good level');
  assert422(await rate(token, [{ level: 2, reason: 'nonsense' }, { level: 5 }]), 'reason', 'an unknown reason');
  assert422(await rate(token, [{ level: 2, comment: '长'.repeat(501) }, { level: 5 }]), 'comment', 'a long comment');
  assert422(await rate(token, [{ level: 5 }]), 'level', 'one answer for two questions');
  assert422(await rate(token, [{ level: 'five' }, { level: 5 }]), 'level', 'a level that is no number');
  assert.equal(ratingsOf(rec.id), 0, 'nothing stored');
  // The page form re-renders with the choice kept and the field named.
  const pub = srv.client();
  const csrf = await pub.pageCsrf(`/r/${token}`);
  const res = await pub.req('POST', `/r/${token}`, { form: { csrf, level0: '4', reason0: 'slow', level1: '5', comment0: '原话保留' }, csrf: false });
  assert.equal(res.status, 422);
  const html = await res.text();
  assert.match(html, /只有“不满意”的评价需要选择原因/);
  assert.match(html, /id="lv0-4" value="4" class="" checked/);
  assert.ok(html.includes('原话保留'));
  const ok = await rate(token, [{ level: 5 }, { level: 5 }]);
  assert.equal(ok.status, 201);
});

test('[S25] CSRF: the page form needs its token; a cross-site origin is refused', async () => {
  const w = await newWindow();
  const rec = await newRecord(w.id);
  const token = await link(rec.id);
  const pub = srv.client();
  await pub.get(`/r/${token}`);
  const noTok = await pub.req('POST', `/r/${token}`, { form: { level0: '5', level1: '5' }, csrf: false });
  assert.equal(noTok.status, 403);
  const cross = await pub.req('POST', `/api/v1/r/${token}`, { json: { answers: [{ level: 5 }, { level: 5 }] }, headers: { origin: 'http://evil.example' } });
  assert.equal(cross.status, 403);
  assert.equal(ratingsOf(rec.id), 0);
  const L = await as('leader');
  const c = await L.req('POST', '/api/v1/windows', { json: { name: uniq('无令牌'), a_id: 2, b_id: 3 }, csrf: false });
  assert.equal(c.status, 403);
  const rr = await L.req('POST', `/windows/${w.id}/records`, { form: { item: '事项', citizen: '李四' }, csrf: false });
  assert.equal(rr.status, 403);
  // Through the page with its token, the citizen rates.
  const csrf = await pub.pageCsrf(`/r/${token}`);
  const done = await pub.req('POST', `/r/${token}`, { form: { csrf, level0: '5', level1: '4' }, csrf: false });
  assert.equal(done.status, 303);
  assert.equal(done.headers.get('location'), '/r/thanks');
  assert.equal(ratingsOf(rec.id), 2);
});

test('a bad review opens one 差评整改 for the window lead, due in 15 working days', async () => {
  const w = await newWindow();
  const rec = await newRecord(w.id);
  const token = await link(rec.id);
  const before = Number(sql("SELECT count(*) FROM matter WHERE type = 'rectification'"));
  const r = await rate(token, [{ level: 1, reason: 'attitude', comment: '态度差' }, { level: 2, reason: 'slow' }]);
  assert.equal(r.status, 201);
  assert.equal(Number(sql("SELECT count(*) FROM matter WHERE type = 'rectification'")), before + 1, 'both aspects bad: one matter');
  const rv = await getJson(await as('leader'), `/api/v1/records/${rec.id}`);
  assert.ok(rv.rect_id);
  const m = await getJson(await as('leader'), `/api/v1/matters/${rv.rect_id}`);
  assert.equal(m.type, 'rectification');
  assert.equal(sql(`SELECT lead_id || '/' || resolver_id FROM matter WHERE id = ${rv.rect_id}`), `1/${w.a}`,
    'the window lead leads, the handler resolves');
  assert.match(m.title, /差评整改/);
  // 15 working days: at least three weeks of calendar, at most six (a holiday week).
  const span = Number(sql(`SELECT julianday(due_on) - julianday(clock_from) FROM matter WHERE id = ${rv.rect_id}`));
  assert.ok(span >= 19 && span <= 42, `15 working days (${span} calendar days)`);
  assert.equal(sql(`SELECT stage FROM matter WHERE id = ${rv.rect_id}`), 'rectify');
  for (const path of [`/matters/${rv.rect_id}`, `/matters/${rv.rect_id}/print`, '/matters?type=rectification']) {
    const pg = await (await as('leader')).get(path);
    assert.equal(pg.status, 200, path);
    assert.match(await pg.text(), /差评整改/);
  }
  const home = await getJson(await as('leader'), '/api/v1/home');
  assert.ok(home.todos.matters.some((x) => x.id === rv.rect_id), 'in the window lead\'s to-dos');
  assert.equal(Number(sql(`SELECT count(*) FROM rating_firing WHERE matter_id = ${rv.rect_id}`)), 1);
});

test('rules are data: a list rule fires exactly once per subject and period, even concurrently', async () => {
  sql("INSERT INTO rating_rule (name, label, scale, purpose, level_at_or_below, action, threshold, period, list_name) VALUES ('test_watch', '测试关注名单', 'national', 'window', 2, 'list', 2, 'month', 'watch')");
  const w = await newWindow();
  const tokens = [];
  for (let i = 0; i < 6; i++) tokens.push(await link((await newRecord(w.id)).id));
  const rs = await Promise.all(tokens.map((t) => rate(t, [{ level: 1 }, { level: 5 }])));
  assert.ok(rs.every((r) => r.status === 201), rs.map((r) => r.status).join(','));
  const fired = sql(`SELECT count(*) FROM rating_firing f JOIN rating_rule u ON u.id = f.rule_id WHERE u.name = 'test_watch' AND f.subject_kind = 'window' AND f.subject_id = ${w.id}`);
  assert.equal(Number(fired), 1);
  // Six records, six rectifications: the open_matter rule fires once per record.
  assert.equal(Number(sql(`SELECT count(DISTINCT f.matter_id) FROM rating_firing f JOIN rating r ON r.id = f.rating_id WHERE r.subject_kind = 'window' AND r.subject_id = ${w.id} AND f.matter_id IS NOT NULL`)), 6);
  sql("UPDATE rating_rule SET active = 0 WHERE name = 'test_watch'");
});

test('差评整改 cannot be closed by hand; reply, callback and the re-rating close it', async () => {
  const w = await newWindow();
  const rec = await newRecord(w.id);
  await rate(await link(rec.id), [{ level: 2, reason: 'runs' }, { level: 5 }]);
  const L = await as('leader');
  const mid = (await getJson(L, `/api/v1/records/${rec.id}`)).rect_id;
  const close = await call(L, 'POST', `/api/v1/matters/${mid}/close`, { closing: 'rerated', note: '手工销号' });
  assert.ok([403, 409].includes(close.status), `manual close refused: ${close.status}`);
  // Callback before the rectification is reported: refused.
  const early = await call(L, 'POST', `/api/v1/rectify/${mid}/callback`, { note: '回访' });
  assert.equal(early.status, 409);
  assert422(await call(L, 'POST', `/api/v1/matters/${mid}/reply`, {}), 'note', 'the rectification report needs text');
  const rep = await call(L, 'POST', `/api/v1/matters/${mid}/reply`, { note: '已整改：材料一次告知' });
  assert.equal(rep.status, 200, JSON.stringify(rep.body));
  assert422(await call(L, 'POST', `/api/v1/rectify/${mid}/callback`, {}), 'note', 'callback needs its note');
  const cb = await call(L, 'POST', `/api/v1/rectify/${mid}/callback`, { note: '电话回访，群众认可' });
  assert.equal(cb.status, 201, JSON.stringify(cb.body));
  assert.equal((await getJson(L, `/api/v1/matters/${mid}`)).state, 'called_back');
  const page = await getJson(srv.client(), `/api/v1/r/${cb.body.token}`);
  assert.equal(page.aspects.length, 1);
  assert.equal(page.purpose, 'window_rerate');
  const rr = await rate(cb.body.token, [{ level: 4 }]);
  assert.equal(rr.status, 201);
  const m = await getJson(L, `/api/v1/matters/${mid}`);
  assert.equal(m.state, 'closed');
  assert.equal(sql(`SELECT closing FROM matter WHERE id = ${mid}`), 'rerated');
});

test('a bad re-rating sends the rectification back', async () => {
  const w = await newWindow();
  const rec = await newRecord(w.id);
  await rate(await link(rec.id), [{ level: 1, reason: 'unfair' }, { level: 1 }]);
  const L = await as('leader');
  const mid = (await getJson(L, `/api/v1/records/${rec.id}`)).rect_id;
  await call(L, 'POST', `/api/v1/matters/${mid}/reply`, { note: '已整改' });
  const cb = await call(L, 'POST', `/api/v1/rectify/${mid}/callback`, { note: '上门回访' });
  assert.equal((await rate(cb.body.token, [{ level: 2, reason: 'slow' }])).status, 201);
  assert.equal((await getJson(L, `/api/v1/matters/${mid}`)).state, 'rectifying');
  assert.equal(Number(sql(`SELECT count(*) FROM matter WHERE type = 'rectification' AND id > ${mid} AND title LIKE '%' || (SELECT name FROM service_window WHERE id = ${w.id}) || '%'`)), 0, 'the re-rating opens no second matter');
});

test('申诉复核: the appeal is decided by the leader with a reason; upheld takes the review out', async () => {
  const w = await newWindow();
  const rec = await newRecord(w.id);
  await rate(await link(rec.id), [{ level: 1, reason: 'other', comment: '恶意差评' }, { level: 5 }]);
  const L = await as('leader');
  const mid = (await getJson(L, `/api/v1/records/${rec.id}`)).rect_id;
  const ap = await call(await as('staff'), 'POST', `/api/v1/matters/${mid}/re_review`, { note: '群众误评，办理材料齐全当场办结' });
  assert.equal(ap.status, 200, JSON.stringify(ap.body));
  assert.equal((await getJson(L, `/api/v1/matters/${mid}`)).state, 'appealing');
  const staff = await call(await as('staff'), 'POST', `/api/v1/rectify/${mid}/decide`, { decision: 'upheld', reason: '自己决定' });
  assert.equal(staff.status, 403);
  assert422(await call(L, 'POST', `/api/v1/rectify/${mid}/decide`, { decision: 'upheld' }), 'reason', 'a decision needs its reason');
  assert422(await call(L, 'POST', `/api/v1/rectify/${mid}/decide`, { decision: 'maybe', reason: '理由' }), 'decision', 'a decision is upheld or rejected');
  assert.equal((await getJson(L, `/api/v1/matters/${mid}`)).state, 'appealing', 'nothing changed');
  // The leader decides on the record's page; others do not see the form.
  assert.ok(!(await (await (await as('staff')).get(`/records/${rec.id}`)).text()).includes('id="decide"'));
  assert.ok((await (await L.get(`/records/${rec.id}`)).text()).includes('id="decide"'));
  const ok = await L.submit(`/rectify/${mid}/decide`, { decision: 'upheld', reason: '调取监控，办理规范' }, { from: `/records/${rec.id}` });
  assert.equal(ok.status, 303);
  assert.equal(ok.headers.get('location'), `/matters/${mid}`);
  assert.equal((await getJson(L, `/api/v1/matters/${mid}`)).state, 'closed');
  assert.equal(sql(`SELECT closing FROM matter WHERE id = ${mid}`), 'appeal_upheld');
  const rv = await getJson(L, `/api/v1/records/${rec.id}`);
  assert.ok(rv.ratings.find((x) => x.bad).voided);
  assert.ok(!rv.ratings.find((x) => !x.bad).voided, 'the good rating stays');
  const win = await getJson(L, `/api/v1/windows/${w.id}`);
  assert.equal(win.total, 0, 'the voided review is out of the figures');
});

test('appeal rejected: back to rectification', async () => {
  const w = await newWindow();
  const rec = await newRecord(w.id);
  await rate(await link(rec.id), [{ level: 2, reason: 'slow' }, { level: 5 }]);
  const L = await as('leader');
  const mid = (await getJson(L, `/api/v1/records/${rec.id}`)).rect_id;
  await call(L, 'POST', `/api/v1/matters/${mid}/re_review`, { note: '申诉' });
  const no = await call(L, 'POST', `/api/v1/rectify/${mid}/decide`, { decision: 'rejected', reason: '确有拖延' });
  assert.equal(no.status, 200);
  assert.equal((await getJson(L, `/api/v1/matters/${mid}`)).state, 'rectifying');
  assert.ok(!(await getJson(L, `/api/v1/records/${rec.id}`)).ratings.some((x) => x.voided));
});

test('AB岗: with A marked absent, B handles the new records', async () => {
  const w = await newWindow();
  const L = await as('leader');
  const r1 = await newRecord(w.id);
  assert.equal((await getJson(L, `/api/v1/records/${r1.id}`)).handler_id, w.a);
  const ab = await call(L, 'POST', `/api/v1/windows/${w.id}/absent`, { absent: true, note: '请假' });
  assert.equal(ab.status, 200);
  const win = await getJson(L, `/api/v1/windows/${w.id}`);
  assert.equal(win.a_absent, true);
  const r2 = await newRecord(w.id);
  const rv = await getJson(L, `/api/v1/records/${r2.id}`);
  assert.equal(rv.handler_id, w.b);
  assert.equal(rv.post, 'B');
  assert.equal(rv.citizen, '张**', 'the citizen is stored masked');
  assert.equal(Number(sql(`SELECT count(*) FROM service_record WHERE citizen_mask LIKE '%三丰%'`)), 0);
  await call(L, 'POST', `/api/v1/windows/${w.id}/absent`, { absent: false });
  assert.equal((await getJson(L, `/api/v1/records/${(await newRecord(w.id)).id}`)).handler_id, w.a);
});

test('window form: 422 in Chinese for bad input, nothing stored or changed', async () => {
  const L = await as('leader');
  const ids = await cadres(L);
  const n = Number(sql('SELECT count(*) FROM service_window'));
  assert422(await call(L, 'POST', '/api/v1/windows', { name: '', a_id: ids[1], b_id: ids[2] }), 'name');
  assert422(await call(L, 'POST', '/api/v1/windows', { name: uniq('窗'), a_id: ids[1], b_id: ids[1] }), 'b_id', 'A and B the same');
  assert422(await call(L, 'POST', '/api/v1/windows', { name: uniq('窗'), a_id: 999999, b_id: ids[1] }), 'a_id', 'A is nobody');
  assert422(await call(L, 'POST', '/api/v1/windows', { name: uniq('窗'), a_id: ids[1] }), 'b_id', 'B missing');
  assert422(await call(L, 'POST', '/api/v1/windows', { name: uniq('窗'), village_id: 999999, a_id: ids[1], b_id: ids[2] }), 'village_id');
  assert.equal(Number(sql('SELECT count(*) FROM service_window')), n);
  const w = await newWindow();
  const before = sql(`SELECT name || items || a_id || b_id FROM service_window WHERE id = ${w.id}`);
  assert422(await call(L, 'PATCH', `/api/v1/windows/${w.id}`, { name: '', a_id: ids[1], b_id: ids[2] }), 'name');
  assert.equal(sql(`SELECT name || items || a_id || b_id FROM service_window WHERE id = ${w.id}`), before);
  assert422(await call(L, 'POST', `/api/v1/windows/${w.id}/records`, { item: '', citizen: '张三' }), 'item');
  assert422(await call(L, 'POST', `/api/v1/windows/${w.id}/records`, { item: '事项', citizen: '' }), 'citizen');
  assert422(await call(L, 'POST', `/api/v1/windows/${w.id}/records`, { item: '事项', citizen: '张三', post: 'C' }), 'post');
  assert.equal(Number(sql(`SELECT count(*) FROM service_record WHERE window_id = ${w.id}`)), 0);
  // The page form re-renders with what was typed.
  const res = await L.submit('/windows/new', { name: '保留的名称', a_id: String(ids[1]), b_id: String(ids[1]) });
  assert.equal(res.status, 422);
  const html = await res.text();
  assert.ok(html.includes('value="保留的名称"'));
  assert.match(html, /A岗和B岗不能是同一人/);
});

test('[S42] XSS: hostile text in window names, items and comments is shown escaped', async () => {
  const w = await newWindow({ name: `${uniq('窗')}${HOSTILE}`, items: HOSTILE });
  const L = await as('leader');
  const rec = (await call(L, 'POST', `/api/v1/windows/${w.id}/records`, { item: HOSTILE, citizen: '<b>王</b>' })).body;
  const token = await link(rec.id);
  const pub = srv.client();
  const page = await (await pub.get(`/r/${token}`)).text();
  assert.ok(!page.includes('<script>alert(1)'), 'rating page escapes the subject');
  assert.ok(pageHas(page, HOSTILE));
  await rate(token, [{ level: 2, reason: 'other', comment: HOSTILE }, { level: 5, comment: HOSTILE }]);
  for (const path of ['/windows', `/windows/${w.id}`, `/records/${rec.id}`, '/windows/stats', `/windows/${w.id}/poster`]) {
    const res = await L.get(path);
    assert.equal(res.status, 200, path);
    const html = await res.text();
    assert.ok(!html.includes('<script>alert(1)'), path);
    assert.ok(pageHas(html, HOSTILE), `${path} shows the text`);
  }
  const code = (await getJson(L, `/api/v1/windows/${w.id}`)).code;
  const pubPage = await (await pub.get(`/w/${code}`)).text();
  assert.ok(!pubPage.includes('<script>alert(1)') && pageHas(pubPage, HOSTILE));
});

test('[S21] scope: a village cadre keeps the village station; another village gets 404', async () => {
  const V = await as('village');
  const V2 = await as('village2');
  const ids = (await getJson(V, '/api/v1/people?kind=cadre')).items.filter((x) => x.kind === 'cadre').map((x) => x.id);
  const all = await cadres(await as('leader'));
  const a = ids[0] ?? all[3];
  const b = ids[1] ?? all[4];
  const r = await call(V, 'POST', '/api/v1/windows', { name: uniq('村便民服务站'), a_id: a, b_id: b, village_id: 2 });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const wid = r.body.id;
  const me = (await getJson(V, '/api/v1/me')).user;
  assert.equal(Number(sql(`SELECT village_id FROM service_window WHERE id = ${wid}`)), me.village_id, 'forced to the cadre\'s village');
  const rec = await newRecord(wid, V);
  await link(rec.id, V);
  for (const [m, p, body] of [
    ['GET', `/api/v1/windows/${wid}`], ['GET', `/api/v1/records/${rec.id}`],
    ['POST', `/api/v1/records/${rec.id}/link`, {}], ['POST', `/api/v1/windows/${wid}/records`, { item: '事', citizen: '李四' }],
    ['POST', `/api/v1/windows/${wid}/absent`, { absent: true }], ['PATCH', `/api/v1/windows/${wid}`, { name: '改名', a_id: a, b_id: b }],
  ]) {
    const x = await call(V2, m, p, body);
    assert.equal(x.status, 404, `${m} ${p}`);
  }
  const pg = await V2.get(`/windows/${wid}`);
  assert.equal(pg.status, 404);
  const list = await getJson(V2, '/api/v1/windows');
  assert.ok(!list.items.some((x) => x.id === wid));
  assert.ok((await getJson(V, '/api/v1/windows')).items.some((x) => x.id === wid));
  assert.equal(Number(sql(`SELECT count(*) FROM service_record WHERE window_id = ${wid}`)), 1);
  assert.equal(sql(`SELECT a_absent || name FROM service_window WHERE id = ${wid}`).startsWith('0'), true);
  // The rectification of a village station is the village's: another village cannot see it.
  assert.equal((await rate(await link(rec.id, V), [{ level: 1, reason: 'absent' }, { level: 5 }])).status, 201);
  const mid = (await getJson(V, `/api/v1/records/${rec.id}`)).rect_id;
  assert.ok(mid);
  assert.equal(Number(sql(`SELECT village_id FROM matter WHERE id = ${mid}`)), me.village_id);
  assert.equal((await call(V, 'GET', `/api/v1/matters/${mid}`)).status, 200);
  assert.equal((await call(V2, 'GET', `/api/v1/matters/${mid}`)).status, 404);
  assert.equal((await call(V2, 'POST', `/api/v1/rectify/${mid}/callback`, { note: '越权回访' })).status, 404);
});

test('roles: cleaners, admins and the public are kept out; only leaders decide appeals', async () => {
  for (const role of ['cleaner', 'sysadmin', 'secadmin', 'auditor']) {
    const c = await as(role);
    const r = await call(c, 'GET', '/api/v1/windows');
    assert.equal(r.status, 403, role);
    const p = await call(c, 'POST', '/api/v1/windows', { name: uniq('窗'), a_id: 2, b_id: 3 });
    assert.equal(p.status, 403, role);
  }
  const insp = await call(await as('inspector'), 'POST', '/api/v1/windows', { name: uniq('窗'), a_id: 2, b_id: 3 });
  assert.equal(insp.status, 403, 'inspectors read, do not keep windows');
  assert.equal((await call(await as('inspector'), 'GET', '/api/v1/windows')).status, 200);
  const anon = await call(srv.client(), 'GET', '/api/v1/windows');
  assert.equal(anon.status, 401);
  const page = await srv.client().get('/windows');
  assert.equal(page.status, 303);
  for (const role of ['member', 'staff', 'village']) {
    const r = await call(await as(role), 'POST', '/api/v1/rectify/1/decide', { decision: 'upheld', reason: '理由' });
    assert.equal(r.status, 403, role);
  }
});

test('the posted QR code: the citizen types the evaluation code and gets the record\'s page', async () => {
  const w = await newWindow();
  const rec = await newRecord(w.id);
  const L = await as('leader');
  const code = (await getJson(L, `/api/v1/windows/${w.id}`)).code;
  const pub = srv.client();
  const page = await pub.get(`/w/${code}`);
  assert.equal(page.status, 200);
  const qr = await pub.get(`/w/${code}/qr.svg`);
  assert.equal(qr.status, 200);
  assert.equal(qr.headers.get('content-type'), 'image/svg+xml');
  const wrong = rec.eval_code === '000000' ? '000001' : '000000';
  assert422(await call(pub, 'POST', `/api/v1/w/${code}`, { eval_code: wrong }), 'eval_code', 'a wrong code');
  assert422(await call(pub, 'POST', `/api/v1/w/${code}`, { eval_code: 'abcdef' }), 'eval_code', 'not digits');
  assert.equal((await call(pub, 'POST', '/api/v1/w/nosuchwindow0', { eval_code: rec.eval_code })).status, 404);
  const csrf = await pub.pageCsrf(`/w/${code}`);
  const go = await pub.req('POST', `/w/${code}`, { form: { csrf, eval_code: rec.eval_code }, csrf: false });
  assert.equal(go.status, 303);
  const loc = go.headers.get('location');
  assert.match(loc, /^\/r\/[A-Za-z0-9_-]{43}$/);
  const c2 = await pub.pageCsrf(loc);
  const done = await pub.req('POST', loc, { form: { csrf: c2, level0: '5', level1: '5' }, csrf: false });
  assert.equal(done.status, 303);
  assert422(await call(pub, 'POST', `/api/v1/w/${code}`, { eval_code: rec.eval_code }), 'eval_code', 'rated already');
  assert.equal(ratingsOf(rec.id), 2);
});

test('a new link revokes the record\'s earlier one', async () => {
  const w = await newWindow();
  const rec = await newRecord(w.id);
  const t1 = await link(rec.id);
  const t2 = await link(rec.id);
  const r1 = await rate(t1, [{ level: 5 }, { level: 5 }]);
  assert.equal(r1.status, 410);
  assert.equal((await rate(t2, [{ level: 5 }, { level: 5 }])).status, 201);
});

test('monthly figures: satisfaction per window and staff, rectification and callback rates', async () => {
  const w = await newWindow();
  const L = await as('leader');
  for (const lv of [5, 4, 3, 2]) {
    const rec = await newRecord(w.id);
    await rate(await link(rec.id), [{ level: lv, reason: lv <= 2 ? 'slow' : undefined }, { level: lv === 2 ? 1 : 5 }]);
  }
  const win = await getJson(L, `/api/v1/windows/${w.id}`);
  assert.equal(win.total, 4);
  assert.equal(win.satisfied, 3);
  assert.equal(win.rate, '75.0');
  const st = await getJson(L, '/api/v1/windows/stats');
  const row = st.windows.find((x) => x.id === w.id);
  assert.equal(row.rate, '75.0');
  const staff = st.staff.find((x) => x.id === w.a);
  assert.ok(staff && staff.total >= 4);
  assert.ok(st.bad >= 1);
  assert.match(st.rectify_rate, /^(\d+\.\d|—)$/);
  const page = await L.get('/windows/stats');
  assert.equal(page.status, 200);
  assert.match(await page.text(), /整改销号率/);
  // The same figures as a ledger sheet.
  const x = await L.get('/windows/stats.xlsx');
  assert.equal(x.status, 200);
  assert.match(x.headers.get('content-type'), /spreadsheetml/);
  const file = join(srv.dir, 'stats.xlsx');
  writeFileSync(file, Buffer.from(await x.arrayBuffer()));
  // Constant-memory sheets keep their strings inline.
  const sheet = execFileSync('unzip', ['-p', file, 'xl/worksheets/sheet1.xml'], { encoding: 'utf8' });
  assert.ok(sheet.includes('窗口服务满意度统计表'));
  assert.ok(sheet.includes(row.name.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')));
  assert.match(sheet, /<v>75<\/v>/, 'the rate as a number');
  assert.equal((await (await as('cleaner')).get('/windows/stats.xlsx')).status, 403);
});

test('an expired token is refused with 410 and its own message', async () => {
  const w = await newWindow();
  const rec = await newRecord(w.id);
  const token = await link(rec.id);
  srv.setClock('+8d');
  try {
    const r = await rate(token, [{ level: 5 }, { level: 5 }]);
    assert.equal(r.status, 410);
    assert.equal(r.body.error.code, 'expired');
    assert.match(r.body.error.message, /过期/);
    const p = await srv.client().get(`/r/${token}`);
    assert.equal(p.status, 410);
    assert.equal(ratingsOf(rec.id), 0);
  } finally {
    srv.setClock('+0');
  }
});

test('查找整改问题台账: a problem with owner and deadline, cleared with evidence by a leader', async () => {
  const w = await newWindow();
  const L = await as('leader');
  const t = (await getJson(L, '/api/v1/me')).user;
  const today = sql("SELECT date('now', '+8 hours')");
  const deadline = sql("SELECT date('now', '+8 hours', '+20 days')");
  assert422(await call(L, 'POST', `/api/v1/windows/${w.id}/problems`, { title: '办事指南未公示', owner_id: w.a, deadline: '2020-01-01' }), 'deadline', 'a past deadline');
  assert422(await call(L, 'POST', `/api/v1/windows/${w.id}/problems`, { title: '', owner_id: w.a, deadline }), 'title');
  assert422(await call(L, 'POST', `/api/v1/windows/${w.id}/problems`, { title: '问题', owner_id: 999999, deadline }), 'owner_id');
  const n = Number(sql("SELECT count(*) FROM matter WHERE type = 'window_problem'"));
  const r = await call(L, 'POST', `/api/v1/windows/${w.id}/problems`, { title: `办事指南未公示${HOSTILE}`, body: '三日内上墙', owner_id: w.a, deadline });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.equal(Number(sql("SELECT count(*) FROM matter WHERE type = 'window_problem'")), n + 1);
  const due = sql(`SELECT due_on FROM matter WHERE id = ${r.body.id}`);
  assert.ok(due >= deadline && due <= sql("SELECT date('now', '+8 hours', '+24 days')"), `due on the deadline (or the next working day): ${due}`);
  assert.equal(Number(sql(`SELECT lead_id FROM matter WHERE id = ${r.body.id}`)), w.a);
  assert.ok(today < due && t);
  const list = await getJson(L, '/api/v1/matters?type=window_problem');
  assert.ok(list.items.some((x) => x.id === r.body.id));
  const page = await (await L.get('/matters?type=window_problem')).text();
  assert.ok(!page.includes('<script>alert(1)') && pageHas(page, HOSTILE));
  for (const path of [`/matters/${r.body.id}`, `/matters/${r.body.id}/print`]) {
    const pg = await L.get(path);
    assert.equal(pg.status, 200, path);
  }
  assert.equal((await call(L, 'POST', `/api/v1/matters/${r.body.id}/reply`, { note: '已上墙公示' })).status, 200);
  const close = await call(L, 'POST', `/api/v1/matters/${r.body.id}/close`, { closing: 'cleared' });
  assert.equal(close.status, 422, 'evidence first');
  assert.match(close.body.error.message, /整改情况说明|现场照片/);
  const V2 = await as('village2');
  assert.equal((await call(V2, 'POST', `/api/v1/windows/${w.id}/problems`, { title: '越权', owner_id: w.a, deadline })).status, 404);
});

test('guessing evaluation codes: after 10 wrong codes in a minute, 429 with Retry-After', async () => {
  const w = await newWindow();
  const rec = await newRecord(w.id);
  const code = (await getJson(await as('leader'), `/api/v1/windows/${w.id}`)).code;
  const pub = srv.client();
  // Start clear of a minute's end, so the ten tries fall in one window.
  const s = new Date().getUTCSeconds();
  if (s > 45) await new Promise((r) => setTimeout(r, (61 - s) * 1000));
  // Earlier tests of this minute may have typed a wrong code from this address too:
  // at most ten wrong codes are answered 422, then 429.
  let last, wrong = 0;
  for (let i = 0; i < 12; i++) {
    const guess = String((Number(rec.eval_code) + 1 + i) % 1000000).padStart(6, '0');
    last = await call(pub, 'POST', `/api/v1/w/${code}`, { eval_code: guess });
    if (last.status !== 422) break;
    wrong++;
  }
  assert.ok(wrong >= 7 && wrong <= 10, `${wrong} wrong codes answered before the refusal`);
  assert.equal(last.status, 429);
  assert.ok(Number(last.res.headers.get('retry-after')) > 0);
  assert.match(last.body.error.message, CHINESE);
  // Even the right code waits: nothing is issued while refused.
  const right = await call(pub, 'POST', `/api/v1/w/${code}`, { eval_code: rec.eval_code });
  assert.equal(right.status, 429);
  assert.equal(Number(sql(`SELECT count(*) FROM rating_token WHERE record_id = ${rec.id}`)), 0);
});

test('API.md\'s form: POST /api/v1/ratings/{token} {"level": name} rates a one-question link; a bad name is 422 and stores nothing', async () => {
  const w = await newWindow();
  const rec = await newRecord(w.id);
  await rate(await link(rec.id), [{ level: 1, reason: 'unfair' }, { level: 1 }]);
  const L = await as('leader');
  const mid = (await getJson(L, `/api/v1/records/${rec.id}`)).rect_id;
  await call(L, 'POST', `/api/v1/matters/${mid}/reply`, { note: '已整改' });
  const cb = await call(L, 'POST', `/api/v1/rectify/${mid}/callback`, { note: '电话回访' });
  const token = cb.body.token;
  const before = sql('SELECT count(*) FROM rating');
  assert422(await call(srv.client(), 'POST', `/api/v1/ratings/${token}`, { level: 'fair' }), 'level', '"fair" is not on the national scale');
  assert422(await call(srv.client(), 'POST', `/api/v1/ratings/${token}`, { level: '满意' }), 'level', 'names are the English codes');
  assert.equal(sql('SELECT count(*) FROM rating'), before, 'nothing stored');
  const ok = await call(srv.client(), 'POST', `/api/v1/ratings/${token}`, { level: 'satisfied', comment: '满意' });
  assert.equal(ok.status, 201, JSON.stringify(ok.body));
  assert.equal(sql(`SELECT level FROM rating WHERE id = ${ok.body.ids[0]}`), '4', 'satisfied is 4 on the national scale');
  assert.equal((await getJson(L, `/api/v1/matters/${mid}`)).state, 'closed');
  assert.equal((await call(srv.client(), 'POST', `/api/v1/ratings/${token}`, { level: 'satisfied' })).status, 410, 'used');
});
