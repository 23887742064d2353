import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import {
  alwaysPrintedLines,
  deskPermissions,
  deskRefusal,
  isDocumentId,
  personName,
  saveListViolations,
  signOffChecklist,
  staleVersionMessage,
  type DeskAction,
  type DeskItem,
  type DeskPermissions,
  type LineCounts,
} from '../domain/desk';
import { footerDefaults, RECIPIENT_LINES, type FooterSource } from '../domain/footer';
import { issueNumberLabel, issueTitleLabel, EDITIONS, type Edition } from '../domain/labels';
import { isStorableText, type RecordInput } from '../domain/record';
import type { ItemState } from '../domain/workflow';
import { currentViewer } from './access';
import { throwIfViolations, validationError } from './errors';
import { sendIssueFile, type ExportFormat } from './exports';
import { recordInput } from './record';
import { numberingContext } from './settings';
import { buildIssueRecord } from '../domain/record';

/**
 * The compose desk's server side (src/domain/desk.ts has the rules; src/admin/pages/desk.tsx is the page): admin
 * routes under /bulletin-desk, behind Strapi's admin login. Who may do what comes from the caller's admin
 * permissions; every write goes through the Document Service, so numbering, attribution, the workflow and the
 * signed-off freeze apply exactly as in the content manager.
 *
 *   GET  /bulletin-desk?issue=…                       the desk: queue, tray, drafts, the issue being composed
 *   POST /bulletin-desk/items/:documentId/adopt        采用
 *   POST /bulletin-desk/items/:documentId/return       退回 { reason }
 *   POST /bulletin-desk/issues                         the next issue { publication, edition }
 *   PUT  /bulletin-desk/issues/:documentId             save { version, items: [documentId…], date? }
 *   POST /bulletin-desk/issues/:documentId/sign-off    签发 { version }
 *   GET  /bulletin-desk/issues/:documentId/pdf|docx    the draft as PDF / Word
 */

const ISSUE = 'api::issue.issue';
const ITEM = 'api::item.item';
const CM = 'plugin::content-manager.explorer';

type Ability = { can: (action: string, subject: string) => boolean };
type AdminUser = { id: number; firstname?: string | null; lastname?: string | null; email?: string | null };
type DeskContext = {
  state: { user?: AdminUser; userAbility?: Ability };
  params: Record<string, string>;
  query: Record<string, unknown>;
  request: { body?: unknown };
  status: number;
  body: unknown;
  type: string;
  set: (name: string, value: string) => void;
  throw: (status: number, message: string) => never;
};

async function permissionsOf(strapi: Core.Strapi, ctx: DeskContext): Promise<DeskPermissions> {
  const ability = ctx.state.userAbility;
  const can = (action: string, subject: string) => ability?.can(`${CM}.${action}`, subject) === true;
  const viewer = await currentViewer(strapi);
  return deskPermissions({
    unitStaff: viewer.kind !== 'staff',
    readIssues: can('read', ISSUE),
    updateIssues: can('update', ISSUE),
    createIssues: can('create', ISSUE),
    updateItems: can('update', ITEM),
    publishIssues: can('publish', ISSUE),
  });
}

async function allow(strapi: Core.Strapi, ctx: DeskContext, action: DeskAction): Promise<DeskPermissions> {
  const permissions = await permissionsOf(strapi, ctx);
  const refusal = deskRefusal(permissions, action);
  if (refusal !== null) throw new errors.PolicyError(refusal);
  return permissions;
}

const bodyOf = (ctx: DeskContext): Record<string, unknown> => {
  const body = ctx.request.body;
  return typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
};

/** The :documentId of the route, or a 404 when it cannot name a document. */
function pathDocumentId(ctx: DeskContext, what: string): string {
  const documentId = ctx.params.documentId;
  if (!isDocumentId(documentId)) throw new errors.NotFoundError(what);
  return documentId;
}

const iso = (value: unknown): string =>
  value instanceof Date ? value.toISOString() : typeof value === 'string' ? new Date(value).toISOString() : '';

// ---- reading --------------------------------------------------------------------------------------------------------

type ItemRow = {
  documentId: string;
  headline: string;
  body: string | null;
  adoptionKind: string;
  state: ItemState;
  section: string | null;
  createdAt: unknown;
  updatedAt: unknown;
  units?: { shortName: string }[];
  issue?: { documentId: string } | null;
  submittedBy?: { username?: string } | null;
  createdBy?: AdminUser | null;
};

const ITEM_FIELDS = ['documentId', 'headline', 'body', 'adoptionKind', 'state', 'section', 'createdAt', 'updatedAt'];
const ITEM_POPULATE = {
  units: { select: ['shortName'] },
  issue: { select: ['documentId'] },
  submittedBy: { select: ['username'] },
  createdBy: { select: ['firstname', 'lastname', 'email'] },
};

function deskItem(row: ItemRow): DeskItem {
  return {
    documentId: row.documentId,
    headline: row.headline,
    body: row.body ?? '',
    units: (row.units ?? []).map((unit) => unit.shortName),
    adoptionKind: row.adoptionKind,
    state: row.state,
    submitter: row.submittedBy?.username ?? personName(row.createdBy),
    createdAt: iso(row.createdAt),
    updatedAt: iso(row.updatedAt),
    issue: row.issue?.documentId ?? null,
    section: row.section ?? null,
  };
}

/** Submitted items and adopted items in no issue: the queue and the tray. */
async function queueAndTray(strapi: Core.Strapi): Promise<DeskItem[]> {
  const rows = (await strapi.db.query(ITEM).findMany({
    where: { $or: [{ state: 'submitted' }, { state: 'adopted', issue: { id: { $null: true } } }] },
    select: ITEM_FIELDS,
    populate: ITEM_POPULATE,
    orderBy: [{ updatedAt: 'desc' }, { id: 'desc' }],
  })) as ItemRow[];
  return rows.map(deskItem);
}

export type DeskIssue = {
  documentId: string;
  version: string;
  savedBy: string | null;
  title: string;
  label: string;
  signedOff: boolean;
  /** What the print renders, without its items (the page adds them in the order shown). */
  head: Omit<RecordInput, 'items'>;
  lineCounts: LineCounts;
  expectedLines: string[];
  items: DeskItem[];
  checklist: { path: string[]; message: string }[];
};

async function lineCountsOfLatest(strapi: Core.Strapi, publication: string, except: string): Promise<LineCounts[]> {
  const rows = (await strapi.db.query(ISSUE).findMany({
    where: { publication, publishedAt: { $notNull: true }, documentId: { $ne: except } },
    orderBy: [{ date: 'desc' }, { number: 'desc' }, { id: 'desc' }],
    limit: 3,
    select: ['id'],
    populate: Object.fromEntries(RECIPIENT_LINES.map((line) => [line, { select: ['id'] }])),
  })) as Record<string, unknown[] | undefined>[];
  return rows.map((row) => countLines(row));
}

const countLines = (row: Record<string, unknown>): LineCounts =>
  Object.fromEntries(
    RECIPIENT_LINES.map((line) => [line, Array.isArray(row[line]) ? (row[line] as unknown[]).length : 0]),
  ) as LineCounts;

export async function deskIssue(strapi: Core.Strapi, documentId: string): Promise<DeskIssue | null> {
  const draft = (await strapi.db.query(ISSUE).findOne({
    where: { documentId, publishedAt: null },
    select: ['id', 'documentId', 'title', 'publication', 'edition', 'year', 'number', 'updatedAt'],
    populate: { updatedBy: { select: ['firstname', 'lastname', 'email'] } },
  })) as {
    id: number;
    title: string | null;
    publication: string;
    edition: Edition;
    year: number | null;
    number: number | null;
    updatedAt: unknown;
    updatedBy?: AdminUser | null;
  } | null;
  if (draft === null) return null;
  const [built, published, rows, latest] = await Promise.all([
    recordInput(strapi, documentId, 'draft'),
    strapi.db.query(ISSUE).count({ where: { documentId, publishedAt: { $notNull: true } } }),
    strapi.db.query(ITEM).findMany({
      where: { issue: { documentId } },
      select: ITEM_FIELDS,
      populate: ITEM_POPULATE,
      orderBy: [{ position: 'asc' }, { id: 'asc' }],
    }),
    lineCountsOfLatest(strapi, draft.publication, documentId),
  ]);
  if (built === null) return null;
  const { items: _printed, ...head } = built.input;
  const items = (rows as ItemRow[]).map(deskItem);
  const lineCounts = Object.fromEntries(RECIPIENT_LINES.map((line) => [line, head.lines[line].length])) as LineCounts;
  const expectedLines = alwaysPrintedLines(latest);
  return {
    documentId,
    version: iso(draft.updatedAt),
    savedBy: personName(draft.updatedBy),
    title: draft.title ?? issueTitleLabel(draft.publication, draft.year, draft.edition, draft.number),
    label: issueNumberLabel(draft.edition, draft.number),
    signedOff: published > 0,
    head,
    lineCounts,
    expectedLines,
    items,
    checklist: signOffChecklist({
      hasIssuer: head.issuer !== null,
      date: head.date,
      items,
      lines: lineCounts,
      expectedLines,
    }),
  };
}

type DraftRow = {
  documentId: string;
  title: string | null;
  publication: string;
  edition: Edition;
  year: number | null;
  number: number | null;
  date: Date | string | null;
};
type DraftSummary = { documentId: string; title: string; label: string; date: string | null };

/** Issues never signed off (the drafts an editor may pick), newest first. */
async function drafts(strapi: Core.Strapi): Promise<DraftSummary[]> {
  const rows = await strapi.db
    .connection('issues as d')
    .leftJoin('issues as p', (join) => {
      join.on('p.document_id', 'd.document_id').andOnNotNull('p.published_at');
    })
    .whereNull('d.published_at')
    .whereNull('p.id')
    .orderBy([
      { column: 'd.date', order: 'desc', nulls: 'first' },
      { column: 'd.id', order: 'desc' },
    ])
    .limit(30)
    .select<DraftRow[]>(
      'd.document_id as documentId',
      'd.title as title',
      'd.publication as publication',
      'd.edition as edition',
      'd.year as year',
      'd.number as number',
      'd.date as date',
    );
  return rows.map((row) => ({
    documentId: row.documentId,
    title: row.title ?? issueTitleLabel(row.publication, row.year, row.edition, row.number),
    label: issueNumberLabel(row.edition, row.number),
    date: row.date === null ? null : row.date instanceof Date ? row.date.toISOString().slice(0, 10) : row.date,
  }));
}

type NextIssue = {
  publication: string;
  edition: Edition;
  year: number;
  number: number;
  label: string;
  columnTitle: string | null;
};

/** The next issue of each publication and edition as it will be numbered and printed today. */
async function nextIssues(strapi: Core.Strapi): Promise<NextIssue[]> {
  const context = numberingContext(strapi);
  const year = Number(context.today.slice(0, 4));
  const configured = Object.keys(strapi.config.get<Record<string, unknown>>('bulletin.publications', {}));
  const known = (await strapi.db.connection('issues').distinct('publication').limit(50)) as { publication: string }[];
  const publications = [
    ...new Set([context.defaultPublication, ...configured, ...known.map((row) => row.publication)]),
  ];
  const maxima = await strapi.db
    .connection('issues')
    .where('year', year)
    .whereIn('publication', publications)
    .groupBy('publication', 'edition')
    .select('publication', 'edition')
    .max<{ publication: string; edition: Edition; number: number | null }[]>({ number: 'number' });
  const columns = await Promise.all(
    publications.map(async (publication) => {
      const where = (publishedAt: unknown) => ({
        where: { publication, publishedAt },
        orderBy: [{ date: 'desc' }, { number: 'desc' }, { id: 'desc' }],
        select: ['columnTitle'],
      });
      const latest = ((await strapi.db.query(ISSUE).findOne(where({ $notNull: true }))) ??
        (await strapi.db.query(ISSUE).findOne(where(null)))) as { columnTitle: string | null } | null;
      return latest?.columnTitle ?? null;
    }),
  );
  return publications.flatMap((publication, index) =>
    EDITIONS.map((edition) => {
      const max = maxima.find((row) => row.publication === publication && row.edition === edition)?.number ?? 0;
      const number = Number(max) + 1;
      return {
        publication,
        edition,
        year,
        number,
        label: issueNumberLabel(edition, number),
        columnTitle: columns[index] ?? null,
      };
    }),
  );
}

async function sendDesk(strapi: Core.Strapi, ctx: DeskContext): Promise<void> {
  const permissions = await allow(strapi, ctx, 'open');
  const wanted = ctx.query.issue === undefined || ctx.query.issue === '' ? null : ctx.query.issue;
  if (wanted !== null && !isDocumentId(wanted)) throw new errors.NotFoundError('没有这一期');
  const [items, draftList, next, issue] = await Promise.all([
    queueAndTray(strapi),
    drafts(strapi),
    nextIssues(strapi),
    wanted === null ? Promise.resolve(null) : deskIssue(strapi, wanted),
  ]);
  if (wanted !== null && issue === null) throw new errors.NotFoundError('没有这一期');
  ctx.set('Cache-Control', 'private, no-store');
  ctx.body = { data: { permissions, items, drafts: draftList, next, issue, today: numberingContext(strapi).today } };
}

// ---- review ---------------------------------------------------------------------------------------------------------

async function review(strapi: Core.Strapi, ctx: DeskContext, state: 'adopted' | 'returned'): Promise<void> {
  const { user } = ctx.state;
  await allow(strapi, ctx, 'review');
  const documentId = pathDocumentId(ctx, '没有这条信息');
  const exists = await strapi.db.query(ITEM).findOne({ where: { documentId }, select: ['id'] });
  if (exists === null) throw new errors.NotFoundError('没有这条信息');
  const data: Record<string, unknown> = { state, updatedBy: user?.id };
  if (state === 'returned') {
    const reason = bodyOf(ctx).reason;
    if (reason !== undefined && reason !== null && typeof reason !== 'string')
      throwIfViolations([{ path: ['reason'], message: '退回理由（reason）须为文字' }]);
    data.returnReason = typeof reason === 'string' ? reason.trim() : null;
  }
  await strapi.documents(ITEM).update({ documentId, data: data as never });
  const row = (await strapi.db
    .query(ITEM)
    .findOne({ where: { documentId }, select: ITEM_FIELDS, populate: ITEM_POPULATE })) as ItemRow;
  ctx.body = { data: deskItem(row) };
}

// ---- composing ------------------------------------------------------------------------------------------------------

/**
 * What a new issue starts from: the publication's latest signed-off issue (what was last printed), or its latest
 * issue when none is signed off yet. Its issuer, column, footer lines and footer names.
 */
async function latestPrinted(
  strapi: Core.Strapi,
  publication: string,
): Promise<(FooterSource & { columnTitle: string | null }) | null> {
  const groupPopulate = { populate: { group: { select: ['documentId'] } } };
  const find = (publishedAt: unknown) =>
    strapi.db.query(ISSUE).findOne({
      where: { publication, publishedAt },
      orderBy: [{ date: 'desc' }, { number: 'desc' }, { id: 'desc' }],
      select: ['columnTitle', 'editors', 'reviewer', 'signer'],
      populate: {
        issuer: { select: ['documentId'] },
        reportTo: groupPopulate,
        sendTo: groupPopulate,
        distributeTo: groupPopulate,
        copyTo: groupPopulate,
      },
    }) as Promise<(FooterSource & { columnTitle: string | null }) | null>;
  return (await find({ $notNull: true })) ?? (await find(null));
}

async function createNext(strapi: Core.Strapi, ctx: DeskContext): Promise<void> {
  const { user } = ctx.state;
  await allow(strapi, ctx, 'compose');
  const body = bodyOf(ctx);
  const context = numberingContext(strapi);
  if (
    body.publication !== undefined &&
    body.publication !== null &&
    (typeof body.publication !== 'string' || !isStorableText(body.publication) || body.publication.length > 40)
  ) {
    throwIfViolations([{ path: ['publication'], message: '刊名（publication）须为文字，最多40字' }]);
  }
  const publication =
    typeof body.publication === 'string' && body.publication.trim() !== ''
      ? body.publication.trim()
      : context.defaultPublication;
  const edition = body.edition === undefined ? 'regular' : body.edition;
  if (typeof edition !== 'string' || !(EDITIONS as readonly string[]).includes(edition)) {
    throwIfViolations([{ path: ['edition'], message: `版别（edition）须为 ${EDITIONS.join(' / ')}` }]);
  }
  const latest = await latestPrinted(strapi, publication);
  const data: Record<string, unknown> = {
    publication,
    edition,
    date: context.today,
    createdBy: user?.id,
    updatedBy: user?.id,
  };
  if (latest !== null) {
    if (latest.columnTitle !== null && latest.columnTitle !== undefined) data.columnTitle = latest.columnTitle;
    Object.assign(data, footerDefaults(data, latest));
  }
  const created = await strapi.documents(ISSUE).create({ data: data as never });
  ctx.status = 201;
  ctx.body = { data: await deskIssue(strapi, created.documentId) };
}

type Stale = { stale: string; issue: DeskIssue | null };

/** 409 with the reloaded issue: the page shows the message and what is saved now. */
function sendStale(ctx: DeskContext, stale: Stale): void {
  ctx.status = 409;
  ctx.body = {
    data: null,
    error: { status: 409, name: 'ConflictError', message: stale.stale, details: { issue: stale.issue } },
  };
}

/** The draft, locked until the transaction ends on PostgreSQL, and who saved it last: the version a save must match. */
async function currentVersion(
  strapi: Core.Strapi,
  documentId: string,
): Promise<{ version: string; savedBy: string | null } | null> {
  await strapi.db.transaction(async ({ trx }) => {
    if ((strapi.db.dialect as { client?: string }).client === 'postgres') {
      await trx('issues').where({ document_id: documentId }).whereNull('published_at').forUpdate().select('id');
    }
  });
  const row = (await strapi.db.query(ISSUE).findOne({
    where: { documentId, publishedAt: null },
    select: ['updatedAt'],
    populate: { updatedBy: { select: ['firstname', 'lastname', 'email'] } },
  })) as { updatedAt: unknown; updatedBy?: AdminUser | null } | null;
  return row === null ? null : { version: iso(row.updatedAt), savedBy: personName(row.updatedBy) };
}

function listedItems(value: unknown): string[] {
  if (!Array.isArray(value) || value.length > 500 || !value.every((entry) => isDocumentId(entry))) {
    throw validationError([{ path: ['items'], message: '信息列表（items）须为信息的 documentId 列表' }]);
  }
  return value;
}

async function save(strapi: Core.Strapi, ctx: DeskContext): Promise<void> {
  const { user } = ctx.state;
  await allow(strapi, ctx, 'compose');
  const documentId = pathDocumentId(ctx, '没有这一期');
  const body = bodyOf(ctx);
  const listed = listedItems(body.items);
  const date = body.date;
  if (date !== undefined && date !== null && (typeof date !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(date))) {
    throwIfViolations([{ path: ['date'], message: '签发日期（date）须为 YYYY-MM-DD' }]);
  }
  const outcome = await strapi.db.transaction(async (): Promise<Stale | null> => {
    const current = await currentVersion(strapi, documentId);
    if (current === null) throw new errors.NotFoundError('没有这一期');
    const stale = staleVersionMessage(typeof body.version === 'string' ? body.version : null, current);
    if (stale !== null) return { stale, issue: null };
    const found = (await strapi.db.query(ITEM).findMany({
      where: { documentId: { $in: listed } },
      select: ['documentId', 'headline', 'state'],
      populate: { issue: { select: ['documentId'] } },
    })) as { documentId: string; headline: string; state: ItemState; issue?: { documentId: string } | null }[];
    throwIfViolations(
      saveListViolations(
        listed,
        found.map((item) => ({ ...item, issue: item.issue?.documentId ?? null })),
        documentId,
      ),
    );
    const data: Record<string, unknown> = { items: listed, updatedBy: user?.id };
    if (date !== undefined) data.date = date;
    await strapi.documents(ISSUE).update({ documentId, data: data as never });
    return null;
  });
  if (outcome !== null) {
    sendStale(ctx, { ...outcome, issue: await deskIssue(strapi, documentId) });
    return;
  }
  ctx.body = { data: await deskIssue(strapi, documentId) };
}

async function signOff(strapi: Core.Strapi, ctx: DeskContext): Promise<void> {
  await allow(strapi, ctx, 'signOff');
  const documentId = pathDocumentId(ctx, '没有这一期');
  const body = bodyOf(ctx);
  const outcome = await strapi.db.transaction(async (): Promise<Stale | null> => {
    const current = await currentVersion(strapi, documentId);
    if (current === null) throw new errors.NotFoundError('没有这一期');
    const stale = staleVersionMessage(typeof body.version === 'string' ? body.version : null, current);
    if (stale !== null) return { stale, issue: null };
    const issue = await deskIssue(strapi, documentId);
    if (issue === null) throw new errors.NotFoundError('没有这一期');
    throwIfViolations(issue.checklist);
    await strapi.documents(ISSUE).publish({ documentId });
    return null;
  });
  if (outcome !== null) {
    sendStale(ctx, { ...outcome, issue: await deskIssue(strapi, documentId) });
    return;
  }
  ctx.body = { data: await deskIssue(strapi, documentId) };
}

// ---- the draft on paper ---------------------------------------------------------------------------------------------

async function download(strapi: Core.Strapi, ctx: DeskContext, format: ExportFormat): Promise<void> {
  await allow(strapi, ctx, 'open');
  const built = await recordInput(strapi, pathDocumentId(ctx, '没有这一期'), 'draft');
  if (built === null) throw new errors.NotFoundError('没有这一期');
  await sendIssueFile(strapi, ctx, buildIssueRecord(built.input), format, 'draft');
}

// ---- registration ---------------------------------------------------------------------------------------------------

export function registerDeskRoutes(strapi: Core.Strapi): void {
  const route = (method: 'GET' | 'POST' | 'PUT', path: string, handle: (ctx: DeskContext) => Promise<void>) => ({
    method,
    path,
    handler: (ctx: DeskContext) => handle(ctx),
    config: { policies: ['admin::isAuthenticatedAdmin'] },
  });
  strapi.server.routes({
    type: 'admin',
    prefix: '/bulletin-desk',
    routes: [
      route('GET', '/', (ctx) => sendDesk(strapi, ctx)),
      route('POST', '/items/:documentId/adopt', (ctx) => review(strapi, ctx, 'adopted')),
      route('POST', '/items/:documentId/return', (ctx) => review(strapi, ctx, 'returned')),
      route('POST', '/issues', (ctx) => createNext(strapi, ctx)),
      route('PUT', '/issues/:documentId', (ctx) => save(strapi, ctx)),
      route('POST', '/issues/:documentId/sign-off', (ctx) => signOff(strapi, ctx)),
      route('GET', '/issues/:documentId/pdf', (ctx) => download(strapi, ctx, 'pdf')),
      route('GET', '/issues/:documentId/docx', (ctx) => download(strapi, ctx, 'docx')),
    ],
  } as never);
}
