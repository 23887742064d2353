import type { Core } from '@strapi/strapi';
import { isDatabaseUnavailable } from '../domain/database-faults';

/**
 * No request ends the process. A promise rejected outside any request's chain (a query Strapi left running inside a
 * transaction that had already failed, say) would otherwise make Node exit and take every user's in-flight request
 * with it. Such a rejection is logged at error level with the id of the request it belongs to (X-Request-Id) and the
 * full stack — never silenced: the tests read the log and fail on it — and the process goes on serving.
 */

let installed = false;

function requestIdOf(strapi: Core.Strapi): string {
  const ctx = strapi.requestContext.get() as { state?: { requestId?: unknown } } | undefined;
  const id = ctx?.state?.requestId;
  return typeof id === 'string' ? id : '-';
}

export function guardProcess(strapi: Core.Strapi): void {
  if (installed) return;
  installed = true;
  process.on('unhandledRejection', (reason) => {
    // The database going away (src/domain/database-faults.ts) is expected, and answered 503 where a request waits.
    if (isDatabaseUnavailable(reason)) {
      strapi.log.warn(
        `database unavailable in background work (request ${requestIdOf(strapi)}): ${reason instanceof Error ? reason.message : String(reason)}`,
      );
      return;
    }
    const detail = reason instanceof Error ? (reason.stack ?? reason.message) : String(reason);
    strapi.log.error(`unhandled rejection (request ${requestIdOf(strapi)}): ${detail}`);
  });
}
