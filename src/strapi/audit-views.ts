import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { ActorKind, Changes } from '../domain/audit';
import {
  ACTION_LABELS,
  CONTENT_TYPES,
  actionLabel,
  changeViews,
  contentTypeLabel,
  entriesCsv,
  filterSql,
  forContributor,
  isSecurityEntry,
  issueTimeline,
  itemTimeline,
  officeTime,
  parseAuditQuery,
  type AuditFilter,
  type ListedEntry,
  type Page,
  type TimelineStep,
} from '../domain/audit-views';
import { UNIT_STAFF_ROLE } from '../domain/admin-roles';
import { currentViewer } from './access';
import { issueReading } from './audit-reads';
import { notYetReadOf } from '../domain/first-reads';
import { validationError } from './errors';
import { addQueryFields, type Nexus } from './graphql-query';

/**
 * Viewing the audit trail (rules in src/domain/audit-views.ts; recording in ./audit.ts).
 *
 * Who sees what:
 * - Admin (routes under /bulletin-audit, the 操作日志 page and the 办理记录 panels): editors, signers and super admins
 *   (anyone who may read issues in the content manager) see every entry; security entries only super admins. Unit
 *   staff (单位信息员（后台）) get 403.
 * - Content API (REST /api/audit-entries, /api/items/:documentId/history; GraphQL auditEntries, itemHistory), governed by
 *   api::audit-entry.audit-entry.find / .history: a contributor (信息员) sees the entries of their unit's items and
 *   those items' histories, without address, browser or request id; a full-access API token (the office's own tools)
 *   sees every entry but security ones; a read-only API token (front ends for readers) and readers get 403, as does
 *   anyone not logged in. Security entries never leave through the content API.
 */

const ITEM = 'api::item.item';
const ISSUE = 'api::issue.issue';
const UNIT = 'api::unit.unit';
const GROUP = 'api::recipient-group.recipient-group';
const SUPER_ADMIN = 'strapi-super-admin';

export type AuditAudience = { kind: 'office'; security: boolean } | { kind: 'contributor'; unitIds: number[] };

type RouteContext = {
  state: {
    user?: { id: number; roles?: { code?: string }[]; role?: { type?: string } };
    userAbility?: { can: (action: string, subject: string) => boolean };
    auth?: { strategy?: { name?: string }; credentials?: { type?: string } };
  };
  params: Record<string, string>;
  query: Record<string, unknown>;
  status: number;
  body: unknown;
  type: string;
  set: (name: string, value: string) => void;
};

const timeZoneOf = (strapi: Core.Strapi): string => strapi.config.get<string>('bulletin.timeZone', 'Asia/Shanghai');

/** The admin caller's audience: 403 for unit staff and anyone who may not read issues. */
function adminAudience(ctx: RouteContext): AuditAudience {
  const roles = (ctx.state.user?.roles ?? []).map((role) => role.code);
  if (roles.length > 0 && roles.every((code) => code === UNIT_STAFF_ROLE))
    throw new errors.PolicyError('单位信息员不能查看操作日志');
  if (ctx.state.userAbility?.can('plugin::content-manager.explorer.read', ISSUE) !== true)
    throw new errors.PolicyError('没有查看操作日志的权限');
  return { kind: 'office', security: roles.includes(SUPER_ADMIN) };
}

/** The content-API caller's audience (REST and GraphQL alike): 403 for everyone but contributors and full-access tokens. */
async function contentAudience(strapi: Core.Strapi): Promise<AuditAudience> {
  const ctx = strapi.requestContext.get() as RouteContext | undefined;
  const strategy = ctx?.state.auth?.strategy?.name;
  if (strategy === 'api-token' || strategy === 'content-api-token') {
    if (ctx?.state.auth?.credentials?.type === 'full-access') return { kind: 'office', security: false };
    throw new errors.ForbiddenError('只读 API 令牌不能查看操作日志');
  }
  const viewer = await currentViewer(strapi);
  if (strategy === 'users-permissions' && viewer.kind === 'contributor')
    return { kind: 'contributor', unitIds: viewer.unitIds };
  throw new errors.ForbiddenError('没有查看操作日志的权限');
}

// ---- reading ------------------------------------------------------------------------------------------------------

type Row = {
  id: string | number;
  at: Date | string;
  action: string;
  content_type: string;
  document_id: string | null;
  document_name: string | null;
  changes: unknown;
  actor_kind: string;
  actor_id: string | null;
  actor_name: string | null;
  actor_unit: string | null;
  address: string | null;
  user_agent: string | null;
  request_id: string | null;
  category?: string | null;
};

function entryOf(row: Row): ListedEntry {
  const changes = (typeof row.changes === 'string' ? JSON.parse(row.changes) : (row.changes ?? {})) as Changes;
  return {
    id: String(row.id),
    at: row.at instanceof Date ? row.at.toISOString() : new Date(row.at).toISOString(),
    action: row.action,
    contentType: row.content_type,
    documentId: row.document_id,
    documentName: row.document_name,
    changes,
    actorKind: row.actor_kind as ActorKind,
    actorId: row.actor_id,
    actorName: row.actor_name,
    actorUnit: row.actor_unit,
    address: row.address,
    userAgent: row.user_agent,
    requestId: row.request_id,
    category: row.category ?? null,
  };
}

type Knex = Core.Strapi['db']['connection'];
const knexOf = (strapi: Core.Strapi): Knex => strapi.db.connection;
const dialectOf = (strapi: Core.Strapi): 'postgres' | 'sqlite' =>
  strapi.db.dialect.client === 'postgres' ? 'postgres' : 'sqlite';

let categoryColumn: Promise<boolean> | null = null;
/** Whether the trail has a category column (added by the security events' migration). */
const hasCategory = (strapi: Core.Strapi): Promise<boolean> =>
  (categoryColumn ??= knexOf(strapi).schema.hasColumn('bulletin_audit', 'category'));

/** The documentIds of the items of these units. */
async function unitItems(strapi: Core.Strapi, unitIds: number[]): Promise<string[]> {
  if (unitIds.length === 0) return [];
  const rows = (await strapi.db
    .query(ITEM)
    .findMany({ where: { units: { id: { $in: unitIds } } }, select: ['documentId'] })) as { documentId: string }[];
  return [...new Set(rows.map((row) => row.documentId))];
}

/**
 * How a document other than an issue is named (document_name holds only issues' printed names): an item by its
 * headline, a unit by its short name (and found by its full name too), a recipient group by its name.
 */
const NAMED_BY: Record<string, { shown: string; found: string[] }> = {
  [ITEM]: { shown: 'headline', found: ['headline'] },
  [UNIT]: { shown: 'shortName', found: ['shortName', 'fullName'] },
  [GROUP]: { shown: 'name', found: ['name'] },
};

/** Items, units and groups whose name contains the text (at most 500 of each). */
async function documentsNamed(strapi: Core.Strapi, text: string): Promise<string[]> {
  const found = await Promise.all(
    Object.entries(NAMED_BY).map(
      async ([uid, { found: fields }]) =>
        (await strapi.db.query(uid as typeof ITEM).findMany({
          where: { $or: fields.map((field) => ({ [field]: { $contains: text } })) },
          select: ['documentId'],
          limit: 500,
        })) as { documentId: string }[],
    ),
  );
  return [...new Set(found.flat().map((row) => row.documentId))];
}

/**
 * For the unit filter: the units whose short or full name contains the text, and every item any of them contributed
 * (an item since deleted has no unit any more: its entries are found by its people's unit only).
 */
async function unitDocuments(strapi: Core.Strapi, text: string): Promise<string[]> {
  const units = (await strapi.db.query(UNIT).findMany({
    where: { $or: [{ shortName: { $contains: text } }, { fullName: { $contains: text } }] },
    select: ['id', 'documentId'],
  })) as { id: number; documentId: string }[];
  if (units.length === 0) return [];
  const items = await unitItems(
    strapi,
    units.map((unit) => unit.id),
  );
  return [...new Set([...units.map((unit) => unit.documentId), ...items])];
}

type Listing = { filter: AuditFilter; instants: [Date | null, Date | null]; page: Page };

async function listingOf(
  strapi: Core.Strapi,
  audience: AuditAudience,
  query: Record<string, unknown>,
): Promise<Listing> {
  const parsed = parseAuditQuery(query, timeZoneOf(strapi));
  if ('violations' in parsed) throw validationError(parsed.violations);
  const filter: AuditFilter = { ...parsed.filter, includeSecurity: audience.kind === 'office' && audience.security };
  if (filter.documentName !== undefined) filter.matchingIds = await documentsNamed(strapi, filter.documentName);
  if (filter.unit !== undefined) filter.unitDocumentIds = await unitDocuments(strapi, filter.unit);
  if (audience.kind === 'contributor')
    filter.withinDocuments = { contentType: ITEM, documentIds: await unitItems(strapi, audience.unitIds) };
  return { filter, instants: parsed.instants, page: parsed.page };
}

async function selectEntries(
  strapi: Core.Strapi,
  listing: Listing,
  paged: boolean,
): Promise<{ entries: ListedEntry[]; total: number }> {
  const where = filterSql(listing.filter, listing.instants, {
    dialect: dialectOf(strapi),
    hasCategory: await hasCategory(strapi),
  });
  const knex = knexOf(strapi);
  const counted: { n: string | number }[] = await knex('bulletin_audit')
    .whereRaw(where.sql, where.bindings as never)
    .count({ n: '*' });
  let select = knex<Row>('bulletin_audit')
    .whereRaw(where.sql, where.bindings as never)
    .orderBy('id', 'desc');
  if (paged) select = select.limit(listing.page.pageSize).offset((listing.page.page - 1) * listing.page.pageSize);
  const rows: Row[] = await select;
  return { entries: rows.map(entryOf), total: Number(counted[0]?.n ?? 0) };
}

const shown =
  (audience: AuditAudience) =>
  (entry: ListedEntry): ListedEntry =>
    audience.kind === 'contributor' ? forContributor(entry) : entry;

/** Items' headlines by documentId (an item entry names no document; the list shows the headline). */
/** The names of the items, units and groups the entries are about, as they are now, by documentId. */
async function documentTitles(strapi: Core.Strapi, entries: readonly ListedEntry[]): Promise<Record<string, string>> {
  const titles: Record<string, string> = {};
  await Promise.all(
    Object.entries(NAMED_BY).map(async ([uid, { shown }]) => {
      const ids = [
        ...new Set(
          entries
            .filter((entry) => entry.contentType === uid && entry.documentId !== null)
            .map((entry) => entry.documentId as string),
        ),
      ];
      if (ids.length === 0) return;
      const rows = (await strapi.db
        .query(uid)
        .findMany({ where: { documentId: { $in: ids } }, select: ['documentId', shown] })) as Record<string, unknown>[];
      for (const row of rows) if (typeof row[shown] === 'string') titles[row.documentId as string] = row[shown];
    }),
  );
  return titles;
}

/**
 * An issue's printed name as written; anything else's name now, or (deleted since) the name the entry itself records:
 * the one it had before the change, or the one it was given.
 */
const titleOf = (entry: ListedEntry, titles: Record<string, string>): string | null => {
  if (entry.documentName !== null) return entry.documentName;
  const now = entry.documentId === null ? undefined : titles[entry.documentId];
  if (now !== undefined) return now;
  const field = NAMED_BY[entry.contentType]?.shown;
  const change = field === undefined ? undefined : entry.changes[field];
  if (typeof change?.old === 'string') return change.old;
  return typeof change?.new === 'string' ? change.new : null;
};

/** An entry as a list shows it: labels, title and office time added. */
function presented(strapi: Core.Strapi, entry: ListedEntry, titles: Record<string, string>) {
  return {
    ...entry,
    title: titleOf(entry, titles),
    actionLabel: actionLabel(entry.action),
    contentTypeLabel: contentTypeLabel(entry.contentType),
    officeTime: officeTime(entry.at, timeZoneOf(strapi)),
    security: isSecurityEntry(entry),
  };
}

export async function auditEntries(strapi: Core.Strapi, audience: AuditAudience, query: Record<string, unknown>) {
  const listing = await listingOf(strapi, audience, query);
  const { entries, total } = await selectEntries(strapi, listing, true);
  const titles = await documentTitles(strapi, entries);
  return {
    entries: entries.map(shown(audience)).map((entry) => presented(strapi, entry, titles)),
    pagination: {
      page: listing.page.page,
      pageSize: listing.page.pageSize,
      total,
      pageCount: Math.ceil(total / listing.page.pageSize),
    },
  };
}

async function entryDetail(strapi: Core.Strapi, audience: AuditAudience, id: string) {
  if (!/^\d{1,18}$/.test(id)) throw new errors.NotFoundError('没有这条记录');
  const row: Row | undefined = await knexOf(strapi)<Row>('bulletin_audit').where({ id }).first();
  if (row === undefined) throw new errors.NotFoundError('没有这条记录');
  const entry = entryOf(row);
  if (audience.kind === 'office' && !audience.security && isSecurityEntry(entry))
    throw new errors.NotFoundError('没有这条记录');
  return {
    ...presented(strapi, entry, await documentTitles(strapi, [entry])),
    changeViews: changeViews(entry.changes),
  };
}

// ---- histories ----------------------------------------------------------------------------------------------------

const DOCUMENT_ID = /^[A-Za-z0-9_-]{1,64}$/;

async function issueNames(strapi: Core.Strapi, documentIds: string[]): Promise<Record<string, string>> {
  if (documentIds.length === 0) return {};
  const rows = (await strapi.db
    .query(ISSUE)
    .findMany({ where: { documentId: { $in: documentIds } }, select: ['documentId', 'title', 'publishedAt'] })) as {
    documentId: string;
    title: string | null;
    publishedAt: unknown;
  }[];
  const names: Record<string, string> = {};
  for (const row of rows)
    if (typeof row.title === 'string' && (names[row.documentId] === undefined || row.publishedAt !== null))
      names[row.documentId] = row.title;
  return names;
}

export type History = { documentId: string; title: string; steps: (TimelineStep & { officeTime: string })[] };

/** An item's 办理记录: 404 when there is no such item, 403 when a contributor's unit did not contribute it. */
export async function itemHistory(strapi: Core.Strapi, audience: AuditAudience, documentId: unknown): Promise<History> {
  if (typeof documentId !== 'string' || !DOCUMENT_ID.test(documentId)) throw new errors.NotFoundError('没有这条信息');
  const item = (await strapi.db.query(ITEM).findOne({
    where: { documentId },
    select: ['documentId', 'headline'],
    populate: { units: { select: ['id'] }, issue: { select: ['documentId'] } },
  })) as { headline: string; units?: { id: number }[]; issue?: { documentId: string } | null } | null;
  if (item === null) throw new errors.NotFoundError('没有这条信息');
  if (audience.kind === 'contributor' && !(item.units ?? []).some((unit) => audience.unitIds.includes(unit.id))) {
    throw new errors.ForbiddenError('只能查看本单位信息的办理记录');
  }
  const knex = knexOf(strapi);
  const own: Row[] = await knex<Row>('bulletin_audit').where({ content_type: ITEM, document_id: documentId });
  const mentioning: Row[] = await knex<Row>('bulletin_audit')
    .where({ content_type: ISSUE })
    .whereRaw('CAST(changes AS TEXT) LIKE ?', [`%${JSON.stringify(documentId)}%`]);
  const issues = new Set<string>();
  for (const entry of [...own, ...mentioning].map(entryOf)) {
    if (entry.contentType === ISSUE && entry.documentId !== null) issues.add(entry.documentId);
    const placed = entry.changes.issue?.new;
    if (typeof placed === 'string') issues.add(placed);
  }
  if (item.issue?.documentId !== undefined) issues.add(item.issue.documentId);
  const signOffs: Row[] =
    issues.size === 0
      ? []
      : await knex<Row>('bulletin_audit')
          .where({ content_type: ISSUE })
          .whereIn('document_id', [...issues])
          .whereIn('action', ['publish', 'unpublish']);
  const byId = new Map<string, ListedEntry>();
  for (const row of [...own, ...mentioning, ...signOffs]) byId.set(String(row.id), entryOf(row));
  const steps = itemTimeline(documentId, [...byId.values()], await issueNames(strapi, [...issues]));
  return {
    documentId,
    title: item.headline,
    steps: steps.map((step) => ({ ...step, officeTime: officeTime(step.at, timeZoneOf(strapi)) })),
  };
}

/** An issue's history (admin only). */
async function issueHistory(strapi: Core.Strapi, documentId: string): Promise<History> {
  if (!DOCUMENT_ID.test(documentId)) throw new errors.NotFoundError('没有这一期');
  const names = await issueNames(strapi, [documentId]);
  const rows: Row[] = await knexOf(strapi)<Row>('bulletin_audit').where({
    content_type: ISSUE,
    document_id: documentId,
  });
  if (names[documentId] === undefined && rows.length === 0) throw new errors.NotFoundError('没有这一期');
  const steps = issueTimeline(rows.map(entryOf));
  return {
    documentId,
    title: names[documentId] ?? '',
    steps: steps.map((step) => ({ ...step, officeTime: officeTime(step.at, timeZoneOf(strapi)) })),
  };
}

/** Who has read a signed-off issue sent to them, and who has not yet (阅读情况; admin only). */
export type IssueReadingView = {
  documentId: string;
  title: string;
  signedOff: boolean;
  read: { name: string | null; unit: string | null; officeTime: string }[];
  notYetRead: { name: string | null; unit: string | null }[];
};

async function issueReadingView(strapi: Core.Strapi, documentId: string): Promise<IssueReadingView> {
  if (!DOCUMENT_ID.test(documentId)) throw new errors.NotFoundError('没有这一期');
  const names = await issueNames(strapi, [documentId]);
  if (names[documentId] === undefined) throw new errors.NotFoundError('没有这一期');
  const found = await issueReading(strapi, documentId);
  const reading = found ?? [];
  const zone = timeZoneOf(strapi);
  return {
    documentId,
    title: names[documentId],
    signedOff: found !== null,
    read: reading.flatMap((reader) =>
      reader.readAt === null
        ? []
        : [{ name: reader.name, unit: reader.unit, officeTime: officeTime(reader.readAt, zone) }],
    ),
    notYetRead: notYetReadOf(reading).map((reader) => ({ name: reader.name, unit: reader.unit })),
  };
}

// ---- CSV ----------------------------------------------------------------------------------------------------------

/** Every entry the filter selects (no paging), newest first, as CSV. */
async function sendCsv(strapi: Core.Strapi, audience: AuditAudience, ctx: RouteContext): Promise<void> {
  const listing = await listingOf(strapi, audience, ctx.query);
  const { entries } = await selectEntries(strapi, listing, false);
  const titles = await documentTitles(strapi, entries);
  ctx.set(
    'Content-Disposition',
    `attachment; filename="audit.csv"; filename*=UTF-8''${encodeURIComponent('操作日志.csv')}`,
  );
  ctx.set('Cache-Control', 'no-store');
  ctx.type = 'text/csv; charset=utf-8';
  ctx.body = entriesCsv(
    entries.map(shown(audience)).map((entry) => ({ ...entry, title: titleOf(entry, titles) })),
    timeZoneOf(strapi),
  );
}

// ---- routes -------------------------------------------------------------------------------------------------------

export function registerAuditViewRoutes(strapi: Core.Strapi): void {
  const route = (path: string, handle: (ctx: RouteContext, audience: AuditAudience) => Promise<unknown>) => ({
    method: 'GET',
    path,
    handler: async (ctx: RouteContext) => {
      const audience = adminAudience(ctx);
      const body = await handle(ctx, audience);
      if (body !== undefined) {
        ctx.set('Cache-Control', 'no-store');
        ctx.body = body;
      }
    },
    config: { policies: ['admin::isAuthenticatedAdmin'] },
  });
  strapi.server.routes({
    type: 'admin',
    prefix: '/bulletin-audit',
    routes: [
      route('/options', (_ctx, audience) =>
        Promise.resolve({
          actions: Object.entries(ACTION_LABELS).map(([action, label]) => ({ action, label })),
          types: Object.values(CONTENT_TYPES).filter((type) => type !== undefined),
          security: audience.kind === 'office' && audience.security,
        }),
      ),
      route('/entries', (ctx, audience) => auditEntries(strapi, audience, ctx.query)),
      route('/entries/:id', (ctx, audience) => entryDetail(strapi, audience, ctx.params.id ?? '')),
      route('/export.csv', async (ctx, audience) => {
        await sendCsv(strapi, audience, ctx);
        return undefined;
      }),
      route('/items/:documentId/history', (ctx, audience) => itemHistory(strapi, audience, ctx.params.documentId)),
      route('/issues/:documentId/history', (ctx) => issueHistory(strapi, ctx.params.documentId ?? '')),
      route('/issues/:documentId/reads', (ctx) => issueReadingView(strapi, ctx.params.documentId ?? '')),
    ],
  } as never);
}

/** REST controllers (src/api/audit-entry): protocol only. */
export const restAuditEntries = async (strapi: Core.Strapi, ctx: RouteContext): Promise<void> => {
  ctx.body = await auditEntries(strapi, await contentAudience(strapi), ctx.query);
};
export const restItemHistory = async (strapi: Core.Strapi, ctx: RouteContext): Promise<void> => {
  ctx.body = { data: await itemHistory(strapi, await contentAudience(strapi), ctx.params.documentId) };
};

/** GraphQL: auditEntries(…) and itemHistory(documentId), the same rules as REST. */
export function registerAuditViewsInGraphQL(strapi: Core.Strapi): void {
  addQueryFields(strapi, (nexus: Nexus) => ({
    types: [
      nexus.objectType({
        name: 'BulletinAuditEntry',
        description: 'One entry of the audit trail (留痕).',
        definition(t) {
          t.nonNull.id('id');
          t.nonNull.string('at');
          t.nonNull.string('officeTime');
          t.nonNull.string('action');
          t.nonNull.string('actionLabel');
          t.nonNull.string('contentType');
          t.nonNull.string('contentTypeLabel');
          t.string('documentId');
          t.string('documentName');
          t.nonNull.field('changes', { type: 'JSON' });
          t.nonNull.string('actorKind');
          t.string('actorName');
          t.string('actorUnit');
          t.string('address');
        },
      }),
      nexus.objectType({
        name: 'BulletinAuditPagination',
        definition(t) {
          t.nonNull.int('page');
          t.nonNull.int('pageSize');
          t.nonNull.int('total');
          t.nonNull.int('pageCount');
        },
      }),
      nexus.objectType({
        name: 'BulletinAuditEntries',
        definition(t) {
          t.nonNull.list.nonNull.field('entries', { type: 'BulletinAuditEntry' });
          t.nonNull.field('pagination', { type: 'BulletinAuditPagination' });
        },
      }),
      nexus.objectType({
        name: 'BulletinHistoryStep',
        definition(t) {
          t.nonNull.id('id');
          t.nonNull.string('at');
          t.nonNull.string('officeTime');
          t.nonNull.string('action');
          t.nonNull.string('label');
          t.string('actorName');
          t.string('actorUnit');
          t.nonNull.string('detail');
        },
      }),
      nexus.objectType({
        name: 'BulletinItemHistory',
        definition(t) {
          t.nonNull.string('documentId');
          t.nonNull.string('title');
          t.nonNull.list.nonNull.field('steps', { type: 'BulletinHistoryStep' });
        },
      }),
    ],
    fields: {
      auditEntries: {
        type: 'BulletinAuditEntries',
        nonNull: true,
        description: 'The audit trail, newest first; the same filters as GET /api/audit-entries.',
        args: {
          actor: nexus.stringArg(),
          unit: nexus.stringArg({
            description: "a part of a unit's name: its people's entries, and those about it and its items",
          }),
          action: nexus.stringArg({ description: 'action names, comma-separated (publish, adopt, return …)' }),
          type: nexus.stringArg({ description: 'issue | item | unit | recipient-group' }),
          document: nexus.stringArg({ description: 'a documentId' }),
          documentName: nexus.stringArg({
            description:
              "a part of a document's name: an issue's printed name, an item's headline, a unit's or group's name",
          }),
          from: nexus.stringArg({ description: 'YYYY-MM-DD, office time' }),
          to: nexus.stringArg({ description: 'YYYY-MM-DD, office time, included' }),
          page: nexus.intArg(),
          pageSize: nexus.intArg(),
        },
        resolve: async (_parent, args: Record<string, unknown>) =>
          auditEntries(strapi, await contentAudience(strapi), args),
        scope: 'api::audit-entry.audit-entry.find',
      },
      itemHistory: {
        type: 'BulletinItemHistory',
        nonNull: true,
        description: "An item's 办理记录: submitted, returned (with the reason), adopted, placed, signed off.",
        args: { documentId: nexus.nonNull(nexus.idArg()) },
        resolve: async (_parent, args: { documentId: unknown }) =>
          itemHistory(strapi, await contentAudience(strapi), args.documentId),
        scope: 'api::audit-entry.audit-entry.history',
      },
    },
  }));
}
