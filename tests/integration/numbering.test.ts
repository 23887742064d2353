import { bootApp, createApiToken, type TestApp } from '../support/app';
import { calendarDateIn } from '../../src/domain/dates';

/**
 * Issue numbering through REST (API token), the admin's content-manager API (an editor) and the Document Service.
 * 督查专报 prints a running total (BULLETIN_PUBLICATIONS); 上街信息, the demo's publication, does not.
 *
 * Every test stands alone, in any order: a test that counts numbers writes into a publication of its own
 * (`ownPublication()`), or into a year of 上街信息 no other test writes to; the demo's 2020 第14期 is only read (or
 * cloned: a clone is dated today, outside every other test's years).
 */

let app: TestApp;
let token: string;
let adminToken: string;

type Issue = {
  documentId: string;
  publication: string;
  edition: string;
  year: number;
  number: number | null;
  totalNumber: number | null;
  date: string;
  columnTitle: string | null;
  columnInstallment: number | null;
};

const auth = () => ({ Authorization: `Bearer ${token}` });
const asEditor = () => ({ Authorization: `Bearer ${adminToken}` });
const CM = '/content-manager/collection-types/api::issue.issue';

async function create(data: Record<string, unknown>, status: 'draft' | 'published' = 'draft') {
  return app.http().post('/api/issues').query({ status }).set(auth()).send({ data });
}
async function created(data: Record<string, unknown>): Promise<Issue> {
  const res = await create(data);
  expect(res.body.error).toBeUndefined();
  expect(res.status).toBe(201);
  return res.body.data;
}
/** Both rows of a document, draft first: their numbers must agree. */
async function rows(documentId: string): Promise<Issue[]> {
  return app.strapi.db.query('api::issue.issue').findMany({ where: { documentId }, orderBy: { publishedAt: 'desc' } });
}
/** What signing off needs: an issuer and at least one adopted item. */
async function makeSignable(documentId: string): Promise<void> {
  const office = await app.strapi.db.query('api::unit.unit').findOne({ where: { shortName: '区委办' } });
  await app.strapi.documents('api::issue.issue').update({ documentId, data: { issuer: office.documentId } as never });
  await app.strapi.documents('api::item.item').create({
    data: {
      headline: '编入的信息',
      body: '正文',
      units: [office.documentId],
      state: 'adopted',
      issue: documentId,
      position: 1,
    } as never,
  });
}
/** A publication no other test writes to: its numbers start at 第1期 (it prints no running total). */
let publications = 0;
const ownPublication = (): string => `测试刊物${(publications += 1)}`;
const numbersOf = (issue: Issue) => [issue.year, issue.number, issue.totalNumber, issue.columnInstallment];
const errorPaths = (body: { error: { details: { errors?: { path: string[] }[] } } }) =>
  (body.error.details.errors ?? []).map((error) => error.path.join('.'));

beforeAll(async () => {
  app = await bootApp({
    env: {
      BULLETIN_PUBLICATIONS: JSON.stringify({
        上街信息: { printsTotalNumber: false },
        督查专报: { printsTotalNumber: true },
      }),
    },
  });
  token = await createApiToken(app.strapi, 'full-access');
  const registered = await app
    .http()
    .post('/admin/register-admin')
    .send({ email: 'editor@example.gov.cn', firstname: '郝', lastname: '婕', password: 'Editor-pass-1' });
  adminToken = registered.body.data.token;
});
afterAll(async () => {
  await (app as TestApp | undefined)?.close();
});

describe('期号: max + 1 within publication, edition and year', () => {
  test('the issue after the highest of 2020 (the demo 第14期) is the next; 2021 starts again at 第1期; supplements count on their own', async () => {
    // The admin's duplicate (a test below) may already have taken 2020 第15期 for a copy of the demo.
    const of2020 = await app.strapi.db
      .query('api::issue.issue')
      .findMany({ where: { publication: '上街信息', edition: 'regular', year: 2020, publishedAt: null } });
    const highest = Math.max(...of2020.map((issue: Issue) => issue.number ?? 0));
    expect(highest).toBeGreaterThanOrEqual(14);
    expect((await created({ date: '2020-03-01' })).number).toBe(highest + 1);
    expect((await created({ date: '2021-01-04' })).number).toBe(1);
    const supplement = await created({ date: '2020-03-02', edition: 'supplement' });
    expect(supplement.number).toBe(1);
    expect(
      (await app.http().get(`/api/issues/${supplement.documentId}`).query({ status: 'draft' }).set(auth())).body.data
        .labels.issueLine,
    ).toBe('增刊第1期');
    expect((await created({ date: '2020-03-03', edition: 'special' })).number).toBe(1);
    expect((await created({ date: '2020-03-05' })).number).toBe(highest + 2);
    expect((await created({ date: '2021-01-05' })).number).toBe(2);
  });

  test('without a date, an issue is dated today in the office time zone (the server clock runs on Los Angeles time)', async () => {
    const before = calendarDateIn('Asia/Shanghai', new Date());
    const issue = await created({});
    const after = calendarDateIn('Asia/Shanghai', new Date());
    expect([before, after]).toContain(issue.date);
    expect(issue.year).toBe(Number(issue.date.slice(0, 4)));
    expect(issue.number).toBeGreaterThanOrEqual(1);
  });

  test('an explicit free number is kept, and the next automatic one follows the highest (gaps are not refilled)', async () => {
    const publication = ownPublication();
    expect((await created({ publication, date: '2019-05-06', number: 30 })).number).toBe(30);
    expect((await created({ publication, date: '2019-06-01' })).number).toBe(31);
  });

  test('an explicit number already taken is a 400 naming the issue that holds it, and nothing is written', async () => {
    const before = await app.strapi.db.query('api::issue.issue').count({});
    const res = await create({ date: '2020-05-01', number: 14 });
    expect(res.status).toBe(400);
    expect(errorPaths(res.body)).toEqual(['number']);
    expect(res.body.error.message).toContain('期号 14 已被 “上街信息 2020年第14期”');
    expect(await app.strapi.db.query('api::issue.issue').count({})).toBe(before);
  });

  test('a year that is not the year of the date is refused, not silently changed', async () => {
    const res = await create({ date: '2020-05-01', year: 2021 });
    expect(res.status).toBe(400);
    expect(errorPaths(res.body)).toEqual(['year']);
  });
});

describe('总期号 and column installments', () => {
  test('a publication that prints a running total numbers it across years, never restarting', async () => {
    const a = await created({ publication: '督查专报', date: '2020-12-30' });
    const b = await created({ publication: '督查专报', date: '2021-01-02' });
    expect([a.number, a.totalNumber]).toEqual([1, 1]);
    expect([b.number, b.totalNumber]).toEqual([1, 2]);
    const read = await app.http().get(`/api/issues/${b.documentId}`).query({ status: 'draft' }).set(auth());
    expect(read.body.data.labels).toMatchObject({
      issueLine: '第1期（总第2期）',
      totalNumber: '总第2期',
      date: '2021年1月2日',
    });
    const res = await create({ publication: '督查专报', date: '2021-02-01', totalNumber: 2 });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('总期号 2 已被 “督查专报 2021年第1期”');
  });

  test('the reference publication prints no running total', async () => {
    expect((await created({ date: '2030-06-01' })).totalNumber).toBeNull();
  });

  test('a column continues at its next installment, across years; a taken installment is a 400', async () => {
    const publication = ownPublication();
    const column = '坚定信心 众志成城 坚决打赢疫情防控阻击战';
    expect(
      (await created({ publication, date: '2020-02-19', columnTitle: column, columnInstallment: 7 })).columnInstallment,
    ).toBe(7);
    expect((await created({ publication, date: '2021-02-20', columnTitle: column })).columnInstallment).toBe(8);
    expect((await created({ publication, date: '2021-02-21', columnTitle: '新专栏' })).columnInstallment).toBe(1);
    const res = await create({ publication, date: '2021-02-22', columnTitle: column, columnInstallment: 7 });
    expect(res.status).toBe(400);
    expect(errorPaths(res.body)).toEqual(['columnInstallment']);
    expect(res.body.error.message).toContain(`栏目期次 7 已被 “${publication} 2020年第1期”`);
  });
});

describe('numbers are assigned once per document', () => {
  test('saving, publishing, unpublishing, republishing and discarding a draft never change them; draft and published agree', async () => {
    const issue = await created({ publication: ownPublication(), date: '2022-04-01', columnTitle: '基层动态' });
    const numbers = numbersOf(issue);
    const documents = app.strapi.documents('api::issue.issue');

    await documents.update({ documentId: issue.documentId, data: { editors: '郝婕' } });
    await makeSignable(issue.documentId);
    await documents.publish({ documentId: issue.documentId });
    await documents.update({ documentId: issue.documentId, data: { printRun: 80 } });
    await documents.discardDraft({ documentId: issue.documentId });
    await documents.unpublish({ documentId: issue.documentId });
    await documents.publish({ documentId: issue.documentId });
    const put = await app
      .http()
      .put(`/api/issues/${issue.documentId}`)
      .set(auth())
      .send({ data: { signer: '宋洁' } });
    expect(put.status).toBe(200);

    const both = await rows(issue.documentId);
    expect(both).toHaveLength(2);
    expect(both.map(numbersOf)).toEqual([numbers, numbers]);
  });

  test('before the first sign-off, moving to another year, edition or publication renumbers', async () => {
    const publication = ownPublication();
    const issue = await created({ publication, date: '2023-03-01' });
    expect(issue.number).toBe(1);
    await created({ publication, date: '2024-01-01' }); // 2024 第1期
    const moved = await app
      .http()
      .put(`/api/issues/${issue.documentId}`)
      .query({ status: 'draft' })
      .set(auth())
      .send({ data: { date: '2024-02-01' } });
    expect(moved.status).toBe(200);
    expect([moved.body.data.year, moved.body.data.number]).toEqual([2024, 2]);

    const toSpecial = await app
      .http()
      .put(`/api/issues/${issue.documentId}`)
      .query({ status: 'draft' })
      .set(auth())
      .send({ data: { edition: 'special' } });
    expect([toSpecial.body.data.edition, toSpecial.body.data.number]).toEqual(['special', 1]);
  });

  test('once first signed off, even if unpublished since, its number is frozen and a move is refused with a message', async () => {
    const issue = await created({ publication: ownPublication(), date: '2023-05-01' });
    await makeSignable(issue.documentId);
    await app.strapi.documents('api::issue.issue').publish({ documentId: issue.documentId });
    await app.strapi.documents('api::issue.issue').unpublish({ documentId: issue.documentId });

    for (const data of [
      { date: '2024-05-01' },
      { edition: 'supplement' },
      { publication: '督查专报' },
      { number: 99 },
    ]) {
      const res = await app
        .http()
        .put(`/api/issues/${issue.documentId}`)
        .query({ status: 'draft' })
        .set(auth())
        .send({ data });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain('已签发过的期，编号已固定');
    }
    const [draft] = await rows(issue.documentId);
    expect(numbersOf(draft)).toEqual(numbersOf(issue));

    const sameYear = await app
      .http()
      .put(`/api/issues/${issue.documentId}`)
      .query({ status: 'draft' })
      .set(auth())
      .send({ data: { date: '2023-05-02' } });
    expect(sameYear.status).toBe(200);
  });

  test('the Document Service duplicate (clone) gets fresh numbers, is dated today and takes no items', async () => {
    const demo = (await app.strapi.db
      .query('api::issue.issue')
      .findOne({ where: { publication: '上街信息', number: 14, year: 2020, publishedAt: null } })) as Issue;
    const column = await app.strapi.db
      .query('api::issue.issue')
      .findMany({ where: { publication: '上街信息', columnTitle: demo.columnTitle, publishedAt: null } });
    const highest = Math.max(...column.map((issue: Issue) => issue.columnInstallment ?? 0));
    const clone = await app.strapi.documents('api::issue.issue').clone({ documentId: demo.documentId });
    expect(clone).not.toBeNull();
    const copy = (await rows(clone!.documentId))[0];
    const today = calendarDateIn('Asia/Shanghai', new Date());
    expect(copy.date).toBe(today);
    expect(copy.number).not.toBe(14);
    expect(demo.columnInstallment).toBe(7);
    expect(copy.columnInstallment).toBe(highest + 1); // the column's next installment, not the demo's 7
    const items = await app.strapi.db
      .query('api::item.item')
      .count({ where: { issue: { documentId: clone!.documentId } } });
    expect(items).toBe(0);
    const demoItems = await app.strapi.db
      .query('api::item.item')
      .count({ where: { issue: { documentId: demo.documentId } } });
    expect(demoItems).toBe(6);
  });
});

describe('through the admin, as an editor', () => {
  test('an issue created in the content manager is numbered', async () => {
    const res = await app.http().post(CM).set(asEditor()).send({ publication: ownPublication(), date: '2025-01-03' });
    expect(res.status).toBe(201);
    expect([res.body.data.year, res.body.data.number]).toEqual([2025, 1]);
  });

  test("the admin's duplicate, carrying the original's fields, gets fresh numbers, not a copy and not a 400", async () => {
    const demo = (await app.strapi.db
      .query('api::issue.issue')
      .findOne({ where: { publication: '上街信息', number: 14, year: 2020, publishedAt: null } })) as Issue;
    const original = await app.http().get(`${CM}/${demo.documentId}`).set(asEditor());
    expect(original.status).toBe(200);
    const {
      documentId: _id,
      id: _rowId,
      createdAt: _c,
      updatedAt: _u,
      publishedAt: _p,
      ...fields
    } = original.body.data;

    const res = await app.http().post(`${CM}/clone/${demo.documentId}`).set(asEditor()).send(fields);
    expect(res.body.error).toBeUndefined();
    expect(res.status).toBe(200);
    expect(res.body.data.number).not.toBe(14);
    expect(res.body.data.documentId).not.toBe(demo.documentId);
    expect(res.body.data.firstSignedOffAt).toBeNull();
  });

  test('an editor sees the conflict message when typing a taken number', async () => {
    const res = await app
      .http()
      .post(CM)
      .set(asEditor())
      .send({ publication: '上街信息', date: '2020-08-01', number: 14 });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('已被 “上街信息 2020年第14期”');
  });
});

describe('deleting', () => {
  test('a signed-off issue cannot be deleted; unpublished first, it can, and other issues keep their numbers', async () => {
    const publication = ownPublication();
    const first = await created({ publication, date: '2028-01-10', number: 1 });
    const second = await created({ publication, date: '2028-01-11', number: 2 });
    await makeSignable(first.documentId);
    await app.strapi.documents('api::issue.issue').publish({ documentId: first.documentId });

    const refused = await app.http().delete(`/api/issues/${first.documentId}`).set(auth());
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toContain('请先撤回签发');
    expect(await rows(first.documentId)).toHaveLength(2);

    await app.strapi.documents('api::issue.issue').unpublish({ documentId: first.documentId });
    const deleted = await app.http().delete(`/api/issues/${first.documentId}`).set(auth());
    expect(deleted.status).toBe(204);
    expect((await rows(second.documentId))[0].number).toBe(2);
    expect((await created({ publication, date: '2028-01-12' })).number).toBe(3);
  });
});

describe('what the database guarantees', () => {
  test('a duplicate draft number written past the Document Service is rejected by the partial unique index', async () => {
    await expect(
      app.strapi.db.query('api::issue.issue').create({
        data: {
          documentId: 'manual-dup',
          publication: '上街信息',
          edition: 'regular',
          year: 2020,
          number: 14,
          date: '2020-09-09',
          publishedAt: null,
        },
      }),
    ).rejects.toMatchObject({ code: '23505', constraint: 'issues_number_draft_unique' });
  });

  test('a published row may repeat its draft number (draft and published rows share it)', async () => {
    const published = await app.strapi.db
      .query('api::issue.issue')
      .count({ where: { publication: '上街信息', number: 14, year: 2020 } });
    expect(published).toBe(2);
  });
});
