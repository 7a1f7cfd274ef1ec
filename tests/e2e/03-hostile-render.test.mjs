// 03-hostile-render: stored and reflected hostile strings render as text in Chromium.
//
// Seeding is discovered, as in tests/http/20-hostile: each role crawls the site, and every
// free-text field of every POST form it finds is submitted (through the page form, as a
// browser would) with a script-bearing payload that fits the field's maxlength and carries
// a number.  Then each role's pages (and each GET form, with the payload in its text field:
// reflected input) are opened in headless Chromium with window.alert, confirm, prompt and
// print hooked before any page script runs, and listeners for dialogs, page errors, console
// errors and Content-Security-Policy violations.  The test asserts no hook fired, no CSP
// violation was reported, no element carries an event-handler attribute or is an inline
// script, and that a page holding a payload shows it as literal text.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../http/lib.mjs';
import { crawlForms, shapeOf, pairsOf, freeText, urlencoded, multipart, send } from '../http/lib-hostile.mjs';
import { launch } from './lib.mjs';

const srv = await startServer();
const chrome = await launch();
after(async () => {
  await chrome.close();
  await srv.stop();
});

// Payloads, longest first; each field gets the longest that fits its maxlength.
// "N" becomes the field's number, so a fired hook names the field it came from.
const PAYLOADS = [
  '"\'><img src=x onerror=alert(N)><script>alert(N)</script>',
  '</textarea><svg onload=confirm(N)>',
  '<img src=x onerror=prompt(N)>',
  '<svg onload=print(N)>',
  '<svg onload=alert()>',
  '<b>N</b>',
];
function payloadFor(n, max) {
  const all = PAYLOADS.map((p) => p.replace(/N/g, String(n)));
  return all.find((p, i) => i === (n % 3) && (!max || p.length <= max)) ?? all.find((p) => !max || p.length <= max);
}

const ROLES = ['leader', 'staff', 'village', 'sysadmin', 'auditor'];
const clients = {};
const seeded = [];   // { role, action, field, payload, status }
const getForms = [];
const seen = new Set();
let n = 0;
for (const role of [...ROLES, 'secadmin']) {
  const c = await srv.as(role);
  clients[role] = c;
  const { forms } = await crawlForms(c, { perShape: 1 });
  for (const { page, form } of forms) {
    const key = `${form.method} ${shapeOf(form.action)} ${form.fields.map((f) => f.name).join(',')}`;
    if (seen.has(key) || form.action === '/logout' || form.action === '/settings' || form.fields.some((f) => f.type === 'password')) continue;
    seen.add(key);
    if (form.method === 'get') { getForms.push({ role, page, form }); continue; }
    for (const field of form.fields.filter(freeText)) {
      n += 1;
      const payload = payloadFor(n, field.max);
      const pairs = pairsOf(form, field, Buffer.from(payload), c.csrf);
      const body = form.enctype === 'multipart/form-data' ? multipart(pairs) : { body: urlencoded(pairs), type: 'application/x-www-form-urlencoded' };
      const r = await send(c, 'POST', form.action, body.body, body.type);
      seeded.push({ role, action: form.action, field: field.name, payload, status: r.status });
    }
  }
}

// Hooks installed before any page script: a call is recorded, never shown.
const HOOKS = () => {
  window.__fired = [];
  for (const name of ['alert', 'confirm', 'prompt', 'print']) {
    window[name] = (...args) => { window.__fired.push(`${name}(${args.join(',')})`); };
  }
  document.addEventListener('securitypolicyviolation', (e) => {
    window.__fired.push(`csp ${e.violatedDirective} ${e.blockedURI} ${e.sample ?? ''}`);
  });
};

async function signedInPage(role) {
  const context = await chrome.browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  await context.addInitScript(HOOKS);
  if (role) {
    const { login, password } = srv.logins[role];
    const r = await context.request.post(`${srv.url}/api/v1/session`, { data: { login, password } });
    assert.equal(r.status(), 200, `sign-in as ${role}`);
  }
  const page = await context.newPage();
  const events = [];
  page.on('dialog', async (d) => { events.push(`dialog ${d.type()} ${d.message()}`); await d.dismiss(); });
  page.on('pageerror', (e) => events.push(`pageerror ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) events.push(`console ${m.text()}`); });
  return { context, page, events };
}

// What the DOM says after the page has settled.
const INSPECT = () => {
  const bad = [];
  for (const el of document.querySelectorAll('*')) {
    for (const a of el.attributes) {
      if (/^on/i.test(a.name)) bad.push(`<${el.localName} ${a.name}>`);
      if (/^\s*javascript:/i.test(a.value) && /^(href|src|action|formaction)$/i.test(a.name)) bad.push(`<${el.localName} ${a.name}=javascript:>`);
    }
    if (el.localName === 'script' && !el.src) bad.push('inline <script>');
    if (el.localName === 'iframe') bad.push('<iframe>');
  }
  // What a reader sees: the text, form controls' values, option labels, tooltips.
  const seen = [document.body ? document.body.innerText : ''];
  for (const el of document.querySelectorAll('input, textarea')) seen.push(el.value);
  for (const el of document.querySelectorAll('option, optgroup')) seen.push(el.label, el.textContent);
  for (const el of document.querySelectorAll('[title], [aria-label], [placeholder]')) seen.push(el.title, el.getAttribute('aria-label') ?? '', el.placeholder ?? '');
  seen.push(document.title);
  return { fired: window.__fired, bad, text: seen.join('\n') };
};

const visited = {};
async function visitAll(role, paths) {
  const { context, page, events } = await signedInPage(role);
  const problems = [];
  let shown = 0;
  for (const p of paths) {
    events.length = 0;
    const res = await page.goto(srv.url + p, { waitUntil: 'load' }).catch((e) => ({ error: e }));
    if (res?.error) { problems.push(`${p}: ${res.error.message.split('\n')[0]}`); continue; }
    await page.waitForTimeout(20);   // let an onload or a timer fire, if one were there
    const { fired, bad, text } = await page.evaluate(INSPECT);
    if (fired.length) problems.push(`${p}: fired ${fired.join('; ')}`);
    if (bad.length) problems.push(`${p}: ${[...new Set(bad)].join(', ')}`);
    if (events.length) problems.push(`${p}: ${events.join('; ')}`);
    // A payload stored on this page is on screen as the characters typed.
    const html = await page.content();
    if (/onerror=|onload=|<\/script>/.test(text)) shown += 1;
    else if (/&lt;(img|svg|script)/.test(html) && !/<(img|svg|script)/.test(text)) problems.push(`${p}: escaped markup in the source but not shown as text`);
  }
  visited[role ?? 'public'] = { pages: paths.length, shown };
  await context.close();
  return problems;
}

test('[S42] every free-text field of every form took a script payload', (t) => {
  const stored = seeded.filter((s) => s.status === 303);
  t.diagnostic(`${seeded.length} fields seeded from ${seen.size} distinct forms; ${stored.length} stored (303); statuses ${JSON.stringify(seeded.reduce((a, s) => ({ ...a, [s.status]: (a[s.status] ?? 0) + 1 }), {}))}`);
  assert.deepEqual(seeded.filter((s) => s.status >= 500), []);
  assert.ok(stored.length >= 20, 'most payloads were stored');
});

for (const role of [...ROLES, null]) {
  test(`[S42] as ${role ?? 'the public'}: every page with stored payloads runs no script and shows them as text`, async (t) => {
    let paths;
    if (role) {
      const { pages } = await crawlForms(clients[role], { perShape: role === 'leader' ? 2 : 1 });
      paths = [...pages].filter(([, html]) => html).map(([p]) => p);
    } else paths = ['/login', '/roster'];
    const problems = await visitAll(role, paths);
    t.diagnostic(`${paths.length} pages, ${visited[role ?? 'public'].shown} showing a payload as text`);
    assert.deepEqual(problems, []);
    if (role === 'leader') assert.ok(visited.leader.shown >= 10, 'the leader saw payloads on many pages');
  });
}

test('[S42] reflected: every GET form given a payload in its text fields runs no script', async (t) => {
  const problems = [];
  let count = 0;
  for (const { role, form } of getForms) {
    const paths = [];
    for (const field of form.fields.filter((f) => f.kind === 'text')) {
      const pairs = pairsOf(form, field, Buffer.from(PAYLOADS[0].replace(/N/g, '99')), '').filter(([k]) => k !== 'csrf');
      paths.push(`${form.action}?${urlencoded(pairs).toString('latin1')}`);
    }
    count += paths.length;
    problems.push(...await visitAll(role, paths));
  }
  t.diagnostic(`${getForms.length} GET forms, ${count} pages with the payload in the query`);
  assert.ok(count >= 3);
  assert.deepEqual(problems, []);
});
