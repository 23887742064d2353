import type { Core } from '@strapi/strapi';
import path from 'path';

/**
 * Two databases:
 * - the embedded default (no configuration): one SQLite file under .tmp/, zero set-up, one process;
 * - PostgreSQL with DATABASE_CLIENT=postgres, from DATABASE_URL or DATABASE_HOST/PORT/NAME/USERNAME/PASSWORD.
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

  const url = env('DATABASE_URL', '');
  const ssl = env.bool('DATABASE_SSL', false)
    ? { rejectUnauthorized: env.bool('DATABASE_SSL_REJECT_UNAUTHORIZED', true) }
    : false;

  return {
    connection: {
      client: 'postgres',
      connection:
        url !== ''
          ? { connectionString: url, ssl }
          : {
              host: env('DATABASE_HOST', '127.0.0.1'),
              port: env.int('DATABASE_PORT', 5432),
              database: env('DATABASE_NAME', 'bulletin'),
              user: env('DATABASE_USERNAME', 'bulletin'),
              password: env('DATABASE_PASSWORD', 'bulletin'),
              schema: env('DATABASE_SCHEMA', 'public'),
              ssl,
            },
      pool: { min: env.int('DATABASE_POOL_MIN', 0), max: env.int('DATABASE_POOL_MAX', 10) },
      acquireConnectionTimeout: env.int('DATABASE_CONNECTION_TIMEOUT', 60000),
    },
  };
};
