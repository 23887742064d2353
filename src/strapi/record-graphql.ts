import { Kind, type SelectionSetNode } from 'graphql';
import type { Nexus } from './graphql-query';
import type { core } from 'nexus';
import { isInt32 } from '../domain/record';

/**
 * The signed-off record over GraphQL, as typed objects: a front end selects what it renders, and GraphiQL documents
 * every field. One description, RECORD_TYPES, makes both the schema (`recordTypes`, for nexus) and the readers' fast
 * path's GraphQL answers (`projectSelection`: what graphql-js answers for a selection, or UNSURE where it would
 * report an error or where this is not sure, and then graphql-js answers), so the two cannot disagree.
 */

type TypeSpec = {
  description: string;
  fields: Record<string, readonly [type: string, description: string]>;
  strapi?: true;
};

export const RECORD_TYPES = {
  BulletinIssue: {
    description: '一期已签发的简报，按签发时的样子（签发稿）：标签、条目及署名、版记。',
    fields: {
      documentId: ['String!', 'The issue document.'],
      publication: ['String!', '刊名, e.g. 上街信息'],
      edition: ['String!', 'regular, supplement (增刊) or special (专刊)'],
      year: ['Int!', 'The year of the numbering.'],
      number: ['Int', 'The number within the year and edition.'],
      totalNumber: ['Int', '总第N期, where the publication prints it.'],
      date: ['String', 'The issue date, YYYY-MM-DD (Asia/Shanghai).'],
      labels: ['BulletinLabels!', 'Print labels: 第14期, 2020年2月19日, the column with （七）.'],
      issuer: ['BulletinIssuer', 'The issuing office.'],
      column: ['BulletinColumn', 'The column (专栏) and its installment.'],
      items: ['[BulletinItem!]!', 'The items in print order.'],
      footer: [
        '[BulletinFooterLine!]!',
        'The footer (版记) lines in print order: 报, 本期送, 发, 抄送, 责任编辑, 审核, 签发, 印数.',
      ],
      signedOffAt: ['String!', 'When it was signed off (ISO 8601).'],
      version: ['Int!', 'The version of the record format.'],
    },
  },
  BulletinLabels: {
    description: 'What an issue prints in its head.',
    fields: {
      issueLine: ['String!', '第14期, 增刊第7期, 第14期（总第560期）'],
      number: ['String', '第14期 / 增刊第7期 / 专刊第2期'],
      totalNumber: ['String', '总第560期, only where the publication prints it'],
      installment: ['String', '（七）'],
      column: ['String', '坚定信心 众志成城 坚决打赢疫情防控阻击战（七）'],
      date: ['String', '2020年2月19日'],
    },
  },
  BulletinIssuer: {
    description: 'The office issuing the bulletin.',
    fields: { shortName: ['String!', '区委办'], fullName: ['String!', '中共上街区委办公室'] },
  },
  BulletinColumn: {
    description: 'A column (专栏) running over several issues.',
    fields: {
      title: ['String!', 'The column title.'],
      installment: ['Int', 'Its installment in this issue: 7 for （七）.'],
      label: ['String!', 'The title with the installment as printed.'],
    },
  },
  BulletinItem: {
    description: 'One item as printed.',
    fields: {
      position: ['Int!', 'Its place in the issue, from 1.'],
      section: ['String', 'The section heading printed above it, if any.'],
      headline: ['String!', 'The headline.'],
      body: ['String!', 'The body, paragraphs separated by blank lines.'],
      paragraphs: ['[String!]!', 'The body as paragraphs.'],
      units: ['[String!]!', 'The contributing units (short names, as on the day of sign-off).'],
      attribution: ['String!', 'The attribution as printed: （区人社局）; empty for the issuer’s own items.'],
    },
  },
  BulletinFooterLine: {
    description: 'One footer (版记) line.',
    fields: {
      key: ['String!', 'reportTo, sendTo, distributeTo, copyTo, editors, reviewer, signer or printRun'],
      label: ['String!', '报, 本期送, 发, 抄送, 责任编辑, 审核, 签发, 印数'],
      text: ['String!', 'The line as printed.'],
    },
  },
  BulletinIssueSummary: {
    description: 'An issue in a list: its labels and headlines, from its record.',
    fields: {
      documentId: ['String!', 'The issue document.'],
      publication: ['String!', '刊名'],
      edition: ['String!', 'regular, supplement or special'],
      year: ['Int!', 'The year of the numbering.'],
      number: ['Int', 'The number within the year and edition.'],
      totalNumber: ['Int', '总第N期, where printed.'],
      date: ['String', 'YYYY-MM-DD'],
      labels: ['BulletinLabels!', 'Print labels.'],
      issuer: ['String', 'The issuing office’s full name.'],
      headlines: ['[String!]!', 'The items’ headlines in print order.'],
    },
  },
  BulletinIssueList: {
    description: 'A page of signed-off issues, newest first.',
    fields: {
      nodes: ['[BulletinIssueSummary!]!', 'The issues of this page.'],
      pageInfo: ['Pagination!', 'page, pageSize, pageCount, total'],
    },
  },
  // Strapi's own type (its connections' pageInfo), described here for the fast path; Strapi registers it.
  Pagination: {
    description: 'Strapi’s pagination.',
    strapi: true,
    fields: { total: ['Int!', ''], page: ['Int!', ''], pageSize: ['Int!', ''], pageCount: ['Int!', ''] },
  },
} as const satisfies Record<string, TypeSpec>;

export type RecordTypeName = keyof typeof RECORD_TYPES;
const SCALARS = new Set(['String', 'Int', 'Boolean']);

/** A field's type in GraphQL notation (`Int`, `String!`, `[BulletinItem!]!`), taken apart. */
type FieldType = { name: string; nonNull: boolean; list: null | { nonNull: boolean } };
function fieldType(notation: string): FieldType {
  const match = /^(?:\[(\w+)(!?)\]|(\w+))(!?)$/.exec(notation);
  if (match === null) throw new Error(`bad type notation: ${notation}`);
  return match[1] !== undefined
    ? { name: match[1], nonNull: match[4] === '!', list: { nonNull: match[2] === '!' } }
    : { name: match[3], nonNull: match[4] === '!', list: null };
}

const typeSpec = (name: string): TypeSpec | undefined =>
  Object.prototype.hasOwnProperty.call(RECORD_TYPES, name)
    ? (RECORD_TYPES as Record<string, TypeSpec>)[name]
    : undefined;

/** The nexus object types (all but Strapi's own). */
export function recordTypes(nexus: Nexus): unknown[] {
  const wrapped = (type: FieldType) => {
    const inner = type.list === null ? type.name : nexus.list(type.list.nonNull ? nexus.nonNull(type.name) : type.name);
    return type.nonNull ? nexus.nonNull(inner) : inner;
  };
  return Object.entries(RECORD_TYPES as Record<string, TypeSpec>)
    .filter(([, spec]) => spec.strapi !== true)
    .map(([name, spec]) =>
      nexus.objectType({
        name,
        description: spec.description,
        definition(t) {
          for (const [field, [notation, description]] of Object.entries(spec.fields))
            t.field(field, { type: wrapped(fieldType(notation)), description });
        },
      }),
    );
}

/** The selection of every field of a type, nested: `{ documentId … items { position … } … }`. */
export function fullSelection(typeName: RecordTypeName): string {
  const spec = RECORD_TYPES[typeName] as TypeSpec;
  const fields = Object.entries(spec.fields).map(([field, [notation]]) => {
    const { name } = fieldType(notation);
    return SCALARS.has(name) ? field : `${field} ${fullSelection(name as RecordTypeName)}`;
  });
  return `{ ${fields.join(' ')} }`;
}

/** The two query fields of the record: their type and arguments ([type, default]). */
export const RECORD_QUERIES = {
  bulletinIssue: {
    type: 'BulletinIssue',
    description:
      'A signed-off issue as it was signed off: labels, items with attributions, footer lines. Null when there is none you may read.',
    args: { publication: ['String!'], year: ['Int!'], number: ['Int!'], edition: ['String', 'regular'] },
  },
  bulletinIssues: {
    type: 'BulletinIssueList!',
    description:
      'The signed-off issues you may read, newest first, of a publication and year when given, paged (25 a page by default, at most 100).',
    args: { publication: ['String'], year: ['Int'], page: ['Int'], pageSize: ['Int'] },
  },
} as const satisfies Record<
  string,
  { type: string; description: string; args: Record<string, readonly [string, string?]> }
>;

export type RecordQueryName = keyof typeof RECORD_QUERIES;
export type ArgumentType = { base: 'String' | 'Int'; nonNull: boolean; default?: string };

/** A query field's arguments, taken apart. */
const argumentTypesOf = new Map<RecordQueryName, Record<string, ArgumentType>>();
export function argumentTypes(field: RecordQueryName): Record<string, ArgumentType> {
  let types = argumentTypesOf.get(field);
  if (types === undefined) {
    types = takeApart(field);
    argumentTypesOf.set(field, types);
  }
  return types;
}
function takeApart(field: RecordQueryName): Record<string, ArgumentType> {
  return Object.fromEntries(
    Object.entries(RECORD_QUERIES[field].args as Record<string, readonly [string, string?]>).map(
      ([name, [notation, fallback]]) => {
        const type = fieldType(notation);
        return [
          name,
          {
            base: type.name as 'String' | 'Int',
            nonNull: type.nonNull,
            ...(fallback === undefined ? {} : { default: fallback }),
          },
        ];
      },
    ),
  );
}

/** A query field's arguments for nexus. */
export function queryArgs(nexus: Nexus, field: RecordQueryName): core.ArgsRecord {
  return Object.fromEntries(
    Object.entries(argumentTypes(field)).map(([name, type]) => {
      const arg = nexus.arg({ type: type.base, ...(type.default === undefined ? {} : { default: type.default }) });
      return [name, type.nonNull ? nexus.nonNull(arg) : arg];
    }),
  );
}

/** A query field's type for nexus, and whether it is non-null. */
export function queryType(field: RecordQueryName): { type: string; nonNull: boolean } {
  const type = fieldType(RECORD_QUERIES[field].type);
  return { type: type.name, nonNull: type.nonNull };
}

// ---- the fast path's answers ----------------------------------------------------------------------------------------

export const UNSURE = Symbol('unsure');

/**
 * Whether graphql-js accepts `selectionSet` on `typeName` without a validation error, by rules this follows exactly:
 * known fields only, a selection on objects and none on scalars, no fragments, directives or arguments, each response
 * key once. False also where graphql-js would accept it but this is not sure (a field selected twice, fragments).
 */
export function selectionAccepted(typeName: string, selectionSet: SelectionSetNode): boolean {
  const spec = typeSpec(typeName);
  if (spec === undefined) return false;
  const keys = new Set<string>();
  for (const selection of selectionSet.selections) {
    if (
      selection.kind !== Kind.FIELD ||
      (selection.directives ?? []).length > 0 ||
      (selection.arguments ?? []).length > 0
    )
      return false;
    const key = selection.alias?.value ?? selection.name.value;
    if (keys.has(key)) return false;
    keys.add(key);
    const name = selection.name.value;
    if (name === '__typename') {
      if (selection.selectionSet !== undefined) return false;
      continue;
    }
    if (!Object.prototype.hasOwnProperty.call(spec.fields, name)) return false;
    const type = fieldType(spec.fields[name][0]);
    const accepted = SCALARS.has(type.name)
      ? selection.selectionSet === undefined
      : selection.selectionSet !== undefined && selectionAccepted(type.name, selection.selectionSet);
    if (!accepted) return false;
  }
  return true;
}

/**
 * What graphql-js answers (as `data`) for an accepted selection on a value of `typeName` resolved by default
 * resolvers, or UNSURE where it would report an error: a null where the type says non-null, a value of the wrong kind.
 * The caller then lets graphql-js answer.
 */
export function projectSelection(typeName: RecordTypeName, value: unknown, selectionSet: SelectionSetNode): unknown {
  return objectValue(typeName, value, selectionSet);
}

function objectValue(typeName: string, source: unknown, selectionSet: SelectionSetNode): unknown {
  const spec = typeSpec(typeName);
  if (spec === undefined || typeof source !== 'object' || source === null || Array.isArray(source)) return UNSURE;
  // No prototype: a response key may be any name, `__proto__` included, and is then an ordinary key as in graphql-js.
  const answer = Object.create(null) as Record<string, unknown>;
  for (const selection of selectionSet.selections) {
    if (selection.kind !== Kind.FIELD) return UNSURE;
    const key = selection.alias?.value ?? selection.name.value;
    const name = selection.name.value;
    if (name === '__typename') {
      answer[key] = typeName;
      continue;
    }
    const notation = Object.prototype.hasOwnProperty.call(spec.fields, name) ? spec.fields[name][0] : undefined;
    if (notation === undefined) return UNSURE;
    const type = fieldType(notation);
    const raw = (source as Record<string, unknown>)[name];
    const value =
      type.list === null
        ? namedValue(type.name, type.nonNull, raw, selection.selectionSet)
        : listValue(type, raw, selection.selectionSet);
    if (value === UNSURE) return UNSURE;
    answer[key] = value;
  }
  return answer;
}

function listValue(type: FieldType, raw: unknown, selectionSet: SelectionSetNode | undefined): unknown {
  if (raw === null || raw === undefined) return type.nonNull ? UNSURE : null;
  if (!Array.isArray(raw)) return UNSURE;
  const values: unknown[] = [];
  for (const element of raw) {
    const value = namedValue(type.name, type.list?.nonNull === true, element, selectionSet);
    if (value === UNSURE) return UNSURE;
    values.push(value);
  }
  return values;
}

function namedValue(name: string, nonNull: boolean, raw: unknown, selectionSet: SelectionSetNode | undefined): unknown {
  if (raw === null || raw === undefined) return nonNull ? UNSURE : null;
  if (!SCALARS.has(name)) return selectionSet === undefined ? UNSURE : objectValue(name, raw, selectionSet);
  switch (name) {
    case 'String':
      return typeof raw === 'string' ? raw : UNSURE;
    case 'Int':
      return isInt32(raw) ? raw : UNSURE;
    default:
      return typeof raw === 'boolean' ? raw : UNSURE;
  }
}
