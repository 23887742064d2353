import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { Violation } from '../domain/attribution';
import { calendarDateIn, periodInstants } from '../domain/dates';
import { issueTitleLabel } from '../domain/labels';
import { STANDALONE_CONTENT_SECURITY_POLICY } from '../domain/issue-html';
import {
  DEFAULT_SCORING,
  buildStatistics,
  buildStatisticsFromTallies,
  resolvePeriod,
  type AdoptionFact,
  type AdoptionKind,
  type AdoptionTally,
  type BreakdownLine,
  type CountRow,
  type Period,
  type ScoringTable,
} from '../domain/statistics';
import { SUBMITTED_BY_UNIT_SQL, adoptionFactsStatement, adoptionTalliesStatement } from '../domain/statistics-counts';
import {
  noticeHtml,
  publicRow,
  reportCsv,
  showsBreakdownOf,
  statisticsView,
  visibleRows,
  type StatisticsReport,
} from '../domain/statistics-report';
import { currentViewer } from './access';
import { validationError } from './errors';
import { addQueryFields, type Nexus } from './graphql-query';

/**
 * Adoption statistics glue (信息采用统计): counts in the database, figures in src/domain/statistics.ts.
 *
 * - 报送 / 退回 / 撤回: one aggregate over the items created in the period, grouped by unit. `items.created_at` is a
 *   `timestamp without time zone` holding the wall-clock time of the writing process (node-postgres sends a Date in
 *   the process's zone and PostgreSQL drops the offset), so the period's ends — midnight in the office's zone — are
 *   handed to the database as Date instants too and go through the same conversion: the comparison is exact whatever
 *   the server's zone, and uses the index on created_at.
 * - 采用: the items linked to a signed-off issue (the published row of a D&P issue: an item links to both rows) dated
 *   in the period, in the publication asked for, counted per unit and per what decides their points (publication,
 *   edition, adoption kind, number of units credited): a few hundred rows for five years, never one per item.
 * - The breakdown lists the facts one by one, only when asked for and only for the units whose breakdown the caller
 *   may see; every line comes from the same CTE as the tallies, so the lines add up to the row (a test checks it).
 *
 * Who sees what is src/domain/statistics-report.ts (anyone it shows nothing gets a 403); the notice is rendered there
 * too. Units listed: every active unit, and any inactive one with figures in the period.
 */

const MAX_PUBLICATION_LENGTH = 40;
const ALL_PUBLICATIONS = '*';

export type StatisticsRequest = {
  period: Period;
  periodLabel: string;
  /** null: every publication (`publication=*`). */
  publication: string | null;
  breakdown: boolean;
};

// ---------------------------------------------------------------------------------------------------------------
// The request
// ---------------------------------------------------------------------------------------------------------------

const isBlank = (value: unknown): boolean =>
  value === undefined || value === null || (typeof value === 'string' && value.trim() === '');

/** The period, publication and breakdown switch a query asks for; a ValidationError naming each bad field. */
export function statisticsRequest(strapi: Core.Strapi, query: Record<string, unknown>): StatisticsRequest {
  const violations: Violation[] = [];
  const resolved = resolvePeriod({
    from: query.from,
    to: query.to,
    month: query.month,
    quarter: query.quarter,
    year: query.year,
  });
  if ('violations' in resolved) violations.push(...resolved.violations);

  let publication: string | null = strapi.config.get<string>('bulletin.defaultPublication', '上街信息');
  if (!isBlank(query.publication)) {
    const text = typeof query.publication === 'string' ? query.publication.trim() : null;
    if (text === null || text.length > MAX_PUBLICATION_LENGTH) {
      violations.push({
        path: ['publication'],
        message: `刊名（publication）须为一个刊名，最多${MAX_PUBLICATION_LENGTH}字，或 "*"（全部刊物）`,
      });
    } else {
      publication = text === ALL_PUBLICATIONS ? null : text;
    }
  }

  let breakdown = false;
  const flag = query.breakdown;
  if (flag === true || flag === 'true' || flag === '1') breakdown = true;
  else if (!(isBlank(flag) || flag === false || flag === 'false' || flag === '0')) {
    violations.push({ path: ['breakdown'], message: '得分明细（breakdown）须为 true 或 false' });
  }

  if (violations.length > 0 || 'violations' in resolved) throw validationError(violations);
  return { period: resolved.period, periodLabel: resolved.label, publication, breakdown };
}

// ---------------------------------------------------------------------------------------------------------------
// SQL
// ---------------------------------------------------------------------------------------------------------------

type Knex = Core.Strapi['db']['connection'];
type UnitCount = CountRow & { documentId: string; active: boolean };

const rowsOf = <T>(result: unknown): T[] =>
  Array.isArray(result) ? (result as T[]) : ((result as { rows: T[] }).rows ?? []);

/**
 * An instant as the database compares it with a stored datetime: PostgreSQL gets the Date and goes through the
 * driver's conversion like every write (see the module comment); SQLite stores Strapi's datetimes as milliseconds.
 */
const instantParam = (strapi: Core.Strapi, instant: Date): Date | number =>
  strapi.db.dialect.client === 'sqlite' ? instant.getTime() : instant;

/** Every unit with what it submitted in [from, to): one aggregate, by unit (src/domain/statistics-counts.ts). */
async function unitCounts(knex: Knex, [from, to]: [Date | number, Date | number]): Promise<UnitCount[]> {
  const result = await knex.raw(SUBMITTED_BY_UNIT_SQL, [from, to]);
  type Row = {
    id: number;
    document_id: string;
    short_name: string;
    sort_order: number | null;
    active: unknown;
    submitted: unknown;
    returned: unknown;
    withdrawn: unknown;
  };
  return rowsOf<Row>(result).map((row) => ({
    unitId: Number(row.id),
    documentId: row.document_id,
    unitName: row.short_name,
    sortOrder: row.sort_order ?? 0,
    active: row.active === true || row.active === 1,
    submitted: Number(row.submitted),
    returned: Number(row.returned),
    withdrawn: Number(row.withdrawn),
  }));
}

const asKind = (value: unknown): AdoptionKind => (value === 'combined' ? 'combined' : 'single');

/** Adoptions counted per unit and per what decides their points. */
async function adoptionTallies(knex: Knex, period: Period, publication: string | null): Promise<AdoptionTally[]> {
  const statement = adoptionTalliesStatement(period, publication);
  const result = await knex.raw(statement.sql, statement.bindings);
  type Row = {
    unit_id: number;
    short_name: string;
    publication: string;
    edition: string;
    adoption_kind: string;
    unit_count: unknown;
    items: unknown;
  };
  return rowsOf<Row>(result).map((row) => ({
    unitId: Number(row.unit_id),
    unitName: row.short_name,
    publication: row.publication,
    edition: row.edition,
    adoptionKind: asKind(row.adoption_kind),
    unitCount: Number(row.unit_count),
    items: Number(row.items),
  }));
}

/** The adoptions of these units one by one, for their breakdowns. */
async function adoptionFacts(
  knex: Knex,
  period: Period,
  publication: string | null,
  unitIds: readonly number[],
): Promise<AdoptionFact[]> {
  if (unitIds.length === 0) return [];
  const statement = adoptionFactsStatement(period, publication, unitIds);
  const result = await knex.raw(statement.sql, statement.bindings);
  type Row = {
    unit_id: number;
    short_name: string;
    item_id: number;
    headline: string;
    adoption_kind: string;
    unit_count: unknown;
    issue_id: number;
    publication: string;
    edition: string;
    year: number | null;
    number: number | null;
    date: string;
  };
  return rowsOf<Row>(result).map((row) => ({
    unitId: Number(row.unit_id),
    unitName: row.short_name,
    itemId: Number(row.item_id),
    itemHeadline: row.headline,
    issueId: Number(row.issue_id),
    issueLabel: issueTitleLabel(row.publication, row.year, row.edition, row.number),
    issueDate: String(row.date).slice(0, 10),
    publication: row.publication,
    edition: row.edition,
    adoptionKind: asKind(row.adoption_kind),
    unitCount: Number(row.unit_count),
  }));
}

// ---------------------------------------------------------------------------------------------------------------
// The report
// ---------------------------------------------------------------------------------------------------------------

export function scoringTable(strapi: Core.Strapi): ScoringTable {
  return strapi.config.get<ScoringTable>('bulletin.scoring', DEFAULT_SCORING);
}

const publicationLabel = (publication: string | null): string => (publication === null ? '全部刊物' : publication);

/** The statistics a request asks for, as the caller may see them. */
export async function statisticsReport(strapi: Core.Strapi, request: StatisticsRequest): Promise<StatisticsReport> {
  const rankingPublished = strapi.config.get<boolean>('bulletin.publishRanking', false);
  const view = statisticsView(await currentViewer(strapi), rankingPublished);
  if (view === null) throw new errors.PolicyError('信息采用统计只对编辑部和单位信息员开放');
  const timeZone = strapi.config.get<string>('bulletin.timeZone', 'Asia/Shanghai');
  const table = scoringTable(strapi);
  const knex = strapi.db.connection;

  const [units, tallies] = await Promise.all([
    unitCounts(
      knex,
      periodInstants(request.period, timeZone).map((instant) => instantParam(strapi, instant)) as [
        Date | number,
        Date | number,
      ],
    ),
    adoptionTallies(knex, request.period, request.publication),
  ]);
  const credited = new Set(tallies.map((tally) => tally.unitId));
  const listed = units.filter((unit) => unit.active || unit.submitted > 0 || credited.has(unit.unitId));
  const documentIds = new Map(units.map((unit) => [unit.unitId, unit.documentId]));
  const rows = buildStatisticsFromTallies(listed, tallies, table);

  const visible = visibleRows(rows, view);
  const breakdowns = new Map<number, BreakdownLine[]>();
  if (request.breakdown) {
    const unitIds = visible.filter((row) => showsBreakdownOf(view, row.unitId)).map((row) => row.unitId);
    const facts = await adoptionFacts(knex, request.period, request.publication, unitIds);
    for (const row of buildStatistics([], facts, table)) breakdowns.set(row.unitId, row.breakdown);
  }

  return {
    publication: request.publication,
    publicationLabel: publicationLabel(request.publication),
    period: { ...request.period, label: request.periodLabel },
    timeZone,
    visibility: view.visibility,
    rankingPublished,
    scoring: table,
    rows: visible.map((row) =>
      publicRow(
        row,
        view,
        documentIds.get(row.unitId) ?? null,
        request.breakdown ? (breakdowns.get(row.unitId) ?? []) : null,
      ),
    ),
  };
}

/** 信息采用统计-上街信息-2020年2月.csv, for Content-Disposition (RFC 5987 / 6266). */
export function attachmentName(report: StatisticsReport, suffix: string, extension: string): string {
  const name = `信息采用统计-${report.publicationLabel}-${report.period.label}${suffix}.${extension}`.replace(
    /[\\/:*?"<>|\s]+/gu,
    '_',
  );
  return `attachment; filename="statistics.${extension}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

// ---------------------------------------------------------------------------------------------------------------
// HTTP: shared by the content-API controller and the admin routes
// ---------------------------------------------------------------------------------------------------------------

type HttpContext = {
  vary: (field: string) => void;
  query: Record<string, unknown>;
  set: (name: string, value: string) => void;
  type: string;
  body: unknown;
};

function privateAnswer(ctx: HttpContext): void {
  ctx.set('Cache-Control', 'private, no-store');
  ctx.vary('Authorization');
}

/** JSON: `{ data: report }`. */
export async function sendTable(strapi: Core.Strapi, ctx: HttpContext): Promise<void> {
  const report = await statisticsReport(strapi, statisticsRequest(strapi, ctx.query));
  privateAnswer(ctx);
  ctx.body = { data: report };
}

/** CSV for spreadsheets: the table, or with breakdown=true the breakdown lines. */
export async function sendCsv(strapi: Core.Strapi, ctx: HttpContext): Promise<void> {
  const request = statisticsRequest(strapi, ctx.query);
  const report = await statisticsReport(strapi, request);
  privateAnswer(ctx);
  ctx.set('Content-Disposition', attachmentName(report, request.breakdown ? '-得分明细' : '', 'csv'));
  ctx.type = 'text/csv; charset=utf-8';
  ctx.body = reportCsv(report, request.breakdown);
}

/** The printable notice (通报), HTML. */
export async function sendNotice(strapi: Core.Strapi, ctx: HttpContext): Promise<void> {
  const report = await statisticsReport(strapi, statisticsRequest(strapi, ctx.query));
  privateAnswer(ctx);
  ctx.set('Content-Security-Policy', STANDALONE_CONTENT_SECURITY_POLICY);
  ctx.type = 'text/html; charset=utf-8';
  ctx.body = noticeHtml(report, calendarDateIn(report.timeZone, new Date()));
}

// ---------------------------------------------------------------------------------------------------------------
// Registration
// ---------------------------------------------------------------------------------------------------------------

/**
 * For the admin page (src/admin/pages/statistics.tsx): the same three answers behind an admin login, at
 * /bulletin-statistics, /bulletin-statistics/csv and /bulletin-statistics/notice. Editors and signers are staff; unit
 * staff in the admin are contributors (see currentViewer), with the same rules as over the content API.
 */
export function registerStatisticsAdminRoutes(strapi: Core.Strapi): void {
  const route = (path: string, send: (strapi: Core.Strapi, ctx: HttpContext) => Promise<void>) => ({
    method: 'GET' as const,
    path,
    handler: (ctx: HttpContext) => send(strapi, ctx),
    config: { policies: ['admin::isAuthenticatedAdmin'] },
  });
  strapi.server.routes({
    type: 'admin',
    prefix: '/bulletin-statistics',
    routes: [route('/', sendTable), route('/csv', sendCsv), route('/notice', sendNotice)],
  } as never);
}

/** The index the submission count ranges over (created after Strapi's schema sync). */
export async function createStatisticsIndexes(strapi: Core.Strapi): Promise<void> {
  await strapi.db.connection.raw('CREATE INDEX IF NOT EXISTS items_created_at_idx ON items (created_at)');
}

export async function bootstrapStatistics(strapi: Core.Strapi): Promise<void> {
  await createStatisticsIndexes(strapi);
  registerStatisticsAdminRoutes(strapi);
}

/**
 * GraphQL: `bulletinStatistics(month | quarter | year | from+to, publication, breakdown)`, the same report as REST
 * (typed), the same permission (api::statistics.statistics.find) and the same row rules.
 */
export function registerStatisticsInGraphQL(strapi: Core.Strapi): void {
  addQueryFields(strapi, (nexus: Nexus) => ({
    types: [
      nexus.objectType({
        name: 'BulletinStatisticsLine',
        description: "One adopted item behind a unit's points: which item, which issue, how many points.",
        definition(t) {
          t.nonNull.int('itemId');
          t.nonNull.string('headline');
          t.nonNull.int('issueId');
          t.nonNull.string('issueLabel');
          t.nonNull.string('issueDate');
          t.nonNull.string('adoptionKind');
          t.nonNull.int('unitCount');
          t.nonNull.float('points');
          t.nonNull.int('pointsHundredths');
          t.nonNull.string('pointsLabel');
          t.nonNull.string('basis');
        },
      }),
      nexus.objectType({
        name: 'BulletinStatisticsRow',
        description: 'One unit: submitted, adopted, returned, withdrawn, rate, points and rank (null where not shown).',
        definition(t) {
          t.nonNull.int('unitId');
          t.string('unitDocumentId');
          t.nonNull.string('unitName');
          t.nonNull.int('submitted');
          t.nonNull.int('adopted');
          t.nonNull.int('returned');
          t.nonNull.int('withdrawn');
          t.float('rate');
          t.nonNull.string('rateLabel');
          t.nonNull.float('points');
          t.nonNull.int('pointsHundredths');
          t.nonNull.string('pointsLabel');
          t.int('rank');
          t.list.nonNull.field('breakdown', { type: 'BulletinStatisticsLine' });
        },
      }),
      nexus.objectType({
        name: 'BulletinStatisticsPeriod',
        definition(t) {
          t.nonNull.string('from');
          t.nonNull.string('to');
          t.nonNull.string('label');
        },
      }),
      nexus.objectType({
        name: 'BulletinStatistics',
        description: 'Adoption statistics (信息采用统计) of a period and publication.',
        definition(t) {
          t.string('publication', { description: 'null: every publication' });
          t.nonNull.string('publicationLabel');
          t.nonNull.field('period', { type: 'BulletinStatisticsPeriod' });
          t.nonNull.string('timeZone');
          t.nonNull.string('visibility', { description: 'all | own | ranking' });
          t.nonNull.boolean('rankingPublished');
          t.nonNull.field('scoring', { type: 'JSON' });
          t.nonNull.list.nonNull.field('rows', { type: 'BulletinStatisticsRow' });
        },
      }),
    ],
    fields: {
      bulletinStatistics: {
        type: 'BulletinStatistics',
        nonNull: true,
        description:
          'Per unit: submitted, adopted, returned, withdrawn, rate, points, rank. Give month (2020-02), quarter (2020-Q1), year, or from and to.',
        args: {
          month: nexus.stringArg(),
          quarter: nexus.stringArg(),
          year: nexus.intArg(),
          from: nexus.stringArg(),
          to: nexus.stringArg(),
          publication: nexus.stringArg({ description: 'default: the default publication; "*": all' }),
          breakdown: nexus.booleanArg({ default: false }),
        },
        resolve: (_parent, args: Record<string, unknown>) => statisticsReport(strapi, statisticsRequest(strapi, args)),
        scope: 'api::statistics.statistics.find',
      },
    },
  }));
}
