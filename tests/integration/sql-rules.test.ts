import fc from 'fast-check';
import { bootApp, type TestApp } from '../support/app';
import { RECIPIENT_LINES } from '../../src/domain/access';
import { periodInstants } from '../../src/domain/dates';
import { RECIPIENT_COMPONENT, isSentTo, sentToSql, type Addressee, type GroupMembers, type IssueComponent } from '../../src/domain/sent-to';
import {
  SUBMITTED_BY_UNIT_SQL,
  creditedAdoptions,
  creditedBindings,
  creditedSql,
  submittedByUnit,
  type CountedIssue,
  type CountedItem,
} from '../../src/domain/statistics-counts';

/**
 * The rules that run as SQL, checked against their statement in the domain: random data written into the app's own
 * tables (the schema Strapi made, on PostgreSQL), the SQL the glue runs, and the domain function on the same data,
 * which must agree on every case. Each case runs in a transaction of its own on empty tables, rolled back after it
 * (so no case sees another's rows, and no case waits for a commit to reach the disk).
 */

const CASES = 200;
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
    await db.raw('DELETE FROM issues_cmps; DELETE FROM items; DELETE FROM issues; DELETE FROM recipient_groups; DELETE FROM components_bulletin_recipients; DELETE FROM up_users; DELETE FROM units');
    await run(db);
  } finally {
    await (db as unknown as { rollback: () => Promise<void> }).rollback();
  }
}

/** A subset of `values`, without repeats, in random order. */
const someOf = (values: number[], maxLength = values.length) => fc.uniqueArray(fc.constantFrom(...values), { maxLength });

// ---- who an issue is sent to ------------------------------------------------------------------------------------------

const UNITS = [1, 2, 3, 4];
const USERS = [1, 2, 3];
const GROUPS = [1, 2, 3, 4];

const recipientData = fc.record({
  groups: fc.tuple(...GROUPS.map((id) => fc.record({ id: fc.constant(id), unitIds: someOf(UNITS, 2), userIds: someOf(USERS, 2) }))),
  issues: fc.array(
    fc.array(
      fc.record({
        // Mostly recipient lines; sometimes a component of another kind or in another field, which reaches nobody.
        componentType: fc.oneof({ weight: 4, arbitrary: fc.constant(RECIPIENT_COMPONENT) }, { weight: 1, arbitrary: fc.constant('bulletin.other') }),
        field: fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...RECIPIENT_LINES) }, { weight: 1, arbitrary: fc.constant('notes') }),
        groupIds: someOf(GROUPS, 2),
      }),
      { maxLength: 4 },
    ),
    { minLength: 1, maxLength: 4 },
  ),
  // Unit 5 is on no group; a caller may have several units (unit staff) or none, an account or none.
  callers: fc.array(fc.record({ unitIds: someOf([...UNITS, 5], 2), userId: fc.option(fc.constantFrom(...USERS, 4), { nil: null }) }), { minLength: 1, maxLength: 4 }),
});

async function writeRecipients(knex: Db, groups: readonly GroupMembers[], issues: readonly IssueComponent[][]): Promise<void> {
  await knex('units').insert([...UNITS, 5].map((id) => ({ id, document_id: `unit-${id}`, short_name: `单位${id}` })));
  await knex('up_users').insert([...USERS, 4].map((id) => ({ id, document_id: `user-${id}`, username: `user${id}`, email: `user${id}@example.gov.cn` })));
  await knex('recipient_groups').insert(groups.map((group) => ({ id: group.id, document_id: `group-${group.id}`, name: `组${group.id}` })));
  const groupUnits = groups.flatMap((group) => group.unitIds.map((unit) => ({ recipient_group_id: group.id, unit_id: unit })));
  const groupUsers = groups.flatMap((group) => group.userIds.map((user) => ({ recipient_group_id: group.id, user_id: user })));
  if (groupUnits.length > 0) await knex('recipient_groups_units_lnk').insert(groupUnits);
  if (groupUsers.length > 0) await knex('recipient_groups_users_lnk').insert(groupUsers);
  await knex('issues').insert(issues.map((_components, index) => ({ id: index + 1, document_id: `issue-${index + 1}`, publication: '上街信息', published_at: new Date() })));
  let component = 0;
  const components: { id: number; issue: number; part: IssueComponent }[] = [];
  issues.forEach((parts, index) => parts.forEach((part) => components.push({ id: (component += 1), issue: index + 1, part })));
  if (components.length === 0) return;
  await knex('components_bulletin_recipients').insert(components.map((c) => ({ id: c.id })));
  await knex('issues_cmps').insert(components.map((c) => ({ entity_id: c.issue, cmp_id: c.id, component_type: c.part.componentType, field: c.part.field })));
  const links = components.flatMap((c) => c.part.groupIds.map((group) => ({ recipient_id: c.id, recipient_group_id: group })));
  if (links.length > 0) await knex('components_bulletin_recipients_group_lnk').insert(links);
}

/** The issues the SQL finds sent to a caller, with the placeholders and stand-ins the normal route uses (src/strapi/access.ts). */
async function sentBySql(knex: Db, caller: Addressee): Promise<number[]> {
  const units = caller.unitIds.length === 0 ? [-1] : [...caller.unitIds];
  const rows = (await knex
    .select('i.id')
    .from('issues as i')
    .whereRaw(sentToSql('i', `IN (${units.map(() => '?').join(', ')})`, '= ?'), [...units, caller.userId ?? -1])
    .orderBy('i.id')) as { id: number | string }[]; // a bigint id comes back from PostgreSQL as a string
  return rows.map((row) => Number(row.id));
}

test(`who an issue is sent to: the SQL and isSentTo agree on ${CASES} random sets of issues, groups and callers`, async () => {
  let checks = 0;
  let reached = 0;
  await fc.assert(
    fc.asyncProperty(recipientData, async ({ groups, issues, callers }) => {
      await onEmptyTables(async (knex) => {
        await writeRecipients(knex, groups, issues);
        for (const caller of callers) {
          const expected = issues.flatMap((components, index) => (isSentTo(components, groups, caller) ? [index + 1] : []));
          expect(await sentBySql(knex, caller)).toEqual(expected);
          checks += issues.length;
          reached += expected.length;
        }
      });
    }),
    { numRuns: CASES },
  );
  // Both answers occur often enough for the agreement to mean something.
  expect(reached).toBeGreaterThan(checks / 10);
  expect(checks - reached).toBeGreaterThan(checks / 10);
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
  fc.tuple(fc.integer({ min: 0, max: 36 }), fc.constantFrom(-1000, 0, 1000)).map(([day, delta]) => new Date(Date.UTC(2020, 0, 27, 16) + day * DAY + delta)),
);
const ITEM_UNITS = [1, 2, 3, 4];

const statisticsData = fc
  .record({
    issues: fc.array(
      fc.record({ signedOff: fc.oneof({ weight: 3, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }), date: fc.option(aDate, { nil: null, freq: 8 }), publication: fc.constantFrom(...PUBLICATIONS) }),
      { minLength: 1, maxLength: 6 },
    ),
    items: fc.array(
      fc.record({
        unitIds: someOf(ITEM_UNITS, 3),
        state: fc.constantFrom(...STATES),
        createdAt: fc.option(anInstant, { nil: null, freq: 10 }),
        issueSlots: fc.uniqueArray(fc.nat({ max: 3 }), { maxLength: 2 }),
      }),
      { maxLength: 10 },
    ),
    period: fc.tuple(aDate, aDate).map(([a, b]) => (a <= b ? { from: a, to: b } : { from: b, to: a })),
    publication: fc.option(fc.constantFrom(...PUBLICATIONS, '别的刊物'), { nil: null }),
  })
  .map(({ issues, items, period, publication }) => {
    const countedIssues: CountedIssue[] = issues.map((issue, index) => ({ id: index + 1, ...issue }));
    const countedItems: CountedItem[] = items.map((item, index) => ({
      id: index + 1,
      unitIds: item.unitIds,
      state: item.state,
      createdAt: item.createdAt,
      issueIds: item.issueSlots.filter((slot) => slot < issues.length).map((slot) => slot + 1),
    }));
    return { issues: countedIssues, items: countedItems, period, publication };
  });

async function writeStatistics(knex: Db, issues: readonly CountedIssue[], items: readonly CountedItem[]): Promise<void> {
  await knex('units').insert(ITEM_UNITS.map((id) => ({ id, document_id: `unit-${id}`, short_name: `单位${id}`, active: true })));
  if (issues.length > 0) {
    await knex('issues').insert(
      issues.map((issue) => ({ id: issue.id, document_id: `issue-${issue.id}`, publication: issue.publication, edition: 'regular', date: issue.date, published_at: issue.signedOff ? new Date() : null })),
    );
  }
  if (items.length === 0) return;
  await knex('items').insert(items.map((item) => ({ id: item.id, document_id: `item-${item.id}`, headline: `信息${item.id}`, state: item.state, adoption_kind: 'single', created_at: item.createdAt })));
  const units = items.flatMap((item) => item.unitIds.map((unit) => ({ item_id: item.id, unit_id: unit })));
  const carried = items.flatMap((item) => item.issueIds.map((issue) => ({ item_id: item.id, issue_id: issue })));
  if (units.length > 0) await knex('items_units_lnk').insert(units);
  if (carried.length > 0) await knex('items_issue_lnk').insert(carried);
}

test(`submitted, returned, withdrawn and adopted: the SQL and the domain agree on ${CASES} random sets of items, issues and periods`, async () => {
  let submittedSeen = 0;
  let creditsSeen = 0;
  await fc.assert(
    fc.asyncProperty(statisticsData, async ({ issues, items, period, publication }) => {
      await onEmptyTables(async (knex) => {
        await writeStatistics(knex, issues, items);
        const instants = periodInstants(period, 'Asia/Shanghai');

        type CountRow = { id: number | string; submitted: unknown; returned: unknown; withdrawn: unknown };
        const counted = rowsOf<CountRow>(await knex.raw(SUBMITTED_BY_UNIT_SQL, instants))
          .map((row) => ({ unitId: Number(row.id), submitted: Number(row.submitted), returned: Number(row.returned), withdrawn: Number(row.withdrawn) }))
          .sort((a, b) => a.unitId - b.unitId);
        const submitted = submittedByUnit(ITEM_UNITS.map((id) => ({ id })), items, instants);
        expect(counted).toEqual(submitted);
        submittedSeen += submitted.reduce((sum, row) => sum + row.submitted, 0);

        type CreditRow = { item_id: number | string; issue_id: number | string; unit_id: number | string; unit_count: unknown };
        const sql = `${creditedSql(publication !== null)} SELECT item_id, issue_id, unit_id, unit_count FROM credited`;
        const byKey = (a: { itemId: number; unitId: number }, b: { itemId: number; unitId: number }) => a.itemId - b.itemId || a.unitId - b.unitId;
        const credited = rowsOf<CreditRow>(await knex.raw(sql, creditedBindings(period, publication)))
          .map((row) => ({ itemId: Number(row.item_id), issueId: Number(row.issue_id), unitId: Number(row.unit_id), unitCount: Number(row.unit_count) }))
          .sort(byKey);
        const expected = creditedAdoptions(items, issues, period, publication).sort(byKey);
        expect(credited).toEqual(expected);
        creditsSeen += expected.length;
      });
    }),
    { numRuns: CASES },
  );
  // The cases count something often enough for the agreement to mean something.
  expect(submittedSeen).toBeGreaterThan(CASES);
  expect(creditsSeen).toBeGreaterThan(CASES / 4);
});
