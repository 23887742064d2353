#!/usr/bin/env node
// npm run restore -- FILE [--force]
// Rebuilds the configured database (DATABASE_* as for `npm start`) and public/uploads from a file `npm run backup`
// wrote. Checks every member against the manifest's sha256 first (a damaged file restores nothing), refuses a
// database that already has tables unless --force (which replaces everything in it), and checks afterwards that the
// schema fingerprint is the backup's. Stop the app first.
const { restore } = require('./lib/backup');

const USAGE = 'usage: npm run restore -- FILE [--force]';

function options(argv) {
  const force = argv.includes('--force');
  const rest = argv.filter((arg) => arg !== '--force');
  if (rest.length !== 1 || rest[0].startsWith('--'))
    throw new Error(`${rest.length === 0 ? 'FILE is required' : `unexpected arguments: ${rest.join(' ')}`}\n${USAGE}`);
  return { file: rest[0], force };
}

async function main() {
  const { file, force } = options(process.argv.slice(2));
  const started = Date.now();
  const result = await restore({ file, force, log: (line) => console.error(line) });
  console.log(
    `restored ${file}: ${result.manifest.app.name} ${result.manifest.app.version} of ${result.manifest.createdAt}, ${result.tables} tables, ${result.uploads} uploaded files, schema ${result.fingerprint.slice(0, 12)} as backed up, ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
}

main().catch((error) => {
  console.error(error.message);
  process.exit(1);
});
