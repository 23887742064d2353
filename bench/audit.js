#!/usr/bin/env node
// npm run bench:audit [-- --items 30 --signoffs 2 --per-issue 20 --rounds 3]
// What the audit trail (留痕, src/strapi/audit.ts) costs the writes it records: item creates (POST /api/items) and
// issue sign-offs (publishing an issue of 20 items, PUT /api/issues/:id?status=published), over HTTP, one at a time,
// against two copies of the app in production mode on PostgreSQL, each on its own database: one recording (as
// always), one with BULLETIN_AUDIT=off — a switch that exists for this reference run only. Rounds alternate between
// the two so that a busy machine slows both alike. Prints milliseconds per operation and the ratio on / off
// (target ≤ 1.15x).
const { compile, createDatabase, startApp, median, arg } = require('./lib');

const ITEMS = arg('items', 30);
const SIGNOFFS = arg('signoffs', 2);
const PER_ISSUE = arg('per-issue', 20);
const ROUNDS = arg('rounds', 3);
const PORT = arg('port', 41460);

function client(port, token) {
  return async (method, path, data) => {
    const res = await fetch(`http://127.0.0.1:${port}${path}`, {
      method,
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
      body: data === undefined ? undefined : JSON.stringify({ data }),
    });
    const text = await res.text();
    if (res.status >= 300) throw new Error(`${method} ${path} answered ${res.status}: ${text}`);
    return JSON.parse(text).data;
  };
}

const elapsed = async (task) => {
  const started = process.hrtime.bigint();
  await task();
  return Number(process.hrtime.bigint() - started) / 1e6;
};

/** One round on one app: ms per item create, ms per sign-off (preparing each issue's items is not timed). */
async function round(call, unit, issuer, year) {
  let createMs = 0;
  for (let index = 0; index < ITEMS; index += 1) {
    createMs += await elapsed(() =>
      call('POST', '/api/items', { headline: `测评信息 ${index + 1}`, body: '正文。'.repeat(40), units: [unit] }),
    );
  }
  let signOffMs = 0;
  for (let n = 0; n < SIGNOFFS; n += 1) {
    const issue = await call('POST', '/api/issues?status=draft', {
      date: `${year}-03-${String(n + 1).padStart(2, '0')}`,
      issuer,
      columnTitle: '基层动态',
      editors: '郝婕 李德昭',
    });
    for (let position = 1; position <= PER_ISSUE; position += 1) {
      const item = await call('POST', '/api/items', {
        headline: `第${n + 1}期 第${position}条`,
        body: '正文。'.repeat(40),
        units: [unit],
      });
      await call('PUT', `/api/items/${item.documentId}`, { state: 'adopted', issue: issue.documentId, position });
    }
    signOffMs += await elapsed(() => call('PUT', `/api/issues/${issue.documentId}?status=published`, {}));
  }
  return { create: createMs / ITEMS, signOff: signOffMs / SIGNOFFS };
}

async function main() {
  const distDir = await compile();
  const databases = [await createDatabase('bench_audit_on'), await createDatabase('bench_audit_off')];
  const apps = [];
  try {
    for (const [index, audit] of ['on', 'off'].entries()) {
      apps.push(
        await startApp(
          PORT + index,
          {
            DATABASE_CLIENT: 'postgres',
            DATABASE_URL: databases[index].url,
            BULLETIN_DEMO_CONTENT: 'false',
            BULLETIN_AUDIT: audit,
          },
          distDir,
        ),
      );
    }
    const sides = [];
    for (const [index, app] of apps.entries()) {
      const call = client(PORT + index, app.token);
      const unit = (await call('POST', '/api/units', { shortName: '区人社局', kind: 'department', active: true }))
        .documentId;
      const issuer = (await call('POST', '/api/units', { shortName: '区委办', kind: 'office', active: true }))
        .documentId;
      sides.push({ call, unit, issuer, results: [] });
    }
    // Warm-up: JIT, connection pools, token caches.
    for (const side of sides) await round(side.call, side.unit, side.issuer, 1999);
    for (let r = 0; r < ROUNDS; r += 1) {
      for (const side of r % 2 === 0 ? sides : [...sides].reverse())
        side.results.push(await round(side.call, side.unit, side.issuer, 2001 + r));
      const [on, off] = sides.map((side) => side.results[r]);
      console.log(
        `round ${r + 1}: create ${on.create.toFixed(2)} / ${off.create.toFixed(2)} ms, sign-off ${on.signOff.toFixed(1)} / ${off.signOff.toFixed(1)} ms (trail on / off)`,
      );
    }
    const [on, off] = sides.map((side) => ({
      create: median(side.results.map((x) => x.create)),
      signOff: median(side.results.map((x) => x.signOff)),
    }));
    console.log('');
    console.log(
      `per round: ${ITEMS} item creates, ${SIGNOFFS} sign-offs of ${PER_ISSUE} items each, one at a time; rounds: ${ROUNDS} (median shown)`,
    );
    console.log(
      `item create: trail on ${on.create.toFixed(2)} ms, off ${off.create.toFixed(2)} ms, ratio ${(on.create / off.create).toFixed(2)}x (target ≤ 1.15x)`,
    );
    console.log(
      `sign-off:    trail on ${on.signOff.toFixed(1)} ms, off ${off.signOff.toFixed(1)} ms, ratio ${(on.signOff / off.signOff).toFixed(2)}x (target ≤ 1.15x)`,
    );
  } finally {
    for (const app of apps) await app.stop();
    for (const database of databases) await database.drop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
