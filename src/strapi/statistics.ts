import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { Violation } from '../domain/attribution';
import type { Viewer } from '../domain/access';
import { calendarDateIn, chineseDateLabel } from '../domain/dates';
import { issueNumberLabel, type Edition } from '../domain/labels';
import {
  DEFAULT_SCORING,
  breakdownCsv,
  buildStatistics,
  buildStatisticsFromTallies,
  formatPoints,
  resolvePeriod,
  statisticsCsv,
  type AdoptionFact,
  type AdoptionKind,
  type AdoptionTally,
  type BreakdownLine,
  type CountRow,
  type Period,
  type ScoringRule,
  type ScoringTable,
  type StatisticsRow,
} from '../domain/statistics';
import { currentViewer } from './access';
import { throwIfViolations } from './errors';

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
 * Who sees what: staff (admin users, API tokens) every unit with ranks and breakdowns; a contributor (信息员, or unit
 * staff in the admin) only the rows of their units, without rank — unless the office publishes the ranking
 * (BULLETIN_PUBLISH_RANKING=true): then the whole table with ranks, breakdowns still only of their own units. Anyone
 * else: 403. Units listed: every active unit, and any inactive one with figures in the period.
 */

const MAX_PUBLICATION_LENGTH = 40;
const ALL_PUBLICATIONS = '*';
const DAY_MS = 24 * 60 * 60 * 1000;

export type StatisticsRequest = {
  period: Period;
  periodLabel: string;
  /** null: every publication (`publication=*`). */
  publication: string | null;
  breakdown: boolean;
};

export type Visibility = 'all' | 'own' | 'ranking';

export type PublicRow = {
  unitId: number;
  unitDocumentId: string | null;
  unitName: string;
  submitted: number;
  adopted: number;
  returned: number;
  withdrawn: number;
  rate: number | null;
  rateLabel: string;
  points: number;
  pointsHundredths: number;
  pointsLabel: string;
  /** null where the ranking is not shown to the caller. */
  rank: number | null;
  /** The lines behind the points, when asked for and allowed; null otherwise. */
  breakdown: BreakdownLine[] | null;
};

export type StatisticsReport = {
  publication: string | null;
  publicationLabel: string;
  period: Period & { label: string };
  timeZone: string;
  /** all: every unit (staff); own: only the caller's units; ranking: the published ranking. */
  visibility: Visibility;
  rankingPublished: boolean;
  scoring: ScoringTable;
  rows: PublicRow[];
};

// ---------------------------------------------------------------------------------------------------------------
// The request
// ---------------------------------------------------------------------------------------------------------------

const isBlank = (value: unknown): boolean => value === undefined || value === null || (typeof value === 'string' && value.trim() === '');

/** The period, publication and breakdown switch a query asks for; a ValidationError naming each bad field. */
export function statisticsRequest(strapi: Core.Strapi, query: Record<string, unknown>): StatisticsRequest {
  const violations: Violation[] = [];
  const resolved = resolvePeriod({ from: query.from, to: query.to, month: query.month, quarter: query.quarter, year: query.year });
  if ('violations' in resolved) violations.push(...resolved.violations);

  let publication: string | null = strapi.config.get<string>('bulletin.defaultPublication', '上街信息');
  if (!isBlank(query.publication)) {
    const text = typeof query.publication === 'string' ? query.publication.trim() : null;
    if (text === null || text.length > MAX_PUBLICATION_LENGTH) {
      violations.push({ path: ['publication'], message: `刊名（publication）须为一个刊名，最多${MAX_PUBLICATION_LENGTH}字，或 "*"（全部刊物）` });
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

  throwIfViolations(violations);
  if ('violations' in resolved) throw new errors.ValidationError('统计期间有误'); // unreachable: thrown above
  return { period: resolved.period, periodLabel: resolved.label, publication, breakdown };
}

// ---------------------------------------------------------------------------------------------------------------
// Time zone: where a calendar day of the office starts
// ---------------------------------------------------------------------------------------------------------------

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

/** The instant a calendar day (YYYY-MM-DD) begins in a time zone (00:00, or the first minute after a DST gap). */
export function startOfDay(date: string, timeZone: string): Date {
  const [year, month, day] = date.split('-').map(Number);
  const wall = Date.UTC(year, month - 1, day);
  let instant = wall - zoneOffset(wall, timeZone);
  instant = wall - zoneOffset(instant, timeZone);
  return new Date(instant);
}

/** The instants the period's first day starts and the day after its last day starts: [from, to). */
export function periodInstants(period: Period, timeZone: string): [Date, Date] {
  const [year, month, day] = period.to.split('-').map(Number);
  const next = new Date(Date.UTC(year, month - 1, day) + DAY_MS).toISOString().slice(0, 10);
  return [startOfDay(period.from, timeZone), startOfDay(next, timeZone)];
}

// ---------------------------------------------------------------------------------------------------------------
// SQL
// ---------------------------------------------------------------------------------------------------------------

type Knex = Core.Strapi['db']['connection'];
type UnitCount = CountRow & { documentId: string; active: boolean };

const rowsOf = <T>(result: unknown): T[] => (Array.isArray(result) ? (result as T[]) : ((result as { rows: T[] }).rows ?? []));

/**
 * An instant as the database compares it with a stored datetime: PostgreSQL gets the Date and goes through the
 * driver's conversion like every write (see the module comment); SQLite stores Strapi's datetimes as milliseconds.
 */
const instantParam = (strapi: Core.Strapi, instant: Date): Date | number => (strapi.db.dialect.client === 'sqlite' ? instant.getTime() : instant);

/** Every unit with what it submitted in [from, to): one aggregate, by unit. */
async function unitCounts(knex: Knex, [from, to]: [Date | number, Date | number]): Promise<UnitCount[]> {
  const result = await knex.raw(
    `WITH submitted AS (
       SELECT iu.unit_id,
              COUNT(*) AS submitted,
              SUM(CASE WHEN i.state = 'returned' THEN 1 ELSE 0 END) AS returned,
              SUM(CASE WHEN i.state = 'withdrawn' THEN 1 ELSE 0 END) AS withdrawn
         FROM items i
         JOIN items_units_lnk iu ON iu.item_id = i.id
        WHERE i.created_at >= ? AND i.created_at < ?
        GROUP BY iu.unit_id
     )
     SELECT u.id, u.document_id, u.short_name, u.sort_order, u.active,
            COALESCE(s.submitted, 0) AS submitted, COALESCE(s.returned, 0) AS returned, COALESCE(s.withdrawn, 0) AS withdrawn
       FROM units u
       LEFT JOIN submitted s ON s.unit_id = u.id`,
    [from, to],
  );
  type Row = { id: number; document_id: string; short_name: string; sort_order: number | null; active: unknown; submitted: unknown; returned: unknown; withdrawn: unknown };
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

/**
 * The adoptions of the period as a CTE `credited (item_id, issue_id, unit_id, unit_count)`: each item carried by a
 * signed-off issue of the publication dated in the period, once per unit it credits. An item is in one issue; were it
 * linked to two signed-off issues of the period, it would count once, for the one with the lower id.
 */
function creditedCte(period: Period, publication: string | null): { sql: string; bindings: unknown[] } {
  const byPublication = publication === null ? '' : 'AND p.publication = ?';
  return {
    sql: `WITH adopted AS (
            SELECT ii.item_id, MIN(p.id) AS issue_id
              FROM issues p
              JOIN items_issue_lnk ii ON ii.issue_id = p.id
             WHERE p.published_at IS NOT NULL AND p.date >= ? AND p.date <= ? ${byPublication}
             GROUP BY ii.item_id
          ),
          credited AS (
            SELECT a.item_id, a.issue_id, iu.unit_id, COUNT(*) OVER (PARTITION BY a.item_id) AS unit_count
              FROM adopted a
              JOIN items_units_lnk iu ON iu.item_id = a.item_id
          )`,
    bindings: publication === null ? [period.from, period.to] : [period.from, period.to, publication],
  };
}

const asKind = (value: unknown): AdoptionKind => (value === 'combined' ? 'combined' : 'single');

/** Adoptions counted per unit and per what decides their points. */
async function adoptionTallies(knex: Knex, period: Period, publication: string | null): Promise<AdoptionTally[]> {
  const cte = creditedCte(period, publication);
  const result = await knex.raw(
    `${cte.sql}
     SELECT t.unit_id, u.short_name, t.publication, t.edition, t.adoption_kind, t.unit_count, t.items
       FROM (SELECT cr.unit_id, p.publication, p.edition, it.adoption_kind, cr.unit_count, COUNT(*) AS items
               FROM credited cr
               JOIN issues p ON p.id = cr.issue_id
               JOIN items it ON it.id = cr.item_id
              GROUP BY cr.unit_id, p.publication, p.edition, it.adoption_kind, cr.unit_count) t
       JOIN units u ON u.id = t.unit_id`,
    cte.bindings,
  );
  type Row = { unit_id: number; short_name: string; publication: string; edition: string; adoption_kind: string; unit_count: unknown; items: unknown };
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

/** 上街信息 2020年第14期 */
export function issueLabel(publication: string, year: number | null, edition: string, number: number | null): string {
  const numberLabel = issueNumberLabel((['regular', 'supplement', 'special'].includes(edition) ? edition : 'regular') as Edition, number);
  return `${publication} ${year === null ? '' : `${year}年`}${numberLabel}`.trim();
}

/** The adoptions of these units one by one, for their breakdowns. */
async function adoptionFacts(knex: Knex, period: Period, publication: string | null, unitIds: readonly number[]): Promise<AdoptionFact[]> {
  if (unitIds.length === 0) return [];
  const cte = creditedCte(period, publication);
  const result = await knex.raw(
    `${cte.sql}
     SELECT cr.unit_id, u.short_name, cr.item_id, it.headline, it.adoption_kind, cr.unit_count,
            p.id AS issue_id, p.publication, p.edition, p.year, p.number, p.date
       FROM credited cr
       JOIN issues p ON p.id = cr.issue_id
       JOIN items it ON it.id = cr.item_id
       JOIN units u ON u.id = cr.unit_id
      WHERE cr.unit_id IN (${unitIds.map(() => '?').join(', ')})`,
    [...cte.bindings, ...unitIds],
  );
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
    issueLabel: issueLabel(row.publication, row.year, row.edition, row.number),
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

/** What the caller may see, or a 403. */
function visibilityFor(viewer: Viewer, rankingPublished: boolean): { visibility: Visibility; ownUnits: number[] | null } {
  switch (viewer.kind) {
    case 'staff':
      return { visibility: 'all', ownUnits: null };
    case 'contributor':
      return { visibility: rankingPublished ? 'ranking' : 'own', ownUnits: viewer.unitIds };
    default:
      throw new errors.PolicyError('信息采用统计只对编辑部和单位信息员开放');
  }
}

/** The statistics a request asks for, as the caller may see them. */
export async function statisticsReport(strapi: Core.Strapi, request: StatisticsRequest): Promise<StatisticsReport> {
  const rankingPublished = strapi.config.get<boolean>('bulletin.publishRanking', false) === true;
  const { visibility, ownUnits } = visibilityFor(await currentViewer(strapi), rankingPublished);
  const timeZone = strapi.config.get<string>('bulletin.timeZone', 'Asia/Shanghai');
  const table = scoringTable(strapi);
  const knex = strapi.db.connection;

  const [units, tallies] = await Promise.all([
    unitCounts(knex, periodInstants(request.period, timeZone).map((instant) => instantParam(strapi, instant)) as [Date | number, Date | number]),
    adoptionTallies(knex, request.period, request.publication),
  ]);
  const credited = new Set(tallies.map((tally) => tally.unitId));
  const listed = units.filter((unit) => unit.active || unit.submitted > 0 || credited.has(unit.unitId));
  const documentIds = new Map(units.map((unit) => [unit.unitId, unit.documentId]));
  const rows = buildStatisticsFromTallies(listed, tallies, table);

  const own = (unitId: number): boolean => ownUnits === null || ownUnits.includes(unitId);
  const visible = visibility === 'own' ? rows.filter((row) => own(row.unitId)) : rows;
  const breakdowns = new Map<number, BreakdownLine[]>();
  if (request.breakdown) {
    const unitIds = visible.filter((row) => own(row.unitId)).map((row) => row.unitId);
    const facts = await adoptionFacts(knex, request.period, request.publication, unitIds);
    for (const row of buildStatistics([], facts, table)) breakdowns.set(row.unitId, row.breakdown);
  }

  return {
    publication: request.publication,
    publicationLabel: publicationLabel(request.publication),
    period: { ...request.period, label: request.periodLabel },
    timeZone,
    visibility,
    rankingPublished,
    scoring: table,
    rows: visible.map((row) => publicRow(row, documentIds.get(row.unitId) ?? null, visibility !== 'own', request.breakdown && own(row.unitId) ? (breakdowns.get(row.unitId) ?? []) : null)),
  };
}

function publicRow(row: StatisticsRow, unitDocumentId: string | null, showRank: boolean, breakdown: BreakdownLine[] | null): PublicRow {
  return {
    unitId: row.unitId,
    unitDocumentId,
    unitName: row.unitName,
    submitted: row.submitted,
    adopted: row.adopted,
    returned: row.returned,
    withdrawn: row.withdrawn,
    rate: row.rate,
    rateLabel: row.rateLabel,
    points: row.points,
    pointsHundredths: row.pointsHundredths,
    pointsLabel: row.pointsLabel,
    rank: showRank ? row.rank : null,
    breakdown,
  };
}

export function reportTitle(report: StatisticsReport): string {
  return report.publication === null ? '各刊物信息采用情况统计表' : `《${report.publication}》信息采用情况统计表`;
}

/** The table as CSV, or with `breakdown` every line of the breakdowns the caller may see. */
export function reportCsv(report: StatisticsReport, breakdown: boolean): string {
  const meta = { title: breakdown ? `${reportTitle(report)}得分明细` : reportTitle(report), periodLabel: report.period.label };
  return breakdown ? breakdownCsv(report.rows, meta) : statisticsCsv(report.rows, meta);
}

/** 信息采用统计-上街信息-2020年2月.csv, for Content-Disposition (RFC 5987 / 6266). */
export function attachmentName(report: StatisticsReport, suffix: string, extension: string): string {
  const name = `信息采用统计-${report.publicationLabel}-${report.period.label}${suffix}.${extension}`.replace(/[\\/:*?"<>|\s]+/gu, '_');
  return `attachment; filename="statistics.${extension}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

// ---------------------------------------------------------------------------------------------------------------
// The printable notice (通报)
// ---------------------------------------------------------------------------------------------------------------

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeHtml = (text: string): string => text.replace(/[&<>"']/gu, (char) => ESCAPES[char]);

const EDITION_NAME: Record<string, string> = { '*': '各版别', regular: '正刊', supplement: '增刊', special: '专刊' };

/** 上街信息增刊：单条采用每条15分，综合采用每个署名单位8分 — one line per rule, most general first. */
export function scoringLines(table: ScoringTable): string[] {
  const generality = (rule: ScoringRule): number => (rule.publication === '*' ? 0 : 2) + (rule.edition === '*' ? 0 : 1);
  return [...table.rules]
    .sort((a, b) => generality(a) - generality(b))
    .map((rule) => {
      const scope = rule.publication === '*' && rule.edition === '*' ? '各刊各版别' : `${rule.publication === '*' ? '各刊' : rule.publication}${EDITION_NAME[rule.edition] ?? rule.edition}`;
      const single = formatPoints(Math.round(rule.single * 100));
      const combined = formatPoints(Math.round(rule.combined * 100));
      const share = rule.combinedPer === 'unit' ? `综合采用每个署名单位${combined}分` : `综合采用每条${combined}分，由署名单位均分（每单位保留两位小数，舍去尾数）`;
      return `${scope}：单条采用每条${single}分，${share}`;
    });
}

const NOTICE_CSS = `
@page { size: A4; margin: 37mm 26mm 35mm 28mm; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0; color: #000; background: #fff; font-family: "仿宋_GB2312", "FangSong_GB2312", "FangSong", "STFangsong", "仿宋", "Noto Serif CJK SC", "Noto Sans CJK SC", serif; font-size: 14pt; line-height: 1.6; }
main { max-width: 156mm; margin: 0 auto; }
h1 { font-family: "方正小标宋简体", "FZXiaoBiaoSong-B05S", "STZhongsong", "华文中宋", "Noto Serif CJK SC", "Noto Sans CJK SC", serif; font-size: 22pt; font-weight: bold; text-align: center; margin: 0 0 4mm; }
.period { text-align: center; margin: 0 0 6mm; }
.lead { text-indent: 2em; margin: 0 0 4mm; }
table { width: 100%; border-collapse: collapse; font-size: 12pt; margin: 0 0 6mm; }
thead { display: table-header-group; }
tr { page-break-inside: avoid; break-inside: avoid; }
th, td { border: 0.5pt solid #000; padding: 1.2mm 1.5mm; text-align: center; vertical-align: middle; }
th { font-family: "黑体", "SimHei", "STHeiti", "Noto Sans CJK SC", sans-serif; font-weight: normal; }
td.unit, td.text { text-align: left; }
td.number { font-variant-numeric: tabular-nums; }
h2 { font-family: "黑体", "SimHei", "STHeiti", "Noto Sans CJK SC", sans-serif; font-size: 14pt; font-weight: normal; margin: 6mm 0 2mm; }
.notes { margin: 0; padding-left: 2em; font-size: 12pt; }
.notes li { margin: 0 0 1mm; }
.appendix { page-break-before: always; break-before: page; }
.appendix h3 { font-size: 13pt; margin: 4mm 0 2mm; }
table.breakdown { table-layout: fixed; font-size: 11pt; }
.signature { text-align: right; margin-top: 10mm; }
@media screen { body { background: #f4f4f4; } main { background: #fff; padding: 20mm 20mm 24mm; margin: 8mm auto; box-shadow: 0 0 4mm rgba(0,0,0,.15); max-width: 210mm; } }
`;

const CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

const cell = (text: string | number, kind: 'number' | 'unit' | 'text' = 'number'): string => `<td class="${kind}">${escapeHtml(String(text))}</td>`;

/**
 * The notice an editor prints or sends: a standalone HTML document (inline styles, no script, no external resource,
 * a Content-Security-Policy that forbids loading anything), A4 with GB/T 9704 margins, every text escaped. With
 * breakdowns in the report, an appendix lists the lines behind each unit's points.
 */
export function noticeHtml(report: StatisticsReport, today: string): string {
  const title = report.publication === null ? '信息采用情况通报' : `《${report.publication}》信息采用情况通报`;
  const showRank = report.rows.some((row) => row.rank !== null);
  const header = [...(showRank ? ['名次'] : []), '单位', '报送', '采用', '退回', '撤回', '采用率', '得分'];
  const body = report.rows
    .map((row) =>
      [
        '<tr>',
        ...(showRank ? [cell(row.rank ?? '—')] : []),
        cell(row.unitName, 'unit'),
        cell(row.submitted),
        cell(row.adopted),
        cell(row.returned),
        cell(row.withdrawn),
        cell(row.rateLabel),
        cell(row.pointsLabel),
        '</tr>',
      ].join(''),
    )
    .join('\n');
  const target = report.publication === null ? '各刊物' : `《${report.publication}》`;
  const notes = [
    `报送：${report.period.label}内报送（按报送时间，${report.timeZone === 'Asia/Shanghai' ? '北京时间' : report.timeZone}）的信息条数，含其后被退回、撤回的；综合报送的信息每个署名单位各计一条。`,
    `采用：刊发在${report.period.label}内签发的${target}各期的信息条数，按该期的签发日期统计，未签发或已撤回签发的期不计；综合采用的信息每个署名单位各计一条。`,
    '采用率＝采用÷报送。报送与采用分别按报送时间和签发日期统计，跨期采用的信息可使采用率超过100%；无报送的单位采用率记为“—”。',
    ...scoringLines(report.scoring).map((line) => `计分：${line}。`),
    '名次按得分排列，得分相同的名次并列。',
  ];
  const appendix = report.rows.filter((row) => row.breakdown !== null && row.breakdown.length > 0);
  const appendixHtml =
    appendix.length === 0
      ? ''
      : [
          '<section class="appendix">',
          '<h2>附：得分明细</h2>',
          ...appendix.map((row) =>
            [
              `<h3>${escapeHtml(row.unitName)}（${row.adopted}条，${escapeHtml(row.pointsLabel)}分）</h3>`,
              '<table class="breakdown"><colgroup><col style="width:24%"><col style="width:17%"><col><col style="width:22%"><col style="width:9%"></colgroup>',
              '<thead><tr><th>期</th><th>签发日期</th><th>信息标题</th><th>计分依据</th><th>得分</th></tr></thead><tbody>',
              ...(row.breakdown ?? []).map(
                (line) =>
                  `<tr>${cell(line.issueLabel, 'text')}${cell(chineseDateLabel(line.issueDate))}${cell(line.headline, 'text')}${cell(line.basis, 'text')}${cell(line.pointsLabel)}</tr>`,
              ),
              '</tbody></table>',
            ].join('\n'),
          ),
          '</section>',
        ].join('\n');
  return [
    '<!DOCTYPE html>',
    '<html lang="zh-CN">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${escapeHtml(CONTENT_SECURITY_POLICY)}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(`${title}（${report.period.label}）`)}</title>`,
    `<style>${NOTICE_CSS}</style>`,
    '</head>',
    '<body>',
    '<main>',
    `<h1>${escapeHtml(title)}</h1>`,
    `<p class="period">（${escapeHtml(report.period.label)}）</p>`,
    `<p class="lead">${escapeHtml(`现将${report.period.label}各单位向${target}报送和被采用信息的情况通报如下。`)}</p>`,
    `<table class="statistics"><thead><tr>${header.map((name) => `<th>${escapeHtml(name)}</th>`).join('')}</tr></thead>`,
    `<tbody>\n${body}\n</tbody></table>`,
    '<h2>统计说明</h2>',
    `<ol class="notes">${notes.map((note) => `<li>${escapeHtml(note)}</li>`).join('')}</ol>`,
    `<p class="signature">${escapeHtml(chineseDateLabel(today))}</p>`,
    appendixHtml,
    '</main>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

// ---------------------------------------------------------------------------------------------------------------
// HTTP: shared by the content-API controller and the admin routes
// ---------------------------------------------------------------------------------------------------------------

type HttpContext = {
  query: Record<string, unknown>;
  set: (name: string, value: string) => void;
  type: string;
  body: unknown;
};

function privateAnswer(ctx: HttpContext): void {
  ctx.set('Cache-Control', 'private, no-store');
  ctx.set('Vary', 'Authorization');
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
  ctx.set('Content-Security-Policy', CONTENT_SECURITY_POLICY);
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
  strapi
    .plugin('graphql')
    .service('extension')
    // nexus's builder types are generated per schema; these are plain object types and one query field.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    .use(({ nexus }: { nexus: any }) => ({
      types: [
        nexus.objectType({
          name: 'BulletinStatisticsLine',
          description: 'One adopted item behind a unit\'s points: which item, which issue, how many points.',
          // eslint-disable-next-line @typescript-eslint/no-explicit-any
          definition(t: any) {
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
          // eslint-disable-next-line @typescript-eslint/no-explicit-any
          definition(t: any) {
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
          // eslint-disable-next-line @typescript-eslint/no-explicit-any
          definition(t: any) {
            t.nonNull.string('from');
            t.nonNull.string('to');
            t.nonNull.string('label');
          },
        }),
        nexus.objectType({
          name: 'BulletinStatistics',
          description: 'Adoption statistics (信息采用统计) of a period and publication.',
          // eslint-disable-next-line @typescript-eslint/no-explicit-any
          definition(t: any) {
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
        nexus.extendType({
          type: 'Query',
          // eslint-disable-next-line @typescript-eslint/no-explicit-any
          definition(t: any) {
            t.nonNull.field('bulletinStatistics', {
              type: 'BulletinStatistics',
              description: 'Per unit: submitted, adopted, returned, withdrawn, rate, points, rank. Give month (2020-02), quarter (2020-Q1), year, or from and to.',
              args: {
                month: nexus.stringArg(),
                quarter: nexus.stringArg(),
                year: nexus.intArg(),
                from: nexus.stringArg(),
                to: nexus.stringArg(),
                publication: nexus.stringArg({ description: 'default: the default publication; "*": all' }),
                breakdown: nexus.booleanArg({ default: false }),
              },
              resolve: (_parent: unknown, args: Record<string, unknown>) => statisticsReport(strapi, statisticsRequest(strapi, args)),
            });
          },
        }),
      ],
      resolversConfig: {
        'Query.bulletinStatistics': { auth: { scope: ['api::statistics.statistics.find'] } },
      },
    }));
}
