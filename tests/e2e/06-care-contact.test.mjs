// 06-care-contact: a village cadre logs a contact with a care recipient from a 360 px phone,
// and the month's no-contact list shrinks by one.  Screenshots in tests/e2e/out/care-contact/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../http/lib.mjs';
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

const count = async (page) => Number(await page.textContent('#uncontacted-count'));
// Nothing wider than the phone: no sideways scrolling.
const fits = async (page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1);

test('a village cadre logs a contact from a phone and the no-contact list shrinks', async () => {
  const { page, problems } = await openPage(chrome.browser, 'phone');
  const shot = shooter('care-contact', 'phone');
  await signIn(page, 'village');

  // The home card leads to the month's no-contact list.
  await page.click('main a[href="/care/uncontacted"]');
  await page.waitForURL(`${srv.url}/care/uncontacted`);
  const before = await count(page);
  assert.ok(before > 0, 'the demo leaves some subjects uncontacted');
  assert.ok(await fits(page), 'the list fits a 360 px screen');
  await shot(page, 'uncontacted');

  // Open the first subject of the village table and log a visit.
  const first = page.locator('main a.chip').first();
  const name = (await first.textContent()).trim();
  await first.click();
  await page.waitForURL(/\/care\/\d+$/);
  assert.ok(await page.isVisible('text=本月未联系'));
  assert.ok(await fits(page), 'the subject page fits a 360 px screen');
  await shot(page, 'subject');
  await page.selectOption('select[name=way]', 'visit');
  await page.fill('textarea[name=note]', '入户看望，身体状况良好，宣传了森林防火和反电诈');
  await page.fill('textarea[name=follow_up]', '下月再访');
  await page.click('form:has(input[name=do][value=contact]) button[type=submit]');
  await page.waitForURL(/\/care\/\d+$/);
  assert.ok(await page.isVisible('text=入户看望，身体状况良好'));
  assert.equal(await page.isVisible('dd >> text=本月未联系'), false, 'contacted this month');
  await shot(page, 'logged');

  // Back to the list: one fewer, and not the one just contacted.
  await page.goto(`${srv.url}/care/uncontacted`);
  assert.equal(await count(page), before - 1);
  assert.equal(await page.locator('main a.chip', { hasText: name }).count(), 0);
  await shot(page, 'shrunk');
  assert.deepEqual(problems, []);
});
