import { attributionLabel, printedCredit } from '../../src/domain/attribution';
import { chineseAccountName, personNamesLabel, recipientLineLabel, splitPersonNames } from '../../src/domain/names';

test.each([
  ['郝婕 李德昭', ['郝婕', '李德昭']],
  ['郝婕　李德昭', ['郝婕', '李德昭']],
  ['  郝婕   李德昭 ', ['郝婕', '李德昭']],
  ['郝婕、李德昭', ['郝婕', '李德昭']],
  ['郝婕', ['郝婕']],
  ['', []],
  [null, []],
])('splitPersonNames(%p)', (printed, names) => {
  expect(splitPersonNames(printed)).toEqual(names);
});

test('names print space-separated, recipient groups joined with 、', () => {
  expect(personNamesLabel(['郝婕', '李德昭'])).toBe('郝婕 李德昭');
  expect(recipientLineLabel(['峡窝镇', '各街道办事处', '区直各单位负责同志'])).toBe(
    '峡窝镇、各街道办事处、区直各单位负责同志',
  );
  expect(recipientLineLabel([])).toBe('');
});

test.each([
  [['区人社局'], '区委办', '（区人社局）'],
  [['区委办'], '区委办', ''],
  [['区人社局', '区财政局'], '区委办', '（区人社局、区财政局）'],
  [['区委办', '峡窝镇'], '区委办', '（峡窝镇）'],
  [['峡窝镇'], null, '（峡窝镇）'],
  [[], '区委办', ''],
])('attributionLabel(%p, issuer %p) = %p', (units, issuer, label) => {
  expect(attributionLabel(units, issuer)).toBe(label);
});

test.each([
  [['区人社局'], '中共上街区委办公室', ['区人社局'], 'single'],
  [['区财政局', '区税务局'], '中共上街区委办公室', ['区财政局', '区税务局'], 'combined'],
  [[], '中共上街区委办公室', ['中共上街区委办公室'], 'single'],
  [[], null, [], 'single'],
])('printedCredit(%j, %s): credits %j, %s adoption', (attribution, issuer, units, kind) => {
  expect(printedCredit(attribution, issuer)).toEqual({ units, adoptionKind: kind });
});

describe('an admin account’s Chinese name', () => {
  test.each([
    ['婕', '郝', { firstname: '郝婕', lastname: null }],
    [' 德昭 ', '李', { firstname: '李德昭', lastname: null }],
    ['Jie', 'Hao', null],
    ['婕', '', null],
    ['婕', null, null],
    ['婕', 'Hao', null],
  ])('%p + %p → %p', (firstname, lastname, expected) => {
    expect(chineseAccountName(firstname, lastname)).toEqual(expected);
  });
});
