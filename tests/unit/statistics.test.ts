import {
  DEFAULT_SCORING,
  breakdownCsv,
  buildStatistics,
  formatPoints,
  inPeriod,
  parseScoringTable,
  pointsFor,
  rateLabel,
  resolvePeriod,
  scoreFor,
  scoringViolations,
  statisticsCsv,
  type AdoptionFact,
  type CountRow,
  type PeriodQuery,
  type ScoringTable,
  type StatisticsRow,
} from '../../src/domain/statistics';
import { aFact } from '../support/adoption-facts';

const paths = (violations: { path: string[] }[]): string[] => violations.map((violation) => violation.path.join('.'));
const CHINESE = /[\u4e00-\u9fff]/u;

// Fixture builders ----------------------------------------------------------------------------------------------

const aCount = (overrides: Partial<CountRow> = {}): CountRow => ({
  unitId: 1,
  unitName: '区人社局',
  sortOrder: 1,
  submitted: 0,
  returned: 0,
  withdrawn: 0,
  ...overrides,
});

/** One fact per credited unit of a combined item, as the adapter hands them in. */
const combined = (itemId: number, unitIds: number[], overrides: Partial<AdoptionFact> = {}): AdoptionFact[] =>
  unitIds.map((unitId) => aFact({ unitId, itemId, adoptionKind: 'combined', unitCount: unitIds.length, ...overrides }));

/** '12.25' → 1225: decimal text to hundredths without floating point. */
const labelToHundredths = (label: string): number => {
  const [whole, decimals = ''] = label.split('.');
  return Number(whole) * 100 + Number(decimals.padEnd(2, '0'));
};

// Periods -------------------------------------------------------------------------------------------------------

describe('resolvePeriod: one form, both ends included, Chinese label', () => {
  test.each([
    [{ month: '2020-02' }, '2020-02-01', '2020-02-29', '2020年2月'],
    [{ month: '2021-02' }, '2021-02-01', '2021-02-28', '2021年2月'],
    [{ month: '2000-02' }, '2000-02-01', '2000-02-29', '2000年2月'],
    [{ month: '2100-02' }, '2100-02-01', '2100-02-28', '2100年2月'],
    [{ month: '2020-04' }, '2020-04-01', '2020-04-30', '2020年4月'],
    [{ month: '2020-12' }, '2020-12-01', '2020-12-31', '2020年12月'],
    [{ month: ' 2020-01 ' }, '2020-01-01', '2020-01-31', '2020年1月'],
    [{ quarter: '2020-Q1' }, '2020-01-01', '2020-03-31', '2020年第一季度'],
    [{ quarter: '2020-Q2' }, '2020-04-01', '2020-06-30', '2020年第二季度'],
    [{ quarter: '2020q3' }, '2020-07-01', '2020-09-30', '2020年第三季度'],
    [{ quarter: '2020-Q4' }, '2020-10-01', '2020-12-31', '2020年第四季度'],
    [{ year: 2020 }, '2020-01-01', '2020-12-31', '2020年'],
    [{ year: '2021' }, '2021-01-01', '2021-12-31', '2021年'],
    [{ from: '2020-01-01', to: '2020-03-31' }, '2020-01-01', '2020-03-31', '2020年1月1日至2020年3月31日'],
    [{ from: '2020-02-19', to: '2020-02-19' }, '2020-02-19', '2020-02-19', '2020年2月19日'],
    [{ from: '2019-12-25', to: '2020-01-05' }, '2019-12-25', '2020-01-05', '2019年12月25日至2020年1月5日'],
    [{ month: '2020-02', year: '', quarter: null }, '2020-02-01', '2020-02-29', '2020年2月'],
  ] as [PeriodQuery, string, string, string][])('%p → %s to %s, %s', (query, from, to, label) => {
    expect(resolvePeriod(query)).toEqual({ period: { from, to }, label });
  });

  test.each([
    ['nothing given', {}, ['period']],
    ['only blanks', { month: '', year: ' ' }, ['period']],
    ['month 13', { month: '2020-13' }, ['month']],
    ['month 00', { month: '2020-00' }, ['month']],
    ['month without zero padding', { month: '2020-2' }, ['month']],
    ['month as a number', { month: 202002 }, ['month']],
    ['month given twice (?month=…&month=…)', { month: ['2020-01', '2020-02'] }, ['month']],
    ['month before 1949', { month: '1900-01' }, ['month']],
    ['quarter 5', { quarter: '2020-Q5' }, ['quarter']],
    ['quarter without Q', { quarter: '2020-1' }, ['quarter']],
    ['two-digit year', { year: '20' }, ['year']],
    ['fractional year', { year: 2020.5 }, ['year']],
    ['year out of range', { year: 1800 }, ['year']],
    ['year as words', { year: '二〇二〇' }, ['year']],
    ['impossible from', { from: '2020-02-30', to: '2020-03-01' }, ['from']],
    ['impossible to', { from: '2021-02-01', to: '2021-02-29' }, ['to']],
    ['both impossible', { from: '2020-2-1', to: 'tomorrow' }, ['from', 'to']],
    ['from without to', { from: '2020-01-01' }, ['to']],
    ['to without from', { to: '2020-01-01' }, ['from']],
    ['from after to', { from: '2020-03-01', to: '2020-02-01' }, ['to']],
    ['month and year mixed', { month: '2020-02', year: 2020 }, ['month', 'year']],
    [
      'range and quarter mixed',
      { from: '2020-01-01', to: '2020-01-31', quarter: '2020-Q1' },
      ['from', 'to', 'quarter'],
    ],
    ['half a range and a month', { from: '2020-01-01', month: '2020-01' }, ['from', 'month']],
  ] as [string, PeriodQuery, string[]][])('%s → violations at %p', (_case, query, expected) => {
    const result = resolvePeriod(query);
    expect('violations' in result).toBe(true);
    const violations = 'violations' in result ? result.violations : [];
    expect(paths(violations)).toEqual(expected);
    for (const violation of violations) expect(violation.message).toMatch(CHINESE);
  });

  test.each([
    ['2020-02-01', true],
    ['2020-02-29', true],
    ['2020-01-31', false],
    ['2020-03-01', false],
  ])('inPeriod(%s, February 2020) is %p', (date, expected) => {
    expect(inPeriod(date, { from: '2020-02-01', to: '2020-02-29' })).toBe(expected);
  });
});

// Scoring -------------------------------------------------------------------------------------------------------

const SPECIFIC: ScoringTable = {
  rules: [
    { publication: '*', edition: '*', single: 10, combined: 5, combinedPer: 'unit' },
    { publication: '*', edition: 'supplement', single: 15, combined: 8, combinedPer: 'unit' },
    { publication: '上街信息', edition: '*', single: 12, combined: 6, combinedPer: 'unit' },
    { publication: '上街信息', edition: 'special', single: 20, combined: 10, combinedPer: 'item' },
    { publication: '督查专报', edition: 'regular', single: 9.5, combined: 3.33, combinedPer: 'unit' },
  ],
};

describe('pointsFor: the most specific rule wins', () => {
  test.each([
    ['上街信息', 'special', 'single', 1, 20, 'publication + edition'],
    ['上街信息', 'special', 'combined', 3, 3.33, 'publication + edition, 10 among 3 rounded down'],
    ['上街信息', 'special', 'combined', 4, 2.5, 'publication + edition, 10 among 4'],
    ['上街信息', 'special', 'combined', 7, 1.42, 'publication + edition, 10 among 7 rounded down'],
    ['上街信息', 'supplement', 'single', 1, 12, 'publication + * beats * + edition'],
    ['上街信息', 'regular', 'combined', 2, 6, 'publication + *'],
    ['督查专报', 'supplement', 'single', 1, 15, '* + edition'],
    ['督查专报', 'supplement', 'combined', 5, 8, '* + edition, per unit whatever the count'],
    ['督查专报', 'regular', 'single', 1, 9.5, 'publication + edition, fractional'],
    ['督查专报', 'regular', 'combined', 3, 3.33, 'publication + edition, fractional per unit'],
    ['督查专报', 'special', 'single', 1, 10, '* + *'],
    ['其他简报', 'regular', 'combined', 2, 5, '* + *'],
  ] as [string, string, 'single' | 'combined', number, number, string][])(
    '%s %s %s ×%i → %p (%s)',
    (publication, edition, kind, unitCount, expected) => {
      expect(pointsFor(SPECIFIC, publication, edition, kind, unitCount)).toBe(expected);
      const reversed: ScoringTable = { rules: [...SPECIFIC.rules].reverse() };
      expect(pointsFor(reversed, publication, edition, kind, unitCount)).toBe(expected);
    },
  );

  test.each([
    ['single', 1, 1000, '单条采用，10分'],
    ['combined', 3, 500, '综合采用（3个单位），每单位5分'],
  ] as ['single' | 'combined', number, number, string][])(
    'DEFAULT_SCORING, regular %s: %i hundredths, "%s"',
    (kind, units, hundredths, basis) => {
      expect(scoreFor(DEFAULT_SCORING, '上街信息', 'regular', kind, units)).toMatchObject({ hundredths, basis });
    },
  );

  test('an equal share says how it was split', () => {
    expect(scoreFor(SPECIFIC, '上街信息', 'special', 'combined', 3).basis).toBe(
      '综合采用（3个单位），10分由3个单位均分，每单位3.33分',
    );
  });

  test('no matching rule scores 0 and says so', () => {
    const table: ScoringTable = {
      rules: [{ publication: '督查专报', edition: '*', single: 10, combined: 5, combinedPer: 'unit' }],
    };
    expect(scoreFor(table, '上街信息', 'regular', 'single', 1)).toEqual({
      hundredths: 0,
      basis: '无适用计分规则，0分',
      rule: null,
    });
  });

  test.each([
    [0, '0'],
    [5, '0.05'],
    [50, '0.5'],
    [333, '3.33'],
    [1000, '10'],
    [1250, '12.5'],
    [123456, '1234.56'],
  ])('formatPoints(%i) = %s', (hundredths, label) => {
    expect(formatPoints(hundredths)).toBe(label);
  });
});

describe('scoringViolations: a table from settings', () => {
  const rule = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
    publication: '*',
    edition: '*',
    single: 10,
    combined: 5,
    combinedPer: 'unit',
    ...overrides,
  });

  test.each([
    ['the default table', DEFAULT_SCORING, []],
    ['the specific table', SPECIFIC, []],
    ['values that are not exact in binary', { rules: [rule({ single: 0.29, combined: 0.07 })] }, []],
    ['zero points', { rules: [rule({ single: 0, combined: 0, combinedPer: 'item' })] }, []],
    ['null', null, ['rules']],
    ['a bare list', [rule()], ['rules']],
    ['rules not a list', { rules: 'all 10' }, ['rules']],
    ['no rules: no catch-all', { rules: [] }, ['rules']],
    ['no catch-all', { rules: [rule({ edition: 'regular' })] }, ['rules']],
    ['a rule that is not an object', { rules: [rule(), 10] }, ['rules.1']],
    ['negative single', { rules: [rule({ single: -1 })] }, ['rules.0.single']],
    ['three decimals', { rules: [rule({ single: 3.333 })] }, ['rules.0.single']],
    ['points as text', { rules: [rule({ single: '10' })] }, ['rules.0.single']],
    ['points infinite', { rules: [rule({ combined: Infinity })] }, ['rules.0.combined']],
    ['points too large', { rules: [rule({ combined: 10001 })] }, ['rules.0.combined']],
    ['points missing', { rules: [rule({ combined: undefined })] }, ['rules.0.combined']],
    ['unknown edition', { rules: [rule(), rule({ edition: 'daily' })] }, ['rules.1.edition']],
    ['blank publication', { rules: [rule(), rule({ publication: ' ' })] }, ['rules.1.publication']],
    ['combinedPer missing', { rules: [rule({ combinedPer: undefined })] }, ['rules.0.combinedPer']],
    ['combinedPer wrong', { rules: [rule({ combinedPer: 'share' })] }, ['rules.0.combinedPer']],
    ['a misspelt field', { rules: [rule({ combinedShare: 0.5 })] }, ['rules.0.combinedShare']],
    [
      'two rules for the same scope',
      { rules: [rule(), rule({ publication: '上街信息' }), rule({ publication: ' 上街信息 ' })] },
      ['rules.2'],
    ],
    [
      'every problem at once',
      { rules: [rule({ edition: 'regular', single: -1, combinedPer: 'x' })] },
      ['rules.0.single', 'rules.0.combinedPer', 'rules'],
    ],
  ] as [string, unknown, string[]][])('%s → %p', (_case, table, expected) => {
    const violations = scoringViolations(table);
    expect(paths(violations)).toEqual(expected);
    for (const violation of violations) expect(violation.message).toMatch(CHINESE);
  });

  test('parseScoringTable types a valid table (publication trimmed) and refuses an invalid one', () => {
    expect(parseScoringTable({ rules: [rule(), rule({ publication: ' 上街信息 ', single: 12 })] })).toEqual({
      table: { rules: [rule(), rule({ publication: '上街信息', single: 12 })] },
    });
    expect(parseScoringTable({ rules: [] })).toEqual({ violations: [expect.objectContaining({ path: ['rules'] })] });
  });
});

describe('rateLabel: adopted / submitted, half up to 0.1%, not capped', () => {
  test.each([
    [5, 11, '45.5%'],
    [1, 3, '33.3%'],
    [2, 3, '66.7%'],
    [1, 6, '16.7%'],
    [1, 8, '12.5%'],
    [1, 16, '6.3%'],
    [1, 2000, '0.1%'],
    [1, 2001, '0.0%'],
    [0, 3, '0.0%'],
    [3, 3, '100.0%'],
    [3, 2, '150.0%'],
    [0, 0, '—'],
    [2, 0, '—'],
  ])('%i / %i → %s', (adopted, submitted, label) => {
    expect(rateLabel(adopted, submitted)).toBe(label);
  });
});

// The table -----------------------------------------------------------------------------------------------------

/**
 * February 2020 under DEFAULT_SCORING (regular 10 / 5 per unit, supplement 15 / 8 per unit), checked by hand:
 *   区人社局   item 1 single, regular 10 + item 2 combined (3 units) 5     = 15, 2 adopted, 4 submitted → 50.0%
 *   峡窝镇     item 2 combined 5 + item 3 single, supplement 15          = 20, 2 adopted, 1 submitted → 200.0%
 *   通航试验区 item 2 combined 5 + item 4 single, regular 10              = 15, 2 adopted, 0 submitted → —
 *   区教育局   nothing adopted, 3 submitted (2 returned, 1 withdrawn)     =  0 → 0.0%
 *   区卫健委   nothing at all                                             =  0 → —
 * Ranks 1, 2, 2, 4, 4: 区人社局 before 通航试验区 (same points and adoptions, smaller sort order); 区教育局 before
 * 区卫健委 likewise.
 */
const COUNTS: CountRow[] = [
  aCount({ unitId: 5, unitName: '区卫健委', sortOrder: 5 }),
  aCount({ unitId: 1, unitName: '区人社局', sortOrder: 1, submitted: 4, returned: 1 }),
  aCount({ unitId: 2, unitName: '峡窝镇', sortOrder: 2, submitted: 1 }),
  aCount({ unitId: 3, unitName: '通航试验区管委会', sortOrder: 3 }),
  aCount({ unitId: 4, unitName: '区教育局', sortOrder: 4, submitted: 3, returned: 2, withdrawn: 1 }),
];
const FACTS: AdoptionFact[] = [
  aFact({ unitId: 1, itemId: 1 }),
  ...combined(2, [1, 2, 3], { itemHeadline: '我区多措并举保障复工复产' }),
  aFact({
    unitId: 2,
    itemId: 3,
    issueId: 15,
    issueLabel: '上街信息 2020年增刊第2期',
    issueDate: '2020-02-21',
    edition: 'supplement',
  }),
  aFact({ unitId: 3, itemId: 4, issueId: 16, issueLabel: '上街信息 2020年第16期', issueDate: '2020-02-26' }),
];

const summary = (rows: StatisticsRow[]): unknown[][] =>
  rows.map((row) => [
    row.rank,
    row.unitName,
    row.submitted,
    row.adopted,
    row.returned,
    row.withdrawn,
    row.rateLabel,
    row.pointsLabel,
  ]);

describe('buildStatistics', () => {
  test('a month, checked by hand: every unit listed, ranks shared, rate not capped', () => {
    const rows = buildStatistics(COUNTS, FACTS, DEFAULT_SCORING);
    expect(summary(rows)).toEqual([
      [1, '峡窝镇', 1, 2, 0, 0, '200.0%', '20'],
      [2, '区人社局', 4, 2, 1, 0, '50.0%', '15'],
      [2, '通航试验区管委会', 0, 2, 0, 0, '—', '15'],
      [4, '区教育局', 3, 0, 2, 1, '0.0%', '0'],
      [4, '区卫健委', 0, 0, 0, 0, '—', '0'],
    ]);
    expect(rows.map((row) => row.rate)).toEqual([2, 0.5, null, 0, null]);
    expect(rows.map((row) => row.points)).toEqual([20, 15, 15, 0, 0]);
  });

  test('the breakdown shows which items, which issue and how many points each', () => {
    const row = buildStatistics(COUNTS, FACTS, DEFAULT_SCORING).find((candidate) => candidate.unitId === 2);
    expect(row?.breakdown).toEqual([
      {
        itemId: 2,
        headline: '我区多措并举保障复工复产',
        issueId: 14,
        issueLabel: '上街信息 2020年第14期',
        issueDate: '2020-02-19',
        adoptionKind: 'combined',
        unitCount: 3,
        points: 5,
        pointsHundredths: 500,
        pointsLabel: '5',
        basis: '综合采用（3个单位），每单位5分',
      },
      {
        itemId: 3,
        headline: '我区召开新冠肺炎疫情防控领导小组会议',
        issueId: 15,
        issueLabel: '上街信息 2020年增刊第2期',
        issueDate: '2020-02-21',
        adoptionKind: 'single',
        unitCount: 1,
        points: 15,
        pointsHundredths: 1500,
        pointsLabel: '15',
        basis: '单条采用，15分',
      },
    ]);
  });

  test.each([
    ['per unit: each of the 3 gets the full 5', 'unit', 5, [500, 500, 500]],
    ['per item: 10 shared by 3, each 3.33 (0.01 credited to nobody)', 'item', 10, [333, 333, 333]],
    ['per item: 0.05 shared by 3, each 0.01', 'item', 0.05, [1, 1, 1]],
  ] as [string, 'unit' | 'item', number, number[]][])(
    'a combined adoption credits every unit: %s',
    (_case, combinedPer, points, expected) => {
      const table: ScoringTable = {
        rules: [{ publication: '*', edition: '*', single: 10, combined: points, combinedPer }],
      };
      const rows = buildStatistics([], combined(7, [11, 12, 13], { unitName: '某单位' }), table);
      expect(rows.map((row) => row.adopted)).toEqual([1, 1, 1]);
      expect(rows.map((row) => row.pointsHundredths)).toEqual(expected);
      expect(rows.map((row) => row.rank)).toEqual([1, 1, 1]);
    },
  );

  test.each([
    [
      [30, 30, 10],
      [1, 1, 3],
    ],
    [
      [20, 10, 10, 0],
      [1, 2, 2, 4],
    ],
    [
      [10, 0, 0],
      [1, 2, 2],
    ],
    [
      [0, 0, 0],
      [1, 1, 1],
    ],
    [
      [10, 20, 30, 20],
      [4, 2, 1, 2],
    ],
    [
      [50, 40, 40, 40, 10, 0],
      [1, 2, 2, 2, 5, 6],
    ],
  ])('points %p → competition ranks %p (ties share, nobody left out)', (points, ranks) => {
    const counts = points.map((_points, index) =>
      aCount({ unitId: index + 1, unitName: `单位${index + 1}`, sortOrder: index + 1 }),
    );
    const facts = points.flatMap((unitPoints, index) =>
      Array.from({ length: unitPoints / 10 }, (_unused, n) =>
        aFact({ unitId: index + 1, itemId: (index + 1) * 100 + n }),
      ),
    );
    const rows = buildStatistics(counts, facts, DEFAULT_SCORING);
    expect(rows).toHaveLength(points.length);
    const rankOf = new Map(rows.map((row) => [row.unitId, row.rank]));
    expect(points.map((_points, index) => rankOf.get(index + 1))).toEqual(ranks);
    expect(rows.map((row) => row.rank)).toEqual([...ranks].sort((a, b) => a - b));
  });

  test('equal points: more adoptions first, then sort order, then name in pinyin order; the rank stays shared', () => {
    const counts = [
      aCount({ unitId: 1, unitName: '峡窝镇', sortOrder: 9 }),
      aCount({ unitId: 2, unitName: '区人社局', sortOrder: 9 }),
      aCount({ unitId: 3, unitName: '通航试验区管委会', sortOrder: 1 }),
      aCount({ unitId: 4, unitName: '上街街道', sortOrder: 50 }),
    ];
    const facts = [
      // 上街街道: three combined adoptions, 5 each = 15; the others one supplement single = 15.
      ...combined(1, [4, 90]),
      ...combined(2, [4, 91]),
      ...combined(3, [4, 92]),
      ...[1, 2, 3].map((unitId) => aFact({ unitId, itemId: 10 + unitId, edition: 'supplement' })),
    ];
    const rows = buildStatistics(counts, facts, DEFAULT_SCORING).filter((row) => row.unitId < 90);
    expect(rows.map((row) => [row.unitName, row.rank, row.pointsLabel])).toEqual([
      ['上街街道', 1, '15'],
      ['通航试验区管委会', 1, '15'],
      ['区人社局', 1, '15'],
      ['峡窝镇', 1, '15'],
    ]);
  });

  test('a credited unit missing from the counts is still listed; a repeated fact is credited once; repeated counts add up', () => {
    const counts = [aCount({ unitId: 1, submitted: 2 }), aCount({ unitId: 1, submitted: 1, returned: 1 })];
    const facts = [aFact({ unitId: 1 }), aFact({ unitId: 1 }), aFact({ unitId: 8, unitName: '已停用单位', itemId: 2 })];
    expect(summary(buildStatistics(counts, facts, DEFAULT_SCORING))).toEqual([
      [1, '区人社局', 3, 1, 1, 0, '33.3%', '10'],
      [1, '已停用单位', 0, 1, 0, 0, '—', '10'],
    ]);
  });

  test('nothing at all: an empty table', () => {
    expect(buildStatistics([], [], DEFAULT_SCORING)).toEqual([]);
  });
});

describe('buildStatistics: the breakdown adds up exactly to every row', () => {
  /** mulberry32: a small seeded generator, so the data set is the same on every run. */
  const generator = (seed: number): (() => number) => {
    let state = seed >>> 0;
    return (): number => {
      state = (state + 0x6d2b79f5) >>> 0;
      let t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  };

  const FRACTIONAL: ScoringTable = {
    rules: [
      { publication: '*', edition: '*', single: 7.5, combined: 10, combinedPer: 'item' },
      { publication: '*', edition: 'special', single: 0.1, combined: 0.2, combinedPer: 'unit' },
      { publication: '上街信息', edition: 'supplement', single: 12.25, combined: 3.33, combinedPer: 'unit' },
      { publication: '督查专报', edition: '*', single: 9.99, combined: 4.01, combinedPer: 'item' },
    ],
  };

  test.each([1, 2, 3, 20200219])('seed %i: a few hundred facts', (seed) => {
    const random = generator(seed);
    const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)];
    const unitIds = Array.from({ length: 25 }, (_unused, index) => index + 1);
    const counts = unitIds.slice(0, 22).map((unitId) =>
      aCount({
        unitId,
        unitName: `单位${unitId}`,
        sortOrder: Math.floor(random() * 5),
        submitted: Math.floor(random() * 30),
      }),
    );
    const facts: AdoptionFact[] = [];
    for (let itemId = 1; facts.length < 300; itemId += 1) {
      const kind = random() < 0.4 ? 'combined' : 'single';
      const credited =
        kind === 'single'
          ? [pick(unitIds)]
          : [...new Set(Array.from({ length: 2 + Math.floor(random() * 5) }, () => pick(unitIds)))];
      const issueId = 1 + Math.floor(random() * 40);
      const base = {
        itemId,
        issueId,
        issueLabel: `第${issueId}期`,
        issueDate: `2020-0${1 + Math.floor(random() * 3)}-1${Math.floor(random() * 10)}`,
        publication: pick(['上街信息', '督查专报', '其他']),
        edition: pick(['regular', 'supplement', 'special']),
        adoptionKind: kind,
        unitCount: credited.length,
      } as const;
      for (const unitId of credited) facts.push(aFact({ ...base, unitId, unitName: `单位${unitId}` }));
      if (random() < 0.05) facts.push(aFact({ ...base, unitId: credited[0], unitName: `单位${credited[0]}` }));
    }

    const rows = buildStatistics(counts, facts, FRACTIONAL);
    const unique = new Map(facts.map((fact) => [`${fact.unitId}:${fact.itemId}`, fact]));
    const expectedTotal = [...unique.values()].reduce(
      (sum, fact) =>
        sum + scoreFor(FRACTIONAL, fact.publication, fact.edition, fact.adoptionKind, fact.unitCount).hundredths,
      0,
    );

    expect(rows.length).toBeGreaterThanOrEqual(22);
    expect(rows.reduce((sum, row) => sum + row.pointsHundredths, 0)).toBe(expectedTotal);
    expect(rows.reduce((sum, row) => sum + row.adopted, 0)).toBe(unique.size);
    for (const row of rows) {
      expect(Number.isInteger(row.pointsHundredths)).toBe(true);
      expect(row.breakdown.reduce((sum, line) => sum + line.pointsHundredths, 0)).toBe(row.pointsHundredths);
      // The printed figures add up too, as decimals: no float between the labels.
      expect(row.breakdown.reduce((sum, line) => sum + labelToHundredths(line.pointsLabel), 0)).toBe(
        labelToHundredths(row.pointsLabel),
      );
      expect(Math.round(row.points * 100)).toBe(row.pointsHundredths);
      expect(row.adopted).toBe(row.breakdown.length);
      expect(row.rank).toBe(1 + rows.filter((other) => other.pointsHundredths > row.pointsHundredths).length);
    }
    expect(rows.map((row) => row.rank)).toEqual([...rows.map((row) => row.rank)].sort((a, b) => a - b));
  });
});

// CSV -----------------------------------------------------------------------------------------------------------

/** A strict RFC 4180 reader, to check the writer round-trips. */
const parseCsv = (text: string): string[][] => {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index];
    if (quoted) {
      if (char === '"' && text[index + 1] === '"') {
        field += '"';
        index += 1;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      record.push(field);
      field = '';
    } else if (char === '\r' && text[index + 1] === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      index += 1;
    } else field += char;
  }
  return records;
};

describe('statisticsCsv: Excel opens it with Chinese intact', () => {
  const rows = buildStatistics(
    [
      ...COUNTS,
      aCount({ unitId: 6, unitName: '区发改委,"经信局"', sortOrder: 6, submitted: 2 }),
      aCount({ unitId: 7, unitName: '=HYPERLINK("x")', sortOrder: 7 }),
      aCount({ unitId: 8, unitName: '第一行\n第二行', sortOrder: 8 }),
    ],
    FACTS,
    DEFAULT_SCORING,
  );
  const text = statisticsCsv(rows, { title: '上街信息采用统计', periodLabel: '2020年2月' });

  test('a UTF-8 byte order mark, CRLF line ends only, a final CRLF', () => {
    expect(text.startsWith('\uFEFF')).toBe(true);
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text.replace(/\r\n/gu, '')).not.toMatch(/\r(?!\n)/u);
    expect(Buffer.from(text, 'utf8').subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
  });

  test.each([
    [0, '上街信息采用统计（2020年2月）,,,,,,,'],
    [1, '名次,单位,报送,采用,退回,撤回,采用率,得分'],
    [2, '1,峡窝镇,1,2,0,0,200.0%,20'],
    [3, '2,区人社局,4,2,1,0,50.0%,15'],
    [5, '4,区教育局,3,0,2,1,0.0%,0'],
    [6, '4,区卫健委,0,0,0,0,—,0'],
    [7, '4,"区发改委,""经信局""",2,0,0,0,0.0%,0'],
    [8, `4,"'=HYPERLINK(""x"")",0,0,0,0,—,0`],
    [9, '4,"第一行\n第二行",0,0,0,0,—,0'],
  ])('line %i is %s', (index, line) => {
    expect(text.slice(1).split('\r\n')[index]).toBe(line);
  });

  test('every record has eight fields and round-trips through an RFC 4180 reader', () => {
    const records = parseCsv(text.slice(1));
    expect(records.every((record) => record.length === 8)).toBe(true);
    expect(records.slice(2).map((record) => record[1])).toEqual([
      '峡窝镇',
      '区人社局',
      '通航试验区管委会',
      '区教育局',
      '区卫健委',
      '区发改委,"经信局"',
      '\'=HYPERLINK("x")',
      '第一行\n第二行',
    ]);
  });

  test('the breakdown as CSV: one line per item and unit, with how its points were reached', () => {
    const records = parseCsv(breakdownCsv(rows, { title: '上街信息采用得分明细', periodLabel: '2020年2月' }).slice(1));
    expect(records[1]).toEqual(['单位', '期', '签发日期', '信息标题', '采用方式', '署名单位数', '计分依据', '得分']);
    expect(records.slice(2, 4)).toEqual([
      [
        '峡窝镇',
        '上街信息 2020年第14期',
        '2020-02-19',
        '我区多措并举保障复工复产',
        '综合采用',
        '3',
        '综合采用（3个单位），每单位5分',
        '5',
      ],
      [
        '峡窝镇',
        '上街信息 2020年增刊第2期',
        '2020-02-21',
        '我区召开新冠肺炎疫情防控领导小组会议',
        '单条采用',
        '1',
        '单条采用，15分',
        '15',
      ],
    ]);
    expect(records).toHaveLength(2 + 6);
  });
});
