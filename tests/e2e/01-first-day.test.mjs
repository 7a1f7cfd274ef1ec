// 01-first-day: a new cadre activates the account, signs in, registers a
// person, sees the phone masked, and signs out; on a phone and on a desk.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, json } from '../http/lib.mjs';
import { launch, openPage, shooter } from './lib.mjs';

let srv, chrome;
before(async () => {
  srv = await startServer();
  chrome = await launch();
});
after(async () => {
  await chrome?.close();
  await srv?.stop();
});

// The admins do their part through the API: create the account, grant a role.
async function newAccount(login) {
  const sys = await srv.as('sysadmin');
  const res = await sys.post('/api/v1/accounts', { login, roles: ['staff'] });
  assert.equal(res.status, 201);
  const acc = await json(res);
  const sec = await srv.as('secadmin');
  const g = await sec.post(`/api/v1/accounts/${acc.id}/roles`, { roles: ['staff'] });
  assert.equal(g.status, 200);
  return acc.activation_url;
}

for (const size of ['phone', 'desk']) {
  test(`first day at work (${size})`, async () => {
    const login = `xinren-${size}`;
    const password = `冬天来了 Snow-${size === 'phone' ? 7 : 9}!`;
    const url = (await newAccount(login)).replace(/^http:\/\/[^/]+/, srv.url);
    const shot = shooter('first-day', size);
    const { context, page, problems } = await openPage(chrome.browser, size,
      size === 'phone' ? { userAgent: 'Mozilla/5.0 (Linux; Android 10) MicroMessenger/8.0' } : {});

    await page.goto(url);
    await assert.doesNotReject(page.getByText(login).first().waitFor());
    await shot(page, 'activate');
    await page.fill('#password', password);
    await page.fill('#password2', password);
    await page.click('main button[type=submit]');
    await page.waitForURL(/\/login/);
    await shot(page, 'activated');

    await page.fill('#login', login);
    await page.fill('#password', password);
    await page.click('main button[type=submit]');
    await page.waitForURL(`${srv.url}/`);
    assert.equal(await page.locator('h1').textContent(), '我的待办');
    await shot(page, 'home');

    await page.click('nav >> text=人员');
    await page.waitForURL(/\/people$/);
    await page.click('text=登记人员');
    await page.waitForURL(/\/people\/new$/);
    await page.fill('input[name=name]', '马新民');
    await page.selectOption('select[name=sex]', 'M');
    await page.selectOption('select[name=village_id]', { label: '西渠村' });
    await page.fill('input[name=phone]', '100 2233 4455');
    await page.fill('input[name=address]', '西渠村二组');
    await shot(page, 'form');
    await page.click('main button[type=submit]');
    await page.waitForURL(/\/people\/\d+$/);
    const body = await page.locator('main').textContent();
    assert.match(body, /100\*\*\*\*4455/, 'the phone is shown masked');
    assert.doesNotMatch(body, /10022334455/, 'the full number is not on the page');
    assert.equal(await page.locator('h1').textContent().then((t) => t.trim().startsWith('马新民')), true);
    await shot(page, 'person');

    await page.click('text=退出');
    await page.waitForURL(/\/login/);
    await shot(page, 'signed-out');
    await page.goto(`${srv.url}/people`);
    await page.waitForURL(/\/login\?next=/);

    if (size === 'phone') {
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
      assert.equal(overflow, false, 'no horizontal scrolling at 360 px');
      const font = await page.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize));
      assert.ok(font >= 16, `base font ${font}px`);
    }
    assert.deepEqual(problems, []);
    await context.close();
  });
}
