import { parse, validate, type FieldNode, type OperationDefinitionNode } from 'graphql';
import { getArgumentValues, getVariableValues } from 'graphql/execution/values';
import { graphqlArguments, graphqlPlan } from '../../src/strapi/fast-graphql';
import { recordSchema } from '../support/record-schema';

/**
 * Which GraphQL requests the fast path takes, against graphql-js on the record's hand-written schema (tests/support/record-schema.ts):
 * whatever it takes, graphql-js accepts (query and variables), with the same argument values for the resolver.
 */

const schema = recordSchema();

/** What graphql-js gives the resolver, or null where it reports an error. */
function graphqlJs(query: string, variables: unknown): Record<string, unknown> | null {
  const document = parse(query);
  if (validate(schema, document).length > 0) return null;
  const operation = document.definitions[0] as OperationDefinitionNode;
  const coerced = getVariableValues(
    schema,
    operation.variableDefinitions ?? [],
    (variables ?? {}) as Record<string, unknown>,
  );
  if (coerced.errors !== undefined) return null;
  const node = operation.selectionSet.selections[0] as FieldNode;
  const field = schema.getQueryType()?.getFields()[node.name.value];
  if (field === undefined) return null;
  return getArgumentValues(field, node, coerced.coerced);
}

function fast(query: string, variables: unknown): Record<string, unknown> | null {
  const plan = graphqlPlan(query, undefined);
  return plan === null ? null : graphqlArguments(plan, variables);
}

const ISSUE = '{ documentId }';
const LIST = '{ pageInfo { total } }';
const q = (args: string, head = 'query', field = 'bulletinIssue', selection = ISSUE) =>
  `${head} { ${field}(${args}) ${selection} }`;

test.each<[string, string, unknown, 'taken' | 'left']>([
  ['literals', q('publication: "上街信息", year: 2020, number: 14'), undefined, 'taken'],
  [
    'the edition given',
    q('publication: "上街信息", year: 2020, number: 14, edition: "supplement"'),
    undefined,
    'taken',
  ],
  ['the edition null', q('publication: "上街信息", year: 2020, number: 14, edition: null'), undefined, 'taken'],
  [
    'variables',
    q('publication: $p, year: $y, number: $n', 'query($p: String!, $y: Int!, $n: Int!)'),
    { p: '上街信息', y: 2020, n: 14 },
    'taken',
  ],
  [
    'a nullable variable for a nullable argument, absent',
    q('publication: "上街信息", year: 2020, number: 14, edition: $e', 'query($e: String)'),
    {},
    'taken',
  ],
  [
    'a nullable variable for a nullable argument, null',
    q('publication: "上街信息", year: 2020, number: 14, edition: $e', 'query($e: String)'),
    { e: null },
    'taken',
  ],
  [
    'a non-null variable for a nullable argument',
    q('publication: "上街信息", year: 2020, pageSize: $s', 'query($s: Int!)', 'bulletinIssues', LIST),
    { s: 5 },
    'taken',
  ],
  [
    'one variable for two arguments',
    q('publication: "上街信息", year: $v, page: $v', 'query($v: Int!)', 'bulletinIssues', LIST),
    { v: 1 },
    'taken',
  ],
  ['a named operation', q('publication: "上街信息", year: 2020, number: 14', 'query One'), undefined, 'taken'],
  ['a missing required argument', q('publication: "上街信息", year: 2020'), undefined, 'left'],
  ['a string for an Int', q('publication: "上街信息", year: "2020", number: 14'), undefined, 'left'],
  ['a float literal', q('publication: "上街信息", year: 2020, number: 14.0'), undefined, 'left'],
  ['an Int beyond 32 bits', q('publication: "上街信息", year: 2020, number: 4294967296'), undefined, 'left'],
  ['null for a required argument', q('publication: "上街信息", year: 2020, number: null'), undefined, 'left'],
  ['an unknown argument', q('publication: "上街信息", year: 2020, number: 14, draft: true'), undefined, 'left'],
  [
    'an argument named like a property of every object',
    q('publication: "上街信息", year: 2020, number: 14, constructor: null'),
    undefined,
    'left',
  ],
  [
    'an argument named __proto__',
    q('publication: "上街信息", year: 2020, number: 14, __proto__: null'),
    undefined,
    'left',
  ],
  ['an argument twice', q('publication: "上街信息", year: 2020, number: 14, number: 15'), undefined, 'left'],
  ['an undeclared variable', q('publication: "上街信息", year: 2020, number: $n'), { n: 14 }, 'left'],
  ['an unused variable', q('publication: "上街信息", year: 2020, number: 14', 'query($x: Int)'), undefined, 'left'],
  [
    'a variable declared twice',
    q('publication: "上街信息", year: 2020, number: $n', 'query($n: Int!, $n: Int!)'),
    { n: 14 },
    'left',
  ],
  [
    'a variable of another type',
    q('publication: "上街信息", year: 2020, number: $n', 'query($n: Float!)'),
    { n: 14 },
    'left',
  ],
  [
    'a nullable variable for a required argument',
    q('publication: "上街信息", year: 2020, number: $n', 'query($n: Int)'),
    { n: 14 },
    'left',
  ],
  ['a required variable missing', q('publication: "上街信息", year: 2020, number: $n', 'query($n: Int!)'), {}, 'left'],
  [
    'a required variable null',
    q('publication: "上街信息", year: 2020, number: $n', 'query($n: Int!)'),
    { n: null },
    'left',
  ],
  [
    'a string value for an Int variable',
    q('publication: "上街信息", year: 2020, number: $n', 'query($n: Int!)'),
    { n: '14' },
    'left',
  ],
  [
    'a fraction for an Int variable',
    q('publication: "上街信息", year: 2020, number: $n', 'query($n: Int!)'),
    { n: 1.5 },
    'left',
  ],
  [
    'a number for a String variable',
    q('publication: $p, year: 2020, number: 14', 'query($p: String!)'),
    { p: 5 },
    'left',
  ],
  ['variables that are not an object', q('publication: "上街信息", year: 2020, number: 14'), 'x', 'left'],
  [
    'a variable with a default',
    q('publication: "上街信息", year: 2020, number: $n', 'query($n: Int! = 14)'),
    {},
    'left',
  ],
  ['a mutation', q('publication: "上街信息", year: 2020, number: 14', 'mutation'), undefined, 'left'],
  [
    'two operations',
    `${q('publication: "上街信息", year: 2020, number: 14', 'query A')} ${q('publication: "上街信息", year: 2020, number: 13', 'query B')}`,
    undefined,
    'left',
  ],
  ['no selection', 'query { bulletinIssue(publication: "上街信息", year: 2020, number: 14) }', undefined, 'left'],
])('%s', (_name, query, variables, expected) => {
  const ours = fast(query, variables);
  let theirs: Record<string, unknown> | null;
  try {
    theirs = graphqlJs(query, variables);
  } catch {
    theirs = null; // graphql-js refuses it (e.g. variables that are not an object)
  }
  expect(ours === null ? 'left' : 'taken').toBe(expected);
  if (ours !== null) expect(ours).toEqual(theirs);
});

test('an operation name that is not a string, and queries too long to keep, go to Apollo', () => {
  const named = q('publication: "上街信息", year: 2020, number: 14', 'query Q');
  expect(graphqlPlan(named, 'Q')).not.toBeNull();
  expect(graphqlPlan(named, ['Q'])).toBeNull();
  expect(graphqlPlan(q('publication: "上街信息", year: 2020, number: 14'), 'undefined')).toBeNull();
  const aliases = Array.from({ length: 400 }, (_, i) => `a${i}: documentId`).join(' ');
  expect(
    graphqlPlan(
      q('publication: "上街信息", year: 2020, number: 14', 'query', 'bulletinIssue', `{ ${aliases} }`),
      undefined,
    ),
  ).toBeNull();
});

test('the operation name must name the one operation', () => {
  expect(graphqlPlan(q('publication: "上街信息", year: 2020, number: 14', 'query One'), 'One')).not.toBeNull();
  expect(graphqlPlan(q('publication: "上街信息", year: 2020, number: 14', 'query One'), 'Two')).toBeNull();
});
