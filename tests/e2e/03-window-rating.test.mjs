// 03-window-rating: a citizen rates a window from a 360 px phone through the posted QR link (a bad
// review); the rectification (差评整改) appears in the window lead's to-dos on the office PC; the
// lead reports the rectification, logs the callback (回访) and hands over the re-rating link; the
// citizen's re-rating closes it.  Screenshots of every step: tests/e2e/out/window-rating/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, json } from '../http/lib.mjs';
import { launch, openPage, shooter, signInAs } from './lib.mjs';

let srv, chrome;
before(async () => {
  srv = await startServer();
  chrome = await launch();
});
after(async () => {
  await chrome?.close();
  await srv?.stop();
});

const signIn = (page, role) => signInAs(page, srv, role);

async function doAction(page, label, fill = async () => {}) {
  const panel = page.locator('details.act', { has: page.locator(`summary:text-is("${label}")`) });
  await panel.locator('summary').click();
  await fill(panel);
  await panel.locator('button[type=submit]').click();
  await page.waitForLoadState('load');
}

// No sideways scrolling on a 360 px screen.
async function fits(page) {
  const w = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(w <= 360, `page is ${w}px wide`);
}

test('a bad review from the phone → rectification in the lead\'s to-dos → callback and re-rating close it', async () => {
  // The window, led by the leader; a finished request at it (set up through the API).
  const L = await srv.as('leader');
  const me = (await json(await L.get('/api/v1/me'))).user;
  const people = (await json(await L.get('/api/v1/people?kind=cadre'))).items.filter((x) => x.kind === 'cadre');
  let r = await L.post('/api/v1/windows', { name: '不动产登记窗口', items: '不动产登记代办', lead_id: me.person_id, a_id: people[3].id, b_id: people[4].id });
  assert.equal(r.status, 201);
  const wid = (await json(r)).id;
  r = await L.post(`/api/v1/windows/${wid}/records`, { item: '宅基地确权登记代办', citizen: '测试群众' });
  const rec = await json(r);
  const code = (await json(await L.get(`/api/v1/windows/${wid}`))).code;

  const phone = await openPage(chrome.browser, 'phone');
  const shotP = shooter('window-rating', 'phone');
  const p = phone.page;
  // The posted QR code leads to /w/<code>; the citizen types the evaluation code.
  await p.goto(`${srv.url}/w/${code}`);
  await fits(p);
  await shotP(p, 'window-qr-page');
  await p.fill('#eval_code', rec.eval_code);
  await p.click('main button[type=submit]');
  await p.waitForURL(/\/r\/[A-Za-z0-9_-]{43}$/);
  await fits(p);
  await shotP(p, 'rating-page');
  // The reason picker shows only for a bad level.
  assert.equal(await p.locator('#rs0').isVisible(), false);
  await p.click('label[for="lv0-2"]');
  assert.equal(await p.locator('#rs0').isVisible(), true, 'reasons appear for 不满意');
  await p.selectOption('#rs0', 'runs');
  await p.click('label[for="lv1-4"]');
  assert.equal(await p.locator('#rs1').isVisible(), false, 'no reasons for 满意');
  await p.fill('#cm0', '材料跑了三趟');
  const box = await p.locator('label[for="lv0-5"]').boundingBox();
  assert.ok(box.height >= 44 && box.width >= 300, `big buttons (${box.width}x${box.height})`);
  await shotP(p, 'bad-review-chosen');
  await p.click('.rate-submit');
  await p.waitForURL(`${srv.url}/r/thanks`);
  await shotP(p, 'thanks');
  assert.deepEqual(phone.problems, []);

  // The window lead sees the rectification in the to-dos on the office PC.
  const desk = await openPage(chrome.browser, 'desk');
  const shotD = shooter('window-rating', 'desk');
  const d = desk.page;
  await signIn(d, 'leader');
  const todo = d.locator('#todo-matters a', { hasText: '不动产登记窗口' });
  await todo.first().waitFor();
  assert.match(await todo.first().textContent(), /^ZG-\d{4}-\d{4} 窗口服务差评整改：不动产登记窗口/);
  assert.equal(await todo.count(), 1, 'one rectification for the record');
  await shotD(d, 'todo');
  await todo.first().click();
  await d.waitForURL(/\/matters\/\d+$/);
  const matterUrl = d.url();
  assert.match(await d.locator('main').textContent(), /整改中/);
  await shotD(d, 'rectification');
  await doAction(d, '答复', (x) => x.locator('textarea[name=note]').fill('已实行材料一次性告知，窗口公示办事指南。'));
  assert.match(await d.locator('main').textContent(), /已整改待回访/);
  // The callback, from the record's page, gives the re-rating link.
  await d.goto(`${srv.url}/records/${rec.id}`);
  await d.fill('#cb-note', '电话回访，群众认可整改措施。');
  await d.click('form[action$="/callback"] button[type=submit]');
  await d.waitForLoadState('load');
  const url = (await d.locator('#rating-url').textContent()).trim();
  assert.match(url, /\/r\/[A-Za-z0-9_-]{43}$/);
  await shotD(d, 'rerate-link');

  // The citizen re-rates on the phone: 满意 closes it.
  await p.goto(url);
  await fits(p);
  await p.click('label[for="lv0-4"]');
  await shotP(p, 're-rating');
  await p.click('.rate-submit');
  await p.waitForURL(`${srv.url}/r/thanks`);
  await d.goto(matterUrl);
  assert.match(await d.locator('main').textContent(), /已销号/);
  await shotD(d, 'closed');
  assert.deepEqual(desk.problems, []);
  assert.deepEqual(phone.problems, []);
});
