import request from 'supertest';
import { bootApp, createApiToken, type TestApp } from '../support/app';
import { startAppProcess, type AppProcess } from '../support/processes';
import { aPerson, aUnit, unitId } from '../support/people';
import { statementsOf } from '../support/statements';
import type { IssueRecord, IssueSummary } from '../../src/domain/record';
import { fullSelection } from '../../src/strapi/record-graphql';
import { GRANT_MS } from '../../src/strapi/fast-read';

/**
 * The readers' fast path (REST record, REST year list, the two GraphQL queries) against the normal routes, on one
 * database served by two processes: this test's app (fast path on) and a second process with BULLETIN_FAST_READ=false.
 * Every caller × request answers the same, byte for byte; the fast answers cost one SQL statement (two when first
 * written); a change committed through one process, or straight in SQL, is seen by the other on its next request.
 */

let app: TestApp;
let normal: AppProcess;
let office: string; // full-access API token made by the second process
const callers: Record<string, string | null> = {};
const PUBLICATION = encodeURIComponent('上街信息');
const RECORD = `/api/bulletin/${PUBLICATION}/2020/14`;
const YEAR = `/api/bulletin/${PUBLICATION}/2020`;

async function signedOff(date: string, group: string, headline: string): Promise<string> {
  const issuer = await unitId(app, '区委办');
  const target = await app.strapi.db.query('api::recipient-group.recipient-group').findOne({ where: { name: group } });
  const issue = await app.strapi.documents('api::issue.issue').create({
    data: { date, issuer: issuer.documentId, distributeTo: [{ group: target.documentId }] } as never,
  });
  await app.strapi.documents('api::item.item').create({
    data: {
      headline,
      body: '正文。',
      units: [issuer.documentId],
      state: 'adopted',
      issue: issue.documentId,
      position: 1,
    } as never,
  });
  await app.strapi.documents('api::issue.issue').publish({ documentId: issue.documentId });
  return issue.documentId;
}

beforeAll(async () => {
  app = await bootApp();
  // More signed-off issues of 2020: two for 峡窝镇 (one later than the demo issue), one for a unit of its own.
  await signedOff('2020-03-02', '峡窝镇', '三月的一期');
  await signedOff('2020-01-10', '峡窝镇', '一月的一期');
  const finance = await aUnit(app, '区财政局');
  await app.strapi.documents('api::recipient-group.recipient-group').create({
    data: { name: '区财政局', units: [finance.documentId] } as never,
  });
  await signedOff('2020-04-01', '区财政局', '只发财政局的一期');

  const xiawo = await unitId(app, '峡窝镇');
  callers.reader = (await aPerson(app, 'xiawo-reader', 'reader', xiawo)).jwt;
  callers.contributor = (await aPerson(app, 'xiawo-contributor', 'contributor', xiawo)).jwt;
  callers.outsider = (await aPerson(app, 'finance-reader', 'reader', finance)).jwt;
  callers.plain = (await aPerson(app, 'plain-user', 'authenticated', xiawo)).jwt;
  const blocked = await aPerson(app, 'blocked-reader', 'reader', xiawo);
  await app.strapi.db
    .query('plugin::users-permissions.user')
    .update({ where: { id: blocked.id }, data: { blocked: true } });
  callers.blocked = blocked.jwt;
  callers.apiToken = await createApiToken(app.strapi, 'read-only');
  callers.garbage = 'not-a-token';
  callers.nobody = null;

  // The second process, on the same database, without the fast path.
  normal = await startAppProcess(0, { BULLETIN_FAST_READ: 'false', BULLETIN_DEMO_CONTENT: 'false' }, true);
  office = normal.token as string;
}, 180000);

afterAll(async () => {
  await (normal as AppProcess | undefined)?.stop();
  await (app as TestApp | undefined)?.close();
});

/** A request: `body` sent as JSON, or `raw` as it is; `headers` besides the caller's Authorization. */
type Call = { method: 'GET' | 'POST'; path: string; body?: unknown; raw?: string; headers?: Record<string, string> };
const send = (agent: ReturnType<typeof request>, call: Call, token: string | null) => {
  let req = call.method === 'GET' ? agent.get(call.path) : agent.post(call.path);
  for (const [name, value] of Object.entries(call.headers ?? {})) req = req.set(name, value);
  if (call.method === 'POST') req = call.raw !== undefined ? req.send(call.raw) : req.send(call.body as object);
  return token === null ? req : req.set('Authorization', `Bearer ${token}`);
};
const fast = (call: Call, token: string | null) => send(app.http(), call, token);
const slow = (call: Call, token: string | null) => send(request(`http://127.0.0.1:${normal.port}`), call, token);
const gql = (query: string, variables: Record<string, unknown> = {}, more: Partial<Call> = {}): Call => ({
  method: 'POST',
  path: '/graphql',
  body: { query, variables },
  ...more,
});
const ONE = '{ bulletinIssue(publication: "上街信息", year: 2020, number: 14) { documentId } }';

const ISSUE = fullSelection('BulletinIssue');
const LIST = fullSelection('BulletinIssueList');
const CALLS: [string, Call][] = [
  ['REST record', { method: 'GET', path: RECORD }],
  ['REST record of a supplement that does not exist', { method: 'GET', path: `${RECORD}?edition=supplement` }],
  ['REST record not found', { method: 'GET', path: `/api/bulletin/${PUBLICATION}/2020/99` }],
  [
    'REST record with numbers beyond a 32-bit integer',
    { method: 'GET', path: `/api/bulletin/${PUBLICATION}/99999999999/99999999999` },
  ],
  ['REST year list', { method: 'GET', path: YEAR }],
  [
    'REST year list of a year beyond a 32-bit integer',
    { method: 'GET', path: `/api/bulletin/${PUBLICATION}/99999999999` },
  ],
  ['REST year list, page far beyond the end', { method: 'GET', path: `${YEAR}?page=99999999999&pageSize=100` }],
  ['REST year list, page 2 of 2 a page', { method: 'GET', path: `${YEAR}?page=2&pageSize=2` }],
  ['REST year list past the end', { method: 'GET', path: `${YEAR}?page=9&pageSize=2` }],
  ['REST year list, bad page size', { method: 'GET', path: `${YEAR}?pageSize=1000` }],
  [
    'GraphQL bulletinIssue, every field, literals',
    gql(`{ bulletinIssue(publication: "上街信息", year: 2020, number: 14) ${ISSUE} }`),
  ],
  [
    'GraphQL bulletinIssue, variables, aliases, __typename',
    gql(
      'query One($p: String!, $y: Int!, $n: Int!) { issue: bulletinIssue(publication: $p, year: $y, number: $n) { __typename line: labels { issueLine date } items { headline credit: attribution __typename } column { label } } }',
      { p: '上街信息', y: 2020, n: 14 },
    ),
  ],
  [
    'GraphQL bulletinIssue, edition as a variable',
    gql(
      'query($e: String) { bulletinIssue(publication: "上街信息", year: 2020, number: 14, edition: $e) { documentId edition } }',
      { e: null },
    ),
  ],
  [
    'GraphQL bulletinIssue not found',
    gql('{ bulletinIssue(publication: "上街信息", year: 2020, number: 99) { documentId } }'),
  ],
  [
    'GraphQL bulletinIssues, every field',
    gql(`{ bulletinIssues(publication: "上街信息", year: 2020, pageSize: 2) ${LIST} }`),
  ],
  [
    'GraphQL bulletinIssues, some fields',
    gql(
      'query($ps: Int) { bulletinIssues(publication: "上街信息", year: 2020, pageSize: $ps) { pageInfo { total } nodes { number headlines } } }',
      { ps: 2 },
    ),
  ],
  [
    'GraphQL bulletinIssues, bad page size',
    gql('{ bulletinIssues(publication: "上街信息", year: 2020, pageSize: 0) { pageInfo { total } } }'),
  ],
  [
    'GraphQL with a second field',
    gql('{ bulletinIssue(publication: "上街信息", year: 2020, number: 14) { documentId } units { shortName } }'),
  ],
  [
    'GraphQL with a missing variable',
    gql('query($n: Int!) { bulletinIssue(publication: "上街信息", year: 2020, number: $n) { documentId } }'),
  ],
  [
    'GraphQL with a variable of another type',
    gql('query($n: Float!) { bulletinIssue(publication: "上街信息", year: 2020, number: $n) { documentId } }', {
      n: 14,
    }),
  ],
  [
    'GraphQL with a nullable variable where the argument is required',
    gql('query($n: Int) { bulletinIssue(publication: "上街信息", year: 2020, number: $n) { documentId } }', { n: 14 }),
  ],
  [
    'GraphQL with an unused variable',
    gql('query($x: Int) { bulletinIssue(publication: "上街信息", year: 2020, number: 14) { documentId } }'),
  ],
  [
    'GraphQL with a string for an Int variable',
    gql(
      'query($ps: Int) { bulletinIssues(publication: "上街信息", year: 2020, pageSize: $ps) { pageInfo { total } } }',
      { ps: '2' },
    ),
  ],
  [
    'GraphQL with an argument given twice',
    gql('{ bulletinIssue(publication: "上街信息", year: 2020, number: 14, number: 15) { documentId } }'),
  ],
  [
    'GraphQL with an unknown field',
    gql('{ bulletinIssue(publication: "上街信息", year: 2020, number: 14) { documentId secret } }'),
  ],
  [
    'GraphQL with an unknown field under a null',
    gql('{ bulletinIssue(publication: "上街信息", year: 2020, number: 14) { totalNumber column { nope } } }'),
  ],
  ['GraphQL without a selection', gql('{ bulletinIssue(publication: "上街信息", year: 2020, number: 14) }')],
  [
    'GraphQL with a selection on a scalar',
    gql('{ bulletinIssue(publication: "上街信息", year: 2020, number: 14) { year { x } } }'),
  ],
  [
    'GraphQL with a fragment',
    gql(
      '{ bulletinIssue(publication: "上街信息", year: 2020, number: 14) { ...F } } fragment F on BulletinIssue { documentId }',
    ),
  ],
  [
    'GraphQL with a field twice',
    gql('{ bulletinIssue(publication: "上街信息", year: 2020, number: 14) { documentId documentId } }'),
  ],
  [
    'GraphQL with an argument named like a property of every object',
    gql('{ bulletinIssue(publication: "上街信息", year: 2020, number: 14, constructor: null) { documentId } }'),
  ],
  [
    'GraphQL with the alias __proto__',
    gql(
      '{ bulletinIssue(publication: "上街信息", year: 2020, number: 14) { __proto__: documentId labels { __proto__: issueLine } } }',
    ),
  ],
  [
    'GraphQL with an operation name that is not a string',
    gql(
      'query Q { bulletinIssue(publication: "上街信息", year: 2020, number: 14) { documentId } }',
      {},
      {
        body: {
          query: 'query Q { bulletinIssue(publication: "上街信息", year: 2020, number: 14) { documentId } }',
          operationName: ['Q'],
        },
      },
    ),
  ],
  [
    'GraphQL asking for application/graphql-response+json',
    gql(ONE, {}, { headers: { Accept: 'application/graphql-response+json, application/json' } }),
  ],
  ['GraphQL accepting only HTML', gql(ONE, {}, { headers: { Accept: 'text/html' } })],
  ['GraphQL accepting anything', gql(ONE, {}, { headers: { Accept: '*/*' } })],
  [
    'GraphQL sent as a form',
    {
      method: 'POST',
      path: '/graphql',
      raw: `query=${encodeURIComponent(ONE)}`,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded; x=json' },
    },
  ],
  [
    'GraphQL with malformed JSON',
    {
      method: 'POST',
      path: '/graphql',
      raw: '{"query": "{ bulletinIssue',
      headers: { 'Content-Type': 'application/json' },
    },
  ],
  [
    'GraphQL with extensions',
    gql(ONE, {}, { body: { query: ONE, extensions: { persistedQuery: { version: 1, sha256Hash: 'abc' } } } }),
  ],
  [
    'GraphQL with a NUL in the publication',
    gql('query($p: String!) { bulletinIssue(publication: $p, year: 2020, number: 14) { documentId } }', {
      p: '上街\u0000信息',
    }),
  ],
  ['REST record with a NUL in the publication', { method: 'GET', path: `/api/bulletin/%00/2020/14` }],
  ['REST year list with a NUL in the publication', { method: 'GET', path: `/api/bulletin/%00/2020` }],
  ['REST year list of a seven-digit year', { method: 'GET', path: `/api/bulletin/${PUBLICATION}/0002020` }],
];

describe.each(
  Object.keys({ reader: 1, contributor: 1, outsider: 1, plain: 1, blocked: 1, apiToken: 1, garbage: 1, nobody: 1 }),
)('as %s', (caller) => {
  test.each(CALLS)('%s: the fast path answers exactly what the normal route answers', async (_name, call) => {
    const [a, b] = [await fast(call, callers[caller]), await slow(call, callers[caller])];
    expect({ status: a.status, body: a.text, etag: a.headers.etag }).toEqual({
      status: b.status,
      body: b.text,
      etag: b.headers.etag,
    });
    expect(a.status).toBeLessThan(500);
  });
});

test('the same headers a front end and a browser go by: type, caching, CORS, security', async () => {
  const HEADERS = [
    'content-type',
    'cache-control',
    'vary',
    'access-control-allow-origin',
    'access-control-allow-credentials',
    'access-control-expose-headers',
    'content-security-policy',
    'x-frame-options',
    'strict-transport-security',
    'x-content-type-options',
    'referrer-policy',
    'x-powered-by',
  ];
  const pick = (headers: Record<string, string>) => Object.fromEntries(HEADERS.map((name) => [name, headers[name]]));
  const names = [
    'REST record',
    'REST year list',
    'GraphQL bulletinIssue, every field, literals',
    'GraphQL bulletinIssues, some fields',
    'GraphQL with malformed JSON',
    'GraphQL accepting anything',
  ];
  for (const [name, call] of CALLS.filter(([name]) => names.includes(name))) {
    const withOrigin = (req: request.Test) => req.set('Origin', 'http://reader.example.gov.cn');
    const [a, b] = [await withOrigin(fast(call, callers.reader)), await withOrigin(slow(call, callers.reader))];
    expect(a.status).toBe(name.includes('malformed') ? 400 : 200);
    expect({ name, ...pick(a.headers) }).toEqual({ name, ...pick(b.headers) });
    // A shared cache must key on both: who asks, and from which origin.
    if (name.startsWith('REST')) expect(a.headers.vary.split(/,\s*/).sort()).toEqual(['Authorization', 'Origin']);
  }
});

test('without an Origin (answered ahead of the chain) the same headers as the normal route, and no CORS header', async () => {
  const HEADERS = [
    'content-type',
    'cache-control',
    'vary',
    'etag',
    'access-control-allow-origin',
    'access-control-allow-credentials',
    'access-control-expose-headers',
    'content-security-policy',
    'x-frame-options',
    'strict-transport-security',
    'x-content-type-options',
    'referrer-policy',
    'x-powered-by',
    'x-dns-prefetch-control',
    'x-download-options',
    'x-permitted-cross-domain-policies',
    'cross-origin-opener-policy',
    'cross-origin-resource-policy',
    'origin-agent-cluster',
  ];
  const pick = (headers: Record<string, string>) => Object.fromEntries(HEADERS.map((name) => [name, headers[name]]));
  const names = [
    'REST record',
    'REST year list',
    'GraphQL bulletinIssue, every field, literals',
    'GraphQL bulletinIssues, some fields',
    'GraphQL with malformed JSON',
  ];
  for (const [name, call] of CALLS.filter(([name]) => names.includes(name))) {
    const [a, b] = [await fast(call, callers.reader), await slow(call, callers.reader)];
    expect(a.status).toBe(name.includes('malformed') ? 400 : 200);
    expect({ name, ...pick(a.headers) }).toEqual({ name, ...pick(b.headers) });
    expect({
      name,
      names: Object.keys(a.headers)
        .filter((header) => header !== 'date' && header !== 'x-request-id')
        .sort(),
    }).toEqual({
      name,
      names: Object.keys(b.headers)
        .filter((header) => header !== 'date' && header !== 'x-request-id')
        .sort(),
    });
    expect(Object.keys(a.headers).some((header) => header.startsWith('access-control-'))).toBe(false);
    expect(a.headers['x-request-id']).toMatch(/^[\w-]+$/);
  }
  // A conditional request: the same 304.
  const etag = (await fast({ method: 'GET', path: RECORD }, callers.reader)).headers.etag;
  const conditional: Call = { method: 'GET', path: RECORD, headers: { 'If-None-Match': etag } };
  const [a, b] = [await fast(conditional, callers.reader), await slow(conditional, callers.reader)];
  expect([a.status, pick(a.headers)]).toEqual([304, pick(b.headers)]);
});

describe('what the fast path keeps about a caller', () => {
  /** An issue of its own sent to a group of its own (one new unit), and a reader of that unit. */
  async function aReaderWithAnIssue(name: string) {
    const unit = await aUnit(app, `${name}单位`);
    const group = await app.strapi
      .documents('api::recipient-group.recipient-group')
      .create({ data: { name: `${name}组`, units: [unit.documentId] } as never });
    const issuer = await unitId(app, '区委办');
    const issue = await app.strapi.documents('api::issue.issue').create({
      data: { date: '2019-06-01', issuer: issuer.documentId, distributeTo: [{ group: group.documentId }] } as never,
    });
    await app.strapi.documents('api::item.item').create({
      data: {
        headline: `${name}的一期`,
        body: '正文。',
        units: [issuer.documentId],
        state: 'adopted',
        issue: issue.documentId,
        position: 1,
      } as never,
    });
    await app.strapi.documents('api::issue.issue').publish({ documentId: issue.documentId });
    const row = await app.strapi.db
      .query('api::issue.issue')
      .findOne({ where: { documentId: issue.documentId, publishedAt: { $notNull: true } } });
    const person = await aPerson(app, `${name}-reader`, 'reader', unit);
    return { unit, group, person, path: `/api/bulletin/${PUBLICATION}/2019/${row.number}` };
  }

  test(`a recipient group changed in another process shuts its former reader out within ${GRANT_MS} ms, in this one at once`, async () => {
    const { unit, group, person, path } = await aReaderWithAnIssue('组变');
    expect((await fast({ method: 'GET', path }, person.jwt)).status).toBe(200);
    // The other process takes the unit off the group: nothing this process is told about.
    const changed = await request(`http://127.0.0.1:${normal.port}`)
      .put(`/api/recipient-groups/${group.documentId}`)
      .set('Authorization', `Bearer ${office}`)
      .send({ data: { units: { set: [] } } });
    expect(changed.status).toBe(200);
    const since = Date.now();
    let status = 200;
    while (status === 200 && Date.now() - since < GRANT_MS + 2000) {
      status = (await fast({ method: 'GET', path }, person.jwt)).status;
      if (status === 200) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(status).toBe(404);
    expect(Date.now() - since).toBeLessThanOrEqual(GRANT_MS + 500);
    expect((await slow({ method: 'GET', path }, person.jwt)).status).toBe(404);

    // Put back through this process: seen on the very next request; and taken off again through it: the same.
    await app.strapi
      .documents('api::recipient-group.recipient-group')
      .update({ documentId: group.documentId, data: { units: [unit.documentId] } as never });
    expect((await fast({ method: 'GET', path }, person.jwt)).status).toBe(200);
    await app.strapi
      .documents('api::recipient-group.recipient-group')
      .update({ documentId: group.documentId, data: { units: [] } as never });
    expect((await fast({ method: 'GET', path }, person.jwt)).status).toBe(404);
  });

  test('a token that expires is refused from its expiry on, though it was answered before', async () => {
    const { person, path } = await aReaderWithAnIssue('过期');
    const token = app.strapi
      .plugin('users-permissions')
      .service('jwt')
      .issue({ id: person.id }, { expiresIn: '2s' }) as string;
    expect((await fast({ method: 'GET', path }, token)).status).toBe(200);
    const { exp } = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as { exp: number };
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, exp * 1000 - Date.now()) + 50));
    const [a, b] = [await fast({ method: 'GET', path }, token), await slow({ method: 'GET', path }, token)];
    expect(a.status).toBe(401);
    expect({ status: a.status, body: a.text }).toEqual({ status: b.status, body: b.text });
  });
});

test('the answers themselves: newest first, paged, only what was sent to the caller', async () => {
  const list = await fast({ method: 'GET', path: `${YEAR}?pageSize=2` }, callers.reader);
  expect(list.status).toBe(200);
  const summaries = list.body.data as IssueSummary[];
  expect(summaries.map((issue) => issue.date)).toEqual(['2020-03-02', '2020-02-19']);
  expect(summaries[1].labels.issueLine).toBe('第14期');
  expect(summaries[1].headlines[0]).toBe('我区召开新冠肺炎疫情防控领导小组会议');
  expect(list.body.meta.pagination).toEqual({ page: 1, pageSize: 2, pageCount: 2, total: 3 });
  expect(list.headers['cache-control']).toBe('private, no-cache');

  const outsider = await fast({ method: 'GET', path: YEAR }, callers.outsider);
  expect((outsider.body.data as IssueSummary[]).map((issue) => issue.headlines[0])).toEqual(['只发财政局的一期']);

  const bad = await fast({ method: 'GET', path: `${YEAR}?pageSize=1000` }, callers.reader);
  expect(bad.status).toBe(400);
  expect(bad.body.error.details.errors[0].path).toEqual(['pageSize']);
  const badGql = await fast(
    gql('{ bulletinIssues(publication: "上街信息", year: 2020, pageSize: 0) { pageInfo { total } } }'),
    callers.reader,
  );
  expect(badGql.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
});

test('a fast answer costs one SQL statement, authentication included; two the first time this process writes it', async () => {
  const statements = async (call: Call) => {
    const { result: res, statements: sent } = await statementsOf(app, call.path.split('?')[0], () =>
      fast(call, callers.reader),
    );
    expect(res.status).toBe(200);
    expect(JSON.stringify(res.body)).not.toContain('"errors"');
    return sent.length;
  };
  const counted: Record<string, [number, number]> = {};
  for (const [name, call] of CALLS.filter(([name]) =>
    [
      'REST record',
      'REST year list',
      'GraphQL bulletinIssue, every field, literals',
      'GraphQL bulletinIssues, every field',
    ].includes(name),
  )) {
    await app.strapi.db.connection.raw('UPDATE issues SET record = record WHERE record IS NOT NULL'); // a new version of every row
    counted[name] = [await statements(call), await statements(call)];
  }
  expect(counted).toEqual({
    'REST record': [2, 1],
    'REST year list': [2, 1],
    'GraphQL bulletinIssue, every field, literals': [2, 1],
    'GraphQL bulletinIssues, every field': [2, 1],
  });
  // Past the last page: the total is counted apart.
  expect(await statements({ method: 'GET', path: `${YEAR}?page=9&pageSize=2` })).toBe(2);
});

test('what one reader was answered is never given to a caller it was not sent to, nor to a blocked one', async () => {
  const asReader = await fast({ method: 'GET', path: RECORD }, callers.reader);
  expect(asReader.status).toBe(200);
  for (const caller of ['outsider', 'plain', 'blocked']) {
    const [a, b] = [
      await fast({ method: 'GET', path: RECORD }, callers[caller]),
      await slow({ method: 'GET', path: RECORD }, callers[caller]),
    ];
    expect(a.status).not.toBe(200);
    expect({ status: a.status, body: a.text }).toEqual({ status: b.status, body: b.text });
    const list = await fast({ method: 'GET', path: YEAR }, callers[caller]);
    expect(list.text).not.toContain('我区召开新冠肺炎疫情防控领导小组会议');
  }
});

test('a record changed in the database by any means is answered as it now is, on the next request', async () => {
  const before = await fast({ method: 'GET', path: RECORD }, callers.reader);
  const listed = await fast({ method: 'GET', path: YEAR }, callers.reader);
  expect(listed.text).toContain('我区召开新冠肺炎疫情防控领导小组会议');
  // A hand-made correction straight in SQL: no Strapi event, nothing this process is told about.
  const sql = app.strapi.db.connection;
  const corrected = '（更正）我区召开新冠肺炎疫情防控领导小组会议';
  const where = `publication = '上街信息' AND year = 2020 AND number = 14 AND published_at IS NOT NULL`;
  try {
    await sql.raw(
      `UPDATE issues SET record = jsonb_set(record, '{items,0,headline}', to_jsonb(?::text)) WHERE ${where}`,
      [corrected],
    );
    const after = await fast({ method: 'GET', path: RECORD }, callers.reader);
    expect(after.body.data.items[0].headline).toBe(corrected);
    expect(after.headers.etag).not.toBe(before.headers.etag);
    expect(
      (await fast({ method: 'GET', path: YEAR }, callers.reader)).body.data.find(
        (issue: IssueSummary) => issue.number === 14,
      ).headlines[0],
    ).toBe(corrected);
    const viaGraphql = await fast(
      gql('{ bulletinIssue(publication: "上街信息", year: 2020, number: 14) { items { headline } } }'),
      callers.reader,
    );
    expect(viaGraphql.body.data.bulletinIssue.items[0].headline).toBe(corrected);
  } finally {
    await sql.raw(`UPDATE issues SET record = ?::jsonb WHERE ${where}`, [JSON.stringify(before.body.data)]);
  }
  expect((await fast({ method: 'GET', path: RECORD }, callers.reader)).text).toBe(before.text);
});

describe('a change committed through one process is seen by the other on its next request', () => {
  test('a newly signed-off issue appears in the list; a republish after a unit rename changes the record', async () => {
    const other = request(`http://127.0.0.1:${normal.port}`);
    // In a year of its own (2021): the other tests' lists of 2020 stay as the set-up made them, in any order.
    const year = `/api/bulletin/${PUBLICATION}/2021`;
    const before = (await fast({ method: 'GET', path: year }, callers.reader)).body.meta.pagination.total as number;

    const group = await app.strapi.db
      .query('api::recipient-group.recipient-group')
      .findOne({ where: { name: '峡窝镇' } });
    const issuer = await unitId(app, '区委办');
    const created = await other
      .post('/api/issues')
      .query({ status: 'draft' })
      .set('Authorization', `Bearer ${office}`)
      .send({ data: { date: '2021-05-05', issuer: issuer.documentId, distributeTo: [{ group: group.documentId }] } });
    expect(created.status).toBe(201);
    const statistics = await aUnit(app, '区统计局');
    const item = await other
      .post('/api/items')
      .set('Authorization', `Bearer ${office}`)
      .send({
        data: {
          headline: '另一个进程签发的一期',
          body: '正文。',
          units: [statistics.documentId],
          state: 'adopted',
          issue: created.body.data.documentId,
          position: 1,
        },
      });
    expect(item.status).toBe(201);
    const published = await other
      .put(`/api/issues/${created.body.data.documentId}`)
      .set('Authorization', `Bearer ${office}`)
      .send({ data: {} });
    expect(published.status).toBe(200);

    const after = await fast({ method: 'GET', path: year }, callers.reader);
    expect(after.body.meta.pagination.total).toBe(before + 1);
    expect((after.body.data as IssueSummary[])[0].headlines).toEqual(['另一个进程签发的一期']);
    const number = (after.body.data as IssueSummary[])[0].number as number;

    const recordPath = `/api/bulletin/${PUBLICATION}/2021/${number}`;
    expect((await fast({ method: 'GET', path: recordPath }, callers.reader)).body.data.items[0].attribution).toBe(
      '（区统计局）',
    );
    const renamed = await other
      .put(`/api/units/${statistics.documentId}`)
      .set('Authorization', `Bearer ${office}`)
      .send({ data: { shortName: '区统计中心' } });
    expect(renamed.status).toBe(200);
    expect(
      (
        await other
          .put(`/api/issues/${created.body.data.documentId}`)
          .set('Authorization', `Bearer ${office}`)
          .send({ data: {} })
      ).status,
    ).toBe(200);
    const record = await fast({ method: 'GET', path: recordPath }, callers.reader);
    expect((record.body.data as IssueRecord).items[0].attribution).toBe('（区统计中心）');
  });

  test('blocking a reader in one process shuts them out of the other on the next request', async () => {
    const person = await aPerson(app, 'soon-blocked-elsewhere', 'reader', await unitId(app, '峡窝镇'));
    expect((await fast({ method: 'GET', path: RECORD }, person.jwt)).status).toBe(200);
    const blocked = await request(`http://127.0.0.1:${normal.port}`)
      .put(`/api/users/${person.id}`)
      .set('Authorization', `Bearer ${office}`)
      .send({ blocked: true });
    expect(blocked.status).toBe(200);
    expect((await fast({ method: 'GET', path: RECORD }, person.jwt)).status).toBe(401);
    const graph = await fast(
      gql('{ bulletinIssue(publication: "上街信息", year: 2020, number: 14) { documentId } }'),
      person.jwt,
    );
    expect(graph.body.data?.bulletinIssue ?? null).toBeNull();
  });
});
