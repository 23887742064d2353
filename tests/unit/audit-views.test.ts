import fs from 'fs';
import path from 'path';
import fc from 'fast-check';
import knexFactory, { type Knex } from 'knex';
import {
  actionLabel,
  changeViews,
  csvCell,
  entriesCsv,
  filterSql,
  filterInstants,
  isSecurityEntry,
  issueTimeline,
  itemTimeline,
  matchesFilter,
  officeTime,
  parseAuditQuery,
  textDiff,
  timelineActor,
  fieldLabel,
  type AuditFilter,
  type DiffPart,
  type ListedEntry,
} from '../../src/domain/audit-views';
import { createTestDatabase, type TestDatabase } from '../support/postgres';

const ZONE = 'Asia/Shanghai';

const anEntry = (overrides: Partial<ListedEntry> = {}): ListedEntry => ({
  id: '1',
  at: '2020-02-19T06:00:00.000Z',
  action: 'update',
  contentType: 'api::item.item',
  documentId: 'item1',
  documentName: null,
  changes: {},
  actorKind: 'admin',
  actorId: '1',
  actorName: '郝婕',
  actorUnit: '区委办',
  address: '10.0.0.1',
  userAgent: 'test',
  requestId: null,
  ...overrides,
});

describe('labels', () => {
  test.each([
    ['publish', '签发'],
    ['unpublish', '撤回签发'],
    ['adopt', '采用'],
    ['return', '退回'],
    ['submit', '报送'],
    ['withdraw', '撤回'],
    ['place', '编入'],
    ['reorder', '调整顺序'],
    ['discard-draft', '放弃草稿修改'],
    ['some-future-action', 'some-future-action'],
  ])('%s is shown as %s', (action, label) => {
    expect(actionLabel(action)).toBe(label);
  });

  test.each([
    [{ action: 'login' }, true],
    [{ action: 'login-failed' }, true],
    [{ action: 'password-reset' }, true],
    [{ action: 'role.update' }, true],
    [{ action: 'api-token-create' }, true],
    [{ action: 'admin-user-delete' }, true],
    [{ action: 'download', category: 'security' }, true],
    [{ action: 'publish' }, false],
    [{ action: 'download' }, false],
    [{ action: 'loginx' }, false],
    [{ action: 'tokenize', category: null }, false],
  ])('%j is a security entry: %s', (entry, expected) => {
    expect(isSecurityEntry(entry)).toBe(expected);
  });

  test('office time is Asia/Shanghai wall clock, whatever the server zone', () => {
    expect(officeTime('2020-02-18T16:30:05.000Z', ZONE)).toBe('2020-02-19 00:30:05');
  });
});

describe('parseAuditQuery', () => {
  test('names each bad field', () => {
    const result = parseAuditQuery(
      { from: '2021-02-29', type: 'article', action: 'DROP TABLE', page: '0', document: 'a b' },
      ZONE,
    );
    expect('violations' in result && result.violations.map((violation) => violation.path[0]).sort()).toEqual([
      'action',
      'document',
      'from',
      'page',
      'type',
    ]);
  });
  test('to before from is refused on to', () => {
    const result = parseAuditQuery({ from: '2020-03-01', to: '2020-02-01' }, ZONE);
    expect('violations' in result && result.violations.map((violation) => violation.path[0])).toEqual(['to']);
  });
  test('a good query: the date range covers whole office days', () => {
    const result = parseAuditQuery(
      { actor: ' 郝 ', action: 'adopt,return', type: 'item', from: '2020-02-19', to: '2020-02-19', pageSize: '10' },
      ZONE,
    );
    if ('violations' in result) throw new Error(JSON.stringify(result.violations));
    expect(result.filter).toEqual({
      actor: '郝',
      actions: ['adopt', 'return'],
      contentType: 'api::item.item',
      from: '2020-02-19',
      to: '2020-02-19',
    });
    expect(result.page).toEqual({ page: 1, pageSize: 10 });
    expect(result.instants.map((instant) => instant?.toISOString())).toEqual([
      '2020-02-18T16:00:00.000Z',
      '2020-02-19T16:00:00.000Z',
    ]);
  });
});

describe('diffs', () => {
  const rebuild = (parts: DiffPart[], side: 'old' | 'new') =>
    parts
      .filter((part) => part.kind !== (side === 'old' ? 'added' : 'removed'))
      .map((part) => part.text)
      .join('');

  test('a long body: by line, nothing cut off', () => {
    const old = Array.from({ length: 300 }, (_, index) => `第${index}段。`).join('\n');
    const next = old.replace('第150段。', '第150段，改过。');
    const parts = textDiff(old, next);
    expect(parts.filter((part) => part.kind !== 'same')).toEqual([
      { kind: 'removed', text: '第150段。\n' },
      { kind: 'added', text: '第150段，改过。\n' },
    ]);
    expect(rebuild(parts, 'old')).toBe(old);
    expect(rebuild(parts, 'new')).toBe(next);
  });

  test('a short value: by character', () => {
    expect(textDiff('区人社局', '区文广旅局')).toEqual([
      { kind: 'same', text: '区' },
      { kind: 'removed', text: '人社' },
      { kind: 'added', text: '文广旅' },
      { kind: 'same', text: '局' },
    ]);
  });

  test('both sides are rebuilt exactly from any diff', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom('a', 'b', '\n', '信', '息', '😀') }),
        fc.string({ unit: fc.constantFrom('a', 'b', '\n', '信', '息', '😀') }),
        (old, next) => {
          const parts = textDiff(old, next);
          expect(rebuild(parts, 'old')).toBe(old);
          expect(rebuild(parts, 'new')).toBe(next);
        },
      ),
    );
  });

  test('change views name fields in Chinese and keep values whole', () => {
    const body = '正'.repeat(5000);
    expect(
      changeViews({ body: { old: null, new: body }, units: { old: ['a'], new: ['a', 'b'] } }).map((view) => [
        view.label,
        view.new.length,
      ]),
    ).toEqual([
      ['正文', 5000],
      ['单位', JSON.stringify(['a', 'b'], null, 2).length],
    ]);
  });
});

describe('CSV', () => {
  test.each([
    ['=1+1', "'=1+1"],
    ['+86 10', "'+86 10"],
    ['-2', "'-2"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['a,b', '"a,b"'],
    ['说"好"', '"说""好"""'],
    ['平常', '平常'],
  ])('%s → %s', (value, cell) => {
    expect(csvCell(value)).toBe(cell);
  });

  test('BOM, header, labels, office time, changes whole', () => {
    const csv = entriesCsv(
      [anEntry({ action: 'return', changes: { returnReason: { old: null, new: '=HYPERLINK("x")' } } })],
      ZONE,
    );
    expect(csv.startsWith('\uFEFF时间,操作,对象类型,对象,文档ID,操作人,单位,方式,地址,改动\r\n')).toBe(true);
    expect(csv).toContain(
      '2020-02-19 14:00:00,退回,信息,,item1,郝婕,区委办,后台,10.0.0.1,"退回理由： → =HYPERLINK(""x"")"\r\n',
    );
  });
});

describe('timelines', () => {
  const item = 'item1';
  test('an item: submitted, returned with the reason, resubmitted, adopted, placed at 2, signed off', () => {
    const entries: ListedEntry[] = [
      anEntry({
        id: '1',
        at: '2020-02-17T01:00:00.000Z',
        action: 'create',
        changes: { headline: { old: null, new: '稿件' } },
        actorName: 'hrss',
        actorUnit: '区人社局',
      }),
      anEntry({
        id: '2',
        at: '2020-02-17T02:00:00.000Z',
        action: 'return',
        changes: { state: { old: 'submitted', new: 'returned' }, returnReason: { old: null, new: '数据需核实' } },
      }),
      anEntry({
        id: '3',
        at: '2020-02-17T03:00:00.000Z',
        action: 'submit',
        changes: { state: { old: 'returned', new: 'submitted' }, body: { old: 'a', new: 'b' } },
        actorName: 'hrss',
      }),
      anEntry({
        id: '4',
        at: '2020-02-18T01:00:00.000Z',
        action: 'adopt',
        changes: { state: { old: 'submitted', new: 'adopted' } },
      }),
      anEntry({
        id: '5',
        at: '2020-02-18T02:00:00.000Z',
        action: 'place',
        contentType: 'api::issue.issue',
        documentId: 'issue1',
        documentName: '上街信息 2020年第14期',
        changes: { items: { old: ['other'], new: ['other', item] } },
      }),
      anEntry({
        id: '6',
        at: '2020-02-18T03:00:00.000Z',
        action: 'publish',
        contentType: 'api::issue.issue',
        documentId: 'issue1',
        documentName: '上街信息 2020年第14期',
        changes: { date: { old: null, new: '2020-02-19' } },
        actorName: '签发人',
      }),
      anEntry({
        id: '7',
        at: '2020-02-18T04:00:00.000Z',
        action: 'publish',
        contentType: 'api::issue.issue',
        documentId: 'issue9',
        documentName: '别的期',
        changes: {},
      }),
    ];
    expect(itemTimeline(item, entries, {}).map((step) => [step.label, step.detail])).toEqual([
      ['报送', '稿件'],
      ['退回', '理由：数据需核实'],
      ['重新报送', '改动：正文'],
      ['采用', ''],
      ['编入', '编入上街信息 2020年第14期，第2条'],
      ['签发', '上街信息 2020年第14期'],
    ]);
  });

  test('an item placed from its own side names the issue from the names given', () => {
    const steps = itemTimeline(
      item,
      [anEntry({ action: 'place', changes: { issue: { old: null, new: 'issue1' }, position: { old: null, new: 3 } } })],
      { issue1: '上街信息 2020年第14期' },
    );
    expect(steps.map((step) => step.detail)).toEqual(['编入上街信息 2020年第14期，第3条']);
  });

  test('an issue: signed off, withdrawn, signed off again', () => {
    const at = (minute: number) => `2020-02-19T06:${String(minute).padStart(2, '0')}:00.000Z`;
    const steps = issueTimeline([
      anEntry({ id: '3', at: at(3), action: 'publish' }),
      anEntry({ id: '1', at: at(1), action: 'publish' }),
      anEntry({ id: '2', at: at(2), action: 'unpublish' }),
      anEntry({ id: '0', at: at(0), action: 'update', changes: { title: { old: 'a', new: 'b' } } }),
    ]);
    expect(steps.map((step) => [step.label, step.detail])).toEqual([
      ['修改', '改动：名称'],
      ['签发', ''],
      ['撤回签发', ''],
      ['重新签发', ''],
    ]);
  });
});

describe('the unit filter', () => {
  const instants: [Date | null, Date | null] = [null, null];
  test.each([
    ['made by one of its people', { actorUnit: '区人社局', documentId: 'other' }, true],
    ["the office's adoption of one of its items", { actorUnit: '区委办', documentId: 'its-item' }, true],
    ['an editor without a unit returning one of its items', { actorUnit: null, documentId: 'its-item' }, true],
    ['about the unit itself', { actorUnit: null, documentId: 'the-unit' }, true],
    ["another unit's item, by the office", { actorUnit: '区委办', documentId: 'other' }, false],
    ['a document-less entry by someone else', { actorUnit: null, documentId: null }, false],
  ] as const)('%s: %s', (_case, fields, kept) => {
    const filter: AuditFilter = {
      unit: '人社',
      unitDocumentIds: ['its-item', 'the-unit'],
      includeSecurity: false,
    };
    expect(matchesFilter(anEntry({ ...fields }), filter, instants)).toBe(kept);
  });
});

// ---- the filter as SQL agrees with the filter in memory -------------------------------------------------------------

const NAMES = ['郝婕', '李德昭', 'hrss', null];
const UNITS = ['区人社局', '区委办', '峡窝镇', null];
const ACTIONS = [
  'create',
  'update',
  'publish',
  'adopt',
  'return',
  'login',
  'login-failed',
  'token.create',
  'download',
  'role-update',
];
const TYPES = ['api::item.item', 'api::issue.issue', 'api::unit.unit'];
const DOCS = ['d1', 'd2', 'd3', null];
const DOC_NAMES = ['上街信息 2020年第14期', '上街信息 2020年第15期', null];

const entryArb = fc.record({
  at: fc.integer({ min: Date.UTC(2020, 1, 17), max: Date.UTC(2020, 1, 22) }).map((ms) => new Date(ms).toISOString()),
  action: fc.constantFrom(...ACTIONS),
  contentType: fc.constantFrom(...TYPES),
  documentId: fc.constantFrom(...DOCS),
  documentName: fc.constantFrom(...DOC_NAMES),
  actorId: fc.constantFrom('1', '2', null),
  actorName: fc.constantFrom(...NAMES),
  actorUnit: fc.constantFrom(...UNITS),
  category: fc.constantFrom('security', 'content', null),
});

const filterArb: fc.Arbitrary<AuditFilter> = fc.record(
  {
    actor: fc.constantFrom('郝', '李德昭', '1', 'hr', 'x'),
    unit: fc.constantFrom('区', '峡窝镇', '人社'),
    actions: fc.subarray(ACTIONS, { minLength: 1 }),
    contentType: fc.constantFrom(...TYPES),
    documentId: fc.constantFrom('d1', 'd2'),
    documentName: fc.constantFrom('第14期', '上街信息'),
    matchingIds: fc.subarray(['d1', 'd2', 'd3']),
    unitDocumentIds: fc.subarray(['d1', 'd2', 'd3']),
    from: fc.constantFrom('2020-02-18', '2020-02-19'),
    to: fc.constantFrom('2020-02-19', '2020-02-21'),
    includeSecurity: fc.boolean(),
    withinDocuments: fc.record({
      contentType: fc.constantFrom(...TYPES),
      documentIds: fc.subarray(['d1', 'd2', 'd3']),
    }),
  },
  { requiredKeys: ['includeSecurity'] },
);

describe.each(['postgres', 'sqlite'] as const)('filterSql on %s', (dialect) => {
  let db: Knex;
  let database: TestDatabase | null = null;

  beforeAll(async () => {
    if (dialect === 'postgres') {
      database = await createTestDatabase('bulletin_unit_audit_views');
      db = knexFactory({ client: 'pg', connection: database.url, pool: { min: 0, max: 2 } });
    } else {
      db = knexFactory({ client: 'better-sqlite3', connection: { filename: ':memory:' }, useNullAsDefault: true });
    }
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the migration is a CommonJS file Strapi runs as it is
    const migration = require(
      path.resolve(__dirname, '../../database/migrations/2026.12.02T00.00.00.bulletin-audit.js'),
    ) as { up: (knex: Knex) => Promise<void> };
    await migration.up(db);
    // The security events' category column, as the other half of the trail adds it.
    await db.schema.alterTable('bulletin_audit', (table) => table.string('category', 16));
  });
  afterAll(async () => {
    await db.destroy();
    await database?.drop();
  });

  test('selects exactly the entries matchesFilter keeps', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(entryArb, { minLength: 1, maxLength: 30 }), filterArb, async (entries, filter) => {
        // Append-only table: each run uses a fresh batch, told apart by its request id.
        const batch = `b${Math.random().toString(36).slice(2)}`;
        await db('bulletin_audit').insert(
          entries.map((entry) => ({
            at: entry.at,
            action: entry.action,
            content_type: entry.contentType,
            document_id: entry.documentId,
            document_name: entry.documentName,
            changes: '{}',
            actor_kind: 'admin',
            actor_id: entry.actorId,
            actor_name: entry.actorName,
            actor_unit: entry.actorUnit,
            request_id: batch,
            category: entry.category,
            prev_hash: '0',
            hash: '0',
          })),
        );
        const instants = filterInstants(filter, ZONE);
        const where = filterSql(filter, instants, { dialect, hasCategory: true });
        const rows = (await db('bulletin_audit')
          .where({ request_id: batch })
          .whereRaw(where.sql, where.bindings as never)
          .select('id')
          .orderBy('id')) as { id: string | number }[];
        const inserted = (await db('bulletin_audit').where({ request_id: batch }).select('id').orderBy('id')) as {
          id: string | number;
        }[];
        const expected = inserted
          .filter((_row, index) => matchesFilter(entries[index], filter, instants))
          .map((row) => String(row.id));
        expect(rows.map((row) => String(row.id))).toEqual(expected);
      }),
      { numRuns: 150 },
    );
  });
});

describe('labels the trail shows', () => {
  const schema = (folder: string) =>
    Object.keys(
      (
        JSON.parse(
          fs.readFileSync(
            path.join(__dirname, '..', '..', 'src', 'api', folder, 'content-types', folder, 'schema.json'),
            'utf8',
          ),
        ) as { attributes: Record<string, unknown> }
      ).attributes,
    );
  test.each(['issue', 'item', 'unit', 'recipient-group'])('every field of %s has a Chinese label', (folder) => {
    const unlabelled = schema(folder).filter((field) => fieldLabel(field) === field);
    expect(unlabelled).toEqual([]);
  });
  test.each([
    [{ actorKind: 'admin' as const, actorName: '郝婕' }, '郝婕'],
    [{ actorKind: 'account' as const, actorName: 'hrss01' }, 'hrss01'],
    [{ actorKind: 'api-token' as const, actorName: '门户网站' }, '门户网站'],
    [{ actorKind: 'script' as const, actorName: 'import.js' }, '系统'],
    [{ actorKind: 'script' as const, actorName: null }, '系统'],
  ])('a timeline names %j as %s', (entry, shown) => {
    expect(timelineActor(entry)).toBe(shown);
  });
});
