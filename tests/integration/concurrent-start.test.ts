import { Client } from 'pg';
import { createTestDatabase, type TestDatabase } from '../support/postgres';
import { startAppProcess, type AppProcess } from '../support/processes';

/**
 * Three app processes started at the same moment on one empty PostgreSQL database (issue 17, part 5): all three come
 * up, the database has one schema (every table once, no duplicate rows in the tables Strapi fills on its first
 * start), and each process answers. Strapi's schema sync takes no lock; src/strapi/start-lock.ts serializes it.
 */

let database: TestDatabase;
const processes: AppProcess[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
}, 30000);

afterAll(async () => {
  for (const app of processes.splice(0)) await app.stop();
  await (database as typeof database | undefined)?.drop();
}, 60000);

async function inDatabase<T>(run: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: database.url });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

test('three processes started at once on an empty database all come up on one schema, and each answers', async () => {
  const env = {
    DATABASE_CLIENT: 'postgres',
    DATABASE_URL: database.url,
    BULLETIN_DEMO_CONTENT: 'false',
    LOG_LEVEL: 'warn',
  };
  // PORT=0: each process takes a free port from the OS. All three are spawned in the same tick.
  const started = await Promise.allSettled(
    [0, 1, 2].map(() => startAppProcess(0, env, true, { startTimeoutMs: 240000 })),
  );
  for (const result of started) if (result.status === 'fulfilled') processes.push(result.value);
  const failures = started.flatMap((result) => (result.status === 'rejected' ? [String(result.reason)] : []));
  expect(failures).toEqual([]);
  expect(processes).toHaveLength(3);
  expect(new Set(processes.map((app) => app.port)).size).toBe(3);

  const schema = await inDatabase(async (client) => {
    const tables = await client.query<{ table_name: string; copies: string }>(
      `SELECT table_name, count(*) AS copies FROM information_schema.tables WHERE table_schema = 'public' GROUP BY table_name`,
    );
    const roles = await client.query<{ type: string; copies: string }>(
      'SELECT type, count(*) AS copies FROM up_roles GROUP BY type',
    );
    const adminRoles = await client.query<{ code: string; copies: string }>(
      'SELECT code, count(*) AS copies FROM admin_roles GROUP BY code',
    );
    const store = await client.query<{ key: string; copies: string }>(
      'SELECT key, count(*) AS copies FROM strapi_core_store_settings GROUP BY key',
    );
    // This database's advisory locks only: test files running alongside hold their own on theirs.
    const locks = await client.query<{ held: string }>(
      `SELECT count(*) AS held FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
    );
    return {
      tables: tables.rows,
      roles: roles.rows,
      adminRoles: adminRoles.rows,
      store: store.rows,
      locks: Number(locks.rows[0].held),
    };
  });
  // The project's own tables, Strapi's and the plugins' are all there, each once.
  const names = schema.tables.map((row) => row.table_name);
  for (const table of [
    'issues',
    'items',
    'units',
    'admin_users',
    'up_users',
    'strapi_api_tokens',
    'strapi_core_store_settings',
  ])
    expect(names).toContain(table);
  expect(schema.tables.filter((row) => Number(row.copies) !== 1)).toEqual([]);
  // First-start rows written once, not once per process.
  expect(schema.roles.length).toBeGreaterThan(0);
  expect(schema.roles.filter((row) => Number(row.copies) !== 1)).toEqual([]);
  expect(schema.adminRoles.length).toBeGreaterThan(0);
  expect(schema.adminRoles.filter((row) => Number(row.copies) !== 1)).toEqual([]);
  expect(schema.store.filter((row) => Number(row.copies) !== 1)).toEqual([]);
  // Every process released the start lock once it was up.
  expect(schema.locks).toBe(0);

  // Each process answers, and what one writes the others read.
  const [first, second, third] = processes;
  const created = await fetch(`http://127.0.0.1:${first.port}/api/units`, {
    method: 'POST',
    headers: { authorization: `Bearer ${first.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ data: { shortName: '区人社局', kind: 'department', active: true } }),
  });
  expect(created.status).toBe(201);
  for (const app of [first, second, third]) {
    const answer = await fetch(
      `http://127.0.0.1:${app.port}/api/units?filters[shortName][$eq]=${encodeURIComponent('区人社局')}`,
      {
        headers: { authorization: `Bearer ${app.token}` },
      },
    );
    expect(answer.status).toBe(200);
    const body = (await answer.json()) as { data: { shortName: string }[] };
    expect(body.data.map((unit) => unit.shortName)).toEqual(['区人社局']);
  }
}, 300000);
