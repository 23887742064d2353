#!/usr/bin/env node
// npm run bench:audit [-- --items 30 --signoffs 4 --per-issue 20 --rounds 3]
// What the audit trail (留痕, src/strapi/audit.ts) costs the writes it records: item creates (POST /api/items) and
// issue sign-offs (publishing an issue of 20 items, PUT /api/issues/:id?status=published), over HTTP, one at a time,
// against two copies of the app in production mode on PostgreSQL, each on its own database: one recording (as
// always), one with BULLETIN_AUDIT=off — a switch that exists for this reference run only. Operations alternate
// between the two one by one, so that a busy machine slows both alike. Prints the median milliseconds of every
// operation and the ratio on / off (target ≤ 1.15x).
const { compile, createDatabase, startApp, median, arg } = require('./lib');

const ITEMS = arg('items', 30);
const SIGNOFFS = arg('signoffs', 4);
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

/** An issue of PER_ISSUE adopted items placed in order, ready to be signed off (not timed). */
async function preparedIssue(side, date) {
  const issue = await side.call('POST', '/api/issues?status=draft', {
    date,
    issuer: side.issuer,
    columnTitle: '基层动态',
    editors: '郝婕 李德昭',
  });
  for (let position = 1; position <= PER_ISSUE; position += 1) {
    const item = await side.call('POST', '/api/items', {
      headline: `${date} 第${position}条`,
      body: '正文。'.repeat(40),
      units: [side.unit],
    });
    await side.call('PUT', `/api/items/${item.documentId}`, { state: 'adopted', issue: issue.documentId, position });
  }
  return issue.documentId;
}

/**
 * One round: ITEMS item creates and SIGNOFFS sign-offs on each app, one operation at a time and alternating between
 * the two (on, off, off, on, …), so that whatever slows the machine for a moment slows both alike. Every operation's
 * time is kept (the medians are taken over all rounds).
 */
async function round(sides, year) {
  for (let index = 0; index < ITEMS; index += 1) {
    for (const side of index % 2 === 0 ? sides : [...sides].reverse()) {
      side.creates.push(
        await elapsed(() =>
          side.call('POST', '/api/items', {
            headline: `测评信息 ${year}-${index + 1}`,
            body: '正文。'.repeat(40),
            units: [side.unit],
          }),
        ),
      );
    }
  }
  for (let n = 0; n < SIGNOFFS; n += 1) {
    const date = `${year}-03-${String(n + 1).padStart(2, '0')}`;
    const issues = [];
    for (const side of sides) issues.push(await preparedIssue(side, date));
    const order = n % 2 === 0 ? [0, 1] : [1, 0];
    for (const index of order)
      sides[index].signOffs.push(
        await elapsed(() => sides[index].call('PUT', `/api/issues/${issues[index]}?status=published`, {})),
      );
  }
}

const ms = (values) => median(values).toFixed(2);

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
      sides.push({ call, unit, issuer, creates: [], signOffs: [] });
    }
    // Warm-up: JIT, connection pools, token caches.
    await round(sides, 1999);
    for (const side of sides) side.creates.length = side.signOffs.length = 0;
    for (let r = 0; r < ROUNDS; r += 1) {
      const [on, off] = sides.map((side) => ({ creates: side.creates.length, signOffs: side.signOffs.length }));
      await round(sides, 2001 + r);
      const [sideOn, sideOff] = sides;
      console.log(
        `round ${r + 1}: create ${ms(sideOn.creates.slice(on.creates))} / ${ms(sideOff.creates.slice(off.creates))} ms, sign-off ${ms(sideOn.signOffs.slice(on.signOffs))} / ${ms(sideOff.signOffs.slice(off.signOffs))} ms (trail on / off, medians)`,
      );
    }
    const [on, off] = sides;
    console.log('');
    console.log(
      `per round: ${ITEMS} item creates and ${SIGNOFFS} sign-offs of ${PER_ISSUE} items each per app, one at a time, alternating between the apps; rounds: ${ROUNDS}; medians of every operation`,
    );
    console.log(
      `item create: trail on ${ms(on.creates)} ms, off ${ms(off.creates)} ms, ratio ${(median(on.creates) / median(off.creates)).toFixed(2)}x (target ≤ 1.15x; ${on.creates.length} each)`,
    );
    console.log(
      `sign-off:    trail on ${ms(on.signOffs)} ms, off ${ms(off.signOffs)} ms, ratio ${(median(on.signOffs) / median(off.signOffs)).toFixed(2)}x (target ≤ 1.15x; ${on.signOffs.length} each)`,
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
