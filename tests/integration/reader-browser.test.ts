/// <reference lib="dom" />
import fs from 'fs';
import path from 'path';
import type { AddressInfo } from 'net';
import { type Browser, type Page } from 'playwright-core';
import { launchChromium } from '../support/browser';
import { bootApp, createApiToken, type TestApp } from '../support/app';
import { aPerson, aUnit, unitId } from '../support/people';
import { REFERENCE_HEADLINES, PRINTED_ATTRIBUTIONS } from '../support/reference-expected';

/**
 * The front end at /reader/ in a real browser, as people use it: a reader logs in and reads the demo issue as it
 * prints; a reader it was not sent to sees nothing of it; a hostile item body stays text; a contributor sends an item,
 * sees it returned with the reason, edits and resubmits it, withdraws another. Nothing is requested from another origin.
 */

const ARTIFACTS = path.join(__dirname, '..', 'artifacts');
let app: TestApp;
let browser: Browser;
let origin: string;
let office: string;
const foreign: string[] = [];

beforeAll(async () => {
  app = await bootApp();
  await new Promise<void>((resolve) => app.strapi.server.httpServer.listen(0, '127.0.0.1', () => resolve()));
  origin = `http://127.0.0.1:${(app.strapi.server.httpServer.address() as AddressInfo).port}`;
  office = await createApiToken(app.strapi, 'full-access');
  const xiawo = await unitId(app, '峡窝镇');
  await aPerson(app, 'xiawo-reader', 'reader', xiawo);
  await aPerson(app, 'finance-reader', 'reader', await aUnit(app, '区财政局'));
  await aPerson(app, 'xiawo-contributor', 'contributor', xiawo);
  browser = await launchChromium();
  fs.mkdirSync(ARTIFACTS, { recursive: true });
}, 120000);

afterAll(async () => {
  await (browser as Browser | undefined)?.close();
  await (app as TestApp | undefined)?.close();
});

afterEach(() => {
  expect(foreign).toEqual([]);
});

async function loggedIn(username: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1100, height: 1400 } });
  page.on('request', (request) => {
    if (!request.url().startsWith(origin)) foreign.push(request.url());
  });
  page.on('dialog', (dialog) => void dialog.accept());
  await page.goto(`${origin}/reader/`);
  await page.fill('#identifier', username);
  await page.fill('#password', 'Pass-word-1');
  await page.click('form.login button[type=submit]');
  await page.waitForSelector('#nav:not([hidden])');
  return page;
}

const visible = (page: Page, selector: string) => page.locator(selector).allInnerTexts();

test('a reader logs in, finds the demo issue in their list and reads it as it prints', async () => {
  const page = await loggedIn('xiawo-reader');
  await page.waitForSelector('[data-view=list]');
  expect(await visible(page, '.year h2')).toEqual(['2020年']);
  await page.click('text=上街信息 第14期');
  await page.waitForSelector('[data-view=issue] [data-part=masthead]');

  expect(await visible(page, '[data-part=masthead]')).toEqual(['上街信息']);
  expect(await visible(page, '[data-part=issue-line]')).toEqual(['第14期']);
  expect(await visible(page, '[data-part=issuer]')).toEqual(['中共上街区委办公室']);
  expect(await visible(page, '[data-part=date]')).toEqual(['2020年2月19日']);
  expect(await visible(page, '[data-part=column]')).toEqual(['坚定信心 众志成城 坚决打赢疫情防控阻击战（七）']);
  expect(await visible(page, '[data-part=headline]')).toEqual(REFERENCE_HEADLINES);
  expect(await visible(page, '[data-part=attribution]')).toEqual(PRINTED_ATTRIBUTIONS);
  expect((await visible(page, '[data-part=footer-line]')).map((line) => line.replace(/\s+/g, ''))).toEqual([
    '本期送：区县处级领导',
    '发：峡窝镇、各街道办事处、区直各单位负责同志',
    '责任编辑：郝婕李德昭',
  ]);
  // The first item is the issuing office's own: no attribution printed after it.
  expect(await page.locator('[data-part=item]').first().locator('[data-part=attribution]').count()).toBe(0);
  await page.screenshot({ path: path.join(ARTIFACTS, 'reader-issue.png'), fullPage: true });
  await page.close();
});

test('a reader the issue was not sent to sees nothing of it', async () => {
  const page = await loggedIn('finance-reader');
  await page.waitForSelector('[data-state=empty]');
  expect(await page.locator('[data-state=empty]').innerText()).toContain('还没有发给您的简报');
  await page.goto(`${origin}/reader/#/issue/${encodeURIComponent('上街信息')}/2020/14`);
  await page.waitForSelector('[data-state=not-found]');
  expect(await page.locator('body').innerText()).not.toContain('我区召开新冠肺炎疫情防控领导小组会议');
  await page.close();
});

test('an expired or invalid login is said so, and leads back to the login form', async () => {
  const page = await loggedIn('xiawo-reader');
  await page.evaluate(() => localStorage.setItem('bulletin.reader.jwt', 'expired.token.value'));
  await page.reload();
  await page.waitForSelector('form.login', { timeout: 5000 }).catch(async (error: unknown) => {
    throw new Error(
      `${error instanceof Error ? error.message : String(error)}\n${await page.locator('body').innerText()}`,
    );
  });
  expect(await page.locator('form.login').innerText()).toContain('登录已过期');
  await page.close();
});

test('nothing an item contains runs as script in the reader', async () => {
  const issuer = await unitId(app, '区委办');
  const group = await app.strapi.db
    .query('api::recipient-group.recipient-group')
    .findOne({ where: { name: '峡窝镇' } });
  const issue = await app.strapi.documents('api::issue.issue').create({
    data: { date: '2020-03-09', issuer: issuer.documentId, distributeTo: [{ group: group.documentId }] } as never,
  });
  const payloads =
    '<script>window.__xss = 1</script> <img src=x onerror="window.__xss = 2"> "><svg onload="window.__xss=3">';
  await app.strapi.documents('api::item.item').create({
    data: {
      headline: `标题<img src=x onerror="window.__xss=4">`,
      body: `正文 ${payloads}`,
      units: [issuer.documentId],
      state: 'adopted',
      issue: issue.documentId,
      position: 1,
    } as never,
  });
  const published = await app.strapi.documents('api::issue.issue').publish({ documentId: issue.documentId });
  const number = (published.entries[0] as { number: number }).number;

  const page = await loggedIn('xiawo-reader');
  await page.goto(`${origin}/reader/#/issue/${encodeURIComponent('上街信息')}/2020/${number}`);
  await page.waitForSelector('[data-part=headline]');
  expect(await visible(page, '[data-part=headline]')).toEqual(['标题<img src=x onerror="window.__xss=4">']);
  expect((await visible(page, '[data-part=paragraph]'))[0]).toContain('<script>window.__xss = 1</script>');
  expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
  expect(await page.locator('[data-view=issue] img, [data-view=issue] svg, [data-view=issue] script').count()).toBe(0);
  await page.close();
});

test("the contributors' desk: send, see it returned with the reason, edit and resubmit, withdraw; errors next to their field", async () => {
  const page = await loggedIn('xiawo-contributor');
  await page.click('#desk-link');
  await page.waitForSelector('[data-view=new-item]', { timeout: 5000 }).catch(async (error: unknown) => {
    throw new Error(
      `${error instanceof Error ? error.message : String(error)}\n${await page.locator('body').innerText()}`,
    );
  });

  // The server's error is shown next to the field it names.
  await page.fill('#item-headline', '长'.repeat(201));
  await page.fill('#item-body', '正文。');
  await page.click('[data-view=new-item] button[type=submit]');
  await page.waitForSelector('[data-error-for=headline]:not(:empty)');
  expect(await page.locator('#item-headline').getAttribute('aria-invalid')).toBe('true');

  const send = async (headline: string) => {
    await page.fill('#item-headline', headline);
    await page.fill('#item-body', '峡窝镇开展防疫志愿服务，组织志愿者三百余人次。');
    await page.fill('#item-author', '张三');
    await page.fill('#item-phone', '0371-12345678');
    await page.click('[data-view=new-item] button[type=submit]');
    await page.locator('[data-view=my-items] tr', { hasText: headline }).waitFor();
  };
  await send('峡窝镇开展防疫志愿服务');
  await send('一条要撤回的信息');
  const row = (headline: string) => page.locator('[data-view=my-items] tr', { hasText: headline });
  expect(await row('峡窝镇开展防疫志愿服务').getAttribute('data-state')).toBe('submitted');

  // The office returns it with a reason.
  const item = await app.strapi.db.query('api::item.item').findOne({ where: { headline: '峡窝镇开展防疫志愿服务' } });
  const returned = await app
    .http()
    .put(`/api/items/${item.documentId}`)
    .set('Authorization', `Bearer ${office}`)
    .send({ data: { state: 'returned', returnReason: '请补充具体成效和数据' } });
  expect(returned.status).toBe(200);

  await page.reload();
  await page.waitForSelector('[data-view=my-items]');
  expect(await row('峡窝镇开展防疫志愿服务').getAttribute('data-state')).toBe('returned');
  expect(await row('峡窝镇开展防疫志愿服务').innerText()).toContain('退回原因：请补充具体成效和数据');

  await row('峡窝镇开展防疫志愿服务').locator('[data-action=edit]').click();
  await page.waitForSelector('[data-view=edit-item]');
  expect(await page.inputValue('#item-headline')).toBe('峡窝镇开展防疫志愿服务');
  await page.fill('#item-body', '峡窝镇开展防疫志愿服务，组织志愿者三百余人次，排查返乡人员一千二百人。');
  await page.click('[data-view=edit-item] button[type=submit]');
  await page.waitForSelector('[data-view=new-item]');
  expect(await row('峡窝镇开展防疫志愿服务').getAttribute('data-state')).toBe('submitted');
  const resubmitted = await app.strapi.db.query('api::item.item').findOne({ where: { documentId: item.documentId } });
  expect(resubmitted.body).toContain('一千二百人');

  await row('一条要撤回的信息').locator('[data-action=withdraw]').click();
  await page.locator('[data-view=my-items] tr[data-state=withdrawn]', { hasText: '一条要撤回的信息' }).waitFor();
  await page.screenshot({ path: path.join(ARTIFACTS, 'contributor-desk.png'), fullPage: true });
  await page.close();
});
