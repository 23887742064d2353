/**
 * Signing off (签发) an issue is publishing it. The first sign-off is recorded once and kept for good, even when
 * the issue is later unpublished and republished: that is what freezes its number and its place in the record.
 */

export type DocumentAction = string;

/** Does this Document Service call sign the issue off? `publish`, or a create/update asking for `published`. */
export function signsOff(action: DocumentAction, status: unknown): boolean {
  if (action === 'publish') return true;
  return (action === 'create' || action === 'update') && status === 'published';
}

/** A signed-off (published) issue cannot be deleted: it is part of the record. Unpublish it first. */
export function deletionViolations(isPublished: boolean): { path: string[]; message: string }[] {
  return isPublished ? [{ path: ['publishedAt'], message: '已签发的期不能删除，请先撤回签发（unpublish）' }] : [];
}
