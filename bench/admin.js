#!/usr/bin/env node
// npm run bench:admin [-- --runs 40]
// The admin at five years of data (bench/stats.js's data set: 40 units, 1,200 issues, 12,000 items, seeded with bulk
// SQL into Strapi's own tables): the API calls the admin panel makes (recorded once from the built admin in Chromium)
// for the content manager's item and issue lists (first page; sorted; filtered by unit and state), opening an issue of
// 8 items (the document, its relations, the pickers, the draft-relations count, its history), the compose desk and the
// statistics page, replayed over HTTP with an editor's admin login (npm run users -- import; random password; POST
// /admin/login) against the app in production mode on PostgreSQL. Each call is timed against a lean reference
// measured in the same run, call by call in turn: bench/bare-server.js (node:http, the admin token's HS256 signature
// and expiry checked with node:crypto) reading the same rows with equivalent SQL through pg (one statement; the desk:
// one per part; the statistics: the app's own three statements) and answering them as JSON.stringify. Prints p50 and
// p95 per call, the ratio of the p50s, and whether the call meets p50 < 150 ms.
const fs = require('fs');
const os = require('os');
const path = require('path');
const http = require('http');
const { Client } = require('pg');
const {
  BENCH_SECRETS,
  compile,
  createDatabase,
  freePort,
  startApp,
  adminAccounts,
  adminLogin,
  quantile,
  arg,
  stopAll,
  runMain,
} = require('./lib');
const { request, startBare } = require('./readers');
const { seed } = require('./stats');

const RUNS = arg('runs', 40);
const WARM = 5;
const TARGET_MS = 150;
const ISSUE = 'api::issue.issue';
const ITEM = 'api::item.item';
const CM = '/content-manager/collection-types';
const UNIT = '单位03';
const STATE = 'adopted';

/** An item row as the content manager's list has it: its fields, its units counted, its issue by title. */
const ITEM_COLUMNS = `i.id, i.document_id AS "documentId", i.headline, i.body, i.adoption_kind AS "adoptionKind", i.state,
  i.return_reason AS "returnReason", i.section, i.position, i.author, i.phone, i.created_at AS "createdAt", i.updated_at AS "updatedAt",
  json_build_object('count', (SELECT count(*) FROM items_units_lnk l WHERE l.item_id = i.id)) AS units,
  (SELECT json_build_object('id', s.id, 'documentId', s.document_id, 'title', s.title) FROM items_issue_lnk l JOIN issues s ON s.id = l.issue_id
    WHERE l.item_id = i.id ORDER BY s.published_at DESC NULLS FIRST LIMIT 1) AS issue`;

/**
 * A first page as the leanest statement has it: the page's rows picked first (`alias`: the table's alias in `columns`,
 * `where` and `order`), what is shown of them worked out for those rows only, and the rows counted.
 */
const firstPage = (table, alias, columns, where, order, size = 10) =>
  `SELECT ${columns}, (SELECT count(*) FROM ${table} ${alias} ${where}) AS total
     FROM (SELECT ${alias}.* FROM ${table} ${alias} ${where} ORDER BY ${order} LIMIT ${size}) ${alias} ORDER BY ${order}`;
const itemList = (where, order) => firstPage('items', 'i', ITEM_COLUMNS, where, order);

/** An issue's draft row as the content manager lists it, with whether it is signed off and its items counted. */
const ISSUE_COLUMNS = `d.id, d.document_id AS "documentId", d.title, d.publication, d.edition, d.year, d.number, d.total_number AS "totalNumber",
  d.date, d.column_title AS "columnTitle", d.column_installment AS "columnInstallment", d.editors, d.reviewer, d.signer, d.print_run AS "printRun",
  d.first_signed_off_at AS "firstSignedOffAt", d.created_at AS "createdAt", d.updated_at AS "updatedAt",
  (SELECT json_agg(json_build_object('id', p.id, 'publishedAt', p.published_at)) FROM issues p WHERE p.document_id = d.document_id AND p.published_at IS NOT NULL) AS "availableStatus",
  json_build_object('count', (SELECT count(*) FROM items_issue_lnk l WHERE l.issue_id = d.id)) AS items`;
const DRAFT = '(SELECT id FROM issues WHERE document_id = $1 AND published_at IS NULL)';

/** Desk items: what the desk shows of them (src/strapi/desk.ts), their units by name, the issue holding them. */
const deskItems = (
  where,
  order,
) => `SELECT i.document_id AS "documentId", i.headline, i.body, i.adoption_kind AS "adoptionKind", i.state, i.section,
    i.created_at AS "createdAt", i.updated_at AS "updatedAt", array_remove(array_agg(u.short_name ORDER BY l.unit_ord), NULL) AS units,
    (SELECT s.document_id FROM items_issue_lnk x JOIN issues s ON s.id = x.issue_id WHERE x.item_id = i.id LIMIT 1) AS issue
  FROM items i LEFT JOIN items_units_lnk l ON l.item_id = i.id LEFT JOIN units u ON u.id = l.unit_id
  ${where} GROUP BY i.id ORDER BY ${order}`;
/** The desk: the queue and tray, the drafts offered, the next numbers (three statements, rows each). */
const DESK = [
  deskItems(
    `WHERE i.state = 'submitted' OR (i.state = 'adopted' AND NOT EXISTS (SELECT 1 FROM items_issue_lnk x WHERE x.item_id = i.id))`,
    'i.updated_at DESC, i.id DESC',
  ),
  `SELECT d.document_id AS "documentId", d.title, d.edition, d.number, d.date FROM issues d
    WHERE d.published_at IS NULL AND NOT EXISTS (SELECT 1 FROM issues p WHERE p.document_id = d.document_id AND p.published_at IS NOT NULL)
    ORDER BY d.date DESC NULLS FIRST, d.id DESC LIMIT 30`,
  'SELECT publication, edition, max(number) + 1 AS number FROM issues WHERE year = $1 GROUP BY publication, edition',
];
/** The desk opened on an issue: the same, and the issue's head, footer lines and items in order. */
const DESK_ISSUE = [
  ...DESK,
  `SELECT d.document_id AS "documentId", d.title, d.publication, d.edition, d.year, d.number, d.date, d.column_title AS "columnTitle", d.editors, d.updated_at AS "updatedAt",
     (SELECT coalesce(json_agg(json_build_object('field', c.field, 'label', r.label) ORDER BY c.field, c."order"), '[]')
        FROM issues_cmps c JOIN components_bulletin_recipients r ON r.id = c.cmp_id WHERE c.entity_id = d.id) AS lines
   FROM issues d WHERE d.document_id = $1 AND d.published_at IS NULL`,
  deskItems(`WHERE i.id IN (SELECT x.item_id FROM items_issue_lnk x WHERE x.issue_id = ${DRAFT})`, 'i.position, i.id'),
];

/** knex's `?` placeholders as pg's `$n`. */
const numbered = (sql) => {
  let n = 0;
  return sql.replace(/\?/g, () => `$${(n += 1)}`);
};

/** The statistics page's reference: the app's own three statements (src/domain/statistics-counts.ts), run bare. */
function statisticsReference(distDir, period, unitIds) {
  const counts = require(path.join(distDir, 'src', 'domain', 'statistics-counts.js'));
  const { periodInstants } = require(path.join(distDir, 'src', 'domain', 'dates.js'));
  const tallies = counts.adoptionTalliesStatement(period, '上街信息');
  const facts = counts.adoptionFactsStatement(period, '上街信息', unitIds);
  return {
    statements: [numbered(counts.SUBMITTED_BY_UNIT_SQL), numbered(tallies.sql), numbered(facts.sql)],
    values: [
      periodInstants(period, 'Asia/Shanghai').map((instant) => instant.toISOString()),
      tallies.bindings,
      facts.bindings,
    ],
  };
}

/** What the five years look like to the calls: the issue of 8 items opened, the unit filtered on, the units. */
async function prepare(url) {
  const sql = new Client({ connectionString: url });
  await sql.connect();
  try {
    // The bulk seed leaves titles empty; the app names an issue as printed.
    await sql.query(`UPDATE issues SET title = publication || ' ' || year || '年第' || number || '期'`);
    const issue = await sql.query(
      `SELECT d.document_id, d.id FROM issues d JOIN items_issue_lnk l ON l.issue_id = d.id WHERE d.published_at IS NULL GROUP BY d.id HAVING count(*) = 8 ORDER BY d.id DESC LIMIT 1`,
    );
    if (issue.rows.length === 0) throw new Error('the data set has no issue of 8 items');
    const units = (await sql.query('SELECT id FROM units ORDER BY id')).rows.map((row) => row.id);
    await sql.query('ANALYZE');
    return { issue: issue.rows[0].document_id, units };
  } finally {
    await sql.end();
  }
}

/** The calls: what the admin asks (path) and the reference's statements with their values. */
function calls(distDir, { issue, units }) {
  const unitFilter = `filters[$and][0][state][$eq]=${STATE}&filters[$and][1][units][shortName][$eq]=${encodeURIComponent(UNIT)}`;
  const byUnitAndState = `WHERE i.state = $1 AND EXISTS (SELECT 1 FROM items_units_lnk l JOIN units u ON u.id = l.unit_id WHERE l.item_id = i.id AND u.short_name = $2)`;
  const month = statisticsReference(distDir, { from: '2023-11-01', to: '2023-11-30' }, units);
  const fiveYears = statisticsReference(distDir, { from: '2019-01-01', to: '2023-12-31' }, units);
  const year = String(new Date().getFullYear());
  const one = (text, values = []) => ({ statements: [text], values: [values] });
  return [
    {
      group: '内容管理 · 信息 list',
      label: 'first page (updatedAt ↓)',
      path: `${CM}/${ITEM}?page=1&pageSize=10&sort=updatedAt:DESC`,
      ref: one(itemList('', 'i.updated_at DESC')),
      list: true,
    },
    {
      label: 'sorted by headline',
      path: `${CM}/${ITEM}?page=1&pageSize=10&sort=headline:ASC`,
      ref: one(itemList('', 'i.headline ASC')),
      list: true,
    },
    {
      label: `filtered: unit ${UNIT}, state ${STATE}`,
      path: `${CM}/${ITEM}?page=1&pageSize=10&sort=updatedAt:DESC&${unitFilter}`,
      ref: one(itemList(byUnitAndState, 'i.updated_at DESC'), [STATE, UNIT]),
      list: true,
    },
    {
      group: '内容管理 · 期 list',
      label: 'first page (date ↓)',
      path: `${CM}/${ISSUE}?page=1&pageSize=10&sort=date:DESC`,
      ref: one(firstPage('issues', 'd', ISSUE_COLUMNS, 'WHERE d.published_at IS NULL', 'd.date DESC')),
      list: true,
    },
    {
      label: 'sorted by number ↓',
      path: `${CM}/${ISSUE}?page=1&pageSize=10&sort=number:DESC`,
      ref: one(firstPage('issues', 'd', ISSUE_COLUMNS, 'WHERE d.published_at IS NULL', 'd.number DESC')),
      list: true,
    },
    {
      group: 'an issue of 8 items opened',
      label: 'the document',
      path: `${CM}/${ISSUE}/${issue}`,
      ref: one(
        `SELECT ${ISSUE_COLUMNS},
           (SELECT coalesce(json_agg(json_build_object('id', r.id, 'field', c.field, 'label', r.label) ORDER BY c.field, c."order"), '[]')
              FROM issues_cmps c JOIN components_bulletin_recipients r ON r.id = c.cmp_id WHERE c.entity_id = d.id) AS recipients,
           json_build_object('count', (SELECT count(*) FROM issues_issuer_lnk l WHERE l.issue_id = d.id)) AS issuer
         FROM issues d WHERE d.document_id = $1 AND d.published_at IS NULL`,
        [issue],
      ),
    },
    {
      label: 'its items (relation, 5 a page)',
      path: `/content-manager/relations/${ISSUE}/${issue}/items?pageSize=5&page=1`,
      ref: one(
        `SELECT i.id, i.document_id AS "documentId", i.headline, i.state, count(*) OVER () AS total FROM items_issue_lnk l JOIN items i ON i.id = l.item_id WHERE l.issue_id = ${DRAFT} ORDER BY l.item_ord LIMIT 5`,
        [issue],
      ),
    },
    {
      label: 'its issuer (relation)',
      path: `/content-manager/relations/${ISSUE}/${issue}/issuer?pageSize=5&page=1`,
      ref: one(
        `SELECT u.id, u.document_id AS "documentId", u.short_name AS "shortName" FROM issues_issuer_lnk l JOIN units u ON u.id = l.unit_id WHERE l.issue_id = ${DRAFT}`,
        [issue],
      ),
    },
    {
      label: 'the items picker (10, labelled)',
      path: `/content-manager/relations/${ISSUE}/items?id=${issue}&pageSize=10&_q=&page=1`,
      ref: one(
        firstPage(
          'items',
          'i',
          `i.id, i.document_id AS "documentId", i.headline, i.state,
           (SELECT json_agg(u.short_name) FROM items_units_lnk l JOIN units u ON u.id = l.unit_id WHERE l.item_id = i.id) AS units,
           (SELECT s.title FROM items_issue_lnk l JOIN issues s ON s.id = l.issue_id WHERE l.item_id = i.id LIMIT 1) AS "issueName"`,
          `WHERE NOT EXISTS (SELECT 1 FROM items_issue_lnk l WHERE l.item_id = i.id AND l.issue_id = ${DRAFT})`,
          'i.position DESC NULLS FIRST, i.state ASC, i.updated_at DESC',
        ),
        [issue],
      ),
    },
    {
      label: 'the issuer picker (10)',
      path: `/content-manager/relations/${ISSUE}/issuer?id=${issue}&pageSize=10&_q=&page=1`,
      ref: one(
        `SELECT u.id, u.document_id AS "documentId", u.short_name AS "shortName", count(*) OVER () AS total FROM units u WHERE NOT EXISTS (SELECT 1 FROM issues_issuer_lnk l WHERE l.unit_id = u.id AND l.issue_id = ${DRAFT}) ORDER BY u.short_name LIMIT 10`,
        [issue],
      ),
    },
    {
      label: 'draft relations counted',
      path: `${CM}/${ISSUE}/${issue}/actions/countDraftRelations`,
      ref: one(
        `SELECT count(*) AS data FROM issues_issuer_lnk l JOIN units u ON u.id = l.unit_id WHERE l.issue_id = ${DRAFT} AND u.published_at IS NULL`,
        [issue],
      ),
    },
    {
      label: 'its history (留痕)',
      path: `/bulletin-audit/issues/${issue}/history`,
      ref: one(`SELECT * FROM bulletin_audit WHERE content_type = $1 AND document_id = $2 ORDER BY id`, [ISSUE, issue]),
    },
    {
      group: 'compose desk (编排)',
      label: 'opened',
      path: '/bulletin-desk',
      ref: { statements: DESK, values: [[], [], [year]] },
    },
    {
      label: 'opened on the issue of 8 items',
      path: `/bulletin-desk?issue=${issue}`,
      ref: { statements: DESK_ISSUE, values: [[], [], [year], [issue], [issue]] },
    },
    {
      group: 'statistics page (采用统计)',
      label: 'a month (2023-11), breakdown',
      path: '/bulletin-statistics?month=2023-11&breakdown=true',
      ref: month,
    },
    {
      label: 'five years (2019–2023), breakdown',
      path: '/bulletin-statistics?from=2019-01-01&to=2023-12-31&breakdown=true',
      ref: fiveYears,
    },
  ];
}

async function main() {
  const started = Date.now();
  const distDir = await compile();
  const database = await createDatabase('bench_admin');
  const sqlFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-admin-'));
  let app = null;
  let bare = null;
  try {
    const port = await freePort();
    app = await startApp(
      port,
      { DATABASE_CLIENT: 'postgres', DATABASE_URL: database.url, BULLETIN_DEMO_CONTENT: 'false' },
      distDir,
    );
    const seeded = await seed(database.url);
    const data = await prepare(database.url);
    console.log(
      `seeded: ${data.units.length} units, ${seeded.signed} signed-off issues of 1,200 (${seeded.issues} rows), ${seeded.items} items, ${seeded.unitLinks} item–unit links`,
    );

    const [editor] = await adminAccounts(distDir, database.url, [
      { email: 'bench-editor@example.gov.cn', role: 'editor' },
    ]);
    const token = await adminLogin(port, editor);
    const list = calls(distDir, data);
    const sqlFile = path.join(sqlFolder, 'statements.json');
    fs.writeFileSync(
      sqlFile,
      JSON.stringify(
        Object.fromEntries(list.map((call, index) => [String(index), { statements: call.ref.statements }])),
      ),
    );
    const barePort = await freePort();
    bare = await startBare(database.url, barePort, { JWT_SECRET: BENCH_SECRETS.ADMIN_JWT_SECRET, BENCH_SQL: sqlFile });

    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const headers = { Authorization: `Bearer ${token}` };
    const viaApp = (call) => request(agent, port, { path: call.path, headers });
    const viaRef = (call, index) =>
      request(agent, barePort, {
        path: `/sql/${index}?values=${encodeURIComponent(JSON.stringify(call.ref.values))}`,
        headers,
      });

    // Right before fast: every call answers 200 on both; the lists' totals and first pages agree with the reference.
    for (const [index, call] of list.entries()) {
      const [mine, theirs] = [await viaApp(call), await viaRef(call, index)];
      if (mine.status !== 200)
        throw new Error(`GET ${call.path} answered ${mine.status}: ${mine.body.toString().slice(0, 300)}`);
      if (theirs.status !== 200) throw new Error(`the reference of ${call.path} answered ${theirs.status}`);
      if (call.list) {
        const answer = JSON.parse(mine.body);
        const rows = JSON.parse(theirs.body).data;
        const total = rows.length === 0 ? 0 : Number(rows[0].total);
        const ids = (items) => items.map((row) => row.documentId).join();
        if (answer.pagination.total !== total)
          throw new Error(`${call.path}: ${answer.pagination.total} in all, the reference ${total}`);
        if (call.label !== 'sorted by number ↓' && ids(answer.results) !== ids(rows))
          console.log(`  note: ${call.path} orders ties differently from the reference`);
      }
      call.bytes = [mine.body.length, theirs.body.length];
    }

    const times = list.map(() => ({ app: [], ref: [] }));
    for (let run = 0; run < WARM + RUNS; run += 1) {
      for (const [index, call] of list.entries()) {
        const pair =
          run % 2 === 0
            ? [
                ['app', () => viaApp(call)],
                ['ref', () => viaRef(call, index)],
              ]
            : [
                ['ref', () => viaRef(call, index)],
                ['app', () => viaApp(call)],
              ];
        for (const [side, send] of pair) {
          const res = await send();
          if (res.status !== 200)
            throw new Error(`${side === 'app' ? call.path : `the reference of ${call.path}`} answered ${res.status}`);
          if (run >= WARM) times[index][side].push(res.ms);
        }
      }
    }
    agent.destroy();

    console.log('');
    console.log(
      `${RUNS} runs of every call after ${WARM} warm-up runs, one request at a time, each call and its reference in turn, over HTTP on 127.0.0.1 with an editor's admin login.`,
    );
    console.log(
      'reference: bench/bare-server.js (node:http; the admin token checked as HS256 with node:crypto) reading the same rows with',
    );
    console.log(
      "equivalent SQL through pg — one statement per call (the desk: one per part; the statistics: the app's own three) — and",
    );
    console.log('answering JSON.stringify of the rows.');
    console.log('');
    console.log(
      `${'call'.padEnd(46)} ${'p50'.padStart(8)} ${'p95'.padStart(8)}   ${'ref p50'.padStart(8)} ${'ref p95'.padStart(8)}  ${'ratio'.padStart(7)}  ${'bytes'.padStart(8)}  p50 < ${TARGET_MS} ms`,
    );
    let missed = 0;
    for (const [index, call] of list.entries()) {
      if (call.group) console.log(call.group);
      const [p50, p95, r50, r95] = [
        quantile(times[index].app, 0.5),
        quantile(times[index].app, 0.95),
        quantile(times[index].ref, 0.5),
        quantile(times[index].ref, 0.95),
      ];
      const met = p50 < TARGET_MS;
      if (!met) missed += 1;
      const ms = (value) => value.toFixed(1).padStart(8);
      console.log(
        `  ${call.label.padEnd(44)} ${ms(p50)} ${ms(p95)}   ${ms(r50)} ${ms(r95)}  ${`${(p50 / r50).toFixed(1)}x`.padStart(7)}  ${String(call.bytes[0]).padStart(8)}  ${met ? 'met' : 'NOT met'}`,
      );
      console.log(`    GET ${call.path.length > 110 ? `${call.path.slice(0, 107)}…` : call.path}`);
    }
    console.log('');
    console.log(
      `p50 < ${TARGET_MS} ms: ${missed === 0 ? `met by all ${list.length} calls` : `NOT met by ${missed} of ${list.length} calls`} (server time over HTTP; the page's own rendering comes on top). ${((Date.now() - started) / 1000).toFixed(0)} s in all.`,
    );
  } finally {
    await stopAll({ bare, app, database, sqlFolder });
  }
}

runMain(main);
