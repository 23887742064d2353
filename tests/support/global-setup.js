// Compiles the app once (TypeScript → dist/) for every integration test file; each file then boots from dist/.
const path = require('path');

module.exports = async () => {
  const { compileStrapi } = require('@strapi/strapi');
  const appDir = path.resolve(__dirname, '..', '..');
  const { distDir } = await compileStrapi({ appDir });
  process.env.BULLETIN_TEST_APP_DIR = appDir;
  process.env.BULLETIN_TEST_DIST_DIR = distDir;
};
