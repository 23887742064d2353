import { bootApp, createApiToken, type TestApp } from '../support/app';
import { graphql } from '../support/graphql';
import { aPerson, unitId } from '../support/people';
import { appendEntry } from '../../src/strapi/audit';

/**
 * Viewing the audit trail (src/strapi/audit-views.ts) with real logins on real PostgreSQL: who sees what over the admin
 * routes (/bulletin-audit), REST (/api/audit-entries, /api/items/:documentId/history) and GraphQL (auditEntries,
 * itemHistory); filters; CSV. One story made through the app's own paths: a contributor of 区人社局 submits, the
 * office returns it with a reason, the contributor resubmits, the editor adopts it on the desk, the office places it
 * second in a new issue and signs the issue off. A failed login (a security entry) is appended as the security events
 * would.
 */

let app: TestApp;
const admin: Record<string, string> = {};
let office: string;
let readOnly: string;
let contributor: { id: number; jwt: string };
let otherContributor: { id: number; jwt: string };
let reader: { id: number; jwt: string };
let itemId: string;
let otherItemId: string;
let firstItemId: string;
let issueId: string;
let issueName: string;
const REASON = '=HYPERLINK("http://x") 数据需核实';

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

async function anAdmin(key: string, roleCodes: string[], firstname: string, lastname: string): Promise<number> {
  const roles = await app.strapi.db.query('admin::role').findMany({ where: { code: { $in: roleCodes } } });
  const email = `audit-views-${key}@example.gov.cn`;
  const user = await app.strapi.service('admin::user').create({
    email,
    firstname,
    lastname,
    password: 'Admin-pass-1',
    isActive: true,
    roles: roles.map((role: { id: number }) => role.id),
  });
  const login = await app.http().post('/admin/login').send({ email, password: 'Admin-pass-1' });
  expect(login.status).toBe(200);
  admin[key] = login.body.data.token;
  return user.id;
}

beforeAll(async () => {
  app = await bootApp();
  office = await createApiToken(app.strapi, 'full-access');
  readOnly = await createApiToken(app.strapi, 'read-only');
  const hrss = await unitId(app, '区人社局');
  const xiawo = await unitId(app, '峡窝镇');
  contributor = await aPerson(app, 'views-contributor', 'contributor', hrss);
  otherContributor = await aPerson(app, 'views-xiawo', 'contributor', xiawo);
  reader = await aPerson(app, 'views-reader', 'reader', hrss);
  await anAdmin('editor', ['bulletin-editor'], '婕', '郝');
  await anAdmin('signer', ['bulletin-signer'], '强', '王');
  await anAdmin('super', ['strapi-super-admin'], '管', '系统');
  const staff = await anAdmin('staff', ['bulletin-unit-staff'], '芳', '刘');
  await app.strapi
    .documents('api::unit.unit')
    .update({ documentId: hrss.documentId, data: { adminUsers: { connect: [{ id: staff }] } } as never });

  // The story.
  const submitted = await app
    .http()
    .post('/api/items')
    .set(bearer(contributor.jwt))
    .send({ data: { headline: '区人社局举办留痕测试招聘会', body: '初稿第一段。\n初稿第二段。' } });
  expect(submitted.status).toBe(201);
  itemId = submitted.body.data.documentId;
  expect(
    (
      await app
        .http()
        .put(`/api/items/${itemId}`)
        .set(bearer(office))
        .send({ data: { state: 'returned', returnReason: REASON } })
    ).status,
  ).toBe(200);
  const resubmitted = await graphql(
    app,
    contributor.jwt,
    'mutation($id: ID!) { updateItem(documentId: $id, data: { body: "初稿第一段。\\n补充后的第二段。" }) { documentId } }',
    { id: itemId },
  );
  expect(resubmitted.errors).toEqual([]);
  expect(
    (await app.http().post(`/bulletin-desk/items/${itemId}/adopt`).set(bearer(admin.editor)).send({})).status,
  ).toBe(200);
  const other = await app
    .http()
    .post('/api/items')
    .set(bearer(otherContributor.jwt))
    .send({ data: { headline: '峡窝镇的稿件', body: '正文' } });
  expect(other.status).toBe(201);
  otherItemId = other.body.data.documentId;
  const first = await app.strapi.documents('api::item.item').create({
    data: {
      headline: '区委办的第一条',
      body: '正文',
      state: 'adopted',
      units: [(await unitId(app, '区委办')).documentId],
    } as never,
  });
  firstItemId = first.documentId;
  const issue = await app
    .http()
    .post('/api/issues?status=draft')
    .set(bearer(office))
    .send({ data: { date: '2022-03-01', issuer: (await unitId(app, '区委办')).documentId } });
  expect(issue.status).toBe(201);
  issueId = issue.body.data.documentId;
  expect(
    (
      await app
        .http()
        .put(`/api/items/${firstItemId}`)
        .set(bearer(office))
        .send({ data: { issue: issueId, position: 1 } })
    ).status,
  ).toBe(200);
  expect(
    (
      await app
        .http()
        .put(`/api/items/${itemId}`)
        .set(bearer(office))
        .send({ data: { issue: issueId, position: 2 } })
    ).status,
  ).toBe(200);
  const signed = await app
    .http()
    .put(`/api/issues/${issueId}`)
    .set(bearer(office))
    .send({ data: { editors: '郝婕' } });
  expect(signed.status).toBe(200);
  issueName = (
    (await app.strapi.db.query('api::issue.issue').findOne({ where: { documentId: issueId }, select: ['title'] })) as {
      title: string;
    }
  ).title;

  // A security entry, as the security events record one.
  await appendEntry(app.strapi, app.strapi.db.connection, {
    at: new Date().toISOString(),
    action: 'login-failed',
    contentType: 'admin::user',
    documentId: null,
    documentName: null,
    changes: {},
    actorKind: 'admin',
    actorId: null,
    actorName: 'intruder@example.gov.cn',
    actorUnit: null,
    address: '10.9.9.9',
    userAgent: null,
    requestId: null,
  });
}, 240000);
afterAll(async () => {
  await (app as TestApp | undefined)?.close();
});

type Listed = {
  id: string;
  action: string;
  documentId: string | null;
  actorUnit: string | null;
  actionLabel: string;
  contentTypeLabel: string;
  officeTime: string;
  address: string | null;
  title: string | null;
};
const adminList = (who: string, query: Record<string, string> = {}) =>
  app.http().get('/bulletin-audit/entries').query(query).set(bearer(admin[who]));

/** 导出 CSV as the editor, the body as text. */
const editorCsv = (query: Record<string, string>) =>
  app
    .http()
    .get('/bulletin-audit/export.csv')
    .query(query)
    .set(bearer(admin.editor))
    .buffer(true)
    .parse((response, done) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => done(null, Buffer.concat(chunks).toString('utf8')));
    });

describe('admin routes', () => {
  test("editor and signer see the item's entries newest first, labelled, but no security entry", async () => {
    for (const who of ['editor', 'signer']) {
      const res = await adminList(who, { document: itemId, pageSize: '100' });
      expect(res.status).toBe(200);
      const entries = res.body.entries as Listed[];
      expect(entries.map((entry) => entry.actionLabel)).toEqual(['编入', '采用', '报送', '退回', '新建']);
      expect(entries[0].title).toBe('区人社局举办留痕测试招聘会');
      expect(entries[0].officeTime).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
      const all = await adminList(who, { pageSize: '100', action: 'login-failed' });
      expect(all.status).toBe(200);
      expect(all.body.entries).toEqual([]);
    }
  });

  test('a super admin sees the security entry', async () => {
    const res = await adminList('super', { action: 'login-failed' });
    expect(res.status).toBe(200);
    expect((res.body.entries as Listed[]).map((entry) => [entry.action, entry.address])).toEqual([
      ['login-failed', '10.9.9.9'],
    ]);
  });

  test('unit staff get 403 on every route; no login gets 401', async () => {
    for (const path of [
      '/bulletin-audit/entries',
      '/bulletin-audit/export.csv',
      `/bulletin-audit/items/${itemId}/history`,
      `/bulletin-audit/issues/${issueId}/history`,
      `/bulletin-audit/issues/${issueId}/reads`,
      '/bulletin-audit/options',
    ]) {
      expect((await app.http().get(path).set(bearer(admin.staff))).status).toBe(403);
      expect((await app.http().get(path)).status).toBe(401);
    }
  });

  test('filters: action, person, unit, document name, dates; pages', async () => {
    const returned = await adminList('editor', { action: 'return', documentName: '留痕测试招聘会' });
    expect((returned.body.entries as Listed[]).map((entry) => entry.documentId)).toEqual([itemId]);
    const byEditor = await adminList('editor', { actor: '郝', document: itemId });
    expect((byEditor.body.entries as Listed[]).map((entry) => entry.action)).toEqual(['adopt']);
    // A unit: its people's entries and those about its items — the office's return and adoption of 区人社局's item too.
    const whole = await adminList('editor', { document: itemId });
    const byUnit = await adminList('editor', { unit: '区人社局', type: 'item', document: itemId });
    expect((byUnit.body.entries as Listed[]).map((entry) => entry.id)).toEqual(
      (whole.body.entries as Listed[]).map((entry) => entry.id),
    );
    expect((byUnit.body.entries as Listed[]).map((entry) => entry.action)).toEqual(
      expect.arrayContaining(['create', 'return', 'submit', 'adopt']),
    );
    expect((byUnit.body.entries as Listed[]).some((entry) => entry.actorUnit !== '区人社局')).toBe(true);
    expect((await adminList('editor', { unit: '峡窝镇', document: itemId })).body.entries).toEqual([]);
    expect((await adminList('editor', { unit: '人社', document: otherItemId })).body.entries).toEqual([]);
    expect((await adminList('editor', { unit: '峡窝', document: otherItemId })).body.entries).not.toEqual([]);
    const byIssueName = await adminList('editor', { documentName: issueName, type: 'issue' });
    expect((byIssueName.body.entries as Listed[]).map((entry) => entry.documentId)).toContain(issueId);
    expect((await adminList('editor', { document: itemId, to: '2000-01-01' })).body.entries).toEqual([]);
    const paged = await adminList('editor', { document: itemId, pageSize: '2', page: '2' });
    expect(paged.body.pagination).toEqual({ page: 2, pageSize: 2, total: 5, pageCount: 3 });
    expect((paged.body.entries as Listed[]).map((entry) => entry.action)).toEqual(['submit', 'return']);
  });

  test('units and recipient groups are named in the list and the CSV (a deleted one by the name it had), and found by name', async () => {
    const unit = await app
      .http()
      .post('/api/units')
      .set(bearer(office))
      .send({ data: { shortName: '区留痕测试局', fullName: '上街区留痕测试局', kind: 'department', active: true } });
    expect(unit.status).toBe(201);
    const unitDoc = unit.body.data.documentId as string;
    const renamed = await app
      .http()
      .put(`/api/units/${unitDoc}`)
      .set(bearer(office))
      .send({ data: { shortName: '区留痕改名局' } });
    expect(renamed.status).toBe(200);
    const group = await app
      .http()
      .post('/api/recipient-groups')
      .set(bearer(office))
      .send({ data: { name: '留痕测试发送范围', sortOrder: 90 } });
    expect(group.status).toBe(201);
    const groupDoc = group.body.data.documentId as string;
    const titles = async (query: Record<string, string>) =>
      ((await adminList('editor', { ...query, pageSize: '100' })).body.entries as Listed[]).map((entry) => [
        entry.contentTypeLabel,
        entry.action,
        entry.title,
      ]);
    // Found by a part of its name while it exists (a deleted document is found by its people's unit only).
    expect(await titles({ documentName: '留痕测试发送' })).toEqual([['发送范围', 'create', '留痕测试发送范围']]);
    expect((await app.http().delete(`/api/recipient-groups/${groupDoc}`).set(bearer(office))).status).toBe(204);

    // The unit by the name it has now, on both its entries; the deleted group by the name it had.
    expect(await titles({ document: unitDoc })).toEqual([
      ['单位', 'update', '区留痕改名局'],
      ['单位', 'create', '区留痕改名局'],
    ]);
    expect(await titles({ document: groupDoc })).toEqual([
      ['发送范围', 'delete', '留痕测试发送范围'],
      ['发送范围', 'create', '留痕测试发送范围'],
    ]);
    // A unit is found by a part of its short or full name.
    expect(await titles({ documentName: '改名局' })).toEqual(await titles({ document: unitDoc }));
    expect(await titles({ documentName: '上街区留痕' })).toEqual(await titles({ document: unitDoc }));

    const csv = await editorCsv({ document: unitDoc });
    expect(csv.status).toBe(200);
    const rows = (csv.body as string).split('\r\n').slice(1, 3);
    for (const row of rows) expect(row).toContain(`,单位,区留痕改名局,${unitDoc},`);
  });

  test('bad filters: 400 naming the field', async () => {
    const res = await adminList('editor', { from: '2021-02-30', type: 'article' });
    expect(res.status).toBe(400);
    expect((res.body.error.details.errors as { path: string[] }[]).map((error) => error.path[0]).sort()).toEqual([
      'from',
      'type',
    ]);
  });

  test('an entry opened: each field with old and new whole and a diff', async () => {
    const list = await adminList('editor', { document: itemId, action: 'submit' });
    const [entry] = list.body.entries as Listed[];
    const res = await app.http().get(`/bulletin-audit/entries/${entry.id}`).set(bearer(admin.editor));
    expect(res.status).toBe(200);
    const body = (
      res.body.changeViews as { field: string; old: string; new: string; diff: { kind: string; text: string }[] }[]
    ).find((view) => view.field === 'body');
    expect(body).toEqual({
      field: 'body',
      label: '正文',
      old: '初稿第一段。\n初稿第二段。',
      new: '初稿第一段。\n补充后的第二段。',
      diff: [
        { kind: 'same', text: '初稿第一段。\n' },
        { kind: 'removed', text: '初稿第二段。' },
        { kind: 'added', text: '补充后的第二段。' },
      ],
    });
  });

  test("the item's 办理记录: submitted, returned with the reason, resubmitted, adopted, placed second, signed off", async () => {
    const res = await app.http().get(`/bulletin-audit/items/${itemId}/history`).set(bearer(admin.editor));
    expect(res.status).toBe(200);
    expect(
      (res.body.steps as { label: string; detail: string; actorName: string | null }[]).map((step) => [
        step.label,
        step.detail,
        step.actorName,
      ]),
    ).toEqual([
      ['报送', '区人社局举办留痕测试招聘会', 'views-contributor'],
      ['退回', `理由：${REASON}`, expect.any(String)],
      ['重新报送', '改动：正文', 'views-contributor'],
      ['采用', '', '郝婕'],
      ['编入', `编入${issueName}，第2条`, expect.any(String)],
      ['签发', issueName, expect.any(String)],
    ]);
  });

  test("the issue's history: changes between versions and its sign-off", async () => {
    const res = await app.http().get(`/bulletin-audit/issues/${issueId}/history`).set(bearer(admin.signer));
    expect(res.status).toBe(200);
    const steps = res.body.steps as { label: string; detail: string }[];
    expect(steps[0].label).toBe('新建');
    expect(steps.at(-1)).toMatchObject({ label: '签发' });
    expect(steps.at(-1)?.detail).toContain('责任编辑');
  });

  test('CSV: BOM, header, the filter applied, formulas defused', async () => {
    const res = await editorCsv({ document: itemId, action: 'return' });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/csv/);
    const text = res.body as string;
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const lines = text.slice(1).split('\r\n');
    expect(lines[0]).toBe('时间,操作,对象类型,对象,文档ID,操作人,单位,方式,地址,改动');
    expect(lines.filter((line) => line !== '')).toHaveLength(2);
    expect(lines[1]).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2},退回,信息,/);
    expect(lines[1]).toContain(itemId);
    // The reason starts with =: inside the multi-field cell it is preceded by the field label; a cell of its own is guarded.
    expect(lines[1]).toContain('退回理由： → =HYPERLINK(""http://x"") 数据需核实');
  });

  test("CSV: a cell starting with = is prefixed with '", async () => {
    await app.strapi
      .documents('api::unit.unit')
      .create({ data: { shortName: '=SUM(A1)', kind: 'department', active: true } as never });
    const res = await editorCsv({ type: 'unit', action: 'create' });
    expect(res.status).toBe(200);
    // The changes cell holds "简称：  → =SUM(A1)" (not a formula); the actor cell of a script is its name.
    expect(res.body as string).toContain('=SUM(A1)');
    expect(
      (res.body as string)
        .split('\r\n')
        .slice(1)
        .every((line) => !/(^|,)[=+\-@]/.test(line)),
    ).toBe(true);
  });
});

describe('REST', () => {
  const list = (token: string | null, query: Record<string, string> = {}) => {
    const call = app.http().get('/api/audit-entries').query(query);
    return token === null ? call : call.set(bearer(token));
  };

  test("a contributor sees their unit's items' entries only, without address", async () => {
    const res = await list(contributor.jwt, { pageSize: '100' });
    expect(res.status).toBe(200);
    const entries = res.body.entries as Listed[];
    // Their unit's items only (the demo issue's 区人社局 items too), never another unit's item or an issue.
    const hrssItems = (
      (await app.strapi.db
        .query('api::item.item')
        .findMany({ where: { units: { shortName: '区人社局' } }, select: ['documentId'] })) as { documentId: string }[]
    ).map((item) => item.documentId);
    expect(entries.map((entry) => entry.documentId)).toContain(itemId);
    expect(entries.every((entry) => entry.documentId !== null && hrssItems.includes(entry.documentId))).toBe(true);
    expect(entries.some((entry) => entry.documentId === otherItemId || entry.documentId === issueId)).toBe(false);
    expect(entries.every((entry) => entry.address === null)).toBe(true);
    const other = await list(otherContributor.jwt, { pageSize: '100' });
    expect((other.body.entries as Listed[]).map((entry) => entry.documentId)).toContain(otherItemId);
    expect((other.body.entries as Listed[]).some((entry) => entry.documentId === itemId)).toBe(false);
  });

  test('a full-access token sees everything but security entries; read-only token, reader, anonymous: 403', async () => {
    const full = await list(office, { pageSize: '100' });
    expect(full.status).toBe(200);
    expect((full.body.entries as Listed[]).some((entry) => entry.documentId === issueId)).toBe(true);
    expect((full.body.entries as Listed[]).some((entry) => entry.action === 'login-failed')).toBe(false);
    expect((await list(readOnly)).status).toBe(403);
    expect((await list(reader.jwt)).status).toBe(403);
    expect((await list(null)).status).toBe(403);
  });

  test('bad filters: 400 naming the field', async () => {
    const res = await list(contributor.jwt, { pageSize: '1000' });
    expect(res.status).toBe(400);
    expect(res.body.error.details.errors[0].path).toEqual(['pageSize']);
  });

  test("an item's history: its unit's contributor sees the return reason and the adoption; another unit, reader, anonymous: 403", async () => {
    const res = await app.http().get(`/api/items/${itemId}/history`).set(bearer(contributor.jwt));
    expect(res.status).toBe(200);
    const steps = res.body.data.steps as { action: string; detail: string }[];
    expect(steps.map((step) => step.action)).toEqual(['submit', 'return', 'submit', 'adopt', 'place', 'publish']);
    expect(steps[1].detail).toBe(`理由：${REASON}`);
    expect((await app.http().get(`/api/items/${itemId}/history`).set(bearer(otherContributor.jwt))).status).toBe(403);
    expect((await app.http().get(`/api/items/${itemId}/history`).set(bearer(reader.jwt))).status).toBe(403);
    expect((await app.http().get(`/api/items/${itemId}/history`)).status).toBe(403);
    expect((await app.http().get('/api/items/nosuchitem000/history').set(bearer(contributor.jwt))).status).toBe(404);
  });
});

describe('GraphQL', () => {
  const ENTRIES =
    'query($action: String, $from: String) { auditEntries(action: $action, from: $from, pageSize: 100) { entries { documentId action actionLabel address } pagination { total } } }';
  const HISTORY = 'query($id: ID!) { itemHistory(documentId: $id) { title steps { action label detail } } }';

  test("a contributor: own unit's entries and the item's history", async () => {
    const res = await graphql<{
      auditEntries: { entries: { documentId: string; actionLabel: string; address: string | null }[] };
    }>(app, contributor.jwt, ENTRIES, { action: 'return' });
    expect(res.errors).toEqual([]);
    expect(res.data?.auditEntries.entries).toEqual([
      { documentId: itemId, action: 'return', actionLabel: '退回', address: null },
    ]);
    const history = await graphql<{ itemHistory: { steps: { label: string }[] } }>(app, contributor.jwt, HISTORY, {
      id: itemId,
    });
    expect(history.errors).toEqual([]);
    expect(history.data?.itemHistory.steps.map((step) => step.label)).toEqual([
      '报送',
      '退回',
      '重新报送',
      '采用',
      '编入',
      '签发',
    ]);
  });

  test("reader, anonymous, read-only token, another unit's item: FORBIDDEN", async () => {
    for (const token of [reader.jwt, null, readOnly]) {
      const res = await graphql(app, token, ENTRIES);
      expect(res.errors[0]?.extensions?.code).toBe('FORBIDDEN');
    }
    const other = await graphql(app, otherContributor.jwt, HISTORY, { id: itemId });
    expect(other.errors[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  test('a bad filter: BAD_USER_INPUT naming the field', async () => {
    const res = await graphql(app, contributor.jwt, ENTRIES, { from: '19-02-2020' });
    expect(res.errors[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(res.errors[0]?.message).toContain('from');
  });
});
