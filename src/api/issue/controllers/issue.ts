import { factories } from '@strapi/strapi';
import { labelsOf } from '../../../strapi/issue-labels';
import { validationError } from '../../../strapi/errors';
import { pageRequest, yearOfSegment } from '../../../domain/record';
import { findRecord, findYearList, recordAnswer, sendRecord, type RecordKey } from '../../../strapi/record';
import { sendExport } from '../../../strapi/exports';

const recordKey = (ctx: { query: Record<string, unknown> }): RecordKey => {
  const { publication, year, number } = (ctx as unknown as { params: Record<string, string> }).params;
  const edition = typeof ctx.query.edition === 'string' ? ctx.query.edition : 'regular';
  return { publication, year: Number(year), number: Number(number), edition };
};

/** Strapi's controller, plus each issue's print labels (第14期, （七）, 2020年2月19日) in REST reads. */
export default factories.createCoreController('api::issue.issue', ({ strapi }) => ({
  async find(ctx) {
    const response = await super.find(ctx);
    const data = (response.data ?? []) as Record<string, unknown>[];
    return { ...response, data: data.map((issue) => ({ ...issue, labels: labelsOf(strapi, issue) })) };
  },
  /** The signed-off record, with ETag / 304 (private: what a caller may read depends on who they are). */
  async record(ctx) {
    const record = await findRecord(strapi, recordKey(ctx));
    if (record === null) return ctx.notFound('没有这一期，或这一期没有发给您');
    sendRecord(ctx, recordAnswer(JSON.stringify(record)));
  },
  /** The signed-off issue as PDF (printed by the shared Chromium) and as Word. */
  async pdf(ctx) {
    return sendExport(strapi, ctx as never, recordKey(ctx), 'pdf');
  },
  async docx(ctx) {
    return sendExport(strapi, ctx as never, recordKey(ctx), 'docx');
  },
  /** The signed-off issues of a year the caller may read, newest first, paged. */
  async yearList(ctx) {
    const { publication, year } = ctx.params as Record<string, string>;
    const page = pageRequest({ page: ctx.query.page, pageSize: ctx.query.pageSize });
    const yearNumber = yearOfSegment(year);
    const yearViolations = yearNumber === null ? [{ path: ['year'], message: 'year 应为年份，如 2020' }] : [];
    if (Array.isArray(page) || yearNumber === null)
      throw validationError([...(Array.isArray(page) ? page : []), ...yearViolations]);
    ctx.set('Cache-Control', 'private, no-cache');
    ctx.vary('Authorization');
    return findYearList(strapi, { publication, year: yearNumber }, page);
  },
  async findOne(ctx) {
    const response = await super.findOne(ctx);
    if (response === null || response === undefined || response.data === null) return response;
    const issue = response.data as Record<string, unknown>;
    return { ...response, data: { ...issue, labels: labelsOf(strapi, issue) } };
  },
}));
