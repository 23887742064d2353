import { factories } from '@strapi/strapi';
import { labelsOf } from '../../../strapi/issue-labels';

/** Strapi's controller, plus each issue's print labels (第14期, （七）, 2020年2月19日) in REST reads. */
export default factories.createCoreController('api::issue.issue', ({ strapi }) => ({
  async find(ctx) {
    const response = await super.find(ctx);
    const data = (response.data ?? []) as Record<string, unknown>[];
    return { ...response, data: data.map((issue) => ({ ...issue, labels: labelsOf(strapi, issue) })) };
  },
  async findOne(ctx) {
    const response = await super.findOne(ctx);
    if (response === null || response === undefined || response.data === null) return response;
    const issue = response.data as Record<string, unknown>;
    return { ...response, data: { ...issue, labels: labelsOf(strapi, issue) } };
  },
}));
