/// <reference lib="dom" />
import fs from 'fs';
import path from 'path';
import type { AddressInfo } from 'net';
import { type Browser, type Locator, type Page } from 'playwright-core';
import { launchChromium } from '../support/browser';
import { bootApp, createApiToken, type TestApp } from '../support/app';
import { unitId } from '../support/people';
import { eventuallyEqual } from '../support/eventually';
import { AdminJourney } from '../support/admin-journey';

/**
 * The editor's journey in the real admin, in Chromium at 1440×900, on a random port with no PUBLIC_URL: the issue
 * list, an issue opened, a new issue composed of five items picked and reordered by dragging, its footer, the preview,
 * and the signer's 签发. The printed order must be the dragged order, issues are named as printed, and no screen of the
 * journey shows a Latin-script word outside a short allow-list. Screenshots go to tests/artifacts/. Each test is a
 * whole journey of its own (composing and signing off are one), so they run alone and in any order.
 * Needs the built admin (dist/build): `npm test` builds it when it is missing or older than src/admin.
 */

const ARTIFACTS = path.join(__dirname, '..', 'artifacts', 'admin');
const ISSUE = 'api::issue.issue';
const HEADLINES = [
  '编排甲：区人社局开展春风行动',
  '编排乙：峡窝镇推进春耕备耕',
  '编排丙：区财政局兑现惠企资金',
  '编排丁：矿山街道开展环境整治',
  '编排戊：区文化馆举办线上展览',
];

let app: TestApp;
let browser: Browser;
let origin: string;
let apiToken: string;
let journey: AdminJourney;
const loggedIn = (email: string) => journey.loggedIn(email);
const click = (target: Locator) => journey.click(target);
const screen = (page: Page, name: string) => journey.screen(page, name);

async function anAdmin(email: string, roleCode: string): Promise<void> {
  const role = await app.strapi.db.query('admin::role').findOne({ where: { code: roleCode } });
  await app.strapi
    .service('admin::user')
    .create({ email, firstname: '婕', lastname: '郝', password: 'Admin-pass-1', isActive: true, roles: [role.id] });
}

beforeAll(async () => {
  app = await bootApp({ admin: true });
  await new Promise<void>((resolve) => app.strapi.server.httpServer.listen(0, '127.0.0.1', () => resolve()));
  origin = `http://127.0.0.1:${(app.strapi.server.httpServer.address() as AddressInfo).port}`;
  apiToken = await createApiToken(app.strapi, 'full-access');
  await anAdmin('editor@example.gov.cn', 'bulletin-editor');
  await anAdmin('signer@example.gov.cn', 'bulletin-signer');
  const units = ['区人社局', '峡窝镇', '区财政局', '矿山街道', '区文广旅局'];
  for (const [index, headline] of HEADLINES.entries()) {
    const unit = await unitId(app, units[index]).catch(async () => {
      const created = await app.strapi
        .documents('api::unit.unit')
        .create({ data: { shortName: units[index], kind: 'department', active: true } as never });
      return { id: created.id as number, documentId: created.documentId };
    });
    await app.strapi.documents('api::item.item').create({
      data: { headline, body: `${headline}。正文一段。`, units: [unit.documentId], state: 'adopted' } as never,
    });
  }
  browser = await launchChromium();
  journey = new AdminJourney(browser, origin, ARTIFACTS, { width: 1440, height: 900 });
}, 180000);

afterAll(async () => {
  await (browser as Browser | undefined)?.close();
  await (app as TestApp | undefined)?.close();
});

const issueUrl = (documentId = '') =>
  `${origin}/admin/content-manager/collection-types/${ISSUE}${documentId === '' ? '' : `/${documentId}`}`;

// What a test saw: reset before each, checked at the end of each (every test stands alone, in any order).
beforeEach(() => journey.reset());

describe('the editor’s journey', () => {
  test('the issue list names issues as printed; an issue opens under its printed name', async () => {
    const page = await loggedIn('editor@example.gov.cn');
    await screen(page, '01-home');
    await page.goto(issueUrl());
    await page.getByText('上街信息 2020年第14期').first().waitFor();
    await screen(page, '02-issue-list');
    await page.getByText('上街信息 2020年第14期').first().click();
    await page.getByRole('heading', { name: '上街信息 2020年第14期' }).waitFor();
    await screen(page, '03-issue-open');
    const items = await page.goto(`${origin}/admin/content-manager/collection-types/api::item.item`);
    expect(items?.status()).toBeLessThan(400);
    await page.getByText('区人社局开通创业担保贷款“绿色通道”').first().waitFor();
    await screen(page, '04-item-list');
    expect(await page.getByText('已采用').count()).toBeGreaterThan(0);
    expect(await page.getByText('上街信息 2020年第14期').count()).toBeGreaterThan(0);
    await page.close();
    journey.expectChineseAndLocal(4);
  });

  test('5 items in order, footer, preview: composed in a handful of clicks, the dragged order is the previewed order; the signer signs it off (签发) and the record prints that order', async () => {
    const page = await loggedIn('editor@example.gov.cn');
    await page.goto(issueUrl());
    journey.clicks = 0;
    await click(page.getByRole('link', { name: '新建条目' }).first());
    await page.getByRole('heading', { name: '新建条目' }).waitFor();
    await screen(page, '05-issue-create');

    // Pick the five items, in order, from the picker (adopted, unplaced ones are offered first, labelled).
    const picker = page.locator('input[role=combobox][name=items]');
    for (const headline of HEADLINES) {
      await click(picker);
      const option = page.getByRole('option', { name: new RegExp(`^${headline}（`) });
      if (headline === HEADLINES[0]) await screen(page, '06-item-picker');
      await click(option);
    }
    const listed = page.locator('ol', { has: page.getByText(HEADLINES[0], { exact: true }) }).locator('li');
    await eventuallyEqual(() => listed.count(), 5);

    // Drag the last to the top, by keyboard as the list allows (Space picks up, arrows move, Space drops).
    const handle = listed.filter({ hasText: HEADLINES[4] }).locator('[role=button]').first();
    await handle.focus();
    await page.keyboard.press('Space');
    for (let step = 0; step < 4; step += 1) await page.keyboard.press('ArrowUp');
    await page.keyboard.press('Space');
    const dragged = [HEADLINES[4], ...HEADLINES.slice(0, 4)];
    // Each entry reads 拖动 / headline / 移除 (its buttons' hidden labels): the headline is the line that is one.
    const order = async () =>
      (await listed.allInnerTexts()).map((text) =>
        text
          .split('\n')
          .map((line) => line.trim())
          .find((line) => HEADLINES.includes(line)),
      );
    await eventuallyEqual(order, dragged);
    await screen(page, '07-items-dragged');

    await click(page.getByRole('button', { name: '保存' }));
    await page
      .waitForURL((url) => !url.pathname.endsWith('/create'), { timeout: 30000 })
      .catch((error: unknown) => {
        throw journey.withRefused(error);
      });
    const composed = decodeURIComponent(new URL(page.url()).pathname.split('/').pop() ?? '');
    const saved = await app.strapi.db
      .query(ISSUE)
      .findOne({ where: { documentId: composed, publishedAt: null }, select: ['title', 'year', 'number'] });
    // Named as printed as soon as it exists, in the header.
    await page.getByRole('heading', { name: saved.title }).waitFor();
    expect(saved.title).toBe(`上街信息 ${saved.year}年第${saved.number}期`);
    await eventuallyEqual(order, dragged);

    // The footer came from the latest issue, each entry named by its group.
    await page.getByText('区县处级领导').first().scrollIntoViewIfNeeded();
    await screen(page, '08-footer');
    expect(await page.getByText('区县处级领导').count()).toBeGreaterThan(0);

    // Preview, framed from the admin's own origin (no PUBLIC_URL set).
    await click(
      page
        .getByRole('link', { name: '打开预览' })
        .or(page.getByRole('button', { name: '打开预览' }))
        .first(),
    );
    const frame = page.locator('iframe').first().contentFrame();
    await frame.getByText(dragged[0]).first().waitFor({ timeout: 30000 });
    const previewed = await frame.locator('[data-part=item] [data-part=headline]').allInnerTexts();
    expect(previewed.map((text) => text.trim())).toEqual(dragged);
    await screen(page, '09-preview');
    await page.close();

    // The signer signs it off.
    expect(composed).not.toBe('');
    const signer = await loggedIn('signer@example.gov.cn');
    await signer.goto(issueUrl(composed));
    const title = (
      await app.strapi.db
        .query(ISSUE)
        .findOne({ where: { documentId: composed, publishedAt: null }, select: ['title'] })
    ).title as string;
    await signer.getByRole('heading', { name: title }).waitFor();
    await screen(signer, '10-before-sign-off');
    await click(signer.getByRole('button', { name: '签发', exact: true }));
    // Signed off once the published row exists (the page's 已签发 tab is there before, so the database decides).
    const published = () =>
      app.strapi.db
        .query(ISSUE)
        .findOne({ where: { documentId: composed, publishedAt: { $notNull: true } }, select: ['year', 'number'] });
    await eventuallyEqual(async () => (await published()) !== null, true);
    // The side panel follows at once, without leaving the page: the sign-off in its history, the reading summary.
    await signer.locator('[data-view=history-panel] li[data-action=publish]').first().waitFor({ timeout: 15_000 });
    await screen(signer, '11-signed-off');
    const signed = await published();
    expect(signed).not.toBeNull();
    const record = await app
      .http()
      .get(`/api/bulletin/${encodeURIComponent('上街信息')}/${signed.year}/${signed.number}`)
      .set('Authorization', `Bearer ${apiToken}`);
    expect(record.status).toBe(200);
    expect(record.body.data.items.map((item: { headline: string }) => item.headline)).toEqual(dragged);
    fs.writeFileSync(
      path.join(ARTIFACTS, 'clicks.txt'),
      `5 items in order, footer, preview, sign off: ${journey.clicks} clicks\n`,
    );
    // 54 clicks before this work; the journey now takes the clicks counted above.
    expect(journey.clicks).toBeLessThanOrEqual(16);
    await signer.close();
    journey.expectChineseAndLocal(7);
  });
});
