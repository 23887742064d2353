import { randomBytes } from 'crypto';
import { Client } from 'pg';
import { TEST_DATABASE_URL } from '../support/postgres';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- the harness module is plain CommonJS (jest's global setup loads it too); the two members used are typed here
const { ensureTemplates, PREFIX } = require('../support/template-database') as {
  ensureTemplates: (appDir: string, distDir: string) => Promise<{ demo: string; plain: string }>;
  PREFIX: string;
};

/**
 * The template databases the integration tests start on (tests/support/template-database.js): a run keeps its own
 * version's, and drops other versions' — and half-made ones of killed runs — two hours after they were made.
 */
test("a run drops other versions' templates and half-made ones older than two hours, and keeps the rest", async () => {
  const admin = new Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  const tag = randomBytes(4).toString('hex');
  const hours = (count: number) => new Date(Date.now() - count * 60 * 60 * 1000);
  const made = {
    old: `${PREFIX}test${tag}old_plain`,
    recent: `${PREFIX}test${tag}recent_plain`,
    halfMadeOld: `${PREFIX}making_${hours(3).getTime().toString(36)}_${tag}`,
    halfMadeRecent: `${PREFIX}making_${hours(1).getTime().toString(36)}_${tag}`,
  };
  const existing = async () =>
    (await admin.query<{ datname: string }>('SELECT datname FROM pg_database')).rows.map((row) => row.datname);
  try {
    for (const name of Object.values(made)) await admin.query(`CREATE DATABASE "${name}"`);
    await admin.query(`COMMENT ON DATABASE "${made.old}" IS '${hours(3).toISOString()}'`);
    await admin.query(`COMMENT ON DATABASE "${made.recent}" IS '${hours(1).toISOString()}'`);
    const appDir = process.env.BULLETIN_TEST_APP_DIR ?? '';
    const distDir = process.env.BULLETIN_TEST_DIST_DIR ?? '';
    const current = await ensureTemplates(appDir, distDir);
    const after = await existing();
    expect(after).toEqual(expect.arrayContaining([current.demo, current.plain, made.recent, made.halfMadeRecent]));
    expect(after).not.toContain(made.old);
    expect(after).not.toContain(made.halfMadeOld);
  } finally {
    for (const name of Object.values(made)) await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  }
});
