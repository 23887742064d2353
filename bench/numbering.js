#!/usr/bin/env node
// npm run bench:numbering [-- --issues 300 --rounds 3 --concurrency 20]
// Creates issues over HTTP at a fixed concurrency against the app in production mode on PostgreSQL, once with
// automatic numbering and once with the numbers given (same payloads otherwise, each in its own publication so that
// neither waits on the other's lock), alternating rounds; prints issues/s and the cost ratio automatic / explicit.
const { compile, createDatabase, startApp, runConcurrently, median, arg } = require('./lib');

const ISSUES = arg('issues', 300);
const ROUNDS = arg('rounds', 3);
const CONCURRENCY = arg('concurrency', 20);
const PORT = arg('port', 41400);

async function main() {
  const distDir = await compile();
  const database = await createDatabase('bench_numbering');
  let app = null;
  try {
    app = await startApp(
      PORT,
      { DATABASE_CLIENT: 'postgres', DATABASE_URL: database.url, BULLETIN_DEMO_CONTENT: 'false' },
      distDir,
    );
    const post = async (data) => {
      const res = await fetch(`http://127.0.0.1:${PORT}/api/issues?status=draft`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${app.token}` },
        body: JSON.stringify({ data }),
      });
      if (res.status !== 201) throw new Error(`POST /api/issues answered ${res.status}: ${await res.text()}`);
    };
    const payload = (round) => ({
      date: `${2000 + round}-03-01`,
      columnTitle: '基层动态',
      editors: '郝婕 李德昭',
      printRun: 80,
    });

    // Warm-up: JIT, connection pool, token cache.
    await runConcurrently(40, CONCURRENCY, (index) => post({ ...payload(99, index), publication: '预热' }));

    const automatic = [];
    const explicit = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      const auto = await runConcurrently(ISSUES, CONCURRENCY, (index) =>
        post({ ...payload(round, index), publication: '自动编号' }),
      );
      automatic.push((ISSUES * 1000) / auto);
      const given = await runConcurrently(ISSUES, CONCURRENCY, (index) =>
        post({
          ...payload(round, index),
          publication: '指定编号',
          number: index + 1,
          columnInstallment: round * ISSUES + index + 1,
        }),
      );
      explicit.push((ISSUES * 1000) / given);
      process.stdout.write(
        `round ${round + 1}: automatic ${automatic[round].toFixed(1)} issues/s, explicit ${explicit[round].toFixed(1)} issues/s\n`,
      );
    }

    const auto = median(automatic);
    const given = median(explicit);
    console.log('');
    console.log(`issues per round: ${ISSUES}, concurrency: ${CONCURRENCY}, rounds: ${ROUNDS} (median shown)`);
    console.log(`automatic numbering: ${auto.toFixed(1)} issues/s`);
    console.log(`explicit numbers:    ${given.toFixed(1)} issues/s`);
    console.log(`cost ratio automatic / explicit: ${(given / auto).toFixed(2)}x (target ≤ 1.20x)`);
  } finally {
    if (app !== null) await app.stop();
    await database.drop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
