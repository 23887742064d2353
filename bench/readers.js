// The readers' benchmarks' shared pieces (bench:api, bench:graphql): their data set, seeded in a process of its own;
// a reader's login; the leanest honest reference server over stored answer bytes; HTTP load at N connections.
const http = require('http');
const path = require('path');
const { spawn } = require('child_process');
const { BENCH_SECRETS } = require('./lib');

const UNITS = 40;
const READER = { identifier: 'bench-reader', password: 'Bench-pass-1' };

/**
 * 40 units, `issues` signed-off issues of 上街信息 2020 (第1期 …) × `items` adopted items of ~600 characters, sent to
 * 区县处级领导 (three units) and distributed to every unit, and one reader (of the sixth unit, on the distribution list).
 * Runs inside the seeding process (`seedInChild`); returns the issues' documentIds in number order.
 */
async function seed(distDir, databaseUrl, { issues, items }) {
  process.env.DATABASE_CLIENT = 'postgres';
  process.env.DATABASE_URL = databaseUrl;
  process.env.BULLETIN_DEMO_CONTENT = 'false';
  process.env.LOG_LEVEL = 'error';
  const { createStrapi } = require('@strapi/strapi');
  const strapi = await createStrapi({ appDir: path.resolve(__dirname, '..'), distDir, serveAdminPanel: false }).load();
  const documents = (uid) => strapi.documents(uid);
  const units = [];
  for (let i = 1; i <= UNITS; i += 1) {
    units.push(
      await documents('api::unit.unit').create({
        data: { shortName: `单位${i}`, fullName: `上街区第${i}单位`, kind: 'department', active: true },
      }),
    );
  }
  const group = (name, members) =>
    documents('api::recipient-group.recipient-group').create({
      data: { name, units: { connect: members.map((unit) => ({ documentId: unit.documentId })) } },
    });
  const everyone = await group('区直各单位负责同志', units);
  const leaders = await group('区县处级领导', units.slice(0, 3));
  const paragraph =
    '疫情防控工作开展以来，各单位认真落实上级部署，强化责任担当，压实工作措施，确保各项工作落到实处。'.repeat(6);
  const ids = [];
  for (let n = 1; n <= issues; n += 1) {
    const month = String(((n - 1) % 12) + 1).padStart(2, '0');
    const day = String(((n - 1) % 28) + 1).padStart(2, '0');
    const issue = await documents('api::issue.issue').create({
      data: {
        date: `2020-${month}-${day}`,
        number: n,
        issuer: units[0].documentId,
        columnTitle: '基层动态',
        editors: '郝婕 李德昭',
        sendTo: [{ group: leaders.documentId }],
        distributeTo: [{ group: everyone.documentId }],
      },
    });
    for (let position = 1; position <= items; position += 1) {
      const unit = units[(n + position) % UNITS];
      await documents('api::item.item').create({
        data: {
          headline: `第${n}期第${position}条信息`,
          body: `${paragraph.slice(0, 300)}\n\n${paragraph.slice(0, 300)}`,
          units: [unit.documentId],
          state: 'adopted',
          issue: issue.documentId,
          position,
        },
      });
    }
    await documents('api::issue.issue').publish({ documentId: issue.documentId });
    ids.push(issue.documentId);
  }
  const role = await strapi.db.query('plugin::users-permissions.role').findOne({ where: { type: 'reader' } });
  await strapi.plugin('users-permissions').service('user').add({
    username: READER.identifier,
    email: 'bench-reader@example.gov.cn',
    password: READER.password,
    provider: 'local',
    confirmed: true,
    blocked: false,
    role: role.id,
    unit: units[5].id,
  });
  // A database in use has its planner statistics (autovacuum); a freshly seeded one not yet.
  await strapi.db.connection.raw('ANALYZE');
  await strapi.destroy();
  return ids;
}

/**
 * Seeds in a child process (`node bench/readers.js --seed-into URL --dist DIR --issues N --items M`), so that nothing
 * Strapi leaves scheduled outlives it in the benchmark's own process. Resolves with the issues' documentIds.
 */
function seedInChild(distDir, databaseUrl, { issues, items }) {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const args = [
      __filename,
      '--seed-into',
      databaseUrl,
      '--dist',
      distDir,
      '--issues',
      String(issues),
      '--items',
      String(items),
    ];
    const child = spawn(process.execPath, args, {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, ...BENCH_SECRETS },
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.once('exit', (code) => {
      const seeded = /SEEDED (.*)/.exec(output);
      if (code !== 0 || seeded === null) return reject(new Error(`seeding failed (${code})`));
      console.log(
        `seeded ${UNITS} units, ${issues} signed-off issues × ${items} items in ${((Date.now() - started) / 1000).toFixed(1)} s`,
      );
      resolve(JSON.parse(seeded[1]));
    });
  });
}

/** One request on `agent` (undefined: Node's global one): status, headers, milliseconds and the body's bytes. */
function request(agent, port, { method = 'GET', path: url, headers, body, timeoutMs = 10000 }) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const req = http.request({ host: '127.0.0.1', port, method, path: url, headers, agent }, (res) => {
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode,
          headers: res.headers,
          ms: Number(process.hrtime.bigint() - started) / 1e6,
          body: Buffer.concat(chunks),
        }),
      );
    });
    req.on('error', reject);
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer in ${timeoutMs / 1000} s: ${method} ${url}`)));
    req.end(body);
  });
}

/** The reader's JWT from a real login on the app at `port`. */
async function readerJwt(agent, port) {
  const login = await request(agent, port, {
    method: 'POST',
    path: '/api/auth/local',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(READER),
  });
  if (login.status !== 200) throw new Error(`login failed: ${login.status}`);
  return JSON.parse(login.body.toString()).jwt;
}

/**
 * The reference's stored answers (table bench_answers, id 1 … n): the bytes the app answered, so the reference
 * returns exactly what the app returns.
 */
async function storeAnswers(databaseUrl, answers) {
  const { Client } = require('pg');
  const sql = new Client({ connectionString: databaseUrl });
  await sql.connect();
  try {
    await sql.query('CREATE TABLE IF NOT EXISTS bench_answers (id integer PRIMARY KEY, body bytea NOT NULL)');
    await sql.query('TRUNCATE bench_answers');
    for (const [index, body] of answers.entries())
      await sql.query('INSERT INTO bench_answers (id, body) VALUES ($1, $2)', [index + 1, body]);
    await sql.query('ANALYZE bench_answers');
  } finally {
    await sql.end();
  }
}

/**
 * bench/bare-server.js in its own process on `port`: GET /answer/:id with the reader's JWT; `env` may name another
 * secret its tokens are checked with (JWT_SECRET: the admin's) and the statements of /sql/:name (BENCH_SQL).
 */
function startBare(databaseUrl, port, env = {}) {
  const child = spawn(process.execPath, [path.join(__dirname, 'bare-server.js')], {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      JWT_SECRET: BENCH_SECRETS.JWT_SECRET,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      if (String(chunk).includes('READY'))
        resolve({
          pid: child.pid,
          stop: () =>
            new Promise((done) => {
              child.once('exit', done);
              process.kill(child.pid, 'SIGTERM');
            }),
        });
    });
    child.once('exit', (code) => reject(new Error(`bare server exited with ${code}`)));
  });
}

/**
 * `connections` loops for `seconds`, each request picked by `make(i)`; a request fails when it is not a 200 or
 * `failed(body)` says so. Returns req/s, p50, p99 and the failures (printed by status when there are any).
 */
async function load(agent, port, make, { seconds, connections, failed = () => false }) {
  const latencies = [];
  let failures = 0;
  const statuses = new Map();
  const count = (what) => statuses.set(what, (statuses.get(what) ?? 0) + 1);
  const until = Date.now() + seconds * 1000;
  let counter = 0;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (Date.now() < until) {
        try {
          const res = await request(agent, port, make(counter++));
          if (res.status !== 200 || failed(res.body)) {
            failures += 1;
            count(res.status === 200 ? '200 with errors' : res.status);
          }
          latencies.push(res.ms);
        } catch (error) {
          failures += 1;
          count(error.message.slice(0, 40));
        }
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  const pick = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
  if (statuses.size > 0)
    console.log(`  not 200 on port ${port}: ${[...statuses].map(([what, n]) => `${what} ×${n}`).join(', ')}`);
  return { rps: latencies.length / seconds, p50: pick(0.5), p99: pick(0.99), failures };
}

module.exports = { seedInChild, request, readerJwt, storeAnswers, startBare, load };

if (require.main === module) {
  const value = (name) => process.argv[process.argv.indexOf(`--${name}`) + 1];
  seed(value('dist'), value('seed-into'), { issues: Number(value('issues')), items: Number(value('items')) }).then(
    (ids) => {
      process.stdout.write(`SEEDED ${JSON.stringify(ids)}\n`);
      process.exit(0);
    },
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}
