import type { Server } from 'http';

/**
 * A 5xx is a bug: every answer the app gives a test (through bootApp's server) is watched, and any 5xx fails the test
 * that was running (tests/support/no-server-errors.ts, run after each test of every integration file).
 */
export const serverErrors: string[] = [];

export function watchServerErrors(server: Server): void {
  server.on('request', (request, response) => {
    response.on('finish', () => {
      if (response.statusCode >= 500)
        serverErrors.push(`${request.method ?? '?'} ${request.url ?? '?'} → ${response.statusCode}`);
    });
  });
}
