import type { Core } from '@strapi/strapi';
import { restAuditEntries, restItemHistory } from '../../../strapi/audit-views';

type Context = Parameters<typeof restAuditEntries>[1];

/** Protocol only: the rules are in src/strapi/audit-views.ts and src/domain/audit-views.ts. */
export default ({ strapi }: { strapi: Core.Strapi }) => ({
  find: (ctx: Context) => restAuditEntries(strapi, ctx),
  history: (ctx: Context) => restItemHistory(strapi, ctx),
});
