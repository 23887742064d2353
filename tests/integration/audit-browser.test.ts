/// <reference lib="dom" />
import fs from 'fs';
import path from 'path';
import type { AddressInfo } from 'net';
import { type Browser, type Locator, type Page } from 'playwright-core';
import { launchChromium } from '../support/browser';
import { bootApp, createApiToken, type TestApp } from '../support/app';
import { graphql } from '../support/graphql';
import { aPerson, aUnit, unitId } from '../support/people';
import { eventually, eventuallyEqual } from '../support/eventually';

/**
 * 操作日志 and 办理记录 in Chromium at 1600×1000: an item submitted by a contributor, returned with a reason on the desk,
 * resubmitted, adopted, placed second in an issue, signed off. The editor filters 操作日志 to the item and sees its
 * timeline in order, opens the resubmission and sees the body's diff, exports the CSV; the item's edit view shows the
 * same timeline in its side panel; the contributor sees the return reason and the adoption in /reader/. Clicks and
 * typed entries are counted from the admin home; screenshots go to tests/artifacts/audit/. Needs the built admin.
 */

const ARTIFACTS = path.join(__dirname, '..', 'artifacts', 'audit');
const HEADLINE = '区人社局开展留痕浏览测试招聘月活动';
const REASON = '数据口径需与区统计局核对后重报';

let app: TestApp;
let browser: Browser;
let origin: string;
let itemId: string;
let issueName: string;
let signedOffIssueId: string;
let readerName: string;
let unreadName: string;
let username: string;
let clicks = 0;
let typed = 0;
const foreign: string[] = [];

beforeAll(async () => {
  app = await bootApp({ admin: true });
  await new Promise<void>((resolve) => app.strapi.server.httpServer.listen(0, '127.0.0.1', () => resolve()));
  origin = `http://127.0.0.1:${(app.strapi.server.httpServer.address() as AddressInfo).port}`;
  const office = await createApiToken(app.strapi, 'full-access');
  const role = await app.strapi.db.query('admin::role').findOne({ where: { code: 'bulletin-editor' } });
  await app.strapi.service('admin::user').create({
    email: 'audit-editor@example.gov.cn',
    firstname: '婕',
    lastname: '郝',
    password: 'Admin-pass-1',
    isActive: true,
    roles: [role.id],
  });
  const login = await app
    .http()
    .post('/admin/login')
    .send({ email: 'audit-editor@example.gov.cn', password: 'Admin-pass-1' });
  const editor = login.body.data.token as string;
  username = String(Date.now());
  const contributor = await aPerson(app, username, 'contributor', await unitId(app, '区人社局'));

  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
  const submitted = await app
    .http()
    .post('/api/items')
    .set(bearer(contributor.jwt))
    .send({ data: { headline: HEADLINE, body: '第一段。\n原来的第二段。\n第三段。' } });
  itemId = submitted.body.data.documentId;
  expect(
    (await app.http().post(`/bulletin-desk/items/${itemId}/return`).set(bearer(editor)).send({ reason: REASON }))
      .status,
  ).toBe(200);
  const resubmitted = await graphql(
    app,
    contributor.jwt,
    'mutation($id: ID!) { updateItem(documentId: $id, data: { body: "第一段。\\n核对后的第二段。\\n第三段。" }) { documentId } }',
    { id: itemId },
  );
  expect(resubmitted.errors).toEqual([]);
  expect((await app.http().post(`/bulletin-desk/items/${itemId}/adopt`).set(bearer(editor)).send({})).status).toBe(200);
  const first = await app.strapi.documents('api::item.item').create({
    data: {
      headline: '区委办的第一条',
      body: '正文',
      state: 'adopted',
      units: [(await unitId(app, '区委办')).documentId],
    } as never,
  });
  const issue = await app
    .http()
    .post('/api/issues?status=draft')
    .set(bearer(office))
    .send({ data: { date: '2022-03-01', issuer: (await unitId(app, '区委办')).documentId } });
  const issueId = issue.body.data.documentId as string;
  expect(
    (
      await app
        .http()
        .put(`/api/items/${first.documentId}`)
        .set(bearer(office))
        .send({ data: { issue: issueId, position: 1 } })
    ).status,
  ).toBe(200);
  expect(
    (
      await app
        .http()
        .put(`/api/items/${itemId}`)
        .set(bearer(office))
        .send({ data: { issue: issueId, position: 2 } })
    ).status,
  ).toBe(200);
  // Sent to a group holding one unit with two readers; one of them opens it: 阅读情况 lists one read, one not yet.
  const readersUnit = await aUnit(app, '留痕阅读单位');
  const group = await app.strapi
    .documents('api::recipient-group.recipient-group')
    .create({ data: { name: '留痕浏览范围', units: [readersUnit.documentId] } as never });
  readerName = `${username}r`;
  unreadName = `${username}u`;
  const reader = await aPerson(app, readerName, 'reader', readersUnit);
  await aPerson(app, unreadName, 'reader', readersUnit);
  expect(
    (
      await app
        .http()
        .put(`/api/issues/${issueId}`)
        .set(bearer(office))
        .send({ data: { editors: '郝婕', sendTo: [{ group: group.documentId }] } })
    ).status,
  ).toBe(200);
  signedOffIssueId = issueId;
  // The reader opens the signed-off issue once (the normal REST route): a first read.
  expect((await app.http().get(`/api/issues/${issueId}`).set(bearer(reader.jwt))).status).toBe(200);
  issueName = (
    (await app.strapi.db.query('api::issue.issue').findOne({ where: { documentId: issueId }, select: ['title'] })) as {
      title: string;
    }
  ).title;

  browser = await launchChromium();
  fs.mkdirSync(ARTIFACTS, { recursive: true });
}, 240000);

afterAll(async () => {
  await (browser as Browser | undefined)?.close();
  await (app as TestApp | undefined)?.close();
});

function watched(page: Page): Page {
  page.on('request', (request) => {
    const url = request.url();
    if (!url.startsWith(origin) && !url.startsWith('data:') && !url.startsWith('blob:') && !url.startsWith('about:'))
      foreign.push(url);
  });
  return page;
}

/** A new page (1600×1000, zh-CN, watched for requests leaving the app) signed in at the admin's login form. */
async function loggedIn(email: string, password: string): Promise<Page> {
  const page = watched(await browser.newPage({ viewport: { width: 1600, height: 1000 }, locale: 'zh-CN' }));
  await page.goto(`${origin}/admin/auth/login`);
  await page.fill('input[name=email]', email);
  await page.fill('input[name=password]', password);
  await page.click('button[type=submit]');
  await page.waitForURL((url) => !url.pathname.includes('/auth/'), { timeout: 60000 });
  return page;
}

async function click(target: Locator): Promise<void> {
  clicks += 1;
  await target.click();
}

const EXPECTED_STEPS = ['报送', '退回', '重新报送', '采用', '编入', '签发'];

test('操作日志 filtered to one item shows its timeline in order, the diff, the CSV; the edit view shows it too', async () => {
  const page = watched(
    await browser.newPage({ viewport: { width: 1600, height: 1000 }, locale: 'zh-CN', acceptDownloads: true }),
  );
  await page.goto(`${origin}/admin/auth/login`);
  await page.fill('input[name=email]', 'audit-editor@example.gov.cn');
  await page.fill('input[name=password]', 'Admin-pass-1');
  await page.click('button[type=submit]');
  await page.waitForURL((url) => !url.pathname.includes('/auth/'), { timeout: 60000 });

  clicks = 0;
  typed = 0;
  await click(page.locator('nav a[href$="/bulletin-audit"]').first());
  await page.locator('[data-view=entries]').waitFor();
  await page.screenshot({ path: path.join(ARTIFACTS, '01-audit-log.png'), fullPage: true });
  clicks += 1; // choosing 信息 in the select is one click
  await page.selectOption('#audit-type', 'item');
  typed += 1;
  await page.fill('#audit-documentName', '留痕浏览测试');
  await click(page.getByRole('button', { name: '查询' }));
  const timeline = page.locator('[data-view=history] [data-view=timeline] li');
  await timeline.first().waitFor();
  await expectSteps(timeline);
  expect(await timeline.nth(1).innerText()).toContain(`理由：${REASON}`);
  expect(await timeline.nth(4).innerText()).toContain(`编入${issueName}，第2条`);
  await page.screenshot({ path: path.join(ARTIFACTS, '02-filtered-to-item.png'), fullPage: true });
  // The list is of this one item already: no row offers to pick it.
  expect(await page.locator('[data-view=entries] [data-pick]').count()).toBe(0);
  const filterClicks = clicks;

  await click(page.locator('[data-view=entries] tr[data-action=submit]').first());
  const body = page.locator('[data-view=detail] tr[data-field=body]');
  await body.waitFor();
  expect(await body.locator('del').allInnerTexts()).toEqual(['原来的第二段。\n']);
  expect(await body.locator('ins').allInnerTexts()).toEqual(['核对后的第二段。\n']);
  // Who and how, in Chinese: the contributor came in with an account (账号), not "account".
  expect(await page.locator('[data-view=detail]').innerText()).toContain('方式：账号');
  await page.screenshot({ path: path.join(ARTIFACTS, '03-entry-diff.png'), fullPage: true });

  const download = page.waitForEvent('download');
  await click(page.getByRole('button', { name: '导出 CSV' }));
  const file = await (await download).path();
  const csv = fs.readFileSync(file, 'utf8');
  expect(csv.charCodeAt(0)).toBe(0xfeff);
  expect(csv.split('\r\n').filter((line) => line !== '')).toHaveLength(1 + 5); // header + the item's five entries
  const totalClicks = clicks;

  await page.goto(`${origin}/admin/content-manager/collection-types/api::item.item/${itemId}`);
  const panel = page.locator('[data-view=history-panel] li');
  await panel.first().waitFor({ timeout: 30000 });
  await expectSteps(panel);
  await page.screenshot({ path: path.join(ARTIFACTS, '04-item-edit-view-panel.png'), fullPage: true });
  await page.close();

  expect(foreign).toEqual([]);
  // Reported: clicks from the admin home to the item's timeline, and to the diff and CSV.
  process.stdout.write(
    `audit-browser: timeline after ${filterClicks} clicks and ${typed} typed entry; diff and CSV after ${totalClicks} clicks\n`,
  );
  expect(filterClicks).toBeLessThanOrEqual(3);
  expect(typed).toBe(1);
});

test('a document picked from the list: of two items the name matches, 只看此项 shows the one alone with its timeline', async () => {
  const stamp = Date.now().toString(36);
  const word = `选取测试${stamp}`;
  const unit = (await unitId(app, '区人社局')).documentId;
  const made: string[] = [];
  for (const headline of [`${word}第一条`, `${word}第二条`]) {
    const item = await app.strapi
      .documents('api::item.item')
      .create({ data: { headline, body: '正文。', units: [unit] } as never });
    await app.strapi
      .documents('api::item.item')
      .update({ documentId: item.documentId, data: { state: 'returned', returnReason: `退回${headline}` } as never });
    made.push(item.documentId);
  }
  const [, second] = made;
  const page = await loggedIn('audit-editor@example.gov.cn', 'Admin-pass-1');
  await page.goto(`${origin}/admin/bulletin-audit`);
  await page.locator('[data-view=entries]').waitFor();
  await page.selectOption('#audit-type', 'item');
  await page.fill('#audit-documentName', word);
  await page.getByRole('button', { name: '查询' }).click();
  const rows = page.locator('[data-view=entries] tbody tr');
  await eventuallyEqual(() => rows.count(), 4);
  // Two documents listed: no timeline yet.
  expect(await page.locator('[data-view=history]').count()).toBe(0);

  clicks = 0;
  await click(page.locator(`[data-view=entries] [data-pick="${second}"]`).first());
  const timeline = page.locator('[data-view=history] [data-view=timeline] li');
  await timeline.first().waitFor({ timeout: 30000 });
  await eventuallyEqual(() => rows.count(), 2);
  const shown = await rows.allInnerTexts();
  expect(shown.every((text) => text.includes(`${word}第二条`))).toBe(true);
  expect(await timeline.allInnerTexts()).toEqual([
    expect.stringContaining('报送'),
    expect.stringContaining(`理由：退回${word}第二条`),
  ]);
  expect(new URL(page.url()).searchParams.get('document')).toBe(second);
  // Picked, the document's own rows offer no picker of themselves; the filter names it by its headline.
  expect(await page.locator('[data-view=entries] [data-pick]').count()).toBe(0);
  expect(await page.locator('label.inline input').inputValue()).toBe(`${word}第二条`);
  await page.screenshot({ path: path.join(ARTIFACTS, '08-picked-document.png'), fullPage: true });
  expect(clicks).toBe(1);
  await page.close();
  expect(foreign).toEqual([]);
});

async function expectSteps(steps: Locator): Promise<void> {
  const labels = await steps.evaluateAll((items) =>
    items.map((item) => item.querySelector('strong, .what')?.textContent ?? ''),
  );
  expect(labels).toEqual(EXPECTED_STEPS);
}

test('the contributor sees the return reason and the adoption in /reader/', async () => {
  const reader = watched(await browser.newPage({ viewport: { width: 1100, height: 1200 } }));
  await reader.goto(`${origin}/reader/`);
  await reader.fill('#identifier', username);
  await reader.fill('#password', 'Pass-word-1');
  await reader.click('form.login button[type=submit]');
  await reader.waitForSelector('#nav:not([hidden])');
  clicks = 0;
  await click(reader.locator('#desk-link'));
  const row = reader.locator('[data-view=my-items] tr', { hasText: HEADLINE });
  await row.waitFor();
  await click(row.locator('button[data-action=history]'));
  const steps = reader.locator('[data-view=item-history] li');
  await steps.first().waitFor();
  const texts = await steps.allInnerTexts();
  await expectSteps(steps);
  expect(texts[1]).toContain(`理由：${REASON}`);
  expect(texts[3]).toContain('采用');
  await reader.screenshot({ path: path.join(ARTIFACTS, '05-reader-history.png'), fullPage: true });
  process.stdout.write(`audit-browser: contributor's history after ${clicks} clicks from /reader/\n`);
  expect(clicks).toBe(2);
  await reader.close();
  expect(foreign).toEqual([]);
});

test('the signer sees on the issue who of those it is sent to has read it, and who has not yet', async () => {
  const firstReadOf = async () =>
    app.strapi.db.connection('bulletin_first_read').where({ document_id: signedOffIssueId, reader_kind: 'account' });
  await eventually(firstReadOf, (rows) => rows.length === 1);
  const role = await app.strapi.db.query('admin::role').findOne({ where: { code: 'bulletin-signer' } });
  await app.strapi.service('admin::user').create({
    email: 'audit-signer@example.gov.cn',
    firstname: '签',
    lastname: '李',
    password: 'Signer-pass-1',
    isActive: true,
    roles: [role.id],
  });
  const page = await loggedIn('audit-signer@example.gov.cn', 'Signer-pass-1');
  await page.goto(`${origin}/admin/content-manager/collection-types/api::issue.issue/${signedOffIssueId}`);
  const panel = page.locator('[data-view=reading-panel]');
  await panel.locator('[data-view=reading-summary]').waitFor({ timeout: 30000 });
  expect(await panel.locator('[data-view=reading-summary]').innerText()).toBe('送达 2 个账号：已阅 1，未阅 1');
  expect(await panel.locator('[data-view=not-yet-read] li').allInnerTexts()).toEqual([`留痕阅读单位　${unreadName}`]);
  const read = await panel.locator('[data-view=has-read] li').allInnerTexts();
  expect(read).toHaveLength(1);
  expect(read[0]).toMatch(new RegExp(`^留痕阅读单位　${readerName}\\n\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}$`));
  await panel.screenshot({ path: path.join(ARTIFACTS, '06-issue-reading.png') });
  await page.screenshot({ path: path.join(ARTIFACTS, '07-issue-edit-view.png'), fullPage: true });
  await page.close();
  expect(foreign).toEqual([]);
});
