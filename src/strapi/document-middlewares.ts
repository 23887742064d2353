import type { Core, Modules } from '@strapi/strapi';
import { itemUnitViolations } from '../domain/attribution';
import { issueFieldViolations, type IssueFieldInput } from '../domain/issue-fields';
import { signsOff } from '../domain/sign-off';
import { throwIfViolations } from './errors';
import { issueNumbering, refuseDeletingPublished } from './numbering';
import { readScope } from './access';

/**
 * Once-per-document rules, on the one path REST, GraphQL and the admin all take: the Document Service.
 * (Database lifecycles fire once per row: twice for a published create, again on every publish.)
 * Rules that read after writing run inside one transaction with the write, so a refusal leaves nothing behind.
 */

const ITEM = 'api::item.item';
const ISSUE = 'api::issue.issue';

type Context = Modules.Documents.Middleware.Context;
type Next = () => Promise<unknown>;

function documentIdOf(result: unknown): string | null {
  if (typeof result !== 'object' || result === null) return null;
  const documentId = (result as { documentId?: unknown }).documentId;
  return typeof documentId === 'string' ? documentId : null;
}

/** Every item names at least one contributing unit, whatever form the relation input took. */
async function itemUnits(strapi: Core.Strapi, ctx: Context, next: Next): Promise<unknown> {
  if (ctx.uid !== ITEM || (ctx.action !== 'create' && ctx.action !== 'update')) return next();
  return strapi.db.transaction(async () => {
    const result = await next();
    const documentId = documentIdOf(result);
    if (documentId !== null) {
      const row = await strapi.db.query(ITEM).findOne({
        where: { documentId },
        select: ['id'],
        populate: { units: { select: ['id'] } },
      });
      const units = (row?.units ?? []) as unknown[];
      throwIfViolations(itemUnitViolations(units.length));
    }
    return result;
  });
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

/** The first sign-off (publish) of an issue is recorded once, on its draft and published rows alike. */
async function firstSignOff(strapi: Core.Strapi, ctx: Context, next: Next): Promise<unknown> {
  const status = (ctx.params as { status?: unknown } | undefined)?.status;
  if (ctx.uid !== ISSUE || !signsOff(ctx.action, status)) return next();
  return strapi.db.transaction(async () => {
    const result = await next();
    const documentId =
      documentIdOf(result) ?? ((ctx.params as { documentId?: unknown }).documentId as string | undefined) ?? null;
    if (documentId !== null) {
      await strapi.db.query(ISSUE).updateMany({
        where: { documentId, firstSignedOffAt: null },
        data: { firstSignedOffAt: new Date() },
      });
    }
    return result;
  });
}

export function registerDocumentMiddlewares(strapi: Core.Strapi): void {
  strapi.documents.use((ctx, next) => {
    if (ctx.params === undefined || ctx.params === null) (ctx as { params: unknown }).params = {};
    return readScope(strapi, ctx.uid, ctx.action, ctx.params as Record<string, unknown>, next) as ReturnType<typeof next>;
  });
  strapi.documents.use((ctx, next) => issueFields(ctx, next) as ReturnType<typeof next>);
  strapi.documents.use((ctx, next) => numbering(strapi, ctx, next) as ReturnType<typeof next>);
  strapi.documents.use((ctx, next) => itemUnits(strapi, ctx, next) as ReturnType<typeof next>);
  strapi.documents.use((ctx, next) => firstSignOff(strapi, ctx, next) as ReturnType<typeof next>);
}
