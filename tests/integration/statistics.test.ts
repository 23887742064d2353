import { env } from '@strapi/utils';
import { bootApp, createApiToken, type TestApp } from '../support/app';
import { graphql } from '../support/graphql';
import { aPerson } from '../support/people';
import { statementsOf } from '../support/statements';
import bulletinConfig from '../../config/bulletin';
import type { PublicRow, StatisticsReport } from '../../src/domain/statistics-report';

/**
 * Adoption statistics (信息采用统计) on PostgreSQL, with a data set checked by hand (below). The test process runs with
 * TZ=America/Los_Angeles (jest.config.js) while the office counts days in Asia/Shanghai: a submission at
 * 2020-01-31T16:30Z is 1 February in Shanghai (and still 31 January in Los Angeles).
 *
 * Scoring (BULLETIN_SCORING): 10 / 5 per unit by default; a supplement (增刊) 15 / 8 per unit; 督查专报 20 for a single
 * adoption and 10 per combined item shared among its units (3 units: 3.33 each, rounded down).
 *
 * Units (sort order): 区人社局 A (1), 峡窝镇 B (2), 矿山街道 C (3), 区文广旅局 D (4), 区财政局 E (5, does nothing),
 * 区撤并局 G (6, submits once, then made inactive), 区旧单位 F (7, inactive, nothing: not listed), 区委办 O (9, the issuer).
 *
 * Issues: I1 上街信息 2020-02-03 signed off; I2 上街信息 增刊 2020-02-29 signed off (the last day of February);
 * I3 上街信息 2020-03-01 signed off; I4 上街信息 2020-01-31 signed off; I5 上街信息 2020-02-20 never signed off;
 * I6 上街信息 2020-02-10 signed off and then unpublished; I7 督查专报 2020-02-15 signed off.
 *
 * Items (submitted at, Shanghai date → state, issue):
 *   a1 A        2020-02-01 00:30 (16:30Z the day before)   adopted I1       a2 A   2020-01-31 23:30   adopted I1
 *   a3 A        2020-02-25                                  adopted I2       a4 A   2020-02-29 23:59   submitted
 *   a5 A        2020-03-01 00:00                            submitted        c1 A+B+C combined 2020-02-05 adopted I1
 *   b1 B 02-06 returned    b2 B 02-07 withdrawn    b3 B 02-20 adopted I3    b4 B 01-20 adopted I4
 *   b5 B 02-08 adopted I2  c2 C 02-10 adopted I5 (unsigned)    c3 C 02-11 adopted I6 (unpublished)
 *   c4 C 02-09 adopted I2  d1 D 02-12 adopted I7   d2 B+C+D combined 02-13 adopted I7   g1 G 02-14 submitted
 *
 * 上街信息, February 2020:
 *   A  submitted a1 a3 a4 c1 = 4; adopted a1 a2 (I1) a3 (I2) c1 (I1) = 4; 10+10+15+5 = 40        rank 1, 100.0%
 *   B  submitted c1 b1 b2 b3 b5 d2 = 6, returned 1, withdrawn 1; adopted c1 b5 = 2; 5+15 = 20     rank 2, 33.3%
 *   C  submitted c1 c2 c3 c4 d2 = 5; adopted c1 c4 = 2; 5+15 = 20 (c2, c3 not counted)            rank 2, 40.0%
 *   D  submitted d1 d2 = 2; adopted 0 (督查专报 only)                                             rank 4, 0.0%
 *   E 0 (—), G submitted 1 (0.0%), O 0 (—)                                                       rank 4
 */

let app: TestApp;
let token: string;
const jwt: Record<string, string> = {};
const admin: Record<string, string> = {};
const units: Record<string, { id: number; documentId: string }> = {};
const issues: Record<string, { documentId: string; number: number }> = {};
const items: Record<string, number> = {};

const SCORING = {
  rules: [
    { publication: '*', edition: '*', single: 10, combined: 5, combinedPer: 'unit' },
    { publication: '*', edition: 'supplement', single: 15, combined: 8, combinedPer: 'unit' },
    { publication: '督查专报', edition: '*', single: 20, combined: 10, combinedPer: 'item' },
  ],
};
const ISSUE = 'api::issue.issue';
const ITEM = 'api::item.item';

// ---- fixture builders ---------------------------------------------------------------------------------------------

async function aUnitWith(key: string, shortName: string, sortOrder: number, active = true): Promise<void> {
  const created = await app.strapi
    .documents('api::unit.unit')
    .create({ data: { shortName, kind: 'department', active, sortOrder } as never });
  units[key] = { id: created.id as number, documentId: created.documentId };
}

async function anIssue(
  key: string,
  overrides: { date: string; publication?: string; edition?: string },
): Promise<void> {
  const created = await app.strapi.documents(ISSUE).create({
    data: { publication: '上街信息', edition: 'regular', issuer: units.O.documentId, ...overrides } as never,
  });
  issues[key] = { documentId: created.documentId, number: (created as { number: number }).number };
}

async function anItem(
  key: string,
  unitKeys: string[],
  submittedAt: string,
  overrides: {
    state?: string;
    issue?: string;
    kind?: 'single' | 'combined';
    headline?: string;
    returnReason?: string;
  } = {},
): Promise<void> {
  const state = overrides.state ?? (overrides.issue === undefined ? 'submitted' : 'adopted');
  const created = await app.strapi.documents(ITEM).create({
    data: {
      headline: overrides.headline ?? `信息${key}`,
      body: '正文。',
      units: unitKeys.map((unit) => units[unit].documentId),
      adoptionKind: overrides.kind ?? (unitKeys.length > 1 ? 'combined' : 'single'),
      state,
      ...(overrides.returnReason === undefined ? {} : { returnReason: overrides.returnReason }),
      ...(overrides.issue === undefined
        ? {}
        : { issue: issues[overrides.issue].documentId, position: Object.keys(items).length + 1 }),
    } as never,
  });
  items[key] = created.id as number;
  await app.strapi.db.query(ITEM).update({ where: { id: created.id }, data: { createdAt: new Date(submittedAt) } });
}

const publish = (key: string) => app.strapi.documents(ISSUE).publish({ documentId: issues[key].documentId });

async function anAdmin(email: string, roleCode: string): Promise<{ id: number; token: string }> {
  const role = await app.strapi.db.query('admin::role').findOne({ where: { code: roleCode } });
  const user = await app.strapi
    .service('admin::user')
    .create({ email, firstname: email.split('@')[0], password: 'Admin-pass-1', isActive: true, roles: [role.id] });
  return { id: user.id, token: await adminLogin(email) };
}

async function adminLogin(email: string): Promise<string> {
  const login = await app.http().post('/admin/login').send({ email, password: 'Admin-pass-1' });
  if (login.status !== 200) throw new Error(`admin login of ${email} failed: ${login.status}`);
  return login.body.data.token;
}

beforeAll(async () => {
  app = await bootApp({
    demo: false,
    env: { BULLETIN_SCORING: JSON.stringify(SCORING), BULLETIN_PUBLISH_RANKING: 'false' },
  });
  token = await createApiToken(app.strapi, 'read-only');

  await aUnitWith('A', '区人社局', 1);
  await aUnitWith('B', '峡窝镇', 2);
  await aUnitWith('C', '矿山街道', 3);
  await aUnitWith('D', '区文广旅局', 4);
  await aUnitWith('E', '区财政局', 5);
  await aUnitWith('G', '区撤并局', 6);
  await aUnitWith('F', '区旧单位', 7, false);
  await aUnitWith('O', '区委办', 9);

  await anIssue('I1', { date: '2020-02-03' });
  await anIssue('I2', { date: '2020-02-29', edition: 'supplement' });
  await anIssue('I3', { date: '2020-03-01' });
  await anIssue('I4', { date: '2020-01-31' });
  await anIssue('I5', { date: '2020-02-20' });
  await anIssue('I6', { date: '2020-02-10' });
  await anIssue('I7', { date: '2020-02-15', publication: '督查专报' });

  await anItem('a1', ['A'], '2020-01-31T16:30:00Z', { issue: 'I1' });
  await anItem('a2', ['A'], '2020-01-31T15:30:00Z', { issue: 'I1' });
  await anItem('a3', ['A'], '2020-02-25T02:00:00Z', {
    issue: 'I2',
    headline: '关于"<b>加强</b>"&落实的<script>alert(1)</script>通知',
  });
  await anItem('a4', ['A'], '2020-02-29T15:59:00Z');
  await anItem('a5', ['A'], '2020-02-29T16:00:00Z');
  await anItem('c1', ['A', 'B', 'C'], '2020-02-05T03:00:00Z', { issue: 'I1' });
  await anItem('b1', ['B'], '2020-02-06T03:00:00Z', { state: 'returned', returnReason: '内容重复' });
  await anItem('b2', ['B'], '2020-02-07T03:00:00Z', { state: 'withdrawn' });
  await anItem('b3', ['B'], '2020-02-20T03:00:00Z', { issue: 'I3' });
  await anItem('b4', ['B'], '2020-01-20T03:00:00Z', { issue: 'I4' });
  await anItem('b5', ['B'], '2020-02-08T03:00:00Z', { issue: 'I2' });
  await anItem('c2', ['C'], '2020-02-10T03:00:00Z', { issue: 'I5' });
  await anItem('c3', ['C'], '2020-02-11T03:00:00Z', { issue: 'I6' });
  await anItem('c4', ['C'], '2020-02-09T03:00:00Z', { issue: 'I2' });
  await anItem('d1', ['D'], '2020-02-12T03:00:00Z', { issue: 'I7' });
  await anItem('d2', ['B', 'C', 'D'], '2020-02-13T03:00:00Z', { issue: 'I7' });
  await anItem('g1', ['G'], '2020-02-14T03:00:00Z');
  // 区撤并局 was merged into another unit after submitting in February.
  await app.strapi.db.query('api::unit.unit').update({ where: { id: units.G.id }, data: { active: false } });

  for (const key of ['I1', 'I2', 'I3', 'I4', 'I6', 'I7']) await publish(key);
  await app.strapi.documents(ISSUE).unpublish({ documentId: issues.I6.documentId });

  jwt.contributorB = (await aPerson(app, 'xiawo-contributor', 'contributor', units.B)).jwt;
  jwt.reader = (await aPerson(app, 'xiawo-reader', 'reader', units.B)).jwt;
  jwt.plain = (await aPerson(app, 'plain-user', 'authenticated', units.B)).jwt;
  admin.editor = (await anAdmin('editor@example.gov.cn', 'bulletin-editor')).token;
  admin.signer = (await anAdmin('signer@example.gov.cn', 'bulletin-signer')).token;
  const staff = await anAdmin('kuangshan@example.gov.cn', 'bulletin-unit-staff');
  await app.strapi
    .documents('api::unit.unit')
    .update({ documentId: units.C.documentId, data: { adminUsers: { connect: [{ id: staff.id }] } } as never });
  admin.staff = staff.token;
}, 180000);

afterAll(async () => {
  await (app as TestApp | undefined)?.close();
});

// ---- helpers -------------------------------------------------------------------------------------------------------

// The answer as the API gives it (src/domain/statistics-report.ts).
type Row = PublicRow;
type Report = StatisticsReport;

const get = (path: string, bearer: string | null, query: Record<string, string> = {}) => {
  const req = app.http().get(path).query(query);
  return bearer === null ? req : req.set('Authorization', `Bearer ${bearer}`);
};

async function table(query: Record<string, string>, bearer: string = token): Promise<Report> {
  const res = await get('/api/statistics', bearer, query);
  expect(res.status).toBe(200);
  return res.body.data as Report;
}

/** rank · unit · submitted · adopted · returned · withdrawn · rate · points, as printed. */
const printed = (report: Report): string[] =>
  report.rows.map((row) =>
    [
      row.rank ?? '—',
      row.unitName,
      row.submitted,
      row.adopted,
      row.returned,
      row.withdrawn,
      row.rateLabel,
      row.pointsLabel,
    ].join(' '),
  );

const label = (key: string, prefix = '上街信息 2020年'): string =>
  `${prefix}${key === 'I2' ? '增刊' : ''}第${issues[key].number}期`;

// ---- the figures ---------------------------------------------------------------------------------------------------

describe('the hand-checked figures', () => {
  test('上街信息, February 2020: counted by submission date and by the date of the signed-off issue, in Shanghai days', async () => {
    const report = await table({ month: '2020-02', publication: '上街信息' });
    expect(report.period).toEqual({ from: '2020-02-01', to: '2020-02-29', label: '2020年2月' });
    expect(printed(report)).toEqual([
      '1 区人社局 4 4 0 0 100.0% 40',
      '2 峡窝镇 6 2 1 1 33.3% 20',
      '2 矿山街道 5 2 0 0 40.0% 20',
      '4 区文广旅局 2 0 0 0 0.0% 0',
      '4 区财政局 0 0 0 0 — 0',
      '4 区撤并局 1 0 0 0 0.0% 0',
      '4 区委办 0 0 0 0 — 0',
    ]);
    const b = report.rows[1];
    expect(b).toMatchObject({
      unitId: units.B.id,
      unitDocumentId: units.B.documentId,
      rate: 2 / 6,
      points: 20,
      pointsHundredths: 2000,
      breakdown: null,
    });
  });

  test('the publication defaults to the default one (上街信息)', async () => {
    expect(printed(await table({ month: '2020-02' }))).toEqual(
      printed(await table({ month: '2020-02', publication: '上街信息' })),
    );
  });

  test('督查专报: a combined item of 10 points shared by three units gives 3.33 each; ties share a rank', async () => {
    expect(printed(await table({ month: '2020-02', publication: '督查专报' }))).toEqual([
      '1 区文广旅局 2 2 0 0 100.0% 23.33',
      '2 峡窝镇 6 1 1 1 16.7% 3.33',
      '2 矿山街道 5 1 0 0 20.0% 3.33',
      '4 区人社局 4 0 0 0 0.0% 0',
      '4 区财政局 0 0 0 0 — 0',
      '4 区撤并局 1 0 0 0 0.0% 0',
      '4 区委办 0 0 0 0 — 0',
    ]);
  });

  test('every publication (*): a three-way tie, ordered by adoptions then sort order', async () => {
    const report = await table({ month: '2020-02', publication: '*' });
    expect(report.publication).toBeNull();
    expect(printed(report)).toEqual([
      '1 区人社局 4 4 0 0 100.0% 40',
      '2 峡窝镇 6 3 1 1 50.0% 23.33',
      '2 矿山街道 5 3 0 0 60.0% 23.33',
      '2 区文广旅局 2 2 0 0 100.0% 23.33',
      '5 区财政局 0 0 0 0 — 0',
      '5 区撤并局 1 0 0 0 0.0% 0',
      '5 区委办 0 0 0 0 — 0',
    ]);
  });

  test('period boundaries: the submission at 00:00 on 1 March (Shanghai) is March; 23:30 on 31 January is January', async () => {
    expect(printed(await table({ month: '2020-03' }))).toEqual([
      '1 峡窝镇 0 1 0 0 — 10',
      '2 区人社局 1 0 0 0 0.0% 0',
      '2 矿山街道 0 0 0 0 — 0',
      '2 区文广旅局 0 0 0 0 — 0',
      '2 区财政局 0 0 0 0 — 0',
      '2 区委办 0 0 0 0 — 0',
    ]);
    expect(printed(await table({ month: '2020-01' }))).toEqual([
      '1 峡窝镇 1 1 0 0 100.0% 10',
      '2 区人社局 1 0 0 0 0.0% 0',
      '2 矿山街道 0 0 0 0 — 0',
      '2 区文广旅局 0 0 0 0 — 0',
      '2 区财政局 0 0 0 0 — 0',
      '2 区委办 0 0 0 0 — 0',
    ]);
  });

  test('a quarter, a year and a from/to range covering the same days give the same table', async () => {
    const quarter = await table({ quarter: '2020-Q1' });
    expect(quarter.period.label).toBe('2020年第一季度');
    expect(printed(quarter)).toEqual([
      '1 区人社局 6 4 0 0 66.7% 40',
      '1 峡窝镇 7 4 1 1 57.1% 40',
      '3 矿山街道 5 2 0 0 40.0% 20',
      '4 区文广旅局 2 0 0 0 0.0% 0',
      '4 区财政局 0 0 0 0 — 0',
      '4 区撤并局 1 0 0 0 0.0% 0',
      '4 区委办 0 0 0 0 — 0',
    ]);
    expect(printed(await table({ from: '2020-01-01', to: '2020-03-31' }))).toEqual(printed(quarter));
    expect(printed(await table({ year: '2020' }))).toEqual(printed(quarter));
  });

  test('a period with nothing still lists every active unit, with zeros and a shared rank', async () => {
    expect(printed(await table({ month: '2019-06' }))).toEqual([
      '1 区人社局 0 0 0 0 — 0',
      '1 峡窝镇 0 0 0 0 — 0',
      '1 矿山街道 0 0 0 0 — 0',
      '1 区文广旅局 0 0 0 0 — 0',
      '1 区财政局 0 0 0 0 — 0',
      '1 区委办 0 0 0 0 — 0',
    ]);
  });
});

describe('the breakdown', () => {
  test('shows which items, which issue and how many points, for 区人社局 in February', async () => {
    const report = await table({ month: '2020-02', breakdown: 'true' });
    const a = report.rows.find((row) => row.unitName === '区人社局')!;
    expect(
      a.breakdown!.map((line) => [
        line.itemId,
        line.issueLabel,
        line.issueDate,
        line.adoptionKind,
        line.unitCount,
        line.pointsLabel,
        line.basis,
      ]),
    ).toEqual([
      [items.a1, label('I1'), '2020-02-03', 'single', 1, '10', '单条采用，10分'],
      [items.a2, label('I1'), '2020-02-03', 'single', 1, '10', '单条采用，10分'],
      [items.c1, label('I1'), '2020-02-03', 'combined', 3, '5', '综合采用（3个单位），每单位5分'],
      [items.a3, label('I2'), '2020-02-29', 'single', 1, '15', '单条采用，15分'],
    ]);
    const d = (await table({ month: '2020-02', publication: '督查专报', breakdown: 'true' })).rows[0];
    expect(d.breakdown!.map((line) => [line.itemId, line.issueLabel, line.pointsLabel, line.basis])).toEqual([
      [items.d1, `督查专报 2020年第${issues.I7.number}期`, '20', '单条采用，20分'],
      [
        items.d2,
        `督查专报 2020年第${issues.I7.number}期`,
        '3.33',
        '综合采用（3个单位），10分由3个单位均分，每单位3.33分',
      ],
    ]);
  });

  test.each([
    [{ month: '2020-02' }],
    [{ month: '2020-02', publication: '督查专报' }],
    [{ month: '2020-02', publication: '*' }],
    [{ quarter: '2020-Q1', publication: '*' }],
    [{ year: '2020' }],
    [{ month: '2020-03' }],
  ])('adds up to every row exactly: %j', async (query) => {
    const plain = await table(query);
    const detailed = await table({ ...query, breakdown: 'true' });
    expect(detailed.rows.map(({ breakdown: _breakdown, ...row }) => ({ ...row, breakdown: null }))).toEqual(plain.rows);
    for (const row of detailed.rows) {
      expect(row.breakdown).not.toBeNull();
      expect(row.breakdown!.length).toBe(row.adopted);
      expect(row.breakdown!.reduce((sum, line) => sum + line.pointsHundredths, 0)).toBe(row.pointsHundredths);
      expect(new Set(row.breakdown!.map((line) => line.itemId)).size).toBe(row.adopted);
    }
    const ranks = plain.rows.map(
      (row) => 1 + plain.rows.filter((other) => other.pointsHundredths > row.pointsHundredths).length,
    );
    expect(plain.rows.map((row) => row.rank)).toEqual(ranks);
  });

  test('is computed in the database: the same few SQL statements for a month and for a year', async () => {
    const statements = async (query: Record<string, string>) =>
      (await statementsOf(app, '/api/statistics', () => table(query))).statements.length;
    await statements({ month: '2020-02' }); // warm-up (token cache)
    const month = await statements({ month: '2020-02' });
    expect(await statements({ year: '2020', publication: '*' })).toBe(month);
    expect(month).toBeGreaterThan(0);
    expect(month).toBeLessThanOrEqual(6);
  });
});

// ---- CSV and the notice --------------------------------------------------------------------------------------------

describe('CSV and the printable notice', () => {
  test('CSV: the table for spreadsheets, with a byte order mark and CRLF lines', async () => {
    const res = await get('/api/statistics.csv', token, { month: '2020-02' });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv; charset=utf-8/);
    expect(res.headers['content-disposition']).toContain(encodeURIComponent('信息采用统计-上街信息-2020年2月.csv'));
    const text = res.text;
    expect(text.startsWith('\uFEFF')).toBe(true);
    const lines = text.slice(1).split('\r\n');
    expect(lines.slice(0, 4)).toEqual([
      '《上街信息》信息采用情况统计表（2020年2月）,,,,,,,',
      '名次,单位,报送,采用,退回,撤回,采用率,得分',
      '1,区人社局,4,4,0,0,100.0%,40',
      '2,峡窝镇,6,2,1,1,33.3%,20',
    ]);
    expect(lines).toHaveLength(2 + 7 + 1);
  });

  test('CSV of the breakdown: one line per unit and item', async () => {
    const res = await get('/api/statistics.csv', token, { month: '2020-02', breakdown: 'true' });
    expect(res.status).toBe(200);
    const lines = res.text.slice(1).split('\r\n');
    expect(lines[1]).toBe('单位,期,签发日期,信息标题,采用方式,署名单位数,计分依据,得分');
    expect(lines[2]).toBe(`区人社局,${label('I1')},2020-02-03,信息a1,单条采用,1,单条采用，10分,10`);
    expect(lines).toHaveLength(2 + 4 + 2 + 2 + 1);
  });

  test('the notice: a standalone A4 HTML document, every text escaped, nothing loaded from elsewhere', async () => {
    const res = await get('/api/statistics/notice', token, { month: '2020-02', breakdown: 'true' });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html; charset=utf-8/);
    const html = res.text;
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('<h1>《上街信息》信息采用情况通报</h1>');
    expect(html).toContain('@page { size: A4;');
    expect(html).toContain(
      'content="default-src &#39;none&#39;; style-src &#39;unsafe-inline&#39;; img-src data:; font-src data:',
    );
    expect(res.headers['content-security-policy']).toBe(
      "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:; base-uri 'none'; form-action 'none'",
    );
    expect(html).toContain(
      '关于&quot;&lt;b&gt;加强&lt;/b&gt;&quot;&amp;落实的&lt;script&gt;alert(1)&lt;/script&gt;通知',
    );
    expect(html).not.toMatch(/<script|<link|<img|\bsrc=|url\(|@import|https?:/i);
    expect(html).toContain('<td class="unit">区人社局</td><td class="number">4</td><td class="number">4</td>');
    expect(html).toContain('单条采用每条15分，综合采用每个署名单位8分');
  });
});

// ---- who sees what -------------------------------------------------------------------------------------------------

describe('permissions', () => {
  test('an API token and the admin (editor, signer) see every unit; unit staff in the admin only their unit', async () => {
    const all = printed(await table({ month: '2020-02' }));
    expect(all).toHaveLength(7);
    for (const who of ['editor', 'signer']) {
      const res = await get('/bulletin-statistics', admin[who], { month: '2020-02' });
      expect(res.status).toBe(200);
      expect(res.body.data.visibility).toBe('all');
      expect(printed(res.body.data)).toEqual(all);
    }
    const staff = await get('/bulletin-statistics', admin.staff, { month: '2020-02', breakdown: 'true' });
    expect(staff.status).toBe(200);
    expect(staff.body.data.rows.map((row: Row) => [row.unitName, row.rank, row.breakdown?.length])).toEqual([
      ['矿山街道', null, 2],
    ]);
    const csv = await get('/bulletin-statistics/csv', admin.editor, { month: '2020-02' });
    expect(csv.status).toBe(200);
    expect(csv.text).toContain('1,区人社局,4,4,0,0,100.0%,40');
    const notice = await get('/bulletin-statistics/notice', admin.signer, { month: '2020-02' });
    expect(notice.status).toBe(200);
    expect(notice.text).toContain('<!doctype html>');
    expect((await get('/bulletin-statistics', null, { month: '2020-02' })).status).toBe(401);
  });

  test('a contributor sees only the row of their unit, without rank, and only their own breakdown', async () => {
    const report = await table({ month: '2020-02', breakdown: 'true' }, jwt.contributorB);
    expect(report.visibility).toBe('own');
    expect(report.rankingPublished).toBe(false);
    expect(printed(report)).toEqual(['— 峡窝镇 6 2 1 1 33.3% 20']);
    expect(report.rows[0].breakdown!.map((line) => line.itemId)).toEqual([items.c1, items.b5]);
    const csv = await get('/api/statistics.csv', jwt.contributorB, { month: '2020-02' });
    expect(csv.text.slice(1).split('\r\n').slice(2)).toEqual(['—,峡窝镇,6,2,1,1,33.3%,20', '']);
    const notice = await get('/api/statistics/notice', jwt.contributorB, { month: '2020-02' });
    expect(notice.status).toBe(200);
    expect(notice.text).toContain('峡窝镇');
    expect(notice.text).not.toContain('区人社局');
  });

  test.each([
    ['a reader', 'reader'],
    ['an account without a bulletin role', 'plain'],
    ['no login', null],
  ])('%s gets 403 on every route and FORBIDDEN over GraphQL', async (_name, who) => {
    const bearer = who === null ? null : jwt[who];
    for (const path of ['/api/statistics', '/api/statistics.csv', '/api/statistics/notice']) {
      expect((await get(path, bearer, { month: '2020-02' })).status).toBe(403);
    }
    const gql = await graphql(app, bearer, '{ bulletinStatistics(month: "2020-02") { rows { unitName } } }');
    expect(gql.errors[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(gql.data).toBeNull();
  });
});

// ---- bad input -----------------------------------------------------------------------------------------------------

describe('a bad period is a 400 naming the field', () => {
  test.each([
    [{ month: '2020-13' }, ['month']],
    [{ quarter: '2020-Q5' }, ['quarter']],
    [{ year: '20' }, ['year']],
    [{ from: '2020-02-30', to: '2020-03-01' }, ['from']],
    [{ from: '2020-03-01', to: '2020-02-01' }, ['to']],
    [{ from: '2020-03-01' }, ['to']],
    [{ month: '2020-02', year: '2020' }, ['month', 'year']],
    [{}, ['period']],
    [{ month: '2020-02', breakdown: 'yes' }, ['breakdown']],
    [{ month: '2020-02', publication: '刊'.repeat(41) }, ['publication']],
  ])('REST %j', async (query, fields) => {
    const res = await get('/api/statistics', token, query);
    expect(res.status).toBe(400);
    expect(res.body.error.name).toBe('ValidationError');
    expect(res.body.error.details.errors.map((error: { path: string[] }) => error.path[0])).toEqual(fields);
    expect((await get('/api/statistics.csv', token, query as Record<string, string>)).status).toBe(400);
  });

  test('GraphQL: BAD_USER_INPUT naming the field', async () => {
    const res = await graphql(app, token, '{ bulletinStatistics(month: "2020-13") { rows { unitName } } }');
    expect(res.errors[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(JSON.stringify(res.errors[0].extensions)).toContain('month');
    expect(res.errors[0].message).toContain('month');
  });

  test('a wrong scoring table stops the start, naming the variable', () => {
    const saved = process.env.BULLETIN_SCORING;
    try {
      process.env.BULLETIN_SCORING = JSON.stringify({
        rules: [{ publication: '*', edition: 'regular', single: 10, combined: 5, combinedPer: 'unit' }],
      });
      expect(() => bulletinConfig({ env })).toThrow(/BULLETIN_SCORING.*rules/);
      process.env.BULLETIN_SCORING = '{"rules": [';
      expect(() => bulletinConfig({ env })).toThrow(/BULLETIN_SCORING/);
    } finally {
      process.env.BULLETIN_SCORING = saved;
    }
  });
});

// ---- GraphQL -------------------------------------------------------------------------------------------------------

describe('GraphQL', () => {
  const QUERY = `query($month: String, $publication: String, $breakdown: Boolean) {
    bulletinStatistics(month: $month, publication: $publication, breakdown: $breakdown) {
      publication visibility rankingPublished period { from to label }
      rows { unitId unitDocumentId unitName submitted adopted returned withdrawn rate rateLabel points pointsHundredths pointsLabel rank
             breakdown { itemId headline issueId issueLabel issueDate adoptionKind unitCount points pointsHundredths pointsLabel basis } }
    }
  }`;

  test('gives the same report as REST, for staff and for a contributor', async () => {
    for (const bearer of [token, jwt.contributorB]) {
      for (const variables of [
        { month: '2020-02', breakdown: true },
        { month: '2020-02', publication: '*' },
      ]) {
        const gql = await graphql<{ bulletinStatistics: Report }>(app, bearer, QUERY, variables);
        expect(gql.errors).toEqual([]);
        const rest = await table(
          {
            month: variables.month,
            ...('publication' in variables ? { publication: variables.publication } : {}),
            ...('breakdown' in variables ? { breakdown: 'true' } : {}),
          },
          bearer,
        );
        const { scoring: _scoring, timeZone: _timeZone, publicationLabel: _label, ...same } = rest;
        expect(gql.data?.bulletinStatistics).toEqual(same);
      }
    }
  });

  test('year as a number', async () => {
    const gql = await graphql<{ bulletinStatistics: Report }>(
      app,
      token,
      '{ bulletinStatistics(year: 2020) { period { label } rows { unitName rank pointsLabel } } }',
    );
    expect(gql.errors).toEqual([]);
    expect(gql.data?.bulletinStatistics.period.label).toBe('2020年');
    expect(gql.data?.bulletinStatistics.rows.slice(0, 2)).toEqual([
      { unitName: '区人社局', rank: 1, pointsLabel: '40' },
      { unitName: '峡窝镇', rank: 1, pointsLabel: '40' },
    ]);
  });
});

// ---- the published ranking -----------------------------------------------------------------------------------------

describe('when the office publishes the ranking (BULLETIN_PUBLISH_RANKING=true)', () => {
  // The app reads the setting from its configuration on every request: set there for this block only and put back
  // after it (the other blocks expect it off, in whatever order they run). That the variable reaches the configuration
  // is the first test below.
  beforeAll(() => {
    app.strapi.config.set('bulletin.publishRanking', true);
  });
  afterAll(() => {
    app.strapi.config.set('bulletin.publishRanking', false);
  });

  test('BULLETIN_PUBLISH_RANKING=true sets the configuration the app reads (unset: off)', () => {
    const saved = process.env.BULLETIN_PUBLISH_RANKING;
    try {
      process.env.BULLETIN_PUBLISH_RANKING = 'true';
      expect(bulletinConfig({ env }).publishRanking).toBe(true);
      delete process.env.BULLETIN_PUBLISH_RANKING;
      expect(bulletinConfig({ env }).publishRanking).toBe(false);
    } finally {
      if (saved === undefined) delete process.env.BULLETIN_PUBLISH_RANKING;
      else process.env.BULLETIN_PUBLISH_RANKING = saved;
    }
  });

  test('a contributor sees the whole table with ranks, and only their own breakdown', async () => {
    const report = await table({ month: '2020-02', breakdown: 'true' }, jwt.contributorB);
    expect(report.visibility).toBe('ranking');
    expect(report.rankingPublished).toBe(true);
    expect(printed(report)).toEqual(printed(await table({ month: '2020-02' })));
    expect(report.rows.map((row) => [row.unitName, row.breakdown === null ? null : row.breakdown.length])).toEqual([
      ['区人社局', null],
      ['峡窝镇', 2],
      ['矿山街道', null],
      ['区文广旅局', null],
      ['区财政局', null],
      ['区撤并局', null],
      ['区委办', null],
    ]);
    const csv = await get('/api/statistics.csv', jwt.contributorB, { month: '2020-02', breakdown: 'true' });
    expect(
      csv.text
        .slice(1)
        .split('\r\n')
        .slice(2)
        .map((line) => line.split(',')[0]),
    ).toEqual(['峡窝镇', '峡窝镇', '']);
  });

  test('a reader still gets 403', async () => {
    expect((await get('/api/statistics', jwt.reader, { month: '2020-02' })).status).toBe(403);
  });
});
