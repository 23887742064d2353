#!/usr/bin/env node
// npm run bench:desk [-- --issues 2000 --tray 200 --queue 30 --per-issue 5 --runs 15]
// How fast the compose desk (编排) opens: GET /bulletin-desk (queue, tray, drafts, next numbers) and GET
// /bulletin-desk?issue=… (the same with an issue being composed) over HTTP, with an admin login, against the app in
// production mode on PostgreSQL, with 2,000 issues (a draft and a published row each, as Strapi keeps them, a few
// drafts never signed off), 200 adopted items waiting in the tray, 30 submitted items in the queue and 5 items in every
// issue, seeded with bulk SQL into Strapi's own tables. Printed as a ratio against a lean reference measured in the same
// run: the content manager's first page of the issue list (what the admin shows when 期 is opened). Target: < 1 s.
const { compile, createDatabase, startApp, median, arg } = require('./lib');
const { Client } = require('pg');
const { randomBytes } = require('crypto');

const ISSUES = arg('issues', 2000);
const TRAY = arg('tray', 200);
const QUEUE = arg('queue', 30);
const PER_ISSUE = arg('per-issue', 5);
const UNITS = arg('units', 40);
const RUNS = arg('runs', 15);
const PORT = arg('port', 41430);

let seedState = 20200219;
function rand() {
  seedState = (seedState + 0x6d2b79f5) >>> 0;
  let t = seedState;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const documentId = () =>
  Array.from({ length: 24 }, () => 'abcdefghijklmnopqrstuvwxyz0123456789'[Math.floor(rand() * 36)]).join('');
const DAY = 24 * 60 * 60 * 1000;
const isoDate = (ms) => new Date(ms).toISOString().slice(0, 10);

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

    // Issues: about one every working day back from yesterday, numbered per year; the newest 5 never signed off.
    const issues = [];
    const numbers = new Map();
    const first = Date.now() - ISSUES * 1.4 * DAY;
    for (let index = 0; index < ISSUES; index += 1) {
      const date = isoDate(first + index * 1.4 * DAY);
      const year = Number(date.slice(0, 4));
      numbers.set(year, (numbers.get(year) ?? 0) + 1);
      issues.push({ documentId: documentId(), date, year, number: numbers.get(year), signed: index < ISSUES - 5 });
    }
    const issueRows = [];
    let issueId = 0;
    for (const issue of issues) {
      issue.draftId = ++issueId;
      const title = `上街信息 ${issue.year}年第${issue.number}期`;
      issueRows.push([
        issue.draftId,
        issue.documentId,
        title,
        '上街信息',
        'regular',
        issue.year,
        issue.number,
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
          title,
          '上街信息',
          'regular',
          issue.year,
          issue.number,
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
        'title',
        'publication',
        'edition',
        'year',
        'number',
        'date',
        'created_at',
        'updated_at',
        'published_at',
      ],
      issueRows,
    );

    // Items: PER_ISSUE in every issue (linked to both rows), TRAY adopted and unplaced, QUEUE submitted.
    const itemRows = [];
    const unitLinks = [];
    const issueLinks = [];
    const body = '正文一段，说明工作进展和成效。'.repeat(12);
    let id = 0;
    const addItem = (state, issue, position, createdAt) => {
      id += 1;
      itemRows.push([
        id,
        documentId(),
        `第${id}条信息：某单位开展某项工作`,
        body,
        'single',
        state,
        position,
        createdAt,
        createdAt,
        createdAt,
      ]);
      unitLinks.push([id, 1 + Math.floor(rand() * UNITS), 1, 1]);
      if (issue !== null) {
        issueLinks.push([id, issue.draftId, position]);
        if (issue.publishedId !== undefined) issueLinks.push([id, issue.publishedId, position]);
      }
    };
    for (const issue of issues)
      for (let position = 1; position <= PER_ISSUE; position += 1)
        addItem('adopted', issue, position, new Date(Date.parse(issue.date) - DAY));
    for (let index = 0; index < TRAY; index += 1)
      addItem('adopted', null, null, new Date(Date.now() - index * 3600 * 1000));
    for (let index = 0; index < QUEUE; index += 1)
      addItem('submitted', null, null, new Date(Date.now() - index * 1800 * 1000));
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
    return { issueRows: issueRows.length, items: itemRows.length, draft: issues[issues.length - 1].documentId };
  } finally {
    await client.end();
  }
}

async function main() {
  const distDir = await compile();
  const database = await createDatabase('bench_desk');
  let app = null;
  try {
    app = await startApp(
      PORT,
      { DATABASE_CLIENT: 'postgres', DATABASE_URL: database.url, BULLETIN_DEMO_CONTENT: 'false' },
      distDir,
    );
    const seeded = await seed(database.url);
    console.log(
      `seeded: ${ISSUES} issues (${seeded.issueRows} rows), ${seeded.items} items (${TRAY} in the tray, ${QUEUE} in the queue, ${PER_ISSUE} in every issue), ${UNITS} units`,
    );

    // The first administrator (a super admin: every permission), logged in as the admin panel does.
    const password = `Bench-${randomBytes(9).toString('base64url')}1a`;
    const registered = await fetch(`http://127.0.0.1:${PORT}/admin/register-admin`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: 'bench@example.gov.cn', firstname: '测', lastname: '试', password }),
    });
    if (registered.status !== 200 && registered.status !== 201)
      throw new Error(`register-admin answered ${registered.status}: ${await registered.text()}`);
    const jwt = (await registered.json()).data.token;

    const get = async (path) => {
      const started = process.hrtime.bigint();
      const res = await fetch(`http://127.0.0.1:${PORT}${path}`, { headers: { Authorization: `Bearer ${jwt}` } });
      const body = await res.text();
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      if (res.status !== 200) throw new Error(`GET ${path} answered ${res.status}: ${body.slice(0, 400)}`);
      return { ms, body };
    };
    const cases = {
      reference: '/content-manager/collection-types/api::issue.issue?page=1&pageSize=10&sort=date:DESC',
      desk: '/bulletin-desk',
      deskWithIssue: `/bulletin-desk?issue=${seeded.draft}`,
    };

    // Right before fast: the tray holds exactly the seeded adopted, unplaced items; the queue the submitted ones.
    const opened = JSON.parse((await get(cases.desk)).body).data;
    const trayCount = opened.items.filter((item) => item.state === 'adopted' && item.issue === null).length;
    const queueCount = opened.items.filter((item) => item.state === 'submitted').length;
    if (trayCount !== TRAY || queueCount !== QUEUE)
      throw new Error(
        `the desk shows ${trayCount} in the tray and ${queueCount} in the queue, seeded ${TRAY} and ${QUEUE}`,
      );
    const withIssue = JSON.parse((await get(cases.deskWithIssue)).body).data;
    if (withIssue.issue === null || withIssue.issue.items.length !== PER_ISSUE)
      throw new Error('the desk did not open the draft with its items');
    console.log(
      `desk: ${trayCount} in the tray, ${queueCount} in the queue, ${opened.drafts.length} drafts offered; ${JSON.stringify(opened).length} bytes of JSON`,
    );

    for (let warm = 0; warm < 5; warm += 1) for (const path of Object.values(cases)) await get(path);
    const times = Object.fromEntries(Object.keys(cases).map((name) => [name, []]));
    for (let run = 0; run < RUNS; run += 1)
      for (const [name, path] of Object.entries(cases)) times[name].push((await get(path)).ms);

    const reference = median(times.reference);
    console.log('');
    console.log(`over HTTP with an admin login, ${RUNS} runs each after warm-up (medians):`);
    console.log(`reference: the content manager's first page of issues   ${reference.toFixed(1).padStart(7)} ms`);
    for (const [name, label] of [
      ['desk', 'the desk opened (queue, tray, drafts, next numbers)'],
      ['deskWithIssue', 'the desk opened on a draft (its items, footer, checklist)'],
    ]) {
      const ms = median(times[name]);
      console.log(`${label.padEnd(56)} ${ms.toFixed(1).padStart(7)} ms  = ${(ms / reference).toFixed(2)} × reference`);
    }
    const worst = Math.max(median(times.desk), median(times.deskWithIssue));
    console.log(
      `desk open target < 1 s: ${worst < 1000 ? 'met' : 'NOT met'} (${worst.toFixed(1)} ms, server time; the page's own rendering comes on top)`,
    );
  } finally {
    if (app !== null) await app.stop();
    await database.drop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
