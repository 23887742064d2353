import { Kind, parse, type DocumentNode, type FieldNode } from 'graphql';
import type { Core } from '@strapi/strapi';
import { mayRead, type CallerRow } from '../domain/reader-reads';
import {
  TYPED_CHECK_SQL,
  typedCheckValues,
  typedShapeAccepted,
  type TypedField,
  type TypedPosition,
} from '../domain/typed-reads';
import { rowsOf, unlessFailing, verifiedUserId } from './fast-read';
import { MAX_OPERATION_NAME, onlyQueryField } from './fast-graphql';
import { noteRead } from './audit-reads';

/**
 * Strapi's own GraphQL types, answered again from what Apollo answered (the rule and its statement:
 * src/domain/typed-reads.ts). `typedAnswer` gives the kept answer when TYPED_CHECK_SQL finds the caller allowed, the
 * issue sent to them and its version unchanged; otherwise what to keep once Apollo has answered (`keepTypedAnswer`),
 * or null when this query is not one it answers.
 */

const ISSUE_FIND_ONE = 'api::issue.issue.findOne';
const MODELS: Record<TypedPosition['model'], string> = {
  issue: 'api::issue.issue',
  item: 'api::item.item',
  unit: 'api::unit.unit',
  recipient: 'bulletin.recipient',
  group: 'api::recipient-group.recipient-group',
};
const NOT_SCALAR = new Set(['relation', 'component', 'dynamiczone', 'media']);
const DOCUMENT_FIELDS = new Set(['documentId', 'createdAt', 'updatedAt', 'publishedAt']);

type Attribute = { type: string; private?: boolean };
type Model = { attributes: Record<string, Attribute> };

/** Whether the GraphQL type of a model has this field as a scalar: a public attribute that is not a relation. */
function scalarOf(strapi: Core.Strapi): (model: TypedPosition['model'], field: string) => boolean {
  return (model, field) => {
    const uid = MODELS[model];
    const schema = (model === 'recipient'
      ? strapi.components[uid as never]
      : strapi.contentTypes[uid as never]) as unknown as Model | undefined;
    if (schema === undefined) return false;
    if (model === 'recipient' ? field === 'id' : DOCUMENT_FIELDS.has(field)) return true;
    const attribute = Object.prototype.hasOwnProperty.call(schema.attributes, field)
      ? schema.attributes[field]
      : undefined;
    return attribute !== undefined && attribute.private !== true && !NOT_SCALAR.has(attribute.type);
  };
}

function fieldOf(node: FieldNode): TypedField {
  const set = node.selectionSet;
  return {
    name: node.name.value,
    args: (node.arguments ?? []).map((argument) => argument.name.value),
    directives: (node.directives ?? []).length > 0,
    fragments: set !== undefined && set.selections.some((selection) => selection.kind !== Kind.FIELD),
    fields:
      set === undefined
        ? null
        : set.selections.filter((selection): selection is FieldNode => selection.kind === Kind.FIELD).map(fieldOf),
  };
}

type TypedPlan = { responseKey: string; documentId: { literal: string } | { variable: string } };

function planOf(strapi: Core.Strapi, document: DocumentNode, operationName: unknown): TypedPlan | null {
  const root = onlyQueryField(document, operationName)?.field;
  if (root === undefined || !typedShapeAccepted(fieldOf(root), scalarOf(strapi))) return null;
  const value = (root.arguments ?? [])[0].value;
  const documentId =
    value.kind === Kind.STRING
      ? { literal: value.value }
      : value.kind === Kind.VARIABLE
        ? { variable: value.name.value }
        : null;
  return documentId === null ? null : { responseKey: root.alias?.value ?? root.name.value, documentId };
}

const plans = new Map<string, TypedPlan | null>();
/** As for the record's queries: a few query texts of at most 4 kB, 200 kept. */
const MAX_QUERY_LENGTH = 4096;
const MAX_PLANS = 200;

function typedPlan(strapi: Core.Strapi, query: string, operationName: unknown): TypedPlan | null {
  if (query.length > MAX_QUERY_LENGTH) return null;
  if (operationName !== undefined && operationName !== null && typeof operationName !== 'string') return null;
  if (typeof operationName === 'string' && operationName.length > MAX_OPERATION_NAME) return null;
  const key = `${typeof operationName === 'string' ? `named ${operationName}` : 'anonymous'}\u0000${query}`;
  let plan = plans.get(key);
  if (plan === undefined) {
    try {
      plan = planOf(strapi, parse(query, { noLocation: true }), operationName);
    } catch {
      plan = null; // a syntax error: Apollo reports it
    }
    if (plans.size >= MAX_PLANS) plans.clear();
    plans.set(key, plan);
  }
  return plan;
}

// ---- the answers kept -----------------------------------------------------------------------------------------------

type Kept = { version: string; body: Buffer };
/** A whole issue of 20 items with every field is about 40 kB; a larger answer is not kept. */
const MAX_KEPT_ANSWER = 256 * 1024;
/** At most 32 MB of answers in a process, the least recently used forgotten first. */
const MAX_KEPT_BYTES = 32 * 1024 * 1024;

/** What an entry holds: its key and version as UTF-8, its answer, and the map's own bookkeeping (about 200 bytes). */
const sizeOf = (key: string, kept: Kept): number =>
  Buffer.byteLength(key) + Buffer.byteLength(kept.version) + kept.body.length + 200;

class KeptAnswers {
  private readonly entries = new Map<string, Kept>();
  private bytes = 0;
  get(key: string): Kept | undefined {
    const kept = this.entries.get(key);
    if (kept !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, kept);
    }
    return kept;
  }
  set(key: string, kept: Kept): void {
    this.delete(key);
    this.entries.set(key, kept);
    this.bytes += sizeOf(key, kept);
    for (const oldest of this.entries.keys()) {
      if (this.bytes <= MAX_KEPT_BYTES) break;
      this.delete(oldest);
    }
  }
  private delete(key: string): void {
    const kept = this.entries.get(key);
    if (kept === undefined) return;
    this.entries.delete(key);
    this.bytes -= sizeOf(key, kept);
  }
}
const kept = new KeptAnswers();

/** What to keep of Apollo's answer to this request: under which key, for which version, the answer's field. */
export type PendingTypedAnswer = { key: string; version: string; responseKey: string };
type CheckRow = CallerRow & {
  state: string | null;
  grants: string;
  issue: number | null;
  elsewhere: boolean | null;
  version: string | null;
};

export type TypedRequest = { query: string; operationName?: unknown; variables?: unknown };

/** The kept answer, or what to keep once Apollo has answered, or null: not a query answered here. */
export const typedAnswer = (
  strapi: Core.Strapi,
  authorization: string,
  request: TypedRequest,
): Promise<{ answer: Buffer } | { pending: PendingTypedAnswer } | null> =>
  unlessFailing(strapi, () => typedLookup(strapi, authorization, request));

async function typedLookup(
  strapi: Core.Strapi,
  authorization: string,
  request: TypedRequest,
): Promise<{ answer: Buffer } | { pending: PendingTypedAnswer } | null> {
  const plan = typedPlan(strapi, request.query, request.operationName);
  if (plan === null) return null;
  const { variables } = request;
  if (variables !== undefined && variables !== null && (typeof variables !== 'object' || Array.isArray(variables)))
    return null;
  const documentId =
    'literal' in plan.documentId
      ? plan.documentId.literal
      : (variables as Record<string, unknown> | null | undefined)?.[plan.documentId.variable];
  if (typeof documentId !== 'string') return null;
  const userId = verifiedUserId(strapi, authorization);
  if (userId === null) return null;
  const [row] = await rowsOf<CheckRow>(strapi, TYPED_CHECK_SQL, typedCheckValues(userId, ISSUE_FIND_ONE, documentId));
  if (!mayRead(row) || row.issue === null || row.version === null || row.elsewhere !== false || row.state === null)
    return null;
  const version = `${row.state}#${row.grants}#${row.version}`;
  // The answer depends on the variables only through the documentId: an accepted query has no other argument, and a
  // variable declared and not used is an error (not kept). Other keys of `variables` are ignored by graphql-js, and
  // here: they neither make another entry nor push others out.
  const operation = typeof request.operationName === 'string' ? request.operationName : '';
  const key = JSON.stringify([userId, operation, request.query, documentId]);
  const known = kept.get(key);
  if (known !== undefined && known.version === version) {
    noteRead(strapi, 'account', userId, { documentId }); // as the Document Service read would (the trail's first read)
    return { answer: known.body };
  }
  return { pending: { key, version, responseKey: plan.responseKey } };
}

/**
 * Keeps Apollo's answer to a request `typedAnswer` left to it: a 200 whose JSON is `{"data":{"<field>":{…}}}` and
 * nothing else (no error, no extension). Its version is the one taken before Apollo ran: a write in between makes it
 * older than the rows, and the next request sees a new version and asks Apollo again.
 */
export function keepTypedAnswer(pending: PendingTypedAnswer, status: number, body: unknown): void {
  if (status !== 200) return;
  const given = typeof body === 'string' ? Buffer.from(body) : Buffer.isBuffer(body) ? body : null;
  if (given === null || given.length > MAX_KEPT_ANSWER || !given.subarray(0, 9).equals(DATA_OPEN)) return;
  // A memory of its own: a short answer made from a string is a slice of Node's shared 8 kB pool, which it would keep.
  const bytes = Buffer.allocUnsafeSlow(given.length);
  given.copy(bytes);
  try {
    const answer = JSON.parse(bytes.toString()) as Record<string, unknown>;
    const data = answer.data as Record<string, unknown> | null;
    if (Object.keys(answer).length !== 1 || data === null || typeof data !== 'object' || Object.keys(data).length !== 1)
      return;
    if (typeof data[pending.responseKey] !== 'object' || data[pending.responseKey] === null) return;
  } catch {
    return;
  }
  kept.set(pending.key, { version: pending.version, body: bytes });
}
const DATA_OPEN = Buffer.from('{"data":{');
