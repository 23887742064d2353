import { calendarDateIn, chineseDateLabel, isKnownTimeZone, parseCalendarDate } from '../../src/domain/dates';

describe('chineseDateLabel: Arabic numerals, no zero padding', () => {
  test.each([
    ['2020-02-19', '2020年2月19日'],
    ['2021-01-01', '2021年1月1日'],
    ['2019-12-31', '2019年12月31日'],
    ['2024-02-29', '2024年2月29日'],
  ])('%s → %s', (input, label) => {
    expect(chineseDateLabel(input)).toBe(label);
  });

  test.each(['2021-02-29', '2020-13-01', '2020-2-19', '20200219', ''])('%s is not a calendar date', (input) => {
    expect(parseCalendarDate(input)).toBeNull();
    expect(() => chineseDateLabel(input)).toThrow(RangeError);
  });
});

describe('calendarDateIn: today in the office time zone, not the server clock', () => {
  test.each([
    // 2020-02-18 16:30 UTC is already 2020-02-19 00:30 in Shanghai.
    ['2020-02-18T16:30:00Z', 'Asia/Shanghai', '2020-02-19'],
    ['2020-02-18T15:59:59Z', 'Asia/Shanghai', '2020-02-18'],
    ['2020-12-31T16:00:00Z', 'Asia/Shanghai', '2021-01-01'],
    ['2020-12-31T16:00:00Z', 'UTC', '2020-12-31'],
    ['2021-01-01T03:00:00Z', 'America/New_York', '2020-12-31'],
  ])('%s in %s is %s', (instant, zone, date) => {
    expect(calendarDateIn(zone, new Date(instant))).toBe(date);
  });

  test('unknown time zones are recognised as such', () => {
    expect(isKnownTimeZone('Asia/Shanghai')).toBe(true);
    expect(isKnownTimeZone('Mars/Olympus')).toBe(false);
  });
});
