import fs from 'fs';
import os from 'os';
import path from 'path';
import { randomBytes } from 'crypto';
import { spawnSync } from 'child_process';

/**
 * Production refuses to start with missing or published secrets and names the variable, and never falls back to the
 * secrets file. Run as a separate process, the way an office would start it, from the app compiled by the global setup.
 */

/** Secrets made for this run (no process starts on a value known in advance). */
const random = () => randomBytes(32).toString('base64');
const SECRETS: Record<string, string> = {
  APP_KEYS: `${random()},${random()}`,
  API_TOKEN_SALT: random(),
  ADMIN_JWT_SECRET: random(),
  TRANSFER_TOKEN_SALT: random(),
  JWT_SECRET: random(),
  ENCRYPTION_KEY: random(),
};

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bulletin-production-secrets-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function startInProduction(env: Record<string, string>): { status: number | null; output: string } {
  const script = `
    const { createStrapi } = require('@strapi/strapi');
    Promise.resolve()
      .then(() => createStrapi({ appDir: ${JSON.stringify(process.env.BULLETIN_TEST_APP_DIR)}, distDir: ${JSON.stringify(process.env.BULLETIN_TEST_DIST_DIR)} }).load())
      .then(async (strapi) => { console.log('STARTED'); await strapi.destroy(); process.exit(0); })
      .catch((error) => { console.error(error && error.message); process.exit(3); });
  `;
  const base = Object.fromEntries(Object.entries(process.env).filter(([key]) => !Object.keys(SECRETS).includes(key)));
  const result = spawnSync(process.execPath, ['-e', script], {
    cwd: path.resolve(__dirname, '..', '..'),
    env: {
      ...base,
      NODE_ENV: 'production',
      LOG_LEVEL: 'error',
      DATABASE_CLIENT: 'sqlite',
      DATABASE_FILENAME: path.join(tmp, 'data.db'),
      BULLETIN_SECRETS_FILE: path.join(tmp, 'secrets.json'),
      ...env,
    },
    encoding: 'utf8',
    timeout: 60000,
  });
  return { status: result.status, output: `${result.stdout}\n${result.stderr}` };
}

test.each(Object.keys(SECRETS))('without %s production refuses to start and names it', (missing) => {
  const env: Record<string, string> = Object.fromEntries(Object.entries(SECRETS).filter(([key]) => key !== missing));
  const run = startInProduction(env);
  expect(run.status).toBe(3);
  expect(run.output).toContain(`${missing} is not set`);
  expect(run.output).not.toContain('STARTED');
});

test('with the former development default of JWT_SECRET left in, production refuses to start', () => {
  const run = startInProduction({ ...SECRETS, JWT_SECRET: 'dev-users-permissions-jwt-secret-change-me' });
  expect(run.status).toBe(3);
  expect(run.output).toContain('JWT_SECRET is set to a value published in this repository');
  expect(run.output).not.toContain('STARTED');
});

test('production does not take a missing secret from the secrets file, nor write one', () => {
  const file = path.join(tmp, 'present.json');
  const stored: Record<string, string> = { ...SECRETS, JWT_SECRET: random() };
  fs.writeFileSync(file, JSON.stringify(stored), { mode: 0o600 });
  const env: Record<string, string> = { ...SECRETS, BULLETIN_SECRETS_FILE: file };
  delete env.JWT_SECRET;
  const run = startInProduction(env);
  expect(run.status).toBe(3);
  expect(run.output).toContain('JWT_SECRET is not set');
  expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual(stored);
});

test('with every secret set, production starts and creates no secrets file', () => {
  const run = startInProduction(SECRETS);
  expect(run.output).toContain('STARTED');
  expect(run.status).toBe(0);
  expect(fs.existsSync(path.join(tmp, 'secrets.json'))).toBe(false);
});
