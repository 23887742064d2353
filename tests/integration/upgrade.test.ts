import os from 'os';
import path from 'path';
import { spawn } from 'child_process';
import { Client } from 'pg';
import { createTestDatabase, type TestDatabase } from '../support/postgres';
import { startAppProcess, type AppProcess } from '../support/processes';

/**
 * An upgrade (issue 17, part 4; README "Upgrading"): the database of the previous release — a committed backup,
 * tests/fixtures/upgrade/previous.tar (how it was made: tests/fixtures/upgrade/make.js and README.md there) — is
 * restored with `npm run restore` and this code is started on it. Its migrations (database/migrations/) and schema
 * sync run; nothing is lost: every row of every table of the project's content, the accounts, roles, permissions and
 * tokens is still there as it was, and the app serves the old bulletins.
 */

const root = path.resolve(__dirname, '..', '..');
const FIXTURE = path.join(root, 'tests', 'fixtures', 'upgrade', 'previous.tar');
/** Tables Strapi itself rewrites on every start (its record of the content types and of the schema). */
const REWRITTEN_ON_START = new Set([
  'strapi_core_store_settings',
  'strapi_database_schema',
  'strapi_migrations',
  'strapi_migrations_internal',
]);

let database: TestDatabase;
let app: AppProcess | null = null;

beforeAll(async () => {
  database = await createTestDatabase();
}, 30000);

afterAll(async () => {
  await app?.stop();
  await (database as typeof database | undefined)?.drop();
}, 60000);

async function tables(url: string): Promise<Record<string, string[]>> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const names = await client.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`,
    );
    const all: Record<string, string[]> = {};
    for (const { table_name: table } of names.rows) {
      all[table] = (await client.query<{ row: string }>(`SELECT row_to_json(t)::text AS row FROM "${table}" t`)).rows
        .map((row) => row.row)
        .sort();
    }
    return all;
  } finally {
    await client.end();
  }
}

test("the previous release's database, restored and started with this code: every row is still there and the app serves it", async () => {
  const restored = await new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(root, 'scripts', 'restore.js'), FIXTURE], {
      env: {
        ...process.env,
        DATABASE_CLIENT: 'postgres',
        DATABASE_URL: database.url,
        DATABASE_FILENAME: '',
        BULLETIN_UPLOADS_DIR: path.join(os.tmpdir(), `upgrade-uploads-${process.pid}`),
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += String(chunk)));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, stderr }));
  });
  expect(restored).toMatchObject({ code: 0 });
  const before = await tables(database.url);
  // The fixture has what an office's database has.
  for (const table of [
    'issues',
    'items',
    'units',
    'admin_users',
    'up_users',
    'up_roles',
    'strapi_api_tokens',
    'up_permissions',
  ])
    expect((before[table] as unknown[] | undefined)?.length).toBeGreaterThan(0);

  app = await startAppProcess(
    0,
    { DATABASE_CLIENT: 'postgres', DATABASE_URL: database.url, BULLETIN_DEMO_CONTENT: 'false' },
    true,
    { startTimeoutMs: 180000 },
  );
  const after = await tables(database.url);
  const lost: Record<string, string[]> = {};
  for (const [table, rows] of Object.entries(before)) {
    if (REWRITTEN_ON_START.has(table)) continue;
    const now = new Set(after[table] ?? []);
    const missing = rows.filter((row) => !now.has(row));
    if (missing.length > 0) lost[table] = missing.slice(0, 3);
  }
  expect(lost).toEqual({});

  // The old bulletins are served: every signed-off issue of the fixture, by REST.
  const published = before.issues
    .map((row) => JSON.parse(row) as { document_id: string; published_at: string | null })
    .filter((row) => row.published_at !== null);
  expect(published.length).toBeGreaterThan(0);
  const answer = await fetch(`http://127.0.0.1:${app.port}/api/issues?pagination[pageSize]=100`, {
    headers: { authorization: `Bearer ${app.token}` },
  });
  expect(answer.status).toBe(200);
  const served = ((await answer.json()) as { data: { documentId: string }[] }).data
    .map((issue) => issue.documentId)
    .sort();
  expect(served).toEqual(published.map((row) => row.document_id).sort());
}, 300000);
