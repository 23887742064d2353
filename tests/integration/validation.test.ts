import { bootApp, createApiToken, type TestApp } from '../support/app';
import { graphql } from '../support/graphql';

/** Bad input gets a 400 ValidationError (GraphQL BAD_USER_INPUT) naming the field, and nothing half-written stays. */

let app: TestApp;
let token: string;
const auth = () => ({ Authorization: `Bearer ${token}` });

type ErrorBody = {
  error: { status: number; name: string; message: string; details: { errors?: { path: string[] }[] } };
};
const paths = (body: ErrorBody) => (body.error.details.errors ?? []).map((error) => error.path.join('.'));

async function unitId(shortName: string): Promise<string> {
  return (await app.strapi.db.query('api::unit.unit').findOne({ where: { shortName } })).documentId;
}
const countItems = () => app.strapi.db.query('api::item.item').count({});

beforeAll(async () => {
  app = await bootApp();
  token = await createApiToken(app.strapi, 'full-access');
});
afterAll(async () => {
  await (app as TestApp | undefined)?.close();
});

test.each([
  ['a unit without its short name', '/api/units', { fullName: '某局' }, 'shortName'],
  ['a unit whose short name is taken', '/api/units', { shortName: '区人社局' }, 'shortName'],
  ['a unit of an unknown kind', '/api/units', { shortName: '新单位', kind: 'ministry' }, 'kind'],
  ['a recipient group without a name', '/api/recipient-groups', { description: '无名' }, 'name'],
  ['an issue with 期号 0', '/api/issues?status=draft', { number: 0, year: 2021 }, 'number'],
  ['an issue of an unknown edition', '/api/issues?status=draft', { edition: 'weekly', year: 2021 }, 'edition'],
  ['an issue with an impossible date', '/api/issues?status=draft', { date: '2021-02-30', year: 2021 }, 'date'],
  ['an item without a headline', '/api/items', { body: '正文' }, 'headline'],
])('%s is a 400 naming the field', async (_case, url, data, field) => {
  const res = await app.http().post(url).set(auth()).send({ data });
  expect(res.status).toBe(400);
  expect(res.body.error.name).toBe('ValidationError');
  expect(paths(res.body)).toContain(field);
});

test('an item without a contributing unit is a 400 naming `units`, and leaves no item behind', async () => {
  const before = await countItems();
  const res = await app
    .http()
    .post('/api/items')
    .set(auth())
    .send({ data: { headline: '无单位', body: '正文' } });
  expect(res.status).toBe(400);
  expect(paths(res.body)).toEqual(['units']);
  expect(res.body.error.message).toContain('报送单位');
  expect(await countItems()).toBe(before);
});

test('removing the last unit of an item is refused and the item keeps its unit', async () => {
  const unit = await unitId('峡窝镇');
  const created = await app
    .http()
    .post('/api/items')
    .set(auth())
    .send({ data: { headline: '有单位', body: '正文', units: [unit] } });
  expect(created.status).toBe(201);
  const id = created.body.data.documentId;

  const res = await app
    .http()
    .put(`/api/items/${id}`)
    .set(auth())
    .send({ data: { units: { disconnect: [unit] } } });
  expect(res.status).toBe(400);
  expect(paths(res.body)).toEqual(['units']);

  const after = await app.http().get(`/api/items/${id}`).query({ populate: 'units' }).set(auth());
  expect(after.body.data.units.map((u: { shortName: string }) => u.shortName)).toEqual(['峡窝镇']);
});

test('over GraphQL the same refusal is BAD_USER_INPUT naming the field', async () => {
  const before = await countItems();
  const res = await graphql(
    app,
    token,
    'mutation { createItem(data: { headline: "无单位", body: "正文" }) { documentId } }',
  );
  expect(res.errors).toHaveLength(1);
  expect(res.errors[0].extensions?.code).toBe('BAD_USER_INPUT');
  expect(JSON.stringify(res.errors[0].extensions)).toContain('units');
  expect(await countItems()).toBe(before);
});

test('an out-of-range value over GraphQL is BAD_USER_INPUT naming the field, not a server error', async () => {
  const before = await countItems();
  const unit = await unitId('峡窝镇');
  const res = await graphql(
    app,
    token,
    'mutation($u: [ID]) { createItem(data: { headline: "序号", body: "正文", units: $u, position: 0 }) { documentId } }',
    { u: [unit] },
  );
  expect(res.errors[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  expect(JSON.stringify(res.errors[0].extensions)).toContain('position');
  expect(await countItems()).toBe(before);
});

test('units, groups and issues have no GraphQL mutations: the office edits them in the admin', async () => {
  const res = await graphql(app, token, 'mutation { createUnit(data: { shortName: "新单位" }) { documentId } }');
  expect(res.errors[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
});
