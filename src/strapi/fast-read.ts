import { createHash, createSecretKey, type KeyObject } from 'crypto';
import jwt from 'jsonwebtoken';
import type { Core } from '@strapi/strapi';
import {
  RECORD_CHECK_SQL,
  RECORD_FRESH_SQL,
  YEAR_CHECK_SQL,
  YEAR_TOTAL_SQL,
  mayRead,
  recordCheckValues,
  yearCheckValues,
  yearTotalValues,
  type CallerRow as CheckedCaller,
} from '../domain/reader-reads';
import { isDatabaseUnavailable } from '../domain/database-faults';
import {
  isStorableText,
  paginationOf,
  summaryOf,
  type IssueList,
  type IssueSummary,
  type PageRequest,
  type RecordHead,
  type YearKey,
} from '../domain/record';
import { recordAnswer, recordJsonOf, type RecordAnswer, type RecordKey } from './record';
import { projectSelection, UNSURE } from './record-graphql';
import type { GraphqlPlan } from './fast-graphql';
import { noteRead } from './audit-reads';

/**
 * The readers' fast path, on PostgreSQL: what a reader or contributor logged in with users-permissions reads most —
 * one signed-off record, or the issues of a year — in ONE SQL statement including authentication, against Strapi's
 * authentication (about 4 statements) and the scoped Document Service read.
 *
 * Statement 1, on every request, checks the caller exactly as the normal route does — a valid token of a user who is
 * confirmed, not blocked, in the reader or contributor role, whose role holds the permission — and, in the same
 * statement, finds what they asked for among the published issues sent to them (their unit, or them by name: the
 * very condition of the normal route, `sentToSql`; the statements and the rule they state: src/domain/reader-reads.ts). It returns the issues' row ids and row versions, not their
 * content. The version is PostgreSQL's `xmin`, which every write of a row renews; a republish writes a new row.
 *
 * The answers are JSON this process already wrote for that row at that version: a record is serialised once per
 * version, not once per request. Statement 2 runs only for what this process has not seen at its version yet (and,
 * past the last page of a list, for the total). So whatever any process commits — a block, a role change, a
 * republish, even a hand-made UPDATE of a record — is seen on the next request, and a caller is only ever given an
 * answer after statement 1 found it sent to them, cached or not.
 *
 * Each function answers only what it is sure of; anything else (another database, another kind of caller, not
 * found, not allowed) returns null and the caller falls through to Strapi's own route, which applies the same rules
 * the slow way and gives the proper 401 / 403 / 404 / 400.
 */

const ISSUE_FIND = 'api::issue.issue.find';
const ISSUE_FIND_ONE = 'api::issue.issue.findOne';

// ---- the token ------------------------------------------------------------------------------------------------------

let secretKey: { secret: string; key: KeyObject } | null = null;

/** Tokens verified already, with their expiry (ms; Infinity without `exp`): the signature of a token never changes. */
const verifiedTokens = new Map<string, { userId: number; expires: number }>();
/** Tokens are ~200 bytes: 10,000 of them ~4 MB at most; beyond that the map starts again. */
const MAX_VERIFIED_TOKENS = 10000;

/** The users-permissions token's user id, verified with the plugin's secret and algorithm; null when not sure. */
export function verifiedUserId(strapi: Core.Strapi, authorization: string): number | null {
  const bearer = /^Bearer\s+(\S+)$/i.exec(authorization);
  if (bearer === null) return null;
  if (strapi.config.get('plugin::users-permissions.jwtManagement', 'legacy-support') !== 'legacy-support') return null;
  const algorithm =
    (strapi.config.get('plugin::users-permissions.jwt', {}) as { algorithm?: string }).algorithm ?? 'HS256';
  const secret = strapi.config.get('plugin::users-permissions.jwtSecret');
  if (!/^HS(256|384|512)$/.test(algorithm) || typeof secret !== 'string' || secret === '') return null;
  // A KeyObject made once: given the secret as a string, jsonwebtoken first tries (and fails) to read it as a PEM
  // public key on every call, which costs more than the rest of the request.
  if (secretKey === null || secretKey.secret !== secret) {
    secretKey = { secret, key: createSecretKey(Buffer.from(secret, 'utf8')) };
    verifiedTokens.clear();
  }
  const token = bearer[1];
  const known = verifiedTokens.get(token);
  if (known !== undefined) {
    if (Date.now() < known.expires) return known.userId;
    verifiedTokens.delete(token);
    return null;
  }
  try {
    const claims = jwt.verify(token, secretKey.key, { algorithms: [algorithm as jwt.Algorithm] }) as {
      id?: unknown;
      exp?: unknown;
      nbf?: unknown;
    };
    if (typeof claims.id !== 'number') return null;
    // A token not valid yet (nbf) is checked again each time; jsonwebtoken refused it above until then.
    if (claims.nbf === undefined) {
      if (verifiedTokens.size >= MAX_VERIFIED_TOKENS) verifiedTokens.clear();
      verifiedTokens.set(token, {
        userId: claims.id,
        expires: typeof claims.exp === 'number' ? claims.exp * 1000 : Infinity,
      });
    }
    return claims.id;
  } catch {
    return null;
  }
}

// ---- the statements (src/domain/reader-reads.ts, with the rule they state) ------------------------------------------

const RECORD_FETCH = `SELECT i.xmin::text AS version, i.record FROM issues i WHERE i.id = $1`;
/**
 * Only what a summary needs leaves the database: the record without its items and footer, and each item's headline
 * (null where an item has none, as `summarizeRecord` reads it).
 */
const SUMMARIES_FETCH = `SELECT i.id, i.xmin::text AS version, i.record - 'items' - 'footer' AS head,
    (SELECT coalesce(jsonb_agg(item -> 'headline' ORDER BY n), '[]'::jsonb)
       FROM jsonb_array_elements(i.record -> 'items') WITH ORDINALITY AS e(item, n)) AS headlines
  FROM issues i WHERE i.id = ANY($1::int[])`;

type CallerRow = CheckedCaller & { state: string | null };

type Connection = {
  query: (config: { name: string; text: string; values: unknown[] }) => Promise<{ rows: unknown[] }>;
};
type KnexClient = {
  acquireConnection: () => Promise<Connection>;
  releaseConnection: (connection: Connection) => Promise<unknown>;
  emit: (event: string, data: unknown) => boolean;
};
const statementNames = new Map<string, string>();

/**
 * Runs a statement as a named prepared statement on a connection of knex's pool: these statements run on every
 * reader request, and planning them costs more than running them. It is still reported on knex's `query` event, like
 * every statement, so query logs and counts see it.
 */
export async function rowsOf<T>(strapi: Core.Strapi, sql: string, values: unknown[]): Promise<T[]> {
  let name = statementNames.get(sql);
  if (name === undefined) {
    name = `fast_read_${createHash('sha1').update(sql).digest('hex').slice(0, 20)}`;
    statementNames.set(sql, name);
  }
  const client = strapi.db.connection.client as unknown as KnexClient;
  const connection = await client.acquireConnection();
  try {
    client.emit('query', { method: 'select', sql, bindings: values });
    return (await connection.query({ name, text: sql, values })).rows as T[];
  } finally {
    await client.releaseConnection(connection);
  }
}

// ---- what this process has written, per row version ----------------------------------------------------------------

/** A map that forgets its least recently used entries beyond `limit`. */
class Recent<V, K = number> {
  private readonly entries = new Map<K, V>();
  constructor(private readonly limit: number) {}
  get(key: K): V | undefined {
    const value = this.entries.get(key);
    if (value !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, value);
    }
    return value;
  }
  set(key: K, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > this.limit) this.entries.delete(this.entries.keys().next().value as K);
  }
}
class RecentByText<V> extends Recent<V, string> {}

type Versioned<T> = { version: string; value: T };

/** Byte for byte what Apollo sends for a query of one field: `{"data":{"<key>":…}}` and a newline. */
export const graphqlBody = (responseKey: string, json: Buffer): Buffer =>
  Buffer.concat([Buffer.from(`{"data":{${JSON.stringify(responseKey)}:`), json, GRAPHQL_CLOSE]);
const GRAPHQL_CLOSE = Buffer.from('}}\n');

/** The largest GraphQL answer kept: a whole record is about 30 kB. */
const MAX_KEPT_BODY = 128 * 1024;

/** A record's answers: over REST (with its ETag), and over GraphQL for the last selections asked for (a front end usually has one or two). */
export class RecordAnswers {
  private readonly graphqlBodies = new Map<string, Buffer>();
  constructor(readonly rest: RecordAnswer) {}
  /** The GraphQL answer for a plan, or null where graphql-js must answer (the record does not fit its type). */
  graphql(plan: GraphqlPlan): Buffer | null {
    const key = `${plan.responseKey}\u0000${plan.selectionKey}`;
    let body = this.graphqlBodies.get(key);
    if (body === undefined) {
      const record = JSON.parse(recordJsonOf(this.rest)) as unknown;
      const projected = projectSelection('BulletinIssue', record, plan.selectionSet);
      if (projected === UNSURE) return null;
      body = graphqlBody(plan.responseKey, Buffer.from(JSON.stringify(projected)));
      if (body.length > MAX_KEPT_BODY) return body; // answered, not kept: one selection may repeat fields at will
      if (this.graphqlBodies.size >= 2) this.graphqlBodies.clear();
      this.graphqlBodies.set(key, body);
    }
    return body;
  }
}

/** Up to ~30 kB a record over REST, and at most 128 kB per GraphQL selection (two at most): 300 records, ~90 MB at the very most. */
const records = new Recent<Versioned<RecordAnswers>>(300);
/** ~2 kB a summary. */
const summaries = new Recent<Versioned<IssueSummary>>(2000);

export const fastReadable = (strapi: Core.Strapi): boolean => strapi.db.dialect.client === 'postgres';

/**
 * Whatever fails here — a database error, say a name PostgreSQL cannot take — is left to the normal route, which
 * answers it its own way; except an unavailable database, answered 503 at once (src/middlewares/database-unavailable.ts).
 */
export async function unlessFailing<T>(strapi: Core.Strapi, read: () => Promise<T | null>): Promise<T | null> {
  try {
    return await read();
  } catch (error) {
    // An unavailable database is not left to the route, which would wait for it a second time.
    if (isDatabaseUnavailable(error)) throw error;
    strapi.log.debug(
      `readers' fast path: left to the normal route (${error instanceof Error ? error.message : String(error)})`,
    );
    return null;
  }
}

/** The answers of one signed-off record the caller may read, or null. */
export const fastRecord = (strapi: Core.Strapi, authorization: string, key: RecordKey): Promise<RecordAnswers | null> =>
  unlessFailing(strapi, () => recordAnswers(strapi, authorization, key));

/**
 * What statement 1 found a moment ago: this caller (in this state) may read this issue row. For GRANT_MS the hot path
 * trusts it as long as the caller's rows and the issue's row are unchanged (RECORD_FRESH, by primary keys): a block,
 * a new role or unit, a republish, any write of those rows is seen on the very next request. What lies elsewhere —
 * the permissions of a role, the members of a recipient group — is seen within GRANT_MS at the latest, and at once
 * where the write goes through this process (`forgetGrants`, on every database write Strapi makes).
 */
type Grant = { issue: number; state: string; checked: number };
export const GRANT_MS = 2000;
const grants = new Map<string, Grant>();
/** ~150 bytes a grant: 20,000 ~3 MB at most; beyond that the map starts again. */
const MAX_GRANTS = 20000;
const grantKey = (userId: number, key: RecordKey): string =>
  `${userId}\u0000${key.publication}\u0000${key.year}\u0000${key.number}\u0000${key.edition}`;

/** Forgets every grant: something was written that may change who reads what. */
export function forgetGrants(): void {
  grants.clear();
}

/** Every write Strapi makes in this process (any model: a role's permissions, a group's members…) forgets the grants. */
export function watchFastReadGrants(strapi: Core.Strapi): () => void {
  return strapi.db.lifecycles.subscribe((event: { action: string }) => {
    if (/^after(Create|Update|Delete)/.test(event.action)) forgetGrants();
  });
}

async function recordAnswers(
  strapi: Core.Strapi,
  authorization: string,
  key: RecordKey,
): Promise<RecordAnswers | null> {
  const userId = verifiedUserId(strapi, authorization);
  if (userId === null || !isStorableText(key.publication) || !isStorableText(key.edition)) return null;
  const granted = grants.get(grantKey(userId, key));
  if (granted !== undefined && Date.now() - granted.checked < GRANT_MS) {
    const [fresh] = await rowsOf<{ state: string | null; version: string | null }>(strapi, RECORD_FRESH_SQL, [
      userId,
      granted.issue,
    ]);
    if (fresh !== undefined && fresh.state === granted.state && fresh.version !== null) {
      // The same caller, the same row still signed off: the answer written for the row at this version.
      noteRead(strapi, 'account', userId, { rowId: granted.issue }); // the trail's first read: a set lookup once seen
      const known = records.get(granted.issue);
      if (known !== undefined && known.version === fresh.version) return known.value;
      return fetchedAnswers(strapi, granted.issue);
    }
  }
  const [found] = await rowsOf<CallerRow & { issue: number | null; version: string | null }>(
    strapi,
    RECORD_CHECK_SQL,
    recordCheckValues(userId, ISSUE_FIND_ONE, key),
  );
  if (!mayRead(found) || found.issue === null || found.version === null) {
    grants.delete(grantKey(userId, key));
    return null;
  }
  if (found.state !== null) {
    if (grants.size >= MAX_GRANTS) grants.clear();
    grants.set(grantKey(userId, key), { issue: found.issue, state: found.state, checked: Date.now() });
  }
  noteRead(strapi, 'account', userId, { rowId: found.issue });
  const known = records.get(found.issue);
  if (known !== undefined && known.version === found.version) return known.value;
  return fetchedAnswers(strapi, found.issue);
}

/** Statement 2: the record of a row the caller may read, written once for its version. */
async function fetchedAnswers(strapi: Core.Strapi, issue: number): Promise<RecordAnswers | null> {
  const [row] = await rowsOf<{ version: string; record: unknown }>(strapi, RECORD_FETCH, [issue]);
  if (row === undefined || row.record === null) return null; // republished in between: the normal route answers
  const answers = new RecordAnswers(recordAnswer(JSON.stringify(parsedJson(row.record))));
  records.set(issue, { version: row.version, value: answers });
  return answers;
}

/** Strapi has the pg driver hand JSON columns over as text; the normal route parses them, and so does this. */
const parsedJson = (value: unknown): unknown => (typeof value === 'string' ? JSON.parse(value) : value);

type PageRow = CallerRow & { issue: number | null; version: string | null; total: string | null };
type IssueRow = PageRow & { issue: number; version: string };
type SummaryRow = { id: number; version: string; head: unknown; headlines: unknown };

/** A page of the issues of a year the caller may read, newest first, or null. */
export const fastYearList = (
  strapi: Core.Strapi,
  authorization: string,
  key: YearKey,
  page: PageRequest,
): Promise<IssueList | null> => unlessFailing(strapi, () => yearList(strapi, authorization, key, page));

async function yearList(
  strapi: Core.Strapi,
  authorization: string,
  key: YearKey,
  page: PageRequest,
): Promise<IssueList | null> {
  const userId = verifiedUserId(strapi, authorization);
  if (userId === null || !isStorableText(key.publication)) return null;
  const rows = await rowsOf<PageRow>(strapi, YEAR_CHECK_SQL, yearCheckValues(userId, ISSUE_FIND, key, page));
  if (!mayRead(rows[0])) return null;
  const issues = rows.filter((row): row is IssueRow => row.issue !== null && row.version !== null);
  if (issues.length === 0) {
    const [counted] = await rowsOf<{ total: string }>(strapi, YEAR_TOTAL_SQL, yearTotalValues(userId, key));
    return { data: [], meta: { pagination: paginationOf(page, Number(counted?.total ?? 0)) } };
  }
  const summaries = await summariesOf(strapi, issues);
  if (summaries === null) return null;
  const list: IssueList = { data: summaries, meta: { pagination: paginationOf(page, Number(issues[0].total)) } };
  // Its JSON, written once for these rows at these versions on this page: REST answers it as it is.
  const bodyKey = `${page.page}/${page.pageSize}/${issues[0].total}/${issues.map((row) => `${row.issue}:${row.version}`).join(',')}`;
  let body = listBodies.get(bodyKey);
  if (body === undefined) {
    body = Buffer.from(JSON.stringify(list));
    listBodies.set(bodyKey, body);
  }
  listJson.set(list, body);
  return list;
}

/** A page's JSON by its rows' ids and versions: ~25 summaries of ~2 kB, 200 pages ~10 MB at the most. */
const listBodies = new RecentByText<Buffer>(200);
const listJson = new WeakMap<IssueList, Buffer>();
/** The JSON of a list fastYearList gave (the same as JSON.stringify of it), kept for its rows' versions. */
export const listJsonOf = (list: IssueList): Buffer => listJson.get(list) ?? Buffer.from(JSON.stringify(list));

/** Each issue's summary, made now only for those not seen at their version yet (statement 2). */
async function summariesOf(strapi: Core.Strapi, issues: IssueRow[]): Promise<IssueSummary[] | null> {
  const known = issues.map((row) => {
    const entry = summaries.get(row.issue);
    return entry?.version === row.version ? entry.value : undefined;
  });
  const missing = issues.filter((_row, i) => known[i] === undefined).map((row) => row.issue);
  const fetched = new Map<number, SummaryRow>();
  if (missing.length > 0)
    for (const row of await rowsOf<SummaryRow>(strapi, SUMMARIES_FETCH, [missing])) fetched.set(row.id, row);
  const result: IssueSummary[] = [];
  for (const [i, row] of issues.entries()) {
    let summary = known[i];
    if (summary === undefined) {
      const made = fetched.get(row.issue);
      if (made === undefined) return null; // republished in between: the normal route answers
      summary = summaryOf(parsedJson(made.head) as RecordHead, parsedJson(made.headlines) as string[]);
      summaries.set(row.issue, { version: made.version, value: summary });
    }
    result.push(summary);
  }
  return result;
}
