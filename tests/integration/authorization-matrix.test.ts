import { bootApp, type TestApp } from '../support/app';
import { graphql } from '../support/graphql';
import { aPerson, aUnit, listOnGroup, unitId } from '../support/people';

/**
 * The authorization matrix: every API role × every content type × every action × REST and GraphQL, each cell
 * asserting the outcome and, when refused, that nothing changed. The demo issue is distributed to 峡窝镇 and
 * 区直各单位负责同志 (which includes 区人社局) and sent to 区县处级领导 (the leader's account); 区财政局 is on no list.
 */

type Outcome = 'ok' | 'forbidden' | 'notFound';
type Role = 'public' | 'contributorA' | 'contributorB' | 'readerOn' | 'readerOff' | 'leader';
type Subject = 'issue' | 'item' | 'unit' | 'group';
type Action = 'find' | 'findOne' | 'create' | 'update' | 'delete' | 'publish';

const ROLES: Role[] = ['public', 'contributorA', 'contributorB', 'readerOn', 'readerOff', 'leader'];

let app: TestApp;
const jwt: Partial<Record<Role, string>> = {};
const target: Record<Subject, string> = { issue: '', item: '', unit: '', group: '' };

/** What each role may do: the expected outcome of every cell. */
function expected(role: Role, subject: Subject, action: Action): Outcome {
  if (role === 'public') return 'forbidden';
  if (action === 'delete' || action === 'publish') return 'forbidden';
  const contributor = role === 'contributorA' || role === 'contributorB';
  const seesDemo = role !== 'contributorB' && role !== 'readerOff';
  switch (subject) {
    case 'unit':
    case 'group':
      return action === 'find' || action === 'findOne' ? 'ok' : 'forbidden';
    case 'issue':
      if (action === 'find') return 'ok';
      if (action === 'findOne') return seesDemo ? 'ok' : 'notFound';
      return 'forbidden';
    case 'item':
      if (action === 'find') return 'ok';
      if (action === 'findOne') return role === 'contributorB' || role === 'readerOff' ? 'notFound' : 'ok';
      if (action === 'create') return contributor ? 'ok' : 'forbidden';
      return role === 'contributorA' ? 'ok' : role === 'contributorB' ? 'notFound' : 'forbidden';
  }
  return 'forbidden';
}

const DISABLED_MUTATIONS = new Set(
  ['issue', 'unit', 'group']
    .flatMap((subject) => ['create', 'update', 'delete', 'publish'].map((action) => `${subject}.${action}`))
    .concat('item.delete'),
);

const REST_PATH: Record<Subject, string> = { issue: 'issues', item: 'items', unit: 'units', group: 'recipient-groups' };
const GQL: Record<Subject, { one: string; many: string; type: string; create: string; update: string }> = {
  issue: { one: 'issue', many: 'issues', type: 'Issue', create: '{ date: "2021-01-01" }', update: '{ editors: "改" }' },
  item: {
    one: 'item',
    many: 'items',
    type: 'Item',
    create: '{ headline: "矩阵", body: "正文" }',
    update: '{ headline: "矩阵（改）" }',
  },
  unit: { one: 'unit', many: 'units', type: 'Unit', create: '{ shortName: "矩阵单位" }', update: '{ fullName: "改" }' },
  group: {
    one: 'recipientGroup',
    many: 'recipientGroups',
    type: 'RecipientGroup',
    create: '{ name: "矩阵范围" }',
    update: '{ description: "改" }',
  },
};
const REST_BODY: Record<Subject, { create: object; update: object }> = {
  issue: { create: { date: '2021-01-01' }, update: { editors: '改' } },
  item: { create: { headline: '矩阵', body: '正文' }, update: { headline: '矩阵（改）' } },
  unit: { create: { shortName: '矩阵单位' }, update: { fullName: '改' } },
  group: { create: { name: '矩阵范围' }, update: { description: '改' } },
};

/** A fingerprint of everything a refused call must leave untouched. */
async function fingerprint(): Promise<string> {
  const rows = await app.strapi.db.connection.raw(`
    SELECT (SELECT count(*) FROM issues) AS issues, (SELECT max(updated_at) FROM issues) AS issues_at,
           (SELECT count(*) FROM issues WHERE published_at IS NOT NULL) AS published,
           (SELECT count(*) FROM items) AS items, (SELECT max(updated_at) FROM items) AS items_at,
           (SELECT count(*) FROM units) AS units, (SELECT max(updated_at) FROM units) AS units_at,
           (SELECT count(*) FROM recipient_groups) AS groups, (SELECT max(updated_at) FROM recipient_groups) AS groups_at`);
  return JSON.stringify(rows.rows[0]);
}

async function rest(role: Role, subject: Subject, action: Action): Promise<Outcome> {
  const base = `/api/${REST_PATH[subject]}`;
  const id = target[subject];
  let call;
  switch (action) {
    case 'find':
      call = app.http().get(base);
      break;
    case 'findOne':
      call = app.http().get(`${base}/${id}`);
      break;
    case 'create':
      call = app
        .http()
        .post(base)
        .query(subject === 'issue' ? { status: 'draft' } : {})
        .send({ data: REST_BODY[subject].create });
      break;
    case 'update':
      call = app
        .http()
        .put(`${base}/${id}`)
        .query(subject === 'issue' ? { status: 'draft' } : {})
        .send({ data: REST_BODY[subject].update });
      break;
    case 'delete':
      call = app.http().delete(`${base}/${id}`);
      break;
    case 'publish':
      call = app.http().put(`${base}/${id}`).query({ status: 'published' }).send({ data: {} });
      break;
  }
  const token = jwt[role];
  const res = await (token === undefined ? call : call.set('Authorization', `Bearer ${token}`));
  if (res.status === 200 || res.status === 201 || res.status === 204) return 'ok';
  if (res.status === 403) return 'forbidden';
  if (res.status === 404) return 'notFound';
  throw new Error(`${role} ${action} ${subject} over REST answered ${res.status}: ${JSON.stringify(res.body)}`);
}

async function overGraphQL(role: Role, subject: Subject, action: Action): Promise<Outcome> {
  const g = GQL[subject];
  const id = JSON.stringify(target[subject]);
  const draft = subject === 'issue' ? ', status: DRAFT' : '';
  const query = {
    find: `{ ${g.many} { documentId } }`,
    findOne: `{ ${g.one}(documentId: ${id}) { documentId } }`,
    create: `mutation { create${g.type}(data: ${g.create}${draft}) { documentId } }`,
    update: `mutation { update${g.type}(documentId: ${id}, data: ${g.update}${draft}) { documentId } }`,
    delete: `mutation { delete${g.type}(documentId: ${id}) { documentId } }`,
    publish: `mutation { update${g.type}(documentId: ${id}, data: {}, status: PUBLISHED) { documentId } }`,
  }[action];
  const res = await graphql(app, jwt[role] ?? null, query);
  const code = res.errors[0]?.extensions?.code;
  // Mutations no API role needs are not in the schema at all: refused before anything runs.
  if (code === 'GRAPHQL_VALIDATION_FAILED' && action !== 'find' && action !== 'findOne') {
    expect(DISABLED_MUTATIONS.has(`${subject}.${action}`)).toBe(true);
    return 'forbidden';
  }
  if (code === 'FORBIDDEN') return 'forbidden';
  if (
    code === 'NOT_FOUND' ||
    code === 'STRAPI_NOT_FOUND_ERROR' ||
    (res.errors.length === 0 && action === 'findOne' && res.data?.[g.one] === null)
  )
    return 'notFound';
  if (res.errors.length === 0) return 'ok';
  throw new Error(`${role} ${action} ${subject} over GraphQL: ${JSON.stringify(res.errors)}`);
}

beforeAll(async () => {
  app = await bootApp();
  const finance = await aUnit(app, '区财政局');
  const hrss = await unitId(app, '区人社局');
  jwt.contributorA = (await aPerson(app, 'contributor-a', 'contributor', hrss)).jwt;
  jwt.contributorB = (await aPerson(app, 'contributor-b', 'contributor', finance)).jwt;
  jwt.readerOn = (await aPerson(app, 'reader-on', 'reader', await unitId(app, '峡窝镇'))).jwt;
  jwt.readerOff = (await aPerson(app, 'reader-off', 'reader', finance)).jwt;
  const leader = await aPerson(app, 'leader', 'reader', null);
  await listOnGroup(app, '区县处级领导', leader.id);
  jwt.leader = leader.jwt;

  target.issue = (await app.strapi.db.query('api::issue.issue').findOne({ where: { number: 14 } })).documentId;
  target.unit = finance.documentId;
  target.group = (
    await app.strapi.db.query('api::recipient-group.recipient-group').findOne({ where: { name: '峡窝镇' } })
  ).documentId;
  // Reads target the demo's 区人社局 item; updates target a fresh submitted item of 区人社局 (see below).
  target.item = (
    await app.strapi.db.query('api::item.item').findOne({ where: { headline: '区人社局开通创业担保贷款“绿色通道”' } })
  ).documentId;
});
afterAll(async () => {
  await (app as TestApp | undefined)?.close();
});

const SUBJECTS: Subject[] = ['issue', 'item', 'unit', 'group'];
const ACTIONS: Record<Subject, Action[]> = {
  issue: ['find', 'findOne', 'create', 'update', 'delete', 'publish'],
  item: ['find', 'findOne', 'create', 'update', 'delete'],
  unit: ['find', 'findOne', 'create', 'update', 'delete'],
  group: ['find', 'findOne', 'create', 'update', 'delete'],
};
const CELLS = ROLES.flatMap((role) =>
  SUBJECTS.flatMap((subject) =>
    ACTIONS[subject].flatMap((action) =>
      (['REST', 'GraphQL'] as const).map(
        (protocol) => [role, subject, action, protocol, expected(role, subject, action)] as const,
      ),
    ),
  ),
);

test(`the matrix has ${CELLS.length} cells`, () => {
  expect(CELLS.length).toBe(6 * 21 * 2);
});

test.each(CELLS)('%s %s.%s over %s → %s', async (role, subject, action, protocol, outcome) => {
  // The item the contributor of 区人社局 may edit must be editable: a fresh submitted item of theirs.
  if (subject === 'item' && action === 'update') {
    const hrss = await unitId(app, '区人社局');
    target.item = (
      await app.strapi
        .documents('api::item.item')
        .create({ data: { headline: '可修改的', body: '正文', units: [hrss.documentId] } as never })
    ).documentId;
  }
  try {
    const before = await fingerprint();
    const actual = protocol === 'REST' ? await rest(role, subject, action) : await overGraphQL(role, subject, action);
    expect(actual).toBe(outcome);
    if (outcome !== 'ok' && action !== 'find' && action !== 'findOne') expect(await fingerprint()).toBe(before);
  } finally {
    if (subject === 'item' && action === 'update') {
      target.item = (
        await app.strapi.db
          .query('api::item.item')
          .findOne({ where: { headline: '区人社局开通创业担保贷款“绿色通道”' } })
      ).documentId;
    }
  }
});

describe('lists contain only what the caller may see', () => {
  test.each([
    ['contributorA', 'issues', 1],
    ['contributorB', 'issues', 0],
    ['readerOn', 'issues', 1],
    ['readerOff', 'issues', 0],
    ['leader', 'issues', 1],
    ['readerOn', 'items', 6],
    ['readerOff', 'items', 0],
    ['leader', 'items', 6],
  ] as [Role, string, number][])('%s lists %i %s… (REST and GraphQL agree)', async (role, many, count) => {
    const res = await app
      .http()
      .get(`/api/${many}`)
      .query({ 'pagination[pageSize]': 100, status: 'published' })
      .set('Authorization', `Bearer ${jwt[role]}`);
    const gql = await graphql<Record<string, unknown[]>>(
      app,
      jwt[role]!,
      `{ ${many}(pagination: { limit: 100 }) { documentId } }`,
    );
    expect(res.body.data.length).toBe(count);
    expect(gql.data?.[many]?.length).toBe(count);
  });
});

describe('nested traversal', () => {
  test('REST populate=* on issues and items never reaches what the caller may not see', async () => {
    const off = await app
      .http()
      .get('/api/issues')
      .query({ populate: '*' })
      .set('Authorization', `Bearer ${jwt.readerOff}`);
    expect(off.body.data).toEqual([]);
    const on = await app
      .http()
      .get('/api/issues')
      .query({ populate: '*' })
      .set('Authorization', `Bearer ${jwt.readerOn}`);
    expect(on.body.data[0].items).toHaveLength(6);
  });

  test('GraphQL issue { items { body } } and unit { items } follow the same rules', async () => {
    const off = await graphql<{ issues: unknown[] }>(app, jwt.readerOff!, '{ issues { items { body } } }');
    expect(off.data?.issues).toEqual([]);
    const on = await graphql<{ issues: { items: unknown[] }[] }>(app, jwt.readerOn!, '{ issues { items { body } } }');
    expect(on.data?.issues[0].items).toHaveLength(6);
    const units = await graphql(app, jwt.readerOn!, '{ units { items { body } } }');
    expect(units.errors.length).toBeGreaterThan(0);
  });
});
