import type { Core } from '@strapi/strapi';
import type { core } from 'nexus';

/**
 * Adds fields to GraphQL's Query, each governed by one users-permissions / API-token scope like a REST route, with
 * the nexus builder the GraphQL plugin hands its extensions.
 */

export type Nexus = typeof import('nexus');
export type QueryField = {
  type: string;
  description: string;
  nonNull?: boolean;
  args: core.ArgsRecord;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each field declares its own argument type in its resolver
  resolve: (parent: unknown, args: any) => unknown;
  /** The action whose permission the field needs, e.g. api::issue.issue.findOne. */
  scope: string;
};

export function addQueryFields(
  strapi: Core.Strapi,
  build: (nexus: Nexus) => { types?: unknown[]; fields: Record<string, QueryField> },
): void {
  strapi
    .plugin('graphql')
    .service('extension')
    .use(({ nexus }: { nexus: Nexus }) => {
      const { types = [], fields } = build(nexus);
      return {
        types: [
          ...types,
          nexus.extendType({
            type: 'Query',
            definition(t) {
              for (const [name, { nonNull, scope: _scope, ...field }] of Object.entries(fields)) {
                (nonNull === true ? t.nonNull : t).field(name, field);
              }
            },
          }),
        ],
        resolversConfig: Object.fromEntries(
          Object.entries(fields).map(([name, field]) => [`Query.${name}`, { auth: { scope: [field.scope] } }]),
        ),
      };
    });
}
