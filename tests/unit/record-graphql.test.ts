import { execute, isObjectType, parse, validate, type FieldNode, type OperationDefinitionNode } from 'graphql';
import { buildIssueRecord, summarizeRecord, type IssueRecord } from '../../src/domain/record';
import {
  fullSelection,
  projectSelection,
  RECORD_QUERIES,
  RECORD_TYPES,
  selectionAccepted,
  UNSURE,
  type RecordTypeName,
} from '../../src/strapi/record-graphql';
import { aReferenceInput } from '../support/reference-record';
import { recordSchema } from '../support/record-schema';

/**
 * The fast path's GraphQL answers against graphql-js itself, on the record's schema written out by hand
 * (tests/support/record-schema.ts), not built from the code's description: wherever the projection answers,
 * graphql-js gives exactly that `data` and no error; wherever graphql-js reports an error, the projection does not
 * answer. And the description (which makes the served schema) says field for field what the hand-written one says.
 */

const schema = recordSchema();

const record = buildIssueRecord(aReferenceInput({ reviewer: '张三', printRun: 120 }));
const list = {
  nodes: [
    summarizeRecord(record),
    summarizeRecord(buildIssueRecord(aReferenceInput({ number: 13, columnTitle: null }))),
  ],
  pageInfo: { page: 1, pageSize: 25, pageCount: 1, total: 2 },
};

type Outcome = { graphql: { data: unknown; errors: number }; accepted: boolean; projected: unknown };

function both(root: 'issue' | 'list', selection: string, value: unknown): Outcome {
  const document = parse(`{ ${root} ${selection} }`);
  const field = (document.definitions[0] as OperationDefinitionNode).selectionSet.selections[0] as FieldNode;
  const type: RecordTypeName = root === 'issue' ? 'BulletinIssue' : 'BulletinIssueList';
  const accepted = field.selectionSet !== undefined && selectionAccepted(type, field.selectionSet);
  const projected = accepted ? projectSelection(type, value, field.selectionSet) : UNSURE;
  const invalid = validate(schema, document);
  if (invalid.length > 0) return { graphql: { data: null, errors: invalid.length }, accepted, projected };
  const result = execute({ schema, document, rootValue: { [root]: value } }) as {
    data?: Record<string, unknown> | null;
    errors?: unknown[];
  };
  return { graphql: { data: result.data?.[root] ?? null, errors: result.errors?.length ?? 0 }, accepted, projected };
}

/** The projection answers only what graphql-js answers, byte for byte. */
function expectSound(outcome: Outcome): void {
  if (outcome.projected === UNSURE) return;
  expect(outcome.graphql.errors).toBe(0);
  expect(JSON.stringify(outcome.projected)).toBe(JSON.stringify(outcome.graphql.data));
}

describe('selections the fast path answers, exactly as graphql-js', () => {
  test.each([
    ['every field', fullSelection('BulletinIssue')],
    ['a few fields', '{ documentId labels { issueLine date } }'],
    ['fields in another order', '{ labels { date issueLine } documentId }'],
    ['aliases', '{ line: labels { n: issueLine } first: items { h: headline } }'],
    [
      '__typename at each level',
      '{ __typename labels { __typename } items { __typename position } footer { __typename key } }',
    ],
    ['nullable fields that are null', '{ totalNumber labels { totalNumber } }'],
    ['lists of scalars', '{ items { paragraphs units } }'],
    ['a nullable object that is there', '{ column { title installment label } issuer { shortName fullName } }'],
    ['the alias __proto__', '{ __proto__: documentId labels { __proto__: issueLine } }'],
  ])('issue: %s', (_name, selection) => {
    const outcome = both('issue', selection, record);
    expect(outcome.accepted).toBe(true);
    expect(outcome.projected).not.toBe(UNSURE);
    expectSound(outcome);
  });

  test.each([
    ['every field', fullSelection('BulletinIssueList')],
    ['some fields', '{ pageInfo { total pageCount } nodes { number labels { issueLine } headlines } }'],
    ['with aliases and __typename', '{ __typename issues: nodes { __typename n: number } }'],
  ])('list: %s', (_name, selection) => {
    const outcome = both('list', selection, list);
    expect(outcome.accepted).toBe(true);
    expect(outcome.projected).not.toBe(UNSURE);
    expectSound(outcome);
  });

  test('a null object (no column) answers null, and its own selection is still checked', () => {
    const plain = buildIssueRecord(aReferenceInput({ columnTitle: null }));
    const outcome = both('issue', '{ column { title } }', plain);
    expect(outcome.projected).toEqual({ column: null });
    expectSound(outcome);
    expect(both('issue', '{ column { nope } }', plain).accepted).toBe(false);
  });

  test('the full selection names every field of every type it reaches', () => {
    const selection = fullSelection('BulletinIssue');
    for (const field of Object.keys(RECORD_TYPES.BulletinItem.fields)) expect(selection).toContain(field);
    const full = both('issue', selection, record).projected as IssueRecord;
    expect(Object.keys(full).sort()).toEqual(Object.keys(record).sort());
    expect(full).toEqual(record);
  });
});

describe('selections graphql-js rejects are never answered', () => {
  test.each([
    ['an unknown field', '{ documentId secret }'],
    ['an unknown field in a list', '{ items { headline nope } }'],
    ['a selection on a scalar', '{ year { x } }'],
    ['an object without a selection', '{ labels }'],
    ['a list of objects without a selection', '{ items }'],
    ['an argument on a field', '{ items(first: 1) { headline } }'],
    ['an unknown directive', '{ documentId @nope }'],
    ['__typename with a selection', '{ __typename { x } }'],
    ['two fields under one key', '{ a: documentId a: publication }'],
  ])('%s', (_name, selection) => {
    const outcome = both('issue', selection, record);
    expect(outcome.graphql.errors).toBeGreaterThan(0);
    expect(outcome.accepted).toBe(false);
    expect(outcome.projected).toBe(UNSURE);
  });

  test.each([
    ['fragments', '{ ...on BulletinIssue { documentId } }'],
    ['a field selected twice', '{ documentId documentId }'],
    ['a directive graphql-js knows', '{ documentId @include(if: true) }'],
  ])('valid, but left to graphql-js: %s', (_name, selection) => {
    const outcome = both('issue', selection, record);
    expect(outcome.graphql.errors).toBe(0);
    expect(outcome.accepted).toBe(false);
  });
});

describe('data that does not fit its type is left to graphql-js', () => {
  const broken = (change: (copy: Record<string, unknown>) => void): unknown => {
    const copy = JSON.parse(JSON.stringify(record)) as Record<string, unknown>;
    change(copy);
    return copy;
  };
  test.each([
    [
      'a null where non-null',
      broken((copy) => ((copy.items as Record<string, unknown>[])[0].headline = null)),
      '{ items { headline } }',
    ],
    ['a missing non-null field', broken((copy) => delete copy.signedOffAt), '{ signedOffAt }'],
    ['a string where Int', broken((copy) => (copy.year = '2020')), '{ year }'],
    ['a fraction where Int', broken((copy) => (copy.number = 1.5)), '{ number }'],
    ['a number where String', broken((copy) => (copy.date = 20200219)), '{ date }'],
    ['an object where a list', broken((copy) => (copy.items = {})), '{ items { headline } }'],
    ['a scalar where an object', broken((copy) => (copy.labels = 'x')), '{ labels { date } }'],
  ])('%s', (_name, value, selection) => {
    const outcome = both('issue', selection, value);
    expect(outcome.accepted).toBe(true);
    expect(outcome.projected).toBe(UNSURE);
    expectSound(outcome);
  });
});

test('the description is well formed: every field type is a scalar or a described type', () => {
  for (const spec of Object.values(RECORD_TYPES)) {
    for (const [type] of Object.values(spec.fields)) {
      const name = /\w+/.exec(type)?.[0] as string;
      expect(['String', 'Int', 'Boolean', ...Object.keys(RECORD_TYPES)]).toContain(name);
    }
  }
});

describe('the description says what the hand-written schema says', () => {
  const fieldsOf = (name: string): Record<string, string> => {
    const type = schema.getType(name);
    if (!isObjectType(type)) throw new Error(`${name} is not an object type of the hand-written schema`);
    return Object.fromEntries(Object.values(type.getFields()).map((field) => [field.name, String(field.type)]));
  };

  test('the same types', () => {
    const written = Object.keys(schema.getTypeMap()).filter(
      (name) => !name.startsWith('__') && !['Query', 'String', 'Int', 'Boolean'].includes(name),
    );
    expect(Object.keys(RECORD_TYPES).sort()).toEqual(written.sort());
  });

  test.each(Object.keys(RECORD_TYPES))('%s: the same fields, of the same types', (name) => {
    const described = Object.fromEntries(
      Object.entries(RECORD_TYPES[name as RecordTypeName].fields).map(([field, [type]]) => [field, type]),
    );
    expect(described).toEqual(fieldsOf(name));
  });

  test.each(Object.keys(RECORD_QUERIES))('query %s: the same type and arguments, with the same defaults', (name) => {
    const field = schema.getQueryType()!.getFields()[name];
    const query = RECORD_QUERIES[name as keyof typeof RECORD_QUERIES];
    expect(query.type).toBe(String(field.type));
    const written = Object.fromEntries(
      field.args.map((arg) => [
        arg.name,
        arg.defaultValue === undefined ? [String(arg.type)] : [String(arg.type), arg.defaultValue],
      ]),
    );
    expect(Object.fromEntries(Object.entries(query.args).map(([arg, spec]) => [arg, [...spec]]))).toEqual(written);
  });
});
