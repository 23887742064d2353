import { createHash } from 'crypto';

/**
 * The audit trail (留痕): the rules, without Strapi.
 *
 * - An entry's canonical serialization: JSON with object keys sorted at every depth, no whitespace; the same entry
 *   always serializes to the same text, whatever order its fields were built or stored in (jsonb reorders keys).
 * - The chain: hash = sha256(prev_hash + canonical(entry)), hex; the first entry's prev_hash is GENESIS. Removing,
 *   inserting, reordering or changing any entry breaks the chain at that entry (or the one after a removal).
 * - A change is the fields whose values differ between two versions, each with old and new value, never truncated.
 * - Nothing secret is kept: fields named like passwords, tokens, JWTs, secrets or keys are replaced by REDACTED.
 * - Retention: entries older than the configured age (default 400 days, never under 180) may be archived.
 */

export const GENESIS = '0'.repeat(64);
export const REDACTED = '[已隐去]';

export type ActorKind = 'admin' | 'account' | 'api-token' | 'script';
/** What an entry is about: a write to the bulletin's content, a security event, or a read that matters. */
export type AuditCategory = 'content' | 'security' | 'read';
export const AUDIT_ACTIONS = [
  'create',
  'update',
  'delete',
  'publish',
  'unpublish',
  'discard-draft',
  'submit',
  'adopt',
  'return',
  'withdraw',
  'place',
  'reorder',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export type FieldChange = { old: unknown; new: unknown };
/** The fields that changed, by name (a field that did not change is absent). */
export type Changes = Partial<Record<string, FieldChange>>;

/** What one entry records (the stored row without id and hash). */
export type AuditEntry = {
  at: string; // ISO 8601, UTC, milliseconds
  action: string;
  contentType: string;
  documentId: string | null;
  documentName: string | null;
  changes: Changes;
  actorKind: ActorKind;
  actorId: string | null;
  actorName: string | null;
  actorUnit: string | null;
  address: string | null;
  userAgent: string | null;
  requestId: string | null;
  /** Absent: 'content' (every entry made before categories existed). */
  category?: AuditCategory;
};

export type ChainedEntry = AuditEntry & { id: number | string; prevHash: string; hash: string };

/** JSON with sorted keys at every depth; undefined object members are left out, as JSON does. */
export function canonical(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value))
    return `[${value.map((element) => (element === undefined ? 'null' : canonical(element))).join(',')}]`;
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, member]) => member !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, member]) => `${JSON.stringify(key)}:${canonical(member)}`).join(',')}}`;
  }
  if (typeof value === 'number' && !Number.isFinite(value)) return 'null';
  if (typeof value === 'bigint') return value.toString();
  return JSON.stringify(value);
}

/**
 * The fields of an entry that the hash covers, in a fixed shape. The category is covered when it is not 'content', so
 * entries made before categories existed (all content) keep their hash.
 */
export function hashedContent(entry: AuditEntry): Record<string, unknown> {
  return {
    ...(entry.category === undefined || entry.category === 'content' ? {} : { category: entry.category }),
    at: entry.at,
    action: entry.action,
    contentType: entry.contentType,
    documentId: entry.documentId,
    documentName: entry.documentName,
    changes: entry.changes,
    actorKind: entry.actorKind,
    actorId: entry.actorId,
    actorName: entry.actorName,
    actorUnit: entry.actorUnit,
    address: entry.address,
    userAgent: entry.userAgent,
    requestId: entry.requestId,
  };
}

export function entryHash(prevHash: string, entry: AuditEntry): string {
  return createHash('sha256')
    .update(prevHash)
    .update(canonical(hashedContent(entry)))
    .digest('hex');
}

/** Field names whose values are never kept: passwords, tokens, JWTs, secrets, keys, salts. */
const SECRET_NAME =
  /pass(word)?|token|jwt|secret|salt|api[-_]?key|access[-_]?key|private[-_]?key|^key$|hash$|otp|credential/i;

export function isSecretField(name: string): boolean {
  return SECRET_NAME.test(name);
}

/** A copy with every secret-named member (at any depth) replaced by REDACTED. */
export function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact);
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([key, member]) => [
        key,
        isSecretField(key) ? REDACTED : redact(member),
      ]),
    );
  }
  return value;
}

const same = (a: unknown, b: unknown): boolean => canonical(a ?? null) === canonical(b ?? null);

/**
 * The fields that differ between two versions (null: the document does not exist on that side), with old and new
 * values, whole; secret fields name the change but keep no value.
 */
export function diff(before: Record<string, unknown> | null, after: Record<string, unknown> | null): Changes {
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  const changes: Changes = {};
  for (const key of [...keys].sort()) {
    const old = before === null ? null : (before[key] ?? null);
    const next = after === null ? null : (after[key] ?? null);
    if (same(old, next)) continue;
    changes[key] = isSecretField(key) ? { old: REDACTED, new: REDACTED } : { old: redact(old), new: redact(next) };
  }
  return changes;
}

export type ItemStateChange = { from: string | null; to: string | null };

/** The workflow action an item update is: a state move first, then a move between issues, then a new position. */
export function itemAction(changes: Changes): AuditAction {
  const state = changes.state;
  if (state !== undefined) {
    const to = state.new;
    if (to === 'adopted') return 'adopt';
    if (to === 'returned') return 'return';
    if (to === 'withdrawn') return 'withdraw';
    if (to === 'submitted') return 'submit';
  }
  if (changes.issue !== undefined) return 'place';
  if (changes.position !== undefined) return 'reorder';
  return 'update';
}

/** An issue update that changes its items: 'place' when the set changes, 'reorder' when only the order does. */
export function issueItemsAction(changes: Changes): AuditAction | null {
  const items = changes.items;
  if (items === undefined) return null;
  const ids = (list: unknown) => (Array.isArray(list) ? list.map((element) => canonical(element)).sort() : []);
  return same(ids(items.old), ids(items.new)) ? 'reorder' : 'place';
}

export type ChainReport =
  | { ok: true; count: number; lastHash: string }
  | { ok: false; count: number; firstBad: number | string; reason: string };

/**
 * Checks entries in id order: each must name the previous entry's hash (the first: startPrevHash, GENESIS unless the
 * entries before it were archived) and carry the hash of its own content. The first entry that does not fit is named.
 */
export function verifyChain(entries: Iterable<ChainedEntry>, startPrevHash: string = GENESIS): ChainReport {
  let prev = startPrevHash;
  let count = 0;
  for (const entry of entries) {
    if (entry.prevHash !== prev)
      return {
        ok: false,
        count,
        firstBad: entry.id,
        reason: `条目 ${entry.id} 的 prev_hash 与上一条的哈希不符（前面的条目被删除、插入或改动）`,
      };
    if (entryHash(entry.prevHash, entry) !== entry.hash)
      return { ok: false, count, firstBad: entry.id, reason: `条目 ${entry.id} 的内容与其哈希不符（条目被改动）` };
    prev = entry.hash;
    count += 1;
  }
  return { ok: true, count, lastHash: prev };
}

export const DEFAULT_RETENTION_DAYS = 400;
export const MINIMUM_RETENTION_DAYS = 180;

/** The retention in days from a configured value: unset or unreadable → 400; under 180 → 180 (the law's six months). */
export function retentionDays(configured: unknown): number {
  const text =
    typeof configured === 'number' ? String(configured) : typeof configured === 'string' ? configured.trim() : '';
  if (!/^\d+$/.test(text)) return DEFAULT_RETENTION_DAYS;
  return Math.max(MINIMUM_RETENTION_DAYS, Number(text));
}

/** Whether an entry made at `at` may be archived at `now` under a retention of `days` (after retentionDays). */
export function archivable(at: Date, now: Date, days: number): boolean {
  const kept = Math.max(MINIMUM_RETENTION_DAYS, days);
  return now.getTime() - at.getTime() > kept * 24 * 60 * 60 * 1000;
}
