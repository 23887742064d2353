import type { Core } from '@strapi/strapi';
import {
  RETRY_AFTER_SECONDS,
  unavailableBody,
  unavailableGraphqlBody,
  isDatabaseUnavailable,
} from '../domain/database-faults';
import { databaseRecentlyUnavailable, metUnavailableDatabase } from '../strapi/database-faults';

/**
 * One place where "the database is unavailable" becomes 503 (config/middlewares.ts: right inside Strapi's errors
 * middleware, so it sees every error of the routes, the admin, the plugins and Apollo's koa handler first):
 * - a request that throws a database-unavailable error (refused, lost, timed out; src/domain/database-faults.ts), or
 *   throws anything after meeting one, answers 503 with Strapi's error shape, `ServiceUnavailableError`;
 * - a request that met one and answers an error anyway (users-permissions answers 401 when its own look-up fails;
 *   GraphQL answers 200 with a resolver's error) answers the same 503 instead;
 * - a 401 while the database is failing (no answer since its last failure, src/strapi/database-faults.ts) is the
 *   outage too: the credentials could not be checked;
 * - on the GraphQL endpoint the 503 is a GraphQL answer: `errors[0].extensions.code` = `SERVICE_UNAVAILABLE`.
 * `Retry-After` tells clients when to try again. Everything else passes untouched.
 */

type Context = {
  path: string;
  status: number;
  body: unknown;
  set: (name: string, value: string) => void;
};

function graphqlAnswerHasErrors(body: unknown): boolean {
  if (typeof body !== 'string' && !Buffer.isBuffer(body)) return false;
  try {
    const parsed = JSON.parse(body.toString()) as { errors?: unknown };
    return Array.isArray(parsed.errors) && parsed.errors.length > 0;
  } catch {
    return false;
  }
}

export default (_config: unknown, { strapi }: { strapi: Core.Strapi }) => {
  const graphqlEndpoint = strapi.plugin('graphql')?.config<string | undefined>('endpoint');
  let lastLogged = 0;

  const answer = (ctx: Context, cause: unknown) => {
    // One line every 10 s at most: an outage is reported, not repeated for every request.
    if (Date.now() - lastLogged > 10000) {
      lastLogged = Date.now();
      strapi.log.warn(
        `Database unavailable; answering 503 (${cause instanceof Error ? cause.message : String(cause)})`,
      );
    }
    ctx.status = 503;
    ctx.set('Retry-After', String(RETRY_AFTER_SECONDS));
    ctx.set('Cache-Control', 'no-store');
    ctx.body = ctx.path === graphqlEndpoint ? unavailableGraphqlBody() : unavailableBody();
  };

  return async (ctx: Context, next: () => Promise<unknown>) => {
    try {
      await next();
    } catch (error) {
      if (isDatabaseUnavailable(error) || metUnavailableDatabase(ctx)) {
        answer(ctx, error);
        return;
      }
      throw error;
    }
    // Not authenticated while the database is failing: the credentials could not be checked, so it is the outage.
    if (ctx.status === 401 && databaseRecentlyUnavailable()) {
      answer(ctx, 'answered 401 while the database was failing');
      return;
    }
    if (!metUnavailableDatabase(ctx) || ctx.status === 503) return undefined;
    if (ctx.status >= 400 || (ctx.path === graphqlEndpoint && graphqlAnswerHasErrors(ctx.body))) {
      answer(ctx, `answered ${ctx.status} after a failed database call`);
    }
    return undefined;
  };
};
