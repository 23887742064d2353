import { bootApp, createApiToken, type TestApp } from '../support/app';

let app: TestApp;
beforeAll(async () => {
  app = await bootApp();
});
afterAll(async () => {
  await app?.close();
});

test('boots on PostgreSQL with the demo issue', async () => {
  const token = await createApiToken(app.strapi, 'read-only');
  const res = await app.http().get('/api/issues').set('Authorization', `Bearer ${token}`);
  expect(res.status).toBe(200);
  expect(res.body.data).toHaveLength(1);
});
