import type { Violation } from './attribution';
import { isEdition, type Edition } from './labels';
import { chineseDateLabel, parseCalendarDate } from './dates';

/**
 * Adoption statistics (信息采用统计): per unit and period, items submitted, adopted, returned and withdrawn, the
 * adoption rate, points and rank, with a breakdown of every point. Offices publish these monthly and use them in the
 * annual assessment, so every figure is exact: points are whole hundredths of a point (0.01分) throughout, rates are
 * rounded with integer arithmetic, and a unit's points are by construction the sum of its breakdown.
 *
 * What the adapter counts and hands in (this module only computes):
 * - 报送 submitted: items crediting the unit whose submission date (creation, as a calendar date in the office's time
 *   zone) falls in the period, whatever has become of them since. A combined item counts once for each of its units.
 * - 退回 returned / 撤回 withdrawn: of those, the ones currently returned / withdrawn (so both are part of 报送).
 * - 采用 adopted: one fact per (unit, item) for items adopted in an issue that is signed off (published) and whose
 *   date falls in the period, in the publication asked for. An item is counted by the date of the issue that carried
 *   it, not by its submission date. A combined item adopted from three units counts as one adoption for each of them.
 */

// ---------------------------------------------------------------------------------------------------------------
// Periods
// ---------------------------------------------------------------------------------------------------------------

/** Inclusive calendar dates, `YYYY-MM-DD` in the office's time zone. */
export type Period = { from: string; to: string };

/** A period as asked for: exactly one of from+to, month (2020-02), quarter (2020-Q1) or year (2020). */
export type PeriodQuery = { from?: unknown; to?: unknown; month?: unknown; quarter?: unknown; year?: unknown };

export type ResolvedPeriod = { period: Period; label: string };

const MONTH = /^(\d{4})-(\d{2})$/;
const QUARTER = /^(\d{4})-?[Qq]([1-4])$/;
const YEAR = /^\d{4}$/;
const MIN_YEAR = 1949;
const MAX_YEAR = 2999;
const QUARTER_NUMERAL = ['一', '二', '三', '四'];

const isLeapYear = (year: number): boolean => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
const daysInMonth = (year: number, month: number): number =>
  month === 2 ? (isLeapYear(year) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
const pad2 = (value: number): string => String(value).padStart(2, '0');
const monthStart = (year: number, month: number): string => `${year}-${pad2(month)}-01`;
const monthEnd = (year: number, month: number): string => `${year}-${pad2(month)}-${pad2(daysInMonth(year, month))}`;

/** A query value counts as given unless absent, null or blank (an empty form field or `?month=`). */
const isGiven = (value: unknown): boolean =>
  value !== undefined && value !== null && !(typeof value === 'string' && value.trim() === '');

const asText = (value: unknown): string | null => (typeof value === 'string' ? value.trim() : null);

const yearInRange = (year: number): boolean => year >= MIN_YEAR && year <= MAX_YEAR;

/**
 * The period a query asks for and its Chinese label. Exactly one form is given: a month (2020-02 → 2020-02-01 to
 * 2020-02-29, "2020年2月"), a quarter (2020-Q1 or 2020Q1 → 2020-01-01 to 2020-03-31, "2020年第一季度"), a year (2020
 * or "2020" → "2020年"), or from and to together ("2020年1月1日至2020年3月31日", a single day labelled once). Both
 * ends are included. Years run from 1949 to 2999 like issue years. Nothing given, several forms mixed, an impossible
 * date, from after to: violations naming the field; none of them a default, since a figure for the wrong period would
 * be printed as if right.
 */
export function resolvePeriod(query: PeriodQuery): ResolvedPeriod | { violations: Violation[] } {
  const forms: { form: 'range' | 'month' | 'quarter' | 'year'; fields: (keyof PeriodQuery)[]; name: string }[] = [
    { form: 'range', fields: ['from', 'to'], name: '起止日期（from/to）' },
    { form: 'month', fields: ['month'], name: '月份（month）' },
    { form: 'quarter', fields: ['quarter'], name: '季度（quarter）' },
    { form: 'year', fields: ['year'], name: '年度（year）' },
  ];
  const given = forms.filter(({ fields }) => fields.some((field) => isGiven(query[field])));
  if (given.length === 0) {
    return {
      violations: [
        {
          path: ['period'],
          message:
            '请指定统计期间：月份 month（如 2020-02）、季度 quarter（如 2020-Q1）、年度 year（如 2020），或起止日期 from 和 to',
        },
      ],
    };
  }
  if (given.length > 1) {
    const names = given.map(({ name }) => name).join('、');
    return {
      violations: given.flatMap(({ fields }) =>
        fields
          .filter((field) => isGiven(query[field]))
          .map((field) => ({ path: [field], message: `统计期间只能选一种，现在同时给出了${names}` })),
      ),
    };
  }
  switch (given[0].form) {
    case 'month':
      return resolveMonth(query.month);
    case 'quarter':
      return resolveQuarter(query.quarter);
    case 'year':
      return resolveYear(query.year);
    case 'range':
      return resolveRange(query.from, query.to);
  }
}

function resolveMonth(value: unknown): ResolvedPeriod | { violations: Violation[] } {
  const match = MONTH.exec(asText(value) ?? '');
  const year = match === null ? NaN : Number(match[1]);
  const month = match === null ? NaN : Number(match[2]);
  if (match === null || month < 1 || month > 12 || !yearInRange(year)) {
    return {
      violations: [
        { path: ['month'], message: `月份（month）须为 YYYY-MM 格式、1至12月、${MIN_YEAR}至${MAX_YEAR}年，如 2020-02` },
      ],
    };
  }
  return { period: { from: monthStart(year, month), to: monthEnd(year, month) }, label: `${year}年${month}月` };
}

function resolveQuarter(value: unknown): ResolvedPeriod | { violations: Violation[] } {
  const match = QUARTER.exec(asText(value) ?? '');
  const year = match === null ? NaN : Number(match[1]);
  if (match === null || !yearInRange(year)) {
    return {
      violations: [
        {
          path: ['quarter'],
          message: `季度（quarter）须为 YYYY-Q1 至 YYYY-Q4、${MIN_YEAR}至${MAX_YEAR}年，如 2020-Q1`,
        },
      ],
    };
  }
  const quarter = Number(match[2]);
  const firstMonth = quarter * 3 - 2;
  return {
    period: { from: monthStart(year, firstMonth), to: monthEnd(year, firstMonth + 2) },
    label: `${year}年第${QUARTER_NUMERAL[quarter - 1]}季度`,
  };
}

function resolveYear(value: unknown): ResolvedPeriod | { violations: Violation[] } {
  const text = typeof value === 'number' ? String(value) : (asText(value) ?? '');
  const year = YEAR.test(text) ? Number(text) : NaN;
  if (!yearInRange(year)) {
    return {
      violations: [{ path: ['year'], message: `年度（year）须为${MIN_YEAR}至${MAX_YEAR}之间的四位年份，如 2020` }],
    };
  }
  return { period: { from: `${year}-01-01`, to: `${year}-12-31` }, label: `${year}年` };
}

function resolveRange(fromValue: unknown, toValue: unknown): ResolvedPeriod | { violations: Violation[] } {
  const violations: Violation[] = [];
  const check = (field: 'from' | 'to', value: unknown, name: string): string | null => {
    if (!isGiven(value)) {
      violations.push({ path: [field], message: `缺少${name}（${field}）：起止日期须同时给出` });
      return null;
    }
    const text = asText(value);
    const date = text === null ? null : parseCalendarDate(text);
    if (text === null || date === null || !yearInRange(date.year)) {
      violations.push({ path: [field], message: `${name}（${field}）须为 YYYY-MM-DD 格式的有效日期，如 2020-01-01` });
      return null;
    }
    return text;
  };
  const from = check('from', fromValue, '开始日期');
  const to = check('to', toValue, '结束日期');
  if (from === null || to === null) return { violations };
  if (from > to) return { violations: [{ path: ['to'], message: `结束日期（to）${to} 早于开始日期（from）${from}` }] };
  const label = from === to ? chineseDateLabel(from) : `${chineseDateLabel(from)}至${chineseDateLabel(to)}`;
  return { period: { from, to }, label };
}

/** Whether a calendar date falls in the period, both ends included (`YYYY-MM-DD` strings compare as dates). */
export function inPeriod(date: string, period: Period): boolean {
  return date >= period.from && date <= period.to;
}

// ---------------------------------------------------------------------------------------------------------------
// Scoring
// ---------------------------------------------------------------------------------------------------------------

export type AdoptionKind = 'single' | 'combined';

/**
 * One line of the scoring table (计分办法). Points are decimals with at most two places (0.01分), zero or more.
 * - `single`: what the unit of a single adoption (单条采用) gets.
 * - `combined` with `combinedPer: 'unit'`: what each contributing unit of a combined adoption (综合采用) gets, however
 *   many they are (每个署名单位各得 combined 分).
 * - `combined` with `combinedPer: 'item'`: the points of the whole combined item, shared equally among its units; each
 *   share is rounded DOWN to 0.01分 (10分 among 3 units: 3.33 each), so no unit is credited more than its share and a
 *   combined item never scores more than the table says. The 0.01 left over is credited to nobody.
 * `publication` '*' and `edition` '*' match anything.
 */
export type ScoringRule = {
  publication: string;
  edition: Edition | '*';
  single: number;
  combined: number;
  combinedPer: 'unit' | 'item';
};

/** The table as kept in settings (JSON): `{ "rules": [ … ] }`. */
export type ScoringTable = { rules: ScoringRule[] };

/**
 * An example the office edits in settings, not a rule of this code: a regular issue scores 10 points for a single
 * adoption and 5 for each unit of a combined one; a supplement (增刊) or special edition (专刊) 15 and 8.
 */
export const DEFAULT_SCORING: ScoringTable = {
  rules: [
    { publication: '*', edition: '*', single: 10, combined: 5, combinedPer: 'unit' },
    { publication: '*', edition: 'supplement', single: 15, combined: 8, combinedPer: 'unit' },
    { publication: '*', edition: 'special', single: 15, combined: 8, combinedPer: 'unit' },
  ],
};

const RULE_FIELDS: readonly string[] = ['publication', 'edition', 'single', 'combined', 'combinedPer'];
const MAX_POINTS = 10000;

/** 12.5 → 1250; only meaningful for values with at most two decimals (scoringViolations checks). */
const toHundredths = (points: number): number => Math.round(points * 100);
const hasAtMostTwoDecimals = (points: number): boolean => Math.abs(points * 100 - Math.round(points * 100)) < 1e-6;
const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Everything wrong with a scoring table coming from settings, all at once, with paths like ['rules', '0', 'single'].
 * Each rule names a publication (or '*') and an edition (regular / supplement / special or '*'), and gives `single` and
 * `combined` points (0 to 10000, at most two decimals) and `combinedPer` ('unit' or 'item'); unknown fields are refused
 * (a misspelt field would otherwise be silently ignored). No two rules may cover the same publication and edition, and
 * one rule must be '*' / '*' so that every adoption is scored by a rule someone chose.
 */
export function scoringViolations(table: unknown): Violation[] {
  if (!isRecord(table) || !Array.isArray(table.rules)) {
    return [{ path: ['rules'], message: '计分表须为 { "rules": [ … ] }，rules 为计分规则列表' }];
  }
  const violations: Violation[] = [];
  const seen = new Map<string, number>();
  table.rules.forEach((rule: unknown, index: number) => {
    const at = (field?: string): string[] =>
      field === undefined ? ['rules', String(index)] : ['rules', String(index), field];
    if (!isRecord(rule)) {
      violations.push({ path: at(), message: `第${index + 1}条计分规则须为对象` });
      return;
    }
    for (const key of Object.keys(rule)) {
      if (!RULE_FIELDS.includes(key)) {
        violations.push({
          path: at(key),
          message: `第${index + 1}条计分规则有未知字段“${key}”；可用字段：${RULE_FIELDS.join('、')}`,
        });
      }
    }
    const publicationOk =
      typeof rule.publication === 'string' && rule.publication.trim() !== '' && rule.publication.length <= 40;
    if (!publicationOk) {
      violations.push({
        path: at('publication'),
        message: `第${index + 1}条计分规则的刊名（publication）须为刊名（如 上街信息）或 "*"（任何刊名）`,
      });
    }
    const editionOk = typeof rule.edition === 'string' && (rule.edition === '*' || isEdition(rule.edition));
    if (!editionOk) {
      violations.push({
        path: at('edition'),
        message: `第${index + 1}条计分规则的版别（edition）须为 regular、supplement、special 或 "*"`,
      });
    }
    for (const field of ['single', 'combined'] as const) {
      const value = rule[field];
      if (
        typeof value !== 'number' ||
        !Number.isFinite(value) ||
        value < 0 ||
        value > MAX_POINTS ||
        !hasAtMostTwoDecimals(value)
      ) {
        const name = field === 'single' ? '单条采用分值' : '综合采用分值';
        violations.push({
          path: at(field),
          message: `第${index + 1}条计分规则的${name}（${field}）须为0至${MAX_POINTS}之间、最多两位小数的数`,
        });
      }
    }
    if (rule.combinedPer !== 'unit' && rule.combinedPer !== 'item') {
      violations.push({
        path: at('combinedPer'),
        message: `第${index + 1}条计分规则的 combinedPer 须为 "unit"（每个署名单位各得 combined 分）或 "item"（combined 分由各单位均分）`,
      });
    }
    if (publicationOk && editionOk) {
      const key = `${(rule.publication as string).trim()}\u0000${rule.edition as string}`;
      const earlier = seen.get(key);
      if (earlier !== undefined) {
        violations.push({
          path: at(),
          message: `第${index + 1}条计分规则与第${earlier + 1}条适用于同一刊名和版别，只能保留一条`,
        });
      } else {
        seen.set(key, index);
      }
    }
  });
  if (!seen.has('*\u0000*')) {
    violations.push({ path: ['rules'], message: '计分表须有一条刊名和版别都为 "*" 的通用规则，使每条采用都有分值' });
  }
  return violations;
}

/** A table from settings, checked and typed (publication names trimmed), or what is wrong with it. */
export function parseScoringTable(input: unknown): { table: ScoringTable } | { violations: Violation[] } {
  const violations = scoringViolations(input);
  if (violations.length > 0) return { violations };
  const rules = (input as { rules: ScoringRule[] }).rules.map(
    (rule): ScoringRule => ({
      publication: rule.publication.trim(),
      edition: rule.edition,
      single: rule.single,
      combined: rule.combined,
      combinedPer: rule.combinedPer,
    }),
  );
  return { table: { rules } };
}

/**
 * The rule that applies to an issue: the most specific wins — publication and edition both named, then the
 * publication with edition '*', then '*' with the edition, then '*' / '*'. Null when none matches (a table that
 * passed scoringViolations always has '*' / '*').
 */
export function ruleFor(table: ScoringTable, publication: string, edition: string): ScoringRule | null {
  const specificity = (rule: ScoringRule): number =>
    (rule.publication === publication ? 2 : rule.publication === '*' ? 0 : -Infinity) +
    (rule.edition === edition ? 1 : rule.edition === '*' ? 0 : -Infinity);
  let best: ScoringRule | null = null;
  let bestScore = -Infinity;
  for (const rule of table.rules) {
    const score = specificity(rule);
    if (score > bestScore) {
      best = rule;
      bestScore = score;
    }
  }
  return bestScore >= 0 ? best : null;
}

export type Score = {
  /** Points credited to ONE unit for one adopted item, in hundredths of a point (0.01分), a whole number. */
  hundredths: number;
  /** How they were reached, in words for the breakdown: 单条采用，10分 / 综合采用（3个单位），每单位5分. */
  basis: string;
  rule: ScoringRule | null;
};

/**
 * What one contributing unit gets for one adopted item, in whole hundredths: the single points for a single adoption;
 * for a combined one (unitCount units credited), `combined` each, or with `combinedPer: 'item'` an equal share of
 * `combined` rounded down to 0.01分. No matching rule scores 0 (and says so). A unit count below 1 is taken as 1.
 */
export function scoreFor(
  table: ScoringTable,
  publication: string,
  edition: string,
  adoptionKind: AdoptionKind,
  unitCount: number,
): Score {
  const rule = ruleFor(table, publication, edition);
  if (rule === null) return { hundredths: 0, basis: '无适用计分规则，0分', rule };
  if (adoptionKind === 'single') {
    const hundredths = toHundredths(rule.single);
    return { hundredths, basis: `单条采用，${formatPoints(hundredths)}分`, rule };
  }
  const units = Number.isInteger(unitCount) && unitCount >= 1 ? unitCount : 1;
  const combined = toHundredths(rule.combined);
  if (rule.combinedPer === 'unit') {
    return { hundredths: combined, basis: `综合采用（${units}个单位），每单位${formatPoints(combined)}分`, rule };
  }
  const share = Math.floor(combined / units);
  return {
    hundredths: share,
    basis: `综合采用（${units}个单位），${formatPoints(combined)}分由${units}个单位均分，每单位${formatPoints(share)}分`,
    rule,
  };
}

/** scoreFor in points (a decimal with at most two places); sums should be made with scoreFor's hundredths. */
export function pointsFor(
  table: ScoringTable,
  publication: string,
  edition: string,
  adoptionKind: AdoptionKind,
  unitCount: number,
): number {
  return scoreFor(table, publication, edition, adoptionKind, unitCount).hundredths / 100;
}

/** 1000 → '10', 1250 → '12.5', 333 → '3.33', 5 → '0.05': whole hundredths printed without a float in between. */
export function formatPoints(hundredths: number): string {
  const sign = hundredths < 0 ? '-' : '';
  const magnitude = Math.abs(Math.round(hundredths));
  const whole = Math.floor(magnitude / 100);
  const cents = magnitude % 100;
  if (cents === 0) return `${sign}${whole}`;
  const decimals = cents % 10 === 0 ? String(cents / 10) : pad2(cents);
  return `${sign}${whole}.${decimals}`;
}

// ---------------------------------------------------------------------------------------------------------------
// The table
// ---------------------------------------------------------------------------------------------------------------

/** One unit credited with one adopted item in a signed-off issue of the period (one per unit of a combined item). */
export type AdoptionFact = {
  unitId: number;
  /** Used when the unit has no CountRow (the unit is then listed after the others of its rank). */
  unitName: string;
  itemId: number;
  itemHeadline: string;
  issueId: number;
  /** 上街信息 2020年第14期 */
  issueLabel: string;
  issueDate: string;
  publication: string;
  edition: string;
  adoptionKind: AdoptionKind;
  /** How many units the item credits (1 for a single adoption). */
  unitCount: number;
};

/** A unit to list, with what the adapter counted by submission date (see the module comment). */
export type CountRow = {
  unitId: number;
  unitName: string;
  sortOrder: number;
  submitted: number;
  returned: number;
  withdrawn: number;
};

export type BreakdownLine = {
  itemId: number;
  headline: string;
  issueId: number;
  issueLabel: string;
  issueDate: string;
  adoptionKind: AdoptionKind;
  unitCount: number;
  /** Points for this item, hundredths / 100. */
  points: number;
  pointsHundredths: number;
  pointsLabel: string;
  basis: string;
};

export type StatisticsRow = {
  unitId: number;
  unitName: string;
  sortOrder: number;
  submitted: number;
  adopted: number;
  returned: number;
  withdrawn: number;
  /** adopted / submitted, unrounded and not capped; null when nothing was submitted in the period. */
  rate: number | null;
  /** 45.5% (one decimal, half up), or — when nothing was submitted. */
  rateLabel: string;
  /** pointsHundredths / 100. */
  points: number;
  /** Exactly the sum of the breakdown's pointsHundredths. */
  pointsHundredths: number;
  pointsLabel: string;
  rank: number;
  breakdown: BreakdownLine[];
};

/**
 * 采用率 = adopted / submitted. Adoptions are counted by issue date and submissions by submission date, so an item
 * submitted late in one month and adopted early in the next counts in different periods: the rate can exceed 100%
 * and is NOT capped (capping would hide figures that are each right). With nothing submitted the rate is null and
 * printed —, even if something was adopted. The label rounds half up to 0.1% with integer arithmetic
 * (5/11 → 45.5%, 1/16 → 6.3%).
 */
export function rateLabel(adopted: number, submitted: number): string {
  if (submitted <= 0) return '—';
  const tenths = Math.floor((adopted * 2000 + submitted) / (2 * submitted));
  return `${Math.floor(tenths / 10)}.${tenths % 10}%`;
}

const compareIssue = (a: BreakdownLine, b: BreakdownLine): number =>
  a.issueDate < b.issueDate ? -1 : a.issueDate > b.issueDate ? 1 : a.issueId - b.issueId || a.itemId - b.itemId;

/**
 * The statistics table. Every unit in `counts` is listed, with zeros if it did nothing; a unit credited in
 * `adoptions` but missing from `counts` is listed too (zero counts, after the others of its rank), so no point is
 * lost. Repeated count rows for a unit add up; a (unit, item) pair is credited once however often it is handed in.
 *
 * - 采用 adopted: the number of distinct items credited to the unit.
 * - 得分 points: the sum of the unit's per-item points (scoreFor), added in whole hundredths, so the breakdown adds up
 *   exactly to the row; no rounding happens after the per-item share.
 * - 名次 rank: competition ranking by points ("1, 1, 3"): one more than the number of units with more points. Units
 *   with equal points share a rank, so units with no points all share the last rank.
 * - Order: by rank, then (for order only, the rank stays shared) more adoptions first, then the unit's sort order,
 *   then its name (pinyin order), then its id. The breakdown lists items by issue date, issue and item.
 */
export function buildStatistics(
  counts: readonly CountRow[],
  adoptions: readonly AdoptionFact[],
  table: ScoringTable,
): StatisticsRow[] {
  const rows = rowsOf(counts);
  const credited = new Set<string>();
  for (const fact of adoptions) {
    const key = `${fact.unitId}:${fact.itemId}`;
    if (credited.has(key)) continue;
    credited.add(key);
    const score = scoreFor(table, fact.publication, fact.edition, fact.adoptionKind, fact.unitCount);
    rowOf(rows, fact.unitId, fact.unitName, Number.MAX_SAFE_INTEGER).breakdown.push({
      itemId: fact.itemId,
      headline: fact.itemHeadline,
      issueId: fact.issueId,
      issueLabel: fact.issueLabel,
      issueDate: fact.issueDate,
      adoptionKind: fact.adoptionKind,
      unitCount: fact.unitCount,
      points: score.hundredths / 100,
      pointsHundredths: score.hundredths,
      pointsLabel: formatPoints(score.hundredths),
      basis: score.basis,
    });
  }
  const list = [...rows.values()];
  for (const row of list) {
    row.breakdown.sort(compareIssue);
    row.adopted = row.breakdown.length;
    row.pointsHundredths = row.breakdown.reduce((sum, line) => sum + line.pointsHundredths, 0);
  }
  return ranked(list);
}

/**
 * Adoptions counted by the database instead of listed one by one: how many distinct items credit a unit, for one
 * combination of what decides their points (publication, edition, adoption kind, number of units credited). A
 * five-year table is a few hundred of these rather than one fact per adoption.
 */
export type AdoptionTally = {
  unitId: number;
  /** Used when the unit has no CountRow, as in AdoptionFact. */
  unitName: string;
  publication: string;
  edition: string;
  adoptionKind: AdoptionKind;
  unitCount: number;
  /** Distinct items of this combination crediting the unit. */
  items: number;
};

/**
 * The table of buildStatistics from tallies: adopted is the sum of the unit's tallies and points the sum of
 * items × scoreFor(…).hundredths, the very per-item points buildStatistics adds up, so both give the same rows
 * whenever the tallies count the same facts. Listing, rates, ranks and order are buildStatistics'. Breakdowns are
 * left empty: buildStatistics with the facts of the units concerned gives them.
 */
export function buildStatisticsFromTallies(
  counts: readonly CountRow[],
  tallies: readonly AdoptionTally[],
  table: ScoringTable,
): StatisticsRow[] {
  const rows = rowsOf(counts);
  for (const tally of tallies) {
    if (!Number.isInteger(tally.items) || tally.items <= 0) continue;
    const score = scoreFor(table, tally.publication, tally.edition, tally.adoptionKind, tally.unitCount);
    const row = rowOf(rows, tally.unitId, tally.unitName, Number.MAX_SAFE_INTEGER);
    row.adopted += tally.items;
    row.pointsHundredths += tally.items * score.hundredths;
  }
  return ranked([...rows.values()]);
}

function rowOf(rows: Map<number, StatisticsRow>, unitId: number, unitName: string, sortOrder: number): StatisticsRow {
  let row = rows.get(unitId);
  if (row === undefined) {
    row = {
      unitId,
      unitName,
      sortOrder,
      submitted: 0,
      adopted: 0,
      returned: 0,
      withdrawn: 0,
      rate: null,
      rateLabel: '—',
      points: 0,
      pointsHundredths: 0,
      pointsLabel: '0',
      rank: 0,
      breakdown: [],
    };
    rows.set(unitId, row);
  }
  return row;
}

/** A row for every unit counted, repeated count rows adding up. */
function rowsOf(counts: readonly CountRow[]): Map<number, StatisticsRow> {
  const rows = new Map<number, StatisticsRow>();
  for (const count of counts) {
    const row = rowOf(rows, count.unitId, count.unitName, count.sortOrder);
    row.submitted += count.submitted;
    row.returned += count.returned;
    row.withdrawn += count.withdrawn;
  }
  return rows;
}

/** Points, rates, ranks and order of rows whose adopted and pointsHundredths are set. */
function ranked(list: StatisticsRow[]): StatisticsRow[] {
  for (const row of list) {
    row.points = row.pointsHundredths / 100;
    row.pointsLabel = formatPoints(row.pointsHundredths);
    row.rate = row.submitted > 0 ? row.adopted / row.submitted : null;
    row.rateLabel = rateLabel(row.adopted, row.submitted);
  }
  for (const row of list) {
    row.rank = 1 + list.filter((other) => other.pointsHundredths > row.pointsHundredths).length;
  }
  return list.sort(
    (a, b) =>
      a.rank - b.rank ||
      b.adopted - a.adopted ||
      a.sortOrder - b.sortOrder ||
      a.unitName.localeCompare(b.unitName, 'zh-Hans-CN') ||
      a.unitId - b.unitId,
  );
}

// ---------------------------------------------------------------------------------------------------------------
// CSV
// ---------------------------------------------------------------------------------------------------------------

export const STATISTICS_CSV_HEADER = ['名次', '单位', '报送', '采用', '退回', '撤回', '采用率', '得分'] as const;
export const BREAKDOWN_CSV_HEADER = [
  '单位',
  '期',
  '签发日期',
  '信息标题',
  '采用方式',
  '署名单位数',
  '计分依据',
  '得分',
] as const;

const KIND_LABEL: Record<AdoptionKind, string> = { single: '单条采用', combined: '综合采用' };

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, a double quote, a line break or edge spaces, quotes doubled.
 * Text that a spreadsheet would run as a formula (starting with = + - @ or a tab) is prefixed with ' first.
 */
function csvField(value: string | number, text: boolean): string {
  let field = String(value);
  if (text && /^[=+\-@\t\r]/u.test(field)) field = `'${field}`;
  return /[",\r\n]|^\s|\s$/u.test(field) ? `"${field.replace(/"/gu, '""')}"` : field;
}

/**
 * A file Excel opens with Chinese intact: a UTF-8 byte order mark, CRLF after every line (the last included), RFC 4180
 * quoting. The first line is the title and period alone (padded with empty fields so every line has as many fields),
 * then the header and one line per row in the table's order.
 */
function csv(
  title: string,
  header: readonly string[],
  records: (string | number)[][],
  textColumns: readonly number[],
): string {
  const titleLine = [csvField(title, true), ...header.slice(1).map(() => '')].join(',');
  const lines = [
    titleLine,
    header.map((name) => csvField(name, true)).join(','),
    ...records.map((record) => record.map((value, column) => csvField(value, textColumns.includes(column))).join(',')),
  ];
  return `\uFEFF${lines.map((line) => `${line}\r\n`).join('')}`;
}

const csvTitle = (meta: { title: string; periodLabel: string }): string =>
  meta.periodLabel === '' ? meta.title : `${meta.title}（${meta.periodLabel}）`;

/** What the CSV writers print of a row; a rank withheld from the reader (null) prints as —. */
export type PrintedRow = Pick<
  StatisticsRow,
  'unitName' | 'submitted' | 'adopted' | 'returned' | 'withdrawn' | 'rateLabel' | 'pointsLabel'
> & {
  rank: number | null;
  breakdown: readonly BreakdownLine[] | null;
};

/** The statistics as CSV: 名次,单位,报送,采用,退回,撤回,采用率,得分. */
export function statisticsCsv(rows: readonly PrintedRow[], meta: { title: string; periodLabel: string }): string {
  const records = rows.map((row) => [
    row.rank ?? '—',
    row.unitName,
    row.submitted,
    row.adopted,
    row.returned,
    row.withdrawn,
    row.rateLabel,
    row.pointsLabel,
  ]);
  return csv(csvTitle(meta), STATISTICS_CSV_HEADER, records, [1, 6]);
}

/** Every breakdown line as CSV, unit by unit in the table's order: how each unit's points were reached. */
export function breakdownCsv(rows: readonly PrintedRow[], meta: { title: string; periodLabel: string }): string {
  const records = rows.flatMap((row) =>
    (row.breakdown ?? []).map((line) => [
      row.unitName,
      line.issueLabel,
      line.issueDate,
      line.headline,
      KIND_LABEL[line.adoptionKind],
      line.unitCount,
      line.basis,
      line.pointsLabel,
    ]),
  );
  return csv(csvTitle(meta), BREAKDOWN_CSV_HEADER, records, [0, 1, 2, 3, 4, 6]);
}
