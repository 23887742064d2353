import { readsWhatIsSent } from './access';
import { isSentTo, sentToSql, type GroupMembers, type IssueComponent } from './sent-to';

/**
 * What a reader or contributor logged in with users-permissions may read, checked together with who they are, as the
 * readers' fast path (src/strapi/fast-read.ts) asks it in ONE statement on PostgreSQL:
 *
 * - the caller may read when their account exists, is not blocked (an unset flag is not a block), is confirmed, has
 *   the reader or contributor role, and that role holds the permission of the action (find / findOne of issues);
 * - they may read a signed-off issue (its published row) that has its record and is sent to their unit, or to them by
 *   name (`isSentTo`, ./sent-to.ts: the very condition of the normal route's scope);
 * - a year's issues come newest first: date descending, then edition, then number descending, a page at a time.
 *
 * The statements are below with the order of their parameters (`$1`, `$2`, … as PostgreSQL numbers them); the
 * functions state the same on plain data, and a property test (tests/integration/sql-rules.test.ts) requires the two
 * to agree on random accounts, roles, permissions, groups and issues.
 */

/** An account, as the statements see it: its flags, its role (type and the actions it is allowed), its unit. */
export type ReadingAccount = {
  id: number;
  blocked: boolean | null;
  confirmed: boolean | null;
  role: { type: string; actions: readonly string[] } | null;
  unitId: number | null;
};

/** An issue row: published (signed off) or a draft, with its record or not, its key, date and recipient lines. */
export type ReadableIssue = {
  id: number;
  signedOff: boolean;
  hasRecord: boolean;
  publication: string;
  year: number;
  number: number;
  edition: string;
  /** YYYY-MM-DD */
  date: string;
  components: readonly IssueComponent[];
};

export type ReadingWorld = {
  accounts: readonly ReadingAccount[];
  groups: readonly GroupMembers[];
  issues: readonly ReadableIssue[];
};

/** What the statements return of the caller (absent when the account does not exist). */
export type CallerRow = { blocked: boolean | null; confirmed: boolean | null; role: string | null; allowed: boolean };

/** The record's key and a year's page, as the fast path receives them. */
export type RecordAsked = { publication: string; year: number; number: number; edition: string };
export type YearAsked = { publication: string; year: number };
export type PageAsked = { page: number; pageSize: number };

/** The rules of the normal route for a users-permissions reader or contributor, on the caller's row. */
export const mayRead = (caller: CallerRow | undefined): caller is CallerRow =>
  caller !== undefined &&
  caller.blocked !== true &&
  caller.confirmed === true &&
  readsWhatIsSent(caller.role) &&
  caller.allowed;

// ---- the statements -------------------------------------------------------------------------------------------------

/** The caller's tables: `u` the user, `r` their role, `uu` the link to their unit. */
export const CALLER_FROM = `up_users u
  LEFT JOIN up_users_role_lnk ur ON ur.user_id = u.id
  LEFT JOIN up_roles r ON r.id = ur.role_id
  LEFT JOIN up_users_unit_lnk uu ON uu.user_id = u.id`;
/**
 * The caller's rows as they are now, by row version (PostgreSQL's xmin): their user row and their role and unit links.
 * Any write of one of them (blocked, confirmed, a new role or unit) changes it: the fast path trusts a check it made a
 * moment ago only while this is unchanged (RECORD_FRESH_SQL). Not a rule: the mechanism that keeps the rule current.
 */
const CALLER_STATE = `u.xmin::text
  || '/' || coalesce((SELECT string_agg(l.xmin::text, ',' ORDER BY l.id) FROM up_users_role_lnk l WHERE l.user_id = u.id), '')
  || '/' || coalesce((SELECT string_agg(l.xmin::text, ',' ORDER BY l.id) FROM up_users_unit_lnk l WHERE l.user_id = u.id), '')`;
/** The caller's columns (and `state`, CALLER_STATE); `$2` the action. */
export const CALLER_COLUMNS = `u.blocked, u.confirmed, r.type AS role, ${CALLER_STATE} AS state,
  EXISTS (SELECT 1 FROM up_permissions p JOIN up_permissions_role_lnk pr ON pr.permission_id = p.id
           WHERE pr.role_id = r.id AND p.action = $2) AS allowed`;
/** A signed-off issue `i` with its record, sent to the caller of `unit` / `user`. */
const readable = (unit: string, user: string): string =>
  `i.published_at IS NOT NULL AND i.record IS NOT NULL AND ${sentToSql('i', `= ${unit}`, `= ${user}`)}`;

/**
 * One record: `$1` user id, `$2` action, `$3` publication, `$4` year, `$5` number, `$6` edition (`recordCheckValues`).
 * One row when the account exists: the caller's columns, and `issue` (row id) and `version` (xmin) when readable.
 */
export const RECORD_CHECK_SQL = `SELECT ${CALLER_COLUMNS}, i.id AS issue, i.version
  FROM ${CALLER_FROM}
  LEFT JOIN LATERAL (
    SELECT i.id, i.xmin::text AS version FROM issues i
     WHERE i.publication = $3 AND i.year = $4 AND i.number = $5 AND i.edition = $6 AND ${readable('uu.unit_id', 'u.id')}
     LIMIT 1) i ON true
  WHERE u.id = $1
  LIMIT 1`;

/**
 * The hot path's statement, by primary keys only: `$1` user id, `$2` issue row id. The caller's state and the issue
 * row's version (null when it is no longer a signed-off row with its record), for a caller RECORD_CHECK_SQL found
 * allowed to read that row a moment ago: unchanged state and version mean the same answer.
 */
export const RECORD_FRESH_SQL = `SELECT ${CALLER_STATE} AS state,
    (SELECT i.xmin::text FROM issues i WHERE i.id = $2 AND i.published_at IS NOT NULL AND i.record IS NOT NULL) AS version
  FROM up_users u WHERE u.id = $1`;

export const recordCheckValues = (userId: number, action: string, key: RecordAsked): unknown[] => [
  userId,
  action,
  key.publication,
  key.year,
  key.number,
  key.edition,
];

const yearFilter = (publication: string, year: string): string =>
  `i.publication = ${publication} AND i.year = ${year} AND ${readable('caller.unit_id', 'caller.id')}`;

/**
 * A page of a year: `$1` user id, `$2` action, `$3` publication, `$4` year, `$5` page size, `$6` offset
 * (`yearCheckValues`). One row per issue of the page in order, each with the caller's columns and the total; or one
 * row with no issue (past the last page, or none readable); no row when the account does not exist.
 */
export const YEAR_CHECK_SQL = `WITH caller AS (SELECT u.id, uu.unit_id, ${CALLER_COLUMNS} FROM ${CALLER_FROM} WHERE u.id = $1 LIMIT 1)
  SELECT caller.blocked, caller.confirmed, caller.role, caller.allowed, caller.state, page.id AS issue, page.version, page.total
  FROM caller LEFT JOIN LATERAL (
    SELECT i.id, i.xmin::text AS version, i.date, i.edition, i.number, count(*) OVER () AS total FROM issues i
     WHERE ${yearFilter('$3', '$4')}
     ORDER BY i.date DESC, i.edition ASC, i.number DESC
     LIMIT $5 OFFSET $6) page ON true
  ORDER BY page.date DESC, page.edition ASC, page.number DESC`;

export const yearCheckValues = (userId: number, action: string, key: YearAsked, page: PageAsked): unknown[] => [
  userId,
  action,
  key.publication,
  key.year,
  page.pageSize,
  (page.page - 1) * page.pageSize,
];

/** Past the last page the window count is not there: the total alone, `$1` user id, `$2` publication, `$3` year (`yearTotalValues`). */
export const YEAR_TOTAL_SQL = `WITH caller AS (SELECT u.id, uu.unit_id FROM up_users u LEFT JOIN up_users_unit_lnk uu ON uu.user_id = u.id WHERE u.id = $1 LIMIT 1)
  SELECT count(*) AS total FROM caller JOIN issues i ON ${yearFilter('$2', '$3')}`;

export const yearTotalValues = (userId: number, key: YearAsked): unknown[] => [userId, key.publication, key.year];

// ---- the same on plain data -----------------------------------------------------------------------------------------

/** The caller's row, or undefined when there is no such account. */
export function callerRowOf(world: ReadingWorld, userId: number, action: string): CallerRow | undefined {
  const account = world.accounts.find((candidate) => candidate.id === userId);
  if (account === undefined) return undefined;
  return {
    blocked: account.blocked,
    confirmed: account.confirmed,
    role: account.role?.type ?? null,
    allowed: account.role !== null && account.role.actions.includes(action),
  };
}

/** The issues of the world this account may read as far as the issue goes (signed off, with its record, sent to them). */
function readableBy(world: ReadingWorld, account: ReadingAccount): ReadableIssue[] {
  const addressee = { unitIds: account.unitId === null ? [] : [account.unitId], userId: account.id };
  return world.issues.filter(
    (issue) => issue.signedOff && issue.hasRecord && isSentTo(issue.components, world.groups, addressee),
  );
}

/** What RECORD_CHECK_SQL answers: the caller's row and the readable issue of that key (null: none). */
export function recordCheck(
  world: ReadingWorld,
  userId: number,
  action: string,
  key: RecordAsked,
): (CallerRow & { issue: number | null }) | undefined {
  const caller = callerRowOf(world, userId, action);
  const account = world.accounts.find((candidate) => candidate.id === userId);
  if (caller === undefined || account === undefined) return undefined;
  const found = readableBy(world, account).find(
    (issue) =>
      issue.publication === key.publication &&
      issue.year === key.year &&
      issue.number === key.number &&
      issue.edition === key.edition,
  );
  return { ...caller, issue: found?.id ?? null };
}

/** The order of a year's list: date descending, edition, number descending. */
export function newestFirst(a: ReadableIssue, b: ReadableIssue): number {
  if (a.date !== b.date) return a.date < b.date ? 1 : -1;
  if (a.edition !== b.edition) return a.edition < b.edition ? -1 : 1;
  return b.number - a.number;
}

/** What YEAR_CHECK_SQL answers: the caller's row, the readable issues of the page in order, and the total readable. */
export function yearCheck(
  world: ReadingWorld,
  userId: number,
  action: string,
  key: YearAsked,
  page: PageAsked,
): { caller: CallerRow; issues: number[]; total: number } | undefined {
  const caller = callerRowOf(world, userId, action);
  const account = world.accounts.find((candidate) => candidate.id === userId);
  if (caller === undefined || account === undefined) return undefined;
  const year = readableBy(world, account)
    .filter((issue) => issue.publication === key.publication && issue.year === key.year)
    .sort(newestFirst);
  const offset = (page.page - 1) * page.pageSize;
  return { caller, issues: year.slice(offset, offset + page.pageSize).map((issue) => issue.id), total: year.length };
}
