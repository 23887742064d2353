import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { adoptionKindViolations, checkBodyAttribution, type Violation } from '../domain/attribution';
import {
  contributorWrite,
  frozenViolations,
  itemOutcomeViolations,
  signOffViolations,
  staffWrite,
  unitDeletionViolations,
  type ItemState,
} from '../domain/workflow';
import { currentViewer } from './access';
import { freezeRecord } from './record';
import { throwIfViolations } from './errors';
import { signedOffIssueName, syncOrder } from './issue-items';

/**
 * Workflow glue: item writes (who may write what, the state an item ends in, what must hold afterwards), the
 * sign-off conditions of an issue, and units that history still names. Checks that read the result of a write run
 * inside one transaction with it, so a refusal leaves nothing behind.
 */

const ISSUE = 'api::issue.issue';
const ITEM = 'api::item.item';
const UNIT = 'api::unit.unit';

type Params = { documentId?: string; data?: Record<string, unknown>; status?: unknown };
type ItemRow = {
  id: number;
  documentId: string;
  headline: string;
  position: number | null;
  state: ItemState;
  returnReason: string | null;
  body: string;
  adoptionKind: string;
  units: { id: number; documentId: string; shortName: string; fullName: string | null; active: boolean }[];
  issue: { documentId: string } | null;
};

function throwForbidden(violations: readonly Violation[]): void {
  if (violations.length === 0) return;
  // A PolicyError (a ForbiddenError) keeps its message: Strapi's route authorisation turns any other ForbiddenError
  // raised below it into a bare "Forbidden".
  throw new errors.PolicyError(violations.map((violation) => violation.message).join('；'), {
    errors: violations.map((violation) => ({
      path: violation.path,
      message: violation.message,
      name: 'ForbiddenError',
    })),
  });
}

function documentIdOf(result: unknown): string | null {
  if (typeof result !== 'object' || result === null) return null;
  const documentId = (result as { documentId?: unknown }).documentId;
  return typeof documentId === 'string' ? documentId : null;
}

async function loadItem(strapi: Core.Strapi, documentId: string): Promise<ItemRow | null> {
  return strapi.db.query(ITEM).findOne({
    where: { documentId },
    select: ['id', 'documentId', 'headline', 'state', 'returnReason', 'body', 'adoptionKind', 'position'],
    populate: {
      units: { select: ['id', 'documentId', 'shortName', 'fullName', 'active'] },
      issue: { select: ['documentId'] },
    },
  });
}

/** create / update / delete of an item, by the office or by a contributor. */
export async function itemWrite(
  strapi: Core.Strapi,
  action: string,
  params: Params,
  next: () => Promise<unknown>,
): Promise<unknown> {
  const viewer = await currentViewer(strapi);
  if (viewer.kind === 'reader' || viewer.kind === 'nobody') throw new errors.PolicyError('没有报送或修改信息的权限');
  const contributor = viewer.kind === 'contributor' ? viewer : null;

  let current: ItemRow | null = null;
  if (action !== 'create') {
    if (params.documentId === undefined) return next();
    current = await loadItem(strapi, params.documentId);
    if (current === null) return next(); // Strapi answers 404
    if (contributor !== null && !current.units.some((unit) => contributor.unitIds.includes(unit.id)))
      throw new errors.NotFoundError('Not Found');
  }
  const frozen = async () =>
    throwIfViolations(frozenViolations(await signedOffIssueName(strapi, current?.issue?.documentId)));
  if (action === 'delete') {
    await frozen();
    return next();
  }

  const data: Record<string, unknown> = { ...(params.data ?? {}) };
  const touched = Object.keys(data);
  const decision =
    contributor !== null
      ? contributorWrite(touched, data.state, current?.state ?? null)
      : staffWrite(data.state, current?.state ?? null);
  throwForbidden(decision.forbidden);
  await frozen();
  throwIfViolations(decision.invalid);
  data.state = decision.state;

  if (contributor !== null) {
    if (contributor.unitIds.length === 0)
      throw new errors.PolicyError('您的账号没有所属单位，不能报送信息；请联系编辑部');
    if (action === 'create') {
      if (data.units === undefined && contributor.unitIds.length === 1) {
        const own = await strapi.db
          .query(UNIT)
          .findOne({ where: { id: contributor.unitIds[0] }, select: ['documentId'] });
        data.units = [own.documentId];
      }
      if (contributor.userId !== null) data.submittedBy = contributor.userId;
    }
  }
  params.data = data;

  return strapi.db.transaction(async () => {
    const result = await next();
    const documentId = documentIdOf(result) ?? params.documentId ?? null;
    const after = documentId === null ? null : await loadItem(strapi, documentId);
    if (after === null) return result;
    const foreign = contributor === null ? [] : after.units.filter((unit) => !contributor.unitIds.includes(unit.id));
    if (foreign.length > 0) {
      throwForbidden([
        {
          path: ['units'],
          message: `信息员只能以本单位名义报送，不能署名 ${foreign.map((unit) => unit.shortName).join('、')}`,
        },
      ]);
    }
    const unitsChanged = action === 'create' || touched.includes('units');
    if (unitsChanged || touched.includes('body')) await checkAttributionInBody(strapi, after, result);
    throwIfViolations([
      ...adoptionKindViolations(after.adoptionKind, after.units.length),
      ...itemOutcomeViolations({
        state: after.state,
        returnReason: after.returnReason,
        inIssue: after.issue !== null,
        signedOffIssueName:
          touched.includes('issue') || action === 'create'
            ? await signedOffIssueName(strapi, after.issue?.documentId)
            : null,
        unitCount: after.units.length,
        inactiveUnits: unitsChanged ? after.units.filter((unit) => !unit.active).map((unit) => unit.shortName) : [],
        headline: after.headline,
      }),
    ]);
    await keepOrder(strapi, current, after, data.position);
    return result;
  });
}

/**
 * The one order (./issue-items.ts): an item placed, moved or given a position renumbers the issues it left and joined;
 * a position asks for that place in the list.
 */
async function keepOrder(
  strapi: Core.Strapi,
  before: ItemRow | null,
  after: ItemRow,
  position: unknown,
): Promise<void> {
  const left = before?.issue?.documentId ?? null;
  const joined = after.issue?.documentId ?? null;
  if (left !== null && left !== joined) await syncOrder(strapi, left, null);
  if (joined === null) {
    if (after.position !== null)
      await strapi.db.query(ITEM).update({ where: { id: after.id }, data: { position: null } });
    return;
  }
  const wanted = typeof position === 'number' || typeof position === 'string' ? Number(position) : NaN;
  await syncOrder(strapi, joined, Number.isSafeInteger(wanted) ? { itemId: after.id, position: wanted } : null);
}

/** A body typed with its own unit's attribution at the end loses it (it is printed from the units); another unit's is refused. */
async function checkAttributionInBody(strapi: Core.Strapi, item: ItemRow, result: unknown): Promise<void> {
  const names = (unit: { shortName: string; fullName: string | null }) =>
    unit.fullName === null ? [unit.shortName] : [unit.shortName, unit.fullName];
  const own = item.units.flatMap(names);
  const ownIds = new Set(item.units.map((unit) => unit.id));
  const all = (await strapi.db.query(UNIT).findMany({ select: ['id', 'shortName', 'fullName'] })) as {
    id: number;
    shortName: string;
    fullName: string | null;
  }[];
  const others = all.filter((unit) => !ownIds.has(unit.id)).flatMap(names);
  const check = checkBodyAttribution(item.body ?? '', own, others);
  throwIfViolations(check.violations);
  if (check.stripped === null) return;
  await strapi.db.query(ITEM).update({ where: { id: item.id }, data: { body: check.body } });
  if (typeof result === 'object' && result !== null && 'body' in result) (result as { body: string }).body = check.body;
}

/** Publishing (签发) an issue: its conditions, checked on the written draft, and the first sign-off recorded once. */
export async function signOff(strapi: Core.Strapi, params: Params, next: () => Promise<unknown>): Promise<unknown> {
  return strapi.db.transaction(async () => {
    const result = await next();
    const documentId = documentIdOf(result) ?? params.documentId ?? null;
    if (documentId === null) return result;
    const draft = await strapi.db.query(ISSUE).findOne({
      where: { documentId, publishedAt: null },
      select: ['id', 'date'],
      populate: { issuer: { select: ['id'] } },
    });
    if (draft === null) return result;
    const items = (await strapi.db
      .query(ITEM)
      .findMany({ where: { issue: { documentId } }, select: ['headline', 'state'] })) as {
      headline: string;
      state: ItemState;
    }[];
    throwIfViolations(
      signOffViolations({
        hasIssuer: draft.issuer !== null && draft.issuer !== undefined,
        date: draft.date ?? null,
        items,
      }),
    );
    await syncOrder(strapi, documentId, null);
    await strapi.db
      .query(ISSUE)
      .updateMany({ where: { documentId, firstSignedOffAt: null }, data: { firstSignedOffAt: new Date() } });
    await freezeRecord(strapi, documentId);
    const stamped = await strapi.db
      .query(ISSUE)
      .findOne({ where: { documentId, publishedAt: null }, select: ['firstSignedOffAt'] });
    const entries = (result as { entries?: unknown[] }).entries;
    for (const entry of [result, ...(Array.isArray(entries) ? entries : [])]) {
      if (typeof entry === 'object' && entry !== null && 'firstSignedOffAt' in entry) {
        entry.firstSignedOffAt = stamped?.firstSignedOffAt ?? null;
      }
    }
    return result;
  });
}

/** A unit that items name is not deleted. */
export async function unitDelete(strapi: Core.Strapi, params: Params, next: () => Promise<unknown>): Promise<unknown> {
  if (params.documentId !== undefined) {
    const itemCount = await strapi.db.query(ITEM).count({ where: { units: { documentId: params.documentId } } });
    throwIfViolations(unitDeletionViolations(itemCount));
  }
  return next();
}
