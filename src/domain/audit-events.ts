import {
  archivable,
  diff,
  REDACTED,
  MINIMUM_RETENTION_DAYS,
  DEFAULT_RETENTION_DAYS,
  verifyChain,
  type Changes,
  type ChainedEntry,
} from './audit';
import { SYSTEM_FIELDS } from './system-fields';

/**
 * The audit trail's security events and reads (留痕, recorded by src/strapi/audit-security.ts and audit-reads.ts):
 * what each is called and what it keeps, without Strapi.
 *
 * - Security events (category 'security'): logins to the admin (content type admin::user) and of accounts
 *   (plugin::users-permissions.user) — `login`, `login-failed` (wrong e-mail/identifier or password, blocked,
 *   inactive), `login-refused` (over the login limits, answered 429, recorded once per refused attempt) —, `logout`,
 *   `password-reset-request`, `password-reset`, `password-change`, and their refusals `password-reset-failed` (a wrong
 *   or used reset code) and `password-change-failed` (a wrong current password, or a new one refused); changes to
 *   admin users, accounts, admin roles,
 *   account roles and API tokens — `create`, `update`, `delete`, `block`, `unblock`, `permissions` (a role's
 *   permissions changed: which were added, which removed), `regenerate` (an API token's key made anew).
 * - Reads (category 'read'): `download` (a PDF or Word file of a signed-off issue, or of the desk's draft) and
 *   `first-read` (the first time a reader — an account or an admin — opened a signed-off issue; once per reader and
 *   issue, ever).
 * - Nothing secret is kept: an entry names who tried (the e-mail or identifier given) and from where, never the
 *   password, token, JWT, reset code or key; changed secret fields are named with their values redacted.
 */

export const SECURITY_ACTIONS = [
  'login',
  'login-failed',
  'login-refused',
  'logout',
  'password-reset-request',
  'password-reset',
  'password-reset-failed',
  'password-change',
  'password-change-failed',
  'create',
  'update',
  'delete',
  'block',
  'unblock',
  'permissions',
  'regenerate',
] as const;
export type SecurityAction = (typeof SECURITY_ACTIONS)[number];
export const READ_ACTIONS = ['download', 'first-read'] as const;
export type ReadAction = (typeof READ_ACTIONS)[number];

/** The outcome of a login attempt from the HTTP status it was answered with. */
export function loginAction(status: number): 'login' | 'login-failed' | 'login-refused' {
  if (status === 429) return 'login-refused';
  return status >= 200 && status < 300 ? 'login' : 'login-failed';
}

/** Bookkeeping that is nobody's change: an API token's last use, timestamps, ids. */
const BOOKKEEPING: ReadonlySet<string> = new Set([...SYSTEM_FIELDS, 'lastUsedAt']);

/**
 * The changes of a security-relevant row (admin user, account, role, API token) between two versions, without
 * bookkeeping; secret fields named with redacted values.
 */
/** What a password reset or change answered with `status` records: done, refused (4xx), or nothing (the server's fault, no decision). */
export function passwordAction(
  kind: 'reset' | 'change',
  status: number,
): 'password-reset' | 'password-reset-failed' | 'password-change' | 'password-change-failed' | null {
  if (status >= 200 && status < 300) return kind === 'reset' ? 'password-reset' : 'password-change';
  if (status >= 400 && status < 500) return kind === 'reset' ? 'password-reset-failed' : 'password-change-failed';
  return null;
}

export function securityChanges(
  before: Record<string, unknown> | null,
  after: Record<string, unknown> | null,
): Changes {
  const strip = (row: Record<string, unknown> | null) =>
    row === null ? null : Object.fromEntries(Object.entries(row).filter(([key]) => !BOOKKEEPING.has(key)));
  const changes = diff(strip(before), strip(after));
  // Keys of any kind (an API token's accessKey, its encryptedKey): named, never kept, like the other secrets.
  for (const name of Object.keys(changes)) if (/key$/i.test(name)) changes[name] = { old: REDACTED, new: REDACTED };
  return changes;
}

/**
 * What an update of such a row is: an API token whose key changed was regenerated; an account or admin user whose
 * `blocked` turned true (an admin user: `isActive` false) was blocked (and back: unblocked); otherwise an update. Null: nothing but bookkeeping or the
 * reset code changed (the reset itself is its own event), no entry.
 */
export function securityUpdateAction(contentType: string, changes: Changes): SecurityAction | null {
  const names = Object.keys(changes);
  if (names.length === 0) return null;
  if (contentType === 'admin::api-token' && (changes.accessKey !== undefined || changes.encryptedKey !== undefined))
    return 'regenerate';
  if (
    names.every((name) => name === 'resetPasswordToken' || name === 'registrationToken' || name === 'confirmationToken')
  )
    return null;
  const blocked = changes.blocked;
  if (blocked !== undefined && names.every((name) => name === 'blocked'))
    return blocked.new === true ? 'block' : 'unblock';
  // An admin user is blocked in the admin by making them inactive.
  const active = changes.isActive;
  if (contentType === 'admin::user' && active !== undefined && names.every((name) => name === 'isActive'))
    return active.new === false ? 'block' : 'unblock';
  return 'update';
}

/** A role's permissions as sorted action names (with subject where there is one); the change between two sets. */
export function permissionChanges(before: readonly string[], after: readonly string[]): Changes {
  const old = new Set(before);
  const next = new Set(after);
  const added = [...next].filter((name) => !old.has(name)).sort();
  const removed = [...old].filter((name) => !next.has(name)).sort();
  const changes: Changes = {};
  if (added.length > 0) changes.added = { old: null, new: added };
  if (removed.length > 0) changes.removed = { old: removed, new: null };
  return changes;
}

// ---- first reads ---------------------------------------------------------------------------------------------------

export type ReaderKind = 'account' | 'admin';
/** A reader an issue is sent to, as resolved from its recipient lines. */
export type Addressed = { kind: ReaderKind; id: string; name: string | null; unit: string | null };
export type FirstRead = { kind: ReaderKind; id: string; at: string };

/** The key of one reader's first read of one issue, in the seen-set and the table's primary key. */
export const firstReadKey = (kind: ReaderKind, id: string | number, documentId: string): string =>
  `${documentId}\u0000${kind}\u0000${id}`;

/**
 * Who, of those an issue is sent to, has not opened it yet: the addressed readers without a first read, in the order
 * given. (Applied to the accounts an issue reaches in src/domain/first-reads.ts, whose statement is tested against it.)
 */
export function notYetReadBy(addressed: readonly Addressed[], reads: readonly FirstRead[]): Addressed[] {
  const read = new Set(reads.map((entry) => `${entry.kind}\u0000${entry.id}`));
  return addressed.filter((reader) => !read.has(`${reader.kind}\u0000${reader.id}`));
}

// ---- retention -----------------------------------------------------------------------------------------------------

/**
 * The configured retention for the archive (BULLETIN_AUDIT_RETENTION_DAYS, config `bulletin.auditRetentionDays`):
 * unset → 400 days; a whole number of at least 180 days; anything else is refused with a message (the archive does
 * not guess: archiving too early cannot be undone).
 */
export function parseRetentionDays(raw: unknown): { days: number } | { error: string } {
  if (raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === ''))
    return { days: DEFAULT_RETENTION_DAYS };
  const text = typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw.trim() : '';
  if (!/^\d+$/.test(text))
    return {
      error: `BULLETIN_AUDIT_RETENTION_DAYS="${typeof raw === 'string' || typeof raw === 'number' ? raw : typeof raw}" 不是整数天数（至少 ${MINIMUM_RETENTION_DAYS} 天）`,
    };
  const days = Number(text);
  if (days < MINIMUM_RETENTION_DAYS) {
    return {
      error: `BULLETIN_AUDIT_RETENTION_DAYS=${days} 少于 ${MINIMUM_RETENTION_DAYS} 天：留痕至少保存六个月（${MINIMUM_RETENTION_DAYS} 天），拒绝归档`,
    };
  }
  return { days };
}

// ---- the archive ---------------------------------------------------------------------------------------------------

/** The first line of an archive file (JSON lines): the cut it made. The entries follow, one per line, in id order. */
export type ArchiveHeader = {
  kind: 'bulletin-audit-archive';
  version: 1;
  /** The hash the first archived entry names as prev_hash (GENESIS, or the previous cut's last hash). */
  prevHash: string;
  /** The last archived entry's hash: the remaining trail's first entry names it as prev_hash. */
  lastHash: string;
  firstId: string;
  lastId: string;
  count: number;
  cutAt: string;
  retentionDays: number;
};

/** The entries of `entries` a cut at `now` under `days` of retention archives: the leading run of archivable ones. */
export function archivedPrefix<T extends { at: string }>(entries: readonly T[], now: Date, days: number): T[] {
  const kept = entries.findIndex((entry) => !archivable(new Date(entry.at), now, days));
  return kept === -1 ? [...entries] : entries.slice(0, kept);
}

/**
 * Checks an archive file's content: a header of the right kind, its entries chained from the header's prevHash to its
 * lastHash, as many as it says. Names what does not fit.
 */
export function checkArchive(
  header: unknown,
  entries: readonly ChainedEntry[],
): { ok: true; lastHash: string; count: number } | { ok: false; reason: string } {
  const h = header as Partial<ArchiveHeader> | null;
  if (
    h === null ||
    typeof h !== 'object' ||
    h.kind !== 'bulletin-audit-archive' ||
    typeof h.prevHash !== 'string' ||
    typeof h.lastHash !== 'string'
  ) {
    return { ok: false, reason: '归档文件的首行不是留痕归档的说明行' };
  }
  const report = verifyChain(entries, h.prevHash);
  if (!report.ok) return { ok: false, reason: `归档文件中：${report.reason}` };
  if (report.count !== h.count)
    return { ok: false, reason: `归档文件应有 ${String(h.count)} 条，实有 ${report.count} 条` };
  if (report.lastHash !== h.lastHash)
    return { ok: false, reason: '归档文件最后一条的哈希与说明行不符（条目被删除或改动）' };
  return { ok: true, lastHash: report.lastHash, count: report.count };
}
