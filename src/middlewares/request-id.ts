import { randomUUID } from 'crypto';
import type { Core } from '@strapi/strapi';

/**
 * Every request carries an id: the caller's X-Request-Id when it is a plain token (letters, digits, - and _, at most
 * 64), otherwise a new UUID. It is answered in X-Request-Id and kept in the request's state, so that a log line about
 * a failure (src/strapi/process-guard.ts) names the request it came from.
 */

const GIVEN = /^[A-Za-z0-9_-]{1,64}$/;

type Context = {
  get: (name: string) => string;
  set: (name: string, value: string) => void;
  state: Record<string, unknown>;
};

export default (_config: unknown, _options: { strapi: Core.Strapi }) => {
  return async (ctx: Context, next: () => Promise<void>) => {
    const given = ctx.get('x-request-id');
    const id = GIVEN.test(given) ? given : randomUUID();
    ctx.state.requestId = id;
    ctx.set('X-Request-Id', id);
    await next();
  };
};
