#!/usr/bin/env node
// npm run bench:graphql [-- --seconds 5 --rounds 3 --connections 32]
// Strapi's own GraphQL types, nested as a front end writes them without reading the README:
//   issue(documentId) { … items { … units { … } issue { … } } sendTo { group { … } } distributeTo { group { … } } issuer { … } }
// Seeds 40 units and 30 signed-off issues × 8 items of ~600 characters on PostgreSQL, starts the app twice in
// production mode (as `npm start` runs it) on the same database — (1) with BULLETIN_GRAPHQL_BATCH=false, Strapi's own
// resolvers (a query per relation per row), (2) with batching (src/strapi/graphql-batching.ts) — and measures, as a
// reader with a JWT, on 127.0.0.1 at 32 connections, interleaved round by round, against
//   (3) the lean reference: bench/bare-server.js (node:http, the same HS256 check with node:crypto, the stored answer
//       bytes from one indexed lookup).
// Checks first that (1) and (2) answer the same bytes. Prints req/s, p50 and p99, each ratio to (3) and (2)/(1).
const http = require('http');
const path = require('path');
const { spawn } = require('child_process');
const { BENCH_SECRETS, compile, createDatabase, startApp, median, arg } = require('./lib');

const SECONDS = arg('seconds', 5);
const ROUNDS = arg('rounds', 3);
const CONNECTIONS = arg('connections', 32);
const OFF_PORT = 41510;
const ON_PORT = 41511;
const BARE_PORT = 41512;
const ISSUES = 30;
const ITEMS = 8;

async function seed(distDir, databaseUrl) {
  process.env.DATABASE_CLIENT = 'postgres';
  process.env.DATABASE_URL = databaseUrl;
  process.env.BULLETIN_DEMO_CONTENT = 'false';
  process.env.LOG_LEVEL = 'error';
  const { createStrapi } = require('@strapi/strapi');
  const strapi = await createStrapi({ appDir: path.resolve(__dirname, '..'), distDir, serveAdminPanel: false }).load();
  const documents = (uid) => strapi.documents(uid);
  const units = [];
  for (let i = 1; i <= 40; i += 1) {
    units.push(await documents('api::unit.unit').create({ data: { shortName: `单位${i}`, fullName: `上街区第${i}单位`, kind: 'department', active: true } }));
  }
  const everyone = await documents('api::recipient-group.recipient-group').create({
    data: { name: '区直各单位负责同志', units: { connect: units.map((unit) => ({ documentId: unit.documentId })) } },
  });
  const leaders = await documents('api::recipient-group.recipient-group').create({
    data: { name: '区县处级领导', units: { connect: units.slice(0, 3).map((unit) => ({ documentId: unit.documentId })) } },
  });
  const paragraph = '疫情防控工作开展以来，各单位认真落实上级部署，强化责任担当，压实工作措施，确保各项工作落到实处。'.repeat(6);
  const ids = [];
  for (let n = 1; n <= ISSUES; n += 1) {
    const month = String(((n - 1) % 12) + 1).padStart(2, '0');
    const day = String(((n - 1) % 28) + 1).padStart(2, '0');
    const issue = await documents('api::issue.issue').create({
      data: {
        date: `2020-${month}-${day}`, number: n, issuer: units[0].documentId, columnTitle: '基层动态', editors: '郝婕 李德昭',
        sendTo: [{ group: leaders.documentId }], distributeTo: [{ group: everyone.documentId }],
      },
    });
    for (let position = 1; position <= ITEMS; position += 1) {
      const unit = units[(n + position) % 40];
      await documents('api::item.item').create({
        data: { headline: `第${n}期第${position}条信息`, body: `${paragraph.slice(0, 300)}\n\n${paragraph.slice(0, 300)}`, units: [unit.documentId], state: 'adopted', issue: issue.documentId, position },
      });
    }
    await documents('api::issue.issue').publish({ documentId: issue.documentId });
    ids.push(issue.documentId);
  }
  const role = await strapi.db.query('plugin::users-permissions.role').findOne({ where: { type: 'reader' } });
  await strapi.plugin('users-permissions').service('user').add({
    username: 'bench-reader', email: 'bench-reader@example.gov.cn', password: 'Bench-pass-1', provider: 'local', confirmed: true, blocked: false, role: role.id, unit: units[5].id,
  });
  await strapi.db.connection.raw('ANALYZE');
  await strapi.destroy();
  process.stdout.write(`SEEDED ${JSON.stringify(ids)}\n`);
}

function startBare(databaseUrl) {
  const child = spawn(process.execPath, [path.join(__dirname, 'bare-server.js')], {
    env: { ...process.env, DATABASE_URL: databaseUrl, PORT: String(BARE_PORT), JWT_SECRET: BENCH_SECRETS.JWT_SECRET },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      if (String(chunk).includes('READY')) resolve({ stop: () => new Promise((done) => { child.once('exit', done); process.kill(child.pid, 'SIGTERM'); }) });
    });
    child.once('exit', (code) => reject(new Error(`bare server exited with ${code}`)));
  });
}

const agent = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS * 3 });
function request(port, { method, path: url, headers, body }) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const req = http.request({ host: '127.0.0.1', port, method, path: url, headers, agent }, (res) => {
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode, ms: Number(process.hrtime.bigint() - started) / 1e6, text: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    req.setTimeout(10000, () => req.destroy(new Error(`no answer in 10 s: ${method} ${url}`)));
    req.end(body);
  });
}

/** `CONNECTIONS` loops for `SECONDS`, each request picked by `make(i)`; returns req/s and latency percentiles. */
async function load(port, make) {
  const latencies = [];
  let failures = 0;
  const until = Date.now() + SECONDS * 1000;
  let counter = 0;
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (Date.now() < until) {
        try {
          const res = await request(port, make(counter++));
          if (res.status !== 200 || res.text.includes('"errors"')) failures += 1;
          latencies.push(res.ms);
        } catch {
          failures += 1;
        }
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  const pick = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
  return { rps: latencies.length / SECONDS, p50: pick(0.5), p99: pick(0.99), failures };
}

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
    const ids = await new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [__filename, '--seed-into', database.url, '--dist', distDir], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...BENCH_SECRETS } });
      let output = '';
      child.stdout.on('data', (chunk) => (output += chunk));
      child.once('exit', (code) => (code === 0 ? resolve(JSON.parse(/SEEDED (.*)/.exec(output)[1])) : reject(new Error(`seeding failed (${code})`))));
    });
    console.log(`seeded 40 units, ${ISSUES} signed-off issues × ${ITEMS} items`);
    const env = { DATABASE_CLIENT: 'postgres', DATABASE_URL: database.url, BULLETIN_DEMO_CONTENT: 'false', DATABASE_POOL_MAX: '10' };
    const off = await startApp(OFF_PORT, { ...env, BULLETIN_GRAPHQL_BATCH: 'false' }, distDir);
    stops.push(off.stop);
    const on = await startApp(ON_PORT, env, distDir);
    stops.push(on.stop);
    const bare = await startBare(database.url);
    stops.push(bare.stop);

    const login = await request(ON_PORT, {
      method: 'POST', path: '/api/auth/local', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ identifier: 'bench-reader', password: 'Bench-pass-1' }),
    });
    if (login.status !== 200) throw new Error(`login failed: ${login.status}`);
    const { jwt } = JSON.parse(login.text);
    const headers = { authorization: `Bearer ${jwt}`, 'content-type': 'application/json' };
    const bodies = ids.map((id) => JSON.stringify({ query: NESTED, variables: { id } }));
    const graphqlCall = (i) => ({ method: 'POST', path: '/graphql', headers, body: bodies[i % ISSUES] });
    const scenarios = [
      ['(1) nested issue, Strapi’s resolvers (batching off)', OFF_PORT, graphqlCall],
      ['(2) nested issue, batched', ON_PORT, graphqlCall],
      ['(3) reference: bare node:http + pg', BARE_PORT, (i) => ({ method: 'GET', path: `/issue/2020/${(i % ISSUES) + 1}`, headers: { authorization: headers.authorization } })],
    ];

    for (let i = 0; i < ISSUES; i += 1) {
      const [a, b] = [await request(OFF_PORT, graphqlCall(i)), await request(ON_PORT, graphqlCall(i))];
      if (a.text !== b.text || !a.text.includes(`第${i + 1}期第8条信息`)) throw new Error(`issue ${i + 1}: the batched answer differs from Strapi's:\n${a.text}\n${b.text}`);
    }
    console.log(`batched answers are byte-identical to Strapi's for all ${ISSUES} issues`);
    const reference = await request(BARE_PORT, scenarios[2][2](0));
    if (reference.status !== 200) throw new Error(`the reference answered ${reference.status}`);

    console.log('measuring…');
    for (const [, port, make] of scenarios) await load(port, make); // warm-up
    const results = new Map(scenarios.map(([name]) => [name, []]));
    for (let round = 0; round < ROUNDS; round += 1) {
      for (const [name, port, make] of scenarios) results.get(name).push(await load(port, make));
    }
    const summary = scenarios.map(([name]) => {
      const runs = results.get(name);
      return { name, rps: median(runs.map((r) => r.rps)), p50: median(runs.map((r) => r.p50)), p99: median(runs.map((r) => r.p99)), failures: runs.reduce((sum, r) => sum + r.failures, 0) };
    });
    const limit = summary[2].rps;
    console.log('');
    console.log(`${CONNECTIONS} connections, ${SECONDS} s per run, ${ROUNDS} interleaved rounds (medians)`);
    console.log('| scenario | req/s | p50 ms | p99 ms | ratio to (3) | failed |');
    console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
    for (const row of summary) {
      console.log(`| ${row.name} | ${row.rps.toFixed(0)} | ${row.p50.toFixed(1)} | ${row.p99.toFixed(1)} | ${(row.rps / limit).toFixed(3)}x | ${row.failures} |`);
    }
    console.log(`batched / Strapi's own: ${(summary[1].rps / summary[0].rps).toFixed(1)}x throughput (target ≥ 20x), batched p99 ${summary[1].p99.toFixed(0)} ms (target < 100 ms)`);
  } finally {
    for (const stop of stops.reverse()) await stop();
    agent.destroy();
    await database.drop();
  }
}

const seedInto = process.argv.indexOf('--seed-into');
if (seedInto !== -1) {
  seed(process.argv[process.argv.indexOf('--dist') + 1], process.argv[seedInto + 1]).then(
    () => process.exit(0),
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
} else {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
