import os from 'os';
import path from 'path';
import fs from 'fs';
import request from 'supertest';
import type { Core } from '@strapi/strapi';
import { createTestDatabase, firstStartTemplate, type TestDatabase } from './postgres';
import { watchServerErrors } from './server-errors';

export type TestApp = {
  strapi: Core.Strapi;
  http: () => ReturnType<typeof request>;
  database: 'postgres' | 'sqlite';
  /** Stops the app and starts it again on the same database, as a second start would. */
  restart: () => Promise<void>;
  close: () => Promise<void>;
};

/**
 * `admin`: serve the built admin panel (dist/build, made by `npm run build`), for browser tests of the admin.
 * `fresh`: start on an empty PostgreSQL database, for a test of the first start itself; otherwise the app starts on a
 * copy of the database its first start leaves (tests/support/template-database.js), as a second start would.
 */
export type BootOptions = {
  database?: 'postgres' | 'sqlite';
  demo?: boolean;
  env?: Record<string, string>;
  admin?: boolean;
  fresh?: boolean;
};

function compiledApp(): { appDir: string; distDir: string } {
  const appDir = process.env.BULLETIN_TEST_APP_DIR;
  const distDir = process.env.BULLETIN_TEST_DIST_DIR;
  if (appDir === undefined || distDir === undefined) {
    throw new Error('The app was not compiled: run integration tests through jest (tests/support/global-setup.js).');
  }
  return { appDir, distDir };
}

/**
 * Boots the real app (compiled once by globalSetup) on a fresh database, with its HTTP server mounted, and secrets of
 * its own: the app generates them on its first start into a secrets file in a fresh folder (restart() reads them
 * back; processes the test starts inherit BULLETIN_SECRETS_FILE and share them). Nothing runs on a value known in
 * advance.
 */
export async function bootApp(options: BootOptions = {}): Promise<TestApp> {
  const database = options.database ?? 'postgres';
  let pg: TestDatabase | null = null;
  let sqliteDir: string | null = null;
  // What this boot sets in process.env, to put back on close: test files share a worker process, and one file's
  // settings (login limits, a proxy, a scoring table) must not leak into the next file's app.
  const touched = [
    'BULLETIN_SECRETS_FILE',
    'DATABASE_URL',
    'DATABASE_FILENAME',
    'DATABASE_CLIENT',
    'LOG_LEVEL',
    'BULLETIN_DEMO_CONTENT',
    ...Object.keys(options.env ?? {}),
  ];
  const saved = new Map(touched.map((key) => [key, process.env[key]]));
  const secretsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bulletin-secrets-'));
  process.env.BULLETIN_SECRETS_FILE = path.join(secretsDir, 'secrets.json');

  // eslint-disable-next-line @typescript-eslint/no-dynamic-delete -- process.env is the environment, not a map we could swap for a Map; deleting is how a variable is unset
  for (const key of ['DATABASE_URL', 'DATABASE_FILENAME', 'DATABASE_CLIENT']) delete process.env[key];
  if (database === 'postgres') {
    pg = await createTestDatabase(
      'bulletin_test',
      options.fresh === true ? undefined : firstStartTemplate(options.demo !== false),
    );
    process.env.DATABASE_CLIENT = 'postgres';
    process.env.DATABASE_URL = pg.url;
  } else {
    sqliteDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bulletin-sqlite-'));
    process.env.DATABASE_FILENAME = path.join(sqliteDir, 'data.db');
  }
  process.env.LOG_LEVEL = process.env.LOG_LEVEL ?? 'warn';
  process.env.BULLETIN_DEMO_CONTENT = options.demo === false ? 'false' : 'true';
  for (const [key, value] of Object.entries(options.env ?? {})) process.env[key] = value;

  const serveAdminPanel = options.admin === true;
  let strapi = await loadStrapi(serveAdminPanel);
  const app: TestApp = {
    strapi,
    database,
    http: () => request(app.strapi.server.httpServer),
    restart: async () => {
      await stopStrapi(app.strapi);
      strapi = await loadStrapi(serveAdminPanel);
      app.strapi = strapi;
    },
    close: async () => {
      await stopStrapi(app.strapi);
      if (pg !== null) await pg.drop();
      if (sqliteDir !== null) fs.rmSync(sqliteDir, { recursive: true, force: true });
      fs.rmSync(secretsDir, { recursive: true, force: true });
      for (const [key, value] of saved) {
        // eslint-disable-next-line @typescript-eslint/no-dynamic-delete -- process.env is the environment, not a map we could swap for a Map; deleting is how a variable is unset
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    },
  };
  return app;
}

/** Stops Strapi once its database pool is idle (shared with the command-line scripts: scripts/lib/strapi.js). */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- scripts/ is plain CommonJS without declarations; the one function used is typed here
const { stopApp: stopStrapi } = require('../../scripts/lib/strapi') as {
  stopApp: (strapi: Core.Strapi) => Promise<void>;
};

async function loadStrapi(serveAdminPanel: boolean): Promise<Core.Strapi> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only when an app boots, after the environment above is set; a static import would load Strapi with the test file
  const { createStrapi } = require('@strapi/strapi') as typeof import('@strapi/strapi');
  const strapi = await createStrapi({ ...compiledApp(), serveAdminPanel }).load();
  strapi.server.mount();
  watchServerErrors(strapi.server.httpServer);
  return strapi;
}

/** An API token of Strapi's own kinds ('read-only' | 'full-access'), as an office's integration would use. */
export async function createApiToken(strapi: Core.Strapi, type: 'read-only' | 'full-access'): Promise<string> {
  const token = await strapi.service('admin::api-token').create({
    name: `test ${type} ${Math.random().toString(36).slice(2)}`,
    type,
    lifespan: null,
  });
  return (token as { accessKey: string }).accessKey;
}
