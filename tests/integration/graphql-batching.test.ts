import { bootApp, createApiToken, type TestApp } from '../support/app';
import { graphql, type GraphQLResponse } from '../support/graphql';
import { aPerson, aUnit, unitId } from '../support/people';
import { statementsOf } from '../support/statements';

/**
 * Strapi's generated GraphQL types, nested as a front end writes them, load each relation and component once per
 * level for all the rows of a request (src/strapi/graphql-batching.ts). The same queries with batching switched off
 * (BULLETIN_GRAPHQL_BATCH=false, read per request) are Strapi's own resolvers: the answers must be the same, for every
 * caller, status and nested argument.
 */

let app: TestApp;
let staff: string;
let reader: string;
let outsider: string;
let contributor: string;
let otherContributor: string;
const issues: Record<string, string> = {};

type Unit = { id: number; documentId: string };

/** A signed-off issue of `items` items, each of `unit` (or `itemsOf`) and 峡窝镇, distributed to a group of 峡窝镇 and sent to one of `unit`. */
async function aSignedOffIssue(
  name: string,
  items: number,
  unit: Unit,
  options: { publish?: boolean; itemsOf?: Unit } = {},
): Promise<string> {
  const office = await unitId(app, '区委办');
  const xiawo = await unitId(app, '峡窝镇');
  const distributed = await app.strapi
    .documents('api::recipient-group.recipient-group')
    .create({ data: { name: `${name}发`, units: [xiawo.documentId] } as never });
  const sent = await app.strapi
    .documents('api::recipient-group.recipient-group')
    .create({ data: { name: `${name}送`, units: [unit.documentId] } as never });
  const issue = await app.strapi.documents('api::issue.issue').create({
    data: {
      publication: name,
      date: '2020-03-01',
      issuer: office.documentId,
      sendTo: [{ group: sent.documentId }],
      distributeTo: [{ group: distributed.documentId }],
    } as never,
  });
  for (let position = 1; position <= items; position += 1) {
    await app.strapi.documents('api::item.item').create({
      data: {
        headline: `${name}第${position}条`,
        body: '正文'.repeat(300),
        units: [(options.itemsOf ?? unit).documentId, xiawo.documentId],
        adoptionKind: 'combined',
        state: 'adopted',
        issue: issue.documentId,
        position,
      } as never,
    });
  }
  if (options.publish !== false)
    await app.strapi.documents('api::issue.issue').publish({ documentId: issue.documentId });
  return issue.documentId;
}

beforeAll(async () => {
  // Every request through Apollo: the readers' fast path would give a query asked twice its kept answer
  // (src/strapi/typed-reads.ts), and the batched answer would then be compared with itself.
  app = await bootApp({ env: { BULLETIN_FAST_READ: 'false' } });
  staff = await createApiToken(app.strapi, 'read-only');
  const six = await aUnit(app, '区六条局');
  const sixty = await aUnit(app, '区六十条局');
  const elsewhere = await aUnit(app, '区别处局');
  issues.six = await aSignedOffIssue('六条测试信息', 6, six);
  issues.sixty = await aSignedOffIssue('六十条测试信息', 60, sixty);
  // Sent to 区别处局 only (not to 峡窝镇), items of 区六条局: a contributor of 区六条局 reads the items, not the issue.
  issues.elsewhere = await aSignedOffIssue('别处测试信息', 3, elsewhere, { itemsOf: six });
  issues.draft = await aSignedOffIssue('草稿测试信息', 4, six, { publish: false });
  reader = (await aPerson(app, 'batch-reader', 'reader', await unitId(app, '峡窝镇'))).jwt;
  outsider = (await aPerson(app, 'batch-outsider', 'reader', elsewhere)).jwt;
  contributor = (await aPerson(app, 'batch-contributor', 'contributor', six)).jwt;
  otherContributor = (await aPerson(app, 'batch-other', 'contributor', sixty)).jwt;
}, 600_000); // 73 items written through the Document Service, on two cores shared with other work
afterAll(async () => {
  await (app as TestApp | undefined)?.close();
});

/** The nested issue query of a front end that writes Strapi's generated types. */
const NESTED = `query($id: ID!, $status: PublicationStatus) {
  issue(documentId: $id, status: $status) {
    documentId publication number
    items { headline body position units { shortName } issue { publication } }
    sendTo { group { name units { shortName } } }
    distributeTo { group { name } }
    issuer { fullName shortName }
  }
}`;

async function send<T>(
  token: string,
  query: string,
  variables: Record<string, unknown>,
  batched: boolean,
): Promise<GraphQLResponse<T>> {
  const saved = process.env.BULLETIN_GRAPHQL_BATCH;
  process.env.BULLETIN_GRAPHQL_BATCH = batched ? 'true' : 'false';
  try {
    return await graphql<T>(app, token, query, variables);
  } finally {
    if (saved === undefined) delete process.env.BULLETIN_GRAPHQL_BATCH;
    else process.env.BULLETIN_GRAPHQL_BATCH = saved;
  }
}

/** The batched answer, required to equal Strapi's own (batching off) for the same caller and query. */
async function sameAsStrapi<T>(
  token: string,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<GraphQLResponse<T>> {
  const strapis = await send<T>(token, query, variables, false);
  const batched = await send<T>(token, query, variables, true);
  expect(batched).toEqual(strapis);
  return batched;
}

/** A statement without its parameter list: `in ($1, $2, …)` is the same statement for 6 parents as for 25. */
const shape = (sql: string) => sql.replace(/\(\$\d+(, \$\d+)*\)/g, '(…)');

type NestedIssue = {
  issue: {
    items: {
      headline: string;
      position: number;
      units: { shortName: string }[];
      issue: { publication: string } | null;
    }[];
    sendTo: { group: { name: string; units: { shortName: string }[] } }[];
    distributeTo: { group: { name: string } }[];
    issuer: { shortName: string };
  } | null;
};

describe('the nested issue query', () => {
  test('costs the same number of SQL statements at 6 and at 60 items, fewer than one per item', async () => {
    // The fewest of three requests: a statement Strapi's authentication sends only now and then is not the query's.
    const count = async (id: string, batched: boolean) => {
      const sent: string[][] = [];
      for (let i = 0; i < 3; i += 1) {
        const saved = process.env.BULLETIN_GRAPHQL_BATCH;
        process.env.BULLETIN_GRAPHQL_BATCH = String(batched);
        try {
          const { result, statements } = await statementsOf(app, '/graphql', () =>
            graphql<NestedIssue>(app, reader, NESTED, { id }),
          );
          expect(result.errors).toEqual([]);
          expect(result.data?.issue?.items.length).toBeGreaterThan(0);
          sent.push(statements);
        } finally {
          if (saved === undefined) delete process.env.BULLETIN_GRAPHQL_BATCH;
          else process.env.BULLETIN_GRAPHQL_BATCH = saved;
        }
      }
      return sent.sort((a, b) => a.length - b.length)[0];
    };
    await count(issues.six, true); // warm-up
    const six = await count(issues.six, true);
    const sixty = await count(issues.sixty, true);
    // The same statements (their parameters aside), not only as many.
    expect(sixty.map(shape).sort()).toEqual(six.map(shape).sort());
    // Strapi's own resolvers: at least one statement per item on the page of 25.
    expect((await count(issues.sixty, false)).length).toBeGreaterThan(sixty.length + 25);
  });

  test.each([
    ['a reader on the list', () => reader, 'six', 6],
    ['a reader on the list, 60 items (25 a page)', () => reader, 'sixty', 25],
    ['staff (an API token)', () => staff, 'sixty', 25],
    ['a contributor of the unit it is sent to', () => contributor, 'six', 6],
  ])('for %s answers as Strapi does', async (_who, token, issue, items) => {
    const res = await sameAsStrapi<NestedIssue>(token(), NESTED, { id: issues[issue] });
    expect(res.errors).toEqual([]);
    const answer = res.data?.issue;
    expect(answer?.items).toHaveLength(items);
    expect(answer?.items.map((item) => item.position)).toEqual(Array.from({ length: items }, (_, i) => i + 1));
    expect(answer?.items.every((item) => item.units.length === 2 && item.issue !== null)).toBe(true);
    expect(answer?.sendTo[0]?.group.units).toHaveLength(1);
    expect(answer?.distributeTo[0]?.group.name).toMatch(/发$/);
    expect(answer?.issuer.shortName).toBe('区委办');
  });

  test.each([
    ['a reader off the list', () => outsider],
    ['a contributor of another unit', () => otherContributor],
  ])('for %s is null, as with Strapi', async (_who, token) => {
    const res = await sameAsStrapi<NestedIssue>(token(), NESTED, { id: issues.six });
    expect(res.data?.issue ?? null).toBeNull();
  });

  test('drafts: staff read the draft, with its items; readers never', async () => {
    const draft = await sameAsStrapi<NestedIssue>(staff, NESTED, { id: issues.draft, status: 'DRAFT' });
    expect(draft.data?.issue?.items).toHaveLength(4);
    const published = await sameAsStrapi<NestedIssue>(staff, NESTED, { id: issues.draft, status: 'PUBLISHED' });
    expect(published.data?.issue ?? null).toBeNull();
    const ofSigned = await sameAsStrapi<NestedIssue>(staff, NESTED, { id: issues.six, status: 'DRAFT' });
    expect(ofSigned.data?.issue?.items).toHaveLength(6);
    const byReader = await sameAsStrapi<NestedIssue>(reader, NESTED, { id: issues.six, status: 'DRAFT' });
    expect(byReader.data?.issue ?? null).toBeNull();
  });
});

describe('lists and the other direction', () => {
  const LIST = `query($status: PublicationStatus) { issues(sort: "publication:asc", status: $status, pagination: { limit: 100 }) {
    publication items(sort: "position:asc") { headline units(sort: "shortName:desc") { shortName } issue { publication } }
    sendTo { group { name } } } }`;
  type List = {
    issues: {
      publication: string;
      items: { headline: string; units: unknown[]; issue: { publication: string } | null }[];
    }[];
  };

  test.each([
    ['staff', () => staff, null],
    ['staff, drafts', () => staff, 'DRAFT'],
    ['a reader', () => reader, null],
    ['a contributor', () => contributor, null],
  ])(
    'issues → items → units for %s answer as Strapi does, each issue its own page of items',
    async (_who, token, status) => {
      const res = await sameAsStrapi<List>(token(), LIST, { status });
      expect(res.errors).toEqual([]);
      const sixty = res.data?.issues.find((issue) => issue.publication === '六十条测试信息');
      if (token() === contributor) {
        expect(sixty).toBeUndefined();
      } else {
        expect(sixty?.items).toHaveLength(25);
      }
      const six = res.data?.issues.find((issue) => issue.publication === '六条测试信息');
      expect(six?.items.map((item) => item.headline)).toEqual(
        Array.from({ length: 6 }, (_, i) => `六条测试信息第${i + 1}条`),
      );
    },
  );

  const ITEMS =
    '{ items(sort: "headline:asc", pagination: { limit: 100 }) { headline issue { publication number } units { shortName } } }';
  type Items = { items: { headline: string; issue: { publication: string } | null }[] };

  test('item → issue for a contributor: own unit’s items, the issue only where it was sent to them, as Strapi does', async () => {
    const res = await sameAsStrapi<Items>(contributor, ITEMS);
    expect(res.errors).toEqual([]);
    const elsewhere = res.data?.items.filter((item) => item.headline.startsWith('别处测试信息')) ?? [];
    expect(elsewhere).toHaveLength(3);
    expect(elsewhere.every((item) => item.issue === null)).toBe(true);
    const own = res.data?.items.filter((item) => item.headline.startsWith('六条测试信息')) ?? [];
    expect(own.every((item) => item.issue?.publication === '六条测试信息')).toBe(true);
    expect(res.data?.items.some((item) => item.headline.startsWith('六十条测试信息'))).toBe(false);
  });

  test.each([
    ['a reader', () => reader],
    ['staff', () => staff],
    ['a reader off every list but one', () => outsider],
  ])('item → issue for %s answers as Strapi does', async (_who, token) => {
    const res = await sameAsStrapi<Items>(token(), ITEMS);
    expect(res.errors).toEqual([]);
    expect(res.data?.items.length).toBeGreaterThan(0);
  });
});

describe('nested arguments', () => {
  type Positions = { issues: { publication: string; items: { position: number; units: { shortName: string }[] }[] }[] };
  test.each([
    ['filters', '(filters: { position: { lte: 3 } })'],
    ['sort', '(sort: "position:desc")'],
    ['pagination', '(sort: "position:asc", pagination: { start: 2, limit: 3 })'],
    ['page and pageSize', '(sort: "position:desc", pagination: { page: 2, pageSize: 4 })'],
    ['a filter through a relation', '(filters: { units: { shortName: { eq: "区六条局" } } }, sort: "position:asc")'],
    ['all three', '(filters: { position: { gte: 2 } }, sort: "position:desc", pagination: { limit: 2 })'],
  ])('%s on a nested list answer per parent as Strapi does', async (_what, args) => {
    const query = `{ issues(sort: "publication:asc") { publication items${args} { position units(pagination: { limit: 1 }, sort: "shortName:asc") { shortName } } } }`;
    for (const token of [staff, reader]) {
      const res = await sameAsStrapi<Positions>(token, query);
      expect(res.errors).toEqual([]);
      expect(res.data?.issues.some((issue) => issue.items.length > 0)).toBe(true);
      expect(res.data?.issues.every((issue) => issue.items.every((item) => item.units.length === 1))).toBe(true);
    }
  });

  test('a bad nested argument is the same error as Strapi’s', async () => {
    const res = await sameAsStrapi(reader, '{ issues { items(sort: "nothing:asc") { position } } }');
    expect(res.errors.length).toBeGreaterThan(0);
  });

  test('the same relation under two aliases with different arguments', async () => {
    const res = await sameAsStrapi<{ issue: { first: { position: number }[]; last: { position: number }[] } }>(
      reader,
      'query($id: ID!) { issue(documentId: $id) { first: items(sort: "position:asc", pagination: { limit: 2 }) { position } last: items(sort: "position:desc", pagination: { limit: 2 }) { position } } }',
      { id: issues.six },
    );
    expect(res.data?.issue.first.map((item) => item.position)).toEqual([1, 2]);
    expect(res.data?.issue.last.map((item) => item.position)).toEqual([6, 5]);
  });
});
