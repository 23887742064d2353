import { buildIssueRecord, isInt32, isStorableText, yearOfSegment, type RecordInput } from '../../src/domain/record';

const anInput = (overrides: Partial<RecordInput> = {}): RecordInput => ({
  documentId: 'doc',
  publication: '督查专报',
  edition: 'supplement',
  year: 2023,
  number: 7,
  totalNumber: 101,
  date: '2023-01-05',
  columnTitle: '基层动态',
  columnInstallment: 3,
  printsTotalNumber: true,
  issuer: { shortName: '区委办', fullName: '中共上街区委办公室' },
  lines: { reportTo: ['市委值班室'], sendTo: ['区县处级领导'], distributeTo: ['峡窝镇', '各街道办事处'], copyTo: [] },
  editors: '郝婕  李德昭',
  reviewer: '某某',
  signer: '宋洁',
  printRun: 80,
  items: [
    { position: 2, section: '【工作动态】', headline: '乙', body: '乙正文', units: ['峡窝镇', '区人社局'] },
    { position: 1, section: null, headline: '甲', body: '第一段\n\n第二段', units: ['区委办'] },
  ],
  signedOffAt: '2023-01-05T02:00:00.000Z',
  ...overrides,
});

test('items in position order, each with its attribution (none for the issuer) and paragraphs', () => {
  const record = buildIssueRecord(anInput());
  expect(record.items.map((item) => [item.position, item.headline, item.attribution, item.section])).toEqual([
    [1, '甲', '', null],
    [2, '乙', '（峡窝镇、区人社局）', '【工作动态】'],
  ]);
  expect(record.items[0].paragraphs).toEqual(['第一段', '第二段']);
});

test('labels and the footer in print order, only the lines the issue has', () => {
  const record = buildIssueRecord(anInput());
  expect(record.labels.issueLine).toBe('增刊第7期（总第101期）');
  expect(record.column).toEqual({ title: '基层动态', installment: 3, label: '基层动态（三）' });
  expect(record.footer).toEqual([
    { key: 'reportTo', label: '报', text: '市委值班室' },
    { key: 'sendTo', label: '本期送', text: '区县处级领导' },
    { key: 'distributeTo', label: '发', text: '峡窝镇、各街道办事处' },
    { key: 'editors', label: '责任编辑', text: '郝婕 李德昭' },
    { key: 'reviewer', label: '审核', text: '某某' },
    { key: 'signer', label: '签发', text: '宋洁' },
    { key: 'printRun', label: '印数', text: '共印80份' },
  ]);
});

test('a publication that prints no running total shows none; no column, no column line', () => {
  const record = buildIssueRecord(
    anInput({
      printsTotalNumber: false,
      columnTitle: null,
      columnInstallment: null,
      reviewer: null,
      signer: null,
      printRun: null,
    }),
  );
  expect(record.totalNumber).toBeNull();
  expect(record.labels.issueLine).toBe('增刊第7期');
  expect(record.column).toBeNull();
  expect(record.footer.map((line) => line.key)).toEqual(['reportTo', 'sendTo', 'distributeTo', 'editors']);
});

describe("isInt32: what the integer columns hold (and GraphQL's Int)", () => {
  test.each<[unknown, boolean]>([
    [0, true],
    [2020, true],
    [-2_147_483_648, true],
    [2_147_483_647, true],
    [2_147_483_648, false],
    [-2_147_483_649, false],
    [99_999_999_999, false],
    [1.5, false],
    [Number.NaN, false],
    [Number.POSITIVE_INFINITY, false],
    ['14', false],
    [null, false],
  ])('%p → %p', (value, expected) => {
    expect(isInt32(value)).toBe(expected);
  });
});

describe('yearOfSegment: the year in a list address', () => {
  test.each<[string, number | null]>([
    ['2020', 2020],
    ['02020', 2020],
    ['999999', 999999],
    ['0002020', null],
    ['1234567', null],
    ['', null],
    ['20x0', null],
    ['-2020', null],
  ])('%p → %p', (segment, expected) => {
    expect(yearOfSegment(segment)).toBe(expected);
  });
});

test('isStorableText: a NUL character names nothing PostgreSQL can hold', () => {
  expect(isStorableText('上街信息')).toBe(true);
  expect(isStorableText('')).toBe(true);
  expect(isStorableText('上街\u0000信息')).toBe(false);
});
