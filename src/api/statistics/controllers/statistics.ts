import type { Core } from '@strapi/strapi';
import { sendCsv, sendNotice, sendTable } from '../../../strapi/statistics';

type Context = Parameters<typeof sendTable>[1];

/** Protocol only: the statistics and their rules are in src/strapi/statistics.ts and src/domain/statistics.ts. */
export default ({ strapi }: { strapi: Core.Strapi }) => ({
  find: (ctx: Context) => sendTable(strapi, ctx),
  csv: (ctx: Context) => sendCsv(strapi, ctx),
  notice: (ctx: Context) => sendNotice(strapi, ctx),
});
