import { bootApp, createApiToken, type TestApp } from '../support/app';
import { graphql } from '../support/graphql';
import { unitId } from '../support/people';

/**
 * The rules an editor relies on in the admin, held on every path: the content manager's own API as a real editor
 * (both sides of the issue ↔ item relation), REST with an API token, GraphQL and the Document Service. Each refusal
 * names what to fix, and leaves the database as it was.
 */

const ISSUE = 'api::issue.issue';
const ITEM = 'api::item.item';
const CM = '/content-manager/collection-types';
const LOCKED_ITEM = '区人社局开通创业担保贷款“绿色通道”';
const HELD = '已编入已签发的《上街信息》2020年第14期，须先撤回签发';

let app: TestApp;
let editor: string;
let signer: string;
let apiToken: string;
let demoIssue: string;
let hrss: string;

async function anAdmin(email: string, roleCode: string): Promise<string> {
  const role = await app.strapi.db.query('admin::role').findOne({ where: { code: roleCode } });
  await app.strapi
    .service('admin::user')
    .create({ email, firstname: '婕', lastname: '郝', password: 'Admin-pass-1', isActive: true, roles: [role.id] });
  const login = await app.http().post('/admin/login').send({ email, password: 'Admin-pass-1' });
  expect(login.status).toBe(200);
  return login.body.data.token;
}

beforeAll(async () => {
  app = await bootApp();
  editor = await anAdmin('editor@example.gov.cn', 'bulletin-editor');
  signer = await anAdmin('signer@example.gov.cn', 'bulletin-signer');
  apiToken = await createApiToken(app.strapi, 'full-access');
  demoIssue = (await app.strapi.db.query(ISSUE).findOne({ where: { number: 14, year: 2020 } })).documentId;
  hrss = (await unitId(app, '区人社局')).documentId;
});
afterAll(async () => {
  await (app as TestApp | undefined)?.close();
});

const as = (token: string) => ({ Authorization: `Bearer ${token}` });

async function itemByHeadline(headline: string): Promise<{ id: number; documentId: string }> {
  return app.strapi.db.query(ITEM).findOne({ where: { headline }, select: ['id', 'documentId'] });
}

/** The draft's items, in the order the admin's relation list shows (and drags) them. */
async function listedItems(issueDocumentId: string): Promise<string[]> {
  const res = await app
    .http()
    .get(`/content-manager/relations/${ISSUE}/${issueDocumentId}/items`)
    .query({ pageSize: 100 })
    .set(as(editor));
  expect(res.status).toBe(200);
  // The relations route answers newest link first; the admin lists the reverse.
  return (res.body.results as { headline: string }[]).map((item) => item.headline).reverse();
}

/** What the database says: each link of the item, the demo draft's count, and 区人社局's adopted count in 2020-02. */
async function snapshot() {
  const locked = await itemByHeadline(LOCKED_ITEM);
  const links = await app.strapi.db
    .connection('items_issue_lnk')
    .where('item_id', locked.id)
    .orderBy('issue_id')
    .select('issue_id', 'item_ord');
  const draftItems = await app.strapi.db
    .query(ITEM)
    .count({ where: { issue: { documentId: demoIssue, publishedAt: null } } });
  const stats = await app.http().get('/api/statistics').query({ month: '2020-02' }).set(as(apiToken));
  expect(stats.status).toBe(200);
  const row = (stats.body.data.rows as { unitName: string; adopted: number }[]).find(
    (each) => each.unitName === '区人社局',
  );
  const issues = await app.strapi.db.query(ISSUE).count({});
  return { links, draftItems, adopted: row?.adopted, issues };
}

async function aDraftIssue(date = '2020-03-01'): Promise<string> {
  const res = await app.http().post(`${CM}/${ISSUE}`).set(as(editor)).send({ publication: '上街信息', date });
  expect(res.status).toBe(201);
  return res.body.data.documentId;
}

async function anAdoptedItem(headline: string, state = 'adopted'): Promise<{ id: number; documentId: string }> {
  const res = await app
    .http()
    .post(`${CM}/${ITEM}`)
    .set(as(editor))
    .send({ headline, body: '正文一段。', units: { connect: [{ documentId: hrss }] }, state });
  expect(res.status).toBe(201);
  return { id: res.body.data.id, documentId: res.body.data.documentId };
}

const expectRefused = (
  res: { status: number; body: { error?: { name?: string; message?: string } } },
  message: string,
) => {
  expect(res.status).toBe(400);
  expect(res.body.error?.name).toBe('ValidationError');
  expect(res.body.error?.message).toContain(message);
};

describe('an item never leaves a signed-off issue', () => {
  test('the snapshot starts as the demo: 6 items in 第14期, 区人社局 adopted in February 2020', async () => {
    const before = await snapshot();
    expect(before.draftItems).toBe(6);
    expect(before.adopted).toBeGreaterThan(0);
    expect(before.links).toHaveLength(2); // the draft row and the published row
  });

  test('picked in a new issue in the content manager: refused, naming the issue, and no issue is created', async () => {
    const before = await snapshot();
    const locked = await itemByHeadline(LOCKED_ITEM);
    const res = await app
      .http()
      .post(`${CM}/${ISSUE}`)
      .set(as(editor))
      .send({
        publication: '上街信息',
        date: '2020-03-01',
        items: { connect: [{ id: locked.id, documentId: locked.documentId, position: { end: true } }] },
      });
    expectRefused(res, HELD);
    expect(await snapshot()).toEqual(before);
  });

  test('picked in an existing draft (content manager, REST, Document Service): refused each time', async () => {
    const draft = await aDraftIssue();
    const before = await snapshot();
    const locked = await itemByHeadline(LOCKED_ITEM);
    const cm = await app
      .http()
      .put(`${CM}/${ISSUE}/${draft}`)
      .set(as(editor))
      .send({ items: { connect: [{ id: locked.id, documentId: locked.documentId, position: { end: true } }] } });
    expectRefused(cm, HELD);
    const rest = await app
      .http()
      .put(`/api/issues/${draft}`)
      .query({ status: 'draft' })
      .set(as(apiToken))
      .send({ data: { items: [locked.documentId] } });
    expectRefused(rest, HELD);
    const set = await app
      .http()
      .put(`/api/issues/${draft}`)
      .query({ status: 'draft' })
      .set(as(apiToken))
      .send({ data: { items: { set: [{ id: locked.id }] } } });
    expectRefused(set, HELD);
    await expect(
      app.strapi.documents(ISSUE).update({ documentId: draft, data: { items: [locked.documentId] } as never }),
    ).rejects.toThrow(HELD);
    expect(await snapshot()).toEqual(before);
  });

  test('moved from the item’s side (content manager, REST, GraphQL): refused', async () => {
    const draft = await aDraftIssue();
    const before = await snapshot();
    const locked = await itemByHeadline(LOCKED_ITEM);
    const cm = await app
      .http()
      .put(`${CM}/${ITEM}/${locked.documentId}`)
      .set(as(editor))
      .send({ issue: { connect: [{ documentId: draft }] } });
    expectRefused(cm, HELD);
    const rest = await app
      .http()
      .put(`/api/items/${locked.documentId}`)
      .set(as(apiToken))
      .send({ data: { issue: draft } });
    expectRefused(rest, HELD);
    const unlinked = await app
      .http()
      .put(`/api/items/${locked.documentId}`)
      .set(as(apiToken))
      .send({ data: { issue: null } });
    expectRefused(unlinked, HELD);
    const gql = await graphql(
      app,
      apiToken,
      'mutation($id: ID!, $issue: ID) { updateItem(documentId: $id, data: { issue: $issue }) { documentId } }',
      {
        id: locked.documentId,
        issue: draft,
      },
    );
    expect(gql.errors[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(gql.errors[0]?.message).toContain(HELD);
    expect(await snapshot()).toEqual(before);
  });

  test('taken out of, or reordered in, the signed-off issue’s draft, or deleted: refused', async () => {
    const before = await snapshot();
    const locked = await itemByHeadline(LOCKED_ITEM);
    const out = await app
      .http()
      .put(`${CM}/${ISSUE}/${demoIssue}`)
      .set(as(editor))
      .send({ items: { disconnect: [{ id: locked.id, documentId: locked.documentId }] } });
    expectRefused(out, '《上街信息》2020年第14期已签发，其中的信息不能移入、移出或调整顺序，须先撤回签发');
    const first = (await listedItems(demoIssue))[0];
    const firstItem = await itemByHeadline(first);
    const reorder = await app
      .http()
      .put(`${CM}/${ISSUE}/${demoIssue}`)
      .set(as(editor))
      .send({
        items: {
          connect: [{ id: locked.id, documentId: locked.documentId, position: { before: firstItem.documentId } }],
        },
      });
    expectRefused(reorder, '须先撤回签发');
    const deleted = await app.http().delete(`${CM}/${ITEM}/${locked.documentId}`).set(as(editor));
    expectRefused(deleted, HELD);
    expect(await snapshot()).toEqual(before);
  });

  test('saving other fields of the signed-off issue’s draft still works (the form sends no item change)', async () => {
    const res = await app
      .http()
      .put(`${CM}/${ISSUE}/${demoIssue}`)
      .set(as(editor))
      .send({ printRun: 120, items: { connect: [], disconnect: [] } });
    expect(res.status).toBe(200);
    expect((await snapshot()).draftItems).toBe(6);
  });
});

describe('only adopted items are placed', () => {
  test('from the issue’s side and the item’s: refused, naming the item and its state', async () => {
    const draft = await aDraftIssue();
    const submitted = await anAdoptedItem('尚未采用的一条信息', 'submitted');
    const cm = await app
      .http()
      .put(`${CM}/${ISSUE}/${draft}`)
      .set(as(editor))
      .send({ items: { connect: [{ id: submitted.id, documentId: submitted.documentId }] } });
    expectRefused(cm, '“尚未采用的一条信息”是“已报送”的信息，只有已采用的信息才能编入期');
    const side = await app
      .http()
      .put(`${CM}/${ITEM}/${submitted.documentId}`)
      .set(as(editor))
      .send({ issue: { connect: [{ documentId: draft }] } });
    expectRefused(side, '“尚未采用的一条信息”是“已报送”的信息');
    expect(await app.strapi.db.query(ITEM).count({ where: { issue: { documentId: draft } } })).toBe(0);
  });
});

describe('one order: the dragged order is the printed order', () => {
  test('dragged in the content manager, printed so: 序号, preview record, signed-off record and reader', async () => {
    const draft = await aDraftIssue('2020-03-05');
    const [a, b, c] = [
      await anAdoptedItem('甲：第一条'),
      await anAdoptedItem('乙：第二条'),
      await anAdoptedItem('丙：第三条'),
    ];
    const placed = await app
      .http()
      .put(`${CM}/${ISSUE}/${draft}`)
      .set(as(editor))
      .send({
        issuer: { connect: [{ documentId: (await unitId(app, '区委办')).documentId }] },
        items: { connect: [a, b, c].map((item) => ({ ...item, position: { end: true } })) },
      });
    expect(placed.status).toBe(200);
    expect(await listedItems(draft)).toEqual(['甲：第一条', '乙：第二条', '丙：第三条']);

    // Drag 丙 to the top, as the admin sends it.
    const dragged = await app
      .http()
      .put(`${CM}/${ISSUE}/${draft}`)
      .set(as(editor))
      .send({ items: { connect: [{ ...c, position: { before: a.documentId } }] } });
    expect(dragged.status).toBe(200);
    const order = ['丙：第三条', '甲：第一条', '乙：第二条'];
    expect(await listedItems(draft)).toEqual(order);
    const positions = await app.strapi.db.query(ITEM).findMany({
      where: { issue: { documentId: draft } },
      select: ['headline', 'position'],
      orderBy: { position: 'asc' },
    });
    expect(positions.map((item: { headline: string }) => item.headline)).toEqual(order);
    expect(positions.map((item: { position: number }) => item.position)).toEqual([1, 2, 3]);

    const published = await app.http().post(`${CM}/${ISSUE}/${draft}/actions/publish`).set(as(signer)).send({});
    expect(published.status).toBe(200);
    const number = published.body.data.number as number;
    const record = await app
      .http()
      .get(`/api/bulletin/${encodeURIComponent('上街信息')}/2020/${number}`)
      .set(as(apiToken));
    expect(record.status).toBe(200);
    expect(record.body.data.items.map((item: { headline: string }) => item.headline)).toEqual(order);
  });

  test('a position given over REST moves the item in the list: one order, two ways to set it', async () => {
    const draft = await aDraftIssue('2020-03-06');
    const items = [await anAdoptedItem('子：一'), await anAdoptedItem('丑：二'), await anAdoptedItem('寅：三')];
    const placed = await app
      .http()
      .put(`/api/issues/${draft}`)
      .query({ status: 'draft' })
      .set(as(apiToken))
      .send({ data: { items: items.map((item) => item.documentId) } });
    expect(placed.status).toBe(200);
    const moved = await app
      .http()
      .put(`/api/items/${items[2].documentId}`)
      .set(as(apiToken))
      .send({ data: { position: 1 } });
    expect(moved.status).toBe(200);
    expect(await listedItems(draft)).toEqual(['寅：三', '子：一', '丑：二']);
    const taken = await app
      .http()
      .put(`/api/items/${items[1].documentId}`)
      .set(as(apiToken))
      .send({ data: { issue: null } });
    expect(taken.status).toBe(200);
    expect(await listedItems(draft)).toEqual(['寅：三', '子：一']);
    const left = await app.strapi.db
      .query(ITEM)
      .findOne({ where: { documentId: items[1].documentId }, select: ['position'] });
    expect(left.position).toBeNull();
    const kept = await app.strapi.db.query(ITEM).findMany({
      where: { issue: { documentId: draft } },
      select: ['headline', 'position'],
      orderBy: { position: 'asc' },
    });
    expect(kept.map((item: { position: number }) => item.position)).toEqual([1, 2]);
  });
});

describe('numbering through the form', () => {
  test('a new issue has its number at once; a date moved to another year renumbers it though the form echoes year and number', async () => {
    const created = await app.http().post(`${CM}/${ISSUE}`).set(as(editor)).send({ publication: '上街信息' });
    expect(created.status).toBe(201);
    const today = created.body.data;
    expect(today.number).toEqual(expect.any(Number));
    expect(today.title).toBe(`上街信息 ${today.year}年第${today.number}期`);
    const last2020: { number: number } = await app.strapi.db.query(ISSUE).findOne({
      where: { year: 2020, publishedAt: null, edition: 'regular' },
      orderBy: { number: 'desc' },
      select: ['number'],
    });
    const moved = await app
      .http()
      .put(`${CM}/${ISSUE}/${today.documentId}`)
      .set(as(editor))
      .send({ ...today, date: '2020-12-30' });
    expect(moved.status).toBe(200);
    expect(moved.body.data).toMatchObject({
      year: 2020,
      number: last2020.number + 1,
      title: `上街信息 2020年第${last2020.number + 1}期`,
    });
  });

  test('after the first sign-off, moving the date to another year is refused', async () => {
    const res = await app
      .http()
      .put(`${CM}/${ISSUE}/${demoIssue}`)
      .set(as(editor))
      .send({ date: '2021-02-19', year: 2020, number: 14 });
    expect(res.status).toBe(400);
    expect(res.body.error.details.errors[0].path).toEqual(['date']);
  });
});

describe('issues named as printed', () => {
  test('in the item list’s 所在期 column and the relation pickers', async () => {
    const config = await app.http().get(`/content-manager/content-types/${ITEM}/configuration`).set(as(editor));
    expect(config.body.data.contentType.metadatas.issue.list.mainField).toBe('title');
    const picker = await app
      .http()
      .get(`/content-manager/relations/${ITEM}/issue`)
      .query({ pageSize: 100, _q: '第14期' })
      .set(as(editor));
    expect(picker.status).toBe(200);
    expect(picker.body.results.map((issue: { title: string }) => issue.title)).toContain('上街信息 2020年第14期');
    const list = await app.http().get(`${CM}/${ITEM}`).query({ pageSize: 100 }).set(as(editor));
    const locked = (list.body.results as { headline: string; issue: { title?: string } | null }[]).find(
      (item) => item.headline === LOCKED_ITEM,
    );
    expect(locked?.issue?.title).toBe('上街信息 2020年第14期');
  });
});

describe('fields the app owns', () => {
  test('the record and the first sign-off time cannot be changed, on any path; an echo saves', async () => {
    const current = (await app.http().get(`${CM}/${ISSUE}/${demoIssue}`).set(as(editor))).body.data;
    // The form sends the scalar fields it read back (relations and components as their own inputs).
    const {
      status: _status,
      items: _items,
      issuer: _issuer,
      sendTo: _s,
      distributeTo: _d,
      reportTo: _r,
      copyTo: _c,
      ...fields
    } = current;
    const echo = await app.http().put(`${CM}/${ISSUE}/${demoIssue}`).set(as(editor)).send(fields);
    expect([echo.status, echo.body.error?.message]).toEqual([200, undefined]);
    const forged = await app
      .http()
      .put(`${CM}/${ISSUE}/${demoIssue}`)
      .set(as(editor))
      .send({ firstSignedOffAt: '2026-11-30T00:00:00.000Z' });
    expect(forged.status).toBe(400);
    expect(forged.body.error.details.errors[0].path).toEqual(['firstSignedOffAt']);
    const record = await app
      .http()
      .put(`/api/issues/${demoIssue}`)
      .query({ status: 'draft' })
      .set(as(apiToken))
      .send({ data: { record: { items: [] } } });
    expect(record.status).toBe(400);
    expect(record.body.error.details.errors[0].path).toEqual(['record']);
    const title = await app
      .http()
      .put(`/api/issues/${demoIssue}`)
      .query({ status: 'draft' })
      .set(as(apiToken))
      .send({ data: { title: '改过的名称' } });
    expect(title.status).toBe(400);
    const after = await app.strapi.db
      .query(ISSUE)
      .findOne({ where: { documentId: demoIssue, publishedAt: null }, select: ['firstSignedOffAt', 'title'] });
    expect(new Date(after.firstSignedOffAt).toISOString()).toBe(new Date(current.firstSignedOffAt).toISOString());
    expect(after.title).toBe('上街信息 2020年第14期');
  });
});

describe('the footer', () => {
  test('a new issue in the admin starts with the latest issue’s footer; each entry is named by its group', async () => {
    const created = await app
      .http()
      .post(`${CM}/${ISSUE}`)
      .set(as(editor))
      .send({ publication: '上街信息', date: '2020-12-31' });
    expect(created.status).toBe(201);
    const issue = (await app.http().get(`${CM}/${ISSUE}/${created.body.data.documentId}`).set(as(editor))).body.data;
    expect(issue.sendTo.map((entry: { label: string }) => entry.label)).toEqual(['区县处级领导']);
    expect(issue.distributeTo.map((entry: { label: string }) => entry.label).length).toBeGreaterThan(0);
    expect(issue.editors).toBe('郝婕 李德昭');
    const config = await app.http().get(`/content-manager/components/bulletin.recipient/configuration`).set(as(editor));
    expect(config.body.data.component.settings.mainField).toBe('label');
  });
});

describe('the admin around it', () => {
  test('preview is framed from the admin’s own origin, whatever host it is opened on', async () => {
    const res = await app.http().get('/admin').set('Host', 'bulletin.intranet:8080');
    const policy = res.headers['content-security-policy'] ?? '';
    expect(policy).toMatch(/frame-src 'self'/);
    expect(policy).not.toContain('localhost:1337');
    const url = await app
      .http()
      .get(`/content-manager/preview/url/${ISSUE}`)
      .query({ documentId: demoIssue, status: 'draft' })
      .set(as(editor));
    expect(url.status).toBe(200);
    expect(url.body.data.url).toMatch(/^\/bulletin-preview\//);
  });

  test('the item picker offers adopted, unplaced items first, each with its units, state and issue', async () => {
    const draft = await aDraftIssue('2020-04-01');
    await anAdoptedItem('待选：一条已报送', 'submitted');
    await anAdoptedItem('待选：一条已采用');
    const res = await app
      .http()
      .get(`/content-manager/relations/${ISSUE}/items`)
      .query({ id: draft, pageSize: 100 })
      .set(as(editor));
    expect(res.status).toBe(200);
    const labels = (res.body.results as { headline: string }[]).map((item) => item.headline);
    expect(labels[0]).toBe('待选：一条已采用（区人社局｜已采用｜未编入）');
    expect(labels).toContain('待选：一条已报送（区人社局｜已报送｜未编入）');
    expect(labels.indexOf('待选：一条已报送（区人社局｜已报送｜未编入）')).toBeGreaterThan(
      labels.indexOf('待选：一条已采用（区人社局｜已采用｜未编入）'),
    );
    expect(labels).toContain(`${LOCKED_ITEM}（区人社局｜已采用｜上街信息 2020年第14期）`);
    const searched = await app
      .http()
      .get(`/content-manager/relations/${ISSUE}/items`)
      .query({ id: draft, _q: '待选' })
      .set(as(editor));
    expect(searched.body.results).toHaveLength(2);
  });

  test('/favicon.ico answers with an icon', async () => {
    const res = await app.http().get('/favicon.ico');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/image/);
  });
});
