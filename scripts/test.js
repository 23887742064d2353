#!/usr/bin/env node
// `npm test`: makes sure PostgreSQL is reachable with the test role (preparing it on a machine like ours), then runs
// jest (unit and integration). Arguments after `--` go to jest.
const { spawnSync } = require('child_process');
const path = require('path');
const { Client } = require('pg');

const DEFAULT_URL = 'postgres://bulletin_test:bulletin_test@127.0.0.1:5432/postgres';
const url = process.env.TEST_DATABASE_URL || DEFAULT_URL;

async function reachable() {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    const { rows } = await client.query("select rolcreatedb or rolsuper as ok from pg_roles where rolname = current_user");
    if (!rows[0] || rows[0].ok !== true) return { ok: false, reason: 'the test role may not create databases (CREATEDB)' };
    return { ok: true };
  } catch (error) {
    return { ok: false, reason: `${error.code || ''} ${error.message}`.trim() };
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function main() {
  let state = await reachable();
  if (!state.ok && url === DEFAULT_URL) {
    console.log(`PostgreSQL not usable for the tests yet (${state.reason}); preparing it.`);
    const prepared = spawnSync('bash', [path.join(__dirname, 'ensure-postgres.sh')], { stdio: 'inherit' });
    if (prepared.status === 0) state = await reachable();
  }
  if (!state.ok) {
    const where = new URL(url);
    console.error(
      [
        '',
        `The tests need PostgreSQL at ${where.host} as role "${decodeURIComponent(where.username)}" with CREATEDB.`,
        `It is not usable: ${state.reason}.`,
        'Either start PostgreSQL and create the role (as root: bash scripts/ensure-postgres.sh),',
        'or point TEST_DATABASE_URL at a role that may create databases, e.g.',
        '  TEST_DATABASE_URL=postgres://me:secret@127.0.0.1:5432/postgres npm test',
        '',
      ].join('\n'),
    );
    process.exit(1);
  }
  const jest = require.resolve('jest/bin/jest');
  const result = spawnSync(process.execPath, [jest, ...process.argv.slice(2)], { stdio: 'inherit', env: process.env });
  process.exit(result.status === null ? 1 : result.status);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
