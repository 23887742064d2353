import fc from 'fast-check';
import { bootApp, type TestApp } from '../support/app';
import { RECIPIENT_LINES } from '../../src/domain/access';
import { periodInstants } from '../../src/domain/dates';
import {
  RECORD_CHECK_SQL,
  YEAR_CHECK_SQL,
  YEAR_TOTAL_SQL,
  mayRead,
  recordCheck,
  recordCheckValues,
  yearCheck,
  yearCheckValues,
  yearTotalValues,
  type CallerRow,
  type ReadableIssue,
  type ReadingAccount,
  type ReadingWorld,
} from '../../src/domain/reader-reads';
import {
  ADDRESSED_READING_SQL,
  addressedReading,
  notYetReadOf,
  readingFromRows,
  type ListedAccount,
  type ReadingRow,
} from '../../src/domain/first-reads';
import {
  RECIPIENT_COMPONENT,
  isSentTo,
  issuesSentToStatement,
  type Addressee,
  type GroupMembers,
  type IssueComponent,
} from '../../src/domain/sent-to';
import {
  SUBMITTED_BY_UNIT_SQL,
  adoptionFactsStatement,
  adoptionTalliesStatement,
  creditedAdoptions,
  creditedBindings,
  creditedSql,
  submittedByUnit,
  tallyCredits,
  type CountedIssue,
  type CountedItem,
  type TalliedIssue,
  type TalliedItem,
} from '../../src/domain/statistics-counts';

/**
 * The rules that run as SQL, checked against their statement in the domain: random data written into the app's own
 * tables (the schema Strapi made, on PostgreSQL), the SQL the glue runs, and the domain function on the same data,
 * which must agree on every case. Each case runs in a transaction of its own on empty tables, rolled back after it
 * (so no case sees another's rows, and no case waits for a commit to reach the disk).
 *
 * Each property runs SQL_RULES_CASES cases (200 unless set) from the seed SQL_RULES_SEED (19 unless set): the same
 * cases on every run, others on demand. On a disagreement fast-check prints the seed, the path and the smallest
 * counterexample it found, and jest the two answers.
 */

const CASES = Number(process.env.SQL_RULES_CASES ?? 200);
const SEED = Number(process.env.SQL_RULES_SEED ?? 19);
const runs = { numRuns: CASES, seed: SEED };
let app: TestApp;

beforeAll(async () => {
  app = await bootApp({ demo: false });
});
afterAll(async () => {
  await (app as TestApp | undefined)?.close();
});

type Db = TestApp['strapi']['db']['connection'];
const rowsOf = <T>(result: unknown): T[] => (result as { rows: T[] }).rows;

/** Runs one case on empty tables, in a transaction rolled back after it. */
async function onEmptyTables(run: (db: Db) => Promise<void>): Promise<void> {
  const db = (await app.strapi.db.connection.transaction()) as unknown as Db;
  try {
    await db.raw(
      'DELETE FROM bulletin_first_read; DELETE FROM up_users_unit_lnk; DELETE FROM issues_cmps; DELETE FROM items; DELETE FROM issues; DELETE FROM recipient_groups; DELETE FROM components_bulletin_recipients; DELETE FROM up_users; DELETE FROM up_permissions; DELETE FROM up_roles; DELETE FROM units',
    );
    await run(db);
  } finally {
    await (db as unknown as { rollback: () => Promise<void> }).rollback();
  }
}

/** A subset of `values`, without repeats, in random order. */
const someOf = <T>(values: T[], maxLength = values.length) => fc.uniqueArray(fc.constantFrom(...values), { maxLength });

// ---- who an issue is sent to ------------------------------------------------------------------------------------------

const UNITS = [1, 2, 3, 4];
const USERS = [1, 2, 3];
const GROUPS = [1, 2, 3, 4];

const recipientData = fc.record({
  groups: fc.tuple(
    ...GROUPS.map((id) => fc.record({ id: fc.constant(id), unitIds: someOf(UNITS, 2), userIds: someOf(USERS, 2) })),
  ),
  issues: fc.array(
    fc
      .tuple(
        fc.oneof({ weight: 4, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
        fc.array(
          fc.record({
            // Mostly recipient lines; sometimes a component of another kind or in another field, which reaches nobody.
            componentType: fc.oneof(
              { weight: 4, arbitrary: fc.constant(RECIPIENT_COMPONENT) },
              { weight: 1, arbitrary: fc.constant('bulletin.other') },
            ),
            field: fc.oneof(
              { weight: 4, arbitrary: fc.constantFrom(...RECIPIENT_LINES) },
              { weight: 1, arbitrary: fc.constant('notes') },
            ),
            groupIds: someOf(GROUPS, 2),
          }),
          { maxLength: 4 },
        ),
      )
      .map(([signedOff, components]) => ({ signedOff, components })),
    { minLength: 1, maxLength: 4 },
  ),
  // Unit 5 is on no group; a caller may have several units (unit staff) or none, an account or none.
  callers: fc.array(
    fc.record({ unitIds: someOf([...UNITS, 5], 2), userId: fc.option(fc.constantFrom(...USERS, 4), { nil: null }) }),
    { minLength: 1, maxLength: 4 },
  ),
});

type SentIssue = { signedOff: boolean; components: IssueComponent[] };

async function writeRecipients(knex: Db, groups: readonly GroupMembers[], issues: readonly SentIssue[]): Promise<void> {
  await knex('units').insert([...UNITS, 5].map((id) => ({ id, document_id: `unit-${id}`, short_name: `单位${id}` })));
  await knex('up_users').insert(
    [...USERS, 4].map((id) => ({
      id,
      document_id: `user-${id}`,
      username: `user${id}`,
      email: `user${id}@example.gov.cn`,
    })),
  );
  await knex('recipient_groups').insert(
    groups.map((group) => ({ id: group.id, document_id: `group-${group.id}`, name: `组${group.id}` })),
  );
  const groupUnits = groups.flatMap((group) =>
    group.unitIds.map((unit) => ({ recipient_group_id: group.id, unit_id: unit })),
  );
  const groupUsers = groups.flatMap((group) =>
    group.userIds.map((user) => ({ recipient_group_id: group.id, user_id: user })),
  );
  if (groupUnits.length > 0) await knex('recipient_groups_units_lnk').insert(groupUnits);
  if (groupUsers.length > 0) await knex('recipient_groups_users_lnk').insert(groupUsers);
  await knex('issues').insert(
    issues.map((issue, index) => ({
      id: index + 1,
      document_id: `issue-${index + 1}`,
      publication: '上街信息',
      published_at: issue.signedOff ? new Date() : null,
    })),
  );
  let component = 0;
  const components: { id: number; issue: number; part: IssueComponent }[] = [];
  issues.forEach((issue, index) =>
    issue.components.forEach((part) => components.push({ id: (component += 1), issue: index + 1, part })),
  );
  if (components.length === 0) return;
  await knex('components_bulletin_recipients').insert(components.map((c) => ({ id: c.id })));
  await knex('issues_cmps').insert(
    components.map((c) => ({
      entity_id: c.issue,
      cmp_id: c.id,
      component_type: c.part.componentType,
      field: c.part.field,
    })),
  );
  const links = components.flatMap((c) =>
    c.part.groupIds.map((group) => ({ recipient_id: c.id, recipient_group_id: group })),
  );
  if (links.length > 0) await knex('components_bulletin_recipients_group_lnk').insert(links);
}

/** The signed-off issues the statement of the normal route (src/strapi/access.ts) finds sent to a caller. */
async function sentBySql(knex: Db, caller: Addressee): Promise<number[]> {
  const statement = issuesSentToStatement(caller);
  // a bigint id comes back from PostgreSQL as a string
  return rowsOf<{ id: number | string }>(await knex.raw(statement.sql, statement.bindings))
    .map((row) => Number(row.id))
    .sort((a, b) => a - b);
}

test(`who an issue is sent to: the SQL and isSentTo (signed off) agree on ${CASES} random sets of issues, groups and callers`, async () => {
  let checks = 0;
  let reached = 0;
  await fc.assert(
    fc.asyncProperty(recipientData, async ({ groups, issues, callers }) => {
      await onEmptyTables(async (knex) => {
        await writeRecipients(knex, groups, issues);
        for (const caller of callers) {
          const expected = issues.flatMap((issue, index) =>
            issue.signedOff && isSentTo(issue.components, groups, caller) ? [index + 1] : [],
          );
          expect(await sentBySql(knex, caller)).toEqual(expected);
          checks += issues.length;
          reached += expected.length;
        }
      });
    }),
    runs,
  );
  // Both answers occur often enough for the agreement to mean something.
  expect(reached).toBeGreaterThan(checks / 10);
  expect(checks - reached).toBeGreaterThan(checks / 10);
});

// ---- who has read an issue sent to them, who has not ---------------------------------------------------------------

const NAMES = ['张三', '李四', '王五', 'alpha', null];
const UNIT_NAMES = ['区人社局', '峡窝镇', '上街镇', '区委办', '10号单位'];

const firstReadData = fc.record({
  groups: recipientData.map((data) => data.groups),
  // Issue 1 is the one asked about; issue 2, signed off, has reads of its own that must not count for issue 1.
  issue: fc.record({
    signedOff: fc.oneof({ weight: 4, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
    components: recipientData.map((data) => data.issues[0].components),
  }),
  accounts: fc.tuple(
    ...[...USERS, 4].map((id) =>
      fc.record({
        id: fc.constant(id),
        username: fc.constantFrom(...NAMES),
        unitId: fc.option(fc.constantFrom(...UNITS, 5), { nil: null, freq: 5 }),
        blocked: fc.oneof({ weight: 5, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
      }),
    ),
  ),
  reads: fc.uniqueArray(
    fc.record({
      documentId: fc.constantFrom('issue-1', 'issue-2'),
      kind: fc.constantFrom('account' as const, 'admin' as const),
      id: fc.constantFrom('1', '2', '3', '4'),
      at: fc
        .integer({ min: Date.UTC(2020, 1, 19), max: Date.UTC(2020, 2, 19) })
        .map((ms) => new Date(ms).toISOString()),
    }),
    { selector: (read) => `${read.documentId} ${read.kind} ${read.id}`, maxLength: 8 },
  ),
});

test(`who has read an issue sent to them: the statement and addressedReading agree on ${CASES} random sets of accounts, groups and reads`, async () => {
  let addressedSeen = 0;
  let readSeen = 0;
  let unreadSeen = 0;
  await fc.assert(
    fc.asyncProperty(firstReadData, async ({ groups, issue, accounts, reads }) => {
      await onEmptyTables(async (knex) => {
        await writeRecipients(knex, groups, [issue, { signedOff: true, components: issue.components }]);
        await knex('units')
          .whereIn('id', [...UNITS, 5])
          .update({ short_name: knex.raw(`(ARRAY['${UNIT_NAMES.join("','")}'])[id]`) });
        for (const account of accounts)
          await knex('up_users')
            .where({ id: account.id })
            .update({ username: account.username, blocked: account.blocked });
        const links = accounts.flatMap((account) =>
          account.unitId === null ? [] : [{ user_id: account.id, unit_id: account.unitId }],
        );
        if (links.length > 0) await knex('up_users_unit_lnk').insert(links);
        if (reads.length > 0)
          await knex('bulletin_first_read').insert(
            reads.map((read) => ({
              document_id: read.documentId,
              reader_kind: read.kind,
              reader_id: read.id,
              at: read.at,
            })),
          );

        const listed: ListedAccount[] = accounts.map((account) => ({
          ...account,
          unitName: account.unitId === null ? null : (UNIT_NAMES[account.unitId - 1] ?? null),
        }));
        const expected = addressedReading(
          issue,
          groups,
          listed,
          reads.filter((read) => read.documentId === 'issue-1'),
        );
        const found = readingFromRows(rowsOf<ReadingRow>(await knex.raw(ADDRESSED_READING_SQL, ['issue-1'])));
        expect(found).toEqual(expected);
        addressedSeen += expected.length;
        readSeen += expected.filter((reader) => reader.readAt !== null).length;
        unreadSeen += notYetReadOf(expected).length;
      });
    }),
    runs,
  );
  // Each answer occurs often enough for the agreement to mean something: accounts reached, read and not yet read.
  expect(readSeen).toBeGreaterThan(addressedSeen / 10);
  expect(unreadSeen).toBeGreaterThan(addressedSeen / 10);
  expect(addressedSeen).toBeGreaterThan(CASES / 2);
});

// ---- what the statistics count --------------------------------------------------------------------------------------

const PUBLICATIONS = ['上街信息', '督查专报'];
const STATES = ['submitted', 'adopted', 'returned', 'withdrawn'];
const DAY = 86400000;
/** Days from 2020-01-28 to 2020-03-04: around the month ends, where periods begin and end. */
const dayOf = (offset: number) => new Date(Date.UTC(2020, 0, 28) + offset * DAY).toISOString().slice(0, 10);
const aDate = fc.integer({ min: 0, max: 36 }).map(dayOf);
/** An instant within those days, often right at a Shanghai midnight (16:00Z) or a second either side of it. */
const anInstant = fc.oneof(
  fc.integer({ min: Date.UTC(2020, 0, 27), max: Date.UTC(2020, 2, 5) }).map((ms) => new Date(ms)),
  fc
    .tuple(fc.integer({ min: 0, max: 36 }), fc.constantFrom(-1000, 0, 1000))
    .map(([day, delta]) => new Date(Date.UTC(2020, 0, 27, 16) + day * DAY + delta)),
);
const ITEM_UNITS = [1, 2, 3, 4];
const EDITIONS = ['regular', 'supplement', 'special'];
const KINDS = ['single', 'combined'] as const;

const statisticsData = fc
  .record({
    issues: fc.array(
      fc.record({
        signedOff: fc.oneof({ weight: 3, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
        date: fc.option(aDate, { nil: null, freq: 8 }),
        publication: fc.constantFrom(...PUBLICATIONS),
        edition: fc.constantFrom(...EDITIONS),
      }),
      { minLength: 1, maxLength: 6 },
    ),
    items: fc.array(
      fc.record({
        unitIds: someOf(ITEM_UNITS, 3),
        state: fc.constantFrom(...STATES),
        adoptionKind: fc.constantFrom(...KINDS),
        createdAt: fc.option(anInstant, { nil: null, freq: 10 }),
        issueSlots: fc.uniqueArray(fc.nat({ max: 3 }), { maxLength: 2 }),
      }),
      { maxLength: 10 },
    ),
    period: fc.tuple(aDate, aDate).map(([a, b]) => (a <= b ? { from: a, to: b } : { from: b, to: a })),
    publication: fc.option(fc.constantFrom(...PUBLICATIONS, '别的刊物'), { nil: null }),
    /** The units whose breakdowns are asked for. */
    breakdownUnits: someOf(ITEM_UNITS),
  })
  .map(({ issues, items, period, publication, breakdownUnits }) => {
    const countedIssues: (CountedIssue & TalliedIssue)[] = issues.map((issue, index) => ({ id: index + 1, ...issue }));
    const countedItems: (CountedItem & TalliedItem)[] = items.map((item, index) => ({
      id: index + 1,
      unitIds: item.unitIds,
      state: item.state,
      adoptionKind: item.adoptionKind,
      createdAt: item.createdAt,
      issueIds: item.issueSlots.filter((slot) => slot < issues.length).map((slot) => slot + 1),
    }));
    return { issues: countedIssues, items: countedItems, period, publication, breakdownUnits };
  });

async function writeStatistics(
  knex: Db,
  issues: readonly (CountedIssue & TalliedIssue)[],
  items: readonly (CountedItem & TalliedItem)[],
): Promise<void> {
  await knex('units').insert(
    ITEM_UNITS.map((id) => ({ id, document_id: `unit-${id}`, short_name: `单位${id}`, active: true })),
  );
  if (issues.length > 0) {
    await knex('issues').insert(
      issues.map((issue) => ({
        id: issue.id,
        document_id: `issue-${issue.id}`,
        publication: issue.publication,
        edition: issue.edition,
        date: issue.date,
        published_at: issue.signedOff ? new Date() : null,
      })),
    );
  }
  if (items.length === 0) return;
  await knex('items').insert(
    items.map((item) => ({
      id: item.id,
      document_id: `item-${item.id}`,
      headline: `信息${item.id}`,
      state: item.state,
      adoption_kind: item.adoptionKind,
      created_at: item.createdAt,
    })),
  );
  const units = items.flatMap((item) => item.unitIds.map((unit) => ({ item_id: item.id, unit_id: unit })));
  const carried = items.flatMap((item) => item.issueIds.map((issue) => ({ item_id: item.id, issue_id: issue })));
  if (units.length > 0) await knex('items_units_lnk').insert(units);
  if (carried.length > 0) await knex('items_issue_lnk').insert(carried);
}

test(`submitted, returned, withdrawn, adopted, tallies and breakdowns: the SQL and the domain agree on ${CASES} random sets of items, issues and periods`, async () => {
  let submittedSeen = 0;
  let creditsSeen = 0;
  let talliesSeen = 0;
  let factsSeen = 0;
  await fc.assert(
    fc.asyncProperty(statisticsData, async ({ issues, items, period, publication, breakdownUnits }) => {
      await onEmptyTables(async (knex) => {
        await writeStatistics(knex, issues, items);
        const instants = periodInstants(period, 'Asia/Shanghai');

        type CountRow = { id: number | string; submitted: unknown; returned: unknown; withdrawn: unknown };
        const counted = rowsOf<CountRow>(await knex.raw(SUBMITTED_BY_UNIT_SQL, instants))
          .map((row) => ({
            unitId: Number(row.id),
            submitted: Number(row.submitted),
            returned: Number(row.returned),
            withdrawn: Number(row.withdrawn),
          }))
          .sort((a, b) => a.unitId - b.unitId);
        const submitted = submittedByUnit(
          ITEM_UNITS.map((id) => ({ id })),
          items,
          instants,
        );
        expect(counted).toEqual(submitted);
        submittedSeen += submitted.reduce((sum, row) => sum + row.submitted, 0);

        type CreditRow = {
          item_id: number | string;
          issue_id: number | string;
          unit_id: number | string;
          unit_count: unknown;
        };
        const sql = `${creditedSql(publication !== null)} SELECT item_id, issue_id, unit_id, unit_count FROM credited`;
        const byKey = (a: { itemId: number; unitId: number }, b: { itemId: number; unitId: number }) =>
          a.itemId - b.itemId || a.unitId - b.unitId;
        const credited = rowsOf<CreditRow>(await knex.raw(sql, creditedBindings(period, publication)))
          .map((row) => ({
            itemId: Number(row.item_id),
            issueId: Number(row.issue_id),
            unitId: Number(row.unit_id),
            unitCount: Number(row.unit_count),
          }))
          .sort(byKey);
        const expected = creditedAdoptions(items, issues, period, publication).sort(byKey);
        expect(credited).toEqual(expected);
        creditsSeen += expected.length;

        type TallyRow = {
          unit_id: number | string;
          short_name: string;
          publication: string;
          edition: string;
          adoption_kind: string;
          unit_count: unknown;
          items: unknown;
        };
        const tallies = adoptionTalliesStatement(period, publication);
        const tallyKey = (t: {
          unitId: number;
          publication: string;
          edition: string;
          adoptionKind: string;
          unitCount: number;
        }) => `${t.unitId}|${t.publication}|${t.edition}|${t.adoptionKind}|${t.unitCount}`;
        const tallied = rowsOf<TallyRow>(await knex.raw(tallies.sql, tallies.bindings))
          .map((row) => ({
            unitId: Number(row.unit_id),
            publication: row.publication,
            edition: row.edition,
            adoptionKind: row.adoption_kind,
            unitCount: Number(row.unit_count),
            items: Number(row.items),
            named: row.short_name === `单位${String(row.unit_id)}`,
          }))
          .sort((a, b) => tallyKey(a).localeCompare(tallyKey(b)));
        const expectedTallies = tallyCredits(expected, items, issues)
          .map((tally) => ({ ...tally, named: true }))
          .sort((a, b) => tallyKey(a).localeCompare(tallyKey(b)));
        expect(tallied).toEqual(expectedTallies);
        talliesSeen += expectedTallies.length;

        type FactRow = {
          unit_id: number | string;
          item_id: number | string;
          issue_id: number | string;
          unit_count: unknown;
          edition: string;
          adoption_kind: string;
        };
        const facts = adoptionFactsStatement(period, publication, breakdownUnits);
        const listed = rowsOf<FactRow>(await knex.raw(facts.sql, facts.bindings))
          .map((row) => ({
            itemId: Number(row.item_id),
            issueId: Number(row.issue_id),
            unitId: Number(row.unit_id),
            unitCount: Number(row.unit_count),
          }))
          .sort(byKey);
        const expectedFacts = expected.filter((credit) => breakdownUnits.includes(credit.unitId));
        expect(listed).toEqual(expectedFacts);
        factsSeen += expectedFacts.length;
      });
    }),
    runs,
  );
  // The cases count something often enough for the agreement to mean something.
  expect(submittedSeen).toBeGreaterThan(CASES);
  expect(creditsSeen).toBeGreaterThan(CASES / 4);
  expect(talliesSeen).toBeGreaterThan(CASES / 4);
  expect(factsSeen).toBeGreaterThan(CASES / 8);
});

// ---- what a reader or contributor with an account may read (the readers' fast path) --------------------------------

const FIND = 'api::issue.issue.find';
const FIND_ONE = 'api::issue.issue.findOne';
const ROLE_TYPES = ['reader', 'contributor', 'editor', 'authenticated'];
const ACCOUNTS = [1, 2, 3, 4, 5];
const READER_GROUPS = [1, 2, 3];
const READER_UNITS = [1, 2, 3];
/** Every key a record can have here: publication × year × edition × number. */
const KEYS = ['上街信息', '督查专报'].flatMap((publication) =>
  [2020, 2021].flatMap((year) =>
    ['regular', 'supplement', 'special'].flatMap((edition) =>
      [1, 2].map((number) => ({ publication, year, edition, number })),
    ),
  ),
);
/** A few dates a year, so that the list's order often goes down to edition and number. */
const DAYS = ['02-19', '03-01', '12-31'];

const recipientLine = fc.record({
  componentType: fc.oneof(
    { weight: 5, arbitrary: fc.constant(RECIPIENT_COMPONENT) },
    { weight: 1, arbitrary: fc.constant('bulletin.other') },
  ),
  field: fc.oneof(
    { weight: 5, arbitrary: fc.constantFrom(...RECIPIENT_LINES) },
    { weight: 1, arbitrary: fc.constant('notes') },
  ),
  groupIds: someOf(READER_GROUPS, 2),
});
/** One row of an issue document: its date, whether it has its record, its recipient lines. */
const issueRow = fc.record({
  day: fc.constantFrom(...DAYS),
  hasRecord: fc.oneof({ weight: 5, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
  components: fc.array(recipientLine, { minLength: 1, maxLength: 3 }),
});

const readingData = fc
  .record({
    // Mostly both actions, as the office's roles have them; sometimes one or none.
    roles: fc.tuple(
      ...ROLE_TYPES.map(() =>
        fc.oneof(
          { weight: 3, arbitrary: fc.constant([FIND, FIND_ONE]) },
          { weight: 1, arbitrary: someOf([FIND, FIND_ONE]) },
        ),
      ),
    ),
    accounts: fc.tuple(
      ...ACCOUNTS.map(() =>
        fc.record({
          blocked: fc.oneof(
            { weight: 1, arbitrary: fc.constant(true) },
            { weight: 4, arbitrary: fc.constantFrom(false, null) },
          ),
          confirmed: fc.oneof(
            { weight: 4, arbitrary: fc.constant(true) },
            { weight: 1, arbitrary: fc.constantFrom(false, null) },
          ),
          // Mostly reader or contributor; sometimes another role, or none.
          role: fc.option(fc.constantFrom(0, 0, 0, 1, 1, 1, 2, 3), { nil: null, freq: 8 }),
          unitId: fc.option(fc.constantFrom(...READER_UNITS), { nil: null, freq: 5 }),
        }),
      ),
    ),
    groups: fc.tuple(
      ...READER_GROUPS.map((id) =>
        fc.record({ id: fc.constant(id), unitIds: someOf(READER_UNITS), userIds: someOf(ACCOUNTS, 2) }),
      ),
    ),
    // Per key: no issue, a draft, a signed-off row, or both (a draft and the published row of one document).
    documents: fc.uniqueArray(
      fc.record({
        key: fc.nat({ max: KEYS.length - 1 }),
        draft: fc.option(issueRow, { nil: null }),
        published: fc.option(issueRow, { nil: null, freq: 4 }),
      }),
      { selector: (document) => document.key, maxLength: 14 },
    ),
    callers: fc.array(fc.constantFrom(...ACCOUNTS, 6), { minLength: 1, maxLength: 4 }),
    // Mostly the key of an issue that exists, sometimes any key.
    records: fc.array(fc.tuple(fc.boolean(), fc.nat({ max: KEYS.length - 1 })), { minLength: 1, maxLength: 4 }),
    years: fc.array(
      fc.record({
        key: fc.nat({ max: KEYS.length - 1 }),
        page: fc.integer({ min: 1, max: 3 }),
        pageSize: fc.integer({ min: 1, max: 4 }),
      }),
      { minLength: 1, maxLength: 3 },
    ),
  })
  .map(({ roles, accounts, groups, documents, callers, records, years }) => {
    const readingAccounts: ReadingAccount[] = accounts.map((account, index) => ({
      id: index + 1,
      blocked: account.blocked,
      confirmed: account.confirmed,
      role: account.role === null ? null : { type: ROLE_TYPES[account.role], actions: roles[account.role] },
      unitId: account.unitId,
    }));
    let id = 0;
    const issues: ReadableIssue[] = documents.flatMap((document) =>
      ([document.draft, document.published] as const).flatMap((row, published) => {
        if (row === null) return [];
        const key = KEYS[document.key];
        return [
          {
            id: (id += 1),
            signedOff: published === 1,
            hasRecord: row.hasRecord,
            ...key,
            date: `${key.year}-${row.day}`,
            components: row.components,
          },
        ];
      }),
    );
    const world: ReadingWorld = { accounts: readingAccounts, groups, issues };
    return {
      world,
      callers,
      records: records.map(
        ([existing, key]) => KEYS[existing && documents.length > 0 ? documents[key % documents.length].key : key],
      ),
      years: years.map(({ key, page, pageSize }) => ({ key: KEYS[key], page: { page, pageSize } })),
    };
  });

async function writeReading(
  knex: Db,
  { accounts, groups, issues }: ReadingWorld,
  roles: readonly { type: string; actions: readonly string[] }[],
): Promise<void> {
  await knex('units').insert(
    READER_UNITS.map((unit) => ({ id: unit, document_id: `unit-${unit}`, short_name: `单位${unit}` })),
  );
  await knex('up_roles').insert(
    ROLE_TYPES.map((type, index) => ({ id: index + 1, document_id: `role-${type}`, name: type, type })),
  );
  const actions = [FIND, FIND_ONE];
  await knex('up_permissions').insert(
    actions.flatMap((action, a) =>
      ROLE_TYPES.map((_type, r) => ({
        id: a * ROLE_TYPES.length + r + 1,
        document_id: `permission-${a}-${r}`,
        action,
      })),
    ),
  );
  const granted = roles.flatMap((role, r) =>
    role.actions.map((action) => ({
      permission_id: actions.indexOf(action) * ROLE_TYPES.length + r + 1,
      role_id: r + 1,
    })),
  );
  if (granted.length > 0) await knex('up_permissions_role_lnk').insert(granted);
  await knex('up_users').insert(
    accounts.map((account) => ({
      id: account.id,
      document_id: `user-${account.id}`,
      username: `user${account.id}`,
      email: `user${account.id}@example.gov.cn`,
      blocked: account.blocked,
      confirmed: account.confirmed,
    })),
  );
  const withRole = accounts.filter((account) => account.role !== null);
  if (withRole.length > 0)
    await knex('up_users_role_lnk').insert(
      withRole.map((account) => ({ user_id: account.id, role_id: ROLE_TYPES.indexOf(account.role?.type ?? '') + 1 })),
    );
  const withUnit = accounts.filter((account) => account.unitId !== null);
  if (withUnit.length > 0)
    await knex('up_users_unit_lnk').insert(
      withUnit.map((account) => ({ user_id: account.id, unit_id: account.unitId })),
    );
  await knex('recipient_groups').insert(
    groups.map((group) => ({ id: group.id, document_id: `group-${group.id}`, name: `组${group.id}` })),
  );
  const groupUnits = groups.flatMap((group) =>
    group.unitIds.map((unit) => ({ recipient_group_id: group.id, unit_id: unit })),
  );
  const groupUsers = groups.flatMap((group) =>
    group.userIds.map((user) => ({ recipient_group_id: group.id, user_id: user })),
  );
  if (groupUnits.length > 0) await knex('recipient_groups_units_lnk').insert(groupUnits);
  if (groupUsers.length > 0) await knex('recipient_groups_users_lnk').insert(groupUsers);
  if (issues.length === 0) return;
  await knex('issues').insert(
    issues.map((issue) => ({
      id: issue.id,
      document_id: `issue-${issue.publication}-${issue.year}-${issue.edition}-${issue.number}`,
      publication: issue.publication,
      year: issue.year,
      number: issue.number,
      edition: issue.edition,
      date: issue.date,
      record: issue.hasRecord ? JSON.stringify({ title: `第${issue.number}期` }) : null,
      published_at: issue.signedOff ? new Date() : null,
    })),
  );
  let component = 0;
  const components = issues.flatMap((issue) =>
    issue.components.map((part) => ({ id: (component += 1), issue: issue.id, part })),
  );
  if (components.length === 0) return;
  await knex('components_bulletin_recipients').insert(components.map((c) => ({ id: c.id })));
  await knex('issues_cmps').insert(
    components.map((c) => ({
      entity_id: c.issue,
      cmp_id: c.id,
      component_type: c.part.componentType,
      field: c.part.field,
    })),
  );
  const links = components.flatMap((c) =>
    c.part.groupIds.map((group) => ({ recipient_id: c.id, recipient_group_id: group })),
  );
  if (links.length > 0) await knex('components_bulletin_recipients_group_lnk').insert(links);
}

type PgConnection = { query: (text: string, values: unknown[]) => Promise<{ rows: unknown[] }> };
/** The statement as the fast path runs it: `$n` parameters on the driver's connection (here: the case's transaction's). */
async function pgRows<T>(knex: Db, sql: string, values: unknown[]): Promise<T[]> {
  const connection = await (
    knex.client as unknown as { acquireConnection: () => Promise<PgConnection> }
  ).acquireConnection();
  return (await connection.query(sql, values)).rows as T[];
}

type CheckRow = CallerRow & { issue: number | string | null; total?: string | null };
const callerOf = (row: CheckRow): CallerRow => ({
  blocked: row.blocked,
  confirmed: row.confirmed,
  role: row.role,
  allowed: row.allowed,
});

test(`what a reader may read: the fast path's statements and the domain agree on ${CASES} random sets of accounts, roles, groups and issues`, async () => {
  const seen = { records: 0, recordsRead: 0, pages: 0, pagesRead: 0, blocked: 0 };
  await fc.assert(
    fc.asyncProperty(readingData, async ({ world, callers, records, years }) => {
      await onEmptyTables(async (knex) => {
        const roles = ROLE_TYPES.map(
          (type) => world.accounts.find((account) => account.role?.type === type)?.role ?? { type, actions: [] },
        );
        await writeReading(knex, world, roles);
        for (const userId of callers) {
          for (const key of records) {
            const row = (
              await pgRows<CheckRow>(knex, RECORD_CHECK_SQL, recordCheckValues(userId, FIND_ONE, key))
            )[0] as CheckRow | undefined;
            const expected = recordCheck(world, userId, FIND_ONE, key);
            expect(
              row === undefined
                ? undefined
                : { ...callerOf(row), issue: row.issue === null ? null : Number(row.issue) },
            ).toEqual(expected);
            seen.records += 1;
            if (mayRead(expected) && expected.issue !== null) seen.recordsRead += 1;
            if (expected?.blocked === true) seen.blocked += 1;
          }
          for (const { key, page } of years) {
            const rows = await pgRows<CheckRow>(knex, YEAR_CHECK_SQL, yearCheckValues(userId, FIND, key, page));
            const expected = yearCheck(world, userId, FIND, key, page);
            seen.pages += 1;
            if (expected === undefined) {
              expect(rows).toEqual([]);
              continue;
            }
            for (const row of rows) expect(callerOf(row)).toEqual(expected.caller);
            const listed = rows.filter((row) => row.issue !== null);
            expect(listed.map((row) => Number(row.issue))).toEqual(expected.issues);
            if (listed.length > 0) {
              expect(Number(listed[0].total)).toBe(expected.total);
            } else {
              expect(rows).toHaveLength(1);
              const counted = (
                await pgRows<{ total: string }>(knex, YEAR_TOTAL_SQL, yearTotalValues(userId, key))
              )[0] as { total: string } | undefined;
              expect(Number(counted?.total ?? 0)).toBe(expected.total);
            }
            if (mayRead(expected.caller) && expected.issues.length > 0) seen.pagesRead += 1;
          }
        }
      });
    }),
    runs,
  );
  // Both answers occur often enough for the agreement to mean something.
  expect(seen.recordsRead).toBeGreaterThan(seen.records / 50);
  expect(seen.records - seen.recordsRead).toBeGreaterThan(seen.records / 10);
  expect(seen.pagesRead).toBeGreaterThan(seen.pages / 50);
  expect(seen.blocked).toBeGreaterThan(0);
  console.log(
    `what a reader may read: ${CASES} cases, ${seen.records} record checks (${seen.recordsRead} readable), ${seen.pages} pages (${seen.pagesRead} with issues)`,
  );
});
