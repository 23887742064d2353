// Starts the compiled app as a separate process (for tests and benchmarks that need several processes on one
// database). Environment: BULLETIN_TEST_APP_DIR / BULLETIN_TEST_DIST_DIR (or APP_DIR / DIST_DIR), PORT, and the usual
// DATABASE_* variables. Prints "PORT=<port>" (PORT=0 lets the OS choose), "TOKEN=<full-access API token>" when
// PRINT_TOKEN=1, then "READY"; with SERVE_ADMIN=1 it also serves the built admin (dist/build); afterwards "SERVER_ERROR <status> <method> <url>" on standard error for every 5xx.
const path = require('path');

const appDir = process.env.BULLETIN_TEST_APP_DIR || process.env.APP_DIR || path.resolve(__dirname, '..', '..');
const distDir = process.env.BULLETIN_TEST_DIST_DIR || process.env.DIST_DIR || path.join(appDir, 'dist');

let strapi = null;
async function main() {
  const { createStrapi } = require('@strapi/strapi');
  strapi = await createStrapi({ appDir, distDir, serveAdminPanel: process.env.SERVE_ADMIN === '1' }).load();
  // Every 5xx this process answers is reported to the test that started it (tests/support/processes.ts), which fails
  // the test then running unless the test said it expects that status.
  strapi.server.httpServer.on('request', (request, response) => {
    response.on('finish', () => {
      if (response.statusCode >= 500)
        process.stderr.write(`SERVER_ERROR ${response.statusCode} ${request.method} ${request.url}\n`);
    });
  });
  await strapi.listen();
  // PORT=0: the OS picks a free port; the parent reads it here.
  process.stdout.write(`PORT=${strapi.server.httpServer.address().port}\n`);
  if (process.env.PRINT_TOKEN === '1') {
    const token = await strapi
      .service('admin::api-token')
      .create({ name: `serve ${process.pid}`, type: 'full-access', lifespan: null });
    process.stdout.write(`TOKEN=${token.accessKey}\n`);
  }
  process.stdout.write('READY\n');
}

async function stop() {
  try {
    if (strapi !== null) await strapi.destroy();
  } finally {
    process.exit(0);
  }
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);

main().catch((error) => {
  process.stderr.write(`${error && error.stack ? error.stack : error}\n`);
  process.exit(1);
});
