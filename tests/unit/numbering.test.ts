import {
  counterScope,
  nextAfter,
  planNewIssue,
  planUpdate,
  type IssueNumbers,
  type NumberingContext,
} from '../../src/domain/numbering';

const context: NumberingContext = {
  today: '2021-03-04',
  defaultPublication: '上街信息',
  printsTotalNumber: (publication) => publication === '督查专报',
};

const anIssue = (overrides: Partial<IssueNumbers> = {}): IssueNumbers => ({
  publication: '上街信息',
  edition: 'regular',
  date: '2020-02-19',
  year: 2020,
  number: 14,
  totalNumber: null,
  columnTitle: '坚决打赢疫情防控阻击战',
  columnInstallment: 7,
  ...overrides,
});

describe('a new issue', () => {
  test.each([
    [
      'nothing given: dated today, next number, no total, no column',
      {},
      { publication: '上街信息', edition: 'regular', date: '2021-03-04', year: 2021, columnTitle: null },
      { kind: 'next' },
      { kind: 'keep', value: null },
      { kind: 'keep', value: null },
    ],
    [
      'a date decides the year',
      { date: '2020-12-31' },
      { date: '2020-12-31', year: 2020 },
      { kind: 'next' },
      { kind: 'keep', value: null },
      { kind: 'keep', value: null },
    ],
    [
      'an explicit number is checked, not replaced',
      { number: 14, date: '2020-02-19' },
      { year: 2020 },
      { kind: 'explicit', value: 14 },
      { kind: 'keep', value: null },
      { kind: 'keep', value: null },
    ],
    [
      'a publication that prints totals gets the next total',
      { publication: '督查专报' },
      { publication: '督查专报' },
      { kind: 'next' },
      { kind: 'next' },
      { kind: 'keep', value: null },
    ],
    [
      'a given total is kept even where none is printed',
      { totalNumber: 300 },
      {},
      { kind: 'next' },
      { kind: 'explicit', value: 300 },
      { kind: 'keep', value: null },
    ],
    [
      'a column gets its next installment',
      { columnTitle: ' 专栏 ' },
      { columnTitle: '专栏' },
      { kind: 'next' },
      { kind: 'keep', value: null },
      { kind: 'next' },
    ],
    [
      'a given installment is explicit',
      { columnTitle: '专栏', columnInstallment: 7 },
      {},
      { kind: 'next' },
      { kind: 'keep', value: null },
      { kind: 'explicit', value: 7 },
    ],
    [
      'an installment without a column is dropped',
      { columnInstallment: 7 },
      { columnTitle: null },
      { kind: 'next' },
      { kind: 'keep', value: null },
      { kind: 'keep', value: null },
    ],
    [
      'a supplement counts on its own scope',
      { edition: 'supplement' },
      { edition: 'supplement' },
      { kind: 'next' },
      { kind: 'keep', value: null },
      { kind: 'keep', value: null },
    ],
  ])('%s', (_case, input, target, number, totalNumber, columnInstallment) => {
    const { plan, violations } = planNewIssue(input, context, false);
    expect(violations).toEqual([]);
    expect(plan.target).toMatchObject(target);
    expect(plan.number).toEqual(number);
    expect(plan.totalNumber).toEqual(totalNumber);
    expect(plan.columnInstallment).toEqual(columnInstallment);
  });

  test('a duplicate (clone) never keeps the original numbers and is dated today', () => {
    const { plan, violations } = planNewIssue(
      {
        publication: '督查专报',
        columnTitle: '专栏',
        number: 14,
        totalNumber: 300,
        columnInstallment: 7,
        date: '2020-02-19',
      },
      context,
      true,
    );
    expect(violations).toEqual([]);
    expect(plan.target).toMatchObject({ date: '2021-03-04', year: 2021 });
    expect([plan.number, plan.totalNumber, plan.columnInstallment]).toEqual([
      { kind: 'next' },
      { kind: 'next' },
      { kind: 'next' },
    ]);
  });

  test.each([
    [{ year: 2020 }, ['year']], // today is 2021
    [{ year: 2020, date: '2021-01-01' }, ['year']],
    [{ edition: 'weekly' }, ['edition']],
  ])('%p is refused naming %p', (input, fields) => {
    expect(planNewIssue(input, context, false).violations.map((violation) => violation.path.join('.'))).toEqual(fields);
  });
});

describe('an update before the first sign-off', () => {
  test.each([
    ['another field: nothing moves', {}, {}, { kind: 'keep', value: 14 }, { kind: 'keep', value: 7 }],
    [
      'the same number sent back (the admin sends the whole form): kept',
      { number: 14, year: 2020 },
      {},
      { kind: 'keep', value: 14 },
      { kind: 'keep', value: 7 },
    ],
    [
      'a date in the same year: kept',
      { date: '2020-03-01' },
      {},
      { kind: 'keep', value: 14 },
      { kind: 'keep', value: 7 },
    ],
    ['a date in another year: renumbered', { date: '2021-01-02' }, {}, { kind: 'next' }, { kind: 'keep', value: 7 }],
    ['another edition: renumbered', { edition: 'special' }, {}, { kind: 'next' }, { kind: 'keep', value: 7 }],
    [
      'another publication: renumbered, and the column recounted',
      { publication: '督查专报' },
      {},
      { kind: 'next' },
      { kind: 'next' },
    ],
    [
      'another column: the installment recounted',
      { columnTitle: '新专栏' },
      {},
      { kind: 'keep', value: 14 },
      { kind: 'next' },
    ],
    [
      'column removed: no installment',
      { columnTitle: null },
      {},
      { kind: 'keep', value: 14 },
      { kind: 'keep', value: null },
    ],
    [
      'a moved issue with an explicit number keeps it (checked)',
      { date: '2021-01-02', number: 3 },
      {},
      { kind: 'explicit', value: 3 },
      { kind: 'keep', value: 7 },
    ],
    [
      'a changed number is explicit (checked)',
      { number: 15 },
      {},
      { kind: 'explicit', value: 15 },
      { kind: 'keep', value: 7 },
    ],
    ['a cleared number takes the next', { number: null }, {}, { kind: 'next' }, { kind: 'keep', value: 7 }],
  ])('%s', (_case, input, _unused, number, installment) => {
    const { plan, violations } = planUpdate(anIssue(), false, input, context);
    expect(violations).toEqual([]);
    expect(plan.number).toEqual(number);
    expect(plan.columnInstallment).toEqual(installment);
  });
});

describe('an update after the first sign-off (even if unpublished since)', () => {
  test.each<[Record<string, unknown>, string[]]>([
    [{ printRun: 80 }, []],
    [{ number: 14, year: 2020, date: '2020-02-20' }, []],
    [{ date: '2021-01-02' }, ['date']],
    [{ edition: 'supplement' }, ['edition']],
    [{ publication: '督查专报' }, ['publication']],
    [{ number: 15 }, ['number']],
    [{ number: null }, ['number']],
    [{ totalNumber: 9 }, ['totalNumber']],
    [{ columnInstallment: 8 }, ['columnInstallment']],
    [{ columnTitle: '别的栏目' }, ['columnTitle']],
  ])('%p → refused fields %p', (input, fields) => {
    const { violations } = planUpdate(anIssue(), true, input, context);
    expect(violations.map((violation) => violation.path.join('.'))).toEqual(fields);
    for (const violation of violations) expect(violation.message).toContain('已签发');
  });
});

test.each([
  [null, 1],
  [0, 1],
  [13, 14],
  [99, 100],
])('nextAfter(%p) = %p', (max, next) => {
  expect(nextAfter(max)).toBe(next);
});

describe('the admin form sends every field back', () => {
  test('a date moved to another year renumbers the issue, though the form echoes the old year and number', () => {
    const { plan, violations } = planUpdate(
      anIssue({ date: '2026-11-29', year: 2026, number: 1 }),
      false,
      { date: '2020-03-01', year: 2026, number: 1 },
      context,
    );
    expect(violations).toEqual([]);
    expect(plan.target.year).toBe(2020);
    expect(plan.number).toEqual({ kind: 'next' });
  });

  test('the echoed year with an unchanged date changes nothing', () => {
    const { plan, violations } = planUpdate(anIssue(), false, { date: '2020-02-19', year: 2020, number: 14 }, context);
    expect(violations).toEqual([]);
    expect(plan.number).toEqual({ kind: 'keep', value: 14 });
  });

  test('a year that is neither the stored one nor the date’s is still refused, naming the field', () => {
    const { violations } = planUpdate(anIssue(), false, { year: 2019 }, context);
    expect(violations.map((violation) => violation.path)).toEqual([['year']]);
  });

  test('after the first sign-off a move to another year is refused, echo or not', () => {
    const { violations } = planUpdate(anIssue(), true, { date: '2021-01-05', year: 2020, number: 14 }, context);
    expect(violations.map((violation) => violation.path[0])).toContain('date');
  });

  test('a new number given with the move is kept as explicit', () => {
    const { plan } = planUpdate(
      anIssue({ date: '2026-11-29', year: 2026, number: 1 }),
      false,
      { date: '2020-03-01', number: 15 },
      context,
    );
    expect(plan.number).toEqual({ kind: 'explicit', value: 15 });
  });
});

describe('the issues a counter counts among', () => {
  const target = {
    publication: '上街信息',
    edition: 'supplement' as const,
    date: '2020-02-19',
    year: 2020,
    columnTitle: '坚定信心 众志成城',
  };
  test.each([
    ['number', { publication: '上街信息', edition: 'supplement', year: 2020 }],
    ['totalNumber', { publication: '上街信息', edition: 'supplement' }],
    ['columnInstallment', { publication: '上街信息', columnTitle: '坚定信心 众志成城' }],
  ] as const)('%s: within %p', (counter, scope) => {
    expect(counterScope(counter, target)).toEqual(scope);
  });
});
