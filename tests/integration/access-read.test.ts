import { bootApp, type TestApp } from '../support/app';
import { graphql } from '../support/graphql';
import { aPerson, aUnit, listOnGroup, unitId } from '../support/people';

/**
 * Who reads what, with real logins. The demo issue (上街信息 2020 第14期) is sent to 区县处级领导 (people) and
 * distributed to 峡窝镇, 各街道办事处 and 区直各单位负责同志 (区人社局, 区文广旅局, 通航试验区管委会).
 * 区财政局 is on no list.
 */

let app: TestApp;
let demoId: string;
const jwt: Record<string, string> = {};

beforeAll(async () => {
  app = await bootApp();
  demoId = (await app.strapi.db.query('api::issue.issue').findOne({ where: { number: 14 } })).documentId;
  const finance = await aUnit(app, '区财政局');
  jwt.readerOnList = (await aPerson(app, 'xiawo-reader', 'reader', await unitId(app, '峡窝镇'))).jwt;
  jwt.readerOffList = (await aPerson(app, 'finance-reader', 'reader', finance)).jwt;
  const leader = await aPerson(app, 'leader', 'reader', null);
  await listOnGroup(app, '区县处级领导', leader.id);
  jwt.leader = leader.jwt;
  jwt.contributorOnList = (await aPerson(app, 'hrss-contributor', 'contributor', await unitId(app, '区人社局'))).jwt;
  jwt.contributorOffList = (await aPerson(app, 'finance-contributor', 'contributor', finance)).jwt;
  jwt.noRole = (await aPerson(app, 'plain-account', 'authenticated', null)).jwt;

  // An item of 区财政局 adopted into the demo issue, which is not sent to 区财政局 (unpublished to add it: items of a
  // signed-off issue are frozen).
  await app.strapi.documents('api::issue.issue').unpublish({ documentId: demoId });
  await app.strapi.documents('api::item.item').create({
    data: {
      headline: '财政局的信息',
      body: '正文',
      units: [finance.documentId],
      state: 'adopted',
      issue: demoId,
      position: 7,
    } as never,
  });
  await app.strapi.documents('api::issue.issue').publish({ documentId: demoId });
});
afterAll(async () => {
  await (app as TestApp | undefined)?.close();
});

const get = (url: string, who: string | null, query: Record<string, unknown> = {}) => {
  const call = app.http().get(url).query(query);
  return who === null ? call : call.set('Authorization', `Bearer ${jwt[who]}`);
};
const headlines = (body: { data: { headline: string }[] }) => body.data.map((item) => item.headline);

describe('issues', () => {
  test.each([
    ['readerOnList', 1],
    ['leader', 1],
    ['contributorOnList', 1],
    ['readerOffList', 0],
    ['contributorOffList', 0],
  ])('%s lists %i issue(s) over REST and GraphQL', async (who, count) => {
    const rest = await get('/api/issues', who);
    expect(rest.status).toBe(200);
    expect(rest.body.data).toHaveLength(count);
    expect(rest.body.meta.pagination.total).toBe(count);
    const gql = await graphql<{ issues: unknown[] }>(app, jwt[who], '{ issues { documentId } }');
    expect(gql.data?.issues).toHaveLength(count);
  });

  test('an issue not sent to the caller is a 404 (REST) and null (GraphQL)', async () => {
    expect((await get(`/api/issues/${demoId}`, 'readerOffList')).status).toBe(404);
    expect((await get(`/api/issues/${demoId}`, 'readerOnList')).status).toBe(200);
    const gql = await graphql<{ issue: unknown }>(
      app,
      jwt.readerOffList,
      'query($id: ID!) { issue(documentId: $id) { documentId } }',
      { id: demoId },
    );
    expect(gql.data?.issue ?? null).toBeNull();
  });

  test('drafts are never shown to readers', async () => {
    expect((await get(`/api/issues/${demoId}`, 'readerOnList', { status: 'draft' })).status).toBe(404);
  });

  test('without a login, or with an account that has no bulletin role, reading is forbidden', async () => {
    expect((await get('/api/issues', null)).status).toBe(403);
    expect((await get('/api/issues', 'noRole')).status).toBe(403);
    expect((await get('/api/items', 'noRole')).status).toBe(403);
    const gql = await graphql(app, null, '{ issues { documentId } }');
    expect(gql.errors[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

describe('items', () => {
  test('a reader on the list reads the items of the issues sent to them, nested too', async () => {
    const list = await get('/api/items', 'readerOnList', { 'pagination[pageSize]': 100 });
    expect(list.body.data).toHaveLength(7);
    const nested = await graphql<{ issues: { items: { headline: string }[] }[] }>(
      app,
      jwt.readerOnList,
      '{ issues { items(pagination: { limit: 100 }) { headline body } } }',
    );
    expect(nested.data?.issues[0].items).toHaveLength(7);
  });

  test('a reader off the list reads no item, by list, by id or nested', async () => {
    expect((await get('/api/items', 'readerOffList')).body.data).toEqual([]);
    const someItem = (
      await app.strapi.db.query('api::item.item').findOne({ where: { headline: '矿山街道联手周边乡镇共战疫情' } })
    ).documentId;
    expect((await get(`/api/items/${someItem}`, 'readerOffList')).status).toBe(404);
    const gql = await graphql<{ items: unknown[] }>(
      app,
      jwt.readerOffList,
      '{ items { headline issue { documentId } } }',
    );
    expect(gql.data?.items).toEqual([]);
  });

  test("a contributor reads their own unit's items only", async () => {
    expect(headlines((await get('/api/items', 'contributorOnList')).body)).toEqual([
      '区人社局开通创业担保贷款“绿色通道”',
    ]);
    expect(headlines((await get('/api/items', 'contributorOffList')).body)).toEqual(['财政局的信息']);
    const other = (
      await app.strapi.db.query('api::item.item').findOne({ where: { headline: '矿山街道联手周边乡镇共战疫情' } })
    ).documentId;
    expect((await get(`/api/items/${other}`, 'contributorOnList')).status).toBe(404);
  });

  test("the issue of a contributor's item shows only when that issue is sent to them (REST populate and GraphQL nested)", async () => {
    const onList = await get('/api/items', 'contributorOnList', { populate: 'issue' });
    expect(onList.body.data[0].issue?.documentId).toBe(demoId);
    const offList = await get('/api/items', 'contributorOffList', { populate: 'issue' });
    expect(offList.body.data[0].issue).toBeNull();
    const offListStar = await get('/api/items', 'contributorOffList', { populate: '*' });
    expect(offListStar.body.data[0].issue).toBeNull();
    const gql = await graphql<{ items: { issue: unknown }[] }>(
      app,
      jwt.contributorOffList,
      '{ items { headline issue { documentId number } } }',
    );
    expect(gql.errors).toEqual([]);
    expect(gql.data?.items).toEqual([{ headline: '财政局的信息', issue: null }]);
  });
});

describe('back-relations that would leak are not reachable', () => {
  test('units and groups show names, never their items, issues or people', async () => {
    const units = await get('/api/units', 'readerOffList', { populate: '*' });
    expect(units.status).toBe(200);
    for (const unit of units.body.data) {
      expect(Object.keys(unit)).not.toEqual(expect.arrayContaining(['items']));
      expect(unit.items).toBeUndefined();
      expect(unit.users).toBeUndefined();
      expect(unit.issuedIssues).toBeUndefined();
    }
    const groups = await get('/api/recipient-groups', 'readerOffList', { populate: '*' });
    for (const group of groups.body.data) expect(group.users).toBeUndefined();
    const gql = await graphql(app, jwt.readerOffList, '{ units { shortName items { headline } } }');
    expect(gql.errors.length).toBeGreaterThan(0);
    expect(gql.data).toBeNull();
  });
});

describe('accounts and roles', () => {
  test('self-registration is off: the office creates accounts', async () => {
    const before = await app.strapi.db.query('plugin::users-permissions.user').count({});
    const res = await app
      .http()
      .post('/api/auth/local/register')
      .send({ username: 'intruder', email: 'intruder@example.com', password: 'Pass-word-1' });
    expect([400, 403]).toContain(res.status);
    expect(await app.strapi.db.query('plugin::users-permissions.user').count({})).toBe(before);
  });

  test('the roles map is applied idempotently: a second start adds nothing and removes what was granted by hand', async () => {
    const reader = await app.strapi.db.query('plugin::users-permissions.role').findOne({ where: { type: 'reader' } });
    await app.strapi.db
      .query('plugin::users-permissions.permission')
      .create({ data: { action: 'api::item.item.delete', role: reader.id } });
    const count = () => app.strapi.db.query('plugin::users-permissions.permission').count({});
    const roles = () => app.strapi.db.query('plugin::users-permissions.role').count({});
    const rolesBefore = await roles();

    await app.restart();

    expect(await roles()).toBe(rolesBefore);
    const granted = await app.strapi.db
      .query('plugin::users-permissions.permission')
      .findMany({ where: { role: { id: reader.id } } });
    expect(granted.map((permission: { action: string }) => permission.action)).not.toContain('api::item.item.delete');
    const afterFirst = await count();
    await app.restart();
    expect(await count()).toBe(afterFirst);
  });
});
