import { createHash } from 'crypto';
import type { Core } from '@strapi/strapi';
import { validationError } from './errors';
import { addQueryFields, type Nexus } from './graphql-query';
import type { core } from 'nexus';
import { queryArgs, queryType, recordTypes, RECORD_QUERIES } from './record-graphql';
import {
  buildIssueRecord,
  isInt32,
  isStorableText,
  pageRequest,
  paginationOf,
  summarizeRecord,
  type IssueList,
  type IssueRecord,
  type RecordInput,
  type PageRequest,
  type RecipientLine,
  type YearKey,
} from '../domain/record';
import { printsTotalNumber } from './settings';

/** Freezes the signed-off record (src/domain/record.ts) onto the published row, at every (re)publish. */

const ISSUE = 'api::issue.issue';
const ITEM = 'api::item.item';
const LINES: RecipientLine[] = ['reportTo', 'sendTo', 'distributeTo', 'copyTo'];

type GroupRef = { group?: { name?: string } | null };
/** An issue's row as buildRecord loads it (the columns it reads, its issuer and its recipient lines). */
type IssueRow = Pick<
  RecordInput,
  | 'publication'
  | 'edition'
  | 'year'
  | 'number'
  | 'totalNumber'
  | 'date'
  | 'columnTitle'
  | 'columnInstallment'
  | 'issuer'
  | 'editors'
  | 'reviewer'
  | 'signer'
  | 'printRun'
> & { id: number; publishedAt: string | null; updatedAt: string } & Partial<Record<RecipientLine, GroupRef[]>>;

export async function freezeRecord(strapi: Core.Strapi, documentId: string): Promise<void> {
  const built = await buildRecord(strapi, documentId, 'published');
  if (built === null) return;
  await strapi.db.query(ISSUE).update({ where: { id: built.rowId }, data: { record: built.record } });
}

/**
 * The record of an issue's published row (what sign-off freezes) or of its draft (what the editors' preview shows:
 * the issue as it will print if signed off now).
 */
export async function buildRecord(
  strapi: Core.Strapi,
  documentId: string,
  status: 'draft' | 'published',
): Promise<{ rowId: number; record: IssueRecord } | null> {
  const input = await recordInput(strapi, documentId, status);
  return input === null ? null : { rowId: input.rowId, record: buildIssueRecord(input.input) };
}

/** What buildRecord renders: the issue's row and its items (the compose desk re-renders it as the editor works). */
export async function recordInput(
  strapi: Core.Strapi,
  documentId: string,
  status: 'draft' | 'published',
): Promise<{ rowId: number; input: RecordInput } | null> {
  const groupPopulate = { populate: { group: { select: ['name'] } } };
  const published = (await strapi.db.query(ISSUE).findOne({
    where: { documentId, publishedAt: status === 'published' ? { $notNull: true } : null },
    populate: {
      issuer: { select: ['shortName', 'fullName'] },
      reportTo: groupPopulate,
      sendTo: groupPopulate,
      distributeTo: groupPopulate,
      copyTo: groupPopulate,
    },
  })) as IssueRow | null;
  if (published === null) return null;
  const items = (await strapi.db.query(ITEM).findMany({
    where: { issue: { documentId } },
    select: ['position', 'section', 'headline', 'body'],
    populate: { units: { select: ['shortName'] } },
  })) as {
    position: number | null;
    section: string | null;
    headline: string;
    body: string;
    units: { shortName: string }[];
  }[];

  const lines = Object.fromEntries(
    LINES.map((line) => [
      line,
      (published[line] ?? []).map((ref) => ref.group?.name).filter((name): name is string => typeof name === 'string'),
    ]),
  ) as Record<RecipientLine, string[]>;

  const input: RecordInput = {
    documentId,
    publication: published.publication,
    edition: published.edition,
    year: published.year,
    number: published.number ?? null,
    totalNumber: published.totalNumber ?? null,
    date: published.date ?? null,
    columnTitle: published.columnTitle ?? null,
    columnInstallment: published.columnInstallment ?? null,
    printsTotalNumber: printsTotalNumber(strapi, published.publication),
    issuer: published.issuer
      ? { shortName: published.issuer.shortName, fullName: published.issuer.fullName ?? null }
      : null,
    lines,
    editors: published.editors ?? null,
    reviewer: published.reviewer ?? null,
    signer: published.signer ?? null,
    printRun: published.printRun ?? null,
    items: items.map((item) => ({ ...item, units: item.units.map((unit) => unit.shortName) })),
    signedOffAt: new Date(published.publishedAt ?? published.updatedAt).toISOString(),
  };
  return { rowId: published.id, input };
}

export type RecordKey = { publication: string; year: number; number: number; edition: string };

/**
 * The record of a signed-off issue by (publication, year, number, edition), read through the Document Service so
 * that the caller's row scope applies; null when there is none or the caller may not read it.
 */
export async function findRecord(strapi: Core.Strapi, key: RecordKey): Promise<IssueRecord | null> {
  if (!isInt32(key.year) || !isInt32(key.number) || !isStorableText(key.publication) || !isStorableText(key.edition))
    return null; // no such issue
  const issue = await strapi.documents(ISSUE).findFirst({
    filters: { publication: key.publication, year: key.year, number: key.number, edition: key.edition } as never,
    fields: ['record'] as never,
    status: 'published',
  });
  const record = (issue as { record?: IssueRecord | null } | null)?.record;
  return record === undefined || record === null ? null : record;
}

/**
 * A page of the signed-off issues of a year the caller may read, newest first, each summarised from its record —
 * through the Document Service, so the caller's row scope applies. The fast path gives the same answer in 1 statement.
 */
export async function findYearList(strapi: Core.Strapi, key: Partial<YearKey>, page: PageRequest): Promise<IssueList> {
  if (key.publication !== undefined && !isStorableText(key.publication))
    return { data: [], meta: { pagination: paginationOf(page, 0) } };
  const filters = {
    ...(key.publication === undefined ? {} : { publication: key.publication }),
    ...(key.year === undefined ? {} : { year: key.year }),
    record: { $notNull: true },
  } as never;
  const [issues, total] = await Promise.all([
    strapi.documents(ISSUE).findMany({
      filters,
      fields: ['record'] as never,
      status: 'published',
      sort: ['date:desc', 'edition:asc', 'number:desc'] as never,
      limit: page.pageSize,
      start: (page.page - 1) * page.pageSize,
    }),
    strapi.documents(ISSUE).count({ filters, status: 'published' }),
  ]);
  const records = (issues as { record?: unknown }[]).map((issue) => issue.record as IssueRecord);
  return { data: records.map(summarizeRecord), meta: { pagination: paginationOf(page, total) } };
}

/** The GraphQL arguments that name one issue: publication, year, number, edition (regular by default). */
export const issueKeyArgs = (nexus: Nexus): core.ArgsRecord => queryArgs(nexus, 'bulletinIssue');

type IssueKeyArgs = { publication: string; year: number; number: number; edition?: string | null };
export const recordKeyOf = (args: IssueKeyArgs): RecordKey => ({
  publication: args.publication,
  year: args.year,
  number: args.number,
  edition: args.edition ?? 'regular',
});

/** GraphQL: `bulletinIssue(…)` → the record and `bulletinIssues(…)` → a page of summaries, typed (./record-graphql). */
export function registerRecordInGraphQL(strapi: Core.Strapi): void {
  addQueryFields(strapi, (nexus) => ({
    types: recordTypes(nexus),
    fields: {
      bulletinIssue: {
        ...queryType('bulletinIssue'),
        description: RECORD_QUERIES.bulletinIssue.description,
        args: issueKeyArgs(nexus),
        resolve: (_parent, args: IssueKeyArgs) => findRecord(strapi, recordKeyOf(args)),
        scope: 'api::issue.issue.findOne',
      },
      bulletinIssues: {
        ...queryType('bulletinIssues'),
        description: RECORD_QUERIES.bulletinIssues.description,
        args: queryArgs(nexus, 'bulletinIssues'),
        resolve: async (
          _parent,
          args: { publication?: string | null; year?: number | null; page?: number | null; pageSize?: number | null },
        ) => {
          const page = pageRequest({ page: args.page, pageSize: args.pageSize });
          if (Array.isArray(page)) throw validationError(page);
          return connectionOf(
            await findYearList(
              strapi,
              { publication: args.publication ?? undefined, year: args.year ?? undefined },
              page,
            ),
          );
        },
        scope: 'api::issue.issue.find',
      },
    },
  }));
}

/** A list as GraphQL gives it, like Strapi's own connections: `{ nodes, pageInfo }`. */
export const connectionOf = (
  list: IssueList,
): { nodes: IssueList['data']; pageInfo: IssueList['meta']['pagination'] } => ({
  nodes: list.data,
  pageInfo: list.meta.pagination,
});

type ResponseContext = {
  set: (name: string, value: string) => void;
  vary: (field: string) => void;
  get: (name: string) => string;
  status: number;
  type: string;
  body: unknown;
};

export type RecordAnswer = { body: Buffer; etag: string };

/** The REST answer with a record, given as its JSON text: the body (UTF-8) and its ETag. The fast path keeps both. */
const DATA_OPEN = '{"data":';
export function recordAnswer(recordJson: string): RecordAnswer {
  const body = Buffer.from(`${DATA_OPEN}${recordJson}}`);
  return { body, etag: `"${createHash('sha1').update(body).digest('base64url')}"` };
}

/** The record's JSON within its REST answer. */
export const recordJsonOf = (answer: RecordAnswer): string =>
  answer.body.toString('utf8', DATA_OPEN.length, answer.body.length - 1);

/** Answers with a record: ETag, private caching that varies by Authorization, and 304 to a matching If-None-Match. */
export function sendRecord(ctx: ResponseContext, answer: RecordAnswer): void {
  ctx.set('ETag', answer.etag);
  ctx.set('Cache-Control', 'private, no-cache');
  ctx.vary('Authorization');
  if (ctx.get('If-None-Match') === answer.etag) {
    ctx.status = 304;
    ctx.body = null;
    return;
  }
  ctx.status = 200;
  ctx.type = 'application/json; charset=utf-8';
  ctx.body = answer.body;
}
