import type { Core } from '@strapi/strapi';
import {
  ADDRESSED_READING_SQL,
  notYetReadOf,
  readingFromRows,
  type AccountReading,
  type ReadingRow,
} from '../domain/first-reads';
import { firstReadKey, type Addressed, type ReaderKind } from '../domain/audit-events';
import type { IssueRecord } from '../domain/record';
import { actorOf, appendEntry, auditOn, type Actor } from './audit';
import { recordEntry } from './audit-security';

/**
 * Reads that matter, in the audit trail (category 'read'; names in src/domain/audit-events.ts):
 *
 * - `download`: every PDF or Word file of an issue handed out (src/strapi/exports.ts `sendIssueFile`: the signed-off
 *   export and the desk's draft), by whom, which format, signed-off or draft.
 * - `first-read`: the first time a reader (an account, or an admin user) opens a signed-off issue — on the readers'
 *   fast path (src/strapi/fast-read.ts: one record over REST or GraphQL), or through the Document Service (the
 *   normal record route and its exports, REST /api/issues/:id, GraphQL `issue`, the admin's content manager). Once per
 *   reader and issue ever: `bulletin_first_read` has one row per pair (primary key), inserted with ON CONFLICT DO
 *   NOTHING together with the trail's entry in one transaction; a process remembers the pairs it has seen (a bounded
 *   set), so a reader's later requests cost one set lookup, and the insert runs after the answer, off the request.
 *
 * `issueReading(strapi, documentId)`: the accounts a signed-off issue is sent to (its recipient lines' groups: their
 * units' accounts and the accounts listed by name), each with its first read or none — who has not opened it yet.
 */

const ISSUE = 'api::issue.issue';
const SEEN_MAX = 200_000;
const seen = new Set<string>();
const pending = new Set<string>();

type Where = Pick<Actor, 'address' | 'userAgent' | 'requestId'>;
type RequestCtx = {
  res?: { writableFinished?: boolean; once: (event: 'close', listener: () => void) => unknown };
  request?: { ip?: string };
  get?: (name: string) => string;
  state?: { requestId?: string; user?: { id?: number }; auth?: { strategy?: { name?: string } } };
};

const whereOf = (ctx: RequestCtx | undefined): Where => ({
  address: ctx?.request?.ip ?? null,
  userAgent: (ctx?.get?.('user-agent') ?? '') === '' ? null : (ctx?.get?.('user-agent') ?? null),
  requestId: ctx?.state?.requestId ?? null,
});

// ---- downloads -----------------------------------------------------------------------------------------------------

/** One `download` entry: the issue, its name, the format, signed-off or draft, and who. */
export async function recordDownload(
  strapi: Core.Strapi,
  record: IssueRecord,
  format: 'pdf' | 'docx',
  kind: 'signed-off' | 'draft',
): Promise<void> {
  if (!auditOn()) return;
  const issue = (await strapi.db
    .query(ISSUE)
    .findOne({ where: { documentId: record.documentId }, select: ['title'] })) as { title?: string } | null;
  await recordEntry(strapi, {
    category: 'read',
    action: 'download',
    contentType: ISSUE,
    documentId: record.documentId,
    documentName: issue?.title ?? null,
    changes: { format: { old: null, new: format }, version: { old: null, new: kind } },
    ...(await actorOf(strapi)),
  });
}

// ---- first reads ---------------------------------------------------------------------------------------------------

type Knex = {
  raw: (sql: string, bindings: unknown[]) => Promise<unknown>;
};
const rowsOf = <T>(result: unknown): T[] =>
  Array.isArray(result) ? (result as T[]) : ((result as { rows?: T[] }).rows ?? []);

/** Inserts the first read of a signed-off issue (by documentId or by row id); the issue's documentId and title, or null when not new or not signed off. */
const INSERT_BY_DOCUMENT = `INSERT INTO bulletin_first_read (document_id, reader_kind, reader_id, at)
  SELECT i.document_id, ?, ?, ? FROM issues i WHERE i.document_id = ? AND i.published_at IS NOT NULL LIMIT 1
  ON CONFLICT DO NOTHING RETURNING document_id`;
const INSERT_BY_ROW = `INSERT INTO bulletin_first_read (document_id, reader_kind, reader_id, at)
  SELECT i.document_id, ?, ?, ? FROM issues i WHERE i.id = ? AND i.published_at IS NOT NULL
  ON CONFLICT DO NOTHING RETURNING document_id`;

async function readerActor(
  strapi: Core.Strapi,
  kind: ReaderKind,
  id: number,
): Promise<Pick<Actor, 'actorKind' | 'actorId' | 'actorName' | 'actorUnit'>> {
  if (kind === 'account') {
    const account = (await strapi.db
      .query('plugin::users-permissions.user')
      .findOne({ where: { id }, select: ['username'], populate: { unit: { select: ['shortName'] } } })) as {
      username?: string;
      unit?: { shortName: string } | null;
    } | null;
    return {
      actorKind: 'account',
      actorId: String(id),
      actorName: account?.username ?? null,
      actorUnit: account?.unit?.shortName ?? null,
    };
  }
  const admin = (await strapi.db.query('admin::user').findOne({
    where: { id },
    select: ['email', 'firstname', 'lastname'],
    populate: { units: { select: ['shortName'] } },
  })) as {
    email?: string;
    firstname?: string | null;
    lastname?: string | null;
    units?: { shortName: string }[];
  } | null;
  const name =
    [admin?.lastname, admin?.firstname].filter((part) => typeof part === 'string' && part !== '').join('') ||
    (admin?.email ?? null);
  return {
    actorKind: 'admin',
    actorId: String(id),
    actorName: name,
    actorUnit: admin?.units?.map((unit) => unit.shortName).join('、') || null,
  };
}

/** Records a first read if it is one: the row and the trail's entry in one transaction. True when the issue is signed off (new or not). */
async function recordFirstRead(
  strapi: Core.Strapi,
  kind: ReaderKind,
  id: number,
  issue: { documentId: string } | { rowId: number },
  where: Where,
): Promise<boolean> {
  const at = new Date().toISOString();
  return strapi.db.transaction(async ({ trx }) => {
    const knex = trx as Knex;
    const [sql, value] = 'documentId' in issue ? [INSERT_BY_DOCUMENT, issue.documentId] : [INSERT_BY_ROW, issue.rowId];
    const [inserted] = rowsOf<{ document_id: string }>(await knex.raw(sql, [kind, String(id), at, value]));
    if (inserted === undefined) {
      const [exists] = rowsOf<{ n: unknown }>(
        await knex.raw(
          `SELECT 1 AS n FROM issues i WHERE ${'documentId' in issue ? 'i.document_id' : 'i.id'} = ? AND i.published_at IS NOT NULL LIMIT 1`,
          [value],
        ),
      );
      return exists !== undefined;
    }
    const named = (await strapi.db.query(ISSUE).findOne({
      where: { documentId: inserted.document_id, publishedAt: { $notNull: true } },
      select: ['title'],
    })) as { title?: string } | null;
    await appendEntry(strapi, trx, {
      at,
      category: 'read',
      action: 'first-read',
      contentType: ISSUE,
      documentId: inserted.document_id,
      documentName: named?.title ?? null,
      changes: {},
      ...(await readerActor(strapi, kind, id)),
      ...where,
    });
    return true;
  });
}

/**
 * Notes that a reader opened a signed-off issue (or what may be one: the check is the insert's). Costs one set lookup
 * when this process has seen the pair; otherwise the insert runs once the current request's answer is sent (the
 * response closed), outside its request context, once at a time per pair.
 */
export function noteRead(
  strapi: Core.Strapi,
  kind: ReaderKind,
  id: number,
  issue: { documentId: string } | { rowId: number },
): void {
  const key =
    'documentId' in issue ? firstReadKey(kind, id, issue.documentId) : firstReadKey(kind, id, `#${issue.rowId}`);
  if (seen.has(key) || pending.has(key) || !auditOn()) return;
  pending.add(key);
  const ctx = strapi.requestContext.get() as RequestCtx | undefined;
  const where = whereOf(ctx);
  // Outside the request's context: the reader's request is answered and over; what runs then is the trail's.
  const outside = strapi.requestContext as unknown as {
    run: <T>(store: undefined, run: () => Promise<T>) => Promise<T>;
  };
  const record = (): void => {
    outside
      .run(undefined, () => recordFirstRead(strapi, kind, id, issue, where))
      .then(
        (signedOff) => {
          pending.delete(key);
          if (!signedOff) return; // not signed off (yet): asked again next time
          if (seen.size >= SEEN_MAX) seen.clear();
          seen.add(key);
        },
        (error: unknown) => {
          pending.delete(key);
          strapi.log.error(
            `audit trail: first read of ${JSON.stringify(issue)} by ${kind} ${id} not recorded: ${(error as Error).message}`,
          );
        },
      );
  };
  if (ctx?.res !== undefined && ctx.res.writableFinished !== true) ctx.res.once('close', record);
  else setImmediate(record);
}

/** The reader of the current request, from Strapi's authentication (no query): an account or an admin user. */
function currentReader(strapi: Core.Strapi): { kind: ReaderKind; id: number } | null {
  const ctx = strapi.requestContext.get() as RequestCtx | undefined;
  const strategy = ctx?.state?.auth?.strategy?.name;
  const id = ctx?.state?.user?.id;
  if (typeof id !== 'number') return null;
  if (strategy === 'users-permissions') return { kind: 'account', id };
  if (strategy === 'admin') return { kind: 'admin', id };
  return null;
}

/** Forgets the pairs seen (a test restarting the app on a fresh database in the same process). */
export function forgetSeenReads(): void {
  seen.clear();
}

/** A Document Service middleware noting first reads of issues read one at a time (findOne, findFirst). */
export function registerFirstReads(strapi: Core.Strapi): void {
  if (!auditOn()) return;
  forgetSeenReads();
  strapi.documents.use(async (ctx, next) => {
    if (ctx.uid !== ISSUE || (ctx.action !== 'findOne' && ctx.action !== 'findFirst')) return next();
    const result = await next();
    const documentId = (result as { documentId?: unknown } | null)?.documentId;
    if (typeof documentId !== 'string') return result;
    const reader = currentReader(strapi);
    if (reader !== null) noteRead(strapi, reader.kind, reader.id, { documentId });
    return result;
  });
}

// ---- who has read, who has not -----------------------------------------------------------------------------------

/**
 * The accounts the signed-off issue `documentId` is sent to (本期送 / 发 / 报 / 抄送 groups resolved to accounts),
 * each with its first read or none (the rule and its statement: src/domain/first-reads.ts); null when there is no
 * signed-off issue with that documentId.
 */
export async function issueReading(strapi: Core.Strapi, documentId: string): Promise<AccountReading[] | null> {
  const knex = strapi.db.connection as unknown as Knex;
  const [issue] = rowsOf<{ n: unknown }>(
    await knex.raw('SELECT 1 AS n FROM issues WHERE document_id = ? AND published_at IS NOT NULL LIMIT 1', [
      documentId,
    ]),
  );
  if (issue === undefined) return null;
  return readingFromRows(rowsOf<ReadingRow>(await knex.raw(ADDRESSED_READING_SQL, [documentId])));
}

/** Who, of those accounts, has not opened it yet; null when there is no signed-off issue with that documentId. */
export async function notYetRead(strapi: Core.Strapi, documentId: string): Promise<Addressed[] | null> {
  const reading = await issueReading(strapi, documentId);
  return reading === null ? null : notYetReadOf(reading);
}
