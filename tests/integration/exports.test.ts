import fs from 'fs';
import os from 'os';
import path from 'path';
import { execFileSync, spawnSync } from 'child_process';
import JSZip from 'jszip';
import type request from 'supertest';
import { bootApp, type TestApp } from '../support/app';
import { aPerson, aUnit, unitId } from '../support/people';
import { referenceText } from '../support/demo-issue';
import { REFERENCE_HEADLINES } from '../support/reference-expected';
import { chromiumCount, chromiumProcesses, peakWhile } from '../support/proc-tree';
import { serverErrors } from '../support/server-errors';
import { eventually } from '../support/eventually';
import { MAX_RENDERS, MAX_WAITING } from '../../src/strapi/pdf';

/**
 * The issue as the office files it: PDF (shared headless Chromium printing the issue's HTML) and Word, over REST with
 * the reader's permissions and from `npm run export`; the editors' preview of a draft in the admin.
 */

let app: TestApp;
let reader: string;
let outsider: string;
const BASE = `/api/bulletin/${encodeURIComponent('上街信息')}/2020/14`;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bulletin-export-'));

// The reference issue's footer, in order, from the fixture text itself (its headlines: REFERENCE_HEADLINES).
const reference = referenceText().split('\n\n');
const FOOTER = reference.filter((block) => /^(本期送|发|责任编辑)：/.test(block));

const squeeze = (text: string) => text.replace(/\s+/g, '');
const inOrder = (text: string, parts: string[]) => {
  let from = 0;
  for (const part of parts) {
    const at = text.indexOf(squeeze(part), from);
    if (at === -1) throw new Error(`"${part}" is missing or out of order`);
    from = at + squeeze(part).length;
  }
};

beforeAll(async () => {
  app = await bootApp();
  reader = (await aPerson(app, 'xiawo-reader', 'reader', await unitId(app, '峡窝镇'))).jwt;
  outsider = (await aPerson(app, 'finance-reader', 'reader', await aUnit(app, '区财政局'))).jwt;
});
afterAll(async () => {
  await (app as TestApp | undefined)?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

test('the reference issue as PDF: A4, its text in order, page count sensible', async () => {
  expect(REFERENCE_HEADLINES.every((headline) => reference.some((block) => block.startsWith(headline)))).toBe(true);
  expect(FOOTER).toHaveLength(3);
  const res = await app
    .http()
    .get(`${BASE}/pdf`)
    .set('Authorization', `Bearer ${reader}`)
    .buffer(true)
    .parse((r, done) => {
      const chunks: Buffer[] = [];
      r.on('data', (chunk: Buffer) => chunks.push(chunk));
      r.on('end', () => done(null, Buffer.concat(chunks)));
    });
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toBe('application/pdf');
  expect(res.headers['content-disposition']).toContain(encodeURIComponent('上街信息-2020-第14期.pdf'));
  const file = path.join(tmp, 'issue.pdf');
  fs.writeFileSync(file, res.body as Buffer);
  fs.mkdirSync(path.join(__dirname, '..', 'artifacts'), { recursive: true });
  fs.copyFileSync(file, path.join(__dirname, '..', 'artifacts', 'shangjie-xinxi-2020-14.pdf'));

  const info = execFileSync('pdfinfo', [file]).toString();
  expect(info).toMatch(/Page size:\s+59[45]\.\d+ x 841\.\d+ pts \(A4\)/);
  const pages = Number(/Pages:\s+(\d+)/.exec(info)?.[1]);
  expect(pages).toBeGreaterThanOrEqual(2);
  expect(pages).toBeLessThanOrEqual(6);

  const text = squeeze(execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-']).toString());
  inOrder(text, [
    '上街信息',
    '第14期',
    '中共上街区委办公室',
    '2020年2月19日',
    '坚定信心众志成城坚决打赢疫情防控阻击战（七）',
    ...REFERENCE_HEADLINES,
    '（区文广旅局）',
    ...FOOTER,
  ]);
  // Page numbers are printed in the margin boxes: "— 1 —" and "— 2 —".
  expect(text).toContain('—1—');
  expect(text).toContain('—2—');
});

test('the reference issue as Word: its text in the same order, A4, odd/even page-number footers', async () => {
  const res = await app
    .http()
    .get(`${BASE}/docx`)
    .set('Authorization', `Bearer ${reader}`)
    .buffer(true)
    .parse((r, done) => {
      const chunks: Buffer[] = [];
      r.on('data', (chunk: Buffer) => chunks.push(chunk));
      r.on('end', () => done(null, Buffer.concat(chunks)));
    });
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
  const zip = await JSZip.loadAsync(res.body as Buffer);
  const xml = await zip.file('word/document.xml')!.async('string');
  const text = squeeze([...xml.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((match) => match[1]).join(''));
  inOrder(text, ['上街信息', '第14期', '中共上街区委办公室', '2020年2月19日', ...REFERENCE_HEADLINES, ...FOOTER]);
  expect(xml).toContain('w:w="11906"');
  expect(xml).toContain('w:h="16838"');
  expect(await zip.file('word/settings.xml')!.async('string')).toContain('evenAndOddHeaders');
});

test('exports follow the reader permissions: not sent to you is a 404, no login a 403', async () => {
  expect((await app.http().get(`${BASE}/pdf`).set('Authorization', `Bearer ${outsider}`)).status).toBe(404);
  expect((await app.http().get(`${BASE}/docx`).set('Authorization', `Bearer ${outsider}`)).status).toBe(404);
  expect((await app.http().get(`${BASE}/docx`)).status).toBe(403);
});

test('npm run export writes the same issue to a file, and says what is wrong with bad arguments', () => {
  const script = path.join(__dirname, '..', '..', 'scripts', 'export.js');
  const env = { ...process.env, BULLETIN_DIST_DIR: process.env.BULLETIN_TEST_DIST_DIR, LOG_LEVEL: 'error' };
  const out = path.join(tmp, 'cli.docx');
  const ok = spawnSync(
    process.execPath,
    [script, '--publication', '上街信息', '--year', '2020', '--number', '14', '--format', 'docx', '--out', out],
    { env, encoding: 'utf8', timeout: 120000 },
  );
  expect(
    ok.stderr.split('\n').filter((line) => line.trim() !== '' && !/DeprecationWarning|--trace-deprecation/.test(line)),
  ).toEqual([]);
  expect(ok.status).toBe(0);
  expect(fs.statSync(out).size).toBeGreaterThan(5000);

  const missing = spawnSync(
    process.execPath,
    [
      script,
      '--publication',
      '上街信息',
      '--year',
      '2020',
      '--number',
      '99',
      '--format',
      'pdf',
      '--out',
      path.join(tmp, 'x.pdf'),
    ],
    { env, encoding: 'utf8', timeout: 120000 },
  );
  expect(missing.status).toBe(1);
  expect(missing.stderr).toContain('has not been signed off');
  const bad = spawnSync(process.execPath, [script, '--year', 'x', '--format', 'odt'], { env, encoding: 'utf8' });
  expect(bad.status).toBe(1);
  expect(bad.stderr).toContain('--publication is required');
  expect(bad.stderr).toContain('--format must be pdf or docx');
});

describe('the editors preview a draft as it will print', () => {
  test('the admin hands out a signed preview address; the page shows the draft headlines; a forged or missing signature is refused', async () => {
    const role = await app.strapi.db.query('admin::role').findOne({ where: { code: 'bulletin-editor' } });
    await app.strapi.service('admin::user').create({
      email: 'preview-editor@example.gov.cn',
      firstname: 'editor',
      password: 'Admin-pass-1',
      isActive: true,
      roles: [role.id],
    });
    const login = await app
      .http()
      .post('/admin/login')
      .send({ email: 'preview-editor@example.gov.cn', password: 'Admin-pass-1' });
    const admin = login.body.data.token as string;

    const office = await unitId(app, '区委办');
    const draft = await app.strapi
      .documents('api::issue.issue')
      .create({ data: { date: '2020-02-26', issuer: office.documentId, columnTitle: '预览专栏' } as never });
    await app.strapi.documents('api::item.item').create({
      data: {
        headline: '草稿里的第一条<script>alert(1)</script>',
        body: '正文。',
        units: [office.documentId],
        state: 'adopted',
        issue: draft.documentId,
        position: 1,
      } as never,
    });

    const url = await app
      .http()
      .get('/content-manager/preview/url/api::issue.issue')
      .query({ documentId: draft.documentId, status: 'draft' })
      .set('Authorization', `Bearer ${admin}`);
    expect(url.status).toBe(200);
    const address = url.body.data.url as string;
    expect(address).toMatch(/^\/bulletin-preview\//);

    const page = await app.http().get(address);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.text).toContain('草稿里的第一条&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page.text).not.toContain('<script>');
    expect(page.text).toContain('预览专栏');

    // Nobody without the admin's address gets in: no signature, a changed one, another document, an expired one.
    const parsed = new URL(address, 'http://x');
    expect((await app.http().get(parsed.pathname)).status).toBe(403);
    const forged = new URLSearchParams(parsed.search);
    const signature = forged.get('signature') as string;
    forged.set('signature', `${signature[0] === 'A' ? 'B' : 'A'}${signature.slice(1)}`);
    expect((await app.http().get(`${parsed.pathname}?${forged.toString()}`)).status).toBe(403);
    const other = await app.strapi.db.query('api::issue.issue').findOne({ where: { number: 14, publishedAt: null } });
    expect((await app.http().get(`/bulletin-preview/${other.documentId}${parsed.search}`)).status).toBe(403);
    const expired = new URLSearchParams(parsed.search);
    expired.set('expires', String(Date.now() - 1000));
    expect((await app.http().get(`${parsed.pathname}?${expired.toString()}`)).status).toBe(403);
    // …and a users-permissions reader cannot ask for one.
    expect(
      (
        await app
          .http()
          .get('/content-manager/preview/url/api::issue.issue')
          .query({ documentId: draft.documentId, status: 'draft' })
          .set('Authorization', `Bearer ${reader}`)
      ).status,
    ).toBe(401);
  });
});

describe('many PDFs at once', () => {
  const binary = (r: request.Response, done: (error: Error | null, body: Buffer) => void) => {
    const chunks: Buffer[] = [];
    r.on('data', (chunk: Buffer) => chunks.push(chunk));
    r.on('end', () => done(null, Buffer.concat(chunks)));
  };
  const onePdf = () =>
    app.http().get(`${BASE}/pdf`).set('Authorization', `Bearer ${reader}`).buffer(true).parse(binary);
  const renderers = () => chromiumCount(process.pid, 'renderer');
  const others = () => chromiumCount(process.pid, 'other');
  const isPdf = (body: unknown) => Buffer.isBuffer(body) && body.subarray(0, 5).toString() === '%PDF-';

  test('8 asked for at once are all made, by no more Chromium renderers than the renders allowed at once', async () => {
    // Renderers start and stop within a render: sampled every 20 ms (a few small reads of /proc).
    const alone = await peakWhile(renderers, onePdf, 20);
    expect(alone.result.status).toBe(200);
    expect(alone.peak).toBeGreaterThan(0); // the renderer runs under this process: the counts below mean something
    const helpers = others();

    const many = await peakWhile(renderers, () => Promise.all(Array.from({ length: 8 }, onePdf)), 20);
    expect(many.result.map((res) => res.status)).toEqual(Array(8).fill(200));
    expect(many.result.every((res) => isPdf(res.body))).toBe(true);
    // At most one page per render allowed at once, and a page shows up as at most two renderers (its own, and one
    // Chromium starts beside it and keeps ready). Unbounded, 8 at once ran 16.
    expect(many.peak).toBeLessThanOrEqual(2 * MAX_RENDERS);
    // What stays for the next renders is no more than that, and Chromium's other processes did not multiply.
    expect(renderers()).toBeLessThanOrEqual(2 * MAX_RENDERS);
    expect(others()).toBeLessThanOrEqual(helpers);
  }, 600000);

  test('the next PDF reuses the page the last one printed on; after Chromium is killed, the next PDF starts a new one', async () => {
    const rendererPids = () =>
      chromiumProcesses(process.pid)
        .filter((found) => found.kind === 'renderer')
        .map((found) => found.pid)
        .sort();
    expect((await onePdf()).status).toBe(200);
    const before = rendererPids();
    expect(before.length).toBeGreaterThan(0);
    const next = await onePdf();
    expect(next.status).toBe(200);
    expect(isPdf(next.body)).toBe(true);
    // A new page would have needed a renderer of its own (one per page's context).
    expect(rendererPids()).toEqual(before);

    const chromiumMain = chromiumProcesses(process.pid).filter((found) => found.kind === 'browser');
    expect(chromiumMain).toHaveLength(1);
    process.kill(chromiumMain[0].pid, 'SIGKILL');
    expect(
      await eventually(
        () => chromiumProcesses(process.pid).length,
        (count) => count === 0,
      ),
    ).toBe(0);
    const afterCrash = await onePdf();
    expect(afterCrash.status).toBe(200);
    expect(isPdf(afterCrash.body)).toBe(true);
    expect(rendererPids().some((pid) => before.includes(pid))).toBe(false);
  }, 600000);

  test('beyond the line, an export is refused at once with 503, Retry-After and a message that says why', async () => {
    expect((await onePdf()).status).toBe(200); // the browser started: the burst below meets renders, not a start
    const asked = MAX_RENDERS + MAX_WAITING + 6;
    const answers = await Promise.all(Array.from({ length: asked }, onePdf));
    // The 503s are what this test asks for; any other 5xx still fails it.
    const expected = `GET ${BASE}/pdf → 503`;
    const others = serverErrors
      .splice(0, serverErrors.length)
      .filter((error) => decodeURIComponent(error) !== decodeURIComponent(expected));
    expect(others).toEqual([]);

    const made = answers.filter((res) => res.status === 200);
    const refused = answers.filter((res) => res.status !== 200);
    expect(made.every((res) => isPdf(res.body))).toBe(true);
    expect(made.length).toBeGreaterThanOrEqual(MAX_RENDERS + MAX_WAITING);
    for (const res of refused) {
      expect(res.status).toBe(503);
      expect(res.headers['retry-after']).toMatch(/^\d+$/);
      expect(JSON.parse((res.body as Buffer).toString()).error.message).toContain('PDF 导出繁忙');
    }
    expect(refused.length).toBeGreaterThan(0);
  }, 600000);
});
