import { AsyncLocalStorage } from 'async_hooks';
import { randomBytes } from 'crypto';
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import {
  countersFor,
  decide,
  keepsReservation,
  windowOf,
  DEFAULT_LOGIN_LIMITS,
  type Counted,
  type Counter,
  type CounterScope,
  type LoginKind,
  type LoginLimitSettings,
  type Window,
} from '../domain/login-limits';

/**
 * Login limits (rules: src/domain/login-limits.ts) on the two logins, registered in register() (src/index.ts):
 *
 * - users-permissions `auth.callback` (provider local): `POST /api/auth/local`, and the GraphQL `login` mutation,
 *   whose resolver calls this same controller action — so each `login` field of a GraphQL request is one attempt;
 * - the admin's `authentication.login`: `POST /admin/login`.
 *
 * The limit wraps the controller actions (not a global middleware) because GraphQL logins never reach a REST path.
 * Each attempt is counted in the shared table `bulletin_login_attempts` (database/migrations/) by one atomic upsert
 * BEFORE the password is verified; over the limit the answer is Strapi's RateLimitError (429, `Retry-After`).
 * Strapi's own per-process memory limiters (koa2-ratelimit) are skipped on these two routes: they count per process
 * and would answer first, differently. They stay on every other route they guard.
 *
 * Failed logins answer the same whatever the account: users-permissions always "Invalid identifier or password"
 * (also for a blocked or unconfirmed account, which Strapi names), the admin always "Invalid credentials" (also for an
 * inactive user, which Strapi names); and an unknown account costs one bcrypt comparison, as a known one does.
 */

export const LOGIN_ATTEMPTS_TABLE = 'bulletin_login_attempts';

/** Counts one attempt on each of `counters` counters of a window, atomically, returning each counter's new count. */
export function reserveStatement(counters: number): string {
  const values = Array.from({ length: counters }, () => '(?, ?, ?, ?, 1)').join(', ');
  return (
    `INSERT INTO ${LOGIN_ATTEMPTS_TABLE} (scope, subject, window_start, expires_at, attempts) VALUES ${values} ` +
    `ON CONFLICT (scope, subject, window_start) DO UPDATE SET attempts = ${LOGIN_ATTEMPTS_TABLE}.attempts + 1 ` +
    'RETURNING scope, attempts'
  );
}

/** Gives back one counted attempt (a success, a refusal, a server error). */
export const REFUND_STATEMENT = `UPDATE ${LOGIN_ATTEMPTS_TABLE} SET attempts = attempts - 1 WHERE scope = ? AND subject = ? AND window_start = ? AND attempts > 0`;

/** Deletes the counters of windows that have ended. */
export const CLEANUP_STATEMENT = `DELETE FROM ${LOGIN_ATTEMPTS_TABLE} WHERE expires_at <= ?`;

/** What the statements need of a database connection (Strapi's knex, or any knex in tests). */
export type RawConnection = { raw: (sql: string, bindings: (string | number)[]) => PromiseLike<unknown> };

const rowsOf = <T>(result: unknown): T[] =>
  Array.isArray(result) ? (result as T[]) : ((result as { rows?: T[] }).rows ?? []);

export async function reserve(db: RawConnection, counters: Counter[], window: Window): Promise<Counted[]> {
  const bindings = counters.flatMap((counter) => [counter.scope, counter.subject, window.start, window.end]);
  const rows = rowsOf<{ scope: CounterScope; attempts: number | string }>(
    await db.raw(reserveStatement(counters.length), bindings),
  );
  return counters.map((counter) => {
    const row = rows.find((candidate) => candidate.scope === counter.scope);
    if (row === undefined) throw new Error(`login limits: no count returned for ${counter.scope}`);
    return { scope: counter.scope, attempts: Number(row.attempts) };
  });
}

export async function refund(db: RawConnection, counters: Counter[], window: Window): Promise<void> {
  for (const counter of counters) await db.raw(REFUND_STATEMENT, [counter.scope, counter.subject, window.start]);
}

export async function deleteExpired(db: RawConnection, nowMs: number): Promise<void> {
  await db.raw(CLEANUP_STATEMENT, [nowMs]);
}

// ---- the guard -----------------------------------------------------------------------------------------------------

type LoginContext = {
  request: { ip: string; body?: unknown };
  params?: Record<string, unknown>;
  status: number;
  set: (field: string, value: string) => void;
};
type Action = (ctx: LoginContext, next?: () => Promise<unknown>) => unknown;

const CLEANUP_EVERY_MS = 60_000;
let lastCleanup = 0;

const settingsOf = (strapi: Core.Strapi): LoginLimitSettings =>
  strapi.config.get<LoginLimitSettings>('bulletin.loginLimits', DEFAULT_LOGIN_LIMITS);

const connectionOf = (strapi: Core.Strapi): RawConnection => strapi.db.connection;

/** The HTTP status an error thrown by a login becomes (Strapi's errors middleware: its ApplicationErrors are 4xx). */
function statusOf(error: unknown): number {
  if (error instanceof errors.RateLimitError) return 429;
  if (error instanceof errors.ApplicationError) return 400;
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' ? status : 500;
}

const bodyField = (ctx: LoginContext, field: string): unknown =>
  typeof ctx.request.body === 'object' && ctx.request.body !== null
    ? (ctx.request.body as Record<string, unknown>)[field]
    : undefined;

/** Runs one login attempt under the limits of `kind`, for the account `identifier` from the client's address. */
async function limited(
  strapi: Core.Strapi,
  kind: LoginKind,
  ctx: LoginContext,
  identifier: unknown,
  login: () => Promise<unknown>,
): Promise<unknown> {
  const settings = settingsOf(strapi);
  // ctx.request.ip: the socket's address, or X-Forwarded-For only when the server trusts a proxy (IS_PROXIED).
  const counters = countersFor(kind, identifier, ctx.request.ip, settings);
  if (counters.length === 0) return login();
  const db = connectionOf(strapi);
  const now = Date.now();
  const window = windowOf(now, settings.windowMs);
  const decision = decide(await reserve(db, counters, window), settings, now);
  if (!decision.allowed) {
    await refund(db, counters, window);
    ctx.set('Retry-After', String(decision.retryAfterSeconds));
    throw new errors.RateLimitError(decision.message);
  }
  let status = 500;
  try {
    const answer = await login();
    status = ctx.status;
    return answer;
  } catch (error) {
    status = statusOf(error);
    throw error;
  } finally {
    try {
      if (!keepsReservation(status)) await refund(db, counters, window);
      if (now - lastCleanup >= CLEANUP_EVERY_MS) {
        lastCleanup = now;
        await deleteExpired(db, now);
      }
    } catch (error) {
      strapi.log.error(`login limits: ${(error as Error).message}`);
    }
  }
}

// ---- the same answer for every failed login ------------------------------------------------------------------------

const USER_FAILURE = 'Invalid identifier or password';
/** What Strapi 5.54's users-permissions answers a failed local login (controllers/auth.js). */
const USER_FAILURES = new Set([
  USER_FAILURE,
  'Your account email is not confirmed',
  'Your account has been blocked by an administrator',
]);
const ADMIN_FAILURE = 'Invalid credentials';

type PasswordCheck = (password: string, hash: string) => Promise<boolean>;
type UserService = {
  validatePassword: PasswordCheck;
  ensureHashedPasswords: (values: { password: string }) => Promise<{ password: string }>;
};
type AdminUser = { password?: string | null; isActive?: boolean };
type AdminAuthService = {
  validatePassword: PasswordCheck;
  hashPassword: (password: string) => Promise<string>;
  checkCredentials: (credentials: {
    email: string;
    password: string;
  }) => Promise<[null, AdminUser | false, { message: string }?]>;
};

/** The bcrypt comparisons made inside one users-permissions login (AsyncLocalStorage: per attempt). */
const passwordChecks = new AsyncLocalStorage<{ count: number }>();

/** Hashes of a random password, made the way each login hashes real ones: compared against for unknown accounts. */
const dummyHashes: { user: Promise<string> | null; admin: Promise<string> | null } = { user: null, admin: null };
const userDummyHash = (service: UserService) =>
  (dummyHashes.user ??= service
    .ensureHashedPasswords({ password: randomBytes(24).toString('hex') })
    .then((values) => values.password));
const adminDummyHash = (service: AdminAuthService) =>
  (dummyHashes.admin ??= service.hashPassword(randomBytes(24).toString('hex')));

/**
 * users-permissions: every credential failure answers the same error after one bcrypt comparison — where Strapi
 * compared none (unknown account, account without a password), one against a dummy hash, through the same service.
 */
async function sameUserFailure(
  ctx: LoginContext,
  service: UserService,
  login: () => Promise<unknown>,
): Promise<unknown> {
  const checks = { count: 0 };
  try {
    return await passwordChecks.run(checks, login);
  } catch (error) {
    if (!(error instanceof errors.ApplicationError) || !USER_FAILURES.has(error.message)) throw error;
    if (checks.count === 0) {
      const password = bodyField(ctx, 'password');
      await service.validatePassword(typeof password === 'string' ? password : '', await userDummyHash(service));
    }
    throw new errors.ValidationError(USER_FAILURE);
  }
}

/**
 * The admin's credential check (Strapi 5.54's `admin::auth` checkCredentials, services/auth.js) with one bcrypt
 * comparison for every attempt (a dummy hash when the e-mail is unknown) and one answer for every failure (Strapi says
 * "User not active" to whoever knows an inactive user's password).
 */
function adminCheckCredentials(strapi: Core.Strapi, auth: AdminAuthService): AdminAuthService['checkCredentials'] {
  return async ({ email, password }) => {
    const user = (await strapi.db.query('admin::user').findOne({ where: { email } })) as AdminUser | null;
    const hash =
      typeof user?.password === 'string' && user.password !== '' ? user.password : await adminDummyHash(auth);
    const valid = await auth.validatePassword(password, hash);
    if (
      user === null ||
      typeof user.password !== 'string' ||
      user.password === '' ||
      !valid ||
      user.isActive !== true
    ) {
      return [null, false, { message: ADMIN_FAILURE }];
    }
    return [null, user];
  };
}

// ---- registration --------------------------------------------------------------------------------------------------

type Registry<T> = { extend: (uid: string, extend: (current: T) => T) => unknown };
type MiddlewareFactory = (
  config: unknown,
  context: { strapi: Core.Strapi },
) => (ctx: { request: { path: string } }, next: () => Promise<unknown>) => unknown;

const normalisedPath = (path: string): string => path.toLowerCase().replace(/\/+$/, '');

/**
 * Strapi's admin and plugin controllers and services are module-level objects, shared by every Strapi instance a
 * process loads (the tests restart the app in one process): each wrapper is built around the original method, kept
 * here, never around the previous instance's wrapper (which would reach that instance's closed database).
 */
const ORIGINAL = Symbol('bulletin.login-limits.original');
function originalOf<T extends object, K extends keyof T>(target: T, key: K): T[K] {
  const kept = target as T & { [ORIGINAL]?: Map<PropertyKey, unknown> };
  const originals = (kept[ORIGINAL] ??= new Map<PropertyKey, unknown>());
  if (!originals.has(key)) originals.set(key, target[key]);
  return originals.get(key) as T[K];
}

/** Wraps the two login actions and their credential checks; called in register(). */
export function registerLoginLimits(strapi: Core.Strapi): void {
  const services = strapi.get<Registry<object>>('services');
  const controllers = strapi.get<Registry<Record<string, Action>>>('controllers');
  const middlewares = strapi.get<Registry<MiddlewareFactory>>('middlewares');

  // users-permissions: count bcrypt comparisons of a login attempt (the service object is the one the controller uses).
  let userService: UserService | null = null;
  services.extend('plugin::users-permissions.user', (current) => {
    const service = current as UserService;
    const original = originalOf(service, 'validatePassword').bind(service);
    userService = service;
    service.validatePassword = (password, hash) => {
      const checks = passwordChecks.getStore();
      if (checks !== undefined) checks.count += 1;
      return original(password, hash);
    };
    return service;
  });

  controllers.extend('plugin::users-permissions.auth', (controller) => {
    const callback = originalOf(controller, 'callback').bind(controller);
    controller.callback = (ctx, next) => {
      const provider = ctx.params?.provider ?? 'local';
      if (provider !== 'local' || userService === null) return callback(ctx, next);
      const service = userService;
      return limited(strapi, 'user', ctx, bodyField(ctx, 'identifier'), () =>
        sameUserFailure(ctx, service, () => Promise.resolve(callback(ctx, next))),
      );
    };
    return controller;
  });

  services.extend('admin::auth', (current) => {
    const auth = current as AdminAuthService;
    auth.checkCredentials = adminCheckCredentials(strapi, auth);
    return auth;
  });

  controllers.extend('admin::authentication', (controller) => {
    const login = originalOf(controller, 'login');
    controller.login = (ctx, next) =>
      limited(strapi, 'admin', ctx, bodyField(ctx, 'email'), () => Promise.resolve(login(ctx, next)));
    return controller;
  });

  // Strapi's per-process limiters: not on these two logins (the shared limit above replaces them there).
  const skipOn =
    (suffix: string) =>
    (factory: MiddlewareFactory): MiddlewareFactory =>
    (config, context) => {
      const middleware = factory(config, context);
      return (ctx, next) => (normalisedPath(ctx.request.path).endsWith(suffix) ? next() : middleware(ctx, next));
    };
  middlewares.extend('plugin::users-permissions.rateLimit', skipOn('/auth/local'));
  middlewares.extend('admin::rateLimit', skipOn('/admin/login'));
}

/** At start-up: forget the counters of ended windows, and make the dummy hashes before the first login needs them. */
export async function bootstrapLoginLimits(strapi: Core.Strapi): Promise<void> {
  await deleteExpired(connectionOf(strapi), Date.now());
  await userDummyHash(strapi.plugin('users-permissions').service('user') as unknown as UserService);
  await adminDummyHash(strapi.service('admin::auth') as unknown as AdminAuthService);
}
