import type { TestApp } from './app';

/**
 * The SQL statements one HTTP request sends, as knex reports them on its `query` event: only those issued inside
 * that request (Strapi's request context), so that Strapi's own background work running meanwhile is not counted.
 */
export async function statementsOf<T>(
  app: TestApp,
  path: string,
  send: () => Promise<T>,
): Promise<{ result: T; statements: string[] }> {
  const statements: string[] = [];
  const listener = (query: { sql: string }) => {
    const ctx = app.strapi.requestContext.get() as { path?: string } | undefined;
    if (ctx?.path === path) statements.push(query.sql);
  };
  app.strapi.db.connection.client.on('query', listener);
  try {
    return { result: await send(), statements };
  } finally {
    app.strapi.db.connection.client.removeListener('query', listener);
  }
}
