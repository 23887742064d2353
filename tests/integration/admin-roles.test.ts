import { bootApp, type TestApp } from '../support/app';
import { unitId } from '../support/people';

/** The office's admin roles through the admin API, with real admin logins: editor, signer, unit staff. */

let app: TestApp;
let demoId: string;
const token: Record<string, string> = {};
const CM = '/content-manager/collection-types';

async function anAdmin(email: string, roleCode: string): Promise<{ id: number; token: string }> {
  const role = await app.strapi.db.query('admin::role').findOne({ where: { code: roleCode } });
  const user = await app.strapi
    .service('admin::user')
    .create({ email, firstname: email.split('@')[0], password: 'Admin-pass-1', isActive: true, roles: [role.id] });
  const login = await app.http().post('/admin/login').send({ email, password: 'Admin-pass-1' });
  expect(login.status).toBe(200);
  return { id: user.id, token: login.body.data.token };
}

beforeAll(async () => {
  app = await bootApp();
  demoId = (await app.strapi.db.query('api::issue.issue').findOne({ where: { number: 14 } })).documentId;
  token.editor = (await anAdmin('editor@example.gov.cn', 'bulletin-editor')).token;
  token.signer = (await anAdmin('signer@example.gov.cn', 'bulletin-signer')).token;
  const staff = await anAdmin('hrss@example.gov.cn', 'bulletin-unit-staff');
  token.staff = staff.token;
  const hrss = await unitId(app, '区人社局');
  await app.strapi
    .documents('api::unit.unit')
    .update({ documentId: hrss.documentId, data: { adminUsers: { connect: [{ id: staff.id }] } } as never });
});
afterAll(async () => {
  await (app as TestApp | undefined)?.close();
});

const as = (who: string) => ({ Authorization: `Bearer ${token[who]}` });
const listItems = async (who: string) => {
  const res = await app.http().get(`${CM}/api::item.item`).query({ pageSize: 100 }).set(as(who));
  expect(res.status).toBe(200);
  return (res.body.results as { headline: string }[]).map((item) => item.headline).sort();
};
/** What the database holds, read past every rule: all items, or those of one unit. */
const headlinesInDatabase = async (unit?: string) => {
  const rows = await app.strapi.db
    .query('api::item.item')
    .findMany({ where: unit === undefined ? {} : { units: { shortName: unit } }, select: ['headline'] });
  return rows.map((row: { headline: string }) => row.headline).sort();
};
/** An item of the staff's unit made for one test, so each test stands alone. */
const anItemOfHrss = async (headline: string) => {
  const hrss = await unitId(app, '区人社局');
  return (
    await app.strapi
      .documents('api::item.item')
      .create({ data: { headline, body: '正文', units: [hrss.documentId] } as never })
  ).documentId;
};

describe('editor (编辑)', () => {
  test('sees and edits everything but cannot sign off', async () => {
    await anItemOfHrss('编辑可见');
    const all = await headlinesInDatabase();
    expect(all).toContain('编辑可见');
    expect(await listItems('editor')).toEqual(all);
    const unit = (await unitId(app, '峡窝镇')).documentId;
    expect(
      (await app.http().put(`${CM}/api::unit.unit/${unit}`).set(as('editor')).send({ fullName: '上街区峡窝镇' }))
        .status,
    ).toBe(200);
    const unpublish = await app
      .http()
      .post(`${CM}/api::issue.issue/${demoId}/actions/unpublish`)
      .set(as('editor'))
      .send({});
    expect(unpublish.status).toBe(403);
    expect(
      await app.strapi.db
        .query('api::issue.issue')
        .count({ where: { documentId: demoId, publishedAt: { $notNull: true } } }),
    ).toBe(1);
  });
});

describe('signer (签发人)', () => {
  test('unpublishes and signs off again; cannot edit items', async () => {
    expect(
      (await app.http().post(`${CM}/api::issue.issue/${demoId}/actions/unpublish`).set(as('signer')).send({})).status,
    ).toBe(200);
    expect(
      (await app.http().post(`${CM}/api::issue.issue/${demoId}/actions/publish`).set(as('signer')).send({})).status,
    ).toBe(200);
    const item = (await app.strapi.db.query('api::item.item').findOne({ where: { position: 1 } })).documentId;
    expect(
      (await app.http().put(`${CM}/api::item.item/${item}`).set(as('signer')).send({ headline: '改' })).status,
    ).toBe(403);
  });
});

describe('unit staff in the admin (单位信息员（后台）)', () => {
  test("lists and opens only the items of their units; another unit's item shows nothing", async () => {
    await anItemOfHrss('本单位可见');
    const own = await headlinesInDatabase('区人社局');
    expect(own).toEqual(expect.arrayContaining(['区人社局开通创业担保贷款“绿色通道”', '本单位可见']));
    expect(own.length).toBeLessThan((await headlinesInDatabase()).length);
    expect(await listItems('staff')).toEqual(own);
    const other = (
      await app.strapi.db.query('api::item.item').findOne({ where: { headline: '矿山街道联手周边乡镇共战疫情' } })
    ).documentId;
    const opened = await app.http().get(`${CM}/api::item.item/${other}`).set(as('staff'));
    // The content manager answers a document it cannot find in scope with an empty document, never its content.
    expect(opened.body.data?.headline).toBeUndefined();
    expect(JSON.stringify(opened.body)).not.toContain('矿山街道');
  });

  test('submits an item for their unit, and edits it', async () => {
    const hrss = await unitId(app, '区人社局');
    const created = await app
      .http()
      .post(`${CM}/api::item.item`)
      .set(as('staff'))
      .send({ headline: '后台报送', body: '正文', units: { connect: [{ id: hrss.id, documentId: hrss.documentId }] } });
    expect(created.body.error).toBeUndefined();
    expect(created.status).toBe(201);
    const id = created.body.data.documentId;
    const edited = await app
      .http()
      .put(`${CM}/api::item.item/${id}`)
      .set(as('staff'))
      .send({ headline: '后台报送（改）' });
    expect(edited.status).toBe(200);
    expect(await listItems('staff')).toContain('后台报送（改）');
  });

  test('naming another unit in the relation picker is refused with a message, and nothing is written', async () => {
    const before = await app.strapi.db.query('api::item.item').count({});
    const other = await unitId(app, '峡窝镇');
    const res = await app
      .http()
      .post(`${CM}/api::item.item`)
      .set(as('staff'))
      .send({ headline: '越权', body: '正文', units: { connect: [{ id: other.id, documentId: other.documentId }] } });
    expect(res.status).toBe(403);
    expect(res.body.error.message).toContain('峡窝镇');
    expect(await app.strapi.db.query('api::item.item').count({})).toBe(before);
  });

  test('cannot adopt or touch issues', async () => {
    const own = await anItemOfHrss('不能采用');
    expect(
      (await app.http().put(`${CM}/api::item.item/${own}`).set(as('staff')).send({ state: 'adopted' })).status,
    ).toBe(403);
    expect((await app.http().get(`${CM}/api::issue.issue`).set(as('staff'))).status).toBe(403);
  });
});
