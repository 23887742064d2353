import type { Core } from '@strapi/strapi';
import { issueLabels, type IssueLabelInput, type IssueLabels } from '../domain/labels';
import type { Nexus } from './graphql-query';
import { printsTotalNumber } from './settings';

type IssueLike = Record<string, unknown> & { publication?: unknown };

/** The issue's print labels, with its publication's setting for the running total. */
export function labelsOf(strapi: Core.Strapi, issue: IssueLike): IssueLabels {
  const publication = typeof issue.publication === 'string' ? issue.publication : '';
  return issueLabels(issue as IssueLabelInput, printsTotalNumber(strapi, publication));
}

/** GraphQL: `Issue.labels`, computed from the issue's own fields. */
export function registerLabelsInGraphQL(strapi: Core.Strapi): void {
  strapi
    .plugin('graphql')
    .service('extension')
    .use(({ nexus }: { nexus: Nexus }) => ({
      types: [
        nexus.objectType({
          name: 'IssueLabels',
          description: 'Print labels: 第14期, 总第N期, 增刊第7期, column with （七）, 2020年2月19日',
          definition(t) {
            t.nonNull.string('issueLine');
            t.string('number');
            t.string('totalNumber');
            t.string('installment');
            t.string('column');
            t.string('date');
          },
        }),
        nexus.extendType({
          type: 'Issue',
          definition(t) {
            t.nonNull.field('labels', {
              type: 'IssueLabels',
              resolve: (parent: IssueLike) => labelsOf(strapi, parent),
            });
          },
        }),
      ],
    }));
}
