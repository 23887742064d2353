import type { Core } from '@strapi/strapi';
import { PICKER_SORT, pickerLabel } from '../domain/item-picker';
import type { ItemState } from '../domain/workflow';
import { holdingIssues } from './issue-items';

/**
 * The content manager's relation picker for an issue's items (GET /content-manager/relations/api::issue.issue/items):
 * Strapi's own controller, asked for the picker's order (src/domain/item-picker.ts), its answer labelled with each
 * item's units, state and issue. Permissions, search and paging stay Strapi's.
 */

const ISSUE = 'api::issue.issue';
const ITEM = 'api::item.item';

type RelationsContext = {
  params: { model?: string; targetField?: string };
  request: { query: Record<string, unknown> };
  body: unknown;
};
type Result = { id: number; headline?: string };

async function labelled(strapi: Core.Strapi, results: Result[]): Promise<void> {
  const ids = results.map((result) => result.id);
  if (ids.length === 0) return;
  const rows = (await strapi.db.query(ITEM).findMany({
    where: { id: { $in: ids } },
    select: ['id', 'headline', 'state'],
    populate: { units: { select: ['shortName'] }, issue: { select: ['documentId'] } },
  })) as {
    id: number;
    headline: string;
    state: ItemState;
    units: { shortName: string }[];
    issue: { documentId: string } | null;
  }[];
  const issues = await holdingIssues(
    strapi,
    rows.flatMap((row) => (row.issue === null ? [] : [row.issue.documentId])),
  );
  for (const result of results) {
    const row = rows.find((each) => each.id === result.id);
    if (row === undefined) continue;
    result.headline = pickerLabel({
      headline: row.headline,
      units: row.units.map((unit) => unit.shortName),
      state: row.state,
      issueName: row.issue === null ? null : (issues.get(row.issue.documentId)?.name ?? null),
    });
  }
}

export function registerItemPicker(strapi: Core.Strapi): void {
  const controller = strapi.plugin('content-manager').controller('relations') as unknown as {
    findAvailable: (ctx: RelationsContext) => Promise<void>;
  };
  const findAvailable = controller.findAvailable.bind(controller);
  controller.findAvailable = async (ctx: RelationsContext) => {
    const itemsOfIssue = ctx.params.model === ISSUE && ctx.params.targetField === 'items';
    if (itemsOfIssue && ctx.request.query.sort === undefined)
      ctx.request.query = { ...ctx.request.query, sort: [...PICKER_SORT] };
    await findAvailable(ctx);
    const results = (ctx.body as { results?: Result[] } | undefined)?.results;
    if (itemsOfIssue && Array.isArray(results)) await labelled(strapi, results);
  };
}
