import type { Violation } from './attribution';
import { isEdition, type Edition } from './labels';
import { parseCalendarDate } from './dates';

/**
 * Issue numbering (编号), decided once per document.
 *
 * - 期号 (number): max + 1 within (publication, edition, year of the issue's date); restarts every year; regular,
 *   增刊 and 专刊 count on their own; gaps left by deletions are not refilled. An issue without a date is dated today
 *   in the office's time zone.
 * - 总期号 (totalNumber): for publications that print one, max + 1 within (publication, edition), never restarting.
 * - Column installment: max + 1 within (publication, column title).
 * - A number given explicitly is kept when free (the caller checks); a clone (the admin's duplicate) never keeps the
 *   original's numbers.
 * - Until the first sign-off, moving an issue to another publication, edition or year renumbers it (and a new column
 *   or publication re-counts its installment); once first signed off, numbers and their scope are frozen.
 * - The year is never an input: it follows the date. A write that sends back the stored year, or a stored number
 *   whose scope moves (the admin's form sends every field), is read as not mentioning it.
 *
 * This module only decides; the adapter reads the current maxima and checks that explicit numbers are free, under one
 * lock per publication, inside the transaction that writes.
 */

export type IssueNumbers = {
  publication: string;
  edition: Edition;
  date: string;
  year: number;
  number: number | null;
  totalNumber: number | null;
  columnTitle: string | null;
  columnInstallment: number | null;
};

/** What the request says about the numbered fields: `undefined` = not mentioned. */
export type NumberingInput = {
  publication?: unknown;
  edition?: unknown;
  date?: unknown;
  year?: unknown;
  number?: unknown;
  totalNumber?: unknown;
  columnTitle?: unknown;
  columnInstallment?: unknown;
};

/** How to fill each counter: keep a value, check a given one is free, or take the next in its scope. */
export type Assignment =
  | { kind: 'keep'; value: number | null }
  | { kind: 'explicit'; value: number }
  | { kind: 'next' };

export type NumberingPlan = {
  /** The issue's numbered fields once the request applies, counters still to be filled as planned below. */
  target: Omit<IssueNumbers, 'number' | 'totalNumber' | 'columnInstallment'>;
  number: Assignment;
  totalNumber: Assignment;
  columnInstallment: Assignment;
};

export type NumberingContext = {
  /** Today in the office time zone, YYYY-MM-DD. */
  today: string;
  defaultPublication: string;
  printsTotalNumber: (publication: string) => boolean;
};

const isGiven = (value: unknown): boolean => value !== undefined && value !== null && value !== '';
const text = (value: unknown): string | null => (isGiven(value) ? String(value).trim() : null);
const wholeNumber = (value: unknown): number | null => (isGiven(value) ? Number(value) : null);

function yearOf(date: string): number {
  const parsed = parseCalendarDate(date);
  if (parsed === null) throw new RangeError(`not a calendar date: ${date}`);
  return parsed.year;
}

/**
 * One counter: a value the request gives is explicit (kept as it is when it did not change and the scope did not
 * move); a cleared value or a moved scope takes the next free one where the counter is automatic; otherwise the
 * current value stays.
 */
function counter(given: unknown, current: number | null, rescoped: boolean, automatic: boolean): Assignment {
  // A form sends every field back: the old number echoed with a moved scope is not a request to keep it.
  if (given !== undefined && rescoped && current !== null && wholeNumber(given) === current)
    return counter(undefined, current, rescoped, automatic);
  if (given !== undefined) {
    const value = wholeNumber(given);
    if (value === null) return automatic ? { kind: 'next' } : { kind: 'keep', value: null };
    if (!rescoped && value === current) return { kind: 'keep', value };
    return { kind: 'explicit', value };
  }
  if (automatic && (rescoped || current === null)) return { kind: 'next' };
  return { kind: 'keep', value: current };
}

/** The year follows the date: a year given that is not the date's year is refused rather than silently changed. */
function scopeViolations(input: NumberingInput, edition: string, year: number, date: string): Violation[] {
  const violations: Violation[] = [];
  if (!isEdition(edition)) {
    violations.push({
      path: ['edition'],
      message: `版别（edition）须为 regular / supplement / special，收到 ${edition}`,
    });
  }
  if (isGiven(input.year) && Number(input.year) !== year) {
    violations.push({
      path: ['year'],
      message: `年份（year）${String(input.year)} 与签发日期 ${date} 不一致：年份按签发日期确定${isGiven(input.date) ? '' : '（未填日期时为今天）'}`,
    });
  }
  return violations;
}

/** A new issue (create), or the admin's duplicate (clone: the original's numbers are never kept). */
export function planNewIssue(
  input: NumberingInput,
  context: NumberingContext,
  clone: boolean,
): { plan: NumberingPlan; violations: Violation[] } {
  const publication = text(input.publication) ?? context.defaultPublication;
  const edition = (text(input.edition) ?? 'regular') as Edition;
  const date = clone ? context.today : (text(input.date) ?? context.today);
  const columnTitle = text(input.columnTitle);
  const ignore = (value: unknown) => (clone ? undefined : value);
  const plan: NumberingPlan = {
    target: { publication, edition, date, year: yearOf(date), columnTitle },
    number: counter(ignore(input.number), null, true, true),
    totalNumber: counter(ignore(input.totalNumber), null, true, context.printsTotalNumber(publication)),
    columnInstallment:
      columnTitle === null ? { kind: 'keep', value: null } : counter(ignore(input.columnInstallment), null, true, true),
  };
  return { plan, violations: clone ? [] : scopeViolations(input, edition, plan.target.year, date) };
}

/** An update of an existing issue, given its current numbered fields and whether it was ever signed off. */
export function planUpdate(
  current: IssueNumbers,
  everSignedOff: boolean,
  given: NumberingInput,
  context: NumberingContext,
): { plan: NumberingPlan; violations: Violation[] } {
  // The year follows the date: the stored year sent back by a form (the admin sends every field) is no request.
  const input: NumberingInput =
    isGiven(given.year) && Number(given.year) === current.year ? { ...given, year: undefined } : given;
  const publication =
    input.publication === undefined ? current.publication : (text(input.publication) ?? context.defaultPublication);
  const edition = input.edition === undefined ? current.edition : ((text(input.edition) ?? 'regular') as Edition);
  const date = input.date === undefined ? current.date : (text(input.date) ?? current.date);
  const year = yearOf(date);
  const columnTitle = input.columnTitle === undefined ? current.columnTitle : text(input.columnTitle);

  const numberScopeMoved = publication !== current.publication || edition !== current.edition || year !== current.year;
  const totalScopeMoved = publication !== current.publication || edition !== current.edition;
  const columnScopeMoved = publication !== current.publication || columnTitle !== current.columnTitle;

  const plan: NumberingPlan = {
    target: { publication, edition, date, year, columnTitle },
    number: counter(input.number, current.number, numberScopeMoved, true),
    totalNumber: counter(
      input.totalNumber,
      current.totalNumber,
      totalScopeMoved,
      context.printsTotalNumber(publication),
    ),
    columnInstallment:
      columnTitle === null
        ? { kind: 'keep', value: null }
        : counter(input.columnInstallment, current.columnInstallment, columnScopeMoved, true),
  };

  const violations: Violation[] = scopeViolations(input, edition, year, date);
  if (!everSignedOff) return { plan, violations };

  const frozen = '已签发过的期，编号已固定';
  if (publication !== current.publication)
    violations.push({ path: ['publication'], message: `${frozen}，不能改换刊名（publication）` });
  if (edition !== current.edition)
    violations.push({ path: ['edition'], message: `${frozen}，不能改换版别（edition）` });
  if (year !== current.year)
    violations.push({
      path: ['date'],
      message: `${frozen}，签发日期不能改到其他年份（date: ${current.year} → ${year}）`,
    });
  if (!numberScopeMoved && (plan.number.kind !== 'keep' || plan.number.value !== current.number))
    violations.push({ path: ['number'], message: `${frozen}，不能更改期号（number）` });
  if (!totalScopeMoved && (plan.totalNumber.kind !== 'keep' || plan.totalNumber.value !== current.totalNumber))
    violations.push({ path: ['totalNumber'], message: `${frozen}，不能更改总期号（totalNumber）` });
  if (columnTitle !== current.columnTitle)
    violations.push({ path: ['columnTitle'], message: `${frozen}，不能更改栏目（columnTitle）` });
  else if (
    !columnScopeMoved &&
    (plan.columnInstallment.kind !== 'keep' || plan.columnInstallment.value !== current.columnInstallment)
  ) {
    violations.push({ path: ['columnInstallment'], message: `${frozen}，不能更改栏目期次（columnInstallment）` });
  }
  return { plan, violations };
}

/** max + 1; the first is 1. */
export function nextAfter(max: number | null): number {
  return (max ?? 0) + 1;
}

/** The three counters of an issue. */
export type Counter = 'number' | 'totalNumber' | 'columnInstallment';

/**
 * The fields whose values an issue shares with the issues its counter counts among (the scopes above): 期号 within
 * publication, edition and year; 总期号 within publication and edition; a column's installment within publication and
 * column title. The adapter reads the maximum, and checks an explicit number is free, among the drafts with these values.
 */
export function counterScope(
  counter: Counter,
  target: NumberingPlan['target'],
): Partial<Record<keyof IssueNumbers, string | number | null>> {
  switch (counter) {
    case 'number':
      return { publication: target.publication, edition: target.edition, year: target.year };
    case 'totalNumber':
      return { publication: target.publication, edition: target.edition };
    case 'columnInstallment':
      return { publication: target.publication, columnTitle: target.columnTitle };
  }
}
