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

// Where a calendar day of the office starts, as an instant: what a datetime column is compared with.

const DAY_MS = 24 * 60 * 60 * 1000;

/** How far the zone's wall clock is ahead of UTC at an instant, in milliseconds. */
function zoneOffset(instant: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(instant));
  const part = (type: Intl.DateTimeFormatPartTypes): number => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const wall = Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'), part('second'));
  return wall - Math.floor(instant / 1000) * 1000;
}

/**
 * The instant a calendar day (YYYY-MM-DD) begins in a time zone: local midnight, taken with the offset in force the
 * day before or the day after, whichever gives the earlier instant that is on that day. Where clocks fall back over
 * midnight that is the first midnight; where they spring forward over it (no midnight), the moment of the change.
 */
export function startOfDay(date: string, timeZone: string): Date {
  const [year, month, day] = date.split('-').map(Number);
  const wall = Date.UTC(year, month - 1, day);
  const candidates = [wall - zoneOffset(wall - DAY_MS, timeZone), wall - zoneOffset(wall + DAY_MS, timeZone)]
    .filter((instant) => calendarDateIn(timeZone, new Date(instant)) === date)
    .sort((a, b) => a - b);
  return new Date(candidates[0] ?? wall - zoneOffset(wall, timeZone));
}

/** The instants the period's first day starts and the day after its last day starts: [from, to). */
export function periodInstants(period: { from: string; to: string }, timeZone: string): [Date, Date] {
  const [year, month, day] = period.to.split('-').map(Number);
  const next = new Date(Date.UTC(year, month - 1, day) + DAY_MS).toISOString().slice(0, 10);
  return [startOfDay(period.from, timeZone), startOfDay(next, timeZone)];
}
