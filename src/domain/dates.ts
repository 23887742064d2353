/**
 * Bulletin dates are calendar dates in the office's time zone (Asia/Shanghai by default). They are stored and sent
 * as `YYYY-MM-DD` strings and never pass through a `Date` at midnight, so a server running on UTC cannot shift them.
 */

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export type CalendarDate = { year: number; month: number; day: number };

/** Parses `YYYY-MM-DD`, rejecting impossible dates such as 2021-02-29. */
export function parseCalendarDate(value: string): CalendarDate | null {
  const match = ISO_DATE.exec(value);
  if (match === null) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const probe = new Date(Date.UTC(year, month - 1, day));
  if (probe.getUTCFullYear() !== year || probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day) return null;
  return { year, month, day };
}

/** 2020-02-19 → 2020年2月19日: Arabic numerals, no zero padding (GB/T 9704). */
export function chineseDateLabel(value: string): string {
  const date = parseCalendarDate(value);
  if (date === null) throw new RangeError(`not a calendar date: ${value}`);
  return `${date.year}年${date.month}月${date.day}日`;
}

/** Today's calendar date in the given IANA time zone, for the instant `now`. */
export function calendarDateIn(timeZone: string, now: Date): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(now);
  const part = (type: Intl.DateTimeFormatPartTypes): string => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
}

/** True when the string names a time zone this runtime knows. */
export function isKnownTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-CA', { timeZone });
    return true;
  } catch {
    return false;
  }
}
