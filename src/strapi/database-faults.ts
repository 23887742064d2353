import type { Core } from '@strapi/strapi';
import type { Client } from 'pg';
import { databaseFault, isDatabaseUnavailable, type DatabaseProbe } from '../domain/database-faults';

/**
 * Glue for "the database is unavailable" (rules: src/domain/database-faults.ts):
 * - which requests met an unavailable database, even where Strapi swallowed the error (users-permissions turns any
 *   failure of its own look-ups into "not authenticated"): knex's failed queries and the pool's failed acquisitions
 *   mark the request they ran for (Strapi's request context);
 * - a connection whose answer never came (node-postgres' query_timeout) is closed at once, so that the rollback that
 *   follows fails fast instead of queueing behind the lost answer, and the pool drops it;
 * - the health probe (`SELECT 1`, one at a time, bounded);
 * - a database error that nobody awaits (Strapi's own per-connection set-up, background work) is logged instead of
 *   ending the process.
 */

type KnexConnection = Client & { __knexUid?: string; __knex__disposed?: unknown };

type PoolEvents = {
  on(event: 'acquireFail' | 'createFail', handler: (eventId: number, error: Error) => void): void;
  on(event: 'acquireSuccess', handler: (eventId: number, resource: KnexConnection) => void): void;
  on(event: 'release', handler: (resource: KnexConnection) => void): void;
  removeListener(event: string, handler: (...args: never[]) => void): void;
};

type KnexEvents = {
  on(event: 'query-error', handler: (error: unknown, query: { __knexUid?: string }) => void): void;
  removeListener(event: string, handler: (...args: never[]) => void): void;
  client: { pool?: PoolEvents };
};

const knexOf = (strapi: Core.Strapi): KnexEvents => strapi.db.connection as unknown as KnexEvents;

/** Requests (their koa context) during which the database was found unavailable. */
const faultedRequests = new WeakSet();

/** When the database last failed, and last answered a query: a process-wide view for answers no event reached. */
const seen = { fault: 0, answer: 0 };

/**
 * Whether the database failed more recently than it last answered (within the last 15 s): a request whose own
 * failure went unnoticed (pool events can run outside its context) is then answered as the outage it met.
 */
export const databaseRecentlyUnavailable = (now = Date.now()): boolean =>
  seen.fault > seen.answer && now - seen.fault < 15000;

function markCurrentRequest(strapi: Core.Strapi, error: unknown): void {
  if (!isDatabaseUnavailable(error)) return;
  seen.fault = Date.now();
  const ctx: unknown = strapi.requestContext.get();
  if (typeof ctx === 'object' && ctx !== null) faultedRequests.add(ctx);
}

/** Whether this request met an unavailable database, whatever became of the error. */
export const metUnavailableDatabase = (ctx: object): boolean => faultedRequests.has(ctx);

/** Starts watching the pool and the queries; returns the function that stops it (at destroy). */
export function watchDatabaseFaults(strapi: Core.Strapi): () => void {
  const knex = knexOf(strapi);
  const pool = knex.client.pool;
  // Connections in use, by knex's id, to close the one whose answer timed out.
  const inUse = new Map<string, KnexConnection>();

  const onQueryError = (error: unknown, query: { __knexUid?: string }) => {
    markCurrentRequest(strapi, error);
    if (!(error instanceof Error) || !/(^| - )Query read timeout$/.test(error.message) || query.__knexUid === undefined)
      return;
    const connection = inUse.get(query.__knexUid);
    if (connection === undefined) return;
    connection.__knex__disposed = error;
    connection.connection.stream.destroy();
  };
  const onAcquireFail = (_eventId: number, error: Error) => markCurrentRequest(strapi, error);
  const onAcquire = (_eventId: number, connection: KnexConnection) => {
    if (connection.__knexUid !== undefined) inUse.set(connection.__knexUid, connection);
  };
  const onRelease = (connection: KnexConnection) => {
    if (connection.__knexUid !== undefined) inUse.delete(connection.__knexUid);
  };

  const onQueryResponse = () => {
    seen.answer = Date.now();
  };
  knex.on('query-error', onQueryError);
  (knex as unknown as { on: (event: 'query-response', handler: () => void) => void }).on(
    'query-response',
    onQueryResponse,
  );
  pool?.on('acquireFail', onAcquireFail);
  // A connection that fails while being made (its set-up, e.g. `SET search_path`) fails the request waiting for it.
  pool?.on('createFail', onAcquireFail);
  pool?.on('acquireSuccess', onAcquire);
  pool?.on('release', onRelease);
  return () => {
    knex.removeListener('query-error', onQueryError);
    knex.removeListener('query-response', onQueryResponse);
    pool?.removeListener('acquireFail', onAcquireFail);
    pool?.removeListener('createFail', onAcquireFail);
    pool?.removeListener('acquireSuccess', onAcquire);
    pool?.removeListener('release', onRelease);
    inUse.clear();
  };
}

// ---- health --------------------------------------------------------------------------------------------------------

/** The probe in flight, per app: concurrent health checks share one `SELECT 1` instead of queueing for connections. */
const probes = new WeakMap<Core.Strapi, Promise<DatabaseProbe>>();

/** `SELECT 1` through the app's own pool, answered within `timeoutMs` whatever the database does. */
export function probeDatabase(strapi: Core.Strapi, timeoutMs: number): Promise<DatabaseProbe> {
  let probe = probes.get(strapi);
  if (probe === undefined) {
    probe = Promise.resolve()
      .then(() => strapi.db.connection.raw('SELECT 1').timeout(timeoutMs, { cancel: false }))
      .then(
        (): DatabaseProbe => ({ reachable: true }),
        (error: unknown): DatabaseProbe => ({ reachable: false, fault: databaseFault(error) ?? 'error' }),
      )
      .finally(() => probes.delete(strapi));
    probes.set(strapi, probe);
  }
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<DatabaseProbe>((resolve) => {
    timer = setTimeout(() => resolve({ reachable: false, fault: 'timeout' }), timeoutMs);
  });
  return Promise.race([probe, late]).finally(() => clearTimeout(timer));
}

// ---- errors nobody awaits ------------------------------------------------------------------------------------------
