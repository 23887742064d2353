/**
 * One HTTP request to an app process, timed, that never throws: a refused or reset connection (a killed process) is an
 * answer with status 0. `limitMs` aborts a request that hangs, so that a test waits a bounded time whatever the app does.
 */

export type Timed = {
  label: string;
  status: number;
  body: unknown;
  headers: Headers | null;
  startedAt: number;
  finishedAt: number;
  ms: number;
  failure: string | null;
};

export type RequestSpec = { label: string; method?: string; path: string; token?: string | null; body?: unknown };

export async function timedRequest(base: string, spec: RequestSpec, limitMs = 30000): Promise<Timed> {
  const startedAt = Date.now();
  const headers: Record<string, string> = {};
  if (spec.token) headers.Authorization = `Bearer ${spec.token}`;
  if (spec.body !== undefined) headers['Content-Type'] = 'application/json';
  try {
    const response = await fetch(`${base}${spec.path}`, {
      method: spec.method ?? 'GET',
      headers,
      body: spec.body === undefined ? undefined : JSON.stringify(spec.body),
      signal: AbortSignal.timeout(limitMs),
    });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON: kept as text
    }
    const finishedAt = Date.now();
    return {
      label: spec.label,
      status: response.status,
      body,
      headers: response.headers,
      startedAt,
      finishedAt,
      ms: finishedAt - startedAt,
      failure: null,
    };
  } catch (error) {
    const finishedAt = Date.now();
    const reason = (error as { cause?: unknown }).cause;
    const cause = reason instanceof Error ? `: ${reason.message}` : '';
    return {
      label: spec.label,
      status: 0,
      body: null,
      headers: null,
      startedAt,
      finishedAt,
      ms: finishedAt - startedAt,
      failure: `${error instanceof Error ? error.message : String(error)}${cause}`,
    };
  }
}

/** The `error` object of Strapi's answer, or of a GraphQL answer's first error's extensions. */
export function errorOf(body: unknown): { name?: string; message?: string; code?: string } | null {
  if (typeof body !== 'object' || body === null) return null;
  const rest = (body as { error?: { name?: string; message?: string } | null }).error;
  if (rest !== undefined && rest !== null) return rest;
  const first = (body as { errors?: { message?: string; extensions?: { code?: string; error?: { name?: string } } }[] })
    .errors?.[0];
  if (first === undefined) return null;
  return { name: first.extensions?.error?.name, message: first.message, code: first.extensions?.code };
}
