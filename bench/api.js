#!/usr/bin/env node
// npm run bench:api [-- --seconds 5 --rounds 3 --connections 32 --only 1,2,3 --cpu-prof DIR]
// Seeds 40 units and 30 signed-off issues × 8 items of ~600 characters on PostgreSQL, starts the app in production
// mode, and measures on 127.0.0.1 at 32 connections, interleaved round by round:
//   (1) the full-issue GraphQL query as an authenticated reader, (2) the REST equivalent, (3) the issue list of a year
//       (GET /api/bulletin/:publication/:year, 25 a page, what the reader front end shows),
//   (4) the physical limit: the leanest honest server (bench/bare-server.js, own process): node:http, the same JWT
//       checked with node:crypto, and the REST answer's bytes, stored beforehand, from one lookup by primary key.
// Prints req/s, p50 and p99 for each, each ratio to (4), and the app's RSS. --cpu-prof DIR: the app writes a CPU
// profile (node --cpu-prof) into DIR when it stops.
const http = require('http');
const path = require('path');
const { compile, createDatabase, freePort, startApp, median, arg } = require('./lib');
const { seedInChild, request, readerJwt, storeAnswers, startBare, load } = require('./readers');

const SECONDS = arg('seconds', 5);
const ROUNDS = arg('rounds', 3);
const CONNECTIONS = arg('connections', 32);
const ISSUES = 30;
const ITEMS = 8;

const agent = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS });
const loadOf = (port, make) => load(agent, port, make, { seconds: SECONDS, connections: CONNECTIONS });

async function main() {
  const distDir = await compile();
  const database = await createDatabase('bench_api');
  let app = null;
  let bare = null;
  try {
    await seedInChild(distDir, database.url, { issues: ISSUES, items: ITEMS });
    const APP_PORT = await freePort();
    const BARE_PORT = await freePort();
    const profile = process.argv.includes('--cpu-prof')
      ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(process.argv[process.argv.indexOf('--cpu-prof') + 1])}`]
      : [];
    app = await startApp(
      APP_PORT,
      {
        DATABASE_CLIENT: 'postgres',
        DATABASE_URL: database.url,
        BULLETIN_DEMO_CONTENT: 'false',
        DATABASE_POOL_MAX: '10',
      },
      distDir,
      profile,
    );
    const auth = { authorization: `Bearer ${await readerJwt(agent, APP_PORT)}` };
    const publication = encodeURIComponent('上街信息');
    // The reference's stored answers: what the REST route answers for each issue, by number, as bytes.
    const answers = [];
    for (let n = 1; n <= ISSUES; n += 1) {
      const answer = await request(agent, APP_PORT, { path: `/api/bulletin/${publication}/2020/${n}`, headers: auth });
      if (answer.status !== 200) throw new Error(`issue ${n}: ${answer.status}`);
      answers.push(answer.body);
    }
    await storeAnswers(database.url, answers);
    bare = await startBare(database.url, BARE_PORT);
    // Every field of the record: what a front end rendering the whole issue asks for.
    const FULL_ISSUE = require(path.join(distDir, 'src', 'strapi', 'record-graphql.js')).fullSelection('BulletinIssue');
    const number = (i) => (i % ISSUES) + 1;
    // As a front end sends it: one query text, the issue in its variables. Written once, so that the load generator
    // (on the same two cores) spends no more on one scenario than on another.
    const QUERY = `query Issue($n: Int!) { bulletinIssue(publication: "上街信息", year: 2020, number: $n) ${FULL_ISSUE} }`;
    const graphqlBodies = Array.from({ length: ISSUES }, (_, i) =>
      JSON.stringify({ query: QUERY, variables: { n: i + 1 } }),
    );
    const graphqlHeaders = { ...auth, 'content-type': 'application/json' };
    const scenarios = [
      [
        '(1) GraphQL full issue',
        APP_PORT,
        (i) => ({ method: 'POST', path: '/graphql', headers: graphqlHeaders, body: graphqlBodies[number(i) - 1] }),
      ],
      [
        '(2) REST full issue',
        APP_PORT,
        (i) => ({ method: 'GET', path: `/api/bulletin/${publication}/2020/${number(i)}`, headers: auth }),
      ],
      [
        '(3) REST issue list of a year',
        APP_PORT,
        (i) => ({
          method: 'GET',
          path: `/api/bulletin/${publication}/2020?page=${(i % Math.ceil(ISSUES / 25)) + 1}&pageSize=25`,
          headers: auth,
        }),
      ],
      [
        '(4) reference: node:http + JWT + stored bytes by primary key',
        BARE_PORT,
        (i) => ({ method: 'GET', path: `/answer/${number(i)}`, headers: auth }),
      ],
    ];

    // Same bytes? The bare server must answer exactly what the REST route answers.
    const sample = async (port, spec) => (await request(agent, port, spec)).body.toString();
    const same = (await sample(APP_PORT, scenarios[1][2](13))) === (await sample(BARE_PORT, scenarios[3][2](13)));
    console.log(`bare server returns the same bytes as REST: ${same}`);
    // And GraphQL the same record (its keys in the selection's order).
    const sorted = (value) =>
      Array.isArray(value)
        ? value.map(sorted)
        : value !== null && typeof value === 'object'
          ? Object.fromEntries(
              Object.keys(value)
                .sort()
                .map((k) => [k, sorted(value[k])]),
            )
          : value;
    const viaGraphql = JSON.parse(await sample(APP_PORT, scenarios[0][2](13)));
    const viaRest = JSON.parse(await sample(APP_PORT, scenarios[1][2](13)));
    console.log(
      `GraphQL answers the same record as REST: ${JSON.stringify(sorted(viaGraphql.data?.bulletinIssue)) === JSON.stringify(sorted(viaRest.data))}`,
    );
    console.log('measuring…');

    const fs = require('fs');
    const rssOf = (pid) => Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;
    const idleRss = rssOf(app.pid);
    const peakRss = new Map(scenarios.map(([name]) => [name, 0]));
    let current = null;
    const sampler = setInterval(
      () => current !== null && peakRss.set(current, Math.max(peakRss.get(current), rssOf(app.pid))),
      50,
    );
    // --only 1,3: measure those scenarios (and always (4), the reference).
    const only = process.argv.includes('--only')
      ? new Set(process.argv[process.argv.indexOf('--only') + 1].split(',').map(Number).concat(4))
      : null;
    if (only !== null) scenarios.splice(0, scenarios.length, ...scenarios.filter((_scenario, i) => only.has(i + 1)));
    for (const [, port, make] of scenarios) await loadOf(port, make); // warm-up
    const results = new Map(scenarios.map(([name]) => [name, []]));
    for (let round = 0; round < ROUNDS; round += 1) {
      for (const [name, port, make] of scenarios) {
        current = name;
        results.get(name).push(await loadOf(port, make));
        current = null;
      }
    }
    clearInterval(sampler);
    const summary = scenarios.map(([name]) => {
      const runs = results.get(name);
      return {
        name,
        rps: median(runs.map((r) => r.rps)),
        p50: median(runs.map((r) => r.p50)),
        p99: median(runs.map((r) => r.p99)),
        failures: runs.reduce((sum, r) => sum + r.failures, 0),
      };
    });
    const limit = summary[summary.length - 1].rps;
    const status = fs.readFileSync(`/proc/${app.pid}/status`, 'utf8');
    const peak = Number(/VmHWM:\s+(\d+)/.exec(status)[1]) / 1024;
    console.log('');
    console.log(`${CONNECTIONS} connections, ${SECONDS} s per run, ${ROUNDS} interleaved rounds (medians)`);
    console.log('| scenario | req/s | p50 ms | p99 ms | ratio to (4) | non-200 | app RSS peak MB |');
    console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const row of summary) {
      const rss = row.name.startsWith('(4)') ? '–' : peakRss.get(row.name).toFixed(0);
      console.log(
        `| ${row.name} | ${row.rps.toFixed(0)} | ${row.p50.toFixed(1)} | ${row.p99.toFixed(1)} | ${(row.rps / limit).toFixed(2)}x | ${row.failures} | ${rss} |`,
      );
    }
    console.log(
      `app RSS: ${idleRss.toFixed(0)} MB after start, peak ${peak.toFixed(0)} MB over the whole run (start, warm-up, measuring)`,
    );
    console.log(
      'targets: full issue (REST and GraphQL) ≥ 0.6x, list ≥ 0.4x, p99 ≤ 50 ms on a quiet machine, RSS ≤ 400 MB',
    );
    console.log(
      `load average during the run: ${require('os')
        .loadavg()
        .map((v) => v.toFixed(2))
        .join(' ')} (${require('os').cpus().length} cores; other work on the machine lowers both sides)`,
    );
  } finally {
    if (bare !== null) await bare.stop();
    if (app !== null) await app.stop();
    agent.destroy();
    await database.drop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
