// Shared pieces of the benchmarks: compile once, a throwaway PostgreSQL database, the app in its own process.
const path = require('path');
const { Client } = require('pg');
const { randomBytes } = require('crypto');

const appDir = path.resolve(__dirname, '..');
const TEST_DATABASE_URL =
  process.env.TEST_DATABASE_URL || 'postgres://bulletin_test:bulletin_test@127.0.0.1:5432/postgres';

async function compile() {
  const { compileStrapi } = require('@strapi/strapi');
  const { distDir } = await compileStrapi({ appDir });
  return distDir;
}

async function createDatabase(prefix) {
  const name = `${prefix}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const admin = new Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    drop: async () => {
      const client = new Client({ connectionString: TEST_DATABASE_URL });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await client.end();
    },
  };
}

/**
 * Production-mode secrets for a benchmark run: random, made for this run (no process runs on a value known in
 * advance), handed to every process the run starts.
 */
const benchSecret = () => randomBytes(32).toString('base64');
const BENCH_SECRETS = {
  APP_KEYS: `${benchSecret()},${benchSecret()}`,
  API_TOKEN_SALT: benchSecret(),
  ADMIN_JWT_SECRET: benchSecret(),
  TRANSFER_TOKEN_SALT: benchSecret(),
  JWT_SECRET: benchSecret(),
  ENCRYPTION_KEY: benchSecret(),
};

/** The Node flags `npm start` runs the app with (package.json), so that the benchmarks measure what production runs. */
const START_FLAGS = /^node ((?:--\S+ )*)\S+ start$/
  .exec(require('../package.json').scripts.start)[1]
  .trim()
  .split(/\s+/)
  .filter(Boolean);

/** The app in production mode in its own process; `nodeFlags`: more flags for node (e.g. --cpu-prof). */
function startApp(port, env, distDir, nodeFlags = []) {
  const { spawn } = require('child_process');
  const child = spawn(
    process.execPath,
    [...START_FLAGS, ...nodeFlags, path.join(appDir, 'tests', 'support', 'serve.js')],
    {
      env: {
        ...process.env,
        ...BENCH_SECRETS,
        NODE_ENV: 'production',
        HOST: '127.0.0.1',
        PORT: String(port),
        LOG_LEVEL: 'warn',
        APP_DIR: appDir,
        DIST_DIR: distDir,
        PRINT_TOKEN: '1',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the app did not start in 120 s:\n${output}`));
    }, 120000);
    child.stderr.on('data', (chunk) => (output += chunk));
    child.stdout.on('data', (chunk) => {
      output += chunk;
      if (output.includes('READY')) {
        clearTimeout(timer);
        const token = /TOKEN=(\S+)/.exec(output)[1];
        resolve({
          pid: child.pid,
          token,
          stop: () =>
            new Promise((done) => {
              if (child.exitCode !== null) return done();
              child.once('exit', done);
              process.kill(child.pid, 'SIGTERM');
              setTimeout(() => child.exitCode === null && process.kill(child.pid, 'SIGKILL'), 10000).unref();
            }),
        });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the app exited with ${code}:\n${output}`));
    });
  });
}

/** Runs `count` tasks with at most `concurrency` at once; resolves with the elapsed milliseconds. */
async function runConcurrently(count, concurrency, task) {
  let next = 0;
  const started = process.hrtime.bigint();
  async function worker() {
    while (next < count) {
      const index = next++;
      await task(index);
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
  return Number(process.hrtime.bigint() - started) / 1e6;
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

/** A port the OS has free on 127.0.0.1 now. */
function freePort() {
  const net = require('net');
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** `--name value` from the command line as a number, or the fallback. */
const arg = (name, fallback) => {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? fallback : Number(process.argv[index + 1]);
};

/**
 * Admin accounts (editors, signers) made the way the office makes them, `npm run users -- import` on the benchmark's
 * database, each with the random password the script generates and prints once. `accounts`: [{ email, role }].
 * Resolves with [{ email, role, password }].
 */
function adminAccounts(distDir, databaseUrl, accounts) {
  const fs = require('fs');
  const os = require('os');
  const { execFile } = require('child_process');
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-accounts-'));
  const file = path.join(folder, 'accounts.csv');
  fs.writeFileSync(file, ['username,email,role', ...accounts.map(({ email, role }) => `,${email},${role}`)].join('\n'));
  const env = {
    ...process.env,
    ...BENCH_SECRETS,
    DATABASE_CLIENT: 'postgres',
    DATABASE_URL: databaseUrl,
    BULLETIN_DIST_DIR: distDir,
    BULLETIN_DEMO_CONTENT: 'false',
    LOG_LEVEL: 'error',
  };
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [path.join(appDir, 'scripts', 'users.js'), 'import', file],
      { env, timeout: 120000 },
      (error, stdout, stderr) => {
        fs.rmSync(folder, { recursive: true, force: true });
        if (error) return reject(new Error(`npm run users -- import failed: ${error.message}\n${stderr}`));
        const printed = new Map(
          stdout
            .split('\n')
            .map((line) => line.split('\t'))
            .filter((cells) => cells.length === 4)
            .map((cells) => [cells[1], cells[3]]),
        );
        const missing = accounts.filter(({ email }) => !printed.has(email));
        if (missing.length > 0)
          return reject(
            new Error(`no password printed for ${missing.map(({ email }) => email).join(', ')}:\n${stdout}`),
          );
        resolve(accounts.map((account) => ({ ...account, password: printed.get(account.email) })));
      },
    );
  });
}

/** An admin user's access token from a real login through POST /admin/login, as the admin panel logs in. */
async function adminLogin(port, { email, password }) {
  const res = await fetch(`http://127.0.0.1:${port}/admin/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  const text = await res.text();
  if (res.status !== 200)
    throw new Error(`POST /admin/login for ${email} answered ${res.status}: ${text.slice(0, 300)}`);
  return JSON.parse(text).data.token;
}

/** The p-th quantile (0–1) of `values`, nearest rank. */
const quantile = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
};

/** Stops what a benchmark started against the admin: the bare reference server and the app (when started), the database, the SQL folder. */
async function stopAll({ bare, app, database, sqlFolder }) {
  if (bare !== null) await bare.stop();
  if (app !== null) await app.stop();
  await database.drop();
  require('fs').rmSync(sqlFolder, { recursive: true, force: true });
}

/** Runs a benchmark's main: an error is printed and the process exits with 1. */
function runMain(main) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}

module.exports = {
  stopAll,
  runMain,
  BENCH_SECRETS,
  compile,
  createDatabase,
  freePort,
  startApp,
  runConcurrently,
  median,
  quantile,
  arg,
  adminAccounts,
  adminLogin,
};
