// 08-xss: hostile strings stored through the API come back exactly over JSON and inert in HTML.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib.mjs';
import { call, getJson, clients, inputAttrs } from './lib-org.mjs';

// The payloads.  Each is stored in every text field it fits (limits: person name 32, unit
// phone 20, other names and titles 40, address 100, note and duties 500).
const PAYLOADS = [
  ['script', '<script>alert(1)</script>'],
  ['img', '"><img src=x onerror=alert(1)>'],
  ['quote break', "' onmouseover='alert(1)"],
  ['javascript url', 'javascript:alert(1)'],
  ['textarea break', '</textarea><script>alert(1)</script>'],
  ['template', '{{csrf}}'],
  ['template literal', '${7*7}'],
  ['percent', '%3Cscript%3E'],
  ['rlo', '\u202Eexe.gnp\u202C文件'],
  ['emoji', '😀👨‍👩‍👧‍👦🇨🇳'.repeat(2) + '🙂'.repeat(10)],
  ['short tag', '"><b>x</b>'],
  ['svg', "'><svg/onload=1>"],
  ['entity', '&lt;script&gt;&amp;&#39;'],
  ['comment', '<!-- x --><title>t</title>'],
];

const len = (s) => [...s].length;
const fits = (s, max) => len(s) <= max;

let srv, as;
// Per payload: { person, unit, village, group, post } as created, and what was sent.
const made = new Map();

before(async () => {
  srv = await startServer();
  as = clients(srv);
  const c = await as('leader');
  let n = 0;
  for (const [key, p] of PAYLOADS) {
    n++;
    const rec = { sent: {} };
    const vname = fits(p, 40) ? p : `村${n}`;
    const v = await call(c, 'POST', '/api/v1/villages', { name: vname, sort: 100 + n });
    assert.equal(v.status, 201, `village ${key}: ${JSON.stringify(v.body)}`);
    rec.village = v.body;
    rec.sent.village = vname;
    const gname = fits(p, 40) ? p : `组${n}`;
    const g = await call(c, 'POST', `/api/v1/villages/${v.body.id}/groups`, { name: gname, sort: 1 });
    assert.equal(g.status, 201, `group ${key}`);
    rec.group = g.body;
    rec.sent.group = gname;
    const unit = { name: fits(p, 40) ? p : `站${n}`, kind: 'station', phone: fits(p, 20) ? p : `0934-${n}`, duties: `${p}\n${p}`, sort: 100 + n };
    const u = await call(c, 'POST', '/api/v1/units', unit);
    assert.equal(u.status, 201, `unit ${key}: ${JSON.stringify(u.body)}`);
    rec.unit = u.body;
    rec.sent.unit = unit;
    const person = { name: fits(p, 32) ? p : `人${n}`, village_id: v.body.id, group_id: g.body.id, address: p, note: `${p}\n${p}` };
    const pr = await call(c, 'POST', '/api/v1/people', person);
    assert.equal(pr.status, 201, `person ${key}: ${JSON.stringify(pr.body)}`);
    rec.person = pr.body;
    rec.sent.person = person;
    const title = fits(p, 40) ? p : `职${n}`;
    const po = await call(c, 'POST', `/api/v1/people/${pr.body.id}/posts`, { title, unit_id: u.body.id, started_on: '2025-01-01' });
    assert.equal(po.status, 201, `post ${key}`);
    rec.sent.title = title;
    const vp = await call(c, 'POST', `/api/v1/people/${pr.body.id}/posts`, { title, village_id: v.body.id, started_on: '2025-01-02' });
    assert.equal(vp.status, 201, `village post ${key}`);
    made.set(key, rec);
  }
});
after(async () => { await srv.stop(); });

// ---------------------------------------------------------------- an HTML tag scanner

// Tags as a browser's tokenizer would see them (raw-text elements skipped to their end tag,
// which is exactly how a "</textarea>" payload would escape).
function scanTags(html) {
  const out = [];
  const RAW = new Set(['script', 'style', 'textarea', 'title', 'xmp', 'iframe', 'noscript', 'noembed', 'noframes']);
  let i = 0;
  const n = html.length;
  while (i < n) {
    const lt = html.indexOf('<', i);
    if (lt < 0) break;
    if (html.startsWith('<!--', lt)) { const e = html.indexOf('-->', lt + 4); i = e < 0 ? n : e + 3; continue; }
    if (html[lt + 1] === '!' || html[lt + 1] === '?') { const e = html.indexOf('>', lt); i = e < 0 ? n : e + 1; continue; }
    let k = lt + 1;
    let closing = false;
    if (html[k] === '/') { closing = true; k++; }
    if (!/[A-Za-z]/.test(html[k] ?? '')) { i = lt + 1; continue; }
    const ns = k;
    while (k < n && !/[\s/>]/.test(html[k])) k++;
    const tag = { name: html.slice(ns, k).toLowerCase(), closing, attrs: [], text: '' };
    while (k < n) {
      while (k < n && /[\s/]/.test(html[k])) k++;
      if (k >= n) break;
      if (html[k] === '>') { k++; break; }
      const as0 = k;
      k++;   // the first character may be anything, even "="
      while (k < n && !/[\s/>=]/.test(html[k])) k++;
      const name = html.slice(as0, k).toLowerCase();
      while (k < n && /\s/.test(html[k])) k++;
      let value = null;
      if (html[k] === '=') {
        k++;
        while (k < n && /\s/.test(html[k])) k++;
        if (html[k] === '"' || html[k] === "'") {
          const e = html.indexOf(html[k], k + 1);
          value = html.slice(k + 1, e < 0 ? n : e);
          k = e < 0 ? n : e + 1;
        } else {
          const vs = k;
          while (k < n && !/[\s>]/.test(html[k])) k++;
          value = html.slice(vs, k);
        }
      }
      tag.attrs.push([name, value]);
    }
    out.push(tag);
    i = k;
    if (!closing && RAW.has(tag.name)) {
      const m = new RegExp(`</${tag.name}[\\s/>]`, 'i').exec(html.slice(i));
      const end = m ? i + m.index : n;
      tag.text = html.slice(i, end);
      i = end;
    }
  }
  return out;
}

const decode = (s) => s.replace(/&#(\d+);/g, (_, d) => String.fromCodePoint(Number(d)))
  .replace(/&#x([0-9a-f]+);/gi, (_, h) => String.fromCodePoint(parseInt(h, 16)))
  .replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

// Everything that would make a stored string active in a browser.
function assertInert(html, where) {
  assert.doesNotMatch(html, /<script>alert/i, `${where}: "<script>alert" unescaped`);
  assert.doesNotMatch(html, /<img src=x/i, `${where}: "<img src=x" unescaped`);
  assert.doesNotMatch(html, /<svg/i, `${where}: an <svg> element`);
  assert.ok(!html.includes("' onmouseover='"), `${where}: the quote-breaking payload is raw`);
  const tags = scanTags(html);
  for (const t of tags) {
    if (t.closing) continue;
    for (const [name, value] of t.attrs) {
      assert.ok(!name.startsWith('on'), `${where}: <${t.name} ${name}=…> event handler`);
      if (['href', 'src', 'action', 'formaction'].includes(name) && value !== null) {
        assert.doesNotMatch(decode(value).replace(/[\s\u0000-\u001f]/g, ''), /^javascript:/i, `${where}: ${name}="${value}"`);
      }
    }
    assert.ok(!['img', 'svg', 'iframe', 'object', 'embed', 'base', 'math', 'style', 'b'].includes(t.name), `${where}: a <${t.name}> element`);
    if (t.name === 'script') {
      const src = t.attrs.find(([a]) => a === 'src')?.[1];
      assert.match(src ?? '', /^\/static\/[\w.-]+\.js(\?v=\w+)?$/, `${where}: a script not from /static`);
      assert.equal(t.text.trim(), '', `${where}: an inline script`);
    }
    if (t.name === 'title') assert.equal(tags.filter((x) => x.name === 'title' && !x.closing).length, 1, `${where}: one <title>`);
  }
  const textareaOpen = tags.filter((t) => t.name === 'textarea' && !t.closing).length;
  const textareaClose = tags.filter((t) => t.name === 'textarea' && t.closing).length;
  assert.equal(textareaOpen, textareaClose, `${where}: textareas balance`);
}

// The payload is on the page, in some escaped spelling (so the test did reach it).
function shown(html, s) {
  const text = s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const attr = text.replace(/"/g, '&quot;').replace(/'/g, '&#39;');
  return [s, text, attr, attr.replace(/&#39;/g, '&#x27;'), text.replace(/"/g, '&quot;')].some((v) => html.includes(v));
}

const page = async (path, role = 'leader') => {
  const res = await (await as(role)).get(path);
  assert.equal(res.status, 200, `GET ${path}`);
  assert.match(res.headers.get('content-type'), /^text\/html; charset=utf-8/);
  return res.text();
};

test('the checker itself catches live markup and passes escaped markup', () => {
  const bad = [
    '<p><script>alert(1)</script></p>',
    '<input value="" onmouseover="alert(1)">',
    "<input value='' onmouseover='alert(1)'>",
    '<textarea>x</textarea><script>alert(1)</script></textarea>',
    '<a href=" javascript:alert(1)">x</a>',
    '<a href="&#106;avascript:alert(1)">x</a>',
    '<p>"><img src=x onerror=alert(1)></p>',
    '<p><b>x</b></p>',
    '<title>a</title><title>t</title>',
    '<script src="//evil.example/x.js"></script>',
  ];
  for (const h of bad) assert.throws(() => assertInert(h, 'sample'), assert.AssertionError, h);
  const good = [
    '<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>',
    '<input value="&#39; onmouseover=&#39;alert(1)">',
    '<input value="&quot;&gt;&lt;img src=x onerror=alert(1)&gt;">',
    '<textarea>&lt;/textarea&gt;&lt;script&gt;</textarea>',
    '<script src="/static/app.js?v=12ab" defer></script>',
  ];
  for (const h of good) assertInert(h, 'sample');
});

// ---------------------------------------------------------------- pages

const PAGES = [
  ['/people?village=V', (r) => `/people?village=${r.village.id}`, (r) => [r.sent.person.name, r.sent.village, r.sent.group]],
  ['/people/:id', (r) => `/people/${r.person.id}`, (r) => [r.sent.person.name, r.sent.person.address, r.sent.title]],
  ['/people/:id/edit', (r) => `/people/${r.person.id}/edit`, (r) => [r.sent.person.name, r.sent.person.address, r.sent.village, r.sent.group]],
  ['/people/:id/contact', (r) => `/people/${r.person.id}/contact`, (r) => [r.sent.person.name, r.sent.village]],
  ['/units/:id', (r) => `/units/${r.unit.id}`, (r) => [r.sent.unit.name, r.sent.unit.phone, r.sent.person.name, r.sent.title]],
  ['/units/:id/edit', (r) => `/units/${r.unit.id}/edit`, (r) => [r.sent.unit.name, r.sent.unit.phone]],
  ['/villages/:id', (r) => `/villages/${r.village.id}`, (r) => [r.sent.village, r.sent.group, r.sent.person.name, r.sent.title]],
  ['/villages/:id/edit', (r) => `/villages/${r.village.id}/edit`, (r) => [r.sent.village]],
];

for (const [key, payload] of PAYLOADS) {
  describe(`payload ${key}`, () => {
    for (const [label, path, expect] of PAGES) {
      test(`${label} shows it inert`, async () => {
        const r = made.get(key);
        const html = await page(path(r));
        assertInert(html, `${label} (${key})`);
        for (const s of expect(r)) assert.ok(shown(html, s), `${label} (${key}) shows ${JSON.stringify(s)}`);
        if (label === '/people/:id' || label === '/units/:id') {
          // The multi-line fields: note and duties hold the payload twice.
          assert.ok(shown(html, payload), `${label} (${key}) shows the payload`);
        }
      });
    }

    test('the JSON API returns every stored string exactly as sent', async () => {
      const r = made.get(key);
      const c = await as('leader');
      const p = await getJson(c, `/api/v1/people/${r.person.id}`);
      assert.equal(p.name, r.sent.person.name);
      assert.equal(p.address, r.sent.person.address);
      assert.equal(p.note, r.sent.person.note);
      assert.equal(p.village, r.sent.village);
      assert.equal(p.group, r.sent.group);
      assert.ok(p.posts.every((x) => x.title === r.sent.title));
      const u = await getJson(c, `/api/v1/units/${r.unit.id}`);
      assert.equal(u.name, r.sent.unit.name);
      assert.equal(u.phone, r.sent.unit.phone);
      assert.equal(u.duties, r.sent.unit.duties);
      const v = await getJson(c, `/api/v1/villages/${r.village.id}`);
      assert.equal(v.name, r.sent.village);
      assert.deepEqual(v.groups.map((g) => g.name), [r.sent.group]);
      const inList = (await getJson(c, `/api/v1/people?village=${r.village.id}`)).items[0];
      assert.equal(inList.name, r.sent.person.name);
    });
  });
}

// ---------------------------------------------------------------- lists of everything

for (const [path, role] of [['/units', 'leader'], ['/villages', 'leader'], ['/people/new', 'leader'], ['/people', 'leader'], ['/units', 'staff'], ['/people/new', 'staff']]) {
  test(`${path} (${role}), listing every hostile name at once, is inert`, async () => {
    const html = await page(path, role);
    assertInert(html, path);
    if (path !== '/people') {
      for (const [key] of PAYLOADS) {
        const r = made.get(key);
        const want = path === '/units' ? r.sent.unit.name : r.sent.village;
        assert.ok(shown(html, want), `${path} shows ${key}`);
      }
    }
  });
}

test('{{csrf}} is shown literally, never expanded into the token', async () => {
  const c = await as('leader');
  const r = made.get('template');
  const html = await page(`/people/${r.person.id}`);
  const token = html.match(/name="csrf" value="([^"]+)"/)[1];
  const main = html.slice(html.indexOf('<main'), html.indexOf('</main>'));
  assert.ok(main.includes('{{csrf}}'), 'the braces are on the page');
  const h1 = main.match(/<h1[^>]*>([\s\S]*?)<\/h1>/)[1];
  assert.ok(h1.includes('{{csrf}}'));
  assert.ok(!h1.includes(token), 'the token is not in the heading');
  const form = await page(`/units/${made.get('template').unit.id}/edit`);
  assert.equal(inputAttrs(form, 'name')?.value, '{{csrf}}');
  assert.equal((await getJson(c, `/api/v1/units/${r.unit.id}`)).name, '{{csrf}}');
});

test('${7*7} and %3Cscript%3E are shown as typed, not evaluated or decoded', async () => {
  const a = await page(`/people/${made.get('template literal').person.id}`);
  assert.ok(a.includes('${7*7}'));
  const b = await page(`/people/${made.get('percent').person.id}`);
  assert.ok(b.includes('%3Cscript%3E'));
  assert.ok(!b.includes('<script>'), 'not decoded');
});

test('the right-to-left override is kept exactly (JSON) and shown (HTML)', async () => {
  const r = made.get('rlo');
  const p = await getJson(await as('leader'), `/api/v1/people/${r.person.id}`);
  assert.equal(p.name, '\u202Eexe.gnp\u202C文件');
  const html = await page(`/people/${r.person.id}`);
  assert.ok(html.includes('\u202E') || /&#x202e;|&#8238;/i.test(html));
});

// ---------------------------------------------------------------- reflected

// (The server caps q at 64 bytes; see 07-people for that limit.)
for (const [key, payload] of PAYLOADS.filter(([, p]) => Buffer.byteLength(p) <= 64)) {
  test(`a search for the ${key} payload reflects it inert`, async () => {
    const html = await page(`/people?q=${encodeURIComponent(payload)}`);
    assertInert(html, `/people?q= (${key})`);
    assert.ok(shown(html, payload), 'the search box shows what was typed');
  });
}

test('the audit filter reflects a hostile account name inert', async () => {
  const html = await page(`/audit?actor=${encodeURIComponent('"><img src=x onerror=alert(1)>')}`, 'auditor');
  assertInert(html, '/audit?actor=');
});

test('a hostile name in the page-form re-show (422) is inert', async () => {
  const c = await as('leader');
  const res = await c.submit('/units/new', { name: `${'"><img src=x onerror=alert(1)>'}${'长'.repeat(20)}`, kind: 'office', phone: "' onmouseover='a", duties: '</textarea><script>alert(1)</script>', sort: '0' });
  assert.equal(res.status, 422);
  assertInert(await res.text(), 'unit form re-show');
});

// ---------------------------------------------------------------- refused strings

const REFUSED = [
  ['NUL', 'a\u0000b'],
  ['BEL', 'a\u0007b'],
  ['backspace', 'a\u0008b'],
  ['ESC sequence', 'a\u001b[31mb'],
  ['vertical tab', 'a\u000bb'],
  ['form feed', 'a\u000cb'],
  ['DEL', 'a\u007fb'],
];

const TARGETS = [
  ['person name', 'POST', () => '/api/v1/people', (s) => ({ name: s })],
  ['person address', 'POST', () => '/api/v1/people', (s) => ({ name: '地址测试', address: s })],
  ['person note', 'POST', () => '/api/v1/people', (s) => ({ name: '备注测试', note: s })],
  ['unit name', 'POST', () => '/api/v1/units', (s) => ({ name: `站${s}`, kind: 'office' })],
  ['unit phone', 'POST', () => '/api/v1/units', (s) => ({ name: '电话测试站', kind: 'office', phone: s })],
  ['unit duties', 'POST', () => '/api/v1/units', (s) => ({ name: '职责测试站', kind: 'office', duties: s })],
  ['village name', 'POST', () => '/api/v1/villages', (s) => ({ name: `村${s}` })],
  ['group name', 'POST', () => `/api/v1/villages/${made.get('script').village.id}/groups`, (s) => ({ name: `组${s}` })],
  ['post title', 'POST', () => `/api/v1/people/${made.get('script').person.id}/posts`, (s) => ({ title: s, unit_id: 1, started_on: '2025-01-01' })],
];

// The highest person id now; people created later show up after it.
let lastId = null;
async function peopleAfterSetup(c) {
  if (lastId === null) {
    lastId = 0;
    for (let after = 0; ;) {
      const l = await getJson(c, `/api/v1/people?limit=200&after=${after}`);
      if (l.items.length) lastId = l.items.at(-1).id;
      if (!l.next) break;
      after = l.next;
    }
  }
  return (await getJson(c, `/api/v1/people?limit=200&after=${lastId}`)).items;
}

async function snapshot() {
  const c = await as('leader');
  const r = made.get('script');
  return JSON.stringify([
    await peopleAfterSetup(c),
    await getJson(c, '/api/v1/units'),
    await getJson(c, '/api/v1/villages'),
    await getJson(c, `/api/v1/villages/${r.village.id}`),
    await getJson(c, `/api/v1/people/${r.person.id}`),
  ]);
}

for (const [what, method, path, body] of TARGETS) {
  test(`control characters in the ${what} are refused with 422 (400 for NUL in JSON), never 500, nothing stored`, async () => {
    const before = await snapshot();
    for (const [name, s] of REFUSED) {
      const r = await call(await as('leader'), method, path(), body(s));
      if (name === 'NUL') assert.ok([400, 422].includes(r.status), `${name}: ${r.status}`);
      else assert.equal(r.status, 422, `${what} with ${name}: ${r.status} ${JSON.stringify(r.body)}`);
      assert.ok(r.body?.error?.message, 'an error message');
    }
    assert.equal(await snapshot(), before);
  });
}

test('invalid UTF-8 in a JSON body is 400, never 500, nothing stored', async () => {
  const before = await snapshot();
  const c = await as('leader');
  for (const bytes of [[0xff], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xe4, 0xb8]]) {
    const body = Buffer.concat([Buffer.from('{"name":"坏'), Buffer.from(bytes), Buffer.from('","kind":"office"}')]);
    const res = await c.req('POST', '/api/v1/units', { body, headers: { 'content-type': 'application/json' } });
    assert.equal(res.status, 400, `bytes ${bytes.map((b) => b.toString(16))}`);
  }
  const lone = await c.req('POST', '/api/v1/units', { body: '{"name":"\\ud800坏","kind":"office"}', headers: { 'content-type': 'application/json' } });
  assert.ok([400, 422].includes(lone.status), `lone surrogate: ${lone.status}`);
  assert.equal(await snapshot(), before);
});

test('invalid UTF-8 in a form body is 400 or 422, never 500, nothing stored', async () => {
  const before = await snapshot();
  const c = await as('leader');
  for (const enc of ['%FF', '%C0%AF', '%ED%A0%80', '%E4%B8']) {
    const token = await c.pageCsrf('/units/new');
    const res = await c.req('POST', '/units/new', {
      body: `csrf=${token}&name=${encodeURIComponent('坏')}${enc}&kind=office`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' }, csrf: false,
    });
    assert.ok([400, 422].includes(res.status), `${enc}: ${res.status}`);
  }
  assert.equal(await snapshot(), before);
});

test('no request in this file made the server answer 500', () => {
  const lines = srv.log().split('\n').filter((l) => / 5\d\d [\d.]+ms/.test(l));
  assert.deepEqual(lines, []);
});
