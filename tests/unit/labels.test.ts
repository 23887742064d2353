import {
  isEdition,
  chineseNumeral,
  columnLabel,
  installmentLabel,
  issueLineLabel,
  issueNumberLabel,
  totalNumberLabel,
  issueLabels,
  issueTitleLabel,
} from '../../src/domain/labels';

test.each([
  [1, '一'],
  [2, '二'],
  [3, '三'],
  [4, '四'],
  [5, '五'],
  [6, '六'],
  [7, '七'],
  [8, '八'],
  [9, '九'],
  [10, '十'],
  [11, '十一'],
  [20, '二十'],
  [99, '九十九'],
  [100, '一百'],
  [101, '一百零一'],
])('chineseNumeral(%i) = %s', (value, numeral) => {
  expect(chineseNumeral(value)).toBe(numeral);
  expect(installmentLabel(value)).toBe(`（${numeral}）`);
});

test('chineseNumeral refuses what is not a whole number', () => {
  expect(() => chineseNumeral(1.5)).toThrow(RangeError);
  expect(() => chineseNumeral(-1)).toThrow(RangeError);
});

test.each([
  ['regular', 14, '第14期'],
  ['supplement', 7, '增刊第7期'],
  ['special', 2, '专刊第2期'],
  ['special', null, '专刊'],
  ['regular', null, ''],
] as const)('issueNumberLabel(%s, %p) = %s', (edition, number, label) => {
  expect(issueNumberLabel(edition, number)).toBe(label);
});

test.each([
  ['regular', 14, 560, true, '第14期（总第560期）'],
  ['regular', 14, 560, false, '第14期'],
  ['regular', 14, null, true, '第14期'],
  ['supplement', 3, 12, true, '增刊第3期（总第12期）'],
] as const)('issueLineLabel(%s, %p, %p, prints total: %p) = %s', (edition, number, total, prints, label) => {
  expect(issueLineLabel(edition, number, total, prints)).toBe(label);
});

test('totalNumberLabel', () => {
  expect(totalNumberLabel(101)).toBe('总第101期');
  expect(totalNumberLabel(null)).toBeNull();
});

test.each([
  ['坚定信心 众志成城 坚决打赢疫情防控阻击战', 7, '坚定信心 众志成城 坚决打赢疫情防控阻击战（七）'],
  ['基层动态', null, '基层动态'],
  [null, 3, null],
  ['  ', 3, null],
])('columnLabel(%p, %p) = %p', (title, installment, label) => {
  expect(columnLabel(title, installment)).toBe(label);
});

describe('issueLabels: every print label from the fields at hand', () => {
  test('the reference issue', () => {
    expect(
      issueLabels(
        {
          edition: 'regular',
          number: 14,
          totalNumber: null,
          columnTitle: '坚定信心 众志成城 坚决打赢疫情防控阻击战',
          columnInstallment: 7,
          date: '2020-02-19',
        },
        false,
      ),
    ).toEqual({
      issueLine: '第14期',
      number: '第14期',
      totalNumber: null,
      installment: '（七）',
      column: '坚定信心 众志成城 坚决打赢疫情防控阻击战（七）',
      date: '2020年2月19日',
    });
  });

  test('a supplement of a publication that prints its running total', () => {
    expect(issueLabels({ edition: 'supplement', number: 7, totalNumber: 101, date: '2023-01-05' }, true)).toMatchObject(
      {
        issueLine: '增刊第7期（总第101期）',
        number: '增刊第7期',
        totalNumber: '总第101期',
        column: null,
        date: '2023年1月5日',
      },
    );
  });

  test('fields that were not selected give null, not an error', () => {
    expect(issueLabels({}, true)).toEqual({
      issueLine: '',
      number: null,
      totalNumber: null,
      installment: null,
      column: null,
      date: null,
    });
  });
});

test.each([
  ['上街信息', 2020, 'regular', 14, '上街信息 2020年第14期'],
  ['上街信息', 2020, 'supplement', 2, '上街信息 2020年增刊第2期'],
  ['督查专报', 2023, 'special', null, '督查专报 2023年专刊'],
  ['上街信息', null, 'regular', 3, '上街信息 第3期'],
  ['上街信息', 2020, 'unknown', 5, '上街信息 2020年第5期'],
])('issueTitleLabel(%s, %s, %s, %s) = %s', (publication, year, edition, number, label) => {
  expect(issueTitleLabel(publication, year, edition, number)).toBe(label);
});

test.each<[unknown, boolean]>([
  ['regular', true],
  ['supplement', true],
  ['special', true],
  ['Regular', false],
  ['', false],
  [null, false],
])('isEdition(%p) → %p', (value, expected) => {
  expect(isEdition(value)).toBe(expected);
});
