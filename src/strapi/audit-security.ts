import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { REDACTED, type AuditEntry, type Changes } from '../domain/audit';
import {
  loginAction,
  passwordAction,
  permissionChanges,
  securityChanges,
  securityUpdateAction,
  type SecurityAction,
} from '../domain/audit-events';
import { actorOf, appendEntry, auditOn, type Actor } from './audit';

/**
 * The audit trail's security events (names and rules: src/domain/audit-events.ts), each one entry of category
 * 'security' in bulletin_audit, chained like every other.
 *
 * - Logins, failed and refused logins, logout, password reset requests, resets and changes: the controller actions
 *   (admin `authentication.login/logout/forgotPassword/resetPassword`, `authenticated-user.updateMe`;
 *   users-permissions `auth.callback/forgotPassword/resetPassword/changePassword`, which the GraphQL `login` etc.
 *   call too) are wrapped, outside the login limits' wrapper (src/strapi/login-limits.ts, registered before this),
 *   so a login the limits refuse is seen as the 429 it is answered, once. The entry is written after the action
 *   answered, in a transaction of its own: a failed login has no write to roll back with.
 * - Admin users, accounts, admin roles, account roles, API tokens: database lifecycles on their rows (create, update,
 *   delete), in the write's transaction where there is one; an API token's last-use stamp and a reset code alone are
 *   no entry. A role's permissions: the two services that replace them (admin `role.assignPermissions`,
 *   users-permissions `role.updateRole`) are wrapped, one entry per change naming what was added and removed.
 * - Kept: who (or which e-mail / identifier was tried), from where (address, user agent, request id), which row. Never
 *   a password, token, JWT, reset code or key: request bodies are not kept, only the e-mail or identifier; changed
 *   secret fields show REDACTED.
 */

const ADMIN_USER = 'admin::user';
const ACCOUNT = 'plugin::users-permissions.user';
const HANDLED = Symbol('bulletin.audit.security.handled');

type Ctx = {
  request: { ip?: string; body?: unknown };
  state: Record<string | symbol, unknown> & {
    user?: {
      id?: number;
      documentId?: string;
      email?: string;
      username?: string;
      firstname?: string | null;
      lastname?: string | null;
    };
    requestId?: string;
  };
  status: number;
  body: unknown;
  get: (name: string) => string;
};
type Action = (ctx: Ctx, next?: () => Promise<unknown>) => unknown;

const whereFrom = (ctx: Ctx | undefined): Pick<Actor, 'address' | 'userAgent' | 'requestId'> => ({
  address: ctx?.request.ip ?? null,
  userAgent: (ctx?.get('user-agent') ?? '') === '' ? null : (ctx?.get('user-agent') ?? null),
  requestId: typeof ctx?.state.requestId === 'string' ? ctx.state.requestId : null,
});

/** Appends a security or read entry in a transaction (nested into the current one, if any); a failure is logged, not thrown. */
export async function recordEntry(strapi: Core.Strapi, entry: Omit<AuditEntry, 'at'>): Promise<void> {
  if (!auditOn()) return;
  try {
    await strapi.db.transaction(async ({ trx }) =>
      appendEntry(strapi, trx, { at: new Date().toISOString(), ...entry }),
    );
  } catch (error) {
    strapi.log.error(
      `audit trail: ${entry.category ?? 'content'} entry ${entry.action} on ${entry.contentType} not recorded: ${(error as Error).message}`,
    );
  }
}

const text = (value: unknown): string | null =>
  typeof value === 'string' && value.trim() !== '' ? value.trim().slice(0, 200) : null;
const bodyField = (ctx: Ctx, field: string): string | null =>
  typeof ctx.request.body === 'object' && ctx.request.body !== null
    ? text((ctx.request.body as Record<string, unknown>)[field])
    : null;
const adminName = (user: { email?: string; firstname?: string | null; lastname?: string | null }): string | null =>
  [user.lastname, user.firstname].filter((part) => typeof part === 'string' && part !== '').join('') ||
  (user.email ?? null);

/** The HTTP status an error thrown by an action becomes (Strapi's errors middleware). */
function statusOf(error: unknown): number {
  if (error instanceof errors.RateLimitError) return 429;
  if (error instanceof errors.UnauthorizedError) return 401;
  if (error instanceof errors.ForbiddenError || error instanceof errors.PolicyError) return 403;
  if (error instanceof errors.NotFoundError) return 404;
  if (error instanceof errors.ApplicationError) return 400;
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' ? status : 500;
}

/** Runs an action and then `after(status)`, with the status it is answered with, whether it returned or threw. */
function observed(action: Action, after: (ctx: Ctx, status: number) => Promise<void>): Action {
  return async (ctx, next) => {
    let status = 500;
    ctx.state[HANDLED] = true; // the user row's own update (a new password, a reset code) is this event, not another
    try {
      const answer = await action(ctx, next);
      status = ctx.status;
      return answer;
    } catch (error) {
      status = statusOf(error);
      throw error;
    } finally {
      await after(ctx, status);
    }
  };
}

/**
 * Wraps `target[key]` once per Strapi instance: the admin's and plugins' controllers and services are module-level
 * objects shared by every instance a process loads; a wrapper is built around what was there before this module's
 * last wrapper (the original, or the login limits' fresh wrapper), never around its own previous wrapper.
 */
const wrapped = new WeakMap<object, Map<PropertyKey, { inner: unknown; wrapper: unknown }>>();
function wrap<T extends object, K extends keyof T>(target: T, key: K, make: (inner: T[K]) => T[K]): void {
  const byKey = wrapped.get(target) ?? new Map<PropertyKey, { inner: unknown; wrapper: unknown }>();
  wrapped.set(target, byKey);
  const previous = byKey.get(key);
  const inner = (previous !== undefined && previous.wrapper === target[key] ? previous.inner : target[key]) as T[K];
  const wrapper = make(inner);
  byKey.set(key, { inner, wrapper });
  target[key] = wrapper;
}

type Registry<T> = { extend: (uid: string, extend: (current: T) => T) => unknown };

// ---- logins and passwords ------------------------------------------------------------------------------------------

type Subject = {
  documentId?: string;
  id?: number;
  email?: string;
  username?: string;
  firstname?: string | null;
  lastname?: string | null;
};
const answeredUser = (ctx: Ctx): Subject | null => {
  const body = ctx.body as { user?: Subject; data?: { user?: Subject } } | null | undefined;
  return body?.user ?? body?.data?.user ?? null;
};

async function adminEvent(
  strapi: Core.Strapi,
  ctx: Ctx,
  action: SecurityAction,
  user: Subject | null,
  changes: Changes,
): Promise<void> {
  const known =
    user?.id !== undefined
      ? ((await strapi.db.query(ADMIN_USER).findOne({
          where: { id: user.id },
          select: ['id', 'documentId', 'email', 'firstname', 'lastname'],
        })) as Subject | null)
      : null;
  await recordEntry(strapi, {
    category: 'security',
    action,
    contentType: ADMIN_USER,
    documentId: known?.documentId ?? null,
    documentName: known?.email ?? null,
    changes,
    actorKind: 'admin',
    actorId: known?.id === undefined ? null : String(known.id),
    actorName: known === null ? null : adminName(known),
    actorUnit: null,
    ...whereFrom(ctx),
  });
}

async function accountEvent(
  strapi: Core.Strapi,
  ctx: Ctx,
  action: SecurityAction,
  user: Subject | null,
  changes: Changes,
): Promise<void> {
  const known =
    user?.id !== undefined
      ? ((await strapi.db.query(ACCOUNT).findOne({
          where: { id: user.id },
          select: ['id', 'documentId', 'username'],
          populate: { unit: { select: ['shortName'] } },
        })) as (Subject & { unit?: { shortName: string } | null }) | null)
      : null;
  await recordEntry(strapi, {
    category: 'security',
    action,
    contentType: ACCOUNT,
    documentId: known?.documentId ?? null,
    documentName: known?.username ?? null,
    changes,
    actorKind: 'account',
    actorId: known?.id === undefined ? null : String(known.id),
    actorName: known?.username ?? null,
    actorUnit: known?.unit?.shortName ?? null,
    ...whereFrom(ctx),
  });
}

const given = (name: string, value: string | null): Changes =>
  value === null ? {} : { [name]: { old: null, new: value } };
const ok = (status: number): boolean => status >= 200 && status < 300;

function wrapAuthControllers(strapi: Core.Strapi): void {
  const controllers = strapi.get<Registry<Record<string, Action>>>('controllers');

  controllers.extend('admin::authentication', (controller) => {
    wrap(controller, 'login', (inner) =>
      observed(inner, async (ctx, status) => {
        const action = loginAction(status);
        await adminEvent(
          strapi,
          ctx,
          action,
          action === 'login' ? (ctx.state.user ?? null) : null,
          given('email', bodyField(ctx, 'email')),
        );
      }),
    );
    wrap(controller, 'logout', (inner) =>
      observed(inner, async (ctx, status) => {
        if (ok(status)) await adminEvent(strapi, ctx, 'logout', ctx.state.user ?? null, {});
      }),
    );
    wrap(controller, 'forgotPassword', (inner) =>
      observed(inner, async (ctx, status) => {
        if (ok(status))
          await adminEvent(strapi, ctx, 'password-reset-request', null, given('email', bodyField(ctx, 'email')));
      }),
    );
    wrap(controller, 'resetPassword', (inner) =>
      observed(inner, async (ctx, status) => {
        const action = passwordAction('reset', status);
        if (action !== null)
          await adminEvent(strapi, ctx, action, action === 'password-reset' ? answeredUser(ctx) : null, {});
      }),
    );
    return controller;
  });

  controllers.extend('admin::authenticated-user', (controller) => {
    wrap(controller, 'updateMe', (inner) => (ctx, next) => {
      const body = (ctx.request.body ?? {}) as Record<string, unknown>;
      if (typeof body.password !== 'string' || body.password === '') return inner(ctx, next);
      return observed(inner, async (observedCtx, status) => {
        const action = passwordAction('change', status);
        if (action !== null)
          await adminEvent(
            strapi,
            observedCtx,
            action,
            observedCtx.state.user ?? null,
            action === 'password-change' ? { password: { old: REDACTED, new: REDACTED } } : {},
          );
      })(ctx, next);
    });
    return controller;
  });

  controllers.extend('plugin::users-permissions.auth', (controller) => {
    wrap(controller, 'callback', (inner) => (ctx, next) => {
      const provider = (ctx as Ctx & { params?: { provider?: string } }).params?.provider ?? 'local';
      if (provider !== 'local') return inner(ctx, next);
      return observed(inner, async (observedCtx, status) => {
        const action = loginAction(status);
        await accountEvent(
          strapi,
          observedCtx,
          action,
          action === 'login' ? answeredUser(observedCtx) : null,
          given('identifier', bodyField(observedCtx, 'identifier')),
        );
      })(ctx, next);
    });
    wrap(controller, 'forgotPassword', (inner) =>
      observed(inner, async (ctx, status) => {
        if (ok(status))
          await accountEvent(strapi, ctx, 'password-reset-request', null, given('email', bodyField(ctx, 'email')));
      }),
    );
    wrap(controller, 'resetPassword', (inner) =>
      observed(inner, async (ctx, status) => {
        const action = passwordAction('reset', status);
        if (action === 'password-reset')
          await accountEvent(strapi, ctx, action, answeredUser(ctx), { password: { old: REDACTED, new: REDACTED } });
        else if (action !== null) await accountEvent(strapi, ctx, action, null, {});
      }),
    );
    wrap(controller, 'changePassword', (inner) =>
      observed(inner, async (ctx, status) => {
        const action = passwordAction('change', status);
        if (action !== null)
          await accountEvent(
            strapi,
            ctx,
            action,
            ctx.state.user ?? null,
            action === 'password-change' ? { password: { old: REDACTED, new: REDACTED } } : {},
          );
      }),
    );
    return controller;
  });
}

// ---- roles and permissions -----------------------------------------------------------------------------------------

type Permission = { action: string; subject?: string | null };
const permissionNames = (rows: Permission[]): string[] =>
  rows.map((row) =>
    typeof row.subject === 'string' && row.subject !== '' ? `${row.action} ${row.subject}` : row.action,
  );

async function rolePermissions(
  strapi: Core.Strapi,
  uid: 'admin::permission' | 'plugin::users-permissions.permission',
  roleId: unknown,
): Promise<string[]> {
  const select = uid === 'admin::permission' ? ['action', 'subject'] : ['action'];
  return permissionNames(
    (await strapi.db.query(uid).findMany({ where: { role: { id: roleId } }, select })) as Permission[],
  );
}

async function permissionsEntry(
  strapi: Core.Strapi,
  roleUid: string,
  roleId: unknown,
  before: string[],
  after: string[],
): Promise<void> {
  const changes = permissionChanges(before, after);
  if (Object.keys(changes).length === 0) return;
  const role = (await strapi.db.query(roleUid).findOne({ where: { id: roleId }, select: ['documentId', 'name'] })) as {
    documentId?: string;
    name?: string;
  } | null;
  await recordEntry(strapi, {
    category: 'security',
    action: 'permissions',
    contentType: roleUid,
    documentId: role?.documentId ?? null,
    documentName: role?.name ?? null,
    changes,
    ...(await actorOf(strapi)),
  });
}

function wrapPermissionServices(strapi: Core.Strapi): void {
  const services = strapi.get<Registry<Record<string, (...args: unknown[]) => Promise<unknown>>>>('services');
  services.extend('admin::role', (service) => {
    wrap(service, 'assignPermissions', (inner) => async (roleId, ...rest) => {
      const before = await rolePermissions(strapi, 'admin::permission', roleId);
      const result = await inner.call(service, roleId, ...rest);
      await permissionsEntry(
        strapi,
        'admin::role',
        roleId,
        before,
        await rolePermissions(strapi, 'admin::permission', roleId),
      );
      return result;
    });
    return service;
  });
  services.extend('plugin::users-permissions.role', (service) => {
    wrap(service, 'updateRole', (inner) => async (roleId, ...rest) => {
      const before = await rolePermissions(strapi, 'plugin::users-permissions.permission', roleId);
      const result = await inner.call(service, roleId, ...rest);
      await permissionsEntry(
        strapi,
        'plugin::users-permissions.role',
        roleId,
        before,
        await rolePermissions(strapi, 'plugin::users-permissions.permission', roleId),
      );
      return result;
    });
    return service;
  });
}

// ---- rows: admin users, accounts, roles, API tokens ----------------------------------------------------------------

type Row = Record<string, unknown> & { id: number; documentId?: string };
type Watched = { populate?: Record<string, unknown>; name: (row: Row) => string | null };

const WATCHED: Record<string, Watched> = {
  [ADMIN_USER]: {
    populate: { roles: { select: ['code', 'name'] } },
    name: (row) => (typeof row.email === 'string' ? row.email : null),
  },
  [ACCOUNT]: {
    populate: { role: { select: ['type', 'name'] }, unit: { select: ['shortName'] } },
    name: (row) => (typeof row.username === 'string' ? row.username : null),
  },
  'admin::role': { name: (row) => (typeof row.name === 'string' ? row.name : null) },
  'plugin::users-permissions.role': { name: (row) => (typeof row.name === 'string' ? row.name : null) },
  'admin::api-token': { name: (row) => (typeof row.name === 'string' ? row.name : null) },
};
/** Bookkeeping an update may carry alone without being anyone's change (an API token's use, a login). */
const QUIET = new Set(['lastUsedAt', 'updatedAt']);
/** A row as the trail shows it: scalars, relations by name (securityChanges redacts the secrets). */
function shape(row: Row | null): Record<string, unknown> | null {
  if (row === null) return null;
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(row)) {
    if (name === 'roles' && Array.isArray(value))
      out[name] = (value as { code?: string; name?: string }[]).map((role) => role.code ?? role.name ?? null).sort();
    else if (name === 'role')
      out[name] =
        value === null || value === undefined
          ? null
          : ((value as { type?: string; name?: string }).type ?? (value as { name?: string }).name ?? null);
    else if (name === 'unit')
      out[name] = value === null || value === undefined ? null : ((value as { shortName?: string }).shortName ?? null);
    else if (value instanceof Date) out[name] = value.toISOString();
    else if (value === null || typeof value !== 'object') out[name] = value;
  }
  return out;
}

type LifecycleEvent = {
  model: { uid: string };
  params: { where?: Record<string, unknown>; data?: Record<string, unknown> };
  result?: unknown;
  state: Record<string, unknown>;
};

function handledHere(strapi: Core.Strapi, uid: string): boolean {
  if (uid !== ADMIN_USER && uid !== ACCOUNT) return false;
  const ctx = strapi.requestContext.get() as Ctx | undefined;
  return ctx?.state?.[HANDLED] === true;
}

async function load(strapi: Core.Strapi, uid: string, where: Record<string, unknown> | undefined): Promise<Row | null> {
  if (where === undefined) return null;
  return ((await strapi.db.query(uid).findOne({ where, populate: WATCHED[uid].populate })) as Row | null) ?? null;
}

async function rowEntry(
  strapi: Core.Strapi,
  uid: string,
  action: SecurityAction,
  row: Row,
  changes: Changes,
): Promise<void> {
  await recordEntry(strapi, {
    category: 'security',
    action,
    contentType: uid,
    documentId: typeof row.documentId === 'string' ? row.documentId : null,
    documentName: WATCHED[uid].name(row),
    changes,
    ...(await actorOf(strapi)),
  });
}

function subscribeRows(strapi: Core.Strapi): void {
  strapi.db.lifecycles.subscribe({
    models: Object.keys(WATCHED),
    async beforeUpdate(event: LifecycleEvent) {
      const keys = Object.keys(event.params.data ?? {});
      if (keys.every((key) => QUIET.has(key))) return; // an API token's last use: on every request it authenticates
      event.state.before = await load(strapi, event.model.uid, event.params.where);
    },
    async afterUpdate(event: LifecycleEvent) {
      const before = event.state.before as Row | null | undefined;
      if (before === undefined || before === null || handledHere(strapi, event.model.uid)) return;
      const after = await load(strapi, event.model.uid, { id: before.id });
      if (after === null) return;
      const changes = securityChanges(shape(before), shape(after));
      const action = securityUpdateAction(event.model.uid, changes);
      if (action !== null) await rowEntry(strapi, event.model.uid, action, after, changes);
    },
    async afterCreate(event: LifecycleEvent) {
      const id = (event.result as { id?: number } | undefined)?.id;
      if (id === undefined) return;
      const after = await load(strapi, event.model.uid, { id });
      if (after !== null) await rowEntry(strapi, event.model.uid, 'create', after, securityChanges(null, shape(after)));
    },
    async beforeDelete(event: LifecycleEvent) {
      event.state.before = await load(strapi, event.model.uid, event.params.where);
    },
    async afterDelete(event: LifecycleEvent) {
      const before = event.state.before as Row | null | undefined;
      if (before !== undefined && before !== null)
        await rowEntry(strapi, event.model.uid, 'delete', before, securityChanges(shape(before), null));
    },
  });
}

/** In register(), after registerLoginLimits: wraps the auth actions and the permission services. */
export function registerSecurityAudit(strapi: Core.Strapi): void {
  if (!auditOn()) return;
  wrapAuthControllers(strapi);
  wrapPermissionServices(strapi);
}

/** In bootstrap(), before the project's own role and account set-up: the rows' lifecycles. */
export function subscribeSecurityAudit(strapi: Core.Strapi): void {
  if (!auditOn()) return;
  subscribeRows(strapi);
}
