import { bootApp, createApiToken, type TestApp } from '../support/app';
import { graphql } from '../support/graphql';
import { FULL_ISSUE_QUERY, referenceText } from '../support/demo-issue';
import { attributionLabel } from '../../src/domain/attribution';
import type { Edition } from '../../src/domain/labels';
import { personNamesLabel, recipientLineLabel, splitPersonNames } from '../../src/domain/names';
import { issueAsText, paragraphsOf, type FooterLine } from '../../src/domain/plain-text';
import { REFERENCE_HEADLINES } from '../support/reference-expected';

type GroupRef = { group: { name: string } | null };
type DemoIssue = {
  documentId: string;
  publication: string;
  edition: Edition;
  year: number;
  number: number;
  totalNumber: number | null;
  date: string;
  columnTitle: string | null;
  columnInstallment: number | null;
  editors: string | null;
  firstSignedOffAt: string | null;
  labels: {
    issueLine: string;
    number: string | null;
    totalNumber: string | null;
    installment: string | null;
    column: string | null;
    date: string | null;
  };
  issuer: { shortName: string; fullName: string } | null;
  reportTo: GroupRef[];
  sendTo: GroupRef[];
  distributeTo: GroupRef[];
  copyTo: GroupRef[];
  items: { headline: string; body: string; position: number; units: { shortName: string }[] }[];
};

const names = (refs: GroupRef[]) => refs.map((ref) => ref.group?.name ?? '');

let app: TestApp;
let token: string;

beforeAll(async () => {
  app = await bootApp();
  token = await createApiToken(app.strapi, 'read-only');
});
afterAll(async () => {
  await (app as TestApp | undefined)?.close();
});

async function demoIssue(): Promise<DemoIssue> {
  const res = await graphql<{ issues: DemoIssue[] }>(app, token, FULL_ISSUE_QUERY, {
    publication: '上街信息',
    year: 2020,
    number: 14,
  });
  expect(res.errors).toEqual([]);
  expect(res.data?.issues).toHaveLength(1);
  return res.data!.issues[0];
}

describe('the demo issue (上街信息 2020 第14期)', () => {
  test('GraphQL returns it signed off, with six items in order, their units and the recipient lines', async () => {
    const issue = await demoIssue();

    expect(issue).toMatchObject({
      publication: '上街信息',
      edition: 'regular',
      year: 2020,
      number: 14,
      totalNumber: null,
      date: '2020-02-19',
      columnTitle: '坚定信心 众志成城 坚决打赢疫情防控阻击战',
      columnInstallment: 7,
      editors: '郝婕 李德昭',
      issuer: { shortName: '区委办', fullName: '中共上街区委办公室' },
    });
    expect(issue.firstSignedOffAt).not.toBeNull();
    expect(issue.labels).toEqual({
      issueLine: '第14期',
      number: '第14期',
      totalNumber: null,
      installment: '（七）',
      column: '坚定信心 众志成城 坚决打赢疫情防控阻击战（七）',
      date: '2020年2月19日',
    });
    expect(issue.items.map((item) => item.position)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(issue.items.map((item) => item.units.map((unit) => unit.shortName))).toEqual([
      ['区委办'],
      ['区人社局'],
      ['通航试验区管委会'],
      ['峡窝镇'],
      ['矿山街道'],
      ['区文广旅局'],
    ]);
    expect(names(issue.sendTo)).toEqual(['区县处级领导']);
    expect(names(issue.distributeTo)).toEqual(['峡窝镇', '各街道办事处', '区直各单位负责同志']);
    expect(names(issue.reportTo)).toEqual([]);
    expect(names(issue.copyTo)).toEqual([]);
  });

  test('read back over GraphQL, it reproduces the reference text exactly', async () => {
    const issue = await demoIssue();
    const footer: FooterLine[] = [];
    if (issue.sendTo.length > 0) footer.push({ label: '本期送', text: recipientLineLabel(names(issue.sendTo)) });
    if (issue.distributeTo.length > 0)
      footer.push({ label: '发', text: recipientLineLabel(names(issue.distributeTo)) });
    footer.push({ label: '责任编辑', text: personNamesLabel(splitPersonNames(issue.editors)) });

    const text = issueAsText({
      publication: issue.publication,
      issueLine: issue.labels.issueLine,
      issuer: issue.issuer!.fullName,
      date: issue.labels.date!,
      column: issue.labels.column,
      items: issue.items.map((item) => ({
        headline: item.headline,
        paragraphs: paragraphsOf(item.body),
        attribution: attributionLabel(
          item.units.map((unit) => unit.shortName),
          issue.issuer!.shortName,
        ),
      })),
      footer,
    });

    expect(text.split('\n\n')).toEqual(referenceText().split('\n\n'));
  });

  test('REST returns it with its items, units and recipient lines', async () => {
    const res = await app
      .http()
      .get('/api/issues')
      .query({
        'filters[number][$eq]': 14,
        'populate[items][sort]': 'position:asc',
        'populate[items][populate][units][fields][0]': 'shortName',
        'populate[issuer][fields][0]': 'fullName',
        'populate[distributeTo][populate][group][fields][0]': 'name',
        'populate[sendTo][populate][group][fields][0]': 'name',
      })
      .set('Authorization', `Bearer ${token}`);

    expect(res.status).toBe(200);
    expect(res.body.data).toHaveLength(1);
    const issue = res.body.data[0];
    expect(issue.labels).toMatchObject({
      issueLine: '第14期',
      column: '坚定信心 众志成城 坚决打赢疫情防控阻击战（七）',
      date: '2020年2月19日',
    });
    expect(issue.issuer.fullName).toBe('中共上街区委办公室');
    expect(issue.items.map((item: { headline: string }) => item.headline)).toEqual(REFERENCE_HEADLINES);
    expect(issue.items[1].units).toEqual([expect.objectContaining({ shortName: '区人社局' })]);
    expect(issue.distributeTo.map((ref: GroupRef) => ref.group?.name)).toEqual([
      '峡窝镇',
      '各街道办事处',
      '区直各单位负责同志',
    ]);
    expect(issue.sendTo.map((ref: GroupRef) => ref.group?.name)).toEqual(['区县处级领导']);
  });

  test('the body keeps its real paragraph breaks and rejoins the one a page break split', async () => {
    const issue = await demoIssue();
    expect(issue.items.map((item) => paragraphsOf(item.body).length)).toEqual([3, 1, 1, 2, 1, 1]);
    expect(issue.items[1].body).toContain('优先受理小微企业的贷款申请');
    expect(issue.items[1].body).not.toContain('（区人社局）');
  });

  test('a second start adds nothing', async () => {
    const count = async () => ({
      issues: await app.strapi.db.query('api::issue.issue').count({}),
      items: await app.strapi.db.query('api::item.item').count({}),
      units: await app.strapi.db.query('api::unit.unit').count({}),
      groups: await app.strapi.db.query('api::recipient-group.recipient-group').count({}),
    });
    const before = await count();
    expect(before).toEqual({ issues: 2, items: 6, units: 10, groups: 4 }); // issues: the draft and the published row

    await app.restart();

    expect(await count()).toEqual(before);
  });
});
