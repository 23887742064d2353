import type { Core } from '@strapi/strapi';
import { healthAnswer } from '../domain/database-faults';
import { databaseTimeouts } from '../domain/database-timeouts';
import { probeDatabase } from '../strapi/database-faults';

/**
 * `/_health` (any method, no authentication): 200 `{ status: 'ok', database: 'up' }` when `SELECT 1` answers within
 * HEALTH_CHECK_TIMEOUT, else 503 `{ status: 'unavailable', database: 'down' }`. Replaces Strapi's own `/_health`,
 * which answers 204 whatever the database does. Cheap: concurrent checks share one probe.
 */

type Context = { path: string; status: number; body: unknown; set: (name: string, value: string) => void };

export default (_config: unknown, { strapi }: { strapi: Core.Strapi }) => {
  const timeout = databaseTimeouts(process.env).health;
  return async (ctx: Context, next: () => Promise<unknown>) => {
    if (ctx.path !== '/_health') return next();
    const answer = healthAnswer(await probeDatabase(strapi, timeout));
    ctx.status = answer.status;
    ctx.set('Cache-Control', 'no-store');
    ctx.body = answer.body;
    return undefined;
  };
};
