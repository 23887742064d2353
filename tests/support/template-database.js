// Template databases for the tests (found or made by tests/support/global-setup.js): the app's first start on an
// empty PostgreSQL database, with and without the demo content, left as the first start leaves it. A test app then
// boots on a copy (CREATE DATABASE … TEMPLATE, a file copy inside PostgreSQL), as a second start would: Strapi's
// schema sync, the plugins' first-start writes and the demo's documents cost about two seconds per boot, paid once
// per version of the app instead of once per test file. A test of the first start itself boots with { fresh: true }
// on an empty database.
//
// A template is named by a hash of what a first start depends on (the compiled app, its migrations, the installed
// packages' lock file), so a changed app never boots on an old one; it is made under a temporary name and renamed
// when complete, so a run never copies a half-made one, and two runs making it at once both succeed. Templates of
// other versions are dropped two hours after they were made (about 25 MB a version).
const fs = require('fs');
const { createHash } = require('crypto');
const os = require('os');
const path = require('path');
const { spawn } = require('child_process');
const { randomBytes } = require('crypto');
const { Client } = require('pg');

const PREFIX = 'bulletin_tpl_';
/**
 * Templates of other versions of the app are dropped by a later run this long after they were made: longer than a
 * whole run (CI allows 90 minutes), so a run in another checkout never loses the template it is still copying.
 */
const STALE_MS = 2 * 60 * 60 * 1000;

function adminUrl() {
  return process.env.TEST_DATABASE_URL || 'postgres://bulletin_test:bulletin_test@127.0.0.1:5432/postgres';
}

function withDatabase(url, database) {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

async function admin(run) {
  const client = new Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/** Boots the compiled app once on `url` in a process of its own, and stops it (its pool closed: nothing connected). */
function firstStart(url, demo, appDir, distDir) {
  const secretsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bulletin-tpl-secrets-'));
  const script = `
    const { createStrapi } = require('@strapi/strapi');
    const { stopApp } = require(${JSON.stringify(path.join(appDir, 'scripts', 'lib', 'strapi.js'))});
    createStrapi({ appDir: ${JSON.stringify(appDir)}, distDir: ${JSON.stringify(distDir)}, serveAdminPanel: false })
      .load()
      .then(stopApp)
      .then(() => process.exit(0), (error) => { console.error(error); process.exit(1); });`;
  const env = {
    ...process.env,
    NODE_ENV: 'test',
    DATABASE_CLIENT: 'postgres',
    DATABASE_URL: url,
    BULLETIN_DEMO_CONTENT: demo ? 'true' : 'false',
    BULLETIN_SECRETS_FILE: path.join(secretsDir, 'secrets.json'),
    LOG_LEVEL: 'warn',
  };
  for (const key of ['DATABASE_FILENAME']) delete env[key];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', script], { cwd: appDir, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let errors = '';
    child.stderr.on('data', (chunk) => (errors += chunk));
    child.on('error', reject);
    child.on('exit', (code) => {
      fs.rmSync(secretsDir, { recursive: true, force: true });
      if (code === 0) resolve();
      else reject(new Error(`the template database's first start failed (exit ${code}):\n${errors}`));
    });
  });
}

/** Every file below `dir`, sorted, with its path relative to `root`. */
function filesBelow(root, dir) {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const full = path.join(dir, entry.name);
      return entry.isDirectory() ? filesBelow(root, full) : [path.relative(root, full)];
    })
    .sort();
}

/** What a first start depends on: the compiled server code and configuration (not the admin's build), the migrations, the lock file. */
function versionOf(appDir, distDir) {
  const hash = createHash('sha256');
  const sources = [
    ...filesBelow(distDir, path.join(distDir, 'src')).map((file) => path.join(distDir, file)),
    ...filesBelow(distDir, path.join(distDir, 'config')).map((file) => path.join(distDir, file)),
    ...filesBelow(appDir, path.join(appDir, 'database')).map((file) => path.join(appDir, file)),
    path.join(appDir, 'package-lock.json'),
  ];
  for (const file of sources) {
    if (!fs.existsSync(file)) continue;
    hash.update(path.relative(appDir, file)).update('\0').update(fs.readFileSync(file)).update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}

const KINDS = { demo: true, plain: false };

/** The two templates of this version of the app, made when missing; returns their names as { demo, plain }. */
async function ensureTemplates(appDir, distDir) {
  const version = versionOf(appDir, distDir);
  const names = Object.fromEntries(Object.keys(KINDS).map((kind) => [kind, `${PREFIX}${version}_${kind}`]));
  const existing = await admin(async (client) => {
    const { rows } = await client.query('SELECT datname FROM pg_database WHERE datname LIKE $1', [`${PREFIX}%`]);
    return rows.map((row) => row.datname);
  });
  await dropStale(existing, version);
  const missing = Object.keys(KINDS).filter((kind) => !existing.includes(names[kind]));
  await Promise.all(missing.map((kind) => makeTemplate(names[kind], KINDS[kind], appDir, distDir)));
  return names;
}

/** Made under a temporary name, renamed once complete (by whichever run finishes first; the other drops its copy). */
async function makeTemplate(name, demo, appDir, distDir) {
  const made = `${PREFIX}making_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  await admin((client) => client.query(`CREATE DATABASE "${made}"`));
  try {
    await firstStart(withDatabase(adminUrl(), made), demo, appDir, distDir);
    await admin(async (client) => {
      await client.query(`COMMENT ON DATABASE "${made}" IS '${new Date().toISOString()}'`);
      try {
        await client.query(`ALTER DATABASE "${made}" RENAME TO "${name}"`);
      } catch (error) {
        if (error.code !== '42P04') throw error; // duplicate_database: another run made it first
      }
    });
  } finally {
    await admin((client) => client.query(`DROP DATABASE IF EXISTS "${made}" WITH (FORCE)`));
  }
}

/**
 * Templates of other versions of the app, and half-made ones of runs that were killed, once older than STALE_MS (a
 * run in another checkout may still be copying a recent one). A template's age is in its comment; a half-made one's in its name.
 */
async function dropStale(existing, version) {
  const others = existing.filter((name) => !name.startsWith(`${PREFIX}${version}_`));
  if (others.length === 0) return;
  await admin(async (client) => {
    const { rows } = await client.query(
      "SELECT datname, shobj_description(oid, 'pg_database') AS made FROM pg_database WHERE datname = ANY($1)",
      [others],
    );
    for (const { datname, made } of rows) {
      const making = datname.startsWith(`${PREFIX}making_`);
      const at = making ? parseInt(datname.slice(`${PREFIX}making_`.length).split('_')[0], 36) : Date.parse(made ?? '');
      if (!Number.isFinite(at) || Date.now() - at > STALE_MS) {
        await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
      }
    }
  });
}

module.exports = { ensureTemplates, PREFIX };
