// 02-petition-loop: a petition from the desk to close-out, in the browser.
//
// A staff cadre registers a petition on a phone-sized screen with a photo from the camera;
// the lead leader accepts it on the office PC; the resolver replies; the callback is logged;
// close-out is refused until the agreement (息访息诉协议) is uploaded; then it closes.
// Then the overdue view and the weekly submission.  Screenshots of every step are kept in tests/e2e/out/petition-loop/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, json } from '../http/lib.mjs';
import { launch, openPage, shooter, signInAs } from './lib.mjs';

// A 1x1 PNG, as a phone camera would hand over a (much larger) JPEG.
const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000' +
  '1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082', 'hex');

let srv, chrome;
const names = {};
before(async () => {
  srv = await startServer();
  chrome = await launch();
  for (const role of ['leader', 'staff']) {
    const c = await srv.as(role);
    names[role] = (await json(await c.get('/api/v1/me'))).user;
  }
});
after(async () => {
  await chrome?.close();
  await srv?.stop();
});

const signIn = (page, role) => signInAs(page, srv, role);

// Open an action's panel on the matter page and submit it.
async function doAction(page, label, fill = async () => {}) {
  const panel = page.locator('details.act', { has: page.locator(`summary:text-is("${label}")`) });
  await panel.locator('summary').click();
  await fill(panel);
  await panel.locator('button[type=submit]').click();
  await page.waitForLoadState('load');
}

test('a petition from the desk to close-out, the overdue view and the weekly submission', async () => {
  const desk = await openPage(chrome.browser, 'phone',
    { userAgent: 'Mozilla/5.0 (Linux; Android 10) MicroMessenger/8.0' });
  const office = await openPage(chrome.browser, 'desk');
  const phoneShot = shooter('petition-loop', 'phone');
  const deskShot = shooter('petition-loop', 'desk');
  let matterUrl;

  // 1. At the desk, on a phone: register with a photo.
  {
    const { page } = desk;
    await signIn(page, 'staff');
    await page.click('nav >> text=信访');
    await page.waitForURL(/\/matters$/);
    await page.click('text=信访登记');
    await page.waitForURL(/\/petitions\/new$/);
    await page.selectOption('select[name=form]', 'visit');
    await page.fill('input[name=title]', '三组灌溉渠道渗漏影响冬灌');
    await page.fill('textarea[name=body]', '村民反映三组灌溉渠道多处渗漏，冬灌无法进行，请求尽快维修。');
    await page.fill('input[name=p1_name]', '马测试');
    await page.selectOption('select[name=p1_sex]', 'M');
    await page.fill('input[name=p1_age]', '58');
    await page.fill('input[name=p1_phone]', '138 0000 0009');
    await page.selectOption('select[name=lead_id]', String(names.leader.person_id));
    await page.selectOption('select[name=resolver_id]', String(names.staff.person_id));
    await page.setInputFiles('input[name=photo]', { name: 'IMG_20261129.png', mimeType: 'image/png', buffer: PNG });
    await phoneShot(page, 'register-form');
    await page.click('main button[type=submit]');
    await page.waitForURL(/\/matters\/\d+$/);
    matterUrl = page.url();
    await assert.doesNotReject(page.getByText(/XF-\d{4}-\d{4}/).first().waitFor());
    assert.equal(await page.locator('.badge.state').textContent(), '已登记');
    assert.ok(await page.getByText('138****0009').count() > 0, 'the phone is masked');
    assert.equal(await page.locator('#attachments + .table-wrap tbody tr').count(), 1, 'the photo is on file');
    await phoneShot(page, 'registered');
  }

  // 2. The lead leader accepts it on the office PC.
  {
    const { page } = office;
    await signIn(page, 'leader');
    await assert.doesNotReject(page.getByText('三组灌溉渠道渗漏影响冬灌').first().waitFor(), 'in the leader\'s to-dos');
    await deskShot(page, 'leader-todos');
    await page.goto(matterUrl);
    await doAction(page, '受理');
    assert.equal(await page.locator('.badge.state').textContent(), '办理中');
    await assert.doesNotReject(page.getByText('办结期限').first().waitFor());
    await deskShot(page, 'accepted');
  }

  // 3. The resolver replies and logs the callback (回访), on the phone.
  {
    const { page } = desk;
    await page.goto(matterUrl);
    await doAction(page, '答复', (p) => p.locator('textarea[name=note]').fill('已协调水管站维修渗漏段，书面答复信访人。'));
    assert.equal(await page.locator('.badge.state').textContent(), '已答复');
    await doAction(page, '回访', (p) => p.locator('textarea[name=note]').fill('电话回访，信访人对处理结果表示满意。'));
    assert.equal(await page.locator('.badge.state').textContent(), '已回访');
    await phoneShot(page, 'called-back');
  }

  // 4. Close-out is refused without the agreement, then done once it is uploaded.
  {
    const { page } = office;
    await page.goto(matterUrl);
    await doAction(page, '销号', (p) => p.locator('select[name=closing]').selectOption('commitment'));
    const alert = page.locator('[role=alert]');
    await assert.doesNotReject(alert.first().waitFor());
    assert.match(await alert.first().textContent(), /息访息诉协议/);
    await deskShot(page, 'close-refused');
    await page.goto(matterUrl);
    assert.equal(await page.locator('.badge.state').textContent(), '已回访', 'nothing changed');
    await page.selectOption('select[name=kind]', 'agreement');
    await page.setInputFiles('input[name=file]', { name: '息访息诉协议.png', mimeType: 'image/png', buffer: PNG });
    await page.locator('form[enctype="multipart/form-data"] button[type=submit]').click();
    await page.waitForLoadState('load');
    await assert.doesNotReject(page.getByText('息访息诉协议.png').first().waitFor());
    await doAction(page, '销号', (p) => p.locator('select[name=closing]').selectOption('commitment'));
    assert.equal(await page.locator('.badge.state').textContent(), '已销号');
    const steps = await page.locator('.timeline li strong').allTextContents();
    for (const s of ['登记', '受理', '答复', '回访', '销号']) assert.ok(steps.includes(s), `timeline: ${s}`);
    await deskShot(page, 'closed');
  }

  // 5. The overdue view: a petition received 20 days ago and never accepted shows red.
  {
    const c = await srv.as('leader');
    const day = new Date(Date.now() + 8 * 3600e3 - 20 * 86400e3).toISOString().slice(0, 10);
    const r = await c.post('/api/v1/matters', { type: 'petition', title: '宅基地边界纠纷久拖未受理', source: 'letter',
      details: { received_at: day, petitioners: [{ name: '李测试' }] } });
    assert.equal(r.status, 201);
    const { page } = office;
    await page.goto(`${srv.url}/matters`);
    await page.check('input[name=overdue]');
    await page.click('form.filters button[type=submit]');
    await page.waitForURL(/overdue=1/);
    const rows = page.locator('table.ledger tbody tr');
    assert.ok(await rows.count() >= 1);
    assert.equal(await rows.first().getAttribute('class'), 'u-overdue');
    const bg = await rows.first().locator('td').first().evaluate((el) => getComputedStyle(el).backgroundColor);
    assert.notEqual(bg, 'rgba(0, 0, 0, 0)', 'the overdue row is coloured');
    await assert.doesNotReject(page.getByText(/超期\d+天/).first().waitFor());
    await deskShot(page, 'overdue');
  }

  // 6. The weekly submission (每周五12:00前): the station submits its ledger from the phone;
  //    the leader sees it on the board.
  {
    const { page } = desk;
    await page.goto(`${srv.url}/weekly`);
    const mine = page.locator('section.weekly-mine').first();
    await assert.doesNotReject(mine.waitFor());
    assert.ok(await mine.locator('table.ledger tbody tr').count() >= 1, 'the ledger preview');
    await mine.locator('textarea[name=note]').fill('本周新受理信访1件，已全部按期办理。');
    await phoneShot(page, 'weekly-before');
    await mine.locator('button[type=submit]').click();
    // Submitted: the frozen snapshot of the ledger as sent.
    await page.waitForURL(/\/weekly\/\d+$/);
    await assert.doesNotReject(page.getByText('按时报送').first().waitFor());
    assert.ok(await page.locator('table.ledger tbody tr').count() >= 1, 'the frozen rows');
    await phoneShot(page, 'weekly-submitted');
  }
  {
    const { page } = office;
    await page.goto(`${srv.url}/weekly`);
    const row = page.locator('#board tbody tr', { hasText: '司法所' });
    await assert.doesNotReject(row.first().waitFor());
    assert.match(await row.first().textContent(), /本周新受理信访1件/);
    assert.ok(!/未报送|待报送/.test(await row.first().locator('td').nth(2).textContent()), 'the station has submitted');
    await deskShot(page, 'weekly-board');
  }

  assert.deepEqual(desk.problems, []);
  // The refused close-out is the one 422 the browser saw (and reported in its console).
  assert.deepEqual(office.problems.filter((p) => !/status of 422/.test(p)), []);
  assert.equal(office.problems.length, 1);
  await desk.context.close();
  await office.context.close();
});
