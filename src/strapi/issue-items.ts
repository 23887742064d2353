import type { Core } from '@strapi/strapi';
import {
  applyChange,
  itemsChange,
  itemsWriteViolations,
  orderWithMove,
  sameItem,
  type CandidateItem,
  type HoldingIssue,
  type ItemKey,
  type ItemRef,
} from '../domain/issue-items';
import { issueTitleLabel } from '../domain/labels';
import type { ItemState } from '../domain/workflow';
import { throwIfViolations } from './errors';

/**
 * Glue for the items of an issue (src/domain/issue-items.ts): writes to issue.items checked before they apply, and
 * the one order kept. The order lives in Strapi's link table (what the admin's relation list shows and drags, on the
 * issue's draft row); after every write that touches it, each item's 序号 (position) is renumbered 1…n from it, so
 * the record, the print, the reader and the admin's item list all follow the dragged order.
 */

const ISSUE = 'api::issue.issue';
const ITEM = 'api::item.item';

type Trx = Core.Strapi['db']['connection'];
type Params = { documentId?: string; data?: Record<string, unknown>; status?: unknown };
type LinkTable = { name: string; item: string; issue: string; order: string };

function linkTable(strapi: Core.Strapi): LinkTable {
  const attribute = strapi.db.metadata.get(ITEM).attributes.issue as unknown as {
    joinTable: {
      name: string;
      joinColumn: { name: string };
      inverseJoinColumn: { name: string };
      inverseOrderColumnName?: string;
    };
  };
  const { joinTable } = attribute;
  if (joinTable.inverseOrderColumnName === undefined) throw new Error('items ↔ issue link table has no order column');
  return {
    name: joinTable.name,
    item: joinTable.joinColumn.name,
    issue: joinTable.inverseJoinColumn.name,
    order: joinTable.inverseOrderColumnName,
  };
}

const itemTable = (strapi: Core.Strapi): string => strapi.db.metadata.get(ITEM).tableName;

type IssueRow = {
  id: number;
  documentId: string;
  publication: string;
  edition: string;
  year: number | null;
  number: number | null;
};

/** The printed name and sign-off state of issues, by documentId (their draft rows name them). */
export async function holdingIssues(
  strapi: Core.Strapi,
  documentIds: readonly string[],
): Promise<Map<string, HoldingIssue & { draftId: number | null }>> {
  const wanted = [...new Set(documentIds)];
  const found = new Map<string, HoldingIssue & { draftId: number | null }>();
  if (wanted.length === 0) return found;
  const rows = (await strapi.db.query(ISSUE).findMany({
    where: { documentId: { $in: wanted } },
    select: ['id', 'documentId', 'publication', 'edition', 'year', 'number', 'publishedAt'],
  })) as (IssueRow & { publishedAt: string | null })[];
  for (const row of rows) {
    const known = found.get(row.documentId);
    const name = issueTitleLabel(row.publication, row.year, row.edition, row.number);
    found.set(row.documentId, {
      documentId: row.documentId,
      name: known !== undefined && row.publishedAt !== null ? known.name : name,
      signedOff: (known?.signedOff ?? false) || row.publishedAt !== null,
      draftId: row.publishedAt === null ? row.id : (known?.draftId ?? null),
    });
  }
  return found;
}

/** The printed name of the signed-off issue an item is in (null: it is in none). */
export async function signedOffIssueName(
  strapi: Core.Strapi,
  issueDocumentId: string | null | undefined,
): Promise<string | null> {
  if (issueDocumentId === null || issueDocumentId === undefined) return null;
  const issue = (await holdingIssues(strapi, [issueDocumentId])).get(issueDocumentId);
  return issue !== undefined && issue.signedOff ? issue.name : null;
}

/** The items linked to an issue's draft row, in the list's order. */
async function draftItems(strapi: Core.Strapi, trx: Trx, draftId: number): Promise<ItemKey[]> {
  const link = linkTable(strapi);
  return trx(`${link.name} as l`)
    .join(`${itemTable(strapi)} as i`, 'i.id', `l.${link.item}`)
    .where(`l.${link.issue}`, draftId)
    .orderBy([{ column: `l.${link.order}` }, { column: 'l.id' }])
    .select<ItemKey[]>('i.id as id', 'i.document_id as documentId');
}

async function loadCandidates(strapi: Core.Strapi, refs: readonly ItemRef[]): Promise<CandidateItem[]> {
  const ids = refs.flatMap((ref) => ('id' in ref && Number.isSafeInteger(ref.id) ? [ref.id] : []));
  const documentIds = refs.flatMap((ref) => ('documentId' in ref ? [ref.documentId] : []));
  if (ids.length === 0 && documentIds.length === 0) return [];
  const rows = (await strapi.db.query(ITEM).findMany({
    where: { $or: [{ id: { $in: ids } }, { documentId: { $in: documentIds } }] },
    select: ['id', 'documentId', 'headline', 'state'],
    populate: { issue: { select: ['documentId'] } },
  })) as { id: number; documentId: string; headline: string; state: ItemState; issue: { documentId: string } | null }[];
  const issues = await holdingIssues(
    strapi,
    rows.flatMap((row) => (row.issue === null ? [] : [row.issue.documentId])),
  );
  return rows.map((row) => ({
    id: row.id,
    documentId: row.documentId,
    headline: row.headline,
    state: row.state,
    issue: row.issue === null ? null : (issues.get(row.issue.documentId) ?? null),
  }));
}

/**
 * A create or update of an issue that mentions its items: refused before anything is written when it would take an
 * item out of a signed-off issue, change a signed-off issue's items, or place an item that is not adopted; after the
 * write, the order is renumbered.
 */
export async function issueItemsWrite(
  strapi: Core.Strapi,
  action: string,
  params: Params,
  next: () => Promise<unknown>,
): Promise<unknown> {
  const change = itemsChange(params.data?.items);
  if (change === null) return next();
  return strapi.db.transaction(async ({ trx }) => {
    const issue =
      params.documentId === undefined || action === 'create'
        ? undefined
        : (await holdingIssues(strapi, [params.documentId])).get(params.documentId);
    const current =
      issue?.draftId === null || issue?.draftId === undefined ? [] : await draftItems(strapi, trx, issue.draftId);
    const refs = [...(change.set ?? []), ...change.connect.map((entry) => entry.ref), ...change.disconnect];
    const candidates = await loadCandidates(strapi, refs);
    const known = [...current, ...candidates];
    const resolve = (ref: ItemRef) => known.find((item) => sameItem(ref, item)) ?? null;
    const after = applyChange(current, change, resolve);
    throwIfViolations(itemsWriteViolations({ issue: issue ?? null, current, next: after, candidates }));
    const result = await next();
    const documentId = params.documentId ?? documentIdOf(result);
    const touched = new Set([
      ...(documentId === null ? [] : [documentId]),
      ...candidates.flatMap((item) => (item.issue === null ? [] : [item.issue.documentId])),
    ]);
    for (const each of touched) await syncOrder(strapi, each, null);
    const removed = current.filter((item) => !after.some((other) => other.id === item.id)).map((item) => item.id);
    if (removed.length > 0) await trx(itemTable(strapi)).whereIn('id', removed).update({ position: null });
    return result;
  });
}

function documentIdOf(result: unknown): string | null {
  const documentId =
    typeof result === 'object' && result !== null ? (result as { documentId?: unknown }).documentId : undefined;
  return typeof documentId === 'string' ? documentId : null;
}

/**
 * The one order of an issue's items: the draft's list order, with one item moved to a 1-based place when a write gave
 * it a position; the link table and every item's 序号 are renumbered 1…n to match. Runs inside the caller's
 * transaction when there is one.
 */
export async function syncOrder(
  strapi: Core.Strapi,
  issueDocumentId: string,
  move: { itemId: number; position: number } | null,
): Promise<void> {
  await strapi.db.transaction(async ({ trx }) => {
    const draft = (await strapi.db
      .query(ISSUE)
      .findOne({ where: { documentId: issueDocumentId, publishedAt: null }, select: ['id'] })) as { id: number } | null;
    if (draft === null) return;
    const link = linkTable(strapi);
    const links = (await trx(link.name)
      .where(link.issue, draft.id)
      .orderBy([{ column: link.order }, { column: 'id' }])
      .select('id', `${link.item} as itemId`, `${link.order} as ord`)) as {
      id: number;
      itemId: number;
      ord: number | null;
    }[];
    const order = orderWithMove(
      links.map((row) => row.itemId),
      move === null ? null : { id: move.itemId, position: move.position },
    );
    for (const [index, itemId] of order.entries()) {
      const row = links.find((each) => each.itemId === itemId);
      if (row !== undefined && Number(row.ord) !== index + 1)
        await trx(link.name)
          .where('id', row.id)
          .update({ [link.order]: index + 1 });
    }
    if (order.length === 0) return;
    const items = itemTable(strapi);
    const positions = (await trx(items).whereIn('id', order).select('id', 'position')) as {
      id: number;
      position: number | null;
    }[];
    for (const [index, itemId] of order.entries()) {
      if (positions.find((row) => row.id === itemId)?.position !== index + 1)
        await trx(items)
          .where('id', itemId)
          .update({ position: index + 1 });
    }
  });
}
