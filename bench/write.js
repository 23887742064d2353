#!/usr/bin/env node
// npm run bench:write [-- --editors 8 --creates 10 --rounds 3 --per-issue 20] [-- --cpu-prof DIR]
// Writes in the admin at five years of data (bench/stats.js's data set), 8 editors at once: item creates through the
// content manager's create endpoint (POST /content-manager/collection-types/api::item.item, as the admin's form sends
// it; the attribution checks and the audit trail run), by 8 editors, and issue sign-offs (签发: POST
// …/api::issue.issue/:documentId/actions/publish, the record frozen) of issues of 20 items, by 8 signers; all admin
// users made with `npm run users -- import` (random passwords) and logged in through POST /admin/login, against the app
// in production mode on PostgreSQL. The reference, measured in the same run in alternating rounds: the equivalent bare
// write through pg in bench/bare-server.js (node:http, the admin token's HS256 checked with node:crypto), one
// statement in a transaction: the item's row and its unit links inserted; the issue's published row inserted with its
// record (the items' text) and its 20 item links, the draft stamped. Prints p50, p95 and throughput per side, and
// whether the sign-off meets p50 < 300 ms.
const fs = require('fs');
const os = require('os');
const path = require('path');
const http = require('http');
const { randomBytes } = require('crypto');
const { Client } = require('pg');
const {
  BENCH_SECRETS,
  compile,
  createDatabase,
  freePort,
  startApp,
  runConcurrently,
  adminAccounts,
  adminLogin,
  quantile,
  arg,
  stopAll,
  runMain,
} = require('./lib');
const { request, startBare } = require('./readers');
const { seed } = require('./stats');

const EDITORS = arg('editors', 8);
const CREATES = arg('creates', 10);
const ROUNDS = arg('rounds', 3);
const PER_ISSUE = arg('per-issue', 20);
const SIGN_OFF_TARGET_MS = 300;
/** --cpu-prof DIR: the app runs with node --cpu-prof, its profile written to DIR when it stops. */
const PROFILE_DIR = process.argv.includes('--cpu-prof')
  ? path.resolve(process.argv[process.argv.indexOf('--cpu-prof') + 1])
  : null;
const CM = '/content-manager/collection-types';
const BODY = '疫情防控工作开展以来，各单位认真落实上级部署，强化责任担当，压实工作措施，确保各项工作落到实处。'.repeat(
  5,
);

const documentId = () =>
  Array.from(
    randomBytes(24),
    (byte, index) => 'abcdefghijklmnopqrstuvwxyz0123456789'[byte % (index === 0 ? 26 : 36)],
  ).join('');

const REFERENCE = {
  create: {
    transaction: true,
    statements: [
      `WITH item AS (
         INSERT INTO items (document_id, headline, body, adoption_kind, state, created_at, updated_at, published_at)
         VALUES ($1, $2, $3, $4, 'submitted', now(), now(), now()) RETURNING *),
       links AS (
         INSERT INTO items_units_lnk (item_id, unit_id, unit_ord, item_ord)
         SELECT item.id, u.id, 1, ordinality FROM item, unnest($5::text[]) WITH ORDINALITY AS wanted (document_id, ordinality) JOIN units u ON u.document_id = wanted.document_id
         RETURNING unit_id)
       SELECT item.id, item.document_id AS "documentId", item.headline, item.body, item.adoption_kind AS "adoptionKind", item.state,
              item.created_at AS "createdAt", item.updated_at AS "updatedAt", (SELECT json_agg(unit_id) FROM links) AS units
         FROM item`,
    ],
  },
  signOff: {
    transaction: true,
    statements: [
      `WITH draft AS (SELECT * FROM issues WHERE document_id = $1 AND published_at IS NULL FOR UPDATE),
       placed AS (
         SELECT i.id, i.document_id, i.headline, i.body, l.item_ord FROM draft JOIN items_issue_lnk l ON l.issue_id = draft.id JOIN items i ON i.id = l.item_id),
       stamped AS (UPDATE issues SET first_signed_off_at = now(), updated_at = now() FROM draft WHERE issues.id = draft.id RETURNING issues.id),
       published AS (
         INSERT INTO issues (document_id, title, publication, edition, year, number, total_number, date, column_title, editors, created_at, updated_at, published_at, first_signed_off_at, record)
         SELECT document_id, title, publication, edition, year, number, total_number, date, column_title, editors, created_at, now(), now(), now(),
                jsonb_build_object('title', title, 'number', number, 'date', date,
                  'items', (SELECT jsonb_agg(jsonb_build_object('documentId', document_id, 'headline', headline, 'body', body) ORDER BY item_ord) FROM placed))
           FROM draft RETURNING id, document_id, record),
       links AS (INSERT INTO items_issue_lnk (item_id, issue_id, item_ord) SELECT placed.id, published.id, placed.item_ord FROM placed, published RETURNING item_id)
       SELECT published.id, published.document_id AS "documentId", published.record, (SELECT count(*) FROM links) AS items, (SELECT count(*) FROM stamped) AS stamped
         FROM published`,
    ],
  },
};

/** p50, p95 and throughput of one side's timed writes. */
function summary(times, elapsedMs) {
  return {
    p50: quantile(times, 0.5),
    p95: quantile(times, 0.95),
    perSecond: (times.length / elapsedMs) * 1000,
    count: times.length,
  };
}

async function main() {
  const started = Date.now();
  const distDir = await compile();
  const database = await createDatabase('bench_write');
  const sqlFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-write-'));
  let app = null;
  let bare = null;
  const sql = new Client({ connectionString: database.url });
  try {
    const port = await freePort();
    const profile = PROFILE_DIR === null ? [] : ['--cpu-prof', '--cpu-prof-dir', PROFILE_DIR];
    app = await startApp(
      port,
      { DATABASE_CLIENT: 'postgres', DATABASE_URL: database.url, BULLETIN_DEMO_CONTENT: 'false' },
      distDir,
      profile,
    );
    const seeded = await seed(database.url);
    await sql.connect();
    console.log(`seeded: ${seeded.signed} signed-off issues of 1,200, ${seeded.items} items, 40 units`);
    const units = (await sql.query('SELECT id, document_id FROM units ORDER BY id')).rows;

    const people = await adminAccounts(distDir, database.url, [
      ...Array.from({ length: EDITORS }, (_, index) => ({
        email: `bench-editor-${index + 1}@example.gov.cn`,
        role: 'editor',
      })),
      ...Array.from({ length: EDITORS }, (_, index) => ({
        email: `bench-signer-${index + 1}@example.gov.cn`,
        role: 'signer',
      })),
    ]);
    const tokens = [];
    for (const person of people) tokens.push(await adminLogin(port, person));
    const [editors, signers] = [tokens.slice(0, EDITORS), tokens.slice(EDITORS)];
    const sqlFile = path.join(sqlFolder, 'statements.json');
    fs.writeFileSync(sqlFile, JSON.stringify(REFERENCE));
    const barePort = await freePort();
    bare = await startBare(database.url, barePort, { JWT_SECRET: BENCH_SECRETS.ADMIN_JWT_SECRET, BENCH_SQL: sqlFile });

    const agent = new http.Agent({ keepAlive: true, maxSockets: EDITORS * 2 });
    const send = async (target, token, method, url, data) => {
      const res = await request(agent, target, {
        method,
        path: url,
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
        body: JSON.stringify(data),
        timeoutMs: 30000,
      });
      if (res.status !== 200 && res.status !== 201)
        throw new Error(`${method} ${url} answered ${res.status}: ${res.body.toString().slice(0, 400)}`);
      return res;
    };
    const api = async (method, url, data) =>
      JSON.parse((await send(port, app.token, method, url, data === undefined ? undefined : { data })).body).data;

    // What the admin's create form sends: every field, relations as connect / disconnect; one in four combined.
    let created = 0;
    const itemForm = () => {
      created += 1;
      const credited = created % 4 === 0 ? [units[created % 40], units[(created + 7) % 40]] : [units[created % 40]];
      return {
        headline: `测评信息 第${created}条`,
        body: BODY,
        adoptionKind: credited.length > 1 ? 'combined' : 'single',
        state: 'submitted',
        returnReason: null,
        section: null,
        position: null,
        author: null,
        phone: null,
        units: {
          connect: credited.map((unit) => ({ id: unit.id, documentId: unit.document_id, position: { end: true } })),
          disconnect: [],
        },
        issue: { connect: [], disconnect: [] },
        submittedBy: { connect: [], disconnect: [] },
      };
    };
    const createVia = {
      app: (index) => send(port, editors[index % EDITORS], 'POST', `${CM}/api::item.item`, itemForm()),
      ref: (index) => {
        const form = itemForm();
        return send(barePort, editors[index % EDITORS], 'POST', '/sql/create', [
          [
            documentId(),
            form.headline,
            form.body,
            form.adoptionKind,
            form.units.connect.map((unit) => unit.documentId),
          ],
        ]);
      },
    };

    // Issues of 20 adopted items to sign off, made through the content API (not timed), and as many for the reference:
    // draft rows of the same kind holding the same items.
    let made = 0;
    const anIssue = async () => {
      made += 1;
      const issue = await api('POST', '/api/issues?status=draft', {
        date: `2024-${String((made % 12) + 1).padStart(2, '0')}-${String((made % 28) + 1).padStart(2, '0')}`,
        issuer: units[0].document_id,
        columnTitle: '基层动态',
        editors: '郝婕 李德昭',
      });
      for (let position = 1; position <= PER_ISSUE; position += 1) {
        const item = await api('POST', '/api/items', {
          headline: `第${made}期 第${position}条`,
          body: BODY,
          units: [units[(made + position) % 40].document_id],
        });
        await api('PUT', `/api/items/${item.documentId}`, { state: 'adopted', issue: issue.documentId, position });
      }
      return issue.documentId;
    };
    const prepared = Date.now();
    const appIssues = [];
    await runConcurrently(EDITORS * ROUNDS, EDITORS, async () => appIssues.push(await anIssue()));
    const refIssues = [];
    for (const issue of appIssues) {
      const copy = documentId();
      const draft = await sql.query(
        `INSERT INTO issues (document_id, title, publication, edition, year, date, column_title, editors, created_at, updated_at)
         SELECT $2, title, publication, edition, year, date, column_title, editors, now(), now() FROM issues WHERE document_id = $1 AND published_at IS NULL RETURNING id`,
        [issue, copy],
      );
      await sql.query(
        `INSERT INTO items_issue_lnk (item_id, issue_id, item_ord) SELECT l.item_id, $2, l.item_ord FROM items_issue_lnk l JOIN issues d ON d.id = l.issue_id WHERE d.document_id = $1 AND d.published_at IS NULL`,
        [issue, draft.rows[0].id],
      );
      refIssues.push(copy);
    }
    await sql.query('ANALYZE');
    console.log(
      `prepared ${appIssues.length} issues of ${PER_ISSUE} adopted items for the app and ${refIssues.length} for the reference in ${((Date.now() - prepared) / 1000).toFixed(1)} s`,
    );

    // The admin's 签发 sends the edit form's fields with the publish action.
    const form = async (issue) => {
      const res = await send(port, signers[0], 'GET', `${CM}/api::issue.issue/${issue}`);
      const doc = JSON.parse(res.body).data;
      const fields = [
        'title',
        'publication',
        'edition',
        'year',
        'number',
        'totalNumber',
        'date',
        'columnTitle',
        'columnInstallment',
        'editors',
        'reviewer',
        'signer',
        'printRun',
      ];
      return Object.fromEntries(fields.map((field) => [field, doc[field] ?? null]));
    };
    const forms = new Map();
    for (const issue of appIssues) forms.set(issue, await form(issue));
    const signOffVia = {
      app: (index) =>
        send(
          port,
          signers[index % EDITORS],
          'POST',
          `${CM}/api::issue.issue/${appIssues[index]}/actions/publish`,
          forms.get(appIssues[index]),
        ),
      ref: (index) => send(barePort, signers[index % EDITORS], 'POST', '/sql/signOff', [[refIssues[index]]]),
    };

    // Warm-up: a round of creates on each side.
    for (const side of ['app', 'ref']) await runConcurrently(EDITORS, EDITORS, (index) => createVia[side](index));

    const results = {
      create: { app: { times: [], ms: 0 }, ref: { times: [], ms: 0 } },
      signOff: { app: { times: [], ms: 0 }, ref: { times: [], ms: 0 } },
    };
    const timedRound = async (kind, side, count, offset) => {
      const into = results[kind][side];
      into.ms += await runConcurrently(count, EDITORS, async (index) => {
        const res = await (kind === 'create' ? createVia : signOffVia)[side](offset + index);
        into.times.push(res.ms);
      });
    };
    for (let round = 0; round < ROUNDS; round += 1) {
      const sides = round % 2 === 0 ? ['app', 'ref'] : ['ref', 'app'];
      for (const side of sides) await timedRound('create', side, EDITORS * CREATES, 0);
      for (const side of sides) await timedRound('signOff', side, EDITORS, round * EDITORS);
    }
    agent.destroy();

    // Signed off for real: every published row holds its 20 items and a frozen record.
    const check = await sql.query(
      `SELECT count(*) AS issues, min(n) AS least, count(*) FILTER (WHERE record IS NOT NULL) AS recorded FROM (
         SELECT p.id, p.record, (SELECT count(*) FROM items_issue_lnk l WHERE l.issue_id = p.id) AS n FROM issues p WHERE p.published_at IS NOT NULL AND p.document_id = ANY($1)) x`,
      [appIssues],
    );
    const signed = check.rows[0];
    if (
      Number(signed.issues) !== appIssues.length ||
      Number(signed.least) !== PER_ISSUE ||
      Number(signed.recorded) !== appIssues.length
    ) {
      throw new Error(
        `signed off: ${signed.issues} of ${appIssues.length} issues, fewest items ${signed.least}, ${signed.recorded} with a record`,
      );
    }

    console.log('');
    console.log(
      `${EDITORS} editors at once (8 HTTP connections), over HTTP on 127.0.0.1 with admin logins; ${ROUNDS} rounds, app and reference alternating.`,
    );
    console.log(
      'reference: bench/bare-server.js (node:http; the admin token checked as HS256 with node:crypto) doing the equivalent bare write',
    );
    console.log(
      'through pg, one statement in a transaction — an item: its row and unit links; a sign-off: the published row with its record',
    );
    console.log(`(the items' text) and its ${PER_ISSUE} item links, the draft stamped.`);
    console.log('');
    console.log(
      `${'write'.padEnd(52)} ${'p50'.padStart(8)} ${'p95'.padStart(8)} ${'per s'.padStart(8)}   ${'ref p50'.padStart(8)} ${'ref p95'.padStart(8)} ${'ref/s'.padStart(8)}  ratio p50`,
    );
    const line = (label, kind) => {
      const [mine, theirs] = ['app', 'ref'].map((side) => summary(results[kind][side].times, results[kind][side].ms));
      const ms = (value) => value.toFixed(1).padStart(8);
      console.log(
        `${label.padEnd(52)} ${ms(mine.p50)} ${ms(mine.p95)} ${ms(mine.perSecond)}   ${ms(theirs.p50)} ${ms(theirs.p95)} ${ms(theirs.perSecond)}  ${(mine.p50 / theirs.p50).toFixed(1)}x`,
      );
      return mine;
    };
    line(`item create (${results.create.app.times.length} by ${EDITORS} editors)`, 'create');
    const signOff = line(
      `sign-off of ${PER_ISSUE} items (${results.signOff.app.times.length} by ${EDITORS} signers)`,
      'signOff',
    );
    console.log('');
    console.log(
      `sign-off p50 < ${SIGN_OFF_TARGET_MS} ms at ${EDITORS} at once: ${signOff.p50 < SIGN_OFF_TARGET_MS ? 'met' : 'NOT met'} (${signOff.p50.toFixed(1)} ms). ${((Date.now() - started) / 1000).toFixed(0)} s in all.`,
    );
  } finally {
    await sql.end().catch(() => undefined);
    await stopAll({ bare, app, database, sqlFolder });
  }
}

runMain(main);
