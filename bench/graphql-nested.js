#!/usr/bin/env node
// npm run bench:graphql [-- --seconds 5 --rounds 3 --connections 32 --cpu-prof DIR]
// Strapi's own GraphQL types, nested as a front end writes them without reading the README:
//   issue(documentId) { … items { … units { … } issue { … } } sendTo { group { … } } distributeTo { group { … } } issuer { … } }
// Seeds 40 units and 30 signed-off issues × 8 items of ~600 characters on PostgreSQL, starts the app three times in
// production mode (as `npm start` runs it) on the same database — (1) Strapi's own resolvers (a query per relation
// per row: BULLETIN_GRAPHQL_BATCH=false) with the readers' fast path off (BULLETIN_FAST_READ=false), (2) batching
// (src/strapi/graphql-batching.ts), fast path still off: every request runs Apollo, (3) the app as it runs: Apollo's
// answers kept and given again while nothing they were made of changed (src/strapi/typed-reads.ts: one statement a
// request) — and measures, as a reader with a JWT, on 127.0.0.1 at 32 connections, interleaved round by round, against
//   (4) the lean reference: bench/bare-server.js (node:http, the same HS256 check with node:crypto, the app's answer
//       bytes for each issue, stored beforehand, from one lookup by primary key).
// Checks first that (1), (2) and (3) answer the same bytes. Prints req/s, p50 and p99, each ratio to (4), and each to (1).
// --cpu-prof DIR: app (3) runs with node --cpu-prof, its profile written to DIR when it stops.
const path = require('path');
const http = require('http');
const { compile, createDatabase, freePort, startApp, median, arg } = require('./lib');
const { seedInChild, request, readerJwt, storeAnswers, startBare, load } = require('./readers');

const SECONDS = arg('seconds', 5);
const ROUNDS = arg('rounds', 3);
const CONNECTIONS = arg('connections', 32);
const PROFILE = process.argv.includes('--cpu-prof')
  ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(process.argv[process.argv.indexOf('--cpu-prof') + 1])}`]
  : [];
const ISSUES = 30;
const ITEMS = 8;

const agent = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS * 3 });
/** GraphQL answers its errors with a 200: an answer with `errors` counts as failed. */
const loadOf = (port, make) =>
  load(agent, port, make, { seconds: SECONDS, connections: CONNECTIONS, failed: (body) => body.includes('"errors"') });

const NESTED = `query Issue($id: ID!) {
  issue(documentId: $id) {
    documentId publication year number date columnTitle editors
    items { headline body section position units { shortName fullName } issue { documentId number } }
    sendTo { group { name } }
    distributeTo { group { name } }
    issuer { fullName shortName }
  }
}`;

async function main() {
  const distDir = await compile();
  const database = await createDatabase('bench_graphql');
  const stops = [];
  try {
    const ids = await seedInChild(distDir, database.url, { issues: ISSUES, items: ITEMS });
    const [OFF_PORT, BATCHED_PORT, ON_PORT, BARE_PORT] = [
      await freePort(),
      await freePort(),
      await freePort(),
      await freePort(),
    ];
    const env = {
      DATABASE_CLIENT: 'postgres',
      DATABASE_URL: database.url,
      BULLETIN_DEMO_CONTENT: 'false',
      DATABASE_POOL_MAX: '10',
    };
    const off = await startApp(
      OFF_PORT,
      { ...env, BULLETIN_GRAPHQL_BATCH: 'false', BULLETIN_FAST_READ: 'false' },
      distDir,
    );
    stops.push(off.stop);
    const batched = await startApp(BATCHED_PORT, { ...env, BULLETIN_FAST_READ: 'false' }, distDir);
    stops.push(batched.stop);
    const on = await startApp(ON_PORT, env, distDir, PROFILE);
    stops.push(on.stop);
    const jwt = await readerJwt(agent, ON_PORT);
    const headers = { authorization: `Bearer ${jwt}`, 'content-type': 'application/json' };
    const bodies = ids.map((id) => JSON.stringify({ query: NESTED, variables: { id } }));
    const graphqlCall = (i) => ({ method: 'POST', path: '/graphql', headers, body: bodies[i % ISSUES] });
    const scenarios = [
      ['(1) nested issue, Strapi’s resolvers (batching off)', OFF_PORT, graphqlCall],
      ['(2) nested issue, batched (every request through Apollo)', BATCHED_PORT, graphqlCall],
      ['(3) nested issue, the app as it runs (kept answers)', ON_PORT, graphqlCall],
      [
        '(4) reference: node:http + JWT + stored bytes by primary key',
        BARE_PORT,
        (i) => ({
          method: 'GET',
          path: `/answer/${(i % ISSUES) + 1}`,
          headers: { authorization: headers.authorization },
        }),
      ],
    ];

    const answers = [];
    for (let i = 0; i < ISSUES; i += 1) {
      const [a, b, c] = [
        await request(agent, OFF_PORT, graphqlCall(i)),
        await request(agent, BATCHED_PORT, graphqlCall(i)),
        await request(agent, ON_PORT, graphqlCall(i)),
      ];
      const kept = await request(agent, ON_PORT, graphqlCall(i)); // the second time: the kept answer
      if (!a.body.equals(b.body) || !b.body.toString().includes(`第${i + 1}期第8条信息`))
        throw new Error(`issue ${i + 1}: the batched answer differs from Strapi's:\n${a.body}\n${b.body}`);
      if (!a.body.equals(c.body) || !a.body.equals(kept.body))
        throw new Error(`issue ${i + 1}: the app's answer differs from Strapi's:\n${a.body}\n${kept.body}`);
      answers.push(b.body);
    }
    console.log(`batched and kept answers are byte-identical to Strapi's for all ${ISSUES} issues`);
    await storeAnswers(database.url, answers);
    const bare = await startBare(database.url, BARE_PORT);
    stops.push(bare.stop);
    const reference = await request(agent, BARE_PORT, scenarios[3][2](0));
    if (!reference.body.equals(answers[0]))
      throw new Error(`the reference answered ${reference.status}, not the app's bytes`);

    console.log('measuring…');
    for (const [, port, make] of scenarios) await loadOf(port, make); // warm-up
    const results = new Map(scenarios.map(([name]) => [name, []]));
    for (let round = 0; round < ROUNDS; round += 1) {
      for (const [name, port, make] of scenarios) results.get(name).push(await loadOf(port, make));
    }
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
    const limit = summary[3].rps;
    console.log('');
    console.log(`${CONNECTIONS} connections, ${SECONDS} s per run, ${ROUNDS} interleaved rounds (medians)`);
    console.log('| scenario | req/s | p50 ms | p99 ms | ratio to (4) | ratio to (1) | failed |');
    console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const row of summary) {
      console.log(
        `| ${row.name} | ${row.rps.toFixed(0)} | ${row.p50.toFixed(1)} | ${row.p99.toFixed(1)} | ${(row.rps / limit).toFixed(3)}x | ${(row.rps / summary[0].rps).toFixed(1)}x | ${row.failures} |`,
      );
    }
    console.log(
      `the app / Strapi's own: ${(summary[2].rps / summary[0].rps).toFixed(1)}x throughput (target ≥ 20x), p99 ${summary[2].p99.toFixed(0)} ms (target < 100 ms); batched alone ${(summary[1].rps / summary[0].rps).toFixed(1)}x`,
    );
  } finally {
    for (const stop of stops.reverse()) await stop();
    agent.destroy();
    await database.drop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
