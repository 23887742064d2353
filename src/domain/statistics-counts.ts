import { inPeriod, type AdoptionKind, type AdoptionTally, type Period } from './statistics';

/**
 * What the adoption statistics count (src/domain/statistics.ts computes the figures from it), as rules on plain data
 * and as the SQL statements that count them in the database. A property test (tests/integration/sql-rules.test.ts)
 * requires each statement and its function to agree on random units, items, issues and periods.
 *
 * - 报送 submitted: for every unit, the items crediting it created in [from, to) (two instants: midnight in the
 *   office's zone at the period's start and after its end), whatever has become of them since; a combined item counts
 *   once for each of its units. 退回 returned / 撤回 withdrawn: of those, the ones currently in that state.
 * - 采用 adopted (credited): each item carried by a signed-off (published) issue row dated in the period (both ends
 *   included), in the publication asked for (null: any), once for each unit it credits, with the number of units it
 *   credits. An item is in one issue; were it linked to two such issue rows, it counts once, for the lower row id.
 * - tallies: the credits counted by unit and by what decides their points (the issue's publication and edition, the
 *   item's adoption kind, the number of units it credits), as the table over many years is computed.
 */

export type CountedUnit = { id: number };
/** An item: its units, its state, when it was submitted (created), and the issue rows it is linked to. */
export type CountedItem = {
  id: number;
  unitIds: readonly number[];
  state: string;
  createdAt: Date | null;
  issueIds: readonly number[];
};
/** An issue row: signed off (the published row of a document) or not, its date (YYYY-MM-DD) and publication. */
export type CountedIssue = { id: number; signedOff: boolean; date: string | null; publication: string };

export type SubmittedCount = { unitId: number; submitted: number; returned: number; withdrawn: number };
export type Credit = { itemId: number; issueId: number; unitId: number; unitCount: number };

/** Every unit with what it submitted in [from, to). */
export function submittedByUnit(
  units: readonly CountedUnit[],
  items: readonly CountedItem[],
  [from, to]: readonly [Date, Date],
): SubmittedCount[] {
  return units.map((unit) => {
    const submitted = items.filter(
      (item) =>
        item.unitIds.includes(unit.id) &&
        item.createdAt !== null &&
        item.createdAt.getTime() >= from.getTime() &&
        item.createdAt.getTime() < to.getTime(),
    );
    return {
      unitId: unit.id,
      submitted: submitted.length,
      returned: submitted.filter((item) => item.state === 'returned').length,
      withdrawn: submitted.filter((item) => item.state === 'withdrawn').length,
    };
  });
}

/** The adoptions of the period: one credit per (item, unit), for the lowest signed-off issue row carrying the item. */
export function creditedAdoptions(
  items: readonly CountedItem[],
  issues: readonly CountedIssue[],
  period: Period,
  publication: string | null,
): Credit[] {
  const counting = new Set(
    issues
      .filter(
        (issue) =>
          issue.signedOff &&
          issue.date !== null &&
          inPeriod(issue.date, period) &&
          (publication === null || issue.publication === publication),
      )
      .map((issue) => issue.id),
  );
  return items.flatMap((item) => {
    const carriers = item.issueIds.filter((id) => counting.has(id));
    if (carriers.length === 0) return [];
    const issueId = Math.min(...carriers);
    return item.unitIds.map((unitId) => ({ itemId: item.id, issueId, unitId, unitCount: item.unitIds.length }));
  });
}

/**
 * 报送 / 退回 / 撤回 as SQL: one aggregate over the items created in [?, ?), by unit, for every unit. Columns: id,
 * document_id, short_name, sort_order, active, submitted, returned, withdrawn.
 */
export const SUBMITTED_BY_UNIT_SQL = `WITH submitted AS (
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
       LEFT JOIN submitted s ON s.unit_id = u.id`;

/**
 * 采用 as SQL: the CTE `credited (item_id, issue_id, unit_id, unit_count)`, to be followed by a SELECT from it. Bindings:
 * the period's first and last day, then the publication when `byPublication`.
 */
export function creditedSql(byPublication: boolean): string {
  return `WITH adopted AS (
            SELECT ii.item_id, MIN(p.id) AS issue_id
              FROM issues p
              JOIN items_issue_lnk ii ON ii.issue_id = p.id
             WHERE p.published_at IS NOT NULL AND p.date >= ? AND p.date <= ? ${byPublication ? 'AND p.publication = ?' : ''}
             GROUP BY ii.item_id
          ),
          credited AS (
            SELECT a.item_id, a.issue_id, iu.unit_id, COUNT(*) OVER (PARTITION BY a.item_id) AS unit_count
              FROM adopted a
              JOIN items_units_lnk iu ON iu.item_id = a.item_id
          )`;
}

/** The bindings of `creditedSql`. */
export const creditedBindings = (period: Period, publication: string | null): unknown[] =>
  publication === null ? [period.from, period.to] : [period.from, period.to, publication];

/** What a tally needs of an item and of an issue row besides what `creditedAdoptions` reads. */
export type TalliedItem = { id: number; adoptionKind: AdoptionKind };
export type TalliedIssue = { id: number; publication: string; edition: string };
/** A tally as counted, before the unit's name is looked up. */
export type CreditTally = Omit<AdoptionTally, 'unitName'>;

/** The credits counted by unit, publication, edition, adoption kind and number of units credited. */
export function tallyCredits(
  credits: readonly Credit[],
  items: readonly TalliedItem[],
  issues: readonly TalliedIssue[],
): CreditTally[] {
  const tallies = new Map<string, CreditTally>();
  for (const credit of credits) {
    const item = items.find((candidate) => candidate.id === credit.itemId);
    const issue = issues.find((candidate) => candidate.id === credit.issueId);
    if (item === undefined || issue === undefined) continue;
    const tally = {
      unitId: credit.unitId,
      publication: issue.publication,
      edition: issue.edition,
      adoptionKind: item.adoptionKind,
      unitCount: credit.unitCount,
    };
    const key = JSON.stringify(tally);
    const counted = tallies.get(key) ?? { ...tally, items: 0 };
    counted.items += 1;
    tallies.set(key, counted);
  }
  return [...tallies.values()];
}

/**
 * Tallies as SQL: `tallyCredits` on `credited`, with the unit's short name. Columns: unit_id, short_name,
 * publication, edition, adoption_kind, unit_count, items.
 */
export function adoptionTalliesStatement(
  period: Period,
  publication: string | null,
): { sql: string; bindings: unknown[] } {
  return {
    sql: `${creditedSql(publication !== null)}
     SELECT t.unit_id, u.short_name, t.publication, t.edition, t.adoption_kind, t.unit_count, t.items
       FROM (SELECT cr.unit_id, p.publication, p.edition, it.adoption_kind, cr.unit_count, COUNT(*) AS items
               FROM credited cr
               JOIN issues p ON p.id = cr.issue_id
               JOIN items it ON it.id = cr.item_id
              GROUP BY cr.unit_id, p.publication, p.edition, it.adoption_kind, cr.unit_count) t
       JOIN units u ON u.id = t.unit_id`,
    bindings: creditedBindings(period, publication),
  };
}

/**
 * The credits of these units one by one (`creditedAdoptions` restricted to them), with what a breakdown shows of the
 * item, the issue and the unit. Columns: unit_id, short_name, item_id, headline, adoption_kind, unit_count, issue_id,
 * publication, edition, year, number, date.
 */
export function adoptionFactsStatement(
  period: Period,
  publication: string | null,
  unitIds: readonly number[],
): { sql: string; bindings: unknown[] } {
  return {
    sql: `${creditedSql(publication !== null)}
     SELECT cr.unit_id, u.short_name, cr.item_id, it.headline, it.adoption_kind, cr.unit_count,
            p.id AS issue_id, p.publication, p.edition, p.year, p.number, p.date
       FROM credited cr
       JOIN issues p ON p.id = cr.issue_id
       JOIN items it ON it.id = cr.item_id
       JOIN units u ON u.id = cr.unit_id
      WHERE cr.unit_id IN (${unitIds.length === 0 ? 'NULL' : unitIds.map(() => '?').join(', ')})`,
    bindings: [...creditedBindings(period, publication), ...unitIds],
  };
}
