/**
 * The footer (版记) of a new issue, and its issuer: the recipient lines (报 / 本期送 / 发 / 抄送) and the editors, reviewer and signer
 * lines rarely change from one issue to the next, so a new issue starts with its publication's latest ones. Only what
 * the new issue leaves empty is filled: nothing the editor entered is replaced.
 */

export const RECIPIENT_LINES = ['reportTo', 'sendTo', 'distributeTo', 'copyTo'] as const;
export const FOOTER_TEXT_FIELDS = ['editors', 'reviewer', 'signer'] as const;

type Recipient = { group?: { documentId?: string } | null };
export type FooterSource = Partial<Record<(typeof RECIPIENT_LINES)[number], Recipient[] | null>> &
  Partial<Record<(typeof FOOTER_TEXT_FIELDS)[number], string | null>> & { issuer?: { documentId?: string } | null };

const isEmpty = (value: unknown): boolean =>
  value === undefined ||
  value === null ||
  (typeof value === 'string' && value.trim() === '') ||
  (Array.isArray(value) && value.length === 0);

/** A relation input that names nothing: absent, null, [] or { connect: [] } (what the admin's form sends untouched). */
function namesNothing(value: unknown): boolean {
  if (isEmpty(value)) return true;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const { connect, set } = value as { connect?: unknown; set?: unknown };
  return isEmpty(connect) && isEmpty(set);
}

/**
 * The footer fields to add to a new issue's data: each one it leaves empty, from the latest issue. The issuer (编印单位)
 * too: it is printed under the masthead and is the same office issue after issue.
 */
export function footerDefaults(data: Readonly<Record<string, unknown>>, latest: FooterSource): Record<string, unknown> {
  const filled: Record<string, unknown> = {};
  const issuer = latest.issuer?.documentId;
  if (namesNothing(data.issuer) && typeof issuer === 'string') filled.issuer = issuer;
  for (const line of RECIPIENT_LINES) {
    const groups = (latest[line] ?? []).flatMap((entry) =>
      typeof entry.group?.documentId === 'string' ? [entry.group.documentId] : [],
    );
    if (isEmpty(data[line]) && groups.length > 0) filled[line] = groups.map((documentId) => ({ group: documentId }));
  }
  for (const field of FOOTER_TEXT_FIELDS) {
    const text = latest[field];
    if (isEmpty(data[field]) && typeof text === 'string' && text.trim() !== '') filled[field] = text;
  }
  return filled;
}
