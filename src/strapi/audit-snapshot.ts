import type { Core } from '@strapi/strapi';
import { SYSTEM_FIELDS } from '../domain/system-fields';

/**
 * The stored versions of one document as the audit trail compares them (src/strapi/audit.ts): every row of the
 * documentId (draft and published), with its scalar fields by attribute name, its relations by documentId (an issue's
 * items with their position) and its components, as Strapi's query engine returns them with a populate.
 *
 * Two ways to read them, which give the same rows (tests/integration/audit-snapshot.test.ts compares them on every
 * kind of document and field):
 * - `strapiSnapshot`: Strapi's query engine with a populate — one statement for the rows and one per relation and
 *   component (an issue: a dozen). Used on SQLite.
 * - `sqlSnapshot`: one statement on PostgreSQL, built once per content type from Strapi's own metadata (tables, join
 *   tables, columns): each relation and component a json subquery; prepared, so it is planned once per connection.
 *   The trail reads a document before and after every write, so this is most of what it costs a write
 *   (`npm run bench:audit`).
 */

/** Bookkeeping Strapi maintains itself: not a change anyone made. */
export const SKIPPED = SYSTEM_FIELDS;
/** Inverse relations kept as history anyway: an issue's items, in their order. */
const INVERSE_KEPT: Record<string, string[]> = { 'api::issue.issue': ['items'] };
/** Relations whose targets are read with a field more than their documentId. */
const WITH_POSITION: Record<string, string[]> = { 'api::issue.issue': ['items'] };
const MAX_DEPTH = 3;

export type Attribute = {
  type: string;
  mappedBy?: string;
  component?: string;
  repeatable?: boolean;
  private?: boolean;
};
export type Row = Record<string, unknown> & { id: number; documentId: string; publishedAt?: string | null };
export type Snapshot = { draft: Row | null; published: Row | null };

type Models = Record<string, { attributes: Record<string, Attribute>; options?: { draftAndPublish?: boolean } }>;

export function attributesOf(strapi: Core.Strapi, uid: string): Record<string, Attribute> {
  const model = (strapi.contentTypes as unknown as Models)[uid] ?? (strapi.components as unknown as Models)[uid];
  return model?.attributes ?? {};
}

/** Whether an attribute of this model is part of the history: not bookkeeping, not an inverse side (but the kept). */
const recorded = (uid: string, name: string, attribute: Attribute): boolean =>
  !SKIPPED.has(name) &&
  !(attribute.type === 'relation' && attribute.mappedBy !== undefined && !(INVERSE_KEPT[uid] ?? []).includes(name));

function populateOf(strapi: Core.Strapi, uid: string, depth = 0): Record<string, unknown> {
  const populate: Record<string, unknown> = {};
  for (const [name, attribute] of Object.entries(attributesOf(strapi, uid))) {
    if (!recorded(uid, name, attribute)) continue;
    if (attribute.type === 'relation') {
      populate[name] = (WITH_POSITION[uid] ?? []).includes(name)
        ? { select: ['documentId', 'position'] }
        : { select: ['documentId'] };
    } else if (attribute.type === 'component' && attribute.component !== undefined && depth < MAX_DEPTH) {
      const inner = populateOf(strapi, attribute.component, depth + 1);
      populate[name] = Object.keys(inner).length > 0 ? { populate: inner } : true;
    }
  }
  return populate;
}

const draftAndPublish = (strapi: Core.Strapi, uid: string): boolean =>
  (strapi.contentTypes as unknown as Models)[uid]?.options?.draftAndPublish === true;

/** The rows of one documentId as its draft and published versions. */
function versionsOf(strapi: Core.Strapi, uid: string, rows: Row[]): Snapshot {
  if (!draftAndPublish(strapi, uid)) return { draft: rows[0] ?? null, published: null };
  return {
    draft: rows.find((row) => row.publishedAt === null) ?? null,
    published: rows.find((row) => row.publishedAt !== null) ?? null,
  };
}

/** The versions through Strapi's query engine (one statement per relation and component). */
export async function strapiSnapshot(strapi: Core.Strapi, uid: string, documentId: string): Promise<Snapshot> {
  const rows = (await strapi.db
    .query(uid)
    .findMany({ where: { documentId }, populate: populateOf(strapi, uid) })) as Row[];
  return versionsOf(strapi, uid, rows);
}

// ---- one statement on PostgreSQL ----------------------------------------------------------------------------------

type Column = { name: string; referencedColumn: string };
type JoinTable = {
  name: string;
  joinColumn: Column;
  inverseJoinColumn: Column;
  on?: Record<string, string>;
  orderColumnName?: string;
};
type MetaAttribute = {
  type: string;
  columnName?: string;
  relation?: string;
  target?: string;
  joinTable?: JoinTable;
  component?: string;
};
type Meta = { tableName: string; attributes: Record<string, MetaAttribute> };
export type Plan = {
  /** The prepared statement's name (one per content type) and text; its one parameter is the documentId. */
  name: string;
  sql: string;
  convert: (row: Record<string, unknown>) => Row;
};

/** Scalars a json_build_object renders as Strapi's query engine returns them (a date or json would not be). */
const PLAIN_IN_JSON = new Set([
  'string',
  'text',
  'richtext',
  'email',
  'uid',
  'enumeration',
  'integer',
  'boolean',
  'password',
]);
const TO_MANY = new Set(['oneToMany', 'manyToMany']);

const quote = (identifier: string): string => `"${identifier.replace(/"/g, '""')}"`;
const literal = (value: string): string => `'${value.replace(/'/g, "''")}'`;

class Unplannable extends Error {}

function metaOf(strapi: Core.Strapi, uid: string): Meta {
  const meta = (strapi.db.metadata as unknown as { get: (uid: string) => Meta | undefined }).get(uid);
  if (meta === undefined) throw new Unplannable(`no metadata for ${uid}`);
  return meta;
}

/**
 * The json expression of a relation or component of the row aliased `owner`: a list (to-many, repeatable) or an
 * object or null. `alias` numbers the nested tables.
 */
function linkedJson(
  strapi: Core.Strapi,
  uid: string,
  name: string,
  owner: string,
  depth: number,
  alias: { next: number },
): string {
  const schema = attributesOf(strapi, uid)[name];
  const attribute = metaOf(strapi, uid).attributes[name];
  const join = attribute?.joinTable;
  if (schema === undefined || attribute === undefined || join === undefined || attribute.target === undefined)
    throw new Unplannable(`${uid}.${name}: no join table`);
  const target = metaOf(strapi, attribute.target);
  const j = `j${alias.next}`;
  const t = `t${alias.next}`;
  alias.next += 1;
  let element: string;
  if (schema.type === 'component') {
    if (depth >= MAX_DEPTH) throw new Unplannable(`${uid}.${name}: components nested too deep`);
    element = objectJson(strapi, attribute.target, t, depth + 1, alias);
  } else {
    const fields = [`'documentId', ${t}.document_id`];
    if ((WITH_POSITION[uid] ?? []).includes(name)) {
      const position = target.attributes.position?.columnName;
      if (position === undefined) throw new Unplannable(`${uid}.${name}: no position`);
      fields.push(`'position', ${t}.${quote(position)}`);
    }
    element = `json_build_object(${fields.join(', ')})`;
  }
  const conditions = [`${j}.${quote(join.joinColumn.name)} = ${owner}.${quote(join.joinColumn.referencedColumn)}`];
  for (const [column, value] of Object.entries(join.on ?? {}))
    conditions.push(`${j}.${quote(column)} = ${literal(value)}`);
  const from = `FROM ${quote(join.name)} ${j} JOIN ${quote(target.tableName)} ${t} ON ${t}.${quote(join.inverseJoinColumn.referencedColumn)} = ${j}.${quote(join.inverseJoinColumn.name)} WHERE ${conditions.join(' AND ')}`;
  const many =
    schema.type === 'component' ? schema.repeatable === true : TO_MANY.has(attribute.relation ?? 'manyToOne');
  if (!many) return `(SELECT ${element} ${from} ORDER BY ${j}.id LIMIT 1)`;
  const order = join.orderColumnName === undefined ? `${j}.id` : `${j}.${quote(join.orderColumnName)}, ${j}.id`;
  return `COALESCE((SELECT json_agg(${element} ORDER BY ${order}) ${from}), '[]'::json)`;
}

/** A component's row as one json object: its plain scalars, relations and components by attribute name. */
function objectJson(strapi: Core.Strapi, uid: string, row: string, depth: number, alias: { next: number }): string {
  const meta = metaOf(strapi, uid);
  const fields: string[] = [];
  for (const [name, schema] of Object.entries(attributesOf(strapi, uid))) {
    if (!recorded(uid, name, schema)) continue;
    if (schema.type === 'relation' || schema.type === 'component') {
      fields.push(`${literal(name)}, ${linkedJson(strapi, uid, name, row, depth, alias)}`);
      continue;
    }
    const column = meta.attributes[name]?.columnName;
    if (column === undefined || !PLAIN_IN_JSON.has(schema.type))
      throw new Unplannable(`${uid}.${name}: a ${schema.type} inside a component`);
    fields.push(`${literal(name)}, ${row}.${quote(column)}`);
  }
  return `json_build_object(${fields.join(', ')})`;
}

/** A scalar column's value as Strapi's query engine returns it (src: @strapi/database's fields). */
function scalarConverter(type: string): (value: unknown) => unknown {
  if (type === 'json')
    return (value) => {
      if (typeof value !== 'string') return value;
      try {
        const parsed: unknown = JSON.parse(value);
        return typeof parsed === 'string' ? (JSON.parse(parsed) as unknown) : parsed;
      } catch {
        return value;
      }
    };
  if (type === 'datetime' || type === 'timestamp')
    return (value) => {
      const cast = value instanceof Date ? value : new Date(String(value));
      return Number.isNaN(cast.getTime()) ? null : cast.toISOString();
    };
  if (type === 'integer' || type === 'float' || type === 'decimal') return (value) => Number(value);
  if (type === 'biginteger') return (value) => String(value);
  return (value) => value;
}

function planFor(strapi: Core.Strapi, uid: string): Plan {
  const meta = metaOf(strapi, uid);
  const select: string[] = [];
  const scalars: { name: string; convert: (value: unknown) => unknown }[] = [];
  const linked: string[] = [];
  const alias = { next: 0 };
  for (const [name, attribute] of Object.entries(meta.attributes)) {
    if (attribute.type === 'relation' || attribute.type === 'component' || attribute.columnName === undefined) continue;
    select.push(`x.${quote(attribute.columnName)} AS ${quote(name)}`);
    scalars.push({ name, convert: scalarConverter(attribute.type) });
  }
  for (const [name, schema] of Object.entries(attributesOf(strapi, uid))) {
    if (!recorded(uid, name, schema) || (schema.type !== 'relation' && schema.type !== 'component')) continue;
    select.push(`${linkedJson(strapi, uid, name, 'x', 0, alias)} AS ${quote(name)}`);
    linked.push(name);
  }
  return {
    name: `bulletin_audit_snapshot_${meta.tableName}`.slice(0, 63),
    sql: `SELECT ${select.join(', ')} FROM ${quote(meta.tableName)} x WHERE x.document_id = $1 ORDER BY x.id`,
    convert: (row) => {
      const out: Record<string, unknown> = {};
      for (const { name, convert } of scalars) {
        const value = row[name];
        out[name] = value === null || value === undefined ? null : convert(value);
      }
      for (const name of linked) out[name] = row[name] ?? null;
      return out as Row;
    },
  };
}

const plans = new WeakMap<object, Map<string, Plan | null>>();

/** The statement for a content type, built once per app (null: a field it cannot render; Strapi's path then). */
export function snapshotPlan(strapi: Core.Strapi, uid: string): Plan | null {
  let perApp = plans.get(strapi);
  if (perApp === undefined) {
    perApp = new Map();
    plans.set(strapi, perApp);
  }
  if (!perApp.has(uid)) {
    let plan: Plan | null = null;
    try {
      plan = planFor(strapi, uid);
    } catch (error) {
      if (!(error instanceof Unplannable)) throw error;
      strapi.log.warn(`audit trail: ${error.message}; ${uid} is read through Strapi's query engine`);
    }
    perApp.set(uid, plan);
  }
  return perApp.get(uid) ?? null;
}

type PgResult = { rows: Record<string, unknown>[] };
type PgConnection = {
  query: (config: { name?: string; text: string; values?: unknown[] }) => Promise<PgResult | PgResult[]>;
};
type Pooled = {
  client: {
    acquireConnection: () => Promise<PgConnection>;
    releaseConnection: (connection: PgConnection) => Promise<unknown>;
  };
};

/**
 * Statements on the PostgreSQL connection of `knex` — a transaction's own connection when `knex` is a transaction
 * (knex hands it out and its release is then a no-op), else one from the pool for the time of the call. A `name`
 * makes it a prepared statement, parsed and planned once per connection rather than on every write (most of what a
 * snapshot's statement costs is its plan); without one and without values, several statements in one text go in one
 * round trip (PostgreSQL's simple query: each statement with a snapshot of its own).
 */
export async function onConnection(
  knex: unknown,
  query: { name?: string; text: string; values?: unknown[] },
): Promise<PgResult[]> {
  const { client } = knex as Pooled;
  const connection = await client.acquireConnection();
  try {
    const answer = await connection.query(query);
    return Array.isArray(answer) ? answer : [answer];
  } finally {
    await client.releaseConnection(connection);
  }
}

/** The versions in one prepared statement (PostgreSQL), through the write's transaction when there is one. */
export async function sqlSnapshot(
  strapi: Core.Strapi,
  uid: string,
  documentId: string,
  plan: Plan,
  trx?: unknown,
): Promise<Snapshot> {
  const [answer] = await onConnection(trx ?? strapi.db.connection, {
    name: plan.name,
    text: plan.sql,
    values: [documentId],
  });
  return versionsOf(strapi, uid, (answer?.rows ?? []).map(plan.convert));
}

/** The versions of a document (none for no documentId): one statement on PostgreSQL, Strapi's engine elsewhere. */
export async function snapshot(
  strapi: Core.Strapi,
  uid: string,
  documentId: string | undefined,
  trx?: unknown,
): Promise<Snapshot> {
  if (documentId === undefined || typeof documentId !== 'string') return { draft: null, published: null };
  const plan = strapi.db.dialect.client === 'postgres' ? snapshotPlan(strapi, uid) : null;
  return plan === null ? strapiSnapshot(strapi, uid, documentId) : sqlSnapshot(strapi, uid, documentId, plan, trx);
}
