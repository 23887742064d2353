import { bootApp, createApiToken } from '../support/app';
import { graphql } from '../support/graphql';

// One Strapi per process at a time: each test boots its own and stops it before the next.

test('with no database configuration the app runs on the embedded SQLite default, demo issue included', async () => {
  const app = await bootApp({ database: 'sqlite' });
  try {
    expect(app.strapi.db.dialect.client).toBe('sqlite');
    const token = await createApiToken(app.strapi, 'read-only');
    const rest = await app.http().get('/api/issues').set('Authorization', `Bearer ${token}`);
    expect(rest.status).toBe(200);
    expect(rest.body.data.map((issue: { number: number }) => issue.number)).toEqual([14]);

    const gql = await graphql<{ items: { headline: string }[] }>(
      app,
      token,
      '{ items(sort: "position:asc") { headline } }',
    );
    expect(gql.errors).toEqual([]);
    expect(gql.data?.items).toHaveLength(6);
  } finally {
    await app.close();
  }
});

test('BULLETIN_DEMO_CONTENT=false starts on an empty PostgreSQL database without demo content', async () => {
  const app = await bootApp({ demo: false });
  try {
    expect(app.strapi.db.dialect.client).toBe('postgres');
    expect(await app.strapi.db.query('api::issue.issue').count({})).toBe(0);
    expect(await app.strapi.db.query('api::unit.unit').count({})).toBe(0);
  } finally {
    await app.close();
  }
});

test('a REST read without credentials is refused: the public role has no access to bulletins', async () => {
  const app = await bootApp();
  try {
    const res = await app.http().get('/api/issues');
    expect(res.status).toBe(403);
  } finally {
    await app.close();
  }
});
