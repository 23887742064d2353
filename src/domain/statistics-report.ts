import type { Viewer } from './access';
import { chineseDateLabel } from './dates';
import { escapeHtml, standaloneDocument } from './issue-html';
import {
  breakdownCsv,
  formatPoints,
  statisticsCsv,
  type BreakdownLine,
  type Period,
  type ScoringRule,
  type ScoringTable,
  type StatisticsRow,
} from './statistics';

/**
 * The adoption statistics as a caller sees them, and the printable notice (通报).
 *
 * Who sees what: staff (admin users, API tokens) every unit with ranks and breakdowns; a contributor (信息员, or unit
 * staff in the admin) only the rows of their units, without rank — unless the office publishes the ranking
 * (BULLETIN_PUBLISH_RANKING=true): then the whole table with ranks, breakdowns still only of their own units. Anyone
 * else may not see statistics.
 */

export type Visibility = 'all' | 'own' | 'ranking';

/** A row as the caller may see it: the figures, the unit's documentId, the rank where shown, the breakdown where allowed. */
export type PublicRow = Omit<StatisticsRow, 'sortOrder' | 'rank' | 'breakdown'> & {
  unitDocumentId: string | null;
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

export type StatisticsView = { visibility: Visibility; ownUnits: readonly number[] | null };

/** What a viewer may see of the statistics; null when they may not see them at all. */
export function statisticsView(viewer: Viewer, rankingPublished: boolean): StatisticsView | null {
  switch (viewer.kind) {
    case 'staff':
      return { visibility: 'all', ownUnits: null };
    case 'contributor':
      return { visibility: rankingPublished ? 'ranking' : 'own', ownUnits: viewer.unitIds };
    default:
      return null;
  }
}

/** Whether the view shows this unit's breakdown (the lines behind its points). */
export function showsBreakdownOf(view: StatisticsView, unitId: number): boolean {
  return view.ownUnits === null || view.ownUnits.includes(unitId);
}

/** The rows the view shows: all of them, or (own) only the viewer's units. */
export function visibleRows(rows: readonly StatisticsRow[], view: StatisticsView): StatisticsRow[] {
  return view.visibility === 'own' ? rows.filter((row) => showsBreakdownOf(view, row.unitId)) : [...rows];
}

/** A row as the view shows it: no rank in the own-rows view; the breakdown only where given (and allowed). */
export function publicRow(
  row: StatisticsRow,
  view: StatisticsView,
  unitDocumentId: string | null,
  breakdown: BreakdownLine[] | null,
): PublicRow {
  const { sortOrder: _sortOrder, rank, breakdown: _breakdown, ...figures } = row;
  return {
    ...figures,
    unitDocumentId,
    rank: view.visibility === 'own' ? null : rank,
    breakdown: showsBreakdownOf(view, row.unitId) ? breakdown : null,
  };
}

export function reportTitle(report: StatisticsReport): string {
  return report.publication === null ? '各刊物信息采用情况统计表' : `《${report.publication}》信息采用情况统计表`;
}

/** The table as CSV, or with `breakdown` every line of the breakdowns the caller may see. */
export function reportCsv(report: StatisticsReport, breakdown: boolean): string {
  const meta = {
    title: breakdown ? `${reportTitle(report)}得分明细` : reportTitle(report),
    periodLabel: report.period.label,
  };
  return breakdown ? breakdownCsv(report.rows, meta) : statisticsCsv(report.rows, meta);
}

// ---- the printable notice (通报) ----------------------------------------------------------------------------------

const EDITION_NAME: Record<string, string> = { '*': '各版别', regular: '正刊', supplement: '增刊', special: '专刊' };

/** 上街信息增刊：单条采用每条15分，综合采用每个署名单位8分 — one line per rule, most general first. */
export function scoringLines(table: ScoringTable): string[] {
  const generality = (rule: ScoringRule): number => (rule.publication === '*' ? 0 : 2) + (rule.edition === '*' ? 0 : 1);
  return [...table.rules]
    .sort((a, b) => generality(a) - generality(b))
    .map((rule) => {
      const scope =
        rule.publication === '*' && rule.edition === '*'
          ? '各刊各版别'
          : `${rule.publication === '*' ? '各刊' : rule.publication}${EDITION_NAME[rule.edition] ?? rule.edition}`;
      const single = formatPoints(Math.round(rule.single * 100));
      const combined = formatPoints(Math.round(rule.combined * 100));
      const share =
        rule.combinedPer === 'unit'
          ? `综合采用每个署名单位${combined}分`
          : `综合采用每条${combined}分，由署名单位均分（每单位保留两位小数，舍去尾数）`;
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

const cell = (text: string | number, kind: 'number' | 'unit' | 'text' = 'number'): string =>
  `<td class="${kind}">${escapeHtml(String(text))}</td>`;

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
  return standaloneDocument({
    title: `${title}（${report.period.label}）`,
    css: NOTICE_CSS,
    body: [
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
    ].join('\n'),
  });
}
