import { bootApp, createApiToken, type TestApp } from '../support/app';
import { aPerson, unitId } from '../support/people';
import { shape } from '../../src/strapi/audit';
import { snapshotPlan, sqlSnapshot, strapiSnapshot, type Snapshot } from '../../src/strapi/audit-snapshot';

/**
 * The audit trail reads a document's versions before and after each write in one statement on PostgreSQL
 * (src/strapi/audit-snapshot.ts, sqlSnapshot); Strapi's query engine with a populate (strapiSnapshot) is the oracle.
 * Every document of the four audited types — the demo's and ones made here with every kind of field set (an item's
 * units, issue and submitting account; a signed-off issue's record, first sign-off time, recipients with and without
 * a group, its items; a unit's admin users; a group's units and accounts) — reads the same both ways, as the trail
 * shows it and row for row.
 */

const TYPES = ['api::issue.issue', 'api::item.item', 'api::unit.unit', 'api::recipient-group.recipient-group'];

let app: TestApp;
beforeAll(async () => {
  app = await bootApp();
});
afterAll(async () => {
  await (app as TestApp | undefined)?.close();
});

const view = (uid: string, versions: Snapshot) => ({
  draft: versions.draft === null ? null : { id: versions.draft.id, fields: shape(app.strapi, uid, versions.draft) },
  published:
    versions.published === null
      ? null
      : { id: versions.published.id, fields: shape(app.strapi, uid, versions.published) },
});

async function documentsOf(uid: string): Promise<string[]> {
  const rows = (await app.strapi.db.query(uid).findMany({ select: ['documentId'] })) as { documentId: string }[];
  return [...new Set(rows.map((row) => row.documentId))];
}

test('every audited type has its one statement', () => {
  for (const uid of TYPES) expect([uid, snapshotPlan(app.strapi, uid) === null]).toEqual([uid, false]);
});

test('every document reads the same in one statement as through Strapi, whatever its fields hold', async () => {
  // Documents with every kind of field set, beside the demo's.
  const hrss = await unitId(app, '区人社局');
  const contributor = await aPerson(app, 'snapshot-contributor', 'contributor', hrss);
  const submitted = await app
    .http()
    .post('/api/items')
    .set('Authorization', `Bearer ${contributor.jwt}`)
    .send({ data: { headline: '快照：一条报送的信息', body: '第一段。\n第二段。' } });
  expect(submitted.status).toBe(201);
  const token = await createApiToken(app.strapi, 'full-access');
  const group = await app.strapi.documents('api::recipient-group.recipient-group').create({
    data: { name: '快照测试范围', units: [hrss.documentId], users: [contributor.id], sortOrder: 3 } as never,
  });
  const issue = await app
    .http()
    .post('/api/issues?status=draft')
    .set('Authorization', `Bearer ${token}`)
    .send({
      data: {
        date: '2023-05-06',
        issuer: (await unitId(app, '区委办')).documentId,
        columnTitle: '快照专栏',
        columnInstallment: 2,
        sendTo: [{ group: group.documentId }, { label: '手写的一行' }],
        distributeTo: [{ group: group.documentId, label: '另起的名称' }],
        editors: '郝婕',
        printRun: 120,
      },
    });
  expect(issue.status).toBe(201);
  for (const [position, headline] of ['快照：第一条', '快照：第二条'].entries()) {
    const item = await app.strapi.documents('api::item.item').create({
      data: { headline, body: '正文。', units: [hrss.documentId], state: 'adopted' } as never,
    });
    const placed = await app
      .http()
      .put(`/api/items/${item.documentId}`)
      .set('Authorization', `Bearer ${token}`)
      .send({ data: { issue: issue.body.data.documentId, position: position + 1 } });
    expect(placed.status).toBe(200);
  }
  const signed = await app
    .http()
    .put(`/api/issues/${issue.body.data.documentId}?status=published`)
    .set('Authorization', `Bearer ${token}`)
    .send({ data: {} });
  expect(signed.status).toBe(200);
  const admins = (await app.strapi.db.query('admin::user').findMany({ select: ['id'], limit: 2 })) as { id: number }[];
  await app.strapi
    .documents('api::unit.unit')
    .update({ documentId: hrss.documentId, data: { adminUsers: admins.map((admin) => admin.id) } as never });

  let compared = 0;
  const kinds = new Set<string>();
  for (const uid of TYPES) {
    const plan = snapshotPlan(app.strapi, uid);
    if (plan === null) throw new Error(`no statement for ${uid}`);
    for (const documentId of await documentsOf(uid)) {
      const oracle = await strapiSnapshot(app.strapi, uid, documentId);
      const read = await sqlSnapshot(app.strapi, uid, documentId, plan);
      expect([uid, documentId, view(uid, read)]).toEqual([uid, documentId, view(uid, oracle)]);
      compared += 1;
      if (oracle.published !== null) kinds.add(`${uid} published`);
      if (oracle.draft !== null) kinds.add(`${uid} draft`);
    }
  }
  // The demo and this test's documents: every type, drafts and signed-off issues (items, units and groups have one version).
  expect(compared).toBeGreaterThan(20);
  expect([...kinds].sort()).toEqual(
    [
      'api::issue.issue draft',
      'api::issue.issue published',
      'api::item.item draft',
      'api::recipient-group.recipient-group draft',
      'api::unit.unit draft',
    ].sort(),
  );
  // The made-up fields are there to be compared: the signed-off issue's record and recipients, the unit's admins.
  const signedOff = await strapiSnapshot(app.strapi, 'api::issue.issue', issue.body.data.documentId);
  const fields = shape(app.strapi, 'api::issue.issue', signedOff.published);
  expect(fields?.record).not.toBeNull();
  expect(fields?.firstSignedOffAt).toEqual(expect.any(String));
  expect(fields?.sendTo).toEqual([
    { label: '快照测试范围', group: group.documentId },
    { label: '手写的一行', group: null },
  ]);
  expect((fields?.items as string[]).length).toBe(2);
  const unit = await strapiSnapshot(app.strapi, 'api::unit.unit', hrss.documentId);
  expect((shape(app.strapi, 'api::unit.unit', unit.draft)?.adminUsers as string[]).length).toBe(admins.length);
});

test('one statement, prepared, where Strapi sends one per relation and component', async () => {
  const [documentId] = await documentsOf('api::issue.issue');
  const plan = snapshotPlan(app.strapi, 'api::issue.issue');
  if (plan === null) throw new Error('no statement for issues');
  // The statement is prepared on the connection itself, below knex: counted on the transaction's connection.
  let onConnection = 0;
  await app.strapi.db.connection.transaction(async (trx) => {
    const connection = (await trx.client.acquireConnection()) as { query: (...args: unknown[]) => unknown };
    const query = connection.query;
    connection.query = (...args: unknown[]) => {
      onConnection += 1;
      return query.apply(connection, args);
    };
    try {
      await sqlSnapshot(app.strapi, 'api::issue.issue', documentId, plan, trx);
    } finally {
      connection.query = query;
    }
  });
  expect(onConnection).toBe(1);
  // Strapi's engine, counted as knex reports its statements.
  let throughKnex = 0;
  const listener = () => (throughKnex += 1);
  app.strapi.db.connection.client.on('query', listener);
  try {
    await strapiSnapshot(app.strapi, 'api::issue.issue', documentId);
  } finally {
    app.strapi.db.connection.client.removeListener('query', listener);
  }
  expect(throughKnex).toBeGreaterThan(5);
});
