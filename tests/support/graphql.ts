import type { TestApp } from './app';

export type GraphQLResponse<T> = {
  status: number;
  data: T | null;
  errors: { message: string; extensions?: Record<string, unknown> }[];
};

/** POST /graphql with a bearer token (an API token or a users-permissions JWT). */
export async function graphql<T = Record<string, unknown>>(
  app: TestApp,
  token: string | null,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<GraphQLResponse<T>> {
  let call = app.http().post('/graphql').send({ query, variables });
  if (token !== null) call = call.set('Authorization', `Bearer ${token}`);
  const res = await call;
  return { status: res.status, data: res.body?.data ?? null, errors: res.body?.errors ?? [] };
}
