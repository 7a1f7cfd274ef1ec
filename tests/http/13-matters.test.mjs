// 13-matters: the ledger engine through the petition loop, by the API and the pages.
//
// One server under libfaketime (its wall clock moves with srv.setClock) on the demo township.
// The loop: register → accept → reply → callback → close refused without the agreement →
// upload the agreement → close.  Then the statutory clock, scope, refusals, uploads, search,
// supervision and reminders.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { readdirSync, statSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect } from 'node:net';
import { startServer, BIN } from './lib.mjs';
import { call, getJson, assert422, pageHas, mainOf, alerts, CHINESE } from './lib-org.mjs';

const XSS = '<script>alert(1)</script>"\'&';
// A 1x1 PNG: a real image, so the sniffer calls it image/png.
const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000' +
  '1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082', 'hex');

let srv, leader, member, staff, village, village2, inspector, cleaner, auditor;
let me = {};

// Shanghai's day for an instant, as YYYY-MM-DD.
const cnDay = (ms) => new Date(ms + 8 * 3600e3).toISOString().slice(0, 10);
const today = () => cnDay(Date.now() + clockOffset);
let clockOffset = 0;
function setClock(days) {
  clockOffset = days * 86400e3;
  srv.setClock(days === 0 ? '+0' : `${days > 0 ? '+' : ''}${days}d`);
}
const addDays = (day, n) => cnDay(Date.parse(`${day}T00:00:00+08:00`) + n * 86400e3);

function petition(over = {}) {
  return {
    type: 'petition', title: '灌溉渠道年久失修', body: '村民反映三组灌溉渠道渗漏，请求维修。',
    source: 'visit',
    details: { received_at: today(), petitioners: [{ name: '测试甲', sex: 'M', age: 56, phone: '13800000001' }] },
    ...over,
  };
}

async function register(c, over) {
  const r = await call(c, 'POST', '/api/v1/matters', petition(over));
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body;
}

const act = (c, id, action, body = {}) => call(c, 'POST', `/api/v1/matters/${id}/${action}`, body);

async function upload(c, id, kind, bytes = PNG, name = '协议.png', type = 'image/png') {
  const fd = new FormData();
  if (kind !== undefined) fd.append('kind', kind);
  if (bytes !== null) fd.append('file', new Blob([bytes], { type }), name);
  const res = await c.req('POST', `/api/v1/matters/${id}/attachments`, { body: fd });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

// Send headers announcing a body of "length" bytes and a little of it; the status line.
function rawStatus(client, path, length) {
  return new Promise((resolve, reject) => {
    const sock = connect(srv.port, '127.0.0.1', () => {
      sock.write(`POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: ${client.cookieHeader()}\r\n` +
        `X-CSRF-Token: ${client.csrf}\r\nContent-Type: multipart/form-data; boundary=B\r\n` +
        `Content-Length: ${length}\r\n\r\n--B\r\n`);
    });
    let got = '';
    sock.on('data', (d) => {
      got += d;
      const m = got.match(/^HTTP\/1\.1 (\d{3})/);
      if (m) { sock.destroy(); resolve(Number(m[1])); }
    });
    sock.on('error', reject);
    sock.setTimeout(5000, () => { sock.destroy(); reject(new Error('no answer')); });
  });
}

// The files stored under the attachments directory (any depth).
function storedFiles() {
  const root = `${srv.db}.files`;
  const out = [];
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name)); else out.push(join(d, e.name));
    }
  };
  if (existsSync(root)) walk(root);
  return out.sort();
}

// Sign every role in (again: moving the clock by days ends the sessions, as it should).
// One at a time: the server hashes at most threads/2 passwords at once and answers 429 beyond.
async function signInAll() {
  const c = [];
  for (const r of ['leader', 'member', 'staff', 'village', 'village2', 'inspector', 'cleaner', 'auditor']) c.push(await srv.as(r));
  [leader, member, staff, village, village2, inspector, cleaner, auditor] = c;
}

// Run fn with the server's clock "days" ahead and fresh sessions, then come back.
async function atClock(days, fn) {
  setClock(days);
  try {
    await signInAll();
    await fn();
  } finally {
    setClock(0);
    await signInAll();
  }
}

before(async () => {
  srv = await startServer({ clock: true, env: { XIANGZHI_SWEEP_SECONDS: '1' } });
  await signInAll();
  for (const [k, c] of Object.entries({ leader, member, staff, village, village2, inspector })) {
    me[k] = (await getJson(c, '/api/v1/me')).user;
  }
});
after(async () => { setClock(0); await srv.stop(); });

describe('the petition loop', () => {
  let m;

  test('register: 201 with a code, the acceptance clock and Chinese labels', async () => {
    m = await register(leader);
    assert.match(m.code, /^XF-\d{4}-\d{4}$/);
    assert.equal(m.type, 'petition');
    assert.equal(m.state, 'registered');
    assert.equal(m.state_label, '已登记');
    // due_at is the acceptance deadline: 15 calendar days from receipt, rolled to a working day.
    const due = await getJson(leader, `/api/v1/calendar/due?from=${today()}&days=15&unit=calendar`);
    assert.equal(m.due_at, due.due);
    assert.equal(m.details.form, 'visit');
    assert.equal(m.details.received_at, today());
  });

  test('the petitioner is stored with the phone masked', async () => {
    const full = await getJson(leader, `/api/v1/matters/${m.id}`);
    assert.equal(full.petitioners.length, 1);
    assert.equal(full.petitioners[0].name, '测试甲');
    assert.equal(full.petitioners[0].phone, '138****0001');
    assert.ok(!JSON.stringify(full).includes('13800000001'), 'no full phone anywhere');
  });

  test('reply before acceptance is refused with 409 and changes nothing', async () => {
    const r = await act(leader, m.id, 'reply', { note: '答复' });
    assert.equal(r.status, 409);
    assert.match(r.body.error.message, CHINESE);
    const again = await getJson(leader, `/api/v1/matters/${m.id}`);
    assert.equal(again.state, 'registered');
    assert.equal(again.timeline.length, 1);
  });

  test('accept starts the 60-day handling clock', async () => {
    const r = await act(leader, m.id, 'accept');
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.state, 'accepted');
    assert.equal(r.body.stage, 'handling');
    const due = await getJson(leader, `/api/v1/calendar/due?from=${today()}&days=60`);
    assert.equal(r.body.due_at, due.due);
    assert.equal(r.body.late, false);
  });

  test('assign names the unit, lead leader and resolver; a stranger is refused', async () => {
    const units = await getJson(leader, '/api/v1/units');
    const bad = await act(leader, m.id, 'assign', { resolver_id: 999999 });
    assert422(bad, 'resolver_id', 'unknown resolver');
    const r = await act(leader, m.id, 'assign', {
      unit_id: units.items ? units.items[0].id : units[0].id,
      lead_id: me.leader.person_id, resolver_id: me.staff.person_id,
    });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.lead_id, me.leader.person_id);
    assert.equal(r.body.resolver_id, me.staff.person_id);
  });

  test('the resolver sees it in their to-dos', async () => {
    const home = await getJson(staff, '/api/v1/home');
    const row = home.todos.matters.find((x) => x.id === m.id);
    assert.ok(row, 'in the resolver\'s to-dos');
    assert.equal(row.role, '化解责任人');
  });

  test('reply needs a note (422 naming it), then moves to replied', async () => {
    assert422(await act(staff, m.id, 'reply', {}), 'note', 'reply without a note');
    const r = await act(staff, m.id, 'reply', { note: '已组织维修，答复信访人。' });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.state, 'replied');
  });

  test('callback (回访) by the village cadre is allowed', async () => {
    // The matter has no village: a township cadre calls back.
    const r = await act(member, m.id, 'callback', { note: '回访：信访人表示满意。' });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.state, 'called_back');
  });

  test('close without the agreement: 422 naming 息访息诉协议, and nothing changes', async () => {
    const r = await act(leader, m.id, 'close', { closing: 'commitment' });
    assert422(r, 'attachments', 'close without the agreement');
    assert.match(r.body.error.message, /息访息诉协议/);
    const again = await getJson(leader, `/api/v1/matters/${m.id}`);
    assert.equal(again.state, 'called_back');
    assert.equal(again.closed_at, null);
  });

  test('close with an unknown closing type or none is a 422', async () => {
    assert422(await act(leader, m.id, 'close', {}), 'closing', 'no closing');
    const r = await act(leader, m.id, 'close', { closing: 'whatever' });
    assert.equal(r.status, 422);
    assert.equal(r.body.error.field, 'closing');
  });

  test('upload the agreement: 201 with its hash, kind and size; shown on the matter', async () => {
    const r = await upload(leader, m.id, 'agreement');
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.equal(r.body.kind, 'agreement');
    assert.equal(r.body.size, PNG.length);
    assert.match(r.body.sha256, /^[0-9a-f]{64}$/);
    assert.equal(r.body.media_type, 'image/png');
    const full = await getJson(leader, `/api/v1/matters/${m.id}`);
    assert.equal(full.attachments.length, 1);
  });

  test('close now succeeds, with the closing recorded', async () => {
    const r = await act(leader, m.id, 'close', { closing: 'commitment', note: '签订息访息诉协议' });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.state, 'closed');
    assert.equal(r.body.closing, 'commitment');
    assert.ok(r.body.closed_at);
  });

  test('the timeline holds every step in order, and each is audited', async () => {
    const full = await getJson(leader, `/api/v1/matters/${m.id}`);
    const actions = full.timeline.map((e) => e.action);
    for (const a of ['create', 'accept', 'assign', 'reply', 'callback', 'close']) assert.ok(actions.includes(a), a);
    assert.ok(actions.indexOf('accept') < actions.indexOf('reply'));
    assert.ok(actions.indexOf('reply') < actions.indexOf('close'));
    const audit = await getJson(auditor, '/api/v1/audit?action=matter&limit=200');
    const mine = audit.items.filter((x) => x.object_type === 'matter' && x.object_id === String(m.id)).map((x) => x.action);
    for (const a of ['matter.create', 'matter.accept', 'matter.reply', 'matter.callback', 'matter.close']) {
      assert.ok(mine.includes(a), `audited: ${a}`);
    }
    const refused = audit.items.filter((x) => x.object_id === String(m.id) && x.result !== 'ok');
    assert.deepEqual(refused, [], 'a refused action writes no audit record of a change');
  });

  test('reopen (by a leader) keeps the whole history', async () => {
    const before = (await getJson(leader, `/api/v1/matters/${m.id}`)).timeline.length;
    assert.equal((await act(staff, m.id, 'reopen', { note: '信访人反映未落实' })).status, 403);
    const r = await act(leader, m.id, 'reopen', { note: '信访人反映未落实' });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.state, 'accepted');
    assert.equal(r.body.closed_at, null);
    const after = (await getJson(leader, `/api/v1/matters/${m.id}`)).timeline;
    assert.equal(after.length, before + 1);
    assert.equal(after.filter((e) => e.action === 'close').length, 1, 'the old close is still there');
  });
});

describe('the statutory clock', () => {
  test('a petition accepted after its 15 days is flagged late and shows overdue', async () => {
    const received = addDays(today(), -20);
    const m = await register(leader, { details: { received_at: received, petitioners: [{ name: '测试乙' }] } });
    assert.equal(m.urgency, 'overdue');
    assert.match(m.due_hint, /超期\d+天/);
    const list = await getJson(leader, '/api/v1/matters?overdue=1');
    assert.ok(list.items.some((x) => x.id === m.id), 'in the overdue filter');
    const r = await act(leader, m.id, 'accept');
    assert.equal(r.status, 200);
    assert.equal(r.body.late, true);
    const full = await getJson(leader, `/api/v1/matters/${m.id}`);
    assert.equal(full.timeline.find((e) => e.action === 'accept').data.late, true);
  });

  test('received_at in the future is refused', async () => {
    const r = await call(leader, 'POST', '/api/v1/matters', petition({ details: { received_at: addDays(today(), 1), petitioners: [{ name: '测试丙' }] } }));
    assert422(r, 'received_at', 'future receipt');
  });

  test('one extension of at most 30 days, with a reason, by a leader or member', async () => {
    const m = await register(leader);
    await act(leader, m.id, 'accept');
    const due0 = (await getJson(leader, `/api/v1/matters/${m.id}`)).due_at;
    assert422(await act(leader, m.id, 'extend', { days: 30 }), 'note', 'no reason');
    assert.equal((await act(staff, m.id, 'extend', { days: 10, note: '情况复杂' })).status, 403, 'staff may not approve');
    const over = await act(leader, m.id, 'extend', { days: 31, note: '情况复杂' });
    assert.equal(over.status, 422);
    assert.equal(over.body.error.field, 'days');
    const r = await act(leader, m.id, 'extend', { days: 30, note: '情况复杂，经批准延期' });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.extensions, 1);
    assert.ok(r.body.due_at > due0);
    const second = await act(member, m.id, 'extend', { days: 5, note: '再次延期' });
    assert.ok([409, 422].includes(second.status), `second extension: ${second.status}`);
    assert.equal((await getJson(leader, `/api/v1/matters/${m.id}`)).due_at, r.body.due_at);
  });

  test('a pause does not count: resume carries the remaining days over', async () => {
    const m = await register(leader);
    const acc = await act(leader, m.id, 'accept');
    const left = acc.body.days_left;
    const p = await act(leader, m.id, 'pause', { note: '等待信访人补充材料' });
    assert.equal(p.status, 200, JSON.stringify(p.body));
    assert.equal(p.body.paused, true);
    assert.equal(p.body.due_hint, '中止计时');
    await atClock(10, async () => {
      const r = await act(leader, m.id, 'resume');
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.paused, false);
      // The days that were left are counted again from the day it resumes.
      const due = await getJson(leader, `/api/v1/calendar/due?from=${today()}&days=${left}`);
      assert.equal(r.body.due_at, due.due, `left ${left} days`);
    });
  });

  test('review must be asked within 30 days of the reply; after 复核 the matter is final', async () => {
    const m = await register(leader);
    await act(leader, m.id, 'accept');
    await act(leader, m.id, 'reply', { note: '书面答复' });
    await atClock(31, async () => {
      const late = await act(leader, m.id, 'review', { note: '申请复查' });
      assert.ok([409, 422].includes(late.status), `late review: ${late.status}`);
      assert.match(late.body.error.message, CHINESE);
    });
    const r = await act(leader, m.id, 'review', { note: '申请复查' });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.state, 'reviewing');
    await act(leader, m.id, 'reply', { note: '复查意见' });
    const rr = await act(leader, m.id, 're_review', { note: '申请复核' });
    assert.equal(rr.status, 200, JSON.stringify(rr.body));
    const fin = await act(leader, m.id, 'reply', { note: '复核意见' });
    assert.equal(fin.status, 200);
    assert.equal(fin.body.final, true, 'flagged: not accepted again');
    const again = await act(leader, m.id, 'review', { note: '再次申请' });
    assert.ok([409, 422].includes(again.status), 'no review after 复核');
  });
});

describe('the calendar', () => {
  test('working days across 国庆 2026 and the 调休 Saturday of 10 October', async () => {
    const r = await getJson(leader, '/api/v1/calendar/due?from=2026-09-28&days=5&unit=working');
    // 29, 30 September, then 8, 9 October, then Saturday 10 October (a make-up working day).
    assert.equal(r.due, '2026-10-10');
  });

  test('calendar days that end inside the holiday roll to the next working day', async () => {
    const r = await getJson(leader, '/api/v1/calendar/due?from=2026-09-20&days=15');
    assert.equal(r.due, '2026-10-08');
  });

  test('bad calendar queries are 422 in Chinese', async () => {
    for (const q of ['from=2026-13-01&days=5', 'from=2026-09-28&days=-1', 'from=2026-09-28&days=5&unit=weeks', 'days=5']) {
      const r = await call(leader, 'GET', `/api/v1/calendar/due?${q}`);
      assert.equal(r.status, 422, q);
      assert.match(r.body.error.message, CHINESE, q);
    }
  });
});

describe('registration rules', () => {
  test('a group of more than 10 needs police presence recorded before it saves', async () => {
    const before = (await getJson(leader, '/api/v1/matters?limit=100')).items.length;
    const r = await call(leader, 'POST', '/api/v1/matters', petition({ details: { received_at: today(), visitors: 11, petitioners: [{ name: '测试丁' }] } }));
    assert422(r, 'police_present', 'group of 11');
    assert.equal((await getJson(leader, '/api/v1/matters?limit=100')).items.length, before, 'nothing stored');
    const ok = await call(leader, 'POST', '/api/v1/matters', petition({ details: { received_at: today(), visitors: 11, police_present: true, petitioners: [{ name: '测试丁' }] } }));
    assert.equal(ok.status, 201);
    assert.equal(ok.body.details.visitors, 11);
    assert.equal(ok.body.details.police_present, true);
  });

  test('anonymous petitions need no name; named ones need one', async () => {
    const none = await call(leader, 'POST', '/api/v1/matters', petition({ details: { received_at: today(), petitioners: [] } }));
    assert422(none, 'petitioners', 'no petitioner');
    const anon = await call(leader, 'POST', '/api/v1/matters', petition({ details: { received_at: today(), anonymous: true } }));
    assert.equal(anon.status, 201);
    assert.equal(anon.body.raised_by, null);
  });

  test('each petitioner field is checked and named with its row', async () => {
    const cases = [
      [{ name: '测试戊', phone: '12345' }, 'petitioners.0.phone'],
      [{ name: '测试戊', id_number: '110101199001011234' }, 'petitioners.0.id_number'],
      [{ name: '测试戊', age: 300 }, 'petitioners.0.age'],
      [{ name: '测试戊', sex: 'X' }, 'petitioners.0.sex'],
      [{ name: '' }, 'petitioners.0.name'],
    ];
    for (const [p, field] of cases) {
      const r = await call(leader, 'POST', '/api/v1/matters', petition({ details: { received_at: today(), petitioners: [p] } }));
      assert422(r, field, field);
      assert.match(r.body.error.message, /第1位信访人/);
    }
    const many = Array.from({ length: 11 }, (_, i) => ({ name: `测试${i}` }));
    assert422(await call(leader, 'POST', '/api/v1/matters', petition({ details: { received_at: today(), petitioners: many } })), 'petitioners', '11 names');
  });

  test('every top-level field is checked', async () => {
    assert422(await call(leader, 'POST', '/api/v1/matters', petition({ title: '' })), 'title', 'empty title');
    assert422(await call(leader, 'POST', '/api/v1/matters', petition({ title: '长'.repeat(101) })), 'title', 'long title');
    assert422(await call(leader, 'POST', '/api/v1/matters', petition({ source: 'pigeon' })), 'form', 'bad form');
    assert422(await call(leader, 'POST', '/api/v1/matters', petition({ village_id: 99999 })), 'village_id', 'no such village');
    assert422(await call(leader, 'POST', '/api/v1/matters', petition({ type: 'rectification' })), 'type', 'other type');
    assert422(await call(leader, 'POST', '/api/v1/matters', petition({ lead_id: 99999 })), 'lead_id', 'no such leader');
  });

  test('the ID number is sealed: shown masked, never in full', async () => {
    const m = await register(leader, { details: { received_at: today(), petitioners: [{ name: '测试己', id_number: '11010119900307803X' }] } });
    const full = await getJson(leader, `/api/v1/matters/${m.id}`);
    assert.ok(!JSON.stringify(full).includes('11010119900307803X'));
    assert.match(full.petitioners[0].idno, /^1101\*+803X$|\*/);
  });
});

describe('scope and roles', () => {
  let other;
  before(async () => {
    // A petition in the second village cadre's village.
    other = await register(leader, { village_id: me.village2.village_id });
  });

  test('a village cadre cannot see another village\'s petition (404 everywhere)', async () => {
    assert.equal((await call(village, 'GET', `/api/v1/matters/${other.id}`)).status, 404);
    assert.equal((await village.get(`/matters/${other.id}`)).status, 404);
    assert.equal((await village.get(`/matters/${other.id}/print`)).status, 404);
    assert.equal((await act(village, other.id, 'note', { note: '看看' })).status, 404);
    assert.equal((await upload(village, other.id, 'photo')).status, 404);
    const list = await getJson(village, '/api/v1/matters?limit=100');
    assert.ok(!list.items.some((x) => x.id === other.id));
    // The cadre of that village sees it.
    assert.equal((await call(village2, 'GET', `/api/v1/matters/${other.id}`)).status, 200);
  });

  test('a village cadre registers only for their own village', async () => {
    const r = await call(village, 'POST', '/api/v1/matters', petition({ village_id: me.village2.village_id }));
    assert.equal(r.status, 422);
    assert.equal(r.body.error.field, 'village_id');
    const own = await call(village, 'POST', '/api/v1/matters', petition());
    assert.equal(own.status, 201);
    assert.equal(own.body.village_id, me.village.village_id, 'defaults to the cadre\'s village');
  });

  test('an attachment of another village is 404 for a village cadre', async () => {
    const up = await upload(leader, other.id, 'photo');
    assert.equal(up.status, 201);
    assert.equal((await village.get(`/api/v1/attachments/${up.body.id}`)).status, 404);
    assert.equal((await village2.get(`/api/v1/attachments/${up.body.id}`)).status, 200);
  });

  test('the cleaner has no ledger access; village cadres do not accept', async () => {
    const r = await cleaner.get('/api/v1/matters');
    assert.ok([403, 404].includes(r.status));
    assert.ok([403, 404].includes((await cleaner.get(`/matters/${other.id}`)).status));
    assert.equal((await act(village2, other.id, 'accept')).status, 403);
  });

  test('state changes need the CSRF token', async () => {
    const r = await village2.req('POST', `/api/v1/matters/${other.id}/note`, { json: { note: 'x' }, csrf: false });
    assert.equal(r.status, 403);
    const r2 = await leader.req('POST', '/api/v1/matters', { json: petition(), csrf: false });
    assert.equal(r2.status, 403);
  });
});

describe('supervision and reminders', () => {
  let m;
  before(async () => {
    m = await register(leader);
    await act(leader, m.id, 'accept');
    await act(leader, m.id, 'assign', { resolver_id: me.staff.person_id });
  });

  test('the inspector issues an order with a new deadline; it shows on the matter and in the to-dos', async () => {
    const due = addDays(today(), 5);
    assert422(await act(inspector, m.id, 'supervise', { note: '请加快办理' }), 'due_on', 'no date');
    const r = await act(inspector, m.id, 'supervise', { note: '请于五日内办结', due_on: due });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const full = await getJson(leader, `/api/v1/matters/${m.id}`);
    assert.equal(full.orders.length, 1);
    assert.equal(full.orders[0].due_on, due);
    const home = await getJson(staff, '/api/v1/home');
    assert.ok(home.todos.orders.some((o) => o.matter_id === m.id), 'the order is in the resolver\'s to-dos');
  });

  test('village cadres and plain staff may not supervise', async () => {
    assert.equal((await act(staff, m.id, 'supervise', { note: 'x', due_on: addDays(today(), 3) })).status, 403);
    assert.equal((await act(member, m.id, 'supervise', { note: 'x', due_on: addDays(today(), 3) })).status, 403);
  });

  test('reminders are given once each, even with two servers sweeping the same database', async () => {
    const r = await register(leader);
    await act(leader, r.id, 'accept');
    // Move the clock to 2 days before the handling deadline.
    const full = await getJson(leader, `/api/v1/matters/${r.id}`);
    const days = Math.round((Date.parse(full.due_at) - Date.parse(today())) / 86400e3) - 2;
    // A second server on the same database, sweeping every second as well.
    const second = spawn(BIN, ['serve', '--db', srv.db, '--listen', '127.0.0.1:0'], {
      env: { ...process.env, XIANGZHI_SWEEP_SECONDS: '1',
        LD_PRELOAD: '/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1',
        FAKETIME_TIMESTAMP_FILE: join(srv.dir, 'clock'), FAKETIME_NO_CACHE: '1', DONT_FAKE_MONOTONIC: '1',
        ASAN_OPTIONS: `${process.env.ASAN_OPTIONS ?? ''}:verify_asan_link_order=0` },
      stdio: 'ignore',
    });
    try {
      setClock(days);
      await signInAll();
      let kinds = [];
      for (let i = 0; i < 50 && !kinds.includes('due_soon'); i++) {
        await new Promise((res) => setTimeout(res, 200));
        kinds = (await getJson(leader, `/api/v1/matters/${r.id}`)).timeline.filter((e) => e.action === 'remind').map((e) => e.data.kind);
      }
      assert.deepEqual(kinds, ['due_soon']);
      await new Promise((res) => setTimeout(res, 2500));   // both servers sweep again
      kinds = (await getJson(leader, `/api/v1/matters/${r.id}`)).timeline.filter((e) => e.action === 'remind').map((e) => e.data.kind);
      assert.deepEqual(kinds, ['due_soon'], 'still one');
      // Past the deadline: one overdue reminder.
      setClock(days + 5);
      await signInAll();
      for (let i = 0; i < 50 && !kinds.includes('overdue'); i++) {
        await new Promise((res) => setTimeout(res, 200));
        kinds = (await getJson(leader, `/api/v1/matters/${r.id}`)).timeline.filter((e) => e.action === 'remind').map((e) => e.data.kind);
      }
      assert.deepEqual(kinds.sort(), ['due_soon', 'overdue']);
    } finally {
      setClock(0);
      second.kill('SIGTERM');
      await signInAll();
    }
  });

  test('a paused matter gets no reminders', async () => {
    const r = await register(leader);
    await act(leader, r.id, 'accept');
    await act(leader, r.id, 'pause', { note: '等待补充材料' });
    await atClock(70, async () => {
      await new Promise((res) => setTimeout(res, 2500));
      const tl = (await getJson(leader, `/api/v1/matters/${r.id}`)).timeline;
      assert.equal(tl.filter((e) => e.action === 'remind').length, 0);
    });
  });
});

describe('uploads', () => {
  let m;
  before(async () => { m = await register(leader); });

  test('malformed uploads are refused and nothing is stored', async () => {
    const files0 = storedFiles();
    const count0 = (await getJson(leader, `/api/v1/matters/${m.id}`)).attachments.length;
    // No file part.
    let r = await upload(leader, m.id, 'photo', null);
    assert422(r, 'file', 'no file');
    // An empty file.
    r = await upload(leader, m.id, 'photo', Buffer.alloc(0));
    assert422(r, 'file', 'empty file');
    // An unknown kind.
    r = await upload(leader, m.id, 'selfie');
    assert422(r, 'kind', 'unknown kind');
    // No kind.
    r = await upload(leader, m.id, undefined);
    assert422(r, 'kind', 'no kind');
    // A broken multipart body (the boundary never closes).
    let res = await leader.req('POST', `/api/v1/matters/${m.id}/attachments`, {
      headers: { 'content-type': 'multipart/form-data; boundary=XYZ' },
      body: '--XYZ\r\nContent-Disposition: form-data; name="kind"\r\n\r\nphoto\r\n--XYZ\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\n\r\nabc',
    });
    assert.equal(res.status, 400);
    await res.text();
    // Over 20 MiB: refused on its Content-Length, before the body is read.
    assert.equal(await rawStatus(leader, `/api/v1/matters/${m.id}/attachments`, 20 * 1024 * 1024 + 1024), 413);
    assert.deepEqual(storedFiles(), files0, 'no file written');
    assert.equal((await getJson(leader, `/api/v1/matters/${m.id}`)).attachments.length, count0, 'no attachment row');
  });

  test('HTML is stored as an opaque download, never rendered', async () => {
    const html = Buffer.from('<html><script>alert(1)</script></html>');
    const r = await upload(leader, m.id, 'other', html, '../../x".html', 'text/html');
    assert.equal(r.status, 201);
    assert.equal(r.body.media_type, 'application/octet-stream');
    const res = await leader.get(`/api/v1/attachments/${r.body.id}`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/octet-stream');
    assert.match(res.headers.get('content-disposition'), /^attachment;/);
    assert.ok(!res.headers.get('content-disposition').includes('..'), 'no path in the name');
    assert.match(res.headers.get('content-security-policy'), /sandbox/);
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    assert.deepEqual(Buffer.from(await res.arrayBuffer()), html);
  });

  test('the same bytes are stored once', async () => {
    const a = await upload(leader, m.id, 'photo', Buffer.from('%PDF-1.4\n% same bytes\n'), 'a.pdf', 'application/pdf');
    const before = storedFiles().length;
    const b = await upload(leader, m.id, 'photo', Buffer.from('%PDF-1.4\n% same bytes\n'), 'b.pdf', 'application/pdf');
    assert.equal(a.body.sha256, b.body.sha256);
    assert.equal(a.body.media_type, 'application/pdf');
    assert.equal(storedFiles().length, before);
    assert.notEqual(a.body.id, b.body.id);
  });

  test('the stored files are readable only by the server', () => {
    for (const f of storedFiles()) assert.equal(statSync(f).mode & 0o077, 0, f);
  });
});

describe('ledger views', () => {
  let a, b;
  before(async () => {
    a = await register(leader, { title: '灌溉渠道渗漏', body: '渠道维修' });
    b = await register(leader, { title: '道路硬化申请', body: '村道泥泞' });
  });

  test('search finds one- and two-character Chinese terms', async () => {
    const q = async (s) => (await getJson(leader, `/api/v1/matters?q=${encodeURIComponent(s)}&limit=100`)).items.map((x) => x.id);
    assert.ok((await q('渠')).includes(a.id));
    assert.ok(!(await q('渠')).includes(b.id));
    const dao = await q('道');
    assert.ok(dao.includes(a.id) && dao.includes(b.id), '道 is in both');
    const daolu = await q('道路');
    assert.ok(daolu.includes(b.id) && !daolu.includes(a.id));
    assert.ok((await q(a.code)).includes(a.id), 'by code');
    assert.ok((await q('测试甲')).includes(a.id), 'by petitioner name');
  });

  test('filters and keyset pages', async () => {
    const reg = await getJson(leader, '/api/v1/matters?state=registered&limit=100');
    assert.ok(reg.items.every((x) => x.state === 'registered'));
    const p1 = await getJson(leader, '/api/v1/matters?limit=2');
    assert.equal(p1.items.length, 2);
    assert.ok(p1.next);
    const p2 = await getJson(leader, `/api/v1/matters?limit=2&after=${p1.next}`);
    assert.ok(p2.items.every((x) => x.id < p1.items[1].id), 'older rows');
    const bad = await call(leader, 'GET', '/api/v1/matters?state=nonsense');
    assert.equal(bad.status, 422);
  });

  test('the ledger page marks overdue rows red and due-soon rows amber', async () => {
    await register(leader, { title: '超期未受理', details: { received_at: addDays(today(), -25), petitioners: [{ name: '测试癸' }] } });
    const red = mainOf(await (await leader.get('/matters?overdue=1')).text());
    const rows = red.match(/<tr class="u-[a-z]+"/g) ?? [];
    assert.ok(rows.length > 0, 'overdue rows listed');
    assert.ok(rows.every((r) => r === '<tr class="u-overdue"'), rows.join());
    // Received 13 days ago: the 15-day acceptance deadline is within 7 days.
    const soon = await register(leader, { title: '临期事项', details: { received_at: addDays(today(), -13), petitioners: [{ name: '测试壬' }] } });
    assert.ok(['soon', 'today'].includes(soon.urgency), soon.urgency);
    const html = mainOf(await (await leader.get('/matters?due_soon=1')).text());
    assert.match(html, /<tr class="u-(soon|today)"/);
  });

  test('the XLSX export is the familiar ledger, phones as text', async () => {
    const res = await leader.get('/matters.xlsx');
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    assert.match(res.headers.get('content-disposition'), /^attachment;/);
    const file = join(srv.dir, 'ledger.xlsx');
    writeFileSync(file, Buffer.from(await res.arrayBuffer()));
    const sheet = execFileSync('unzip', ['-p', file, 'xl/worksheets/sheet1.xml'], { encoding: 'utf8' });
    assert.match(sheet, /信访/);
    assert.ok(sheet.includes(a.code), 'a row per matter');
    assert.ok(sheet.includes('138****0001'), 'phone masked, as text');
    assert.match(sheet, /序号/);
    assert.match(sheet, /<mergeCell ref="A1:/, 'merged title row');
    const wb = execFileSync('unzip', ['-p', file, 'xl/workbook.xml'], { encoding: 'utf8' });
    assert.match(wb, /Print_Titles/);
  });

  test('the village cadre\'s export has only their village', async () => {
    const other = await register(leader, { village_id: me.village2.village_id, title: '另一村的事项' });
    const res = await village.get('/matters.xlsx');
    const file = join(srv.dir, 'village.xlsx');
    writeFileSync(file, Buffer.from(await res.arrayBuffer()));
    const sheet = execFileSync('unzip', ['-p', file, 'xl/worksheets/sheet1.xml'], { encoding: 'utf8' });
    assert.ok(!sheet.includes(other.code));
  });

  test('the blank 接访下访登记表 prints with its heads and signature lines, and no data', async () => {
    const res = await leader.get('/petitions/print');
    assert.equal(res.status, 200);
    const html = await res.text();
    assert.match(html, /接访、?下访登记表/);
    for (const head of ['来访人', '联系方式', '来访事由', '接待领导', '处理意见', '包案领导', '化解责任人', '来访人（签字）', '接待人（签字）']) {
      assert.ok(html.includes(head), head);
    }
    assert.ok(!/XF-\d{4}-\d{4}/.test(html), 'no matter code on a blank form');
    assert.ok(!html.includes('<nav'), 'printed without the site menu');
  });

  test('the print view is the 接访下访登记表 with signature boxes', async () => {
    const res = await leader.get(`/matters/${a.id}/print`);
    assert.equal(res.status, 200);
    const html = await res.text();
    assert.match(html, /接访、?下访登记表/);
    assert.match(html, /签字/);
    assert.ok(html.includes(a.code));
  });
});

describe('pages', () => {
  test('register through the page form: 303 to the matter', async () => {
    const form = await leader.get('/petitions/new');
    assert.equal(form.status, 200);
    const res = await leader.submit('/petitions/new', {
      received_at: today(), form: 'visit', title: '页面登记的事项', body: '内容',
      p1_name: '测试庚', p1_phone: '13800000002',
    });
    assert.equal(res.status, 303, await res.text());
    assert.match(res.headers.get('location'), /^\/matters\/\d+$/);
    const page = await (await leader.get(res.headers.get('location'))).text();
    assert.ok(page.includes('页面登记的事项'));
  });

  test('a photo taken at the desk is saved with the registration; a non-image is refused', async () => {
    const send = async (bytes, name) => {
      const fd = new FormData();
      fd.append('csrf', await leader.pageCsrf('/petitions/new'));
      for (const [k, v] of Object.entries({ received_at: today(), form: 'visit', title: '带照片登记', p1_name: '测试子' })) fd.append(k, v);
      fd.append('photo', new Blob([bytes]), name);
      return leader.req('POST', '/petitions/new', { body: fd, csrf: false });
    };
    const before = (await getJson(leader, '/api/v1/matters?limit=200')).items.length;
    const files0 = storedFiles();
    const bad = await send(Buffer.from('not a picture at all'), 'x.jpg');
    assert.equal(bad.status, 422);
    assert.ok(alerts(await bad.text()).some((x) => /照片/.test(x)));
    assert.equal((await getJson(leader, '/api/v1/matters?limit=200')).items.length, before, 'no matter');
    assert.deepEqual(storedFiles(), files0, 'no file');
    const ok = await send(PNG, 'IMG_0001.png');
    assert.equal(ok.status, 303);
    const id = ok.headers.get('location').split('/').pop();
    const m = await getJson(leader, `/api/v1/matters/${id}`);
    assert.equal(m.attachments.length, 1);
    assert.equal(m.attachments[0].kind, 'photo');
    assert.ok(m.timeline.some((e) => e.action === 'attach'));
  });

  test('a bad page form re-renders with the input kept and a Chinese alert; nothing stored', async () => {
    const before = (await getJson(leader, '/api/v1/matters?limit=100')).items.length;
    const res = await leader.submit('/petitions/new', {
      received_at: today(), form: 'visit', title: '', body: '保留的内容', p1_name: '测试辛', visitors: '12',
    });
    assert.equal(res.status, 422);
    const html = await res.text();
    assert.ok(alerts(html).some((x) => CHINESE.test(x)), 'an alert in Chinese');
    assert.ok(html.includes('保留的内容'), 'the body is kept');
    assert.ok(html.includes('测试辛'), 'the petitioner is kept');
    assert.equal((await getJson(leader, '/api/v1/matters?limit=100')).items.length, before);
  });

  test('an action through the page form: 303 back to the matter', async () => {
    const m = await register(leader);
    const res = await leader.submit(`/matters/${m.id}`, { action: 'accept' });
    assert.equal(res.status, 303);
    assert.equal((await getJson(leader, `/api/v1/matters/${m.id}`)).state, 'accepted');
    const bad = await leader.submit(`/matters/${m.id}`, { action: 'reply' });
    assert.equal(bad.status, 422);
    assert.ok(alerts(await bad.text()).length > 0);
  });

  test('the home page lists the cadre\'s matters', async () => {
    const html = await (await staff.get('/')).text();
    assert.match(mainOf(html), /我承办的事项/);
    assert.match(mainOf(html), /XF-\d{4}-\d{4}/);
  });
});

describe('XSS in every text field', () => {
  test('stored hostile text is escaped on every page that shows it', async () => {
    const m = await register(leader, {
      title: `标题${XSS}`, body: `内容${XSS}`, place: `地点${XSS}`,
      details: { received_at: today(), petitioners: [{ name: `名${XSS}`.slice(0, 32), address: `住址${XSS}` }] },
    });
    await act(leader, m.id, 'accept');
    await act(leader, m.id, 'note', { note: `备注${XSS}` });
    await act(inspector, m.id, 'supervise', { note: `督办${XSS}`, due_on: addDays(today(), 3) });
    await act(leader, m.id, 'assign', { resolver_id: me.staff.person_id });
    await act(leader, m.id, 'key', { key: true, plan: `方案${XSS}`, team: [me.leader.person_id] });
    await upload(leader, m.id, 'photo', PNG, `图${XSS}.png`);
    const pages = [`/matters/${m.id}`, '/matters', `/matters/${m.id}/print`, `/matters?q=${encodeURIComponent('标题')}`, '/'];
    for (const p of pages) {
      const c = p === '/' ? staff : leader;
      const html = await (await c.get(p)).text();
      assert.ok(!html.includes('<script>alert(1)'), `${p}: raw script`);
      assert.ok(pageHas(html, '<script>alert(1)</script>'), `${p}: the text is shown, escaped`);
    }
  });
});
