import type { Violation } from './attribution';
import { parseCalendarDate } from './dates';

/**
 * Field rules of an issue that hold for drafts too (Strapi 5 skips `min` and similar checks on drafts):
 * numbers, installments and print runs are whole numbers from 1; the year is a plausible year; the date is a real
 * calendar date. (That the year is the date's year is a numbering rule: ./numbering.ts.)
 */

export type IssueFieldInput = {
  year?: unknown;
  number?: unknown;
  totalNumber?: unknown;
  columnInstallment?: unknown;
  printRun?: unknown;
  date?: unknown;
};

const POSITIVE_FIELDS: { field: keyof IssueFieldInput; label: string }[] = [
  { field: 'number', label: '期号' },
  { field: 'totalNumber', label: '总期号' },
  { field: 'columnInstallment', label: '栏目期次' },
  { field: 'printRun', label: '印数' },
];

const isGiven = (value: unknown): boolean => value !== undefined && value !== null && value !== '';

export function issueFieldViolations(input: IssueFieldInput): Violation[] {
  const violations: Violation[] = [];
  for (const { field, label } of POSITIVE_FIELDS) {
    const value = input[field];
    if (isGiven(value) && !(Number.isInteger(Number(value)) && Number(value) >= 1)) {
      violations.push({ path: [field], message: `${label}（${field}）须为不小于1的整数，收到 ${String(value)}` });
    }
  }
  if (
    isGiven(input.year) &&
    !(Number.isInteger(Number(input.year)) && Number(input.year) >= 1949 && Number(input.year) <= 2999)
  ) {
    violations.push({ path: ['year'], message: `年份（year）须为1949至2999之间的整数，收到 ${String(input.year)}` });
  }
  if (isGiven(input.date)) {
    const date = typeof input.date === 'string' ? parseCalendarDate(input.date) : null;
    if (date === null) {
      violations.push({
        path: ['date'],
        message: `签发日期（date）须为有效日期，格式 YYYY-MM-DD，收到 ${String(input.date)}`,
      });
    }
  }
  return violations;
}
