import type { Core } from '@strapi/strapi';
import path from 'path';
import { databaseTimeouts } from '../src/domain/database-timeouts';
import { serializeQueries, type QueryClient } from '../src/strapi/serial-queries';

/**
 * Two databases:
 * - the embedded default (no configuration): one SQLite file under .tmp/, zero set-up, one process;
 * - PostgreSQL with DATABASE_CLIENT=postgres, from DATABASE_URL or DATABASE_HOST/PORT/NAME/USERNAME/PASSWORD.
 *
 * On PostgreSQL every wait is bounded (src/domain/database-timeouts.ts, README "Health and faults"): a request waits
 * at most DATABASE_CONNECTION_TIMEOUT for a pooled connection, opening one gives up after DATABASE_CONNECT_TIMEOUT, the
 * server cancels a statement after DATABASE_STATEMENT_TIMEOUT and the app stops waiting for an answer after
 * DATABASE_QUERY_TIMEOUT (a server that says nothing at all). A broken pooled connection is dropped, not reused:
 * knex marks a client that emitted 'error' or 'end' and the pool discards it when it is next taken.
 */
export default ({ env }: Core.Config.Shared.ConfigParams) => {
  const client = env('DATABASE_CLIENT', 'sqlite');

  if (client === 'sqlite') {
    return {
      connection: {
        client: 'sqlite',
        connection: {
          filename: path.resolve(process.cwd(), env('DATABASE_FILENAME', '.tmp/data.db')),
        },
        useNullAsDefault: true,
      },
    };
  }

  if (client !== 'postgres') {
    throw new Error(`DATABASE_CLIENT must be "sqlite" (the default) or "postgres", not "${client}".`);
  }

  const timeouts = databaseTimeouts(process.env);
  const url = env('DATABASE_URL', '');
  const ssl = env.bool('DATABASE_SSL', false)
    ? { rejectUnauthorized: env.bool('DATABASE_SSL_REJECT_UNAUTHORIZED', true) }
    : false;

  // node-postgres options of every connection: how long opening one may take, what the server enforces (sent with the
  // start-up packet; 0 = off), how long the app waits for any answer, and TCP keep-alive on idle connections.
  const pg = {
    connectionTimeoutMillis: timeouts.connect,
    ...(timeouts.statement > 0 ? { statement_timeout: timeouts.statement } : {}),
    ...(timeouts.idleInTransaction > 0 ? { idle_in_transaction_session_timeout: timeouts.idleInTransaction } : {}),
    query_timeout: timeouts.query,
    keepAlive: timeouts.keepAliveDelay > 0,
    keepAliveInitialDelayMillis: timeouts.keepAliveDelay,
    ssl,
  };

  return {
    connection: {
      client: 'postgres',
      connection:
        url !== ''
          ? { connectionString: url, ...pg }
          : {
              host: env('DATABASE_HOST', '127.0.0.1'),
              port: env.int('DATABASE_PORT', 5432),
              database: env('DATABASE_NAME', 'bulletin'),
              user: env('DATABASE_USERNAME', 'bulletin'),
              password: env('DATABASE_PASSWORD', 'bulletin'),
              schema: env('DATABASE_SCHEMA', 'public'),
              ...pg,
            },
      pool: {
        min: env.int('DATABASE_POOL_MIN', 0),
        max: env.int('DATABASE_POOL_MAX', 10),
        // Opening a connection is abandoned 2 s after its connect limit: Strapi's per-connection set-up (SET
        // search_path, with DATABASE_SCHEMA) never finishes when that connection breaks, and would hold its pool slot.
        createTimeoutMillis: Math.min(timeouts.acquire, timeouts.connect + 2000),
        // One query at a time on each connection (src/strapi/serial-queries.ts): Strapi sends some concurrently.
        afterCreate: (connection: QueryClient, done: (error: Error | null, connection: QueryClient) => void) =>
          done(null, serializeQueries(connection)),
      },
      acquireConnectionTimeout: timeouts.acquire,
    },
  };
};
