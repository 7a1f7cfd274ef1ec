// 05-enterprise-rating: an enterprise rates its patron 一般 on a phone, the leader sees the 督办意见.
//
// The leader issues this month's rating link on the office PC (企业包抓 → the enterprise →
// 生成本月评价链接); the enterprise opens it on a 360 px phone inside WeChat's browser, without
// an account, and taps 一般; the supervision opinion (督办意见) then waits in the leader's
// to-dos and on the enterprise's page, and the rating shows there.  Screenshots of every step
// are kept in tests/e2e/out/enterprise-rating/.
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

test('an enterprise rates its patron 一般 on a phone; the supervision opinion appears for the leader', async () => {
  const office = await openPage(chrome.browser, 'desk');
  const phone = await openPage(chrome.browser, 'phone',
    { userAgent: 'Mozilla/5.0 (Linux; Android 10) MicroMessenger/8.0' });
  const deskShot = shooter('enterprise-rating', 'desk');
  const phoneShot = shooter('enterprise-rating', 'phone');
  const name = '青禾养殖农民专业合作社';
  let url, entUrl;

  // 1. The leader issues the month's link for the enterprise.
  {
    const { page } = office;
    await signIn(page, 'leader');
    await page.click('a[href="/enterprises"]');
    await page.click(`#enterprises a:text-is("${name}")`);
    entUrl = page.url();
    await deskShot(page, 'enterprise');
    await page.click('button:text-is("生成本月评价链接")');
    await page.waitForLoadState('load');
    url = (await page.textContent('#rating-url')).trim();
    assert.match(url, /\/r\/[A-Za-z0-9_-]{43}$/);
    await deskShot(page, 'link');
  }

  // 2. The enterprise rates on a phone: four labelled buttons, 一般 tapped.
  {
    const { page } = phone;
    await page.goto(url);
    const labels = await page.locator('label.rate-btn').allTextContents();
    assert.deepEqual(labels.map((s) => s.trim()), ['满意', '基本满意', '一般', '不满意']);
    const wide = await page.evaluate(() => document.scrollingElement.scrollWidth);
    assert.ok(wide <= 360, `no sideways scrolling on a 360 px phone (${wide})`);
    await phoneShot(page, 'rating-page');
    await page.click('label.rate-btn:text-is("一般")');
    await page.fill('textarea', '希望包抓干部多来了解冷库用电的进展。');
    await phoneShot(page, 'chosen');
    await page.click('button.rate-submit');
    await page.waitForLoadState('load');
    assert.match(await page.textContent('main'), /感谢|已提交/);
    await phoneShot(page, 'thanks');
    // The link is spent: opening it again says so.
    const again = await page.goto(url);
    assert.equal(again.status(), 410);
  }

  // 3. The leader's to-dos hold the 督办意见; the enterprise page shows the rating.
  {
    const { page } = office;
    await page.goto(`${srv.url}/`);
    const row = page.locator('#todo-matters tr', { hasText: name });
    await row.first().waitFor();
    assert.match(await row.first().textContent(), /企业评价督办意见/);
    await deskShot(page, 'todos');
    await row.first().locator('a').click();
    await page.waitForLoadState('load');
    assert.match(await page.textContent('main'), /督办意见/);
    await deskShot(page, 'opinion');
    await page.goto(entUrl);
    assert.match(await page.textContent('#rating-list'), /一般/);
    assert.match(await page.textContent('#problem-list'), /督办意见/);
    await deskShot(page, 'enterprise-after');
  }
  // The spent link's 410 is the one error the browser may report.
  const problems = [...office.problems, ...phone.problems].filter((p) => !/status of 410/.test(p));
  assert.deepEqual(problems, []);
});
