#!/usr/bin/env node
// npm run backup [-- --out FILE]
// One file with the configured database (DATABASE_* as for `npm start`; SQLite .tmp/data.db by default), the uploaded
// files (public/uploads) and a manifest (app version, schema fingerprint, sha256 of every member). The app may keep
// running: pg_dump and SQLite's backup API both take a consistent snapshot. Default file: backups/bulletin-<db>-<UTC time>.tar
const { backup } = require('./lib/backup');

const USAGE = 'usage: npm run backup [-- --out FILE]';

function options(argv) {
  if (argv.length === 0) return {};
  if (argv.length === 2 && argv[0] === '--out') return { out: argv[1] };
  throw new Error(`unexpected arguments: ${argv.join(' ')}\n${USAGE}`);
}

async function main() {
  const { out } = options(process.argv.slice(2));
  const started = Date.now();
  const { file, manifest } = await backup({ out, log: (line) => console.error(line) });
  const size = manifest.files.reduce((sum, entry) => sum + entry.size, 0);
  console.error(
    `schema ${manifest.database.schema.fingerprint.slice(0, 12)} (${manifest.database.schema.tables} tables), ${manifest.files.length} files, ${(size / 1048576).toFixed(1)} MB, ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  console.log(file);
}

main().catch((error) => {
  console.error(error.message);
  process.exit(1);
});
