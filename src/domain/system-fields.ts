/**
 * The fields Strapi keeps on every document by itself — ids, timestamps, who created and last updated it, locale —
 * which no user writes: left out of the admin roles' field permissions (src/strapi/admin-roles.ts) and of what the
 * audit trail calls a change (src/strapi/audit-snapshot.ts, src/domain/audit-events.ts).
 */
export const SYSTEM_FIELDS: ReadonlySet<string> = new Set([
  'id',
  'documentId',
  'createdAt',
  'updatedAt',
  'publishedAt',
  'createdBy',
  'updatedBy',
  'locale',
  'localizations',
]);
