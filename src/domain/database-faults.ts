/**
 * When the database cannot be reached, the app answers 503 (try again shortly), never 500 and never a request left
 * hanging. This file holds the pure parts: which errors mean "the database is unavailable", the answers sent then,
 * the health answer, and the connection timeouts with their defaults. No Strapi import.
 */

/** Why the database did not answer, as far as the error tells. */
export type DatabaseFault =
  | 'refused' // nobody listens (ECONNREFUSED), or the server refuses connections for now (57P03, too many)
  | 'lost' // an open connection broke (ECONNRESET, terminated, 08xxx, administrator shutdown)
  | 'timeout'; // no answer in time: connecting, waiting for a pooled connection, or a statement

/** Network errors of Node's sockets and resolver. */
const NETWORK_CODES: Record<string, DatabaseFault> = {
  ECONNREFUSED: 'refused',
  EHOSTUNREACH: 'refused',
  ENETUNREACH: 'refused',
  ENETDOWN: 'refused',
  EHOSTDOWN: 'refused',
  EAI_AGAIN: 'refused',
  ENOTFOUND: 'refused',
  ECONNRESET: 'lost',
  ECONNABORTED: 'lost',
  EPIPE: 'lost',
  ENOTCONN: 'lost',
  ETIMEDOUT: 'timeout',
};

/** PostgreSQL SQLSTATE codes outside class 08 that mean "not now" rather than "wrong request". */
const SQLSTATES: Record<string, DatabaseFault> = {
  '57P01': 'lost', // admin_shutdown
  '57P02': 'lost', // crash_shutdown
  '57P03': 'refused', // cannot_connect_now (starting up, shutting down, recovering)
  '53300': 'refused', // too_many_connections
  '57014': 'timeout', // query_canceled: statement_timeout (or a cancel request)
};

/**
 * Messages the drivers give without a code (node-postgres, knex, tarn). Knex prefixes a failed query's message with
 * its SQL ("select … - Connection terminated unexpectedly"), so a message counts when it is one of these or ends with
 * " - " and one of these — never when the text merely appears inside (a value in the SQL could contain it).
 */
const MESSAGES: Record<string, DatabaseFault> = {
  'Connection terminated unexpectedly': 'lost',
  'Connection terminated': 'lost',
  'Connection terminated due to connection timeout': 'timeout',
  'timeout expired': 'timeout',
  'Query read timeout': 'timeout',
  'Client has encountered a connection error and is not queryable': 'lost',
  'Client was closed and is not queryable': 'lost',
  'Unable to acquire a connection': 'refused',
};

/** Error names: knex's timeouts (acquiring a pooled connection, a query's own limit). Not a bare "TimeoutError": other
 * libraries (the PDF browser) use that name for their own waits. */
const NAMES: Record<string, DatabaseFault> = {
  KnexTimeoutError: 'timeout',
};

const ACQUIRE_TIMEOUT = 'Timeout acquiring a connection';

type ErrorLike = {
  code?: unknown;
  name?: unknown;
  message?: unknown;
  cause?: unknown;
  errors?: unknown;
  originalError?: unknown;
};

const asErrorLike = (value: unknown): ErrorLike | null => (typeof value === 'object' && value !== null ? value : null);

function ownFault(error: ErrorLike): DatabaseFault | null {
  const code = typeof error.code === 'string' ? error.code : '';
  if (code in NETWORK_CODES) return NETWORK_CODES[code];
  if (code in SQLSTATES) return SQLSTATES[code];
  if (/^08[0-9A-Z]{3}$/.test(code)) return 'lost'; // class 08, connection exception
  const name = typeof error.name === 'string' ? error.name : '';
  if (name in NAMES) return NAMES[name];
  const message = typeof error.message === 'string' ? error.message : '';
  if (message.includes(ACQUIRE_TIMEOUT) && message.startsWith('Knex: ')) return 'timeout';
  for (const [known, fault] of Object.entries(MESSAGES)) {
    if (message === known || message.endsWith(` - ${known}`)) return fault;
  }
  return null;
}

/**
 * Whether this error means the database is unavailable (and how), looking through the causes and the several errors
 * an AggregateError carries (a host name resolving to two addresses, both refused). Null for every other error: a
 * unique violation, a bad value, a bug stay what they are.
 */
export function databaseFault(error: unknown): DatabaseFault | null {
  const seen = new Set<object>();
  const queue: unknown[] = [error];
  // Bounded: an error chain is short; a cycle or a pathological chain stops after 20 errors.
  while (queue.length > 0 && seen.size < 20) {
    const current = asErrorLike(queue.shift());
    if (current === null || seen.has(current)) continue;
    seen.add(current);
    const fault = ownFault(current);
    if (fault !== null) return fault;
    queue.push(current.cause, current.originalError);
    if (Array.isArray(current.errors)) queue.push(...(current.errors as unknown[]));
  }
  return null;
}

export const isDatabaseUnavailable = (error: unknown): boolean => databaseFault(error) !== null;

// ---- the answers ---------------------------------------------------------------------------------------------------

export const UNAVAILABLE_NAME = 'ServiceUnavailableError';
export const UNAVAILABLE_MESSAGE = '数据库暂时无法连接，请稍后重试';
/** GraphQL's `extensions.code` for the same answer. */
export const UNAVAILABLE_GRAPHQL_CODE = 'SERVICE_UNAVAILABLE';
/** Seconds a client is told to wait before trying again (`Retry-After`). */
export const RETRY_AFTER_SECONDS = 5;

/** REST and admin API: Strapi's error shape. */
export function unavailableBody(): {
  data: null;
  error: { status: 503; name: string; message: string; details: Record<string, never> };
} {
  return { data: null, error: { status: 503, name: UNAVAILABLE_NAME, message: UNAVAILABLE_MESSAGE, details: {} } };
}

/** GraphQL: one error, coded as Apollo codes its own, with Strapi's error object beside the code. */
export function unavailableGraphqlBody(): {
  errors: {
    message: string;
    extensions: { code: string; error: { name: string; message: string; details: Record<string, never> } };
  }[];
} {
  return {
    errors: [
      {
        message: UNAVAILABLE_MESSAGE,
        extensions: {
          code: UNAVAILABLE_GRAPHQL_CODE,
          error: { name: UNAVAILABLE_NAME, message: UNAVAILABLE_MESSAGE, details: {} },
        },
      },
    ],
  };
}

// ---- health --------------------------------------------------------------------------------------------------------

/** The outcome of one `SELECT 1`. */
export type DatabaseProbe = { reachable: true } | { reachable: false; fault: DatabaseFault | 'error' };

export type HealthAnswer = { status: 200 | 503; body: { status: 'ok' | 'unavailable'; database: 'up' | 'down' } };

/** `GET /_health`: 200 when the database answered, 503 otherwise. Says nothing else (no versions, no names, no data). */
export function healthAnswer(probe: DatabaseProbe): HealthAnswer {
  return probe.reachable
    ? { status: 200, body: { status: 'ok', database: 'up' } }
    : { status: 503, body: { status: 'unavailable', database: 'down' } };
}

// ---- timeouts ------------------------------------------------------------------------------------------------------

/** Milliseconds; 0 turns a server-side limit off. */
export type DatabaseTimeouts = {
  /** Longest a request waits for a pooled connection (knex `acquireConnectionTimeout`). */
  acquire: number;
  /** Opening one new connection: TCP, start-up, authentication (node-postgres `connectionTimeoutMillis`). */
  connect: number;
  /** One statement, enforced by PostgreSQL (`statement_timeout`). */
  statement: number;
  /** An open connection in a transaction that says nothing, enforced by PostgreSQL (`idle_in_transaction_session_timeout`). */
  idleInTransaction: number;
  /** One statement's answer, enforced by the app: for a server that does not answer at all (node-postgres `query_timeout`). */
  query: number;
  /** TCP keep-alive: first probe after this much silence on an idle connection. */
  keepAliveDelay: number;
  /** `GET /_health`'s `SELECT 1`. */
  health: number;
};

export const DEFAULT_DATABASE_TIMEOUTS: Omit<DatabaseTimeouts, 'query'> = {
  acquire: 10000,
  connect: 5000,
  statement: 30000,
  idleInTransaction: 60000,
  keepAliveDelay: 10000,
  health: 2000,
};

/** Margin between the server's statement limit and the app's: the server's cancel normally answers first. */
const QUERY_MARGIN = 5000;

export type TimeoutSettings = { [K in keyof DatabaseTimeouts]?: number };

/**
 * The timeouts from the settings given (undefined: the default), with their rules: every value a whole number of
 * milliseconds ≥ 0; acquire, connect, query and health > 0 (an unbounded wait is what this is meant to prevent);
 * connecting must fit inside the wait for a connection; the app's query limit defaults to the statement limit plus a
 * margin (or 40 s when the statement limit is off). Returns the problems instead, each naming its variable.
 */
export function resolveDatabaseTimeouts(
  settings: TimeoutSettings,
  names: Record<keyof DatabaseTimeouts, string>,
): { timeouts: DatabaseTimeouts } | { problems: string[] } {
  const problems: string[] = [];
  const pick = (key: keyof DatabaseTimeouts, fallback: number, positive: boolean): number => {
    const value = settings[key] ?? fallback;
    if (!Number.isInteger(value) || value < 0 || (positive && value === 0)) {
      problems.push(
        `${names[key]} must be a whole number of milliseconds${positive ? ' greater than 0' : ' (0 = off)'}, not ${String(value)}`,
      );
    }
    return value;
  };
  const defaults = DEFAULT_DATABASE_TIMEOUTS;
  const statement = pick('statement', defaults.statement, false);
  const timeouts: DatabaseTimeouts = {
    acquire: pick('acquire', defaults.acquire, true),
    connect: pick('connect', defaults.connect, true),
    statement,
    idleInTransaction: pick('idleInTransaction', defaults.idleInTransaction, false),
    query: pick('query', statement > 0 ? statement + QUERY_MARGIN : 40000, true),
    keepAliveDelay: pick('keepAliveDelay', defaults.keepAliveDelay, false),
    health: pick('health', defaults.health, true),
  };
  if (problems.length === 0 && timeouts.connect > timeouts.acquire) {
    problems.push(
      `${names.connect} (${timeouts.connect}) must not exceed ${names.acquire} (${timeouts.acquire}): nobody waits that long for a connection`,
    );
  }
  return problems.length > 0 ? { problems } : { timeouts };
}
