import type { Core } from '@strapi/strapi';
import { footerDefaults, type FooterSource } from '../domain/footer';

/**
 * The footer (版记) in the admin: each recipient entry carries its group's name as a label (the admin names a
 * collapsed entry by it), kept in step by the app; and an issue created in the admin starts with the footer of its
 * publication's latest issue, where the editor gave none.
 */

const ISSUE = 'api::issue.issue';
const RECIPIENT = 'bulletin.recipient';

type GroupLink = { table: string; component: string; group: string };

function groupLink(strapi: Core.Strapi): GroupLink {
  const attribute = strapi.db.metadata.get(RECIPIENT).attributes.group as unknown as {
    joinTable: { name: string; joinColumn: { name: string }; inverseJoinColumn: { name: string } };
  };
  return {
    table: attribute.joinTable.name,
    component: attribute.joinTable.joinColumn.name,
    group: attribute.joinTable.inverseJoinColumn.name,
  };
}

/** Every recipient entry labelled with its group's current name (only rows whose label differs are written). */
export async function syncRecipientLabels(strapi: Core.Strapi): Promise<void> {
  const link = groupLink(strapi);
  const components = strapi.db.metadata.get(RECIPIENT).tableName;
  const groups = strapi.db.metadata.get('api::recipient-group.recipient-group').tableName;
  // Inside the caller's transaction when there is one (SQLite has a single connection).
  await strapi.db.transaction(({ trx }) =>
    trx.raw(
      `UPDATE ${components} SET label = (SELECT g.name FROM ${link.table} l JOIN ${groups} g ON g.id = l.${link.group} WHERE l.${link.component} = ${components}.id LIMIT 1)
     WHERE EXISTS (SELECT 1 FROM ${link.table} l JOIN ${groups} g ON g.id = l.${link.group}
                   WHERE l.${link.component} = ${components}.id AND (${components}.label IS NULL OR ${components}.label <> g.name))`,
    ),
  );
}

/** Is this Document Service call serving the admin's content manager? */
function fromContentManager(strapi: Core.Strapi): boolean {
  const url = (strapi.requestContext.get() as { request?: { url?: string } } | undefined)?.request?.url;
  return typeof url === 'string' && url.startsWith('/content-manager/');
}

/** An issue created in the admin starts with the issuer and footer lines of its publication's latest issue where it gives none. */
export async function footerFromLatest(strapi: Core.Strapi, data: Record<string, unknown>): Promise<void> {
  if (!fromContentManager(strapi)) return;
  const publication = typeof data.publication === 'string' && data.publication.trim() !== '' ? data.publication : null;
  const groupPopulate = { populate: { group: { select: ['documentId'] } } };
  const latest = (await strapi.db.query(ISSUE).findOne({
    where: { publishedAt: null, ...(publication === null ? {} : { publication }) },
    orderBy: [{ date: 'desc' }, { number: 'desc' }, { id: 'desc' }],
    populate: {
      issuer: { select: ['documentId'] },
      reportTo: groupPopulate,
      sendTo: groupPopulate,
      distributeTo: groupPopulate,
      copyTo: groupPopulate,
    },
  })) as FooterSource | null;
  if (latest === null) return;
  Object.assign(data, footerDefaults(data, latest));
}
