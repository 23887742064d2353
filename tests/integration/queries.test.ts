import { bootApp, createApiToken, type TestApp } from '../support/app';
import { graphql } from '../support/graphql';
import { aPerson, unitId } from '../support/people';

/** The queries a front end needs, as a reader on the list, and the search over Chinese text. */

let app: TestApp;
let reader: string;

beforeAll(async () => {
  app = await bootApp();
  reader = (await aPerson(app, 'xiawo-reader', 'reader', await unitId(app, '峡窝镇'))).jwt;
  // Two more signed-off 2020 issues distributed to 峡窝镇, and one of 2021.
  const office = await unitId(app, '区委办');
  const group = await app.strapi.db
    .query('api::recipient-group.recipient-group')
    .findOne({ where: { name: '峡窝镇' } });
  for (const date of ['2020-03-01', '2020-04-01', '2021-01-05']) {
    const issue = await app.strapi
      .documents('api::issue.issue')
      .create({ data: { date, issuer: office.documentId, distributeTo: [{ group: group.documentId }] } as never });
    await app.strapi.documents('api::item.item').create({
      data: {
        headline: `${date}的信息`,
        body: '峡窝镇推进垃圾分类工作',
        units: [(await unitId(app, '峡窝镇')).documentId],
        state: 'adopted',
        issue: issue.documentId,
        position: 1,
      } as never,
    });
    await app.strapi.documents('api::issue.issue').publish({ documentId: issue.documentId });
  }
});
afterAll(async () => {
  await (app as TestApp | undefined)?.close();
});

test('issues of a year, newest first, paged', async () => {
  const page = (n: number) =>
    graphql<{ issues_connection: { nodes: { number: number }[]; pageInfo: { total: number; pageCount: number } } }>(
      app,
      reader,
      'query($p: Int!) { issues_connection(filters: { year: { eq: 2020 } }, sort: ["date:desc", "number:desc"], pagination: { page: $p, pageSize: 2 }) { nodes { number } pageInfo { total pageCount } } }',
      { p: n },
    );
  const first = await page(1);
  expect(first.errors).toEqual([]);
  expect(first.data?.issues_connection.nodes.map((issue) => issue.number)).toEqual([16, 15]);
  expect(first.data?.issues_connection.pageInfo).toEqual({ total: 3, pageCount: 2 });
  expect((await page(2)).data?.issues_connection.nodes.map((issue) => issue.number)).toEqual([14]);
});

test('items by unit and period', async () => {
  const res = await graphql<{ items: { headline: string }[] }>(
    app,
    reader,
    '{ items(filters: { units: { shortName: { eq: "峡窝镇" } }, issue: { date: { between: ["2020-01-01", "2020-12-31"] } } }, sort: "headline:asc") { headline } }',
  );
  expect(res.errors).toEqual([]);
  expect(res.data?.items.map((item) => item.headline)).toEqual([
    '2020-03-01的信息',
    '2020-04-01的信息',
    '峡窝镇电子指挥调度系统上线助力疫情防控',
  ]);
});

test.each([
  ['疫情防控', 5], // items 1, 2, 4, 5 and 6 of the demo, in headlines or inside body sentences
  ['垃圾分类', 3],
  ['绿色通道', 1],
  ['慕课', 1],
  ['不存在的词', 0],
])('search for %s (a word inside Chinese sentences) finds %i item(s), in scope', async (word, count) => {
  const rest = await app
    .http()
    .get('/api/items')
    .query({
      'filters[$or][0][headline][$containsi]': word,
      'filters[$or][1][body][$containsi]': word,
      'pagination[pageSize]': 100,
    })
    .set('Authorization', `Bearer ${reader}`);
  expect(rest.status).toBe(200);
  const gql = await graphql<{ items: unknown[] }>(
    app,
    reader,
    'query($w: String!) { items(filters: { or: [{ headline: { containsi: $w } }, { body: { containsi: $w } }] }, pagination: { limit: 100 }) { headline } }',
    { w: word },
  );
  expect(rest.body.data.length).toBe(count);
  expect(gql.data?.items.length).toBe(count);
});

test('search is served by trigram indexes on PostgreSQL', async () => {
  const indexes = await app.strapi.db.connection.raw(
    "SELECT indexname FROM pg_indexes WHERE tablename = 'items' AND indexname LIKE '%trgm'",
  );
  expect(indexes.rows.map((row: { indexname: string }) => row.indexname).sort()).toEqual([
    'items_body_trgm',
    'items_headline_trgm',
  ]);
});

test('limits: a page is 100 at most, and deep queries are refused', async () => {
  const token = await createApiToken(app.strapi, 'read-only');
  const many = await app
    .http()
    .get('/api/units')
    .query({ 'pagination[pageSize]': 1000 })
    .set('Authorization', `Bearer ${token}`);
  expect(many.body.meta.pagination.pageSize).toBe(100);
  const deep = await graphql(
    app,
    token,
    '{ issues { items { issue { items { issue { items { issue { items { issue { items { issue { documentId } } } } } } } } } } } }',
  );
  expect(deep.errors.length).toBeGreaterThan(0);
  expect(JSON.stringify(deep.errors)).toMatch(/depth/i);
});
