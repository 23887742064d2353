/// <reference lib="dom" />
import fs from 'fs';
import os from 'os';
import { execFileSync } from 'child_process';
import path from 'path';
import type { AddressInfo } from 'net';
import { type Browser, type Locator, type Page } from 'playwright-core';
import { launchChromium } from '../support/browser';
import { bootApp, createApiToken, type TestApp } from '../support/app';
import { aPerson, unitId } from '../support/people';
import { eventuallyEqual } from '../support/eventually';
import { AdminJourney } from '../support/admin-journey';

/**
 * The office's week on the compose desk (编排), in the real admin in Chromium at 1600×1000: review (adopt two, return
 * one with a reason), compose five adopted items into the next issue in a chosen order (buttons, a drag, the
 * keyboard) with the usual footer, the live preview, sign off as a signer; an editor cannot sign off; unit staff see
 * no desk. Clicks and typed entries are counted from the admin home; screenshots go to tests/artifacts/desk/; no
 * screen shows a Latin-script word outside a short allow-list. Needs the built admin (dist/build).
 */

const ARTIFACTS = path.join(__dirname, '..', 'artifacts', 'desk');
const ISSUE = 'api::issue.issue';
const ITEM = 'api::item.item';

let app: TestApp;
let browser: Browser;
let origin: string;
let apiToken: string;
let journey: AdminJourney;
const loggedIn = (email: string) => journey.loggedIn(email);
const click = (target: Locator) => journey.click(target);
const type = (target: Locator, text: string) => journey.type(target, text);
const screen = (page: Page, name: string) => journey.screen(page, name);

async function anAdmin(email: string, roleCodes: string[]): Promise<number> {
  const roles = await app.strapi.db.query('admin::role').findMany({ where: { code: { $in: roleCodes } } });
  const user = await app.strapi.service('admin::user').create({
    email,
    firstname: '婕',
    lastname: '郝',
    password: 'Admin-pass-1',
    isActive: true,
    roles: roles.map((role: { id: number }) => role.id),
  });
  return user.id;
}

async function unitRef(shortName: string): Promise<{ id: number; documentId: string }> {
  return unitId(app, shortName).catch(async () => {
    const created = await app.strapi
      .documents('api::unit.unit')
      .create({ data: { shortName, kind: 'department', active: true } as never });
    return { id: created.id as number, documentId: created.documentId };
  });
}
const unit = async (shortName: string): Promise<string> => (await unitRef(shortName)).documentId;

async function anItem(
  headline: string,
  shortName: string,
  state: 'submitted' | 'adopted',
  submittedBy?: number,
): Promise<string> {
  const data = {
    headline,
    body: `${headline}。正文第一段。\n\n正文第二段。`,
    units: [await unit(shortName)],
    state,
    ...(submittedBy === undefined ? {} : { submittedBy }),
  };
  const created = await app.strapi.documents(ITEM).create({ data: data as never });
  return created.documentId;
}

beforeAll(async () => {
  app = await bootApp({ admin: true });
  await new Promise<void>((resolve) => app.strapi.server.httpServer.listen(0, '127.0.0.1', () => resolve()));
  origin = `http://127.0.0.1:${(app.strapi.server.httpServer.address() as AddressInfo).port}`;
  apiToken = await createApiToken(app.strapi, 'full-access');
  await anAdmin('editor@example.gov.cn', ['bulletin-editor']);
  await anAdmin('head@example.gov.cn', ['bulletin-editor', 'bulletin-signer']);
  const other = await app.strapi.db.query('admin::role').findOne({ where: { code: 'bulletin-editor' } });
  await app.strapi.service('admin::user').create({
    email: 'li@example.gov.cn',
    firstname: '明',
    lastname: '李',
    password: 'Admin-pass-1',
    isActive: true,
    roles: [other.id],
  });
  const staff = await anAdmin('hrss@example.gov.cn', ['bulletin-unit-staff']);
  await app.strapi
    .documents('api::unit.unit')
    .update({ documentId: await unit('区人社局'), data: { adminUsers: { connect: [{ id: staff }] } } as never });
  browser = await launchChromium();
  journey = new AdminJourney(browser, origin, ARTIFACTS, { width: 1600, height: 1000 });
}, 180000);

afterAll(async () => {
  await (browser as Browser | undefined)?.close();
  await (app as TestApp | undefined)?.close();
});

beforeEach(() => journey.reset());

const deskLink = (page: Page) => page.locator('nav a[href$="/bulletin-desk"]').first();
const card = (page: Page, part: 'queue' | 'tray', headline: string) =>
  page.locator(`[data-part=${part}] li[data-item="${headline}"]`);
const composed = (page: Page) => page.locator('[data-part=composed] li');
const printedOrder = async (documentId: string) =>
  (
    (await app.strapi.db
      .query(ITEM)
      .findMany({ where: { issue: { documentId } }, select: ['headline'], orderBy: { position: 'asc' } })) as {
      headline: string;
    }[]
  ).map((item) => item.headline);
const composedOrder = async (page: Page) =>
  composed(page).evaluateAll((rows) => rows.map((row) => row.getAttribute('data-item')));

describe('the compose desk', () => {
  test('review: adopt two in one click each, return one with a reason in a dialog; the contributor sees the reason at /reader/', async () => {
    const queued = ['审核甲：区人社局开展招聘月活动', '审核乙：峡窝镇完成河道清淤', '审核丙：区财政局简化报销流程'];
    // The third is sent by a contributor of 区财政局 through the front end's account.
    // A user name of digits: the queue shows it as the submitter, and the screen must stay free of Latin words.
    const username = String(Date.now());
    const contributor = await aPerson(app, username, 'contributor', await unitRef('区财政局'));
    const ids = [
      await anItem(queued[0], '区人社局', 'submitted'),
      await anItem(queued[1], '峡窝镇', 'submitted'),
      await anItem(queued[2], '区财政局', 'submitted', contributor.id),
    ];
    const page = await loggedIn('editor@example.gov.cn');
    await screen(page, '01-home');
    await click(deskLink(page));
    await card(page, 'queue', queued[0]).waitFor();
    await screen(page, '02-desk-queue');

    await click(card(page, 'queue', queued[0]).getByRole('button', { name: '采用' }));
    await card(page, 'tray', queued[0]).waitFor();
    await click(card(page, 'queue', queued[1]).getByRole('button', { name: '采用' }));
    await card(page, 'tray', queued[1]).waitFor();

    await click(card(page, 'queue', queued[2]).getByRole('button', { name: '退回' }));
    const dialog = page.getByRole('alertdialog');
    await dialog.waitFor();
    // The reason is required: confirming without one is refused in the dialog, nothing is sent.
    await click(dialog.getByRole('button', { name: '确认退回' }));
    await dialog.getByText('请填写退回理由').waitFor();
    await type(dialog.locator('textarea'), '数据口径需与区统计局核对后重报');
    await screen(page, '03-return-dialog');
    await click(dialog.getByRole('button', { name: '确认退回' }));
    await dialog.waitFor({ state: 'hidden' });
    await page.getByText(`已退回：${queued[2]}`).waitFor();
    await screen(page, '04-reviewed');

    const states = async () =>
      Promise.all(
        ids.map(
          async (documentId) =>
            (await app.strapi.db.query(ITEM).findOne({ where: { documentId }, select: ['state', 'returnReason'] })) as {
              state: string;
              returnReason: string | null;
            },
        ),
      );
    await eventuallyEqual(async () => (await states()).map((item) => item.state), ['adopted', 'adopted', 'returned']);
    expect((await states())[2].returnReason).toBe('数据口径需与区统计局核对后重报');
    expect(journey.clicks).toBe(6);
    expect(journey.typed).toBe(1);
    await page.close();

    // The contributor sees it returned, with the reason, on their desk at /reader/.
    const reader = await browser.newPage({ viewport: { width: 1100, height: 1200 } });
    reader.on('dialog', (dialog) => void dialog.accept());
    await reader.goto(`${origin}/reader/`);
    await reader.fill('#identifier', username);
    await reader.fill('#password', 'Pass-word-1');
    await reader.click('form.login button[type=submit]');
    await reader.waitForSelector('#nav:not([hidden])');
    await reader.click('#desk-link');
    const row = reader.locator('[data-view=my-items] tr', { hasText: queued[2] });
    await row.waitFor();
    expect(await row.getAttribute('data-state')).toBe('returned');
    expect(await row.innerText()).toContain('退回原因：数据口径需与区统计局核对后重报');
    await reader.screenshot({ path: path.join(ARTIFACTS, '04b-contributor-sees-reason.png'), fullPage: true });
    await reader.close();
    journey.expectChineseAndLocal(4);
  });

  test('compose 5 adopted items in a chosen order into the next issue, with the footer, previewed, signed off: at most 15 clicks and 3 typed entries', async () => {
    const headlines = [
      '编排台甲：区人社局开展春风行动',
      '编排台乙：峡窝镇推进春耕备耕',
      '编排台丙：区财政局兑现惠企资金',
      '编排台丁：矿山街道开展环境整治',
      '编排台戊：区文化馆举办线上展览',
    ];
    const units = ['区人社局', '峡窝镇', '区财政局', '矿山街道', '区文广旅局'];
    for (const [index, headline] of headlines.entries()) await anItem(headline, units[index], 'adopted');
    const [a, b, c, d, e] = headlines as [string, string, string, string, string];

    const page = await loggedIn('head@example.gov.cn');
    await click(deskLink(page));
    const next = page.getByRole('button', { name: /^新建下一期（第\d+期）$/ });
    await next.waitFor();
    const label = (await next.innerText()).match(/第\d+期/)?.[0];
    await screen(page, '05-desk');
    await click(next);
    await page.getByRole('heading', { name: new RegExp(`^本期：上街信息 \\d{4}年${label}$`) }).waitFor();

    // Four by their 编入 buttons, one dragged into second place from the tray... (order c, a, e, b, d)
    for (const headline of [c, a, b, d])
      await click(card(page, 'tray', headline).getByRole('button', { name: /^编入/ }));
    await eventuallyEqual(() => composedOrder(page), [c, a, b, d]);
    journey.clicks += 1; // the drag
    await card(page, 'tray', e).dragTo(page.locator(`[data-part=composed] li[data-item="${b}"]`));
    await eventuallyEqual(() => composedOrder(page), [c, a, e, b, d]);
    // ...then, by keyboard, the last one up one place.
    await page.locator(`[data-part=composed] li[data-item="${d}"]`).focus();
    await page.keyboard.press('ArrowUp');
    const chosen = [c, a, e, d, b];
    await eventuallyEqual(() => composedOrder(page), chosen);
    // The moved entry keeps the keyboard focus, so the next arrow moves it again.
    expect(
      await page
        .locator(`[data-part=composed] li[data-item="${d}"]`)
        .evaluate((element) => element === document.activeElement),
    ).toBe(true);

    // The live preview follows the list: the same renderer as the PDF and the reader, with the footer.
    const frame = page.frameLocator('iframe[title=印刷预览]');
    await eventuallyEqual(
      async () =>
        (await frame.locator('[data-part=item] [data-part=headline]').allInnerTexts()).map((text) => text.trim()),
      chosen,
    );
    expect(await frame.getByText('区县处级领导').count()).toBeGreaterThan(0);
    await screen(page, '06-composed');

    await click(page.getByRole('button', { name: '保存', exact: true }));
    await page.getByText('可以签发').waitFor();
    await screen(page, '07-saved-checklist-clear');

    // The preview is the print: its text, paragraph by paragraph, is the text of the draft's PDF (下载 PDF), in order.
    const draftId = new URL(page.url()).searchParams.get('issue') ?? '';
    const login = await app
      .http()
      .post('/admin/login')
      .send({ email: 'head@example.gov.cn', password: 'Admin-pass-1' });
    const pdf = await app
      .http()
      .get(`/bulletin-desk/issues/${draftId}/pdf`)
      .set('Authorization', `Bearer ${login.body.data.token}`)
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      });
    expect(pdf.status).toBe(200);
    const pdfFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'desk-pdf-')), 'draft.pdf');
    fs.writeFileSync(pdfFile, pdf.body as Buffer);
    fs.copyFileSync(pdfFile, path.join(ARTIFACTS, 'draft.pdf'));
    const squeeze = (text: string) => text.replace(/\s+/g, '');
    const pdfText = squeeze(execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', pdfFile, '-']).toString()).replace(
      /—\d+—/g,
      '',
    );
    const previewLines = (await frame.locator('body').innerText())
      .split('\n')
      .map(squeeze)
      .filter((line) => line !== '');
    expect(previewLines.length).toBeGreaterThan(10);
    let from = 0;
    for (const line of previewLines) {
      const at = pdfText.indexOf(line, from);
      expect({ line, found: at >= 0 }).toEqual({ line, found: true });
      from = at + line.length;
    }
    await click(page.getByRole('button', { name: '签发', exact: true }));
    const dialog = page.getByRole('alertdialog');
    await click(dialog.getByRole('button', { name: '确认签发' }));
    await page
      .getByText(/^已签发：/)
      .waitFor({ timeout: 30000 })
      .catch((error: unknown) => {
        throw journey.withRefused(error);
      });
    await screen(page, '08-signed-off');

    const documentId = new URL(page.url()).searchParams.get('issue');
    const signed = await app.strapi.db
      .query(ISSUE)
      .findOne({ where: { documentId, publishedAt: { $notNull: true } }, select: ['year', 'number', 'date'] });
    expect(`第${signed.number}期`).toBe(label);
    const record = await app
      .http()
      .get(`/api/bulletin/${encodeURIComponent('上街信息')}/${signed.year}/${signed.number}`)
      .set('Authorization', `Bearer ${apiToken}`);
    expect(record.status).toBe(200);
    expect(record.body.data.items.map((item: { headline: string }) => item.headline)).toEqual(chosen);
    expect(record.body.data.footer.map((line: { text: string }) => line.text).join('\n')).toContain('区县处级领导');

    fs.writeFileSync(
      path.join(ARTIFACTS, 'clicks.txt'),
      `compose 5 items in a chosen order, footer, preview, sign off, from the admin home: ${journey.clicks} clicks, ${journey.typed} typed entries\n`,
    );
    expect(journey.clicks).toBeLessThanOrEqual(15);
    expect(journey.typed).toBeLessThanOrEqual(3);
    await page.close();
    journey.expectChineseAndLocal(4);
  });

  test('an editor composes but cannot sign off; unit staff see no desk, and its page refuses them', async () => {
    const headline = '编排台己：区人社局发放稳岗补贴';
    await anItem(headline, '区人社局', 'adopted');
    const editor = await loggedIn('editor@example.gov.cn');
    await click(deskLink(editor));
    await click(editor.getByRole('button', { name: /^新建下一期/ }));
    await editor.getByRole('heading', { name: /^本期：/ }).waitFor();
    await click(card(editor, 'tray', headline).getByRole('button', { name: /^编入/ }));
    await click(editor.getByRole('button', { name: '保存', exact: true }));
    await editor.getByText('已保存').waitFor();
    await editor.getByText('只有签发人可以签发').waitFor();
    expect(await editor.getByRole('button', { name: '签发', exact: true }).isDisabled()).toBe(true);
    await screen(editor, '09-editor-cannot-sign-off');
    // The issue's edit view links back to the desk.
    const documentId = new URL(editor.url()).searchParams.get('issue') ?? '';
    const title = (
      await app.strapi.db.query(ISSUE).findOne({ where: { documentId, publishedAt: null }, select: ['title'] })
    ).title as string;
    await editor.goto(`${origin}/admin/content-manager/collection-types/${ISSUE}/${documentId}`);
    await editor.getByRole('heading', { name: title }).waitFor();
    await screen(editor, '10-issue-edit-view-panel');
    await editor.getByRole('link', { name: '在编排台中打开' }).click();
    await editor.getByRole('heading', { name: `本期：${title}` }).waitFor();
    expect(await composedOrder(editor)).toEqual([headline]);
    await editor.close();

    const staff = await loggedIn('hrss@example.gov.cn');
    await staff.locator('nav').first().waitFor();
    await screen(staff, '11-unit-staff-home');
    expect(await staff.locator('nav a[href$="/bulletin-desk"]').count()).toBe(0);
    await staff.goto(`${origin}/admin/bulletin-desk`);
    await staff.getByText('您的账号没有使用编排台的权限').waitFor();
    await screen(staff, '12-unit-staff-refused');
    await staff.close();
    // The desk refused nothing but the unit staff's request (Strapi's own pages ask for a few features it lacks: 404).
    expect(journey.refused.filter((line) => line.includes('/bulletin-desk'))).toEqual([
      expect.stringMatching(/^GET \/bulletin-desk → 403 .*没有使用编排台的权限/),
    ]);
    journey.expectChineseAndLocal(4);
  });

  test('two editors on one issue: the later save is refused naming who saved in between, and the desk reloads what is saved', async () => {
    const mine = '并发甲：区人社局开展技能培训';
    const theirs = '并发乙：峡窝镇开展安全检查';
    const [, theirsId] = [await anItem(mine, '区人社局', 'adopted'), await anItem(theirs, '峡窝镇', 'adopted')];
    const page = await loggedIn('editor@example.gov.cn');
    await click(deskLink(page));
    await click(page.getByRole('button', { name: /^新建下一期/ }));
    await page.getByRole('heading', { name: /^本期：/ }).waitFor();
    const documentId = new URL(page.url()).searchParams.get('issue') ?? '';

    // Meanwhile 李明 saves the same issue from another desk.
    const login = await app.http().post('/admin/login').send({ email: 'li@example.gov.cn', password: 'Admin-pass-1' });
    const opened = await app
      .http()
      .get('/bulletin-desk')
      .query({ issue: documentId })
      .set('Authorization', `Bearer ${login.body.data.token}`);
    const saved = await app
      .http()
      .put(`/bulletin-desk/issues/${documentId}`)
      .set('Authorization', `Bearer ${login.body.data.token}`)
      .send({ version: opened.body.data.issue.version, items: [theirsId] });
    expect(saved.status).toBe(200);

    await click(card(page, 'tray', mine).getByRole('button', { name: /^编入/ }));
    await click(page.getByRole('button', { name: '保存', exact: true }));
    await page.getByRole('alert').filter({ hasText: '李明已在您打开之后保存了这一期' }).waitFor();
    await eventuallyEqual(() => composedOrder(page), [theirs]);
    await screen(page, '13-stale-save-reloaded');
    expect(await printedOrder(documentId)).toEqual([theirs]);
    await page.close();
    journey.expectChineseAndLocal(1);
  });
});
