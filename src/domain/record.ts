import { attributionLabel } from './attribution';
import type { Violation } from './attribution';
import { issueLabels, type Edition, type IssueLabels } from './labels';
import { personNamesLabel, recipientLineLabel, splitPersonNames } from './names';
import { paragraphsOf } from './plain-text';

/**
 * The signed-off record (签发稿): an issue's complete rendered content as it was signed off, frozen at each
 * (re)publish. Readers read the record, so renaming a unit or editing a group later does not change what a published
 * issue says. Items are in position order, each with its attribution label as printed (none for the issuer's own);
 * the footer lines are those the issue has, in print order: 报, 本期送, 发, 抄送, 责任编辑, 审核, 签发, 印数.
 */

export type RecipientLine = 'reportTo' | 'sendTo' | 'distributeTo' | 'copyTo';

export type RecordInput = {
  documentId: string;
  publication: string;
  edition: Edition;
  year: number;
  number: number | null;
  totalNumber: number | null;
  date: string | null;
  columnTitle: string | null;
  columnInstallment: number | null;
  printsTotalNumber: boolean;
  issuer: { shortName: string; fullName: string | null } | null;
  lines: Record<RecipientLine, string[]>;
  editors: string | null;
  reviewer: string | null;
  signer: string | null;
  printRun: number | null;
  items: { position: number | null; section: string | null; headline: string; body: string; units: string[] }[];
  signedOffAt: string;
};

export type RecordItem = {
  position: number;
  section: string | null;
  headline: string;
  body: string;
  paragraphs: string[];
  units: string[];
  attribution: string;
};

export type FooterKey = RecipientLine | 'editors' | 'reviewer' | 'signer' | 'printRun';
export type FooterLine = { key: FooterKey; label: string; text: string };

export type IssueRecord = {
  version: 1;
  documentId: string;
  publication: string;
  edition: Edition;
  year: number;
  number: number | null;
  totalNumber: number | null;
  date: string | null;
  labels: IssueLabels;
  issuer: { shortName: string; fullName: string } | null;
  column: { title: string; installment: number | null; label: string } | null;
  items: RecordItem[];
  footer: FooterLine[];
  signedOffAt: string;
};

const LINE_LABELS: [RecipientLine, string][] = [
  ['reportTo', '报'],
  ['sendTo', '本期送'],
  ['distributeTo', '发'],
  ['copyTo', '抄送'],
];

export function buildIssueRecord(input: RecordInput): IssueRecord {
  const labels = issueLabels(input, input.printsTotalNumber);
  const issuerShortName = input.issuer?.shortName ?? null;
  const items = [...input.items]
    .map((item, index) => ({ item, index }))
    .sort(
      (a, b) =>
        (a.item.position ?? Number.MAX_SAFE_INTEGER) - (b.item.position ?? Number.MAX_SAFE_INTEGER) ||
        a.index - b.index,
    )
    .map(({ item }, index) => ({
      position: index + 1,
      section: item.section !== null && item.section.trim() !== '' ? item.section : null,
      headline: item.headline,
      body: item.body,
      paragraphs: paragraphsOf(item.body),
      units: [...item.units],
      attribution: attributionLabel(item.units, issuerShortName),
    }));

  const footer: FooterLine[] = [];
  for (const [key, label] of LINE_LABELS) {
    if (input.lines[key].length > 0) footer.push({ key, label, text: recipientLineLabel(input.lines[key]) });
  }
  const editors = splitPersonNames(input.editors);
  if (editors.length > 0) footer.push({ key: 'editors', label: '责任编辑', text: personNamesLabel(editors) });
  if (input.reviewer !== null && input.reviewer.trim() !== '')
    footer.push({ key: 'reviewer', label: '审核', text: input.reviewer.trim() });
  if (input.signer !== null && input.signer.trim() !== '')
    footer.push({ key: 'signer', label: '签发', text: input.signer.trim() });
  if (input.printRun !== null) footer.push({ key: 'printRun', label: '印数', text: `共印${input.printRun}份` });

  return {
    version: 1,
    documentId: input.documentId,
    publication: input.publication,
    edition: input.edition,
    year: input.year,
    number: input.number,
    totalNumber: input.printsTotalNumber ? input.totalNumber : null,
    date: input.date,
    labels,
    issuer:
      input.issuer === null
        ? null
        : { shortName: input.issuer.shortName, fullName: input.issuer.fullName ?? input.issuer.shortName },
    column:
      input.columnTitle === null || input.columnTitle.trim() === ''
        ? null
        : { title: input.columnTitle, installment: input.columnInstallment, label: labels.column ?? input.columnTitle },
    items,
    footer,
    signedOffAt: input.signedOffAt,
  };
}

/**
 * A line in a list of issues (the issues of a year, newest first): what a front end shows before opening one —
 * its labels and headlines — taken from the record, so a list says exactly what the issue says.
 */
export type IssueSummary = Pick<
  IssueRecord,
  'documentId' | 'publication' | 'edition' | 'year' | 'number' | 'totalNumber' | 'date' | 'labels'
> & {
  issuer: string | null;
  headlines: string[];
};

/** The parts of a record a summary is made of: all but the items and footer, and the items' headlines. */
export type RecordHead = Omit<IssueRecord, 'items' | 'footer'>;

export function summarizeRecord(record: IssueRecord): IssueSummary {
  return summaryOf(
    record,
    record.items.map((item) => item.headline),
  );
}

export function summaryOf(head: RecordHead, headlines: string[]): IssueSummary {
  return {
    documentId: head.documentId,
    publication: head.publication,
    edition: head.edition,
    year: head.year,
    number: head.number,
    totalNumber: head.totalNumber,
    date: head.date,
    labels: head.labels,
    issuer: head.issuer === null ? null : head.issuer.fullName,
    headlines,
  };
}

/** A 32-bit integer: what the integer columns (year, number) hold, and GraphQL's Int. */
export const isInt32 = (value: unknown): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value <= 2_147_483_647 && value >= -2_147_483_648;

/** The year in a list's address (`/api/bulletin/上街信息/2020`): up to six digits; null otherwise. */
export const yearOfSegment = (segment: string): number | null => (/^\d{1,6}$/.test(segment) ? Number(segment) : null);

/** Text PostgreSQL can store and compare: no NUL character. A name with one names nothing. */
export const isStorableText = (value: string): boolean => !value.includes('\u0000');

export type PageRequest = { page: number; pageSize: number };
export type Pagination = PageRequest & { pageCount: number; total: number };
export const DEFAULT_PAGE_SIZE = 25;
export const MAX_PAGE_SIZE = 100;

/** `page` (from 1) and `pageSize` (1 to 100, default 25) from a query string or GraphQL arguments. */
export function pageRequest(query: { page?: unknown; pageSize?: unknown }): PageRequest | Violation[] {
  const violations: Violation[] = [];
  const read = (name: 'page' | 'pageSize', fallback: number, max: number): number => {
    const raw = query[name];
    if (raw === undefined || raw === null || raw === '') return fallback;
    const value =
      typeof raw === 'number' ? raw : typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
    if (!Number.isInteger(value) || value < 1 || value > max) {
      violations.push({ path: [name], message: `${name} 应为 1 到 ${max} 之间的整数` });
      return fallback;
    }
    return value;
  };
  const page = read('page', 1, 1_000_000);
  const pageSize = read('pageSize', DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
  return violations.length > 0 ? violations : { page, pageSize };
}

/** A page of a list: `{ data, meta: { pagination } }`, as Strapi's own lists answer. */
export type IssueList = { data: IssueSummary[]; meta: { pagination: Pagination } };
/** Which issues a year list is of. */
export type YearKey = { publication: string; year: number };

export function paginationOf(request: PageRequest, total: number): Pagination {
  return { ...request, pageCount: Math.ceil(total / request.pageSize), total };
}
