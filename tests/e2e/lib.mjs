// lib.mjs: headless Debian chromium through playwright-core, with screenshots per step.
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../http/lib.mjs';

export const OUT = join(ROOT, 'tests', 'e2e', 'out');

export const SIZES = {
  phone: { width: 360, height: 640 },
  desk: { width: 1280, height: 800 },
};

// A browser as the architecture notes prescribe: no sandbox (root in CI),
// no background networking (the machine has no internet).  Playwright gives
// every launch a fresh temporary profile of its own.
export async function launch() {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    browser,
    close: () => browser.close(),
  };
}

// A page at one size that records script errors, dialogs and alert() calls:
// a journey fails if any page ran a script it should not have.
export async function openPage(browser, size, { userAgent } = {}) {
  const context = await browser.newContext({
    viewport: SIZES[size], locale: 'zh-CN', timezoneId: 'Asia/Shanghai',
    userAgent,
  });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('dialog', async (d) => {
    if (d.type() === 'confirm') { await d.accept(); return; }
    problems.push(`dialog: ${d.type()} ${d.message()}`);
    await d.dismiss();
  });
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  return { context, page, problems };
}

// Screenshot a step: tests/e2e/out/<journey>/<size>-<NN>-<step>.png
export function shooter(journey, size) {
  const dir = join(OUT, journey);
  mkdirSync(dir, { recursive: true });
  let n = 0;
  return async (page, step) => {
    n += 1;
    const file = join(dir, `${size}-${String(n).padStart(2, '0')}-${step}.png`);
    await page.screenshot({ path: file, fullPage: true });
    return file;
  };
}

// Sign in through the page as one of the demo roles, and land on the home page.
export async function signInAs(page, srv, role) {
  const who = srv.logins[role];
  await page.goto(`${srv.url}/login`);
  await page.fill('#login', who.login);
  await page.fill('#password', who.password);
  await page.click('main button[type=submit]');
  await page.waitForURL(`${srv.url}/`);
}
