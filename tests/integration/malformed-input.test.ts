import fs from 'fs';
import path from 'path';
import fc from 'fast-check';
import { Client } from 'pg';
import { createStartedDatabase, type TestDatabase } from '../support/postgres';
import { startAppProcess, type AppProcess } from '../support/processes';

/**
 * Malformed input, as an attacker with ordinary credentials sends it: for every attribute of every content type,
 * generated bad values (alone in a body and inside an otherwise valid one), sent over REST and GraphQL as a
 * full-access API token, as a contributor (信息员) and as the public, to a real app process on PostgreSQL. Every answer
 * is below 500, the process stays alive, and a refused write changes nothing in the database. The nastiest cases found
 * stay as a fixed corpus (NASTY below).
 */

const ROOT = path.resolve(__dirname, '..', '..');
type Attribute = {
  type: string;
  relation?: string;
  target?: string;
  enum?: string[];
  component?: string;
  repeatable?: boolean;
  private?: boolean;
};
type Schema = { attributes: Record<string, Attribute> };
const readSchema = (file: string): Schema => JSON.parse(fs.readFileSync(path.join(ROOT, file), 'utf8')) as Schema;

/** The content types as their schema files describe them (read here, independently of the app's own code). */
const TYPES = {
  issues: {
    schema: readSchema('src/api/issue/content-types/issue/schema.json'),
    singular: 'issue',
    draftAndPublish: true,
  },
  items: {
    schema: readSchema('src/api/item/content-types/item/schema.json'),
    singular: 'item',
    draftAndPublish: false,
  },
  units: {
    schema: readSchema('src/api/unit/content-types/unit/schema.json'),
    singular: 'unit',
    draftAndPublish: false,
  },
  'recipient-groups': {
    schema: readSchema('src/api/recipient-group/content-types/recipient-group/schema.json'),
    singular: 'recipientGroup',
    draftAndPublish: false,
  },
} as const;
type Plural = keyof typeof TYPES;

let database: TestDatabase;
let app: AppProcess;
let base = '';
let token = '';
let contributor = '';
let pg: Client;
const ids: Record<string, string> = {};
let requests = 0;
const failures: string[] = [];
// Longer runs (FUZZ_RUNS) and the transaction log (FUZZ_LOG waits 150 ms after each request) outlast the suite's
// 2-minute test timeout; a test that timed out would go on sending in the background, and its accepted writes would be
// blamed on the next test's refused ones. So those runs get the time they need.
if (process.env.FUZZ_RUNS !== undefined || process.env.FUZZ_LOG !== undefined) jest.setTimeout(60 * 60_000);

// ——— values ———————————————————————————————————————————————————————————————————————————————————————————————

const NUL = 'a\u0000b';
const badText = [
  NUL,
  '\u0000',
  '\uD800',
  'x\uDC00y',
  '\uDBFF\uDBFF',
  `${'长'.repeat(10)}\u0000`,
  '\u0001\u0002\u001f\u007f',
];
const badNumbers = [
  2 ** 31,
  -(2 ** 31) - 1,
  2 ** 53,
  1e308,
  -1e308,
  '1'.repeat(40),
  '-'.concat('9'.repeat(40)),
  '12abc',
  1.5,
  'NaN',
  'Infinity',
  '1e308',
  '',
];
const badShapes = [true, false, {}, { a: 1 }, [], [[1]], [null], { $ne: null }, { __proto__: { x: 1 } }];
const badRelations = [
  true,
  1e308,
  2 ** 31,
  -1,
  0,
  '',
  '\u0000',
  NUL,
  { id: true },
  { id: 1e308 },
  { documentId: 5 },
  { documentId: NUL },
  { connect: true },
  { connect: 'x' },
  { connect: [{ id: true }] },
  { connect: [{ documentId: 5 }] },
  { connect: [{ id: 2 ** 40 }] },
  { connect: [{ id: 1, position: { before: true } }] },
  { connect: [{ id: 1, position: { after: { id: 1e308 } } }] },
  { disconnect: 'x' },
  { disconnect: [null] },
  { set: { a: 1 } },
  { set: [true] },
  { set: [{ id: '1'.repeat(40) }] },
  [true],
  [1e308],
  [{}],
  [[1]],
];
const badDates = [
  '2020-13-45',
  '0000-00-00',
  '99999-01-01',
  'yesterday',
  NUL,
  '2020-02-30',
  '2020-02-19T99:99:99Z',
  1e308,
  true,
];

function badValues(attribute: Attribute): unknown[] {
  switch (attribute.type) {
    case 'string':
    case 'text':
    case 'richtext':
    case 'email':
    case 'uid':
    case 'password':
      return [...badText, ...badShapes, 1e308];
    case 'enumeration':
      return [...badText, 'not-a-value', 5, ...badShapes];
    case 'integer':
    case 'biginteger':
    case 'float':
    case 'decimal':
      return [...badNumbers, ...badShapes, NUL];
    case 'boolean':
      return ['maybe', 2, NUL, ...badShapes];
    case 'date':
    case 'datetime':
    case 'time':
      return [...badDates, ...badShapes];
    case 'json':
      return [{ text: NUL }, [NUL], NUL, { deep: { deeper: ['\u0000'] } }];
    case 'relation':
      return badRelations;
    case 'component':
      return attribute.repeatable === true
        ? [
            'x',
            5,
            [1, 2],
            [{ group: true }],
            [{ group: 1e308 }],
            [{ id: 'abc' }],
            [{ group: { connect: [{ id: true }] } }],
            [{ label: NUL }],
            { group: 1 },
          ]
        : ['x', 5, [{}], { group: true }];
    default:
      return [...badShapes, NUL];
  }
}

/** A valid write of each type, as the full-access token would send it (fresh unique names each time). */
function validData(plural: Plural, unique: string): Record<string, unknown> {
  switch (plural) {
    case 'issues':
      return { publication: '上街信息', date: '2021-05-06', issuer: ids.office };
    case 'items':
      return { headline: `标题${unique}`, body: '正文一段。', units: [ids.hrss], state: 'submitted' };
    case 'units':
      return { shortName: `单位${unique}`, kind: 'department', active: true };
    case 'recipient-groups':
      return { name: `范围${unique}` };
  }
}

// ——— the app and the database ——————————————————————————————————————————————————————————————————————————————

/** A fingerprint of every table the app writes: a refused write must leave it as it was. */
/**
 * One statement (built once: the tables are those of the app's schema) that sums up every table a write could touch;
 * run before and after each write, so one round trip rather than one per table.
 */
let fingerprintStatement: string | null = null;
async function fingerprint(): Promise<string> {
  if (fingerprintStatement === null) {
    const tables = (
      await pg.query<{ table_name: string }>(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND (table_name LIKE 'issues%' OR table_name LIKE 'items%' OR table_name LIKE 'units%' OR table_name LIKE 'recipient_groups%' OR table_name LIKE 'components_%' OR table_name LIKE 'up_users%') ORDER BY table_name",
      )
    ).rows.map((row) => row.table_name);
    fingerprintStatement = `SELECT ${tables.map((table) => `'${table}:' || COALESCE((SELECT md5(string_agg(t::text, '|' ORDER BY t::text)) FROM "${table}" t), '')`).join(" || ',' || ")} AS sum`;
  }
  const { rows } = await pg.query<{ sum: string }>(fingerprintStatement);
  return rows[0].sum;
}

/** The tables whose part of two fingerprints differs ("table:md5" parts joined by commas). */
function changedTables(before: string, after: string): string[] {
  const parts = (sum: string) => new Map(sum.split(',').map((part) => [part.split(':')[0], part] as const));
  const was = parts(before);
  return [...parts(after)].filter(([table, part]) => was.get(table) !== part).map(([table]) => table);
}

type Answer = { status: number; body: unknown };

async function send(method: string, url: string, who: string | null, body?: unknown): Promise<Answer> {
  requests += 1;
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (who !== null) headers.authorization = `Bearer ${who}`;
  const response = await fetch(`${base}${url}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(20000),
  }).catch(async (error: unknown) => {
    if (process.env.FUZZ_LOG !== undefined) fs.writeFileSync(`${process.env.FUZZ_LOG}.app`, app.output());
    const activity = await pg.query(
      'SELECT pid, state, wait_event_type, wait_event, now() - xact_start AS age, left(query, 160) AS query FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
    );
    if (process.env.FUZZ_LOG !== undefined)
      fs.writeFileSync(`${process.env.FUZZ_LOG}.pg`, JSON.stringify(activity.rows, null, 1));
    throw new Error(
      `${method} ${url} ${shown(body)} got no answer (${String(error)}); the app said:\n${app.output().slice(-3000)}`,
    );
  });
  const text = await response.text();
  if (process.env.FUZZ_LOG !== undefined) {
    await new Promise((resolve) => setTimeout(resolve, 150));
    const stuck = (
      await pg.query(
        "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND state LIKE 'idle in transaction%'",
      )
    ).rows[0].n;
    fs.appendFileSync(
      process.env.FUZZ_LOG,
      `${JSON.stringify({ stuck, method, url, who: who === token ? 'token' : who === null ? 'public' : 'contributor', body, status: response.status })}\n`,
    );
  }
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: kept as text
  }
  return { status: response.status, body: parsed };
}

/** One request, checked: no 5xx (nor a GraphQL internal error), the process alive, a refused write changes nothing. */
async function probe(label: string, method: string, url: string, who: string | null, body?: unknown): Promise<Answer> {
  const write = method !== 'GET';
  const before = write ? await fingerprint() : '';
  const answer = await send(method, url, who, body);
  const internal = JSON.stringify(answer.body).includes('INTERNAL_SERVER_ERROR');
  if (answer.status >= 500 || internal)
    failures.push(
      `${label}: ${method} ${url} ${shown(body)} → ${answer.status} ${JSON.stringify(answer.body).slice(0, 300)}`,
    );
  if (app.process.exitCode !== null || app.process.signalCode !== null)
    throw new Error(`the app process died after ${label}: ${method} ${url} ${JSON.stringify(body)}`);
  const refused =
    answer.status >= 400 || (url === '/graphql' && Array.isArray((answer.body as { errors?: unknown[] }).errors));
  if (write && refused) {
    const after = await fingerprint();
    if (after !== before)
      failures.push(
        `${label}: a refused write changed ${changedTables(before, after).join(', ')}: ${method} ${url} ${shown(body)} → ${answer.status}`,
      );
  }
  return answer;
}

beforeAll(async () => {
  database = await createStartedDatabase(true);
  app = await startAppProcess(
    0,
    { DATABASE_CLIENT: 'postgres', DATABASE_URL: database.url, BULLETIN_DEMO_CONTENT: 'true' },
    true,
  );
  base = `http://127.0.0.1:${app.port}`;
  token = app.token ?? '';
  pg = new Client({ connectionString: database.url });
  await pg.connect();
  const unit = async (shortName: string) =>
    (
      await pg.query<{ document_id: string; id: number }>('SELECT document_id, id FROM units WHERE short_name = $1', [
        shortName,
      ])
    ).rows[0];
  ids.office = (await unit('区委办')).document_id;
  const hrss = await unit('区人社局');
  ids.hrss = hrss.document_id;
  const roles = await send('GET', '/api/users-permissions/roles', token);
  const role = (roles.body as { roles: { id: number; type: string }[] }).roles.find(
    (each) => each.type === 'contributor',
  );
  const password = `P-${Math.random().toString(36).slice(2)}-1a`;
  const made = await send('POST', '/api/users', token, {
    username: 'fuzz-contributor',
    email: 'fuzz@example.gov.cn',
    password,
    role: role?.id,
    unit: hrss.id,
    confirmed: true,
  });
  expect(made.status).toBe(201);
  const login = await send('POST', '/api/auth/local', null, { identifier: 'fuzz-contributor', password });
  contributor = (login.body as { jwt: string }).jwt;
  const item = await send('POST', '/api/items', contributor, {
    data: { headline: '信息员自己的信息', body: '正文。' },
  });
  expect(item.status).toBe(201);
  ids.ownItem = (item.body as { data: { documentId: string } }).data.documentId;
  const issue = (
    await pg.query<{ document_id: string }>('SELECT document_id FROM issues WHERE number = 14 AND published_at IS NULL')
  ).rows[0];
  ids.issue = issue.document_id;
  ids.item = (
    await pg.query<{ document_id: string }>('SELECT document_id FROM items ORDER BY id LIMIT 1')
  ).rows[0].document_id;
  ids.unit = hrss.document_id;
  ids.group = (
    await pg.query<{ document_id: string }>('SELECT document_id FROM recipient_groups ORDER BY id LIMIT 1')
  ).rows[0].document_id;
}, 180000);

/** At most 300 characters of a request body as JSON (`undefined` for none: JSON.stringify returns undefined then). */
function shown(body: unknown): string {
  return String((JSON.stringify(body) as string | undefined)?.slice(0, 300));
}

afterAll(async () => {
  await (pg as Client | undefined)?.end();
  await (app as AppProcess | undefined)?.stop();
  await (database as TestDatabase | undefined)?.drop();
  console.log(`malformed input: ${requests} requests`);
});

afterEach(async () => {
  // No transaction may be left open behind a refused request (it would hold a connection and its locks for good).
  // A rollback may still be on its way when the answer has arrived: asked again until none is open, for up to 2 s.
  const openTransactions = async () =>
    (
      (
        await pg.query(
          "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND state LIKE 'idle in transaction%'",
        )
      ).rows[0] as { n: number }
    ).n;
  await new Promise((resolve) => setTimeout(resolve, 50));
  let open = await openTransactions();
  for (const started = Date.now(); open > 0 && Date.now() - started < 2000; open = await openTransactions())
    await new Promise((resolve) => setTimeout(resolve, 50));
  expect(open).toBe(0);
  // The app logs a rejection that escaped a request instead of dying: that is a failure too.
  // And the log is clean of node-postgres's warning about concurrent queries on one connection
  // (src/strapi/serial-queries.ts sends them one at a time).
  const escaped = app
    .output()
    .split('\n')
    .filter((line) => line.includes('unhandled rejection') || line.includes('DeprecationWarning'));
  const found = failures.splice(0, failures.length);
  expect(escaped).toEqual([]);
  expect(found).toEqual([]);
});

const existing: Record<Plural, () => string> = {
  issues: () => ids.issue,
  items: () => ids.item,
  units: () => ids.unit,
  'recipient-groups': () => ids.group,
};
let counter = 0;

describe.each(Object.keys(TYPES) as Plural[])('REST writes to %s', (plural) => {
  const { schema, draftAndPublish } = TYPES[plural];
  const status = draftAndPublish ? '?status=draft' : '';
  test.each(Object.entries(schema.attributes).filter(([, attribute]) => attribute.private !== true))(
    '%s: every malformed value, alone and in a valid body',
    async (name, attribute) => {
      for (const value of badValues(attribute)) {
        counter += 1;
        await probe(`create ${plural}.${name}`, 'POST', `/api/${plural}${status}`, token, {
          data: { ...validData(plural, `c${counter}`), [name]: value },
        });
        await probe(`update ${plural}.${name}`, 'PUT', `/api/${plural}/${existing[plural]()}${status}`, token, {
          data: { [name]: value },
        });
      }
      await probe(`public ${plural}.${name}`, 'POST', `/api/${plural}`, null, {
        data: { [name]: badValues(attribute)[0] },
      });
    },
  );
});

test('a contributor’s item writes: every malformed value of every attribute', async () => {
  for (const [name, attribute] of Object.entries(TYPES.items.schema.attributes)) {
    for (const value of badValues(attribute)) {
      await probe(`contributor create items.${name}`, 'POST', '/api/items', contributor, {
        data: { headline: '信息员的信息', body: '正文。', [name]: value },
      });
      await probe(`contributor update items.${name}`, 'PUT', `/api/items/${ids.ownItem}`, contributor, {
        data: { [name]: value },
      });
    }
  }
});

test('filters whose values cannot be compared with the column, and malformed paging, over REST', async () => {
  const values = ['abc', '1e308', '99999999999', '1'.repeat(40), '\u0000', '2020-13-45', 'maybe', '-1', '0x10'];
  // Reads change nothing, so they need no fingerprint around them and go four at a time (about 2,700 of them).
  const reads: [label: string, url: string, who: string | null][] = [];
  for (const plural of Object.keys(TYPES) as Plural[]) {
    for (const name of ['id', 'documentId', 'createdAt', ...Object.keys(TYPES[plural].schema.attributes)]) {
      for (const value of values) {
        const encoded = encodeURIComponent(value);
        for (const who of [token, contributor, null]) {
          reads.push([`filter ${plural}.${name}`, `/api/${plural}?filters[${name}][$eq]=${encoded}`, who]);
        }
        reads.push([
          `filter ${plural}.${name} $in`,
          `/api/${plural}?filters[${name}][$in][0]=${encoded}&filters[${name}][$between][0]=${encoded}&filters[${name}][$between][1]=${encoded}`,
          token,
        ]);
        reads.push([
          `filter ${plural}.${name} $lt`,
          `/api/${plural}?filters[${name}][$lt]=${encoded}&filters[${name}][$null]=${encoded}`,
          token,
        ]);
      }
    }
  }
  let next = 0;
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (next < reads.length) {
        const [label, url, who] = reads[next];
        next += 1;
        await probe(label, 'GET', url, who);
      }
    }),
  );
  for (const plural of Object.keys(TYPES) as Plural[]) {
    for (const paging of [
      'pagination[page]=1e308',
      'pagination[pageSize]=-1',
      'pagination[start]=99999999999999',
      'pagination[limit]=abc',
      'sort=nope:sideways',
      'populate[nope]=true',
      'fields[0]=%00',
      'filters[$or][0][nope][$eq]=1',
    ]) {
      await probe(`paging ${plural}`, 'GET', `/api/${plural}?${paging}`, token);
    }
  }
});

test('GraphQL: malformed variables and literals for item writes and filters', async () => {
  const mutation = 'mutation($data: ItemInput!) { createItem(data: $data) { documentId } }';
  const update = 'mutation($id: ID!, $data: ItemInput!) { updateItem(documentId: $id, data: $data) { documentId } }';
  for (const [name, attribute] of Object.entries(TYPES.items.schema.attributes)) {
    for (const value of badValues(attribute)) {
      for (const who of [token, contributor]) {
        await probe(`graphql createItem.${name}`, 'POST', '/graphql', who, {
          query: mutation,
          variables: { data: { headline: '标题', body: '正文', units: [ids.hrss], [name]: value } },
        });
        await probe(`graphql updateItem.${name}`, 'POST', '/graphql', who, {
          query: update,
          variables: { id: who === token ? ids.item : ids.ownItem, data: { [name]: value } },
        });
      }
    }
  }
  const filters = [
    '{ items(filters: { headline: { eq: "a\\u0000b" } }) { documentId } }',
    '{ items(filters: { body: { containsi: "\\u0000" } }) { documentId } }',
    '{ issues(filters: { date: { eq: "2020-13-45" } }) { documentId } }',
    '{ issues(filters: { firstSignedOffAt: { lt: "not a time" } }) { documentId } }',
    '{ items(filters: { documentId: { eq: "\\u0000" } }) { documentId } }',
    '{ units(filters: { shortName: { in: ["\\uD800"] } }) { documentId } }',
    '{ items(pagination: { page: 2147483647, pageSize: 2147483647 }) { documentId } }',
  ];
  for (const query of filters)
    for (const who of [token, contributor, null]) await probe('graphql filter', 'POST', '/graphql', who, { query });
});

test('generated bodies: random JSON anywhere in a write, for every caller (property)', async () => {
  const plurals = Object.keys(TYPES) as Plural[];
  const attributeNames = plurals.flatMap((plural) =>
    Object.keys(TYPES[plural].schema.attributes).map((name) => [plural, name] as const),
  );
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom(...attributeNames),
      fc.oneof(
        fc.jsonValue({ maxDepth: 3 }),
        fc.string({ unit: 'binary' }),
        fc.string({ unit: 'grapheme-composite' }),
        fc.bigInt().map(String),
        fc.double(),
      ),
      fc.constantFrom<'token' | 'contributor' | 'public'>('token', 'contributor', 'public'),
      fc.boolean(),
      async ([plural, name], value, caller, inValidBody) => {
        const who = caller === 'token' ? token : caller === 'contributor' ? contributor : null;
        counter += 1;
        const data = inValidBody ? { ...validData(plural, `p${counter}`), [name]: value } : { [name]: value };
        const target = caller === 'contributor' ? 'items' : plural;
        await probe(
          `property ${target}.${name}`,
          'POST',
          `/api/${target}${TYPES[target].draftAndPublish ? '?status=draft' : ''}`,
          who,
          { data },
        );
        return true;
      },
    ),
    // 120 cases in the suite; FUZZ_RUNS raises it (README, "Known limits": what larger runs find).
    { numRuns: Number(process.env.FUZZ_RUNS ?? 120), seed: Number(process.env.FUZZ_SEED ?? 20261129) },
  );
});
