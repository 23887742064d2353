import Nzh from 'nzh';
import { chineseDateLabel } from './dates';

/**
 * Print labels, computed in one place. Issue numbers print in Arabic numerals (第14期, 增刊第7期, 总第560期), as do
 * dates (2020年2月19日); column installments print in Chinese numerals in full-width brackets (（七）).
 */

export type Edition = 'regular' | 'supplement' | 'special';
/** The editions: 正刊, 增刊, 专刊. */
export const EDITIONS: readonly Edition[] = ['regular', 'supplement', 'special'];
export const isEdition = (value: unknown): value is Edition =>
  typeof value === 'string' && (EDITIONS as readonly string[]).includes(value);

const EDITION_PREFIX: Record<Edition, string> = { regular: '', supplement: '增刊', special: '专刊' };

/** 7 → 七, 11 → 十一, 20 → 二十, 101 → 一百零一 (nzh's simplified numerals). */
export function chineseNumeral(value: number): string {
  if (!Number.isInteger(value) || value < 0) throw new RangeError(`not a whole number: ${value}`);
  return Nzh.cn.encodeS(value);
}

/** （七） */
export function installmentLabel(installment: number): string {
  return `（${chineseNumeral(installment)}）`;
}

/** 坚决打赢疫情防控阻击战（七）; the title alone when the column has no installment. */
export function columnLabel(title: string | null, installment: number | null): string | null {
  if (title === null || title.trim() === '') return null;
  return installment === null ? title : `${title}${installmentLabel(installment)}`;
}

/** 第14期 / 增刊第7期 / 专刊第2期; 专刊 alone when a special edition carries no number. */
export function issueNumberLabel(edition: Edition, number: number | null): string {
  const prefix = EDITION_PREFIX[edition];
  if (number === null) return prefix === '' ? '' : prefix;
  return `${prefix}第${number}期`;
}

/** 总第560期 */
export function totalNumberLabel(totalNumber: number | null): string | null {
  return totalNumber === null ? null : `总第${totalNumber}期`;
}

/** The issue line under the masthead: 第14期, or 第14期（总第560期） when the publication prints its running total. */
export function issueLineLabel(
  edition: Edition,
  number: number | null,
  totalNumber: number | null,
  printsTotalNumber: boolean,
): string {
  const line = issueNumberLabel(edition, number);
  const total = printsTotalNumber ? totalNumberLabel(totalNumber) : null;
  return total === null ? line : `${line}（${total}）`;
}

/** How an issue is named in lists, reports and messages: 上街信息 2020年第14期, 上街信息 2020年增刊第2期. */
export function issueTitleLabel(
  publication: string,
  year: number | null,
  edition: string,
  number: number | null,
): string {
  const known = isEdition(edition) ? edition : 'regular';
  return `${publication} ${year === null ? '' : `${year}年`}${issueNumberLabel(known, number)}`.trim();
}

/** How refusals quote an issue: 《上街信息》2020年第14期, from its printed name 上街信息 2020年第14期. */
export function quotedIssueName(name: string): string {
  const space = name.indexOf(' ');
  return space < 0 ? `《${name}》` : `《${name.slice(0, space)}》${name.slice(space + 1)}`;
}

export { chineseDateLabel as dateLabel };

export type IssueLabelInput = {
  edition?: unknown;
  number?: unknown;
  totalNumber?: unknown;
  columnTitle?: unknown;
  columnInstallment?: unknown;
  date?: unknown;
};

export type IssueLabels = {
  /** 第14期, 增刊第7期, 第14期（总第560期） */
  issueLine: string;
  /** 第14期 / 增刊第7期 / 专刊第2期 */
  number: string | null;
  /** 总第560期, only where the publication prints it */
  totalNumber: string | null;
  /** （七） */
  installment: string | null;
  /** 坚定信心 众志成城 坚决打赢疫情防控阻击战（七） */
  column: string | null;
  /** 2020年2月19日 */
  date: string | null;
};

const asNumber = (value: unknown): number | null =>
  typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : null;
const asText = (value: unknown): string | null => (typeof value === 'string' && value.trim() !== '' ? value : null);

/** Every print label of an issue, from whatever of its fields are at hand (missing ones give null). */
export function issueLabels(issue: IssueLabelInput, printsTotalNumber: boolean): IssueLabels {
  const edition = isEdition(issue.edition) ? issue.edition : 'regular';
  const number = asNumber(issue.number);
  const totalNumber = asNumber(issue.totalNumber);
  const installment = asNumber(issue.columnInstallment);
  const date = asText(issue.date);
  const numberLabel = issueNumberLabel(edition, number);
  return {
    issueLine: issueLineLabel(edition, number, totalNumber, printsTotalNumber),
    number: numberLabel === '' ? null : numberLabel,
    totalNumber: printsTotalNumber ? totalNumberLabel(totalNumber) : null,
    installment: installment === null || installment < 1 ? null : installmentLabel(installment),
    column: columnLabel(asText(issue.columnTitle), installment !== null && installment >= 1 ? installment : null),
    date: date === null ? null : chineseDateLabel(date),
  };
}
