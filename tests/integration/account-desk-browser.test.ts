import fs from 'fs';
import path from 'path';
import { randomBytes } from 'crypto';
import type { AddressInfo } from 'net';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../support/browser';
import { bootApp, type TestApp } from '../support/app';
import { aUnit } from '../support/people';
import { generatePassword } from '../../src/domain/accounts';

/**
 * The 账号 page in the real admin in Chromium: an editor imports a 3-line CSV (preview, then confirm), sees the three
 * one-time passwords once — closed, they are gone and the page cannot show them again — and one of the new
 * contributors logs in at /reader/ with hers. Screenshots go to tests/artifacts/accounts/. Needs the built admin
 * (dist/build); nothing is loaded from outside the app.
 */

const ARTIFACTS = path.join(__dirname, '..', 'artifacts', 'accounts');
let app: TestApp;
let browser: Browser;
let origin: string;
const editorEmail = 'accounts-editor@example.gov.cn';
const editorPassword = generatePassword(randomBytes);
const foreign: string[] = [];
let unit = '';

beforeAll(async () => {
  app = await bootApp({ admin: true });
  await new Promise<void>((resolve) => app.strapi.server.httpServer.listen(0, '127.0.0.1', () => resolve()));
  origin = `http://127.0.0.1:${(app.strapi.server.httpServer.address() as AddressInfo).port}`;
  const role = await app.strapi.db.query('admin::role').findOne({ where: { code: 'bulletin-editor' } });
  await app.strapi.service('admin::user').create({
    email: editorEmail,
    firstname: '婕',
    lastname: '郝',
    password: editorPassword,
    isActive: true,
    roles: [role.id],
  });
  unit = '账号浏览器测试局';
  await aUnit(app, unit);
  browser = await launchChromium();
  fs.mkdirSync(ARTIFACTS, { recursive: true });
}, 600000);

afterAll(async () => {
  await (browser as Browser | undefined)?.close();
  await (app as TestApp | undefined)?.close();
});

async function newPage(): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1100 } });
  page.on('request', (request) => {
    const url = request.url();
    if (!url.startsWith(origin) && !/^(data|blob|about):/u.test(url)) foreign.push(url);
  });
  return page;
}

test('an editor imports a 3-line CSV, sees the one-time passwords once, and one of them logs in at /reader/', async () => {
  const page = await newPage();
  await page.goto(`${origin}/admin/auth/login`);
  await page.fill('input[name=email]', editorEmail);
  await page.fill('input[name=password]', editorPassword);
  await page.click('button[type=submit]');
  await page.waitForURL((url) => !url.pathname.includes('/auth/'), { timeout: 60000 });

  // The menu link, in Chinese.
  await page.getByRole('link', { name: '账号' }).click();
  await page.getByRole('heading', { name: '账号', level: 1 }).waitFor();

  const csv = [
    'username,email,unit,role',
    `web-li,web-li@example.gov.cn,${unit},信息员`,
    `web-zhao,web-zhao@example.gov.cn,${unit},contributor`,
    'web-sun,web-sun@example.gov.cn,,阅读人',
  ].join('\n');
  await page.getByLabel('CSV 内容').fill(csv);
  await page.getByRole('button', { name: '预览' }).click();
  await page.getByText('3 个账号无误，确认后创建').waitFor();
  await page.screenshot({ path: path.join(ARTIFACTS, '01-preview.png'), fullPage: true });
  // Nothing is created by the preview.
  expect(
    await app.strapi.db.query('plugin::users-permissions.user').count({ where: { username: { $startsWith: 'web-' } } }),
  ).toBe(0);

  await page.getByRole('button', { name: '确认导入 3 个账号' }).click();
  const panel = page.getByRole('region', { name: '初始密码（只显示这一次）' });
  await panel.waitFor();
  const rows = await panel.locator('tbody tr').allInnerTexts();
  expect(rows).toHaveLength(3);
  const passwords = await panel.locator('[data-password=true]').allInnerTexts();
  expect(passwords).toHaveLength(3);
  for (const password of passwords) expect(password).toMatch(/^[A-Za-z2-9]{16}$/u);
  expect(rows[0]).toContain('web-li');
  await page.screenshot({ path: path.join(ARTIFACTS, '02-one-time-passwords.png'), fullPage: true });

  // The list shows the three with unit and role.
  const listed = await page.locator('tr', { hasText: 'web-zhao' }).last().innerText();
  expect(listed).toContain('信息员');
  expect(listed).toContain(unit);

  // Closed, the passwords are gone and the page shows them nowhere, not even after a reload.
  await page.getByRole('button', { name: '我已记下，关闭' }).click();
  await panel.waitFor({ state: 'detached' });
  expect(await page.content()).not.toContain(passwords[0]);
  await page.reload();
  await page.locator('tr', { hasText: 'web-sun' }).first().waitFor();
  expect(await page.content()).not.toContain(passwords[0]);
  await page.screenshot({ path: path.join(ARTIFACTS, '03-list.png'), fullPage: true });
  await page.close();

  // web-li logs in at /reader/ with her one-time password.
  const reader = await newPage();
  await reader.goto(`${origin}/reader/`);
  await reader.fill('#identifier', 'web-li');
  await reader.fill('#password', passwords[0]);
  await reader.click('form.login button[type=submit]');
  await reader.waitForSelector('#nav:not([hidden])');
  await reader.screenshot({ path: path.join(ARTIFACTS, '04-reader-logged-in.png'), fullPage: true });
  await reader.close();
  expect(foreign).toEqual([]);
}, 300000);
