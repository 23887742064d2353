import { Client } from 'pg';
import { randomBytes } from 'crypto';

/**
 * The PostgreSQL server the tests use. TEST_DATABASE_URL points at a role allowed to create databases;
 * the default is the role `.ci/run` and `npm test` create.
 */
export const TEST_DATABASE_URL =
  process.env.TEST_DATABASE_URL ?? 'postgres://bulletin_test:bulletin_test@127.0.0.1:5432/postgres';

export type TestDatabase = { name: string; url: string; drop: () => Promise<void> };

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

async function admin<T>(run: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/**
 * Creates a database with a unique name, empty or a copy of `template`; `drop` removes it and ends any connection
 * left to it.
 */
export async function createTestDatabase(prefix = 'bulletin_test', template?: string): Promise<TestDatabase> {
  const name = `${prefix}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  await admin((client) =>
    client.query(
      template === undefined ? `CREATE DATABASE "${name}"` : `CREATE DATABASE "${name}" TEMPLATE "${template}"`,
    ),
  );
  return {
    name,
    url: withDatabase(TEST_DATABASE_URL, name),
    drop: () => admin((client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined),
  };
}

/**
 * The run's template database (tests/support/template-database.js): the app as its first start leaves an empty
 * database, with or without the demo content. Undefined outside a jest run of the integration tests.
 */
export function firstStartTemplate(demo: boolean): string | undefined {
  const templates = process.env.BULLETIN_TEST_TEMPLATES;
  if (templates === undefined || templates === '') return undefined;
  const names = JSON.parse(templates) as { demo: string; plain: string };
  return demo ? names.demo : names.plain;
}

/**
 * A database as the app's first start leaves it (a copy of the run's template; empty outside jest), for a test whose
 * subject is not the first start: the app processes it starts begin as a second start would.
 */
export const createStartedDatabase = (demo: boolean): Promise<TestDatabase> =>
  createTestDatabase('bulletin_test', firstStartTemplate(demo));
