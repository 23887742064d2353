import fs from 'fs';
import os from 'os';
import path from 'path';
import { randomBytes } from 'crypto';
import { spawn } from 'child_process';

/**
 * Outside production, with no secret in the environment, the app generates its secrets on the first start, keeps
 * them in a private file and starts on the same ones every time after; processes starting at the same moment end with
 * one set. Each start is a separate process (NODE_ENV unset, no secret in the environment), the way `npm start` runs,
 * from the app compiled by the global setup.
 */

const NAMES = [
  'APP_KEYS',
  'API_TOKEN_SALT',
  'ADMIN_JWT_SECRET',
  'TRANSFER_TOKEN_SALT',
  'JWT_SECRET',
  'ENCRYPTION_KEY',
] as const;
type Name = (typeof NAMES)[number];
type Values = Record<Name, string>;
type Started = {
  status: number | null;
  output: string;
  config: Values | null;
  issued: string | null;
  verified: number | null;
};

const appDir = process.env.BULLETIN_TEST_APP_DIR ?? '';
const distDir = process.env.BULLETIN_TEST_DIST_DIR ?? '';
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bulletin-generated-secrets-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** The environment of a start: the test's own, without NODE_ENV, secrets or a secrets file, plus `env`. */
function environment(env: Record<string, string>): Record<string, string> {
  const dropped = new Set<string>([...NAMES, 'NODE_ENV', 'BULLETIN_SECRETS_FILE', 'DATABASE_URL']);
  const base: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env))
    if (value !== undefined && !dropped.has(key)) base[key] = value;
  return { ...base, LOG_LEVEL: 'error', DATABASE_CLIENT: 'sqlite', BULLETIN_DEMO_CONTENT: 'false', ...env };
}

function run(
  script: string,
  env: Record<string, string>,
  cwd: string,
  onOutput: (stdout: string) => void = () => undefined,
): Promise<{ status: number | null; output: string; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['-e', script], {
      cwd,
      env: environment(env),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 90000);
    child.stdout.on('data', (chunk) => {
      stdout += String(chunk);
      onOutput(stdout);
    });
    child.stderr.on('data', (chunk) => (stderr += String(chunk)));
    child.once('close', (status) => {
      clearTimeout(timer);
      resolve({ status, output: `${stdout}\n${stderr}`, stdout });
    });
  });
}

/**
 * Starts the app (Strapi's load, as `npm start` does before listening) and reports the secrets it runs on, read back
 * from its configuration, and a users-permissions login token it issued; with VERIFY_JWT, whether that token (issued
 * by an earlier start) still verifies.
 */
async function start(env: Record<string, string>, cwd = appDir, onOutput?: (stdout: string) => void): Promise<Started> {
  const script = `
    const { createStrapi } = require(${JSON.stringify(require.resolve('@strapi/strapi'))});
    if (process.env.HOLD_BEFORE_SECRETS) {
      // Starts meant to meet: held just before their first look at the secrets file until HOLD_BEFORE_SECRETS exists.
      const fs = require('fs');
      const read = fs.readFileSync;
      let held = false;
      fs.readFileSync = function (file, ...rest) {
        if (!held && String(file) === process.env.BULLETIN_SECRETS_FILE) {
          held = true;
          fs.writeSync(1, 'WAITING\\n');
          while (!fs.existsSync(process.env.HOLD_BEFORE_SECRETS)) {}
        }
        return read.call(this, file, ...rest);
      };
    }
    Promise.resolve()
      .then(() => createStrapi({ appDir: ${JSON.stringify(appDir)}, distDir: ${JSON.stringify(distDir)}, serveAdminPanel: false }).load())
      .then(async (strapi) => {
        const get = (key) => strapi.config.get(key);
        const config = {
          APP_KEYS: get('server.app.keys').join(','),
          API_TOKEN_SALT: get('admin.apiToken.salt'),
          ADMIN_JWT_SECRET: get('admin.auth.secret'),
          TRANSFER_TOKEN_SALT: get('admin.transfer.token.salt'),
          JWT_SECRET: get('plugin::users-permissions.jwtSecret'),
          ENCRYPTION_KEY: get('admin.secrets.encryptionKey'),
        };
        const jwt = strapi.plugin('users-permissions').service('jwt');
        const verified = process.env.VERIFY_JWT ? await jwt.verify(process.env.VERIFY_JWT).then((claims) => claims.id, () => null) : null;
        const issued = await jwt.issue({ id: 42 });
        console.log('RESULT ' + JSON.stringify({ config, issued, verified }));
        await strapi.destroy();
        process.exit(0);
      })
      .catch((error) => { console.error(error && error.message); process.exit(3); });
  `;
  const result = await run(script, env, cwd, onOutput);
  const line = result.stdout.split('\n').find((text) => text.startsWith('RESULT '));
  const parsed =
    line === undefined
      ? null
      : (JSON.parse(line.slice('RESULT '.length)) as { config: Values; issued: string; verified: number | null });
  return {
    status: result.status,
    output: result.output,
    config: parsed?.config ?? null,
    issued: parsed?.issued ?? null,
    verified: parsed?.verified ?? null,
  };
}

const mode = (file: string) => fs.statSync(file).mode & 0o777;
const stored = (file: string) => JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, string>;
const only = (values: Record<string, string>): Values =>
  Object.fromEntries(NAMES.map((name) => [name, values[name]])) as Values;
const database = (name: string) => ({ DATABASE_FILENAME: path.join(tmp, `${name}.db`) });

describe('npm start without secrets, NODE_ENV unset', () => {
  // Started from a folder of its own: the default place, .tmp/secrets.json under the working directory.
  const cwd = path.join(tmp, 'office');
  const file = path.join(cwd, '.tmp', 'secrets.json');
  let first: Started;
  let text: string;

  beforeAll(async () => {
    fs.mkdirSync(cwd);
    first = await start(database('office'), cwd);
    text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  });

  /**
   * The office as the first start left it — its folder with the secrets file, and its database — copied for one test
   * to start again and change: every test starts from the first start's state, in any order.
   */
  function copyOfOffice(name: string): { cwd: string; file: string; env: Record<string, string> } {
    const own = path.join(tmp, name);
    fs.cpSync(cwd, own, { recursive: true });
    for (const entry of fs.readdirSync(tmp).filter((entry) => entry.startsWith('office.db'))) {
      fs.copyFileSync(path.join(tmp, entry), path.join(tmp, entry.replace(/^office/, name)));
    }
    return { cwd: own, file: path.join(own, '.tmp', 'secrets.json'), env: database(name) };
  }

  test('the first start generates every secret into .tmp/secrets.json, mode 0600 in a 0700 folder, and runs on them', () => {
    expect(first.output).not.toMatch(/error/i);
    expect(first.status).toBe(0);
    expect(mode(file)).toBe(0o600);
    expect(mode(path.dirname(file))).toBe(0o700);
    const values = only(stored(file));
    expect(first.config).toEqual(values);
    for (const name of NAMES) {
      const keys = values[name].split(',');
      expect(keys).toHaveLength(name === 'APP_KEYS' ? 2 : 1);
      for (const key of keys) expect(Buffer.from(key, 'base64')).toHaveLength(32);
    }
  });

  test('the second start reuses them: the file unchanged, the same configuration, the first start’s login still valid', async () => {
    const office = copyOfOffice('office-second');
    const second = await start({ ...office.env, VERIFY_JWT: first.issued ?? '' }, office.cwd);
    expect(second.status).toBe(0);
    expect(fs.readFileSync(office.file, 'utf8')).toBe(text);
    expect(second.config).toEqual(first.config);
    expect(second.verified).toBe(42);
  });

  test('a value in the environment wins over the file, which stays as it is', async () => {
    const mine = randomBytes(32).toString('base64');
    const office = copyOfOffice('office-environment');
    const third = await start({ ...office.env, JWT_SECRET: mine, VERIFY_JWT: first.issued ?? '' }, office.cwd);
    expect(third.status).toBe(0);
    expect(third.config).toEqual({ ...first.config, JWT_SECRET: mine });
    expect(third.verified).toBeNull();
    expect(fs.readFileSync(office.file, 'utf8')).toBe(text);
  });

  test('deleting JWT_SECRET from the file renews it alone: logins issued before no longer verify', async () => {
    const office = copyOfOffice('office-renewed');
    const content = stored(office.file);
    delete content.JWT_SECRET;
    fs.writeFileSync(office.file, JSON.stringify(content, null, 2), { mode: 0o600 });
    const renewed = await start({ ...office.env, VERIFY_JWT: first.issued ?? '' }, office.cwd);
    expect(renewed.status).toBe(0);
    expect(renewed.verified).toBeNull();
    const values = only(stored(office.file));
    expect(values.JWT_SECRET).not.toBe(first.config?.JWT_SECRET);
    expect(renewed.config).toEqual(values);
    expect({ ...values, JWT_SECRET: '' }).toEqual({ ...first.config, JWT_SECRET: '' });
    expect(mode(office.file)).toBe(0o600);
  });
});

test('a corrupt secrets file stops the start, naming the file and the fix; the file is left as it was', async () => {
  const file = path.join(tmp, 'corrupt', 'secrets.json');
  fs.mkdirSync(path.dirname(file), { mode: 0o700 });
  fs.writeFileSync(file, '{"JWT_SECRET": "abc",', { mode: 0o600 });
  const run = await start({ ...database('corrupt'), BULLETIN_SECRETS_FILE: file });
  expect(run.status).toBe(3);
  expect(run.config).toBeNull();
  expect(run.output).toContain(`The secrets file ${file} is not valid JSON`);
  expect(run.output).toContain('restore it from the backup taken with the database');
  expect(fs.readFileSync(file, 'utf8')).toBe('{"JWT_SECRET": "abc",');
});

test('two starts at the same moment on an empty secrets folder run on one set of secrets', async () => {
  // Both are held just before they first look at the (absent) file, and let go together once both are there: both
  // find no file at the same moment, and both would write one if nothing kept them apart.
  const file = path.join(tmp, 'together', 'secrets.json');
  const go = path.join(tmp, 'together-go');
  const waiting = new Set<string>();
  const arrived = (who: string) => (stdout: string) => {
    if (!stdout.includes('WAITING')) return;
    waiting.add(who);
    if (waiting.size === 2) fs.writeFileSync(go, '');
  };
  const env = { BULLETIN_SECRETS_FILE: file, HOLD_BEFORE_SECRETS: go };
  const [a, b] = await Promise.all([
    start({ ...database('together-a'), ...env }, appDir, arrived('a')),
    start({ ...database('together-b'), ...env }, appDir, arrived('b')),
  ]);
  expect([...waiting].sort()).toEqual(['a', 'b']);
  expect([a.status, b.status]).toEqual([0, 0]);
  expect(a.config).not.toBeNull();
  expect(a.config).toEqual(b.config);
  expect(a.config).toEqual(only(stored(file)));
  expect(fs.readdirSync(path.dirname(file))).toEqual(['secrets.json']);
});

test('eight processes loading the secrets in the same millisecond on an empty folder end with one set', async () => {
  // The start's own step (dist/src/strapi/secrets-file.js), without the rest of Strapi's start, so that the eight
  // really meet: each waits for the same instant, then loads.
  const file = path.join(tmp, 'race', 'secrets.json');
  const at = Date.now() + 2000;
  const script = `
    const { loadSecrets } = require(${JSON.stringify(path.join(distDir, 'src', 'strapi', 'secrets-file.js'))});
    while (Date.now() < ${at}) {}
    console.log('RESULT ' + JSON.stringify(loadSecrets()));
  `;
  const runs = await Promise.all(Array.from({ length: 8 }, () => run(script, { BULLETIN_SECRETS_FILE: file }, appDir)));
  const results = runs.map((one) => {
    expect(one.status).toBe(0);
    const line = one.stdout.split('\n').find((text) => text.startsWith('RESULT ')) ?? 'RESULT null';
    return JSON.parse(line.slice('RESULT '.length)) as Values;
  });
  const expected = only(stored(file));
  for (const result of results) expect(result).toEqual(expected);
  expect(fs.readdirSync(path.dirname(file))).toEqual(['secrets.json']);
});
