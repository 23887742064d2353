import { buildSchema, type GraphQLSchema } from 'graphql';
import { RECORD_QUERIES, RECORD_TYPES } from '../../src/strapi/record-graphql';

/**
 * A graphql-js schema written from the record's one description (src/strapi/record-graphql.ts): its types, and a
 * Query with the two record fields plus `issue` and `list` to execute selections on a given value.
 */
export function recordSchema(): GraphQLSchema {
  const types = Object.entries(RECORD_TYPES).map(
    ([name, spec]) => `type ${name} { ${Object.entries(spec.fields).map(([field, [type]]) => `${field}: ${type}`).join(' ')} }`,
  );
  const fields = Object.entries(RECORD_QUERIES).map(([name, query]) => {
    const args = Object.entries(query.args as Record<string, readonly [string, string?]>).map(
      ([arg, [type, fallback]]) => `${arg}: ${type}${fallback === undefined ? '' : ` = ${JSON.stringify(fallback)}`}`,
    );
    return `${name}(${args.join(', ')}): ${query.type}`;
  });
  return buildSchema([...types, `type Query { ${fields.join(' ')} issue: BulletinIssue list: BulletinIssueList! }`].join('\n'));
}
