import { factories } from '@strapi/strapi';
import { labelsOf } from '../../../strapi/issue-labels';
import { findRecord, sendRecord } from '../../../strapi/record';

/** Strapi's controller, plus each issue's print labels (第14期, （七）, 2020年2月19日) in REST reads. */
export default factories.createCoreController('api::issue.issue', ({ strapi }) => ({
  async find(ctx) {
    const response = await super.find(ctx);
    const data = (response.data ?? []) as Record<string, unknown>[];
    return { ...response, data: data.map((issue) => ({ ...issue, labels: labelsOf(strapi, issue) })) };
  },
  /** The signed-off record, with ETag / 304 (private: what a caller may read depends on who they are). */
  async record(ctx) {
    const { publication, year, number } = ctx.params as Record<string, string>;
    const edition = typeof ctx.query.edition === 'string' ? ctx.query.edition : 'regular';
    const record = await findRecord(strapi, { publication, year: Number(year), number: Number(number), edition });
    if (record === null) return ctx.notFound('没有这一期，或这一期没有发给您');
    sendRecord(ctx, record);
  },
  async findOne(ctx) {
    const response = await super.findOne(ctx);
    if (response === null || response === undefined || response.data === null) return response;
    const issue = response.data as Record<string, unknown>;
    return { ...response, data: { ...issue, labels: labelsOf(strapi, issue) } };
  },
}));
