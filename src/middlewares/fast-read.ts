import type { Core } from '@strapi/strapi';
import { Kind, parse, type DocumentNode, type ValueNode } from 'graphql';
import { pageRequest } from '../domain/record';
import { fastReadable, fastRecord, fastYearList, graphqlBody } from '../strapi/fast-read';
import { sendRecord } from '../strapi/record';

/**
 * The readers' fast path (src/strapi/fast-read.ts) in front of the routes front ends read most:
 *   GET  /api/bulletin/:publication/:year/:number[?edition=…]   one signed-off record
 *   GET  /api/bulletin/:publication/:year[?page=&pageSize=]       the issues of a year, newest first
 *   POST /graphql  { bulletinIssue(…) } or { bulletinIssues(…) }  the same two, as a GraphQL answer
 * It answers only a readable result for a users-permissions reader or contributor; everything else (other callers,
 * other queries, errors, not found, not allowed) goes on to Strapi's own route or Apollo, unchanged.
 */

const RECORD_PATH = /^\/api\/bulletin\/([^/]+)\/(\d+)\/(\d+)$/;
const YEAR_PATH = /^\/api\/bulletin\/([^/]+)\/(\d+)$/;
const EDITIONS = new Set(['regular', 'supplement', 'special']);

type Context = {
  method: string;
  url: string;
  path: string;
  query: Record<string, unknown>;
  request: { body?: unknown };
  get: (name: string) => string;
  set: (name: string, value: string) => void;
  status: number;
  body: unknown;
  type: string;
};

const decoded = (segment: string): string | null => {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null; // malformed percent-encoding: Strapi's router answers it
  }
};

// ---- GraphQL: which queries qualify ---------------------------------------------------------------------------------

type Argument = { literal: unknown } | { variable: string };
type Plan = { field: 'bulletinIssue' | 'bulletinIssues'; responseKey: string; args: Map<string, Argument> };
const ARGUMENTS = {
  bulletinIssue: new Set(['publication', 'year', 'number', 'edition']),
  bulletinIssues: new Set(['publication', 'year', 'page', 'pageSize']),
};

function literal(value: ValueNode): Argument | null {
  switch (value.kind) {
    case Kind.VARIABLE:
      return { variable: value.name.value };
    case Kind.STRING:
      return { literal: value.value };
    case Kind.INT:
      return { literal: Number(value.value) };
    case Kind.NULL:
      return { literal: null };
    default:
      return null;
  }
}

/** A query of exactly one of our two fields, no fragments, directives or other fields; otherwise null (Apollo's). */
function planOf(document: DocumentNode, operationName: unknown): Plan | null {
  if (document.definitions.length !== 1) return null;
  const operation = document.definitions[0];
  if (operation.kind !== Kind.OPERATION_DEFINITION || operation.operation !== 'query') return null;
  if (operationName !== undefined && operationName !== null && operationName !== operation.name?.value) return null;
  if ((operation.directives ?? []).length > 0 || operation.selectionSet.selections.length !== 1) return null;
  const field = operation.selectionSet.selections[0];
  if (field.kind !== Kind.FIELD || (field.directives ?? []).length > 0 || field.selectionSet !== undefined) return null;
  const name = field.name.value;
  if (name !== 'bulletinIssue' && name !== 'bulletinIssues') return null;
  const args = new Map<string, Argument>();
  for (const argument of field.arguments ?? []) {
    const value = literal(argument.value);
    if (value === null || !ARGUMENTS[name].has(argument.name.value)) return null;
    args.set(argument.name.value, value);
  }
  return { field: name, responseKey: field.alias?.value ?? name, args };
}

const plans = new Map<string, Plan | null>();
function planFor(query: string, operationName: unknown): Plan | null {
  const key = `${String(operationName)}\u0000${query}`;
  if (!plans.has(key)) {
    let plan: Plan | null = null;
    try {
      plan = planOf(parse(query, { noLocation: true }), operationName);
    } catch {
      plan = null; // a syntax error: Apollo reports it
    }
    if (plans.size >= 500) plans.clear();
    plans.set(key, plan);
  }
  return plans.get(key) ?? null;
}

function argumentValues(plan: Plan, variables: unknown): Record<string, unknown> | null {
  const values: Record<string, unknown> = {};
  for (const [name, argument] of plan.args) {
    if ('literal' in argument) values[name] = argument.literal;
    else if (typeof variables === 'object' && variables !== null && argument.variable in variables) values[name] = (variables as Record<string, unknown>)[argument.variable];
    else return null; // an undeclared or missing variable: Apollo says what is wrong
  }
  return values;
}

const isInt = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value) && Math.abs(value) <= 2_147_483_647;

type Parser = (ctx: Context, next: () => Promise<unknown>) => Promise<unknown>;
let graphqlBodyParser: Parser | null | undefined;

/**
 * Strapi leaves the GraphQL body to the plugin's own koa-bodyparser; the fast path parses it first with the same
 * parser and settings, and that parser then sees the body parsed and lets it through.
 */
async function parseGraphqlBody(strapi: Core.Strapi, ctx: Context): Promise<void> {
  if (ctx.request.body !== undefined) return;
  if (graphqlBodyParser === undefined) {
    const setting = (strapi.plugin('graphql').config('apolloServer') as { bodyParserConfig?: unknown } | undefined)?.bodyParserConfig ?? true;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const bodyParser = require('koa-bodyparser') as (options?: object) => Parser;
    graphqlBodyParser = setting === false ? null : bodyParser(typeof setting === 'object' && setting !== null ? setting : undefined);
  }
  if (graphqlBodyParser !== null) await graphqlBodyParser(ctx, async () => undefined);
}

async function graphqlAnswer(strapi: Core.Strapi, ctx: Context): Promise<Buffer | null> {
  if (!/json/i.test(ctx.get('Content-Type'))) return null;
  await parseGraphqlBody(strapi, ctx);
  const body = ctx.request.body as { query?: unknown; operationName?: unknown; variables?: unknown } | undefined;
  if (typeof body !== 'object' || body === null || typeof body.query !== 'string') return null;
  const plan = planFor(body.query, body.operationName);
  if (plan === null) return null;
  const args = argumentValues(plan, body.variables);
  if (args === null || typeof args.publication !== 'string' || !isInt(args.year)) return null;
  if (plan.field === 'bulletinIssue') {
    const edition = args.edition ?? 'regular';
    if (!isInt(args.number) || typeof edition !== 'string' || !EDITIONS.has(edition)) return null;
    const answer = await fastRecord(strapi, ctx.get('Authorization'), { publication: args.publication, year: args.year, number: args.number, edition });
    return answer === null ? null : answer.graphql(plan.responseKey);
  }
  const page = pageRequest({ page: args.page, pageSize: args.pageSize });
  if (Array.isArray(page)) return null;
  const list = await fastYearList(strapi, ctx.get('Authorization'), { publication: args.publication, year: args.year }, page);
  return list === null ? null : graphqlBody(plan.responseKey, list);
}

// ---- the middleware -------------------------------------------------------------------------------------------------

export default (_config: unknown, { strapi }: { strapi: Core.Strapi }) => {
  // Exactly the URL Strapi's koa-body leaves to the plugin's own parser (this runs before koa-body).
  const graphqlEndpoint = strapi.plugin('graphql')?.config('endpoint') as string | undefined;
  return async (ctx: Context, next: () => Promise<unknown>) => {
    const authorization = ctx.get('Authorization');
    if (authorization === '' || strapi.config.get('bulletin.fastRead', true) !== true || !fastReadable(strapi)) return next();

    if (ctx.method === 'GET') {
      const record = RECORD_PATH.exec(ctx.path);
      if (record !== null) {
        const publication = decoded(record[1]);
        const edition = typeof ctx.query.edition === 'string' ? ctx.query.edition : 'regular';
        if (publication === null || !EDITIONS.has(edition)) return next();
        const found = await fastRecord(strapi, authorization, { publication, year: Number(record[2]), number: Number(record[3]), edition });
        if (found === null) return next();
        sendRecord(ctx, found.rest);
        return undefined;
      }
      const year = YEAR_PATH.exec(ctx.path);
      if (year !== null) {
        const publication = decoded(year[1]);
        const page = pageRequest({ page: ctx.query.page, pageSize: ctx.query.pageSize });
        if (publication === null || Array.isArray(page)) return next();
        const list = await fastYearList(strapi, authorization, { publication, year: Number(year[2]) }, page);
        if (list === null) return next();
        ctx.set('Cache-Control', 'private, no-cache');
        ctx.set('Vary', 'Authorization');
        ctx.type = 'application/json; charset=utf-8';
        ctx.body = list;
        return undefined;
      }
      return next();
    }

    if (ctx.method === 'POST' && graphqlEndpoint !== undefined && ctx.url === graphqlEndpoint) {
      const answer = await graphqlAnswer(strapi, ctx);
      if (answer === null) return next();
      ctx.type = 'application/json; charset=utf-8';
      ctx.body = answer;
      return undefined;
    }
    return next();
  };
};
