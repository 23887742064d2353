import { bootApp, createApiToken, type TestApp } from '../support/app';

/**
 * CORS headers only where they mean something: an answer to a request without an Origin (curl, a server) carries no
 * Access-Control-* header at all — not the empty `Access-Control-Allow-Origin:` Strapi 5.54 gives — but still
 * `Vary: Origin`; a cross-origin caller gets the headers as before, REST and GraphQL, preflight included.
 */

let app: TestApp;
let token: string;

beforeAll(async () => {
  app = await bootApp({ demo: false });
  token = await createApiToken(app.strapi, 'read-only');
});
afterAll(async () => {
  await (app as TestApp | undefined)?.close();
});

const corsHeaders = (headers: Record<string, string>) =>
  Object.keys(headers).filter((name) => name.startsWith('access-control-'));
const QUERY = '{ units { shortName } }';

test.each([
  ['REST with a token', () => app.http().get('/api/units').set('Authorization', `Bearer ${token}`), 200],
  ['REST without a token', () => app.http().get('/api/units'), 403],
  ['REST, an unknown path', () => app.http().get('/api/nothing-here'), 404],
  ['GraphQL', () => app.http().post('/graphql').set('Authorization', `Bearer ${token}`).send({ query: QUERY }), 200],
])('%s without an Origin: no CORS header, Vary: Origin', async (_name, send, status) => {
  const response = await send();
  expect(response.status).toBe(status);
  expect(corsHeaders(response.headers)).toEqual([]);
  expect((response.headers.vary as string | undefined) ?? '').toMatch(/\bOrigin\b/i);
});

test('the health check (answered before any CORS step) carries no CORS header, with or without an Origin', async () => {
  for (const origin of [undefined, 'http://reader.example.gov.cn']) {
    const request = app.http().get('/_health');
    const response = await (origin === undefined ? request : request.set('Origin', origin));
    expect(response.status).toBe(200);
    expect(corsHeaders(response.headers)).toEqual([]);
  }
});

test('REST from another origin: the origin is allowed back, with credentials', async () => {
  const response = await app
    .http()
    .get('/api/units')
    .set('Authorization', `Bearer ${token}`)
    .set('Origin', 'http://reader.example.gov.cn');
  expect(response.status).toBe(200);
  expect(response.headers['access-control-allow-origin']).toBe('http://reader.example.gov.cn');
  expect(response.headers['access-control-allow-credentials']).toBe('true');
});

test('a REST preflight from another origin is answered with the allowed methods and headers', async () => {
  const response = await app
    .http()
    .options('/api/units')
    .set('Origin', 'http://reader.example.gov.cn')
    .set('Access-Control-Request-Method', 'GET')
    .set('Access-Control-Request-Headers', 'Authorization');
  expect(response.status).toBe(204);
  expect(response.headers['access-control-allow-origin']).toBe('http://reader.example.gov.cn');
  expect(response.headers['access-control-allow-methods']).toContain('GET');
  expect(response.headers['access-control-allow-headers']).toContain('Authorization');
});

test('GraphQL from another origin: Access-Control-Allow-Origin *, as before', async () => {
  const response = await app
    .http()
    .post('/graphql')
    .set('Authorization', `Bearer ${token}`)
    .set('Origin', 'http://reader.example.gov.cn')
    .send({ query: QUERY });
  expect(response.status).toBe(200);
  expect(response.headers['access-control-allow-origin']).toBe('*');
});
