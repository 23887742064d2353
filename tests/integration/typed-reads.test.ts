import { bootApp, type TestApp } from '../support/app';
import { aPerson, aUnit, unitId } from '../support/people';
import { statementsOf } from '../support/statements';

/**
 * Strapi's own GraphQL types, read by a reader with a JWT, answered again from Apollo's answer while nothing it was
 * made of changed (src/strapi/typed-reads.ts, the rule in src/domain/typed-reads.ts). The evidence: the kept answer
 * costs one statement and is Apollo's, byte for byte and header for header; after each kind of write to what the
 * answer is made of — and each change of the caller's account, role, unit or recipient groups — the next answer is
 * the one Apollo gives at that moment (asked with the same query text plus a comment, which nothing has kept yet).
 */

let app: TestApp;
let reader: { id: number; jwt: string };
let issueId: string;
let itemIds: string[];
let unit: { id: number; documentId: string };
let groupId: string;

const NESTED = `query Issue($id: ID!) {
  issue(documentId: $id) {
    documentId publication number date editors
    items { headline body position units { shortName fullName } issue { documentId number } }
    sendTo { label group { name } }
    distributeTo { group { name } }
    issuer { fullName shortName }
  }
}`;

beforeAll(async () => {
  app = await bootApp();
  const office = await unitId(app, '区委办');
  unit = await aUnit(app, '区缓存测试局');
  const other = await aUnit(app, '区缓存另一局');
  const group = await app.strapi
    .documents('api::recipient-group.recipient-group')
    .create({ data: { name: '缓存测试送', units: [unit.documentId] } as never });
  groupId = group.documentId;
  const issue = await app.strapi.documents('api::issue.issue').create({
    data: {
      publication: '缓存测试信息',
      date: '2020-02-19',
      issuer: office.documentId,
      editors: '郝婕',
      sendTo: [{ group: group.documentId }],
    } as never,
  });
  issueId = issue.documentId;
  itemIds = [];
  for (let position = 1; position <= 3; position += 1) {
    const item = await app.strapi.documents('api::item.item').create({
      data: {
        headline: `缓存第${position}条`,
        body: '正文。'.repeat(50),
        units: [position === 2 ? other.documentId : unit.documentId],
        adoptionKind: 'combined',
        state: 'adopted',
        issue: issueId,
        position,
      } as never,
    });
    itemIds.push(item.documentId);
  }
  await app.strapi.documents('api::issue.issue').publish({ documentId: issueId });
  reader = await aPerson(app, 'typed-reader', 'reader', unit);
}, 300_000);
afterAll(async () => {
  await (app as TestApp | undefined)?.close();
});

type Answer = { status: number; text: string; headers: Record<string, string> };
let fresh = 0;
/** POST /graphql as a front end sends it; `uncached`: the same query with a comment no earlier request had. */
async function ask(jwt: string, query: string = NESTED, uncached = false): Promise<Answer> {
  const text = uncached ? `${query}\n# ${(fresh += 1)}` : query;
  const res = await app
    .http()
    .post('/graphql')
    .set('Authorization', `Bearer ${jwt}`)
    .send({ query: text, variables: { id: issueId } });
  return { status: res.status, text: res.text, headers: res.headers };
}
/** The headers that are the same for every answer (not the date, the request id or the response time). */
const steady = (headers: Record<string, string>) =>
  Object.fromEntries(
    Object.entries(headers).filter(
      ([name]) => !['date', 'x-request-id', 'x-response-time', 'content-length'].includes(name),
    ),
  );
const sql = (text: string, bindings: unknown[] = []) => app.strapi.db.connection.raw(text, bindings as never);
const rowId = async (table: string, documentId: string, published = true) =>
  (
    (await sql(`SELECT id FROM ${table} WHERE document_id = ? AND published_at IS ${published ? 'NOT ' : ''}NULL`, [
      documentId,
    ])) as { rows: { id: number }[] }
  ).rows[0].id;

/** The next answer for NESTED, required to be Apollo's answer at this moment; returns it. */
async function askedAgain(jwt: string = reader.jwt): Promise<Answer> {
  await ask(jwt); // a request that may keep an answer, or be answered from one
  const answer = await ask(jwt);
  const apollo = await ask(jwt, NESTED, true);
  expect({ status: answer.status, text: answer.text }).toEqual({ status: apollo.status, text: apollo.text });
  return answer;
}

describe('the kept answer', () => {
  test('a repeated query is answered in one statement with Apollo’s own bytes and headers', async () => {
    // A query text of this test's own: its first request is Apollo's, whatever ran before.
    const query = `${NESTED}\n# the first test`;
    const first = await statementsOf(app, '/graphql', () => ask(reader.jwt, query));
    const again = await statementsOf(app, '/graphql', () => ask(reader.jwt, query));
    const apollo = await ask(reader.jwt, NESTED, true);
    expect(first.result.status).toBe(200);
    expect(JSON.parse(first.result.text).data.issue.items).toHaveLength(3);
    expect(again.result.text).toBe(first.result.text);
    expect(again.result.text).toBe(apollo.text);
    expect(steady(again.result.headers)).toEqual(steady(apollo.headers));
    expect(first.statements.length).toBeGreaterThan(5);
    expect(again.statements).toHaveLength(1);
  });
});

describe('the same for every way of asking', () => {
  const post = (jwt: string, query: string, variables: Record<string, unknown>, origin?: string) => {
    const call = app.http().post('/graphql').set('Authorization', `Bearer ${jwt}`);
    return (origin === undefined ? call : call.set('Origin', origin)).send({ query, variables });
  };

  test('from a browser (with an Origin, after CORS): kept, with Apollo’s bytes and CORS headers', async () => {
    const query = `${NESTED}\n# with an origin`;
    const origin = 'http://reader.example.gov.cn';
    await post(reader.jwt, query, { id: issueId }, origin);
    const again = await statementsOf(app, '/graphql', () => post(reader.jwt, query, { id: issueId }, origin));
    const apollo = await post(reader.jwt, `${query}\n# Apollo`, { id: issueId }, origin);
    expect(again.statements).toHaveLength(1);
    expect(again.result.text).toBe(apollo.text);
    expect(steady(again.result.headers)).toEqual(steady(apollo.headers));
  });

  test('variables the query does not declare neither change the answer nor make another entry', async () => {
    const query = `${NESTED}\n# other variables`;
    await post(reader.jwt, query, { id: issueId, junk: 1 });
    const again = await statementsOf(app, '/graphql', () =>
      post(reader.jwt, query, { id: issueId, junk: 'x'.repeat(1000) }),
    );
    expect(again.statements).toHaveLength(1);
    expect(again.result.text).toBe((await post(reader.jwt, `${query}\n# Apollo`, { id: issueId })).text);
  });

  test('a contributor of a unit the issue is sent to: kept, and Apollo’s answer', async () => {
    const contributor = await aPerson(app, 'typed-contributor', 'contributor', unit);
    await askedAgain(contributor.jwt);
    const again = await statementsOf(app, '/graphql', () => ask(contributor.jwt));
    expect(again.statements).toHaveLength(1);
  });

  test('an item that also sits in another signed-off issue (only by hand): left to Apollo', async () => {
    const other = await app.strapi.documents('api::issue.issue').create({
      data: {
        publication: '缓存另一信息',
        date: '2020-02-20',
        issuer: (await unitId(app, '区委办')).documentId,
      } as never,
    });
    await app.strapi.documents('api::item.item').create({
      data: {
        headline: '另一期的信息',
        body: '正文。',
        units: [unit.documentId],
        adoptionKind: 'combined',
        state: 'adopted',
        issue: other.documentId,
        position: 1,
      } as never,
    });
    await app.strapi.documents('api::issue.issue').publish({ documentId: other.documentId });
    const inserted = (await sql(
      'INSERT INTO items_issue_lnk (item_id, issue_id, item_ord) SELECT i.id, ?, 1 FROM items i WHERE i.document_id = ? RETURNING id',
      [await rowId('issues', other.documentId), itemIds[2]],
    )) as { rows: { id: number }[] };
    try {
      const query = `${NESTED}\n# elsewhere`;
      await ask(reader.jwt, query);
      const again = await statementsOf(app, '/graphql', () => ask(reader.jwt, query));
      expect(again.statements.length).toBeGreaterThan(1);
      expect(again.result.text).toBe((await ask(reader.jwt, query, true)).text);
    } finally {
      await sql('DELETE FROM items_issue_lnk WHERE id = ?', [inserted.rows[0].id]);
    }
  });
});

describe('every write to what the answer is made of is seen on the next request', () => {
  test.each([
    [
      'a unit of an item renamed',
      async () =>
        app.strapi
          .documents('api::unit.unit')
          .update({ documentId: unit.documentId, data: { fullName: '改名后的缓存测试局' } as never }),
      '改名后的缓存测试局',
    ],
    [
      'the issuer renamed',
      async () =>
        app.strapi.db
          .query('api::unit.unit')
          .update({ where: { shortName: '区委办' }, data: { fullName: '中共上街区委办公室（改）' } }),
      '中共上街区委办公室（改）',
    ],
    [
      'the recipient group renamed',
      async () =>
        app.strapi
          .documents('api::recipient-group.recipient-group')
          .update({ documentId: groupId, data: { name: '缓存测试送（改）' } as never }),
      '缓存测试送（改）',
    ],
    [
      'an item’s headline changed by hand in SQL',
      async () => sql("UPDATE items SET headline = '手改的标题' WHERE document_id = ?", [itemIds[0]]),
      '手改的标题',
    ],
    [
      'a recipient line’s label changed by hand in SQL',
      async () =>
        sql(
          "UPDATE components_bulletin_recipients SET label = '手改的送' WHERE id IN (SELECT cmp_id FROM issues_cmps WHERE entity_id = ?)",
          [await rowId('issues', issueId)],
        ),
      '手改的送',
    ],
    [
      'a unit unlinked from an item by hand',
      async () =>
        sql('DELETE FROM items_units_lnk WHERE item_id = (SELECT id FROM items WHERE document_id = ?)', [itemIds[1]]),
      '"units":[]',
    ],
    [
      'the issue republished with other editors',
      async () => {
        await app.strapi
          .documents('api::issue.issue')
          .update({ documentId: issueId, status: 'draft', data: { editors: '李德昭' } as never } as never);
        await app.strapi.documents('api::issue.issue').publish({ documentId: issueId });
      },
      '"editors":"李德昭"',
    ],
  ])('%s', async (_name, write, expected) => {
    await askedAgain();
    await write();
    const answer = await askedAgain();
    expect(answer.text).toContain(expected);
  });
});

describe('the caller, as they are now', () => {
  test('another reader never gets a reader’s kept answer; a reader whose unit the issue is not sent to gets Strapi’s null', async () => {
    await askedAgain();
    const outsider = await aPerson(app, 'typed-outsider', 'reader', await aUnit(app, '区缓存局外'));
    const answer = await askedAgain(outsider.jwt);
    expect(JSON.parse(answer.text)).toEqual({ data: { issue: null } });
  });

  test('the reader moved to another unit, then back: null, then the issue', async () => {
    const moved = await aPerson(app, 'typed-moved', 'reader', unit);
    expect(JSON.parse((await askedAgain(moved.jwt)).text).data.issue).not.toBeNull();
    const elsewhere = await aUnit(app, '区缓存别处');
    await app.strapi.db
      .query('plugin::users-permissions.user')
      .update({ where: { id: moved.id }, data: { unit: elsewhere.id } });
    expect(JSON.parse((await askedAgain(moved.jwt)).text).data.issue).toBeNull();
    await app.strapi.db
      .query('plugin::users-permissions.user')
      .update({ where: { id: moved.id }, data: { unit: unit.id } });
    expect(JSON.parse((await askedAgain(moved.jwt)).text).data.issue).not.toBeNull();
  });

  test('the reader’s unit taken off the recipient group: null', async () => {
    const lone = await aUnit(app, '区缓存组外');
    const group = await app.strapi
      .documents('api::recipient-group.recipient-group')
      .create({ data: { name: '缓存组外送', units: [lone.documentId] } as never });
    const person = await aPerson(app, 'typed-grouped', 'reader', lone);
    await app.strapi.documents('api::issue.issue').update({
      documentId: issueId,
      status: 'draft',
      data: { distributeTo: [{ group: group.documentId }] } as never,
    } as never);
    await app.strapi.documents('api::issue.issue').publish({ documentId: issueId });
    expect(JSON.parse((await askedAgain(person.jwt)).text).data.issue).not.toBeNull();
    await app.strapi
      .documents('api::recipient-group.recipient-group')
      .update({ documentId: group.documentId, data: { units: [] } as never });
    expect(JSON.parse((await askedAgain(person.jwt)).text).data.issue).toBeNull();
  });

  test('blocked: Strapi’s refusal, not the kept answer', async () => {
    const person = await aPerson(app, 'typed-blocked', 'reader', unit);
    await askedAgain(person.jwt);
    await app.strapi.db
      .query('plugin::users-permissions.user')
      .update({ where: { id: person.id }, data: { blocked: true } });
    const answer = await askedAgain(person.jwt);
    expect(answer.text).not.toContain('缓存第');
  });

  test('the reader role’s permission to read units taken away, then given back: Strapi’s answer each time', async () => {
    const person = await aPerson(app, 'typed-permission', 'reader', unit);
    const before = await askedAgain(person.jwt);
    const role = await app.strapi.db.query('plugin::users-permissions.role').findOne({ where: { type: 'reader' } });
    const permission = await app.strapi.db
      .query('plugin::users-permissions.permission')
      .findOne({ where: { action: 'api::unit.unit.find', role: role.id } });
    expect(permission).not.toBeNull();
    await app.strapi.db.query('plugin::users-permissions.permission').delete({ where: { id: permission.id } });
    try {
      const without = await askedAgain(person.jwt);
      expect(without.text).not.toBe(before.text);
    } finally {
      await app.strapi.db
        .query('plugin::users-permissions.permission')
        .create({ data: { action: 'api::unit.unit.find', role: role.id } });
    }
    expect((await askedAgain(person.jwt)).text).toBe(before.text);
  });
});

describe('what is left to Apollo every time', () => {
  test.each([
    [
      'a relation the version does not cover (a group’s units)',
      `query($id: ID!) { issue(documentId: $id) { sendTo { group { name units { shortName } } } } }`,
    ],
    [
      'a nested argument',
      `query($id: ID!) { issue(documentId: $id) { items(pagination: { limit: 1 }) { headline } } }`,
    ],
    ['a connection', `query($id: ID!) { issue(documentId: $id) { items_connection { nodes { headline } } } }`],
    ['a fragment', `query($id: ID!) { issue(documentId: $id) { ...F } } fragment F on Issue { number }`],
    ['a directive', `query($id: ID!) { issue(documentId: $id) { number @include(if: true) } }`],
    ['another root argument', `query($id: ID!) { issue(documentId: $id, status: PUBLISHED) { number } }`],
  ])('%s', async (_name, query) => {
    await ask(reader.jwt, query);
    const again = await statementsOf(app, '/graphql', () => ask(reader.jwt, query));
    expect(again.result.status).toBe(200);
    expect(again.statements.length).toBeGreaterThan(1);
  });
});
