#!/usr/bin/env node
// `npm test`: makes sure PostgreSQL is reachable with the test role (preparing it on a machine like ours), then runs
// jest (unit and integration) with --randomize. Arguments after `--` go to jest.
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const { Client } = require('pg');

const DEFAULT_URL = 'postgres://bulletin_test:bulletin_test@127.0.0.1:5432/postgres';
const url = process.env.TEST_DATABASE_URL || DEFAULT_URL;

async function reachable() {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    const { rows } = await client.query(
      'select rolcreatedb or rolsuper as ok from pg_roles where rolname = current_user',
    );
    if (!rows[0] || rows[0].ok !== true)
      return { ok: false, reason: 'the test role may not create databases (CREATEDB)' };
    return { ok: true };
  } catch (error) {
    return { ok: false, reason: `${error.code || ''} ${error.message}`.trim() };
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** The newest modification time of the files below a folder (0 when it does not exist). */
function newest(dir) {
  if (!fs.existsSync(dir)) return 0;
  let latest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(full) : fs.statSync(full).mtimeMs);
  }
  return latest;
}

/**
 * The admin's browser test drives the built admin (dist/build): built here when it is missing or older than what it
 * is built from (src/admin, and the domain modules it imports), as `npm run build` would.
 */
function buildAdminIfStale() {
  const root = path.join(__dirname, '..');
  const index = path.join(root, 'dist', 'build', 'index.html');
  const built = fs.existsSync(index) ? fs.statSync(index).mtimeMs : 0;
  const sources = Math.max(newest(path.join(root, 'src', 'admin')), newest(path.join(root, 'src', 'domain')));
  if (built >= sources) return;
  console.log(
    built === 0
      ? 'The admin is not built yet: building it (npm run build).'
      : 'The admin is older than src/admin: rebuilding it (npm run build).',
  );
  const result = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit', env: process.env });
  if (result.status !== 0) process.exit(result.status === null ? 1 : result.status);
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
  buildAdminIfStale();
  const jest = require.resolve('jest/bin/jest');
  // Tests run in a random order within each file (jest prints the seed; `npm test -- --seed=<n>` repeats an order, `-- --no-randomize` keeps the written one):
  // every test stands alone, and an order dependency shows up as a failure rather than staying hidden.
  const args = process.argv.slice(2);
  const ordered = args.some((arg) => arg === '--randomize' || arg === '--no-randomize');
  const result = spawnSync(process.execPath, [jest, ...(ordered ? [] : ['--randomize']), ...args], {
    stdio: 'inherit',
    env: process.env,
  });
  process.exit(result.status === null ? 1 : result.status);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
