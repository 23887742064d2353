/**
 * Login limits: how many failed logins an account and a client address may have in a window, and what a login over
 * the limit is answered. The counters themselves live in one table shared by every app process
 * (src/strapi/login-limits.ts); this module only decides.
 *
 * - Two logins are limited: the readers' and contributors' (users-permissions `POST /api/auth/local` and the GraphQL
 *   `login` mutation, which runs the same controller) and the editors' (`POST /admin/login`).
 * - Counters: one per account (`user` for users-permissions identifiers, `admin` for admin e-mails: two separate sets
 *   of accounts) and one per client address (`address`, shared by both logins).
 * - Windows are fixed and aligned to the epoch: [k·W, (k+1)·W). A counter counts the attempts of its window.
 * - An attempt is counted (reserved) BEFORE the password is verified, atomically with reading the count; over the
 *   limit it is refused (429) and its reservation given back, so a locked account cannot be probed and concurrent
 *   attempts cannot slip past the limit together. After the login answered, a failure (any 4xx) keeps its reservation;
 *   a success (or a server error) gives it back. A success does not erase earlier failures: the owner logging in
 *   does not hand an attacker a fresh allowance.
 */

export type LoginKind = 'user' | 'admin';
export type CounterScope = LoginKind | 'address';

export type LoginLimitSettings = {
  /** Failed logins per account and window; 0: no per-account limit. */
  accountMax: number;
  /** Failed logins per client address and window (both logins together); 0: no per-address limit. */
  addressMax: number;
  /** Window length in milliseconds. */
  windowMs: number;
};

export const DEFAULT_LOGIN_LIMITS: LoginLimitSettings = { accountMax: 10, addressMax: 50, windowMs: 15 * 60_000 };

/** Longest stored subject: longer identifiers share the counter of their first characters. */
export const SUBJECT_MAX_LENGTH = 200;

const wholeNumber = (name: string, raw: string | undefined, fallback: number): number => {
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw.trim());
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new Error(`${name}="${raw}" must be a whole number ≥ 0 (0 switches this limit off).`);
  }
  return value;
};

/** The settings from BULLETIN_LOGIN_ACCOUNT_MAX, BULLETIN_LOGIN_ADDRESS_MAX and BULLETIN_LOGIN_WINDOW_MINUTES. */
export function loginLimitSettings(env: Record<string, string | undefined>): LoginLimitSettings {
  const accountMax = wholeNumber(
    'BULLETIN_LOGIN_ACCOUNT_MAX',
    env.BULLETIN_LOGIN_ACCOUNT_MAX,
    DEFAULT_LOGIN_LIMITS.accountMax,
  );
  const addressMax = wholeNumber(
    'BULLETIN_LOGIN_ADDRESS_MAX',
    env.BULLETIN_LOGIN_ADDRESS_MAX,
    DEFAULT_LOGIN_LIMITS.addressMax,
  );
  const rawWindow = env.BULLETIN_LOGIN_WINDOW_MINUTES;
  let windowMs = DEFAULT_LOGIN_LIMITS.windowMs;
  if (rawWindow !== undefined && rawWindow.trim() !== '') {
    const minutes = Number(rawWindow.trim());
    if (!Number.isFinite(minutes) || minutes * 60_000 < 1000 || minutes > 7 * 24 * 60) {
      throw new Error(
        `BULLETIN_LOGIN_WINDOW_MINUTES="${rawWindow}" must be a number of minutes between 1/60 and 10080.`,
      );
    }
    windowMs = Math.round(minutes * 60_000);
  }
  return { accountMax, addressMax, windowMs };
}

/** An account as counted: the identifier or e-mail trimmed and lower-cased; null when there is none to count. */
export function normaliseIdentifier(raw: unknown): string | null {
  if (typeof raw !== 'string') return null;
  const normalised = raw.trim().toLowerCase();
  return normalised === '' ? null : normalised.slice(0, SUBJECT_MAX_LENGTH);
}

/** The eight groups of an IPv6 address, or null when it is not one. */
function ipv6Groups(address: string): number[] | null {
  const halves: (string | undefined)[] = address.split('::'); // no '::': a single half
  const [head, tail, ...more] = halves;
  if (more.length > 0) return null;
  const parse = (part: string | undefined): number[] | null => {
    if (part === undefined || part === '') return [];
    const groups: number[] = [];
    for (const group of part.split(':')) {
      if (!/^[0-9a-f]{1,4}$/.test(group)) return null;
      groups.push(parseInt(group, 16));
    }
    return groups;
  };
  const left = parse(head);
  const right = parse(tail);
  if (left === null || right === null) return null;
  if (tail === undefined) return left.length === 8 ? left : null;
  const missing = 8 - left.length - right.length;
  return missing < 1 ? null : [...left, ...new Array<number>(missing).fill(0), ...right];
}

/**
 * A client address as counted: IPv4 as is (also when written IPv4-mapped, ::ffff:10.0.0.1); IPv6 by its /64 network,
 * the block one subscriber line or one server usually has, so that walking through a network's addresses gains
 * nothing. Anything else (an unexpected header value) is kept as given, trimmed and cut to length.
 */
export function normaliseAddress(raw: string): string {
  let address = raw.trim().toLowerCase();
  const zone = address.indexOf('%');
  if (zone >= 0) address = address.slice(0, zone);
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(address);
  if (mapped !== null) return mapped[1];
  if (/^\d{1,3}(?:\.\d{1,3}){3}$/.test(address)) return address;
  const groups = ipv6Groups(address);
  if (groups === null) return address.slice(0, SUBJECT_MAX_LENGTH) || 'unknown';
  return `${groups
    .slice(0, 4)
    .map((group) => group.toString(16))
    .join(':')}::/64`;
}

export type Counter = { scope: CounterScope; subject: string };

/** The counters a login attempt counts against (a limit set to 0 has none). */
export function countersFor(
  kind: LoginKind,
  identifier: unknown,
  address: string,
  settings: LoginLimitSettings,
): Counter[] {
  const counters: Counter[] = [];
  const account = normaliseIdentifier(identifier);
  if (settings.accountMax > 0 && account !== null) counters.push({ scope: kind, subject: account });
  if (settings.addressMax > 0) counters.push({ scope: 'address', subject: normaliseAddress(address) });
  return counters;
}

export type Window = { start: number; end: number };

/** The fixed window containing `nowMs`. */
export function windowOf(nowMs: number, windowMs: number): Window {
  const start = Math.floor(nowMs / windowMs) * windowMs;
  return { start, end: start + windowMs };
}

/** The limit of a counter's scope. */
export const limitOf = (scope: CounterScope, settings: LoginLimitSettings): number =>
  scope === 'address' ? settings.addressMax : settings.accountMax;

export type Counted = { scope: CounterScope; attempts: number };

export type Decision =
  | { allowed: true }
  | { allowed: false; scopes: CounterScope[]; retryAfterSeconds: number; message: string };

/** 登录尝试过于频繁，请 N 分钟后再试 — N whole minutes, rounded up, at least 1. */
export function refusalMessage(retryAfterSeconds: number): string {
  return `登录尝试过于频繁，请 ${Math.max(1, Math.ceil(retryAfterSeconds / 60))} 分钟后再试`;
}

/**
 * Whether an attempt may go on to verify the password, given each counter's count INCLUDING this attempt (what the
 * reservation returned). Over any limit: refused until the window ends.
 */
export function decide(counted: Counted[], settings: LoginLimitSettings, nowMs: number): Decision {
  const over = counted.filter((counter) => {
    const limit = limitOf(counter.scope, settings);
    return limit > 0 && counter.attempts > limit;
  });
  if (over.length === 0) return { allowed: true };
  const { end } = windowOf(nowMs, settings.windowMs);
  const retryAfterSeconds = Math.max(1, Math.ceil((end - nowMs) / 1000));
  return {
    allowed: false,
    scopes: over.map((counter) => counter.scope),
    retryAfterSeconds,
    message: refusalMessage(retryAfterSeconds),
  };
}

/** Whether a login's answer counts as a failure and keeps its reservation: a client error, except our own 429. */
export const keepsReservation = (status: number): boolean => status >= 400 && status < 500 && status !== 429;

/** Whether a counter row of a past window may be deleted. */
export const isExpired = (expiresAt: number, nowMs: number): boolean => expiresAt <= nowMs;

/** The answer's body, as Strapi's error middleware writes it, of a refused attempt (REST). */
export function refusalBody(decision: Extract<Decision, { allowed: false }>): {
  data: null;
  error: { status: 429; name: 'RateLimitError'; message: string; details: Record<string, never> };
} {
  return { data: null, error: { status: 429, name: 'RateLimitError', message: decision.message, details: {} } };
}
