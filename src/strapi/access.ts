import type { Core } from '@strapi/strapi';
import { issueScope, readsWhatIsSent, itemScope, withinScope, type Viewer } from '../domain/access';
import { ROLES } from '../domain/roles';
import { UNIT_STAFF_ROLE } from '../domain/admin-roles';
import { issuesSentToStatement } from '../domain/sent-to';

/**
 * Access glue: who is calling (from Strapi's request context), row-level scopes on every read of issues and items
 * through the Document Service, the same rule on nested loads that bypass it, and the roles map applied at start-up.
 */

const ISSUE = 'api::issue.issue';
const ITEM = 'api::item.item';
const USER = 'plugin::users-permissions.user';
const READS = new Set(['findMany', 'findFirst', 'findOne', 'count']);
/** Strapi's strategies for admin sessions, admin tokens and the office's API tokens: staff, governed by their own RBAC. */
const STAFF_STRATEGIES = new Set(['admin', 'admin-token', 'content-api-token', 'api-token']);

type RequestState = {
  auth?: { strategy?: { name?: string } };
  user?: { id: number; role?: { type?: string }; roles?: { code?: string }[] };
  bulletinViewer?: Viewer;
};

/** The caller of the current request; calls made by the app itself (no request) are staff. */
export async function currentViewer(strapi: Core.Strapi): Promise<Viewer> {
  const ctx = strapi.requestContext.get() as { state?: RequestState } | undefined;
  if (ctx === undefined) return { kind: 'staff' };
  const state = ctx.state ?? {};
  if (state.bulletinViewer !== undefined) return state.bulletinViewer;
  const strategy = state.auth?.strategy?.name;
  let viewer: Viewer = { kind: 'nobody' };
  if (strategy === 'admin' && state.user !== undefined && isUnitStaffOnly(state.user.roles)) {
    viewer = { kind: 'contributor', userId: null, unitIds: await unitsOfAdmin(strapi, state.user.id) };
  } else if (strategy !== undefined && STAFF_STRATEGIES.has(strategy)) {
    viewer = { kind: 'staff' };
  } else if (strategy === 'users-permissions' && state.user !== undefined) {
    const role = state.user.role?.type;
    if (readsWhatIsSent(role)) {
      const user = await strapi.db
        .query(USER)
        .findOne({ where: { id: state.user.id }, select: ['id'], populate: { unit: { select: ['id'] } } });
      const unitId = typeof user?.unit?.id === 'number' ? (user.unit.id as number) : null;
      viewer =
        role === 'reader'
          ? { kind: 'reader', userId: state.user.id, unitId }
          : { kind: 'contributor', userId: state.user.id, unitIds: unitId === null ? [] : [unitId] };
    }
  }
  state.bulletinViewer = viewer;
  ctx.state = state;
  return viewer;
}

/** An admin user whose only roles are the unit-staff role works like a contributor for the units linked to them. */
function isUnitStaffOnly(roles: { code?: string }[] | undefined): boolean {
  return roles !== undefined && roles.length > 0 && roles.every((role) => role.code === UNIT_STAFF_ROLE);
}

async function unitsOfAdmin(strapi: Core.Strapi, adminUserId: number): Promise<number[]> {
  const units = (await strapi.db
    .query('api::unit.unit')
    .findMany({ where: { adminUsers: { id: adminUserId } }, select: ['id'] })) as { id: number }[];
  return units.map((unit) => unit.id);
}

/**
 * documentIds of the signed-off issues whose recipient lines (报 / 送 / 发 / 抄送) reach this unit or this account:
 * issue → its recipient components → their group → the group's units and people. One statement
 * (src/domain/sent-to.ts), on either database.
 */
export async function issuesSentTo(strapi: Core.Strapi, unitIds: number[], userId: number | null): Promise<string[]> {
  const statement = issuesSentToStatement({ unitIds, userId });
  const result = (await strapi.db.connection.raw(statement.sql, statement.bindings)) as unknown;
  const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as { documentId: string }[];
  return rows.map((row) => row.documentId);
}

/** The issues this viewer may read (null: all), computed once per request. */
async function readableIssueIds(strapi: Core.Strapi, viewer: Viewer): Promise<string[] | null> {
  if (viewer.kind === 'staff') return null;
  if (viewer.kind === 'nobody') return [];
  const ctx = strapi.requestContext.get() as { state?: { bulletinReadable?: string[] } } | undefined;
  if (ctx?.state?.bulletinReadable !== undefined) return ctx.state.bulletinReadable;
  const unitIds = viewer.kind === 'reader' ? (viewer.unitId === null ? [] : [viewer.unitId]) : viewer.unitIds;
  const readable = await issuesSentTo(strapi, unitIds, viewer.userId);
  if (ctx?.state !== undefined) ctx.state.bulletinReadable = readable;
  return readable;
}

/** documentIds among `documentIds` of the issues this viewer may read. */
async function readableIssues(strapi: Core.Strapi, viewer: Viewer, documentIds: string[]): Promise<Set<string>> {
  const readable = await readableIssueIds(strapi, viewer);
  if (readable === null) return new Set(documentIds);
  const allowed = new Set(readable);
  return new Set(documentIds.filter((id) => allowed.has(id)));
}

/** An item's populated `issue` is shown only where the viewer may read that issue (a unit's item may be in an issue not sent to it). */
async function hideUnreadableIssues(strapi: Core.Strapi, viewer: Viewer, result: unknown): Promise<unknown> {
  if (viewer.kind !== 'contributor') return result;
  const entries = (Array.isArray(result) ? result : [result]).filter(
    (entry): entry is { issue?: { documentId?: string } | null } => typeof entry === 'object' && entry !== null,
  );
  const linked = entries.map((entry) => entry.issue?.documentId).filter((id): id is string => typeof id === 'string');
  if (linked.length === 0) return result;
  const readable = await readableIssues(strapi, viewer, [...new Set(linked)]);
  for (const entry of entries) {
    if (entry.issue?.documentId !== undefined && !readable.has(entry.issue.documentId)) entry.issue = null;
  }
  return result;
}

/** Document Service middleware: every read of issues and items is restricted to the caller's scope. */
export async function readScope(
  strapi: Core.Strapi,
  uid: string,
  action: string,
  params: Record<string, unknown>,
  next: () => Promise<unknown>,
): Promise<unknown> {
  if ((uid !== ISSUE && uid !== ITEM) || !READS.has(action)) return next();
  const viewer = await currentViewer(strapi);
  const readable = (await readableIssueIds(strapi, viewer)) ?? [];
  const scope = uid === ISSUE ? issueScope(viewer, readable) : itemScope(viewer, readable);
  if (scope === null) return next();
  params.filters = withinScope(params.filters, scope);
  const result = await next();
  return uid === ITEM ? hideUnreadableIssues(strapi, viewer, result) : result;
}

/** GraphQL resolves `Item.issue` with a direct database load: the same rule applies there. */
export function registerNestedGuards(strapi: Core.Strapi): void {
  strapi
    .plugin('graphql')
    .service('extension')
    .use(() => ({
      resolversConfig: {
        'Item.issue': {
          middlewares: [
            async (next: (...args: unknown[]) => Promise<unknown>, ...args: unknown[]) => {
              const issue = (await next(...args)) as { documentId?: string } | null;
              if (issue === null || issue === undefined || typeof issue.documentId !== 'string') return issue;
              const viewer = await currentViewer(strapi);
              const readable = await readableIssues(strapi, viewer, [issue.documentId]);
              return readable.has(issue.documentId) ? issue : null;
            },
          ],
        },
      },
    }));
}

const STRAPI_ROLE_NAMES = ['Public', 'Authenticated'];

/** The roles map (src/domain/roles.ts) applied idempotently; self-registration off. */
export async function applyRoles(strapi: Core.Strapi): Promise<void> {
  const roles = strapi.db.query('plugin::users-permissions.role');
  const permissions = strapi.db.query('plugin::users-permissions.permission');
  for (const spec of ROLES) {
    let role = await roles.findOne({ where: { type: spec.type } });
    if (role === null)
      role = await roles.create({ data: { type: spec.type, name: spec.name, description: spec.description } });
    // Strapi names its two built-in roles in English; they are shown in Chinese unless the office renamed them.
    if (STRAPI_ROLE_NAMES.includes(role.name) && role.name !== spec.name) {
      role = await roles.update({ where: { id: role.id }, data: { name: spec.name, description: spec.description } });
    }
    const granted = (await permissions.findMany({ where: { role: { id: role.id } }, select: ['id', 'action'] })) as {
      id: number;
      action: string;
    }[];
    const wanted = new Set(spec.actions);
    const extra = granted.filter((permission) => !wanted.has(permission.action)).map((permission) => permission.id);
    if (extra.length > 0) await permissions.deleteMany({ where: { id: { $in: extra } } });
    const have = new Set(granted.map((permission) => permission.action));
    for (const action of spec.actions) {
      if (!have.has(action)) await permissions.create({ data: { action, role: role.id } });
    }
  }
  const advanced = strapi.store({ type: 'plugin', name: 'users-permissions', key: 'advanced' });
  const settings = ((await advanced.get({})) ?? {}) as Record<string, unknown>;
  if (settings.allow_register !== false) await advanced.set({ value: { ...settings, allow_register: false } });
}
