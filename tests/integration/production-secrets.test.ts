import path from 'path';
import { spawnSync } from 'child_process';

/**
 * Production refuses to start with missing or default secrets and names the variable. Run as a separate process,
 * the way an office would start it, from the app compiled by the global setup.
 */

const SECRETS = {
  APP_KEYS: 'prod-key-a,prod-key-b',
  API_TOKEN_SALT: 'prod-salt',
  ADMIN_JWT_SECRET: 'prod-admin-jwt',
  TRANSFER_TOKEN_SALT: 'prod-transfer',
  JWT_SECRET: 'prod-jwt',
  ENCRYPTION_KEY: 'prod-encryption',
};

function startInProduction(env: Record<string, string>): { status: number | null; output: string } {
  const script = `
    const { createStrapi } = require('@strapi/strapi');
    Promise.resolve()
      .then(() => createStrapi({ appDir: ${JSON.stringify(process.env.BULLETIN_TEST_APP_DIR)}, distDir: ${JSON.stringify(process.env.BULLETIN_TEST_DIST_DIR)} }).load())
      .then(async (strapi) => { console.log('STARTED'); await strapi.destroy(); process.exit(0); })
      .catch((error) => { console.error(error && error.message); process.exit(3); });
  `;
  const base = { ...process.env };
  for (const key of Object.keys(SECRETS)) delete base[key];
  const result = spawnSync(process.execPath, ['-e', script], {
    cwd: path.resolve(__dirname, '..', '..'),
    env: { ...base, NODE_ENV: 'production', LOG_LEVEL: 'error', DATABASE_CLIENT: 'sqlite', DATABASE_FILENAME: ':memory:', ...env },
    encoding: 'utf8',
    timeout: 60000,
  });
  return { status: result.status, output: `${result.stdout}\n${result.stderr}` };
}

test.each(Object.keys(SECRETS))('without %s production refuses to start and names it', (missing) => {
  const env: Record<string, string> = { ...SECRETS };
  delete env[missing];
  const run = startInProduction(env);
  expect(run.status).toBe(3);
  expect(run.output).toContain(`${missing} is not set`);
  expect(run.output).not.toContain('STARTED');
});

test('with a development default left in, production refuses to start', () => {
  const run = startInProduction({ ...SECRETS, JWT_SECRET: 'dev-users-permissions-jwt-secret-change-me' });
  expect(run.status).toBe(3);
  expect(run.output).toContain('JWT_SECRET still has the development default');
});

test('with every secret set, production starts', () => {
  const run = startInProduction(SECRETS);
  expect(run.output).toContain('STARTED');
  expect(run.status).toBe(0);
});
