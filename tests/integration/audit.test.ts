import path from 'path';
import { spawn } from 'child_process';
import { bootApp, createApiToken, type TestApp } from '../support/app';
import { graphql } from '../support/graphql';
import { aPerson, aUnit, unitId } from '../support/people';

/**
 * The audit trail (留痕) on real PostgreSQL with real logins: each path and action leaves exactly one entry naming
 * who, what and the fields' old and new values; a refused or rolled-back write leaves none; the table refuses UPDATE
 * and DELETE; npm run audit:verify checks the chain and names the entry broken by hand.
 */

const ITEM = 'api::item.item';
const ISSUE = 'api::issue.issue';
const UNIT = 'api::unit.unit';
const GROUP = 'api::recipient-group.recipient-group';

let app: TestApp;
let office: string;
let hrss: { id: number; documentId: string };
let contributor: { id: number; jwt: string };
let editor: string;
let signer: string;

type Entry = {
  id: string;
  action: string;
  content_type: string;
  document_id: string;
  document_name: string | null;
  changes: Record<string, { old: unknown; new: unknown }>;
  actor_kind: string;
  actor_id: string | null;
  actor_name: string | null;
  actor_unit: string | null;
  address: string | null;
  user_agent: string | null;
  request_id: string | null;
  prev_hash: string;
  hash: string;
};

const sql = async <T>(text: string, bindings: unknown[] = []): Promise<T[]> =>
  (await app.strapi.db.connection.raw<{ rows: T[] }>(text, bindings as never)).rows;
// Strapi reads jsonb back as text on PostgreSQL.
const entriesOf = async (documentId: string) =>
  (await sql<Entry>('SELECT * FROM bulletin_audit WHERE document_id = ? ORDER BY id', [documentId])).map((row) => ({
    ...row,
    changes: typeof row.changes === 'string' ? JSON.parse(row.changes) : row.changes,
  }));
const count = async () => Number((await sql<{ n: string }>('SELECT count(*) AS n FROM bulletin_audit'))[0].n);

beforeAll(async () => {
  app = await bootApp();
  office = await createApiToken(app.strapi, 'full-access');
  hrss = await unitId(app, '区人社局');
  contributor = await aPerson(app, 'audit-contributor', 'contributor', hrss);
  const role = await app.strapi.db.query('admin::role').findOne({ where: { code: 'bulletin-editor' } });
  await app.strapi.service('admin::user').create({
    email: 'audit-editor@example.gov.cn',
    firstname: '婕',
    lastname: '郝',
    password: 'Admin-pass-1',
    isActive: true,
    roles: [role.id],
  });
  const login = await app
    .http()
    .post('/admin/login')
    .send({ email: 'audit-editor@example.gov.cn', password: 'Admin-pass-1' });
  expect(login.status).toBe(200);
  editor = login.body.data.token;
  const signerRole = await app.strapi.db.query('admin::role').findOne({ where: { code: 'bulletin-signer' } });
  await app.strapi.service('admin::user').create({
    email: 'audit-signer@example.gov.cn',
    firstname: '德昭',
    lastname: '李',
    password: 'Admin-pass-1',
    isActive: true,
    roles: [signerRole.id],
  });
  const signerLogin = await app
    .http()
    .post('/admin/login')
    .send({ email: 'audit-signer@example.gov.cn', password: 'Admin-pass-1' });
  expect(signerLogin.status).toBe(200);
  signer = signerLogin.body.data.token;
});
afterAll(async () => {
  await (app as TestApp | undefined)?.close();
});

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
const submit = async (headline = '稿件'): Promise<string> => {
  const res = await app
    .http()
    .post('/api/items')
    .set(bearer(contributor.jwt))
    .set('User-Agent', 'audit-test')
    .send({ data: { headline, body: '初稿' } });
  expect(res.status).toBe(201);
  return res.body.data.documentId as string;
};
const change = (token: string, documentId: string, data: Record<string, unknown>) =>
  app.http().put(`/api/items/${documentId}`).set(bearer(token)).send({ data });
const aDraftIssue = async (): Promise<string> => {
  const res = await app
    .http()
    .post('/api/issues?status=draft')
    .set(bearer(office))
    .send({ data: { date: '2022-03-01', issuer: (await unitId(app, '区委办')).documentId } });
  expect(res.status).toBe(201);
  return res.body.data.documentId as string;
};
const tokenName = async () =>
  ((await app.strapi.db.query('admin::api-token').findMany({ select: ['name'] })) as { name: string }[]).map(
    (token) => token.name,
  );

describe('each path and action leaves one exact entry', () => {
  test('REST: a contributor submits an item — create, by the account with its unit, address, user agent and request id', async () => {
    const res = await app
      .http()
      .post('/api/items')
      .set(bearer(contributor.jwt))
      .set('User-Agent', 'audit-test')
      .set('X-Request-Id', 'audit-create-1')
      .send({ data: { headline: '招聘会', body: '初稿' } });
    expect(res.status).toBe(201);
    const [entry, ...more] = await entriesOf(res.body.data.documentId);
    expect(more).toEqual([]);
    expect(entry).toMatchObject({
      action: 'create',
      content_type: ITEM,
      actor_kind: 'account',
      actor_id: String(contributor.id),
      actor_name: 'audit-contributor',
      actor_unit: '区人社局',
      user_agent: 'audit-test',
      request_id: 'audit-create-1',
    });
    expect(entry.address).toMatch(/127\.0\.0\.1|::1/);
    expect(entry.changes.headline).toEqual({ old: null, new: '招聘会' });
    expect(entry.changes.state).toEqual({ old: null, new: 'submitted' });
    expect(entry.changes.units).toEqual({ old: null, new: [hrss.documentId] });
    expect(entry.changes.submittedBy).toEqual({ old: null, new: expect.any(String) });
  });

  test('REST: the office returns it with a reason — return, by the API token by name, old → new', async () => {
    const itemId = await submit();
    expect((await change(office, itemId, { state: 'returned', returnReason: '请补充数据' })).status).toBe(200);
    const entry = (await entriesOf(itemId)).at(-1) as Entry;
    expect(entry.action).toBe('return');
    expect(entry.actor_kind).toBe('api-token');
    expect(await tokenName()).toContain(entry.actor_name);
    expect(entry.changes).toEqual({
      state: { old: 'submitted', new: 'returned' },
      returnReason: { old: null, new: '请补充数据' },
    });
  });

  test('GraphQL: the contributor edits a returned item — submit (state back to submitted) with the body old → new', async () => {
    const itemId = await submit();
    expect((await change(office, itemId, { state: 'returned', returnReason: '请补充' })).status).toBe(200);
    const res = await graphql(
      app,
      contributor.jwt,
      'mutation($id: ID!) { updateItem(documentId: $id, data: { body: "补充后的稿件" }) { documentId } }',
      { id: itemId },
    );
    expect(res.errors).toEqual([]);
    const entry = (await entriesOf(itemId)).at(-1) as Entry;
    expect(entry).toMatchObject({ action: 'submit', actor_kind: 'account', actor_name: 'audit-contributor' });
    expect(entry.changes.body).toEqual({ old: '初稿', new: '补充后的稿件' });
    expect(entry.changes.state).toEqual({ old: 'returned', new: 'submitted' });
  });

  test('REST: the contributor withdraws — withdraw', async () => {
    const itemId = await submit();
    expect((await change(contributor.jwt, itemId, { state: 'withdrawn' })).status).toBe(200);
    const entry = (await entriesOf(itemId)).at(-1) as Entry;
    expect(entry.action).toBe('withdraw');
    expect(entry.changes.state).toEqual({ old: 'submitted', new: 'withdrawn' });
  });

  test('admin content manager: the editor adopts — adopt, by the admin user by name', async () => {
    const itemId = await submit();
    const res = await app
      .http()
      .put(`/content-manager/collection-types/${ITEM}/${itemId}`)
      .set(bearer(editor))
      .send({ state: 'adopted' });
    expect(res.body.error).toBeUndefined();
    expect(res.status).toBe(200);
    const entry = (await entriesOf(itemId)).at(-1) as Entry;
    expect(entry).toMatchObject({ action: 'adopt', actor_kind: 'admin', actor_name: '郝婕' });
    expect(entry.changes.state).toEqual({ old: 'submitted', new: 'adopted' });
  });

  test('adopted items placed in an issue, then one moved up: place, then reorder', async () => {
    const first = await submit();
    const second = await submit();
    const issueId = await aDraftIssue();
    expect((await change(office, first, { state: 'adopted', issue: issueId, position: 1 })).status).toBe(200);
    expect((await change(office, second, { state: 'adopted' })).status).toBe(200);
    expect((await change(office, second, { issue: issueId, position: 2 })).status).toBe(200);
    expect((await change(office, second, { position: 1 })).status).toBe(200);
    const [placed, moved] = (await entriesOf(second)).slice(-2);
    expect(placed.action).toBe('place');
    expect(placed.changes.issue).toEqual({ old: null, new: issueId });
    expect(moved.action).toBe('reorder');
    expect(moved.changes).toEqual({ position: { old: 2, new: 1 } });
  });

  test('signing an issue off is publish (签发) with its printed name; a script unpublishes it (撤回签发)', async () => {
    const itemId = await submit();
    const issueId = await aDraftIssue();
    expect((await change(office, itemId, { state: 'adopted', issue: issueId, position: 1 })).status).toBe(200);
    const signed = await app
      .http()
      .put(`/api/issues/${issueId}`)
      .set(bearer(office))
      .send({ data: { editors: '郝婕' } });
    expect(signed.status).toBe(200);
    const publish = (await entriesOf(issueId)).at(-1) as Entry;
    expect(publish.action).toBe('publish');
    expect(publish.content_type).toBe(ISSUE);
    expect(publish.document_name).toMatch(/2022年第\d+期/);
    expect(publish.changes.editors).toEqual({ old: null, new: '郝婕' });
    expect(publish.changes.items).toEqual({ old: null, new: [itemId] });

    await app.strapi.documents(ISSUE).unpublish({ documentId: issueId });
    const unpublish = (await entriesOf(issueId)).at(-1) as Entry;
    expect(unpublish).toMatchObject({ action: 'unpublish', actor_kind: 'script', address: null, request_id: null });
    expect(unpublish.changes.editors).toEqual({ old: '郝婕', new: null });
  });

  test('admin bulk actions (several documents in one transaction, at once): one entry each, and the chain unbroken', async () => {
    // The content manager's bulk delete, publish and unpublish run their documents' writes concurrently (Promise.all) in
    // one transaction: the entries of one transaction must still follow each other in the chain.
    const chainFrom = async (firstId: string) =>
      sql<{ id: string; prev_hash: string; hash: string }>(
        'SELECT id, prev_hash, hash FROM bulletin_audit WHERE id >= ? ORDER BY id',
        [firstId],
      );
    const lastId = async () => (await sql<{ id: string }>('SELECT max(id) AS id FROM bulletin_audit'))[0].id;
    const items = [await submit('批量一'), await submit('批量二'), await submit('批量三')];
    const start = await lastId();
    const deleted = await app
      .http()
      .post(`/content-manager/collection-types/${ITEM}/actions/bulkDelete`)
      .set(bearer(editor))
      .send({ documentIds: items });
    expect(deleted.status).toBe(200);
    expect(deleted.body).toEqual({ count: 3 });
    for (const itemId of items) {
      const entry = (await entriesOf(itemId)).at(-1) as Entry;
      expect(entry).toMatchObject({ action: 'delete', actor_kind: 'admin', actor_name: '郝婕' });
      expect(entry.changes.headline).toEqual({ old: expect.stringMatching(/^批量/), new: null });
    }

    const issues: string[] = [];
    for (const headline of ['批量签发一', '批量签发二']) {
      const itemId = await submit(headline);
      const issueId = await aDraftIssue();
      expect((await change(office, itemId, { state: 'adopted', issue: issueId, position: 1 })).status).toBe(200);
      expect(
        (
          await app
            .http()
            .put(`/api/issues/${issueId}?status=draft`)
            .set(bearer(office))
            .send({ data: { editors: '郝婕' } })
        ).status,
      ).toBe(200);
      issues.push(issueId);
    }
    const published = await app
      .http()
      .post(`/content-manager/collection-types/${ISSUE}/actions/bulkPublish`)
      .set(bearer(signer))
      .send({ documentIds: issues });
    expect(published.status).toBe(200);
    for (const issueId of issues)
      expect((await entriesOf(issueId)).at(-1)).toMatchObject({
        action: 'publish',
        actor_kind: 'admin',
        actor_name: '李德昭',
      });
    const unpublished = await app
      .http()
      .post(`/content-manager/collection-types/${ISSUE}/actions/bulkUnpublish`)
      .set(bearer(signer))
      .send({ documentIds: issues });
    expect(unpublished.status).toBe(200);
    for (const issueId of issues)
      expect((await entriesOf(issueId)).at(-1)).toMatchObject({
        action: 'unpublish',
        actor_kind: 'admin',
        actor_name: '李德昭',
      });

    const chain = await chainFrom(start);
    expect(chain.length).toBeGreaterThanOrEqual(1 + 3 + 2 * 5);
    chain
      .slice(1)
      .forEach((row, index) =>
        expect({ id: row.id, prev: row.prev_hash }).toEqual({ id: row.id, prev: chain[index].hash }),
      );
  });

  test('units and recipient groups: create over REST, update and delete by a script, each with its changes', async () => {
    const created = await app
      .http()
      .post('/api/units')
      .set(bearer(office))
      .send({ data: { shortName: '区审计局', kind: 'department', active: true } });
    expect(created.status).toBe(201);
    const unitDoc = created.body.data.documentId as string;
    const unit = await app.strapi
      .documents(UNIT)
      .update({ documentId: unitDoc, data: { fullName: '区审计局全称' } as never });
    expect(unit).not.toBeNull();
    await app.strapi.documents(UNIT).delete({ documentId: unitDoc });
    expect(
      (await entriesOf(unitDoc)).map((entry) => [
        entry.action,
        entry.actor_kind,
        entry.changes.shortName ?? entry.changes.fullName,
      ]),
    ).toEqual([
      ['create', 'api-token', { old: null, new: '区审计局' }],
      ['update', 'script', { old: null, new: '区审计局全称' }],
      ['delete', 'script', { old: '区审计局', new: null }],
    ]);

    const group = await app.strapi.documents(GROUP).create({ data: { name: '审计测试组' } as never });
    const other = await aUnit(app, '区统计测试局');
    await app.strapi
      .documents(GROUP)
      .update({ documentId: group.documentId, data: { units: [other.documentId] } as never });
    const [made, updated] = await entriesOf(group.documentId);
    expect(made).toMatchObject({ action: 'create', content_type: GROUP });
    expect(updated.changes.units).toEqual({ old: [], new: [other.documentId] });
  });
});

describe('no entry without the change', () => {
  test('a refused write (403 before writing) leaves no entry', async () => {
    const before = await count();
    const res = await app
      .http()
      .post('/api/items')
      .set(bearer(contributor.jwt))
      .send({ data: { headline: '越权', body: '正文', state: 'adopted' } });
    expect(res.status).toBe(403);
    expect(await count()).toBe(before);
  });

  test('a write refused after it ran (return without a reason, 400) is rolled back with its entry', async () => {
    const itemId = await submit();
    const before = await entriesOf(itemId);
    const res = await change(office, itemId, { state: 'returned' });
    expect(res.status).toBe(400);
    expect(await entriesOf(itemId)).toEqual(before);
    expect((await app.strapi.db.query(ITEM).findOne({ where: { documentId: itemId } })).state).toBe('submitted');
  });
});

describe('the table is append-only and chained', () => {
  test('UPDATE and DELETE of entries are refused by the database', async () => {
    await submit();
    await expect(
      app.strapi.db.connection.raw(
        "UPDATE bulletin_audit SET actor_name = 'x' WHERE id = (SELECT max(id) FROM bulletin_audit)",
      ),
    ).rejects.toThrow(/append-only/);
    await expect(
      app.strapi.db.connection.raw('DELETE FROM bulletin_audit WHERE id = (SELECT max(id) FROM bulletin_audit)'),
    ).rejects.toThrow(/append-only/);
    await expect(app.strapi.db.connection.raw('TRUNCATE bulletin_audit')).rejects.toThrow(/append-only/);
  });

  test('concurrent writes still make one unbroken chain', async () => {
    await Promise.all(Array.from({ length: 6 }, (_, index) => submit(`并发${index}`)));
    const rows = await sql<{ prev_hash: string; hash: string }>(
      'SELECT prev_hash, hash FROM bulletin_audit ORDER BY id',
    );
    rows.slice(1).forEach((row, index) => expect(row.prev_hash).toBe(rows[index].hash));
  });

  const verify = (): Promise<{ code: number | null; stdout: string; stderr: string }> =>
    new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [path.join(__dirname, '..', '..', 'scripts', 'audit-verify.js')], {
        env: { ...process.env, BULLETIN_DIST_DIR: process.env.BULLETIN_TEST_DIST_DIR, DATABASE_CLIENT: 'postgres' },
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });

  test('npm run audit:verify passes the chain, then names the entry changed by hand in SQL (exit 1)', async () => {
    const itemId = await submit('校验');
    await submit('校验之后');
    const ok = await verify();
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/留痕校验通过：\d+ 条/);

    const target = (await entriesOf(itemId))[0];
    // The owner of the table can still switch the trigger off: that is what tampering by hand looks like.
    await app.strapi.db.connection.transaction(async (trx) => {
      await trx.raw('ALTER TABLE bulletin_audit DISABLE TRIGGER bulletin_audit_no_change');
      await trx.raw("UPDATE bulletin_audit SET actor_name = 'someone else' WHERE id = ?", [target.id]);
      await trx.raw('ALTER TABLE bulletin_audit ENABLE TRIGGER bulletin_audit_no_change');
    });
    try {
      const broken = await verify();
      expect(broken.code).toBe(1);
      expect(broken.stderr).toContain(`第一条不符的条目 id=${target.id}`);
    } finally {
      await app.strapi.db.connection.transaction(async (trx) => {
        await trx.raw('ALTER TABLE bulletin_audit DISABLE TRIGGER bulletin_audit_no_change');
        await trx.raw('UPDATE bulletin_audit SET actor_name = ? WHERE id = ?', [target.actor_name, target.id]);
        await trx.raw('ALTER TABLE bulletin_audit ENABLE TRIGGER bulletin_audit_no_change');
      });
    }
    expect((await verify()).code).toBe(0);
  });
});
