import { notYetReadBy, type Addressed, type FirstRead } from './audit-events';
import { isSentTo, sentToSql, type GroupMembers, type IssueComponent } from './sent-to';

/**
 * Who has read a signed-off issue sent to them, and who has not yet (阅读情况, issue 16): the accounts the issue
 * reaches (its recipient lines' groups, src/domain/sent-to.ts — their units' accounts and the accounts listed by name),
 * blocked accounts left out, each with the time of their first read or none. A signer sees it on the issue in the
 * admin (src/admin/audit-panel.tsx) and chases those who have not opened it.
 *
 * `addressedReading` states the rule on plain data; `ADDRESSED_READING_SQL` is the statement the app runs
 * (src/strapi/audit-reads.ts), whose rows `readingFromRows` turns into the same list. A property test
 * (tests/integration/sql-rules.test.ts) requires the two to agree on random accounts, groups, issues and reads.
 */

/** An account as the rule sees it: its unit (an account has at most one) and whether it is blocked. */
export type ListedAccount = {
  id: number;
  username: string | null;
  unitId: number | null;
  unitName: string | null;
  blocked: boolean;
};
/** An account the issue reaches, and when it first opened the issue (ISO time), or null: not yet. */
export type AccountReading = Addressed & { readAt: string | null };

const collator = new Intl.Collator('zh-Hans-CN', { numeric: true });
const byText = (a: string | null, b: string | null): number =>
  a === b ? 0 : a === null ? 1 : b === null ? -1 : collator.compare(a, b);

/** The order readers are listed in: by unit, then name, as a Chinese reader sorts them (pinyin; none last), then id. */
export function readerOrder(a: Addressed, b: Addressed): number {
  return byText(a.unit, b.unit) || byText(a.name, b.name) || Number(a.id) - Number(b.id);
}

/** The accounts a signed-off issue with these recipient components reaches, each with its first read; [] when not signed off. */
export function addressedReading(
  issue: { signedOff: boolean; components: readonly IssueComponent[] },
  groups: readonly GroupMembers[],
  accounts: readonly ListedAccount[],
  reads: readonly FirstRead[],
): AccountReading[] {
  if (!issue.signedOff) return [];
  const addressed: Addressed[] = accounts
    .filter(
      (account) =>
        !account.blocked &&
        isSentTo(issue.components, groups, {
          unitIds: account.unitId === null ? [] : [account.unitId],
          userId: account.id,
        }),
    )
    .map((account) => ({ kind: 'account', id: String(account.id), name: account.username, unit: account.unitName }));
  const unread = new Set(notYetReadBy(addressed, reads).map((reader) => reader.id));
  const firstAt = new Map(reads.filter((read) => read.kind === 'account').map((read) => [read.id, read.at]));
  return addressed
    .map((reader) => ({ ...reader, readAt: unread.has(reader.id) ? null : (firstAt.get(reader.id) ?? null) }))
    .sort(readerOrder);
}

/** Those of them who have not opened it yet. */
export const notYetReadOf = (reading: readonly AccountReading[]): AccountReading[] =>
  reading.filter((reader) => reader.readAt === null);

/**
 * The same rule as one statement (PostgreSQL or SQLite), with the issue's documentId as its one binding: a row per
 * account the signed-off issue reaches, with its unit's short name and the first read's time (null: not yet). No
 * rows when no signed-off issue has that documentId.
 */
export const ADDRESSED_READING_SQL = `SELECT u.id, u.username, un.short_name AS unit, f.at AS read_at
  FROM issues i
  JOIN up_users u ON (u.blocked IS NULL OR u.blocked = false)
  LEFT JOIN up_users_unit_lnk uu ON uu.user_id = u.id
  LEFT JOIN units un ON un.id = uu.unit_id
  LEFT JOIN bulletin_first_read f ON f.document_id = i.document_id AND f.reader_kind = 'account' AND f.reader_id = CAST(u.id AS varchar(64))
  WHERE i.document_id = ? AND i.published_at IS NOT NULL
    AND ${sentToSql('i', '= uu.unit_id', '= u.id')}`;

export type ReadingRow = {
  id: number | string;
  username: string | null;
  unit: string | null;
  read_at: Date | string | null;
};

/** The statement's rows as the list: one per account (the first row of each), times as ISO strings, in reader order. */
export function readingFromRows(rows: readonly ReadingRow[]): AccountReading[] {
  const byId = new Map<string, AccountReading>();
  for (const row of rows) {
    const id = String(row.id);
    if (byId.has(id)) continue;
    const readAt = row.read_at === null ? null : new Date(row.read_at).toISOString();
    byId.set(id, { kind: 'account', id, name: row.username, unit: row.unit, readAt });
  }
  return [...byId.values()].sort(readerOrder);
}
