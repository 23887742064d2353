import { RECIPIENT_LINES } from './access';

/**
 * Who an issue is sent to (送达). An issue reaches a unit, or an account, when one of its recipient lines — 报 / 本期送 /
 * 发 / 抄送, the `bulletin.recipient` components in the fields RECIPIENT_LINES — names a recipient group that holds
 * that unit or lists that account by name. Any line counts, and any one of several units (unit staff in the admin
 * work for several). A group on no line, a component of another kind or in another field, reaches nobody. Whether
 * the issue is signed off is not part of this rule: the callers add it.
 *
 * The rule runs in the database (`sentToSql`, one indexed query per request: `issuesSentToStatement`, with the
 * signed-off condition added; also inside the readers' fast path, ./reader-reads.ts);
 * `isSentTo` states it on plain data, and a property test (tests/integration/sql-rules.test.ts) requires the two to
 * agree on random issues, groups and callers.
 */

/** A component row of an issue: its kind, the field it sits in, and the recipient group(s) it links to. */
export type IssueComponent = { componentType: string; field: string; groupIds: readonly number[] };
/** A recipient group (收文范围): the units it holds and the accounts listed on it by name. */
export type GroupMembers = { id: number; unitIds: readonly number[]; userIds: readonly number[] };
/** Whom to check: the caller's unit(s) and their account (null: no users-permissions account). */
export type Addressee = { unitIds: readonly number[]; userId: number | null };

export const RECIPIENT_COMPONENT = 'bulletin.recipient';
const LINES: readonly string[] = RECIPIENT_LINES;

/** Whether an issue with these components reaches the addressee, given the groups' members. */
export function isSentTo(
  components: readonly IssueComponent[],
  groups: readonly GroupMembers[],
  addressee: Addressee,
): boolean {
  const byId = new Map(groups.map((group) => [group.id, group]));
  const reaches = (groupId: number): boolean => {
    const group = byId.get(groupId);
    if (group === undefined) return false;
    if (group.unitIds.some((unit) => addressee.unitIds.includes(unit))) return true;
    return addressee.userId !== null && group.userIds.includes(addressee.userId);
  };
  return components.some(
    (component) =>
      component.componentType === RECIPIENT_COMPONENT &&
      LINES.includes(component.field) &&
      component.groupIds.some(reaches),
  );
}

/**
 * The same rule as an SQL condition on Strapi's tables: issue → its recipient components → their group → the group's
 * units, or the group's people. Two correlated EXISTS (one per path) rather than one EXISTS over both joins with an
 * OR: PostgreSQL then probes the few links of the one issue instead of hashing every issue's links (30 ms → well
 * under 1 ms on 200 issues).
 *
 * `issue` is the alias of the `issues` row; `unitMatch` and `userMatch` complete `unit_id …` and `user_id …`:
 * placeholders (`IN (?, ?)`, `= ?`) in the normal route (src/strapi/access.ts), the caller's columns in the readers'
 * fast path (src/strapi/fast-read.ts), which thus applies this very condition.
 */
export function sentToSql(issue: string, unitMatch: string, userMatch: string): string {
  return `(${recipientsReach(issue, 'JOIN recipient_groups_units_lnk gu ON gu.recipient_group_id = g.recipient_group_id', `gu.unit_id ${unitMatch}`)}
    OR ${recipientsReach(issue, 'JOIN recipient_groups_users_lnk gp ON gp.recipient_group_id = g.recipient_group_id', `gp.user_id ${userMatch}`)})`;
}

const LINES_SQL = RECIPIENT_LINES.map((line) => `'${line}'`).join(', ');

function recipientsReach(issue: string, join: string, match: string): string {
  return `EXISTS (SELECT 1 FROM issues_cmps c
      JOIN components_bulletin_recipients_group_lnk g ON g.recipient_id = c.cmp_id
      ${join}
      WHERE c.entity_id = ${issue}.id AND c.component_type = '${RECIPIENT_COMPONENT}' AND c.field IN (${LINES_SQL}) AND ${match})`;
}

/**
 * The signed-off issues sent to an addressee, as the normal route's scope reads them (src/strapi/access.ts): one
 * statement, on PostgreSQL or SQLite, with `?` placeholders and their bindings (the units, then the account; -1, an id
 * no row has, stands for none). Columns: `id`, `documentId`.
 */
export function issuesSentToStatement(addressee: Addressee): { sql: string; bindings: number[] } {
  const units = addressee.unitIds.length === 0 ? [-1] : [...addressee.unitIds];
  return {
    sql: `SELECT i.id, i.document_id AS "documentId" FROM issues i
     WHERE i.published_at IS NOT NULL AND ${sentToSql('i', `IN (${units.map(() => '?').join(', ')})`, '= ?')}`,
    bindings: [...units, addressee.userId ?? -1],
  };
}
