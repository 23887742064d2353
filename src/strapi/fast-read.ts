import { createHash, createSecretKey, type KeyObject } from 'crypto';
import jwt from 'jsonwebtoken';
import type { Core } from '@strapi/strapi';
import { sentTo } from './access';
import { paginationOf, summarizeRecord, summaryOf, type IssueList, type IssueRecord, type PageRequest, type YearKey } from '../domain/record';
import type { RecordKey } from './record';

/**
 * The readers' fast path: what a reader or contributor logged in with users-permissions reads most — one signed-off
 * record, or the issues of a year — in two SQL statements including authentication, instead of Strapi's
 * authentication (about 4 statements) and the scoped Document Service read.
 *
 * Each function answers only what it is sure of, with exactly the rules of the normal route: a valid token of a user
 * who is confirmed, not blocked, in the reader or contributor role, whose role holds the permission; issues sent to
 * them (their unit, or them by name) and published. Anything else returns null and the caller falls through to
 * Strapi's own route, which applies the same rules the slow way and gives the proper 401 / 403 / 404 / 400. Nothing is
 * cached between requests: a block, a role change or a republish committed by any process is seen on the next request.
 */

const ISSUE_FIND = 'api::issue.issue.find';
const ISSUE_FIND_ONE = 'api::issue.issue.findOne';

export type Reader = { id: number; unitIds: number[] };
type Knex = Core.Strapi['db']['connection'];

let secretKey: { secret: string; key: KeyObject } | null = null;

/** The users-permissions token's claims, verified with the plugin's secret and algorithm; null when not sure. */
function verifiedUserId(strapi: Core.Strapi, token: string): number | null {
  if (strapi.config.get('plugin::users-permissions.jwtManagement', 'legacy-support') !== 'legacy-support') return null;
  const algorithm = (strapi.config.get('plugin::users-permissions.jwt', {}) as { algorithm?: string }).algorithm ?? 'HS256';
  const secret = strapi.config.get('plugin::users-permissions.jwtSecret') as unknown;
  if (!/^HS(256|384|512)$/.test(algorithm) || typeof secret !== 'string' || secret === '') return null;
  // A KeyObject made once: given the secret as a string, jsonwebtoken first tries (and fails) to read it as a PEM
  // public key on every call, which costs more than the rest of the request.
  if (secretKey === null || secretKey.secret !== secret) secretKey = { secret, key: createSecretKey(Buffer.from(secret, 'utf8')) };
  try {
    const claims = jwt.verify(token, secretKey.key, { algorithms: [algorithm as jwt.Algorithm] }) as { id?: unknown };
    return typeof claims.id === 'number' ? claims.id : null;
  } catch {
    return null;
  }
}

type Builder = ReturnType<Knex>;
type KnexClient = {
  acquireConnection: () => Promise<{ query: (config: { name: string; text: string; values: unknown[] }) => Promise<{ rows: unknown[] }> }>;
  releaseConnection: (connection: unknown) => Promise<unknown>;
  emit: (event: string, data: unknown) => boolean;
};
const statementNames = new Map<string, string>();

/**
 * Runs a read. On PostgreSQL as a named prepared statement on a pooled connection: these few statements run on every
 * reader request, and planning them (3–4 ms each here) costs more than running them. The statement is still reported
 * on knex's `query` event, like every statement, so query logs and counts see it. Elsewhere through knex.
 */
async function rowsOf<T>(strapi: Core.Strapi, builder: Builder): Promise<T[]> {
  if (strapi.db.dialect.client !== 'postgres') return (await builder) as T[];
  const { sql, bindings } = builder.toSQL().toNative();
  let name = statementNames.get(sql);
  if (name === undefined) {
    name = `fast_read_${createHash('sha1').update(sql).digest('hex').slice(0, 20)}`;
    statementNames.set(sql, name);
  }
  const client = strapi.db.connection.client as unknown as KnexClient;
  const connection = await client.acquireConnection();
  try {
    client.emit('query', { method: 'select', sql, bindings });
    return (await connection.query({ name, text: sql, values: [...bindings] })).rows as T[];
  } finally {
    await client.releaseConnection(connection);
  }
}

type CallerRow = { id: number; blocked: boolean | null; confirmed: boolean | null; role: string | null; unit_id: number | null; allowed: unknown };

/** Statement 1: the caller, their role holding `action`, and their unit. */
async function reader(strapi: Core.Strapi, authorization: string, action: string): Promise<Reader | null> {
  const bearer = /^Bearer\s+(\S+)$/i.exec(authorization);
  if (bearer === null) return null;
  const userId = verifiedUserId(strapi, bearer[1]);
  if (userId === null) return null;
  const knex = strapi.db.connection;
  const [caller] = await rowsOf<CallerRow>(
    strapi,
    knex('up_users as u')
    .leftJoin('up_users_role_lnk as ur', 'ur.user_id', 'u.id')
    .leftJoin('up_roles as r', 'r.id', 'ur.role_id')
    .leftJoin('up_users_unit_lnk as uu', 'uu.user_id', 'u.id')
    .where('u.id', userId)
    .limit(1)
    .select(
      'u.id',
      'u.blocked',
      'u.confirmed',
      'r.type as role',
      'uu.unit_id',
      knex.raw(
        `EXISTS (SELECT 1 FROM up_permissions p JOIN up_permissions_role_lnk pr ON pr.permission_id = p.id
                  WHERE pr.role_id = r.id AND p.action = ?) AS allowed`,
        [action],
      ),
    ),
  );
  if (caller === undefined || caller.blocked === true || caller.confirmed !== true) return null;
  if (caller.role !== 'reader' && caller.role !== 'contributor') return null;
  if (caller.allowed !== true && caller.allowed !== 1) return null;
  return { id: caller.id, unitIds: caller.unit_id === null ? [] : [caller.unit_id] };
}

const parsedJson = (value: unknown): unknown => (typeof value === 'string' ? JSON.parse(value) : value);
const parsed = (record: unknown): IssueRecord => parsedJson(record) as IssueRecord;

/** One signed-off record the caller may read (statement 2), or null. */
export async function fastRecord(strapi: Core.Strapi, authorization: string, key: RecordKey): Promise<IssueRecord | null> {
  const caller = await reader(strapi, authorization, ISSUE_FIND_ONE);
  if (caller === null) return null;
  const knex = strapi.db.connection;
  const [row] = await rowsOf<{ record: unknown }>(
    strapi,
    knex('issues as i')
      .where({ 'i.publication': key.publication, 'i.year': key.year, 'i.number': key.number, 'i.edition': key.edition })
      .whereNotNull('i.published_at')
      .where(sentTo(knex, 'i', caller.unitIds, caller.id) as never)
      .limit(1)
      .select('i.record'),
  );
  if (row === undefined || row.record === null) return null;
  return parsed(row.record);
}

function yearQuery(knex: Knex, caller: Reader, key: YearKey): ReturnType<Knex> {
  return knex('issues as i')
    .where({ 'i.publication': key.publication, 'i.year': key.year })
    .whereNotNull('i.published_at')
    .whereNotNull('i.record')
    .where(sentTo(knex, 'i', caller.unitIds, caller.id) as never);
}

/**
 * A page of the issues of a year the caller may read, newest first (statement 2, with the total as a window count),
 * in the order of the normal route (`findYearList` in ./record: date desc, edition, number desc).
 */
export async function fastYearList(strapi: Core.Strapi, authorization: string, key: YearKey, page: PageRequest): Promise<IssueList | null> {
  const caller = await reader(strapi, authorization, ISSUE_FIND);
  if (caller === null) return null;
  const knex = strapi.db.connection;
  // On PostgreSQL only what a summary needs leaves the database: the record without its items and footer, and the
  // items' headlines (a page of whole records is 25 × ~10 kB to send and parse).
  const columns =
    strapi.db.dialect.client === 'postgres'
      ? [knex.raw(`i.record - 'items' - 'footer' AS record`), knex.raw(`jsonb_path_query_array(i.record, '$.items[*].headline') AS headlines`)]
      : ['i.record'];
  const rows = await rowsOf<{ record: unknown; headlines?: unknown; total: string | number }>(
    strapi,
    yearQuery(knex, caller, key)
      .select(...columns, knex.raw('count(*) OVER () AS total'))
      .orderBy([
        { column: 'i.date', order: 'desc' },
        { column: 'i.edition', order: 'asc' },
        { column: 'i.number', order: 'desc' },
      ])
      .limit(page.pageSize)
      .offset((page.page - 1) * page.pageSize),
  );
  // Past the last page the window count is not there: count separately (a third statement, for that rare case).
  const total =
    rows.length > 0
      ? Number(rows[0].total)
      : Number(((await yearQuery(knex, caller, key).count({ total: '*' }).first()) as { total: string | number } | undefined)?.total ?? 0);
  const summaries = rows.map((row) =>
    row.headlines === undefined ? summarizeRecord(parsed(row.record)) : summaryOf(parsed(row.record), parsedJson(row.headlines) as string[]),
  );
  return { data: summaries, meta: { pagination: paginationOf(page, total) } };
}
