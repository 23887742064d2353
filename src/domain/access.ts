/**
 * Who sees what, as pure predicates returning Strapi filters (like Payload's access functions).
 *
 * - Staff (admin panel users, API tokens, the app itself): everything; the admin's own RBAC applies on its side.
 * - A reader (阅读人) reads signed-off issues whose recipient lines (报 / 送 / 发 / 抄送) reach their unit or their own
 *   account, and the items of those issues.
 * - A contributor (信息员) reads the signed-off issues sent to their unit (or account) and every item of their unit.
 *   Unit staff in the admin are contributors for the units linked to them.
 * - Any other account sees no issue and no item.
 */

export type Viewer =
  | { kind: 'staff' }
  /** A unit's contributor (信息员), or unit staff in the admin (no users-permissions account: userId null). */
  | { kind: 'contributor'; userId: number | null; unitIds: number[] }
  | { kind: 'reader'; userId: number; unitId: number | null }
  | { kind: 'nobody' };

/** The users-permissions roles that read what is sent to them (every other account sees no issue). */
export const readsWhatIsSent = (role: unknown): role is 'reader' | 'contributor' =>
  role === 'reader' || role === 'contributor';

export type Filter = Record<string, unknown>;

export const RECIPIENT_LINES = ['reportTo', 'sendTo', 'distributeTo', 'copyTo'] as const;

/** Matches no row at all. */
export const NOTHING: Filter = { id: { $null: true } };

/**
 * The filter for the signed-off issues a reader or contributor may read, given the documentIds of the issues whose
 * recipient lines reach their unit or account (the adapter finds those with one indexed query: a filter through four
 * component lists, groups and their units as nested joins multiplies rows and takes seconds).
 */
export function issuesAmong(readable: readonly string[]): Filter {
  if (readable.length === 0) return NOTHING;
  return { $and: [{ publishedAt: { $notNull: true } }, { documentId: { $in: [...readable] } }] };
}

/** The filter a viewer's reads of issues are restricted to; null: no restriction. */
export function issueScope(viewer: Viewer, readable: readonly string[]): Filter | null {
  switch (viewer.kind) {
    case 'staff':
      return null;
    case 'contributor':
    case 'reader':
      return issuesAmong(readable);
    case 'nobody':
      return NOTHING;
  }
}

/** The filter a viewer's reads of items are restricted to; null: no restriction. */
export function itemScope(viewer: Viewer, readable: readonly string[]): Filter | null {
  switch (viewer.kind) {
    case 'staff':
      return null;
    case 'contributor':
      return viewer.unitIds.length === 0 ? NOTHING : { units: { id: { $in: [...viewer.unitIds] } } };
    case 'reader':
      return readable.length === 0 ? NOTHING : { issue: { documentId: { $in: [...readable] } } };
    case 'nobody':
      return NOTHING;
  }
}

/** Restricts a request's own filters to a scope (both must hold). */
export function withinScope(filters: unknown, scope: Filter | null): unknown {
  if (scope === null) return filters;
  if (filters === undefined || filters === null || (typeof filters === 'object' && Object.keys(filters).length === 0))
    return scope;
  return { $and: [filters, scope] };
}
