import type { Core } from '@strapi/strapi';
import {
  diff,
  entryHash,
  GENESIS,
  issueItemsAction,
  itemAction,
  type ActorKind,
  type AuditEntry,
  type Changes,
} from '../domain/audit';
import { attributesOf, onConnection, SKIPPED, snapshot, type Row, type Snapshot } from './audit-snapshot';

/**
 * The audit trail's recording (rules in src/domain/audit.ts, table in database/migrations/…bulletin-audit.js).
 *
 * One Document Service middleware, registered before the project's others, so it is the outermost: every write to an
 * Issue, Item, Unit or Recipient Group — admin content manager, compose desk, REST, GraphQL, importer, scripts — runs
 * inside `strapi.db.transaction` opened here. The rules' own transactions nest into it (Strapi 5.54's
 * transaction context reuses the outer transaction and leaves commit and rollback to it), and the entry is inserted
 * in the same transaction after the write: both commit or neither; a refused or failed write leaves no entry.
 * Appends are serialized on PostgreSQL by an advisory lock held to commit, so each entry names the hash of the one
 * committed before it. The only switch is BULLETIN_AUDIT=off, for bench/audit.js alone (the cost of the trail is
 * measured against the same app without it); nothing else reads it, and it is not a setting for an office.
 */

/** Whether the trail records: always, except in the benchmark's reference run (BULLETIN_AUDIT=off). */
export const auditOn = (): boolean => process.env.BULLETIN_AUDIT !== 'off';

const AUDITED = new Set([
  'api::issue.issue',
  'api::item.item',
  'api::unit.unit',
  'api::recipient-group.recipient-group',
]);
const WRITES = new Set(['create', 'update', 'delete', 'publish', 'unpublish', 'discardDraft', 'clone']);

/** A stored version as the trail shows it: scalars as stored, relations by documentId, components without row ids. */
export function shape(
  strapi: Core.Strapi,
  uid: string,
  row: Record<string, unknown> | null,
): Record<string, unknown> | null {
  if (row === null) return null;
  const out: Record<string, unknown> = {};
  for (const [name, attribute] of Object.entries(attributesOf(strapi, uid))) {
    if (SKIPPED.has(name) || (attribute.private === true && /pass|token/i.test(name))) continue;
    const value = row[name];
    if (attribute.type === 'relation') {
      if (!(name in row)) continue;
      if (uid === 'api::issue.issue' && name === 'items' && Array.isArray(value)) {
        out[name] = [...(value as { documentId: string; position?: number | null }[])]
          .sort((a, b) => (a.position ?? 0) - (b.position ?? 0) || (a.documentId < b.documentId ? -1 : 1))
          .map((item) => item.documentId);
      } else if (Array.isArray(value)) {
        out[name] = (value as { documentId: string }[]).map((target) => target.documentId).sort();
      } else {
        out[name] = value === null || value === undefined ? null : (value as { documentId: string }).documentId;
      }
    } else if (attribute.type === 'component' && attribute.component !== undefined) {
      const component = attribute.component;
      out[name] = Array.isArray(value)
        ? value.map((element) => shape(strapi, component, element as Record<string, unknown>))
        : shape(strapi, component, (value ?? null) as Record<string, unknown> | null);
    } else if (value !== undefined) {
      out[name] = value instanceof Date ? value.toISOString() : value;
    }
  }
  return out;
}

type RequestState = {
  user?: { id?: number; username?: string; email?: string; firstname?: string | null; lastname?: string | null };
  auth?: { strategy?: { name?: string }; credentials?: { id?: number; name?: string } };
  requestId?: string;
};
type RequestCtx = { state?: RequestState; request?: { ip?: string }; get?: (name: string) => string };

export type Actor = Pick<
  AuditEntry,
  'actorKind' | 'actorId' | 'actorName' | 'actorUnit' | 'address' | 'userAgent' | 'requestId'
>;

export async function actorOf(strapi: Core.Strapi): Promise<Actor> {
  const ctx = strapi.requestContext.get() as RequestCtx | undefined;
  const where = {
    address: ctx?.request?.ip ?? null,
    userAgent: (ctx?.get?.('user-agent') || null) ?? null,
    requestId: ctx?.state?.requestId ?? null,
  };
  const state = ctx?.state;
  const strategy = state?.auth?.strategy?.name;
  const base = (kind: ActorKind, id: unknown, name: string | null, unit: string | null): Actor => ({
    actorKind: kind,
    actorId: typeof id === 'string' || typeof id === 'number' ? String(id) : null,
    actorName: name,
    actorUnit: unit,
    ...where,
  });
  if (strategy === 'admin' && state?.user !== undefined) {
    const user = state.user;
    const name =
      [user.lastname, user.firstname].filter((part) => typeof part === 'string' && part !== '').join('') ||
      user.email ||
      null;
    const admin = (await strapi.db
      .query('admin::user')
      .findOne({ where: { id: user.id }, populate: { units: { select: ['shortName'] } } })
      .catch(() => null)) as {
      units?: { shortName: string }[];
    } | null;
    const units = admin?.units?.map((unit) => unit.shortName).join('、') || null;
    return base('admin', user.id, name, units);
  }
  if (strategy === 'users-permissions' && state?.user !== undefined) {
    const account = (await strapi.db.query('plugin::users-permissions.user').findOne({
      where: { id: state.user.id },
      select: ['id', 'username'],
      populate: { unit: { select: ['shortName'] } },
    })) as {
      username?: string;
      unit?: { shortName: string } | null;
    } | null;
    return base(
      'account',
      state.user.id,
      account?.username ?? state.user.username ?? null,
      account?.unit?.shortName ?? null,
    );
  }
  if (strategy === 'api-token' || strategy === 'content-api-token')
    return base('api-token', state?.auth?.credentials?.id, state?.auth?.credentials?.name ?? null, null);
  if (ctx === undefined)
    return base(
      'script',
      process.pid,
      process.argv[1] === undefined ? 'node' : (String(process.argv[1]).split(/[\\/]/).pop() ?? null),
      null,
    );
  return base('script', null, strategy ?? null, null);
}

const changed = (before: Row | null, after: Row | null): boolean => (before?.id ?? null) !== (after?.id ?? null);

/** What the call did, from the versions before and after it. */
function describe(
  strapi: Core.Strapi,
  uid: string,
  action: string,
  before: Snapshot,
  after: Snapshot,
): { action: string; changes: Changes } {
  const draft = diff(shape(strapi, uid, before.draft), shape(strapi, uid, after.draft));
  if (action === 'delete')
    return { action: 'delete', changes: diff(shape(strapi, uid, before.draft ?? before.published), null) };
  if (action === 'unpublish') return { action: 'unpublish', changes: diff(shape(strapi, uid, before.published), null) };
  if (action === 'discardDraft') return { action: 'discard-draft', changes: draft };
  const published = after.published !== null && changed(before.published, after.published);
  if (action === 'create' || action === 'clone') return { action: 'create', changes: draft };
  if (published) {
    const changes = diff(shape(strapi, uid, before.published), shape(strapi, uid, after.published));
    return { action: 'publish', changes: Object.keys(changes).length > 0 ? changes : draft };
  }
  if (uid === 'api::item.item') return { action: itemAction(draft), changes: draft };
  if (uid === 'api::issue.issue') return { action: issueItemsAction(draft) ?? 'update', changes: draft };
  return { action: 'update', changes: draft };
}

type Knex = { raw: (sql: string, bindings?: unknown[]) => Promise<unknown> } & ((table: string) => {
  select: (...columns: string[]) => {
    orderBy: (column: string, direction: string) => { first: () => Promise<{ hash: string } | undefined> };
  };
});

/**
 * Appends within one transaction, one after another. The advisory lock orders transactions, but a transaction that
 * holds it may append several entries at once: the content manager's bulk delete, publish and unpublish run their
 * documents' writes concurrently (Promise.all) in one transaction, and two appends reading the same last hash before
 * either inserted would fork the chain. Keyed by the transaction (nested transactions share their outer one's).
 */
const appendsOf = new WeakMap<object, Promise<void>>();

function inAppendSlot(trx: unknown, task: () => Promise<void>): Promise<void> {
  const key = trx as object;
  const done = (appendsOf.get(key) ?? Promise.resolve()).then(task);
  // The next append waits for this one whether it succeeded or not (a failure rolls the transaction back anyway).
  appendsOf.set(
    key,
    done.catch(() => undefined),
  );
  return done;
}

/** Appends one entry, chained to the last one; call inside the write's transaction. */
export function appendEntry(strapi: Core.Strapi, trx: unknown, entry: AuditEntry): Promise<void> {
  return inAppendSlot(trx, async () => insertEntry(strapi, trx as Knex, await lockedHead(strapi, trx as Knex), entry));
}

/**
 * The hash of the last entry, read once this transaction holds the trail's lock (PostgreSQL: an advisory lock held to
 * commit). Both in one round trip: as PostgreSQL's simple query each statement has a snapshot of its own, so the read
 * sees every entry committed before the lock was granted.
 */
async function lockedHead(strapi: Core.Strapi, knex: Knex): Promise<string> {
  if (strapi.db.dialect.client !== 'postgres')
    return (await knex('bulletin_audit').select('hash').orderBy('id', 'desc').first())?.hash ?? GENESIS;
  const answers = await onConnection(knex, {
    text: "SELECT pg_advisory_xact_lock(hashtext('bulletin-audit')); SELECT hash FROM bulletin_audit ORDER BY id DESC LIMIT 1",
  });
  const hash = answers[1]?.rows[0]?.hash;
  return typeof hash === 'string' ? hash : GENESIS;
}

const COLUMNS = [
  'at',
  'action',
  'content_type',
  'document_id',
  'document_name',
  'changes',
  'actor_kind',
  'actor_id',
  'actor_name',
  'actor_unit',
  'address',
  'user_agent',
  'request_id',
  'prev_hash',
  'hash',
  'category',
];
/** The insert: prepared on PostgreSQL ($n), `?` for knex elsewhere; without the category column for content entries. */
const insertSql = (columns: string[], mark: (n: number) => string) =>
  `INSERT INTO bulletin_audit (${columns.join(', ')}) VALUES (${columns.map((_column, index) => mark(index + 1)).join(', ')})`;
const INSERTS = {
  content: {
    name: 'bulletin_audit_insert',
    pg: insertSql(COLUMNS.slice(0, -1), (n) => `$${n}`),
    other: insertSql(COLUMNS.slice(0, -1), () => '?'),
  },
  categorised: {
    name: 'bulletin_audit_insert_categorised',
    pg: insertSql(COLUMNS, (n) => `$${n}`),
    other: insertSql(COLUMNS, () => '?'),
  },
};

async function insertEntry(strapi: Core.Strapi, knex: Knex, prevHash: string, entry: AuditEntry): Promise<void> {
  const values = [
    entry.at,
    entry.action,
    entry.contentType,
    entry.documentId,
    entry.documentName,
    JSON.stringify(entry.changes),
    entry.actorKind,
    entry.actorId,
    entry.actorName,
    entry.actorUnit,
    entry.address,
    entry.userAgent,
    entry.requestId,
    prevHash,
    entryHash(prevHash, entry),
  ];
  const content = entry.category === undefined || entry.category === 'content';
  const insert = content ? INSERTS.content : INSERTS.categorised;
  const all = content ? values : [...values, entry.category];
  if (strapi.db.dialect.client === 'postgres')
    await onConnection(knex, { name: insert.name, text: insert.pg, values: all });
  else await knex.raw(insert.other, all);
}

const documentIdOf = (value: unknown): string | undefined => {
  const id = (value as { documentId?: unknown } | null | undefined)?.documentId;
  return typeof id === 'string' ? id : undefined;
};

export function registerAuditTrail(strapi: Core.Strapi): void {
  if (!auditOn()) return;
  strapi.documents.use(async (ctx, next) => {
    if (!AUDITED.has(ctx.uid) || !WRITES.has(ctx.action)) return next();
    const uid = ctx.uid;
    const params = (ctx.params ?? {}) as { documentId?: string };
    return strapi.db.transaction(async ({ trx }) => {
      const before = await snapshot(
        strapi,
        uid,
        ctx.action === 'create' || ctx.action === 'clone' ? undefined : params.documentId,
        trx,
      );
      const result = await next();
      const documentId =
        ctx.action === 'create' || ctx.action === 'clone'
          ? documentIdOf(result)
          : (params.documentId ?? documentIdOf(result));
      if (documentId === undefined) return result;
      if (ctx.action === 'delete' && before.draft === null && before.published === null) return result;
      const after = await snapshot(strapi, uid, documentId, trx);
      const { action, changes } = describe(strapi, uid, ctx.action, before, after);
      const named = after.published ?? after.draft ?? before.published ?? before.draft;
      const actor = await actorOf(strapi);
      await appendEntry(strapi, trx, {
        at: new Date().toISOString(),
        action,
        contentType: uid,
        documentId,
        documentName: uid === 'api::issue.issue' && typeof named?.title === 'string' ? named.title : null,
        changes,
        ...actor,
      });
      return result;
    });
  });
}
