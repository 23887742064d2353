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
const { spawn } = require('child_process');
const { BENCH_SECRETS, compile, createDatabase, startApp, median, arg } = require('./lib');

const SECONDS = arg('seconds', 5);
const ROUNDS = arg('rounds', 3);
const CONNECTIONS = arg('connections', 32);
const APP_PORT = 41500;
const BARE_PORT = 41501;
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
  const group = await documents('api::recipient-group.recipient-group').create({
    data: { name: '区直各单位负责同志', units: { connect: units.map((unit) => ({ documentId: unit.documentId })) } },
  });
  const paragraph = '疫情防控工作开展以来，各单位认真落实上级部署，强化责任担当，压实工作措施，确保各项工作落到实处。'.repeat(6);
  const started = Date.now();
  for (let n = 1; n <= ISSUES; n += 1) {
    const month = String(((n - 1) % 12) + 1).padStart(2, '0');
    const day = String(((n - 1) % 28) + 1).padStart(2, '0');
    const issue = await documents('api::issue.issue').create({
      data: { date: `2020-${month}-${day}`, number: n, issuer: units[0].documentId, columnTitle: '基层动态', editors: '郝婕 李德昭', distributeTo: [{ group: group.documentId }] },
    });
    for (let position = 1; position <= ITEMS; position += 1) {
      const unit = units[(n + position) % 40];
      await documents('api::item.item').create({
        data: { headline: `第${n}期第${position}条信息`, body: `${paragraph.slice(0, 300)}\n\n${paragraph.slice(0, 300)}`, units: [unit.documentId], state: 'adopted', issue: issue.documentId, position },
      });
    }
    await documents('api::issue.issue').publish({ documentId: issue.documentId });
  }
  const role = await strapi.db.query('plugin::users-permissions.role').findOne({ where: { type: 'reader' } });
  await strapi.plugin('users-permissions').service('user').add({
    username: 'bench-reader', email: 'bench-reader@example.gov.cn', password: 'Bench-pass-1', provider: 'local', confirmed: true, blocked: false, role: role.id, unit: units[5].id,
  });
  // A database in use has its planner statistics (autovacuum); a freshly seeded one not yet.
  await strapi.db.connection.raw('ANALYZE');
  console.log(`seeded 40 units, ${ISSUES} issues × ${ITEMS} items in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  await strapi.destroy();
}

function startBare(databaseUrl) {
  const child = spawn(process.execPath, [path.join(__dirname, 'bare-server.js')], {
    env: { ...process.env, DATABASE_URL: databaseUrl, PORT: String(BARE_PORT), JWT_SECRET: BENCH_SECRETS.JWT_SECRET },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      if (String(chunk).includes('READY')) resolve({ pid: child.pid, stop: () => new Promise((done) => { child.once('exit', done); process.kill(child.pid, 'SIGTERM'); }) });
    });
    child.once('exit', (code) => reject(new Error(`bare server exited with ${code}`)));
  });
}

const agent = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS });
function request(port, { method, path: url, headers, body }) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const req = http.request({ host: '127.0.0.1', port, method, path: url, headers, agent }, (res) => {
      let size = 0;
      res.on('data', (chunk) => (size += chunk.length));
      res.on('end', () => resolve({ status: res.statusCode, ms: Number(process.hrtime.bigint() - started) / 1e6, size }));
    });
    req.on('error', reject);
    req.setTimeout(10000, () => req.destroy(new Error(`no answer in 10 s: ${method} ${url}`)));
    if (body !== undefined) req.end(body);
    else req.end();
  });
}

/** `CONNECTIONS` loops for `SECONDS`, each request picked by `make(i)`; returns req/s and latency percentiles. */
async function load(port, make) {
  const latencies = [];
  let failures = 0;
  const statuses = new Map();
  const until = Date.now() + SECONDS * 1000;
  let counter = 0;
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (Date.now() < until) {
        try {
          const res = await request(port, make(counter++));
          if (res.status !== 200) {
            failures += 1;
            statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          }
          latencies.push(res.ms);
        } catch (error) {
          failures += 1;
          statuses.set(error.message.slice(0, 40), (statuses.get(error.message.slice(0, 40)) ?? 0) + 1);
        }
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  const pick = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
  if (statuses.size > 0) console.log(`  not 200 on port ${port}: ${[...statuses].map(([what, n]) => `${what} ×${n}`).join(', ')}`);
  return { rps: latencies.length / SECONDS, p50: pick(0.5), p99: pick(0.99), failures };
}

async function main() {
  const distDir = await compile();
  const database = await createDatabase('bench_api');
  let app = null;
  let bare = null;
  try {
    // Seeding boots Strapi; it runs in its own process so that nothing Strapi leaves scheduled outlives it here.
    await new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [__filename, '--seed-into', database.url, '--dist', distDir], { stdio: 'inherit', env: { ...process.env, ...BENCH_SECRETS } });
      child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`seeding failed (${code})`))));
    });
    const profile = process.argv.includes('--cpu-prof') ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(process.argv[process.argv.indexOf('--cpu-prof') + 1])}`] : [];
    app = await startApp(APP_PORT, { DATABASE_CLIENT: 'postgres', DATABASE_URL: database.url, BULLETIN_DEMO_CONTENT: 'false', DATABASE_POOL_MAX: '10' }, distDir, profile);
    const login = await request(APP_PORT, {
      method: 'POST', path: '/api/auth/local', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ identifier: 'bench-reader', password: 'Bench-pass-1' }),
    });
    if (login.status !== 200) throw new Error(`login failed: ${login.status}`);
    const jwt = await new Promise((resolve) => {
      const req = http.request({ host: '127.0.0.1', port: APP_PORT, method: 'POST', path: '/api/auth/local', headers: { 'content-type': 'application/json' } }, (res) => {
        let text = '';
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => resolve(JSON.parse(text).jwt));
      });
      req.end(JSON.stringify({ identifier: 'bench-reader', password: 'Bench-pass-1' }));
    });
    const auth = { authorization: `Bearer ${jwt}` };
    const publication = encodeURIComponent('上街信息');
    // The reference's stored answers: what the REST route answers for each issue, by number, as bytes.
    const { Client } = require('pg');
    const sql = new Client({ connectionString: database.url });
    await sql.connect();
    await sql.query('CREATE TABLE bench_answers (id integer PRIMARY KEY, body bytea NOT NULL)');
    for (let n = 1; n <= ISSUES; n += 1) {
      const body = await new Promise((resolve, reject) => {
        const r = http.request({ host: '127.0.0.1', port: APP_PORT, path: `/api/bulletin/${publication}/2020/${n}`, headers: auth }, (res) => {
          const chunks = [];
          res.on('data', (c) => chunks.push(c));
          res.on('end', () => (res.statusCode === 200 ? resolve(Buffer.concat(chunks)) : reject(new Error(`issue ${n}: ${res.statusCode}`))));
        });
        r.on('error', reject);
        r.end();
      });
      await sql.query('INSERT INTO bench_answers (id, body) VALUES ($1, $2)', [n, body]);
    }
    await sql.query('ANALYZE bench_answers');
    await sql.end();
    bare = await startBare(database.url);
    // Every field of the record: what a front end rendering the whole issue asks for.
    const FULL_ISSUE = require(path.join(distDir, 'src', 'strapi', 'record-graphql.js')).fullSelection('BulletinIssue');
    const number = (i) => (i % ISSUES) + 1;
    // As a front end sends it: one query text, the issue in its variables. Written once, so that the load generator
    // (on the same two cores) spends no more on one scenario than on another.
    const QUERY = `query Issue($n: Int!) { bulletinIssue(publication: "上街信息", year: 2020, number: $n) ${FULL_ISSUE} }`;
    const graphqlBodies = Array.from({ length: ISSUES }, (_, i) => JSON.stringify({ query: QUERY, variables: { n: i + 1 } }));
    const graphqlHeaders = { ...auth, 'content-type': 'application/json' };
    const scenarios = [
      ['(1) GraphQL full issue', APP_PORT, (i) => ({ method: 'POST', path: '/graphql', headers: graphqlHeaders, body: graphqlBodies[number(i) - 1] })],
      ['(2) REST full issue', APP_PORT, (i) => ({ method: 'GET', path: `/api/bulletin/${publication}/2020/${number(i)}`, headers: auth })],
      ['(3) REST issue list of a year', APP_PORT, (i) => ({ method: 'GET', path: `/api/bulletin/${publication}/2020?page=${(i % Math.ceil(ISSUES / 25)) + 1}&pageSize=25`, headers: auth })],
      ['(4) reference: node:http + JWT + stored bytes by primary key', BARE_PORT, (i) => ({ method: 'GET', path: `/answer/${number(i)}`, headers: auth })],
    ];

    // Same bytes? The bare server must answer exactly what the REST route answers.
    const sample = async (port, { method, path: url, headers }) => new Promise((resolve, reject) => {
      const r = http.request({ host: '127.0.0.1', port, method, path: url, headers, agent }, (res) => { let t = ''; res.on('data', (c) => (t += c)); res.on('end', () => resolve(t)); });
      r.on('error', reject);
      r.setTimeout(10000, () => r.destroy(new Error('sample: no answer in 10 s')));
      r.end();
    });
    const same = (await sample(APP_PORT, scenarios[1][2](13))) === (await sample(BARE_PORT, scenarios[3][2](13)));
    console.log(`bare server returns the same bytes as REST: ${same}`);
    // And GraphQL the same record (its keys in the selection's order).
    const sorted = (value) => (Array.isArray(value) ? value.map(sorted) : value !== null && typeof value === 'object' ? Object.fromEntries(Object.keys(value).sort().map((k) => [k, sorted(value[k])])) : value);
    const viaGraphql = await new Promise((resolve, reject) => {
      const r = http.request({ host: '127.0.0.1', port: APP_PORT, method: 'POST', path: '/graphql', headers: graphqlHeaders, agent }, (res) => { let t = ''; res.on('data', (c) => (t += c)); res.on('end', () => resolve(JSON.parse(t))); });
      r.on('error', reject);
      r.end(graphqlBodies[13]);
    });
    const viaRest = JSON.parse(await sample(APP_PORT, scenarios[1][2](13)));
    console.log(`GraphQL answers the same record as REST: ${JSON.stringify(sorted(viaGraphql.data?.bulletinIssue)) === JSON.stringify(sorted(viaRest.data))}`);
    console.log('measuring…');

    const fs = require('fs');
    const rssOf = (pid) => Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;
    const idleRss = rssOf(app.pid);
    const peakRss = new Map(scenarios.map(([name]) => [name, 0]));
    let current = null;
    const sampler = setInterval(() => current !== null && peakRss.set(current, Math.max(peakRss.get(current), rssOf(app.pid))), 50);
    // --only 1,3: measure those scenarios (and always (4), the reference).
    const only = process.argv.includes('--only') ? new Set(process.argv[process.argv.indexOf('--only') + 1].split(',').map(Number).concat(4)) : null;
    if (only !== null) scenarios.splice(0, scenarios.length, ...scenarios.filter((_scenario, i) => only.has(i + 1)));
    for (const [, port, make] of scenarios) await load(port, make); // warm-up
    const results = new Map(scenarios.map(([name]) => [name, []]));
    for (let round = 0; round < ROUNDS; round += 1) {
      for (const [name, port, make] of scenarios) {
        current = name;
        results.get(name).push(await load(port, make));
        current = null;
      }
    }
    clearInterval(sampler);
    const summary = scenarios.map(([name]) => {
      const runs = results.get(name);
      return { name, rps: median(runs.map((r) => r.rps)), p50: median(runs.map((r) => r.p50)), p99: median(runs.map((r) => r.p99)), failures: runs.reduce((sum, r) => sum + r.failures, 0) };
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
      console.log(`| ${row.name} | ${row.rps.toFixed(0)} | ${row.p50.toFixed(1)} | ${row.p99.toFixed(1)} | ${(row.rps / limit).toFixed(2)}x | ${row.failures} | ${rss} |`);
    }
    console.log(`app RSS: ${idleRss.toFixed(0)} MB after start, peak ${peak.toFixed(0)} MB over the whole run (start, warm-up, measuring)`);
    console.log('targets: full issue (REST and GraphQL) ≥ 0.6x, list ≥ 0.4x, p99 ≤ 50 ms on a quiet machine, RSS ≤ 400 MB');
    console.log(`load average during the run: ${require('os').loadavg().map((v) => v.toFixed(2)).join(' ')} (${require('os').cpus().length} cores; other work on the machine lowers both sides)`);
  } finally {
    if (bare !== null) await bare.stop();
    if (app !== null) await app.stop();
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
