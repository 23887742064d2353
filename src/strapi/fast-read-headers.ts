import http from 'http';
import net from 'net';
import type { Core } from '@strapi/strapi';

/**
 * The headers the middlewares ahead of the readers' fast path set on its answers, worked out once rather than on
 * every request. The fast path runs first for its exact routes (src/middlewares/fast-read.ts); what
 * security (helmet: CSP, HSTS, frame and referrer rules), strapi::cors with global::cors, and strapi::poweredBy would
 * have set is the same for every request of one method and path kind without an `Origin` (a request with one is left
 * to the normal chain). So those very middlewares, with the configuration config/middlewares.ts gives them, are run
 * once on a request made up for it, and their headers are replayed.
 */

type Middleware = (ctx: unknown, next: () => Promise<void>) => unknown;
type MiddlewareEntry = string | { name?: string; resolve?: string; config?: unknown };

/** The middlewares whose headers are replayed, in the order config/middlewares.ts runs them. */
const REPLAYED = ['strapi::security', 'strapi::cors', 'global::cors', 'strapi::poweredBy'];

export type HeaderSet = [name: string, value: string | string[]][];

function instancesOf(strapi: Core.Strapi): Middleware[] {
  const entries = strapi.config.get<MiddlewareEntry[]>('middlewares', []);
  const instances: Middleware[] = [];
  for (const entry of entries) {
    const name = typeof entry === 'string' ? entry : entry.name;
    if (name === undefined || !REPLAYED.includes(name)) continue;
    const factory = strapi.middleware(name) as unknown as
      | ((config: unknown, context: { strapi: Core.Strapi }) => Middleware | undefined)
      | undefined;
    const instance = factory?.(typeof entry === 'string' ? {} : (entry.config ?? {}), { strapi });
    if (instance !== undefined) instances.push(instance);
  }
  return instances;
}

/** Runs the replayed middlewares on a made-up request (`method`, `url`, these headers, no Origin); their headers. */
async function headersFor(
  strapi: Core.Strapi,
  method: string,
  url: string,
  headers: Record<string, string>,
): Promise<HeaderSet> {
  const request = new http.IncomingMessage(new net.Socket());
  request.method = method;
  request.url = url;
  request.headers = { host: 'localhost', ...headers };
  const response = new http.ServerResponse(request);
  const app = strapi.server.app as unknown as {
    createContext: (req: http.IncomingMessage, res: http.ServerResponse) => unknown;
  };
  const ctx = app.createContext(request, response);
  const chain = instancesOf(strapi);
  const run = async (index: number): Promise<void> => {
    if (index < chain.length) await chain[index](ctx, () => run(index + 1));
  };
  await run(0);
  return Object.entries(response.getHeaders()).map(([name, value]) => [
    name,
    Array.isArray(value) ? value : String(value),
  ]);
}

const known = new Map<string, Promise<HeaderSet>>();

/** The replayed headers for a kind of request (`GET /api/bulletin/…`, `POST /graphql`), worked out on first use. */
export function replayedHeaders(
  strapi: Core.Strapi,
  kind: string,
  method: string,
  url: string,
  headers: Record<string, string> = {},
): Promise<HeaderSet> {
  let set = known.get(kind);
  if (set === undefined) {
    set = headersFor(strapi, method, url, headers);
    known.set(kind, set);
    set.catch(() => known.delete(kind));
  }
  return set;
}
