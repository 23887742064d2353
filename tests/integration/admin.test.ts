import { bootApp, type TestApp } from '../support/app';

/** The admin panel for editors: Chinese by default, labelled in Chinese, and editors' own layout changes kept. */

let app: TestApp;
let adminToken: string;
const ISSUE_CONFIG = '/content-manager/content-types/api::issue.issue/configuration';

beforeAll(async () => {
  app = await bootApp();
  // The first-run page registers the first administrator through this route.
  const registered = await app
    .http()
    .post('/admin/register-admin')
    .send({ email: 'editor@example.gov.cn', firstname: '婕', lastname: '郝', password: 'Editor-pass-1' });
  expect(registered.status).toBe(200);
  adminToken = registered.body.data.token;
});
afterAll(async () => {
  await (app as TestApp | undefined)?.close();
});

const asAdmin = () => ({ Authorization: `Bearer ${adminToken}` });

test('an administrator created on the first-run page works in Chinese', async () => {
  const me = await app.http().get('/admin/users/me').set(asAdmin());
  expect(me.status).toBe(200);
  expect(me.body.data.preferedLanguage).toBe('zh-Hans');
  // 名 婕 + 姓 郝 is shown as Chinese write it: 郝婕 (not "婕 郝", initials 婕郝).
  expect([me.body.data.firstname, me.body.data.lastname]).toEqual(['郝婕', null]);
});

test('an administrator created with a chosen language keeps it', async () => {
  const user = await app.strapi.service('admin::user').create({
    email: 'english@example.gov.cn',
    firstname: 'E',
    preferedLanguage: 'en',
    isActive: true,
  });
  expect(user.preferedLanguage).toBe('en');
});

test('the content manager shows Chinese labels, descriptions and the list columns editors need', async () => {
  const issue = await app.http().get(ISSUE_CONFIG).set(asAdmin());
  expect(issue.status).toBe(200);
  const { metadatas, layouts, settings } = issue.body.data.contentType;
  expect(metadatas.number.edit.label).toBe('期号');
  expect(metadatas.number.list.label).toBe('期号');
  expect(metadatas.distributeTo.edit.label).toBe('发');
  expect(metadatas.editors.edit.description).toContain('空格');
  expect(layouts.list).toEqual(['title', 'date', 'columnTitle']);
  expect(settings.mainField).toBe('title');
  expect(metadatas.record.edit.visible).toBe(false);
  expect(metadatas.firstSignedOffAt.edit.editable).toBe(false);
  expect(JSON.stringify(layouts.edit)).not.toContain('"record"');
  expect(settings.defaultSortBy).toBe('date');

  const item = await app.http().get('/content-manager/content-types/api::item.item/configuration').set(asAdmin());
  expect(item.body.data.contentType.layouts.list).toEqual(['headline', 'units', 'state', 'issue', 'position']);
  expect(item.body.data.contentType.metadatas.position.edit.editable).toBe(false);
  expect(item.body.data.contentType.metadatas.units.edit.label).toBe('报送单位');
});

test('what an editor changes in the layout survives a restart', async () => {
  const current = (await app.http().get(ISSUE_CONFIG).set(asAdmin())).body.data.contentType;
  // The GET adds each relation's main field to its list metadata; the admin strips it before saving, as here.
  const stripped = Object.fromEntries(
    Object.entries(current.metadatas as Record<string, { edit: object; list: Record<string, unknown> }>).map(
      ([
        field,
        {
          edit,
          list: { mainField: _mainField, ...list },
        },
      ]) => [field, { edit, list }],
    ),
  );
  const metadatas = {
    ...stripped,
    number: { ...stripped.number, edit: { ...current.metadatas.number.edit, label: '期数' } },
  };
  const saved = await app
    .http()
    .put(ISSUE_CONFIG)
    .set(asAdmin())
    .send({ settings: current.settings, metadatas, layouts: { ...current.layouts, list: ['number', 'date'] } });
  expect(saved.status).toBe(200);

  try {
    await app.restart();
    const login = await app
      .http()
      .post('/admin/login')
      .send({ email: 'editor@example.gov.cn', password: 'Editor-pass-1' });
    expect([login.status, login.body.error]).toEqual([200, undefined]);
    adminToken = login.body.data.token;

    const after = (await app.http().get(ISSUE_CONFIG).set(asAdmin())).body.data.contentType;
    expect(after.metadatas.number.edit.label).toBe('期数');
    expect(after.layouts.list).toEqual(['number', 'date']);
    expect(after.metadatas.date.edit.label).toBe('签发日期');
  } finally {
    // The layout as it was, for the other tests (any order).
    const restored = await app
      .http()
      .put(ISSUE_CONFIG)
      .set(asAdmin())
      .send({ settings: current.settings, metadatas: stripped, layouts: current.layouts });
    expect(restored.status).toBe(200);
  }
});
