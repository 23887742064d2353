// Compiles the app once (TypeScript → dist/) for every integration test file; each file then boots from dist/, on a
// copy of one of the run's template databases (tests/support/template-database.js).
const fs = require('fs');
const os = require('os');
const path = require('path');
const { ensureTemplates } = require('./template-database');

module.exports = async () => {
  const { compileStrapi } = require('@strapi/strapi');
  const appDir = path.resolve(__dirname, '..', '..');
  const { distDir } = await compileStrapi({ appDir });
  process.env.BULLETIN_TEST_APP_DIR = appDir;
  process.env.BULLETIN_TEST_DIST_DIR = distDir;
  // No test writes the developer's own .tmp/secrets.json: a process a test starts without secrets of its own
  // (tests/support/app.ts gives each booted app a file) generates them into a file made for this run, removed after it
  // (tests/support/global-teardown.js).
  const secretsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bulletin-test-secrets-'));
  process.env.BULLETIN_TEST_SECRETS_DIR = secretsDir;
  process.env.BULLETIN_SECRETS_FILE = path.join(secretsDir, 'secrets.json');
  process.env.BULLETIN_TEST_TEMPLATES = JSON.stringify(await ensureTemplates(appDir, distDir));
};
