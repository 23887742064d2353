#!/usr/bin/env node
// npm run bench:backup [-- --runs 3]
// `npm run backup` and `npm run restore` (scripts/lib/backup.js) on the five-year benchmark data set (bench/stats.js:
// 40 units, 1,200 issues, 12,000 items on PostgreSQL, schema made by the app itself), against the reference measured
// in the same run: pg_dump --format=custom to a file, and pg_restore of that file into an empty database. Prints the
// median times and the ratios (the backup adds the uploads, the manifest's checksums and the tar; the restore adds
// the check of every checksum and of the schema fingerprint).
const fs = require('fs');
const os = require('os');
const path = require('path');
const { compile, createDatabase, startApp, median, arg } = require('./lib');
const { seed } = require('./stats');
const { backup, restore, databaseSettings, pgEnv, run } = require('../scripts/lib/backup');

const RUNS = arg('runs', 3);

async function timed(task) {
  const started = process.hrtime.bigint();
  await task();
  return Number(process.hrtime.bigint() - started) / 1e6;
}

async function main() {
  const distDir = await compile();
  const source = await createDatabase('bench_backup');
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-backup-'));
  const targets = [];
  try {
    // The app makes its schema (then stops); the data is seeded with bulk SQL as for bench:stats.
    const app = await startApp(
      0,
      { DATABASE_CLIENT: 'postgres', DATABASE_URL: source.url, BULLETIN_DEMO_CONTENT: 'false' },
      distDir,
    );
    await app.stop();
    const seeded = await seed(source.url);
    console.log(`seeded: ${seeded.issues} issue rows, ${seeded.items} items, ${seeded.unitLinks} item–unit links`);

    const env = (url) => ({
      ...process.env,
      DATABASE_CLIENT: 'postgres',
      DATABASE_URL: url,
      BULLETIN_UPLOADS_DIR: path.join(scratch, 'uploads'),
    });
    const pgSource = databaseSettings(env(source.url));
    const times = { backup: [], pgDump: [], restore: [], pgRestore: [] };
    const file = path.join(scratch, 'backup.tar');
    const dump = path.join(scratch, 'reference.dump');
    for (let round = 0; round < RUNS; round += 1) {
      // Alternating order, so that neither side always runs on a warm cache.
      const dumpRef = () =>
        run('pg_dump', ['--format=custom', '--no-owner', '--no-privileges', `--file=${dump}`], {
          env: pgEnv(pgSource),
        });
      const ours = () => backup({ out: file, env: env(source.url) });
      if (round % 2 === 0) {
        times.backup.push(await timed(ours));
        times.pgDump.push(await timed(dumpRef));
      } else {
        times.pgDump.push(await timed(dumpRef));
        times.backup.push(await timed(ours));
      }
      const forOurs = await createDatabase('bench_backup_restore');
      const forRef = await createDatabase('bench_backup_reference');
      targets.push(forOurs, forRef);
      const restoreRef = () =>
        run(
          'pg_restore',
          ['--no-owner', '--no-privileges', '--exit-on-error', '--single-transaction', `--dbname=${forRef.name}`, dump],
          { env: pgEnv(databaseSettings(env(forRef.url))) },
        );
      const restoreOurs = () => restore({ file, env: env(forOurs.url) });
      if (round % 2 === 0) {
        times.restore.push(await timed(restoreOurs));
        times.pgRestore.push(await timed(restoreRef));
      } else {
        times.pgRestore.push(await timed(restoreRef));
        times.restore.push(await timed(restoreOurs));
      }
      await forOurs.drop();
      await forRef.drop();
    }
    const m = Object.fromEntries(Object.entries(times).map(([key, values]) => [key, median(values)]));
    const mb = (name) => (fs.statSync(name).size / 1048576).toFixed(1);
    console.log(`file sizes: backup ${mb(file)} MB, pg_dump alone ${mb(dump)} MB`);
    console.log(
      `backup  (npm run backup):  ${m.backup.toFixed(0)} ms median of ${RUNS}; pg_dump alone ${m.pgDump.toFixed(0)} ms; ratio ${(m.backup / m.pgDump).toFixed(2)}`,
    );
    console.log(
      `restore (npm run restore): ${m.restore.toFixed(0)} ms median of ${RUNS}; pg_restore alone ${m.pgRestore.toFixed(0)} ms; ratio ${(m.restore / m.pgRestore).toFixed(2)}`,
    );
  } finally {
    for (const target of targets) await target.drop().catch(() => undefined);
    await source.drop();
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
