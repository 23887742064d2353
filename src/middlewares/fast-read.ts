import type { Core } from '@strapi/strapi';
import { isInt32, pageRequest, yearOfSegment } from '../domain/record';
import { isEdition } from '../domain/labels';
import { fastReadable, fastRecord, fastYearList, graphqlBody, listJsonOf } from '../strapi/fast-read';
import { connectionOf, sendRecord } from '../strapi/record';
import { graphqlArguments, graphqlPlan } from '../strapi/fast-graphql';
import { projectSelection, UNSURE } from '../strapi/record-graphql';
import { replayedHeaders, type HeaderSet } from '../strapi/fast-read-headers';
import { keepTypedAnswer, typedAnswer, type PendingTypedAnswer } from '../strapi/typed-reads';

/**
 * The readers' fast path (src/strapi/fast-read.ts) in front of the routes front ends read most:
 *   GET  /api/bulletin/:publication/:year/:number[?edition=…]   one signed-off record
 *   GET  /api/bulletin/:publication/:year[?page=&pageSize=]       the issues of a year, newest first
 *   POST /graphql  { bulletinIssue(…) {…} } or { bulletinIssues(…) {…} }   the same two over GraphQL
 *                  (which queries: src/strapi/fast-graphql.ts; the answers: projected as graphql-js would)
 *   POST /graphql  { issue(documentId: …) { … items { … } … } }   Strapi's own types: Apollo's answer kept and given
 *                  again while nothing it was made of changed (src/strapi/typed-reads.ts)
 * It answers only a readable result for a users-permissions reader or contributor; everything else (other callers,
 * other queries, errors, not found, not allowed) goes on to Strapi's own route or Apollo, unchanged.
 *
 * It sits twice in config/middlewares.ts. `{ ahead: true }`, right after the logger, answers the requests without an
 * `Origin` (servers, front ends' back ends, curl) before Strapi's chain: with the headers the middlewares it skips
 * would have set, worked out once (src/strapi/fast-read-headers.ts). A request it leaves (not readable, another query)
 * is not tried again; an error it meets (a body that is not JSON, the database down) is thrown by the second one, in
 * its old place inside the chain, so it is answered exactly as before. The second one also answers the requests
 * with an `Origin`, after Strapi's CORS.
 */

const RECORD_PATH = /^\/api\/bulletin\/([^/]+)\/(\d+)\/(\d+)$/;
const YEAR_PATH = /^\/api\/bulletin\/([^/]+)\/(\d+)$/;

type Context = {
  method: string;
  url: string;
  path: string;
  query: Record<string, unknown>;
  request: { body?: unknown };
  get: (name: string) => string;
  set: (name: string, value: string) => void;
  vary: (field: string) => void;
  status: number;
  body: unknown;
  type: string;
  state: Record<string, unknown>;
};

/** What the first instance left for the second: tried and left to the route, or the error it met. */
type Attempt = { tried: true; error?: unknown };
const ATTEMPT = 'bulletinFastRead';
/** Apollo's answer to keep for Strapi's own types, once it has answered (src/strapi/typed-reads.ts). */
const PENDING = 'bulletinTypedPending';

const decoded = (segment: string): string | null => {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null; // malformed percent-encoding: Strapi's router answers it
  }
};

/** A path's number as the integer columns hold it; beyond that the normal route answers (400 / 404). */
const int32 = (digits: string): number | null => (isInt32(Number(digits)) ? Number(digits) : null);

// ---- GraphQL -------------------------------------------------------------------------------------------------------

type Parser = (ctx: Context, next: () => Promise<unknown>) => Promise<unknown>;
let graphqlBodyParser: Parser | null | undefined;
let graphqlCors: Parser | null | undefined;

const apolloSetting = (strapi: Core.Strapi, name: string): unknown =>
  strapi.plugin('graphql').config<Record<string, unknown> | undefined>('apolloServer')?.[name];

/** The plugin's route runs @koa/cors (with Apollo's `cors` setting) ahead of its body parser; null when turned off. */
function graphqlCorsOf(strapi: Core.Strapi): Parser | null {
  if (graphqlCors === undefined) {
    const setting = apolloSetting(strapi, 'cors');
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on the first GraphQL request only, as Strapi's own middleware would
    const cors = require('@koa/cors') as (options?: object) => Parser;
    graphqlCors =
      setting === false ? null : cors(typeof setting === 'object' && setting !== null ? setting : undefined);
  }
  return graphqlCors;
}

/**
 * Answers a GraphQL request on the fast path where it can; false where Apollo must. Like the plugin's route, all of
 * it runs inside the route's CORS step (so even a body the parser refuses gets the same headers), and an answer is
 * marked `Cache-Control: no-store` as Apollo marks its own.
 */
async function answerGraphql(strapi: Core.Strapi, ctx: Context, prepare: () => Promise<void>): Promise<boolean> {
  let answered = false;
  const attempt = async () => {
    const answer = await graphqlAnswer(strapi, ctx);
    if (answer === null) return;
    await prepare();
    ctx.set('Cache-Control', 'no-store');
    ctx.type = 'application/json; charset=utf-8';
    ctx.body = answer;
    answered = true;
  };
  const cors = graphqlCorsOf(strapi);
  if (cors === null) await attempt();
  else await cors(ctx, attempt);
  return answered;
}

/** The media type of a header value, lower case, without parameters. */
const mediaType = (value: string): string => value.split(';')[0].trim().toLowerCase();

/**
 * Whether Apollo answers this `Accept` with `application/json`, for sure: none given, or only `application/json` and
 * the wildcard (not refused with q=0). Anything else (`application/graphql-response+json`, 406 cases) is Apollo's.
 */
function acceptsJsonOnly(accept: string): boolean {
  if (accept.trim() === '') return true;
  return accept
    .split(',')
    .every(
      (range) => ['application/json', '*/*'].includes(mediaType(range)) && !/;\s*q\s*=\s*0(\.0*)?\s*(;|$)/i.test(range),
    );
}

/**
 * Strapi leaves the GraphQL body to the plugin's own koa-bodyparser; the fast path parses it first with the same
 * parser and settings, and that parser then sees the body parsed and lets it through.
 */
async function parseGraphqlBody(strapi: Core.Strapi, ctx: Context): Promise<void> {
  if (ctx.request.body !== undefined) return;
  if (graphqlBodyParser === undefined) {
    const setting = apolloSetting(strapi, 'bodyParserConfig') ?? true;
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on the first GraphQL request only, as Strapi's own middleware would
    const bodyParser = require('koa-bodyparser') as (options?: object) => Parser;
    graphqlBodyParser =
      setting === false ? null : bodyParser(typeof setting === 'object' && setting !== null ? setting : undefined);
  }
  if (graphqlBodyParser !== null) await graphqlBodyParser(ctx, () => Promise.resolve());
}

async function graphqlAnswer(strapi: Core.Strapi, ctx: Context): Promise<Buffer | null> {
  if (mediaType(ctx.get('Content-Type')) !== 'application/json' || !acceptsJsonOnly(ctx.get('Accept'))) return null;
  await parseGraphqlBody(strapi, ctx);
  const body = ctx.request.body as
    | { query?: unknown; operationName?: unknown; variables?: unknown; extensions?: unknown }
    | undefined;
  if (typeof body !== 'object' || body === null || Array.isArray(body) || typeof body.query !== 'string') return null;
  if (body.extensions !== undefined) return null; // persisted queries and the like: Apollo's
  const plan = graphqlPlan(body.query, body.operationName);
  if (plan === null) {
    const typed = await typedAnswer(strapi, ctx.get('Authorization'), {
      query: body.query,
      operationName: body.operationName,
      variables: body.variables,
    });
    if (typed === null) return null;
    if ('answer' in typed) return typed.answer;
    ctx.state[PENDING] = typed.pending;
    return null;
  }
  const args = graphqlArguments(plan, body.variables);
  if (args === null || typeof args.publication !== 'string' || !isInt32(args.year)) return null;
  if (plan.field === 'bulletinIssue') {
    const edition = args.edition ?? 'regular';
    if (!isInt32(args.number) || !isEdition(edition)) return null;
    const answers = await fastRecord(strapi, ctx.get('Authorization'), {
      publication: args.publication,
      year: args.year,
      number: args.number,
      edition,
    });
    return answers === null ? null : answers.graphql(plan);
  }
  const page = pageRequest({ page: args.page, pageSize: args.pageSize });
  if (Array.isArray(page)) return null;
  const list = await fastYearList(
    strapi,
    ctx.get('Authorization'),
    { publication: args.publication, year: args.year },
    page,
  );
  if (list === null) return null;
  const projected = projectSelection('BulletinIssueList', connectionOf(list), plan.selectionSet);
  return projected === UNSURE ? null : graphqlBody(plan.responseKey, Buffer.from(JSON.stringify(projected)));
}

// ---- the middleware -------------------------------------------------------------------------------------------------

const replay = (ctx: Context, headers: HeaderSet): void => {
  for (const [name, value] of headers) ctx.set(name, value as string);
};

export default (config: { ahead?: boolean } | undefined, { strapi }: { strapi: Core.Strapi }) => {
  const ahead = config?.ahead === true;
  // Exactly the URL Strapi's koa-body leaves to the plugin's own parser (this runs before koa-body).
  const graphqlEndpoint = strapi.plugin('graphql')?.config<string | undefined>('endpoint');

  /** Answers the request, or returns false where the route must; `prepare` runs just before an answer is written. */
  const answer = async (
    ctx: Context,
    authorization: string,
    prepare: (kind: string) => Promise<void>,
  ): Promise<boolean> => {
    if (ctx.method === 'GET') {
      const record = RECORD_PATH.exec(ctx.path);
      if (record !== null) {
        const [publication, year, number] = [decoded(record[1]), int32(record[2]), int32(record[3])];
        const edition = typeof ctx.query.edition === 'string' ? ctx.query.edition : 'regular';
        if (publication === null || year === null || number === null || !isEdition(edition)) return false;
        const found = await fastRecord(strapi, authorization, { publication, year, number, edition });
        if (found === null) return false;
        await prepare('record');
        sendRecord(ctx, found.rest);
        return true;
      }
      const year = YEAR_PATH.exec(ctx.path);
      if (year !== null) {
        const [publication, yearNumber] = [decoded(year[1]), yearOfSegment(year[2])];
        const page = pageRequest({ page: ctx.query.page, pageSize: ctx.query.pageSize });
        if (publication === null || yearNumber === null || Array.isArray(page)) return false;
        const list = await fastYearList(strapi, authorization, { publication, year: yearNumber }, page);
        if (list === null) return false;
        await prepare('year');
        ctx.set('Cache-Control', 'private, no-cache');
        ctx.vary('Authorization');
        ctx.type = 'application/json; charset=utf-8';
        ctx.body = listJsonOf(list);
        return true;
      }
      return false;
    }
    if (ctx.method === 'POST' && graphqlEndpoint !== undefined && ctx.url === graphqlEndpoint) {
      return answerGraphql(strapi, ctx, () => prepare('graphql'));
    }
    return false;
  };

  /** The headers the skipped middlewares would have set on this kind of answer. */
  const headersOf = async (ctx: Context, kind: string): Promise<void> => {
    const [method, url] = kind === 'graphql' ? ['POST', graphqlEndpoint as string] : ['GET', ctx.path];
    replay(ctx, await replayedHeaders(strapi, kind, method, url, { authorization: 'Bearer -' }));
  };
  const nothing = () => Promise.resolve();

  /** The route answers; an answer of Apollo's asked to be kept is kept (the instance that asked keeps it). */
  const routed = async (ctx: Context, next: () => Promise<unknown>): Promise<void> => {
    await next();
    const pending = ctx.state[PENDING] as PendingTypedAnswer | undefined;
    if (pending === undefined) return;
    ctx.state[PENDING] = undefined;
    keepTypedAnswer(pending, ctx.status, ctx.body);
  };

  return async (ctx: Context, next: () => Promise<unknown>) => {
    const authorization = ctx.get('Authorization');
    if (authorization === '' || !strapi.config.get('bulletin.fastRead', true) || !fastReadable(strapi)) return next();
    if (ahead) {
      // ctx.query is qs's parse wherever this runs: strapi::query installs it on the app at start, not per request.
      if (ctx.get('Origin') !== '') return next();
      let answered = false;
      try {
        answered = await answer(ctx, authorization, (kind) => headersOf(ctx, kind));
        ctx.state[ATTEMPT] = { tried: true } satisfies Attempt;
      } catch (error) {
        ctx.state[ATTEMPT] = { tried: true, error } satisfies Attempt;
      }
      return answered ? undefined : routed(ctx, next);
    }
    const earlier = ctx.state[ATTEMPT] as Attempt | undefined;
    if (earlier !== undefined) {
      if ('error' in earlier) throw earlier.error;
      return next();
    }
    return (await answer(ctx, authorization, nothing)) ? undefined : routed(ctx, next);
  };
};
