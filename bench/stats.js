#!/usr/bin/env node
// npm run bench:stats [-- --units 40 --items 12000 --issues 1200 --runs 15]
// The adoption statistics (GET /api/statistics) over HTTP against the app in production mode on PostgreSQL, on five
// years of data (2019–2023) seeded with bulk SQL into Strapi's own tables: units, issues (a draft and a published row
// per signed-off issue, a few never signed off), items linked to both rows of their issue as Strapi links them, and the
// item–unit links (some items combined from 2–4 units). Prints the median time of a year's table and of the five-year
// table (target: under 200 ms), and checks the five-year figures against a direct count.
const { compile, createDatabase, startApp, median, arg } = require('./lib');
const { Client } = require('pg');

const UNITS = arg('units', 40);
const ITEMS = arg('items', 12000);
const ISSUES = arg('issues', 1200);
const RUNS = arg('runs', 15);
const PORT = arg('port', 41420);
const FIRST_YEAR = 2019;
const YEARS = 5;

/** A small deterministic generator (mulberry32), so every run seeds the same data. */
function random(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = random(20200219);
// Strapi's documentIds start with a letter (one starting with a digit would be taken for a row id in a relation).
const documentId = () =>
  Array.from(
    { length: 24 },
    (_, index) => 'abcdefghijklmnopqrstuvwxyz0123456789'[Math.floor(rand() * (index === 0 ? 26 : 36))],
  ).join('');
const DAY = 24 * 60 * 60 * 1000;
const isoDate = (ms) => new Date(ms).toISOString().slice(0, 10);

/** Inserts rows in batches with one parameterised statement each. */
async function insert(client, table, columns, rows) {
  const batch = Math.floor(60000 / columns.length);
  for (let start = 0; start < rows.length; start += batch) {
    const slice = rows.slice(start, start + batch);
    const values = slice
      .map((_, row) => `(${columns.map((__, column) => `$${row * columns.length + column + 1}`).join(', ')})`)
      .join(', ');
    await client.query(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${values}`, slice.flat());
  }
  if (columns[0] === 'id')
    await client.query(`SELECT setval(pg_get_serial_sequence('${table}', 'id'), (SELECT max(id) FROM ${table}))`);
}

async function seed(url) {
  const client = new Client({ connectionString: url });
  await client.connect();
  const now = new Date();
  try {
    // Units.
    const units = Array.from({ length: UNITS }, (_, index) => [
      index + 1,
      documentId(),
      `单位${String(index + 1).padStart(2, '0')}`,
      index < 12 ? 'town' : 'department',
      true,
      index + 1,
      now,
      now,
      now,
    ]);
    await insert(
      client,
      'units',
      ['id', 'document_id', 'short_name', 'kind', 'active', 'sort_order', 'created_at', 'updated_at', 'published_at'],
      units,
    );

    // Issues: spread over five years; 90% regular, 7% supplement, 3% special; one in ten 督查专报; 3% never signed off.
    const start = Date.UTC(FIRST_YEAR, 0, 2);
    const span = Date.UTC(FIRST_YEAR + YEARS, 0, 1) - start - 2 * DAY;
    const numbers = new Map();
    const issues = [];
    for (let index = 0; index < ISSUES; index += 1) {
      const date = isoDate(start + Math.floor((span * index) / ISSUES));
      const publication = rand() < 0.1 ? '督查专报' : '上街信息';
      const roll = rand();
      const edition = roll < 0.9 ? 'regular' : roll < 0.97 ? 'supplement' : 'special';
      const year = Number(date.slice(0, 4));
      const key = `${publication}/${edition}/${year}`;
      const total = `${publication}/${edition}`;
      numbers.set(key, (numbers.get(key) ?? 0) + 1);
      numbers.set(total, (numbers.get(total) ?? 0) + 1);
      issues.push({
        documentId: documentId(),
        date,
        publication,
        edition,
        year,
        number: numbers.get(key),
        totalNumber: numbers.get(total),
        signed: rand() >= 0.03,
      });
    }
    const issueRows = [];
    let issueId = 0;
    for (const issue of issues) {
      issue.draftId = ++issueId;
      issueRows.push([
        issue.draftId,
        issue.documentId,
        issue.publication,
        issue.edition,
        issue.year,
        issue.number,
        issue.totalNumber,
        issue.date,
        now,
        now,
        null,
      ]);
      if (issue.signed) {
        issue.publishedId = ++issueId;
        issueRows.push([
          issue.publishedId,
          issue.documentId,
          issue.publication,
          issue.edition,
          issue.year,
          issue.number,
          issue.totalNumber,
          issue.date,
          now,
          now,
          now,
        ]);
      }
    }
    await insert(
      client,
      'issues',
      [
        'id',
        'document_id',
        'publication',
        'edition',
        'year',
        'number',
        'total_number',
        'date',
        'created_at',
        'updated_at',
        'published_at',
      ],
      issueRows,
    );

    // Items: submitted at random moments of the five years; 65% adopted into an issue dated 0–20 days later, 15%
    // returned, 5% withdrawn, the rest waiting; 15% of the adopted ones combined from 2–4 units.
    const itemRows = [];
    const unitLinks = [];
    const issueLinks = [];
    const positions = new Map();
    const body = '正文。'.repeat(80);
    for (let id = 1; id <= ITEMS; id += 1) {
      const createdAt = new Date(start - DAY + Math.floor(rand() * (span + DAY)));
      const roll = rand();
      let state = roll < 0.65 ? 'adopted' : roll < 0.8 ? 'returned' : roll < 0.85 ? 'withdrawn' : 'submitted';
      let issue = null;
      if (state === 'adopted') {
        const wanted = isoDate(createdAt.getTime() + Math.floor(rand() * 20) * DAY + DAY);
        issue = issues.find((candidate) => candidate.date >= wanted) ?? null;
        if (issue === null) state = 'submitted';
      }
      const combined = state === 'adopted' && rand() < 0.15;
      const credited = new Set([1 + Math.floor(Math.pow(rand(), 1.6) * UNITS)]);
      while (combined && credited.size < 2 + Math.floor(rand() * 3)) credited.add(1 + Math.floor(rand() * UNITS));
      const position = issue === null ? null : (positions.get(issue.draftId) ?? 0) + 1;
      if (issue !== null) positions.set(issue.draftId, position);
      itemRows.push([
        id,
        documentId(),
        `第${id}条信息`,
        body,
        combined ? 'combined' : 'single',
        state,
        state === 'returned' ? '请补充数据' : null,
        position,
        createdAt,
        createdAt,
        createdAt,
      ]);
      [...credited].forEach((unitId, order) => unitLinks.push([id, unitId, 1, order + 1]));
      if (issue !== null) {
        issueLinks.push([id, issue.draftId, position]);
        if (issue.publishedId !== undefined) issueLinks.push([id, issue.publishedId, position]);
      }
    }
    await insert(
      client,
      'items',
      [
        'id',
        'document_id',
        'headline',
        'body',
        'adoption_kind',
        'state',
        'return_reason',
        'position',
        'created_at',
        'updated_at',
        'published_at',
      ],
      itemRows,
    );
    await insert(client, 'items_units_lnk', ['item_id', 'unit_id', 'unit_ord', 'item_ord'], unitLinks);
    await insert(client, 'items_issue_lnk', ['item_id', 'issue_id', 'item_ord'], issueLinks);
    await client.query('ANALYZE');

    // The five-year figures counted directly, to check the answer against.
    const direct = await client.query(
      `SELECT count(*) AS adoptions FROM items_issue_lnk ii JOIN issues p ON p.id = ii.issue_id JOIN items_units_lnk iu ON iu.item_id = ii.item_id
        WHERE p.published_at IS NOT NULL AND p.publication = '上街信息' AND p.date BETWEEN '${FIRST_YEAR}-01-01' AND '${FIRST_YEAR + YEARS - 1}-12-31'`,
    );
    return {
      issues: issueRows.length,
      signed: issues.filter((issue) => issue.signed).length,
      items: itemRows.length,
      unitLinks: unitLinks.length,
      adoptions: Number(direct.rows[0].adoptions),
    };
  } finally {
    await client.end();
  }
}

async function main() {
  const distDir = await compile();
  const database = await createDatabase('bench_stats');
  let app = null;
  try {
    app = await startApp(
      PORT,
      { DATABASE_CLIENT: 'postgres', DATABASE_URL: database.url, BULLETIN_DEMO_CONTENT: 'false' },
      distDir,
    );
    const seeded = await seed(database.url);
    console.log(
      `seeded: ${UNITS} units, ${ISSUES} issues (${seeded.signed} signed off; ${seeded.issues} rows), ${seeded.items} items, ${seeded.unitLinks} item–unit links`,
    );

    const get = async (query) => {
      const started = process.hrtime.bigint();
      const res = await fetch(`http://127.0.0.1:${PORT}/api/statistics?${new URLSearchParams(query)}`, {
        headers: { Authorization: `Bearer ${app.token}` },
      });
      const body = await res.text();
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      if (res.status !== 200) throw new Error(`GET /api/statistics answered ${res.status}: ${body}`);
      return { ms, body };
    };
    const cases = {
      year: { year: String(FIRST_YEAR + YEARS - 1) },
      fiveYears: { from: `${FIRST_YEAR}-01-01`, to: `${FIRST_YEAR + YEARS - 1}-12-31` },
      fiveYearsAll: { from: `${FIRST_YEAR}-01-01`, to: `${FIRST_YEAR + YEARS - 1}-12-31`, publication: '*' },
      fiveYearsBreakdown: { from: `${FIRST_YEAR}-01-01`, to: `${FIRST_YEAR + YEARS - 1}-12-31`, breakdown: 'true' },
    };

    // The answer is right before it is fast: adoptions in the table = the direct count.
    const table = JSON.parse((await get(cases.fiveYears)).body).data;
    const adopted = table.rows.reduce((sum, row) => sum + row.adopted, 0);
    const submitted = table.rows.reduce((sum, row) => sum + row.submitted, 0);
    if (adopted !== seeded.adoptions)
      throw new Error(`five-year table: ${adopted} adoptions, direct count ${seeded.adoptions}`);
    console.log(
      `five-year table (上街信息): ${table.rows.length} rows, ${submitted} submissions, ${adopted} adoptions (= direct count), leader ${table.rows[0].unitName} ${table.rows[0].pointsLabel} points`,
    );

    for (let warm = 0; warm < 5; warm += 1) for (const query of Object.values(cases)) await get(query);
    const times = Object.fromEntries(Object.keys(cases).map((name) => [name, []]));
    for (let run = 0; run < RUNS; run += 1) {
      for (const [name, query] of Object.entries(cases)) times[name].push((await get(query)).ms);
    }
    const line = (label, name) =>
      console.log(
        `${label.padEnd(44)} median ${median(times[name]).toFixed(1).padStart(6)} ms  (min ${Math.min(...times[name]).toFixed(1)}, max ${Math.max(...times[name]).toFixed(1)})`,
      );
    console.log('');
    console.log(`GET /api/statistics over HTTP, ${RUNS} runs each after warm-up:`);
    line(`a year's table (${FIRST_YEAR + YEARS - 1})`, 'year');
    line(`the five-year table (${FIRST_YEAR}–${FIRST_YEAR + YEARS - 1})`, 'fiveYears');
    line('the five-year table, every publication', 'fiveYearsAll');
    line('the five-year table with every breakdown', 'fiveYearsBreakdown');
    const five = median(times.fiveYears);
    console.log(`five-year table target < 200 ms: ${five < 200 ? 'met' : 'NOT met'} (${five.toFixed(1)} ms)`);
  } finally {
    if (app !== null) await app.stop();
    await database.drop();
  }
}

// bench/backup.js seeds the same five years.
module.exports = { seed };

if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
