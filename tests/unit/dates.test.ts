import {
  calendarDateIn,
  chineseDateLabel,
  isKnownTimeZone,
  parseCalendarDate,
  periodInstants,
  startOfDay,
} from '../../src/domain/dates';

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

describe('startOfDay: the instant a calendar day begins in a time zone', () => {
  test.each([
    ['2020-02-01', 'Asia/Shanghai', '2020-01-31T16:00:00.000Z'],
    ['2020-03-01', 'Asia/Shanghai', '2020-02-29T16:00:00.000Z'],
    ['2020-02-01', 'UTC', '2020-02-01T00:00:00.000Z'],
    // Los Angeles: standard time, the day clocks spring forward (midnight exists), and summer time.
    ['2020-01-15', 'America/Los_Angeles', '2020-01-15T08:00:00.000Z'],
    ['2020-03-08', 'America/Los_Angeles', '2020-03-08T08:00:00.000Z'],
    ['2020-03-09', 'America/Los_Angeles', '2020-03-09T07:00:00.000Z'],
    // Santiago springs forward at midnight: the day starts at 01:00.
    ['2020-09-06', 'America/Santiago', '2020-09-06T04:00:00.000Z'],
  ])('%s in %s starts at %s', (date, zone, instant) => {
    expect(startOfDay(date, zone).toISOString()).toBe(instant);
  });

  test("a period runs from its first day's start to the start of the day after its last day", () => {
    expect(
      periodInstants({ from: '2020-02-01', to: '2020-02-29' }, 'Asia/Shanghai').map((d) => d.toISOString()),
    ).toEqual(['2020-01-31T16:00:00.000Z', '2020-02-29T16:00:00.000Z']);
    expect(
      periodInstants({ from: '2020-12-31', to: '2020-12-31' }, 'Asia/Shanghai').map((d) => d.toISOString()),
    ).toEqual(['2020-12-30T16:00:00.000Z', '2020-12-31T16:00:00.000Z']);
  });
});
