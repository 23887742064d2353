import type { Core } from '@strapi/strapi';
import { Client, type ClientConfig } from 'pg';

/**
 * One process at a time through Strapi's start on PostgreSQL. Strapi's schema sync (strapi.db.schema.sync, run in
 * Strapi's bootstrap right after strapi.db.init) and the plugins' first-start writes (roles, permissions, the core
 * store) take no lock: several app processes started at once on an empty database each try to create the same tables
 * and rows, and all but one die. Here strapi.db.init is wrapped so that it first takes a PostgreSQL session advisory
 * lock on a connection of its own, held through the schema sync and every plugin's bootstrap and released at the end
 * of the app's bootstrap (src/index.ts, in a finally), when the app is destroyed, or — a process that dies — when its
 * connection closes. The others wait (polling pg_try_advisory_lock, so no statement timeout cuts the wait short),
 * then find the schema in place and change nothing. SQLite (one process by design): nothing to do.
 */

/** The advisory lock's key: any bigint the app uses for nothing else ("bulletin start" in ASCII). */
export const START_LOCK_KEY = '7089621734592148596';
/** How often a waiting process asks again, and how long it waits at most before it gives up with a clear message. */
const POLL_MS = 250;
const WAIT_LIMIT_MS = Number(process.env.START_LOCK_TIMEOUT ?? 600000);

/** The connection holding the lock: one of its own, outside the pool (a pool of one connection would deadlock). */
let held: Client | null = null;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function acquire(strapi: Core.Strapi): Promise<void> {
  const settings = strapi.config.get<ClientConfig>('database.connection.connection');
  const connection = new Client({ ...settings, statement_timeout: undefined, query_timeout: undefined });
  await connection.connect();
  // A connection that breaks while held frees the lock on the server; its error must not end this process.
  connection.on('error', (error) => strapi.log.warn(`start: the schema lock's connection broke (${error.message})`));
  const started = Date.now();
  let told = false;
  try {
    for (;;) {
      const result = await connection.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS locked', [
        START_LOCK_KEY,
      ]);
      if (result.rows[0]?.locked) break;
      if (!told) {
        strapi.log.info('start: another app process is syncing the database schema; waiting for it');
        told = true;
      }
      if (Date.now() - started > WAIT_LIMIT_MS) {
        throw new Error(
          `start: another app process held the schema lock for more than ${WAIT_LIMIT_MS} ms (START_LOCK_TIMEOUT); is one stuck?`,
        );
      }
      await sleep(POLL_MS);
    }
  } catch (error) {
    await connection.end().catch(() => undefined);
    throw error;
  }
  held = connection;
}

/** Releases the start lock if this process holds it (idempotent; a broken connection simply goes: the server frees it). */
export async function releaseStartLock(strapi: Core.Strapi): Promise<void> {
  const current = held;
  if (current === null) return;
  held = null;
  try {
    await current.query('SELECT pg_advisory_unlock($1::bigint) AS locked', [START_LOCK_KEY]);
  } catch (error) {
    strapi.log.warn(
      `start: releasing the schema lock failed (${error instanceof Error ? error.message : String(error)}); its connection closes`,
    );
  } finally {
    await current.end().catch(() => undefined);
  }
}

/** In register(): strapi.db.init takes the start lock first (PostgreSQL only). */
export function serializeStart(strapi: Core.Strapi): void {
  if (strapi.config.get('database.connection.client') !== 'postgres') return;
  const db = strapi.db as unknown as { init: (options: unknown) => Promise<unknown> };
  const init = db.init.bind(db);
  db.init = async (options: unknown) => {
    await acquire(strapi);
    try {
      return await init(options);
    } catch (error) {
      await releaseStartLock(strapi);
      throw error;
    }
  };
}
