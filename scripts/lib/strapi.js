// Boots and stops the compiled app for command-line scripts (export, import).
const path = require('path');

const appDir = path.resolve(__dirname, '..', '..');

/** The app loaded (no HTTP server) from BULLETIN_DIST_DIR when given (already compiled), else compiled now. */
async function loadApp() {
  const { compileStrapi, createStrapi } = require('@strapi/strapi');
  const distDir = process.env.BULLETIN_DIST_DIR || (await compileStrapi({ appDir })).distDir;
  const strapi = await createStrapi({ appDir, distDir, serveAdminPanel: false }).load();
  return { strapi, distDir };
}

/** The compiled app's directory, compiling it when needed, for scripts that only need pure modules. */
async function compiledDir() {
  if (process.env.BULLETIN_DIST_DIR) return process.env.BULLETIN_DIST_DIR; // without loading Strapi (seconds)
  const { compileStrapi } = require('@strapi/strapi');
  return (await compileStrapi({ appDir })).distDir;
}

/**
 * Stops Strapi once its database pool is idle: Strapi's start leaves background work (permission syncs, session
 * clean-up) that would be aborted — and crash the script — if the pool were destroyed under it.
 */
async function stopApp(strapi) {
  const pool = strapi.db.connection.client.pool;
  const deadline = Date.now() + 10000;
  let idleSince = null;
  while (pool && Date.now() < deadline) {
    const busy = pool.numUsed() + pool.numPendingAcquires() + pool.numPendingCreates() > 0;
    if (busy) idleSince = null;
    else if (idleSince === null) idleSince = Date.now();
    else if (Date.now() - idleSince >= 300) break;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  await strapi.destroy();
}

module.exports = { loadApp, compiledDir, stopApp };
