import { inPeriod, type Period } from './statistics';

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
 */

export type CountedUnit = { id: number };
/** An item: its units, its state, when it was submitted (created), and the issue rows it is linked to. */
export type CountedItem = { id: number; unitIds: readonly number[]; state: string; createdAt: Date | null; issueIds: readonly number[] };
/** An issue row: signed off (the published row of a document) or not, its date (YYYY-MM-DD) and publication. */
export type CountedIssue = { id: number; signedOff: boolean; date: string | null; publication: string };

export type SubmittedCount = { unitId: number; submitted: number; returned: number; withdrawn: number };
export type Credit = { itemId: number; issueId: number; unitId: number; unitCount: number };

/** Every unit with what it submitted in [from, to). */
export function submittedByUnit(units: readonly CountedUnit[], items: readonly CountedItem[], [from, to]: readonly [Date, Date]): SubmittedCount[] {
  return units.map((unit) => {
    const submitted = items.filter(
      (item) => item.unitIds.includes(unit.id) && item.createdAt !== null && item.createdAt.getTime() >= from.getTime() && item.createdAt.getTime() < to.getTime(),
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
export function creditedAdoptions(items: readonly CountedItem[], issues: readonly CountedIssue[], period: Period, publication: string | null): Credit[] {
  const counting = new Set(
    issues
      .filter((issue) => issue.signedOff && issue.date !== null && inPeriod(issue.date, period) && (publication === null || issue.publication === publication))
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
