import { resolveDatabaseTimeouts, type DatabaseTimeouts, type TimeoutSettings } from './database-faults';

/** The environment variable of each database timeout (milliseconds; see .env.example and the README). */
export const TIMEOUT_VARIABLES: Record<keyof DatabaseTimeouts, string> = {
  acquire: 'DATABASE_CONNECTION_TIMEOUT',
  connect: 'DATABASE_CONNECT_TIMEOUT',
  statement: 'DATABASE_STATEMENT_TIMEOUT',
  idleInTransaction: 'DATABASE_IDLE_IN_TRANSACTION_TIMEOUT',
  query: 'DATABASE_QUERY_TIMEOUT',
  keepAliveDelay: 'DATABASE_KEEPALIVE_DELAY',
  health: 'HEALTH_CHECK_TIMEOUT',
};

/**
 * The database timeouts from the environment (an unset or empty variable: the default). A value that is not a whole
 * number of milliseconds stops the start, naming the variable.
 */
export function databaseTimeouts(environment: Readonly<Record<string, string | undefined>>): DatabaseTimeouts {
  const settings: TimeoutSettings = {};
  const problems: string[] = [];
  for (const [key, variable] of Object.entries(TIMEOUT_VARIABLES) as [keyof DatabaseTimeouts, string][]) {
    const raw = (environment[variable] ?? '').trim();
    if (raw === '') continue;
    if (/^\d+$/.test(raw)) settings[key] = Number(raw);
    else problems.push(`${variable} must be a whole number of milliseconds, not "${raw}"`);
  }
  const resolved = resolveDatabaseTimeouts(settings, TIMEOUT_VARIABLES);
  if ('problems' in resolved) problems.push(...resolved.problems);
  if (problems.length > 0 || 'problems' in resolved) throw new Error(`Database timeouts: ${problems.join('; ')}.`);
  return resolved.timeouts;
}
