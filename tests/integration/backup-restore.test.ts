import fs from 'fs';
import os from 'os';
import path from 'path';
import { spawn } from 'child_process';
import { Client } from 'pg';
import { bootApp, createApiToken, type TestApp } from '../support/app';
import { aPerson, aUnit } from '../support/people';
import { createTestDatabase, type TestDatabase } from '../support/postgres';
import { startAppProcess } from '../support/processes';

/**
 * `npm run backup` / `npm run restore` (issue 17, part 3; scripts/lib/backup.js), run as the commands themselves.
 * A database with everything an office has — demo bulletins (drafts and published versions), an admin user and a
 * custom admin role, API tokens, users-permissions accounts, the signed-off records — and an uploaded file is backed
 * up and restored into an empty database: every table comes back row for row, the uploads byte for byte, and the app
 * started on the copy accepts the old API token. A non-empty target is refused (and left as it was) unless --force; a
 * damaged file is refused with a message naming the damaged member, and restores nothing.
 */

type SqliteDatabase = { prepare: (sql: string) => { all: () => unknown[] }; close: () => void };
// eslint-disable-next-line @typescript-eslint/no-require-imports -- better-sqlite3 ships no types and the project declares none (the app reaches it through knex): typed here by what this test calls
const Database = require('better-sqlite3') as new (file: string, options: { readonly: boolean }) => SqliteDatabase;

const root = path.resolve(__dirname, '..', '..');
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'bulletin-backup-test-'));
const databases: TestDatabase[] = [];

type Ran = { code: number | null; stdout: string; stderr: string };
function command(script: 'backup' | 'restore', args: string[], env: Record<string, string>): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(root, 'scripts', `${script}.js`), ...args], {
      env: { ...process.env, DATABASE_URL: '', DATABASE_FILENAME: '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += String(chunk)));
    child.stderr.on('data', (chunk) => (stderr += String(chunk)));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Every table of a PostgreSQL database, each as its rows (as JSON text) sorted. */
async function pgTables(url: string): Promise<Record<string, string[]>> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const tables = await client.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`,
    );
    const all: Record<string, string[]> = {};
    for (const { table_name: table } of tables.rows) {
      const rows = await client.query<{ row: string }>(`SELECT row_to_json(t)::text AS row FROM "${table}" t`);
      all[table] = rows.rows.map((row) => row.row).sort();
    }
    return all;
  } finally {
    await client.end();
  }
}

function sqliteTables(file: string): Record<string, string[]> {
  const db = new Database(file, { readonly: true });
  try {
    const all: Record<string, string[]> = {};
    const tables = db
      .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`)
      .all() as { name: string }[];
    for (const { name } of tables)
      all[name] = db
        .prepare(`SELECT * FROM "${name}"`)
        .all()
        .map((row) => JSON.stringify(row))
        .sort();
    return all;
  } finally {
    db.close();
  }
}

const filesOf = (dir: string) =>
  Object.fromEntries(
    fs
      .readdirSync(dir)
      .filter((name) => name !== '.gitkeep')
      .sort()
      .map((name) => [name, fs.readFileSync(path.join(dir, name)).toString('base64')]),
  );

/** What an office's database holds, beyond the demo bulletins: accounts of every kind, a token, a custom role. */
async function officeData(app: TestApp, uploads: string, unitName: string): Promise<string> {
  const unit = await aUnit(app, unitName);
  await aPerson(app, `contrib_${Math.random().toString(36).slice(2, 8)}`, 'contributor', unit);
  const role = await app.strapi
    .service('admin::role')
    .create({ name: `备份角色 ${Date.now()}`, description: '恢复后应仍在' });
  await app.strapi.service('admin::user').create({
    email: `admin-${Date.now()}@example.gov.cn`,
    firstname: '备份',
    lastname: '管理员',
    password: `Admin-${Math.random().toString(36).slice(2)}-1`,
    isActive: true,
    roles: [role.id],
  });
  fs.mkdirSync(uploads, { recursive: true });
  fs.writeFileSync(path.join(uploads, 'scan.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3, 4, 250, 251]));
  fs.writeFileSync(path.join(uploads, '附件.txt'), '上传的附件\n');
  return createApiToken(app.strapi, 'read-only');
}

afterAll(async () => {
  for (const database of databases.splice(0)) await database.drop();
  fs.rmSync(scratch, { recursive: true, force: true });
}, 60000);

describe('PostgreSQL', () => {
  let app: TestApp;
  let source: string;
  let backupFile: string;
  let token: string;
  let before: Record<string, string[]>;
  const uploads = path.join(scratch, 'pg-uploads');
  const UNIT = '备份测试单位';

  beforeAll(async () => {
    app = await bootApp({ database: 'postgres', demo: true });
    source = process.env.DATABASE_URL ?? '';
    token = await officeData(app, uploads, UNIT);
    before = await pgTables(source);
    backupFile = path.join(scratch, 'pg.tar');
    const made = await command('backup', ['--out', backupFile], {
      DATABASE_CLIENT: 'postgres',
      DATABASE_URL: source,
      BULLETIN_UPLOADS_DIR: uploads,
    });
    expect(made).toMatchObject({ code: 0 });
    expect(made.stdout.trim()).toBe(backupFile);
  }, 240000);

  afterAll(async () => {
    await (app as typeof app | undefined)?.close();
  }, 60000);

  test('a round trip into an empty database brings back every table row for row, the uploads, and the API token', async () => {
    // What the demo and officeData put there: drafts and published versions, admin, tokens, accounts, records.
    const issues = before.issues.map((row) => JSON.parse(row) as { document_id: string; published_at: string | null });
    const published = new Set(issues.filter((row) => row.published_at !== null).map((row) => row.document_id));
    expect(issues.some((row) => row.published_at === null && published.has(row.document_id))).toBe(true);
    expect(before.items.length).toBeGreaterThan(0);
    for (const table of ['admin_users', 'admin_roles', 'strapi_api_tokens', 'up_users', 'up_roles'])
      expect(before[table].length).toBeGreaterThan(0);

    const target = await createTestDatabase();
    databases.push(target);
    const restoredUploads = path.join(scratch, 'pg-restored-uploads');
    const restored = await command('restore', [backupFile], {
      DATABASE_CLIENT: 'postgres',
      DATABASE_URL: target.url,
      BULLETIN_UPLOADS_DIR: restoredUploads,
    });
    expect(restored.stderr).not.toMatch(/error/i);
    expect(restored.code).toBe(0);
    expect(restored.stdout).toMatch(/restored .* tables, 2 uploaded files, schema \w+ as backed up/);

    expect(await pgTables(target.url)).toEqual(before);
    expect(filesOf(restoredUploads)).toEqual(filesOf(uploads));

    // The app on the copy: the token made before the backup still reads, and new rows get fresh ids (sequences).
    const copy = await startAppProcess(
      0,
      { DATABASE_CLIENT: 'postgres', DATABASE_URL: target.url, BULLETIN_DEMO_CONTENT: 'false' },
      true,
      { startTimeoutMs: 180000 },
    );
    try {
      const read = await fetch(
        `http://127.0.0.1:${copy.port}/api/units?filters[shortName][$eq]=${encodeURIComponent(UNIT)}`,
        { headers: { authorization: `Bearer ${token}` } },
      );
      expect(read.status).toBe(200);
      expect(((await read.json()) as { data: unknown[] }).data).toHaveLength(1);
      const created = await fetch(`http://127.0.0.1:${copy.port}/api/units`, {
        method: 'POST',
        headers: { authorization: `Bearer ${copy.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ data: { shortName: '恢复后新建单位', kind: 'department', active: true } }),
      });
      expect(created.status).toBe(201);
    } finally {
      await copy.stop();
    }
  }, 300000);

  test('a database that is not empty is refused and left as it was, unless --force', async () => {
    const target = await createTestDatabase();
    databases.push(target);
    const env = {
      DATABASE_CLIENT: 'postgres',
      DATABASE_URL: target.url,
      BULLETIN_UPLOADS_DIR: path.join(scratch, 'pg-refused-uploads'),
    };
    const client = new Client({ connectionString: target.url });
    await client.connect();
    await client.query(
      `CREATE TABLE notes (id serial PRIMARY KEY, text text); INSERT INTO notes (text) VALUES ('已有数据')`,
    );
    await client.end();

    const refused = await command('restore', [backupFile], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/refusing to restore into database \S+: it is not empty \(1 tables\).*--force/);
    expect(await pgTables(target.url)).toEqual({ notes: ['{"id":1,"text":"已有数据"}'] });

    const forced = await command('restore', [backupFile, '--force'], env);
    expect(forced.code).toBe(0);
    expect(await pgTables(target.url)).toEqual(before);
  }, 180000);

  test('a damaged file is refused with a message naming the damaged member, and restores nothing', async () => {
    const unpacked = path.join(scratch, 'damaged');
    fs.mkdirSync(unpacked, { recursive: true });
    await new Promise<void>((resolve, reject) => {
      const tar = spawn('tar', ['--extract', `--file=${backupFile}`, `--directory=${unpacked}`]);
      tar.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`tar ${code}`))));
    });
    const dump = path.join(unpacked, 'database.dump');
    const bytes = fs.readFileSync(dump);
    bytes[Math.floor(bytes.length / 2)] ^= 0xff;
    fs.writeFileSync(dump, bytes);
    const damaged = path.join(scratch, 'damaged.tar');
    await new Promise<void>((resolve, reject) => {
      const tar = spawn('tar', [
        '--create',
        `--file=${damaged}`,
        `--directory=${unpacked}`,
        'manifest.json',
        'database.dump',
        'uploads',
      ]);
      tar.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`tar ${code}`))));
    });

    const target = await createTestDatabase();
    databases.push(target);
    const refused = await command('restore', [damaged], {
      DATABASE_CLIENT: 'postgres',
      DATABASE_URL: target.url,
      BULLETIN_UPLOADS_DIR: path.join(scratch, 'damaged-uploads'),
    });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      'is damaged, nothing was restored: database.dump does not match its sha256 checksum',
    );
    expect(await pgTables(target.url)).toEqual({});
    expect(fs.existsSync(path.join(scratch, 'damaged-uploads'))).toBe(false);

    const notABackup = path.join(scratch, 'not-a-backup.tar');
    fs.writeFileSync(notABackup, 'hello');
    const garbage = await command('restore', [notABackup], { DATABASE_CLIENT: 'postgres', DATABASE_URL: target.url });
    expect(garbage.code).toBe(1);
    expect(garbage.stderr).toMatch(/is damaged or not a backup/);
  }, 120000);
});

test('SQLite (the default): a round trip brings back every table row for row, and a non-empty file is refused', async () => {
  const app = await bootApp({ database: 'sqlite', demo: true });
  const uploads = path.join(scratch, 'sqlite-uploads');
  try {
    await officeData(app, uploads, '备份测试单位');
    const sourceFile = process.env.DATABASE_FILENAME ?? '';
    const before = sqliteTables(sourceFile);
    expect(before.admin_users.length).toBeGreaterThan(0);
    const file = path.join(scratch, 'sqlite.tar');
    const made = await command('backup', ['--out', file], {
      DATABASE_CLIENT: 'sqlite',
      DATABASE_FILENAME: sourceFile,
      BULLETIN_UPLOADS_DIR: uploads,
    });
    expect(made).toMatchObject({ code: 0 });

    const targetFile = path.join(scratch, 'restored', 'data.db');
    const restoredUploads = path.join(scratch, 'sqlite-restored-uploads');
    const env = { DATABASE_CLIENT: 'sqlite', DATABASE_FILENAME: targetFile, BULLETIN_UPLOADS_DIR: restoredUploads };
    const restored = await command('restore', [file], env);
    expect(restored.stderr).not.toMatch(/error/i);
    expect(restored.code).toBe(0);
    expect(sqliteTables(targetFile)).toEqual(before);
    expect(filesOf(restoredUploads)).toEqual(filesOf(uploads));

    const again = await command('restore', [file], env);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/refusing to restore into .*data\.db: it is not empty/);
  } finally {
    await app.close();
  }
}, 240000);
