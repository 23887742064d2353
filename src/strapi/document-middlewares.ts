import type { Core, Modules } from '@strapi/strapi';
import { issueFieldViolations, type IssueFieldInput } from '../domain/issue-fields';
import { signsOff } from '../domain/sign-off';
import { ownedFields, ownedFieldViolations } from '../domain/owned-fields';
import { throwIfViolations } from './errors';
import { issueNumbering, refuseDeletingPublished } from './numbering';
import { readScope } from './access';
import { itemWrite, signOff, unitDelete } from './workflow';
import { issueItemsWrite } from './issue-items';
import { footerFromLatest, syncRecipientLabels } from './footer';
import { validateDocumentParams } from './validity';

/**
 * Once-per-document rules, on the one path REST, GraphQL and the admin all take: the Document Service.
 * (Database lifecycles fire once per row: twice for a published create, again on every publish.)
 * Rules that read after writing run inside one transaction with the write, so a refusal leaves nothing behind.
 */

const ITEM = 'api::item.item';
const ISSUE = 'api::issue.issue';
const UNIT = 'api::unit.unit';
const GROUP = 'api::recipient-group.recipient-group';

type Context = Modules.Documents.Middleware.Context;
type Next = () => Promise<unknown>;

/** Fields the app owns (src/domain/owned-fields.ts): an echo of the stored value passes and is dropped; a change is refused. */
async function ownedFieldsGuard(strapi: Core.Strapi, ctx: Context, next: Next): Promise<unknown> {
  const fields = ownedFields(ctx.uid);
  if (fields.length === 0 || (ctx.action !== 'create' && ctx.action !== 'update' && ctx.action !== 'clone'))
    return next();
  const params = ctx.params as { documentId?: string; data?: Record<string, unknown> };
  const data = params.data;
  if (data === undefined || data === null || typeof data !== 'object' || !fields.some((field) => field in data))
    return next();
  const current =
    ctx.action === 'create' || params.documentId === undefined
      ? null
      : ((await strapi.db
          .query(ctx.uid)
          .findOne({ where: { documentId: params.documentId, publishedAt: null }, select: fields })) as Record<
          string,
          unknown
        > | null);
  throwIfViolations(ownedFieldViolations(ctx.uid, data, current ?? (ctx.action === 'create' ? null : {})));
  params.data = Object.fromEntries(Object.entries(data).filter(([field]) => !fields.includes(field)));
  return next();
}

/** Issue fields that must hold on drafts too (Strapi skips `min` on drafts). */
async function issueFields(ctx: Context, next: Next): Promise<unknown> {
  if (ctx.uid !== ISSUE || (ctx.action !== 'create' && ctx.action !== 'update')) return next();
  const data = (ctx.params as { data?: IssueFieldInput } | undefined)?.data;
  if (data !== undefined && data !== null) throwIfViolations(issueFieldViolations(data));
  return next();
}

/** Numbers once per document (create, update, the admin's duplicate); a signed-off issue is not deleted. */
async function numbering(strapi: Core.Strapi, ctx: Context, next: Next): Promise<unknown> {
  if (ctx.uid !== ISSUE) return next();
  const params = (ctx.params ?? {}) as { documentId?: string; data?: Record<string, unknown> };
  if (ctx.action === 'delete') {
    await refuseDeletingPublished(strapi, params.documentId);
    return next();
  }
  if (ctx.action !== 'create' && ctx.action !== 'update' && ctx.action !== 'clone') return next();
  return issueNumbering(strapi, ctx.action, params, next);
}

/** The office's workflow: item writes, signing an issue off, units that history names. */
async function workflow(strapi: Core.Strapi, ctx: Context, next: Next): Promise<unknown> {
  const params = (ctx.params ?? {}) as { documentId?: string; data?: Record<string, unknown>; status?: unknown };
  if (ctx.uid === ITEM && (ctx.action === 'create' || ctx.action === 'update' || ctx.action === 'delete')) {
    return itemWrite(strapi, ctx.action, params, next);
  }
  if (ctx.uid === ISSUE && (ctx.action === 'create' || ctx.action === 'update')) {
    const write = () => issueItemsWrite(strapi, ctx.action, params, next);
    return signsOff(ctx.action, params.status) ? signOff(strapi, params, write) : write();
  }
  if (ctx.uid === ISSUE && signsOff(ctx.action, params.status)) return signOff(strapi, params, next);
  if (ctx.uid === UNIT && ctx.action === 'delete') return unitDelete(strapi, params, next);
  return next();
}

/** The footer: a new issue made in the admin starts with the latest one's; entries are labelled with their group's name. */
async function footer(strapi: Core.Strapi, ctx: Context, next: Next): Promise<unknown> {
  const writesIssue =
    ctx.uid === ISSUE && (ctx.action === 'create' || ctx.action === 'update' || ctx.action === 'clone');
  const renamesGroup = ctx.uid === GROUP && ctx.action === 'update';
  if (!writesIssue && !renamesGroup) return next();
  const data = (ctx.params as { data?: unknown }).data;
  if (ctx.uid === ISSUE && ctx.action === 'create' && typeof data === 'object' && data !== null) {
    await footerFromLatest(strapi, data as Record<string, unknown>);
  }
  const result = await next();
  await syncRecipientLabels(strapi);
  return result;
}

export function registerDocumentMiddlewares(strapi: Core.Strapi): void {
  // First: input that cannot be stored or compared is a 400 before any query is built (src/domain/validity.ts).
  strapi.documents.use((ctx, next) => {
    validateDocumentParams(strapi, ctx.uid, ctx.action, ctx.params ?? {});
    return next();
  });
  strapi.documents.use((ctx, next) => {
    if (ctx.params === undefined || ctx.params === null) (ctx as { params: unknown }).params = {};
    return readScope(strapi, ctx.uid, ctx.action, ctx.params, next) as ReturnType<typeof next>;
  });
  strapi.documents.use((ctx, next) => ownedFieldsGuard(strapi, ctx, next) as ReturnType<typeof next>);
  strapi.documents.use((ctx, next) => issueFields(ctx, next) as ReturnType<typeof next>);
  strapi.documents.use((ctx, next) => footer(strapi, ctx, next) as ReturnType<typeof next>);
  strapi.documents.use((ctx, next) => numbering(strapi, ctx, next) as ReturnType<typeof next>);
  strapi.documents.use((ctx, next) => workflow(strapi, ctx, next) as ReturnType<typeof next>);
}
