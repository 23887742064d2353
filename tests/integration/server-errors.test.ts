import http from 'http';
import type { AddressInfo } from 'net';
import { serverErrors, watchServerErrors } from '../support/server-errors';
import { reportedServerErrors } from '../support/processes';

/** The harness's 5xx guard notices a 5xx answer (and the after-each check would then fail the test that got it). */
test('a 5xx answer is recorded against the running test', async () => {
  const server = http.createServer((_request, response) => {
    response.statusCode = 500;
    response.end('boom');
  });
  watchServerErrors(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  const answer = await fetch(`http://127.0.0.1:${port}/anything?x=1`);
  await answer.text();
  await new Promise((resolve) => setTimeout(resolve, 50));
  await new Promise<void>((resolve) => server.close(() => resolve()));
  // Taken out here, or the after-each check (tests/support/no-server-errors.ts) would fail this test.
  expect(serverErrors.splice(0, serverErrors.length)).toEqual(['GET /anything?x=1 → 500']);
});

/** A child app process (tests/support/serve.js) reports its 5xx answers on standard error; only expected ones pass. */
test.each([
  ['SERVER_ERROR 500 POST /api/items\n', [], ['POST /api/items → 500 (child process)']],
  ['SERVER_ERROR 503 GET /_health\n', [503], []],
  [
    'SERVER_ERROR 503 GET /_health\nSERVER_ERROR 502 GET /graphql?x=1\n',
    [503],
    ['GET /graphql?x=1 → 502 (child process)'],
  ],
  ['[2026-12-02 08:00:00.000] http: GET /api/items (3 ms) 500\n', [], []],
  ['warn: something SERVER_ERROR 500 GET /not-at-line-start\n', [], []],
])('child process output %j with expected %j reports %j', (text, expected, reported) => {
  expect(reportedServerErrors(text, expected)).toEqual(reported);
});
