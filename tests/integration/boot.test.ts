import { bootApp, createApiToken } from '../support/app';
import { graphql } from '../support/graphql';

// One Strapi per process at a time: each test boots its own and stops it before the next.

test('with no database configuration the app runs on the embedded SQLite default, demo issue included', async () => {
  const app = await bootApp({ database: 'sqlite' });
  try {
    expect(app.strapi.db.dialect.client).toBe('sqlite');
    const health = await app.http().get('/_health');
    expect([health.status, health.body]).toEqual([200, { status: 'ok', database: 'up' }]);
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

    // Numbering holds on SQLite too: the next 2020 issue is 第15期, and 第14期 cannot be taken twice.
    const admin = await createApiToken(app.strapi, 'full-access');
    const next = await app.http().post('/api/issues?status=draft').set('Authorization', `Bearer ${admin}`).send({ data: { date: '2020-03-01' } });
    expect(next.body.data?.number).toBe(15);
    const taken = await app.http().post('/api/issues?status=draft').set('Authorization', `Bearer ${admin}`).send({ data: { date: '2020-03-02', number: 14 } });
    expect(taken.status).toBe(400);
    await expect(
      app.strapi.db.query('api::issue.issue').create({
        data: { documentId: 'dup', publication: '上街信息', edition: 'regular', year: 2020, number: 15, publishedAt: null },
      }),
    ).rejects.toThrow(/UNIQUE constraint failed/);
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
