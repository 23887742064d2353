import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { Violation } from '../domain/attribution';
import { issueNumberLabel, issueTitleLabel } from '../domain/labels';
import {
  counterScope,
  nextAfter,
  planNewIssue,
  planUpdate,
  type Assignment,
  type Counter,
  type IssueNumbers,
  type NumberingPlan,
} from '../domain/numbering';
import { deletionViolations } from '../domain/sign-off';
import { throwIfViolations } from './errors';
import { violatedIndex } from './indexes';
import { numberingContext } from './settings';

/**
 * Numbering glue: one Document Service middleware for create / update / clone of issues. Under one lock per
 * publication (pg_advisory_xact_lock, held until the transaction that writes the issue commits), it reads the current
 * maxima, checks that explicit numbers are free, and hands the numbers to Strapi's write. The partial unique indexes
 * (./indexes.ts) back it; a violation of one is translated into the same 400.
 */

const ISSUE = 'api::issue.issue';

type IssueRow = IssueNumbers & { documentId: string; firstSignedOffAt: string | null };
type Params = { documentId?: string; data?: Record<string, unknown> };

const ROW_FIELDS = [
  'documentId',
  'publication',
  'edition',
  'date',
  'year',
  'number',
  'totalNumber',
  'columnTitle',
  'columnInstallment',
  'firstSignedOffAt',
];

const COUNTER_LABEL: Record<Counter, string> = { number: '期号', totalNumber: '总期号', columnInstallment: '栏目期次' };

async function draftRow(strapi: Core.Strapi, documentId: string): Promise<IssueRow | null> {
  return strapi.db.query(ISSUE).findOne({ where: { documentId, publishedAt: null }, select: ROW_FIELDS });
}

/** “上街信息 2020年第14期”（documentId …） */
export function describeIssue(row: IssueRow): string {
  const column = row.columnTitle === null ? '' : `，栏目“${row.columnTitle}”第${row.columnInstallment ?? '?'}期`;
  return `“${row.publication} ${row.year}年${issueNumberLabel(row.edition, row.number)}”${column}（documentId ${row.documentId}）`;
}

async function resolveCounter(
  strapi: Core.Strapi,
  counter: Counter,
  assignment: Assignment,
  target: NumberingPlan['target'],
  self: string | null,
  violations: Violation[],
): Promise<number | null> {
  if (assignment.kind === 'keep') return assignment.value;
  const where: Record<string, unknown> = { ...counterScope(counter, target), publishedAt: null };
  if (self !== null) where.documentId = { $ne: self };
  if (assignment.kind === 'next') {
    const last = await strapi.db.query(ISSUE).findOne({
      where: { ...where, [counter]: { $notNull: true } },
      orderBy: { [counter]: 'desc' },
      select: [counter],
    });
    return nextAfter((last?.[counter] as number | undefined) ?? null);
  }
  const holder = (await strapi.db.query(ISSUE).findOne({
    where: { ...where, [counter]: assignment.value },
    select: ROW_FIELDS,
  })) as IssueRow | null;
  if (holder !== null) {
    violations.push({
      path: [counter],
      message: `${COUNTER_LABEL[counter]} ${assignment.value} 已被 ${describeIssue(holder)} 使用`,
    });
  }
  return assignment.value;
}

/** Serialises numbering per publication across processes; a no-op on SQLite, whose writes are serial anyway. */
async function lockPublications(strapi: Core.Strapi, trx: unknown, publications: string[]): Promise<void> {
  if (strapi.db.dialect.client !== 'postgres') return;
  const connection = trx as { raw: (sql: string, bindings: unknown[]) => Promise<unknown> };
  for (const publication of [...new Set(publications)].sort()) {
    await connection.raw('SELECT pg_advisory_xact_lock(hashtext(?))', [`bulletin-numbering:${publication}`]);
  }
}

async function translateUniqueViolation(
  strapi: Core.Strapi,
  error: unknown,
  data: Record<string, unknown>,
): Promise<never> {
  const index = violatedIndex(error);
  if (index === null) throw error;
  const value = data[index.field];
  let holder = '';
  if (index.table === 'issues') {
    const row = (await strapi.db.query(ISSUE).findOne({
      where: { publication: data.publication, publishedAt: null, [index.field]: value },
      select: ROW_FIELDS,
    })) as IssueRow | null;
    if (row !== null) holder = ` ${describeIssue(row)}`;
  }
  throw new errors.ValidationError(`${index.field} ${String(value)} 已被${holder === '' ? '占用' : `${holder} 使用`}`, {
    errors: [
      {
        path: [index.field],
        message: `${String(value)} 已被${holder === '' ? '占用' : `${holder} 使用`}`,
        name: 'ValidationError',
      },
    ],
  });
}

export async function issueNumbering(
  strapi: Core.Strapi,
  action: string,
  params: Params,
  next: () => Promise<unknown>,
): Promise<unknown> {
  const input: Record<string, unknown> = { ...(params.data ?? {}) };
  const context = numberingContext(strapi);
  let written: Record<string, unknown> = input;
  try {
    return await strapi.db.transaction(async ({ trx }) => {
      let current: IssueRow | null = null;
      let planned: { plan: NumberingPlan; violations: Violation[] };
      if (action === 'create') {
        planned = planNewIssue(input, context, false);
      } else {
        if (params.documentId === undefined) return next();
        current = await draftRow(strapi, params.documentId);
        if (current === null) return next(); // Strapi answers 404
        planned =
          action === 'clone'
            ? planNewIssue(
                {
                  publication: input.publication ?? current.publication,
                  edition: input.edition ?? current.edition,
                  columnTitle: input.columnTitle !== undefined ? input.columnTitle : current.columnTitle,
                },
                context,
                true,
              )
            : planUpdate(current, current.firstSignedOffAt !== null, input, context);
      }
      throwIfViolations(planned.violations);

      const { plan } = planned;
      await lockPublications(
        strapi,
        trx,
        current === null ? [plan.target.publication] : [plan.target.publication, current.publication],
      );
      const self = action === 'update' ? (current?.documentId ?? null) : null;
      const violations: Violation[] = [];
      const number = await resolveCounter(strapi, 'number', plan.number, plan.target, self, violations);
      const totalNumber = await resolveCounter(strapi, 'totalNumber', plan.totalNumber, plan.target, self, violations);
      const columnInstallment = await resolveCounter(
        strapi,
        'columnInstallment',
        plan.columnInstallment,
        plan.target,
        self,
        violations,
      );
      throwIfViolations(violations);

      const title = issueTitleLabel(plan.target.publication, plan.target.year, plan.target.edition, number);
      written = { ...input, ...plan.target, number, totalNumber, columnInstallment, title };
      if (action === 'clone') Object.assign(written, { items: { set: [] }, firstSignedOffAt: null });
      params.data = written;
      return next();
    });
  } catch (error) {
    return translateUniqueViolation(strapi, error, written);
  }
}

/** A signed-off issue cannot be deleted (see domain/sign-off). Deleting never renumbers other issues. */
export async function refuseDeletingPublished(strapi: Core.Strapi, documentId: string | undefined): Promise<void> {
  if (documentId === undefined) return;
  const published = await strapi.db
    .query(ISSUE)
    .findOne({ where: { documentId, publishedAt: { $notNull: true } }, select: ['id'] });
  throwIfViolations(deletionViolations(published !== null));
}

/**
 * Every issue row named as printed (上街信息 2020年第14期): the numbering writes the name with the numbers; this brings
 * rows written before it, or by hand, in step at start-up.
 */
export async function refreshIssueTitles(strapi: Core.Strapi): Promise<number> {
  const rows = (await strapi.db
    .query(ISSUE)
    .findMany({ select: ['id', 'title', 'publication', 'edition', 'year', 'number'] })) as {
    id: number;
    title: string | null;
    publication: string;
    edition: string;
    year: number | null;
    number: number | null;
  }[];
  let changed = 0;
  for (const row of rows) {
    const title = issueTitleLabel(row.publication, row.year, row.edition, row.number);
    if (row.title === title) continue;
    await strapi.db.query(ISSUE).update({ where: { id: row.id }, data: { title } });
    changed += 1;
  }
  return changed;
}
