import { bootApp, createApiToken, type TestApp } from '../support/app';
import { graphql } from '../support/graphql';
import { aPerson, unitId } from '../support/people';

/**
 * The workflow with real logins: a contributor of 区人社局 submits, the office returns with a reason, the
 * contributor edits (back to submitted) or withdraws; only the office adopts and places; an issue is signed off only
 * when complete; items of a signed-off issue are frozen; units that items name are kept.
 */

let app: TestApp;
let office: string; // full-access API token: the office's integration
let hrss: { id: number; documentId: string };
let finance: { id: number; documentId: string };
const jwt: Record<string, string> = {};

beforeAll(async () => {
  app = await bootApp();
  office = await createApiToken(app.strapi, 'full-access');
  hrss = await unitId(app, '区人社局');
  const created = await app.strapi
    .documents('api::unit.unit')
    .create({ data: { shortName: '区财政局', kind: 'department', active: true } });
  finance = { id: created.id as number, documentId: created.documentId };
  jwt.contributor = (await aPerson(app, 'hrss-contributor', 'contributor', hrss)).jwt;
  jwt.reader = (await aPerson(app, 'hrss-reader', 'reader', hrss)).jwt;
});
afterAll(async () => {
  await (app as TestApp | undefined)?.close();
});

const as = (who: string) => ({ Authorization: `Bearer ${who === 'office' ? office : jwt[who]}` });
const submit = (who: string, data: Record<string, unknown>) =>
  app.http().post('/api/items').set(as(who)).send({ data });
const change = (who: string, id: string, data: Record<string, unknown>) =>
  app.http().put(`/api/items/${id}`).set(as(who)).send({ data });
const stored = (documentId: string) =>
  app.strapi.db
    .query('api::item.item')
    .findOne({ where: { documentId }, populate: { units: true, submittedBy: true, issue: true } });
const countItems = () => app.strapi.db.query('api::item.item').count({});

describe('a contributor submits for their own unit only', () => {
  test('a new item is submitted, credited to their unit and to them', async () => {
    const res = await submit('contributor', {
      headline: '区人社局开展招聘会',
      body: '正文',
      author: '张三',
      phone: '0371-1234',
    });
    expect(res.status).toBe(201);
    const item = await stored(res.body.data.documentDocumentId ?? res.body.data.documentId);
    expect(item.state).toBe('submitted');
    expect(item.units.map((unit: { shortName: string }) => unit.shortName)).toEqual(['区人社局']);
    expect(item.submittedBy.username).toBe('hrss-contributor');
  });

  test.each([
    ['another unit', () => ({ units: [finance.documentId] }), 'units'],
    ['their unit and another', () => ({ units: [hrss.documentId, finance.documentId] }), 'units'],
    ['an adopted state', () => ({ state: 'adopted' }), 'state'],
    ['a place in an issue', () => ({ position: 3 }), 'position'],
  ])('naming %s is a 403 with a message, and nothing is written', async (_case, extra, field) => {
    const before = await countItems();
    const res = await submit('contributor', { headline: '越权', body: '正文', ...extra() });
    expect(res.status).toBe(403);
    expect(res.body.error.message).toMatch(/信息员/);
    expect(JSON.stringify(res.body.error.details)).toContain(field);
    expect(await countItems()).toBe(before);
  });

  test('over GraphQL the same refusal is FORBIDDEN', async () => {
    const res = await graphql(
      app,
      jwt.contributor,
      'mutation($u: [ID]) { createItem(data: { headline: "越权", body: "正文", units: $u }) { documentId } }',
      {
        u: [finance.documentId],
      },
    );
    expect(res.errors[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  test('a reader cannot submit', async () => {
    expect((await submit('reader', { headline: '读者', body: '正文' })).status).toBe(403);
  });
});

describe('submit → return with a reason → edit (submitted again) → adopt → place → sign off', () => {
  // Each step starts from the state the steps before it leave, made by that test itself: any order, any one alone.
  /** An item the contributor submitted. */
  const aSubmittedItem = async (headline = '稿件'): Promise<string> => {
    const res = await submit('contributor', { headline, body: '初稿' });
    expect(res.status).toBe(201);
    return res.body.data.documentId as string;
  };
  /** A draft issue of 2021 with its issuer, and no items yet. */
  const aDraftIssue = async (): Promise<string> => {
    const res = await app
      .http()
      .post('/api/issues?status=draft')
      .set(as('office'))
      .send({ data: { date: '2021-06-01', issuer: (await unitId(app, '区委办')).documentId } });
    expect(res.status).toBe(201);
    return res.body.data.documentId as string;
  };
  /** An item adopted and placed in a draft issue, and that issue signed off. */
  const aSignedOffIssueWithItem = async (): Promise<{ itemId: string; issueId: string }> => {
    const itemId = await aSubmittedItem();
    const issueId = await aDraftIssue();
    expect((await change('office', itemId, { state: 'adopted', issue: issueId, position: 1 })).status).toBe(200);
    expect(
      (
        await app
          .http()
          .put(`/api/issues/${issueId}`)
          .set(as('office'))
          .send({ data: { editors: '郝婕' } })
      ).status,
    ).toBe(200);
    return { itemId, issueId };
  };

  test('the office returns it; a return without a reason is refused', async () => {
    const itemId = await aSubmittedItem();
    const noReason = await change('office', itemId, { state: 'returned' });
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.details.errors[0].path).toEqual(['returnReason']);
    const returned = await change('office', itemId, { state: 'returned', returnReason: '请补充数据' });
    expect(returned.status).toBe(200);
  });

  test('the contributor sees the reason, edits, and the item is submitted again', async () => {
    const itemId = await aSubmittedItem();
    expect((await change('office', itemId, { state: 'returned', returnReason: '请补充数据' })).status).toBe(200);
    const seen = await app.http().get(`/api/items/${itemId}`).set(as('contributor'));
    expect(seen.body.data).toMatchObject({ state: 'returned', returnReason: '请补充数据' });
    const edited = await change('contributor', itemId, { body: '补充了数据的稿件' });
    expect(edited.status).toBe(200);
    expect((await stored(itemId)).state).toBe('submitted');
  });

  test('a contributor cannot adopt, and an item that is not adopted cannot be placed in an issue', async () => {
    const itemId = await aSubmittedItem();
    expect((await change('contributor', itemId, { state: 'adopted' })).status).toBe(403);
    const issueId = await aDraftIssue();
    const placed = await change('office', itemId, { issue: issueId, position: 1 });
    expect(placed.status).toBe(400);
    expect(placed.body.error.details.errors[0].path).toEqual(['issue']);
  });

  test('signing off an issue without items lists what is missing; once complete it signs off', async () => {
    const empty = await app
      .http()
      .post('/api/issues')
      .set(as('office'))
      .send({ data: { date: '2021-06-02' } });
    expect(empty.status).toBe(400);
    expect(empty.body.error.details.errors.map((error: { path: string[] }) => error.path[0])).toEqual([
      'issuer',
      'items',
    ]);

    const itemId = await aSubmittedItem();
    const issueId = await aDraftIssue();
    const notYet = await app
      .http()
      .put(`/api/issues/${issueId}`)
      .set(as('office'))
      .send({ data: { editors: '郝婕' } });
    expect(notYet.status).toBe(400);
    expect(notYet.body.error.message).toContain('至少编入一条信息');

    expect((await change('office', itemId, { state: 'adopted', issue: issueId, position: 1 })).status).toBe(200);
    const signed = await app
      .http()
      .put(`/api/issues/${issueId}`)
      .set(as('office'))
      .send({ data: { editors: '郝婕' } });
    expect(signed.status).toBe(200);
    expect(signed.body.data.firstSignedOffAt).not.toBeNull();
  });

  test('items of a signed-off issue are frozen for everyone, until it is unpublished', async () => {
    const { itemId, issueId } = await aSignedOffIssueWithItem();
    const frozen = await change('office', itemId, { headline: '改标题' });
    expect(frozen.status).toBe(400);
    expect(frozen.body.error.message).toMatch(/^已编入已签发的《上街信息》2021年第\d+期，须先撤回签发$/);
    expect((await change('contributor', itemId, { headline: '改标题' })).status).toBe(403); // adopted: not theirs to edit any more

    await app.strapi.documents('api::issue.issue').unpublish({ documentId: issueId });
    expect((await change('office', itemId, { headline: '改标题' })).status).toBe(200);
  });

  test('an issue with an item that is not adopted cannot be signed off', async () => {
    const { issueId } = await aSignedOffIssueWithItem();
    await app.strapi.documents('api::issue.issue').unpublish({ documentId: issueId });
    const other = await aSubmittedItem('另一条');
    await app.strapi.db.query('api::item.item').update({
      where: { documentId: other },
      data: {
        issue: (
          await app.strapi.db.query('api::issue.issue').findOne({ where: { documentId: issueId, publishedAt: null } })
        ).id,
      },
    });
    expect(
      await app.strapi.db
        .query('api::issue.issue')
        .count({ where: { documentId: issueId, publishedAt: { $notNull: true } } }),
    ).toBe(0);
    const res = await app
      .http()
      .put(`/api/issues/${issueId}`)
      .set(as('office'))
      .send({ data: { editors: '郝婕' } });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('1 条信息尚未采用，不能签发：“另一条”（已报送）');
    expect(
      await app.strapi.db
        .query('api::issue.issue')
        .count({ where: { documentId: issueId, publishedAt: { $notNull: true } } }),
    ).toBe(0);
  });
});

describe('withdrawing', () => {
  test('a contributor withdraws a submitted item: kept, marked withdrawn, and no longer editable', async () => {
    const id = (await submit('contributor', { headline: '要撤回的', body: '正文' })).body.data.documentId;
    expect((await change('contributor', id, { state: 'withdrawn' })).status).toBe(200);
    expect((await stored(id)).state).toBe('withdrawn');
    expect((await change('contributor', id, { body: '再改' })).status).toBe(403);
    expect((await app.http().delete(`/api/items/${id}`).set(as('contributor'))).status).toBe(403);
  });

  test("another unit's item is a 404 to a contributor, whatever they try", async () => {
    const foreign = (await submit('office', { headline: '财政局的', body: '正文', units: [finance.documentId] })).body
      .data.documentId;
    expect((await change('contributor', foreign, { state: 'withdrawn' })).status).toBe(404);
    expect((await stored(foreign)).state).toBe('submitted');
  });
});

describe('units', () => {
  test('a unit that does not exist cannot be credited (400), and nothing is written', async () => {
    const before = await countItems();
    const res = await submit('office', { headline: '无此单位', body: '正文', units: ['no-such-unit-document-id'] });
    expect(res.status).toBe(400);
    expect(await countItems()).toBe(before);
  });

  test('a unit that items name cannot be deleted, only deactivated; an inactive unit cannot be credited', async () => {
    const refused = await app.http().delete(`/api/units/${hrss.documentId}`).set(as('office'));
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toContain('停用');
    // A unit of this test's own is deactivated (区财政局 stays active for the other tests).
    const closing = await app.strapi
      .documents('api::unit.unit')
      .create({ data: { shortName: '区待撤并局', kind: 'department', active: true } });
    expect(
      (
        await app
          .http()
          .put(`/api/units/${closing.documentId}`)
          .set(as('office'))
          .send({ data: { active: false } })
      ).status,
    ).toBe(200);
    const res = await submit('office', { headline: '署停用单位', body: '正文', units: [closing.documentId] });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('已停用');
  });
});

describe('attribution typed into the body', () => {
  test("the item's own unit at the end of the body is removed: it is printed from the unit", async () => {
    const res = await submit('contributor', { headline: '署名在正文', body: '第一段。\n\n第二段。（区人社局）' });
    expect(res.status).toBe(201);
    expect(res.body.data.body).toBe('第一段。\n\n第二段。');
    expect((await stored(res.body.data.documentId)).body).toBe('第一段。\n\n第二段。');
  });

  test('half-width brackets, 【】 and a leading —— are recognised too, after folding width and spaces', async () => {
    for (const ending of ['(区人社局)', '【区 人社局】', '——区人社局', '（ 上街区人力资源和社会保障局 ）']) {
      const res = await submit('contributor', { headline: '署名', body: `正文。${ending}` });
      expect(res.status).toBe(201);
      expect(res.body.data.body).toBe('正文。');
    }
  });

  test("another unit's name at the end is a 400 naming it, and nothing is written", async () => {
    const before = await countItems();
    const res = await submit('contributor', { headline: '署错名', body: '正文。（峡窝镇）' });
    expect(res.status).toBe(400);
    expect(res.body.error.details.errors[0].path).toEqual(['body']);
    expect(res.body.error.message).toContain('峡窝镇');
    expect(await countItems()).toBe(before);
  });

  test('anything else in brackets stays as text', async () => {
    for (const body of ['正文。（完）', '正文。（记者 张三）']) {
      expect((await submit('contributor', { headline: '括号', body })).body.data.body).toBe(body);
    }
  });

  test('a single adoption credits exactly one unit; a combined one credits all', async () => {
    const single = await submit('office', {
      headline: '单条',
      body: '正文',
      units: [hrss.documentId, (await unitId(app, '峡窝镇')).documentId],
    });
    expect(single.status).toBe(400);
    expect(single.body.error.message).toContain('综合采用');
    const combined = await submit('office', {
      headline: '综合',
      body: '正文',
      adoptionKind: 'combined',
      units: [hrss.documentId, (await unitId(app, '峡窝镇')).documentId],
    });
    expect(combined.status).toBe(201);
  });
});
