import request from 'supertest';
import { Client } from 'pg';
import { createStartedDatabase, type TestDatabase } from '../support/postgres';
import { startAppProcess, type AppProcess } from '../support/processes';

/**
 * Two app processes on one PostgreSQL database, 100 issues created at once over HTTP, alternating between them:
 * exactly 1..100, no duplicate, no gap, for 期号 and 总期号 alike.
 */

let database: TestDatabase;
let processes: AppProcess[] = [];

const env = (db: TestDatabase) => ({
  DATABASE_CLIENT: 'postgres',
  DATABASE_URL: db.url,
  BULLETIN_DEMO_CONTENT: 'false',
  BULLETIN_PUBLICATIONS: JSON.stringify({ 督查专报: { printsTotalNumber: true } }),
});

beforeAll(async () => {
  database = await createStartedDatabase(false);
  // The first process creates the schema; the second starts on it.
  const first = await startAppProcess(0, env(database), true);
  processes.push(first);
  processes.push(await startAppProcess(0, env(database)));
});

afterAll(async () => {
  await Promise.all(processes.map((child) => child.stop()));
  processes = [];
  await (database as TestDatabase | undefined)?.drop();
});

test('100 concurrent creates across two processes number 1..100 exactly', async () => {
  const token = processes[0].token;
  expect(token).not.toBeNull();

  const responses = await Promise.all(
    Array.from({ length: 100 }, (_, index) => {
      const target = processes[index % 2];
      return request(`http://127.0.0.1:${target.port}`)
        .post('/api/issues')
        .query({ status: 'draft' })
        .set('Authorization', `Bearer ${token}`)
        .send({ data: { publication: '督查专报', date: '2024-06-01' } });
    }),
  );
  expect(responses.map((res) => res.status)).toEqual(Array(100).fill(201));

  const client = new Client({ connectionString: database.url });
  await client.connect();
  try {
    const drafts = await client.query(
      `SELECT number, total_number FROM issues WHERE published_at IS NULL AND publication = '督查专报' ORDER BY number`,
    );
    const expected = Array.from({ length: 100 }, (_, index) => index + 1);
    expect(drafts.rows.map((row) => row.number)).toEqual(expected);
    expect(drafts.rows.map((row) => row.total_number).sort((a, b) => a - b)).toEqual(expected);
  } finally {
    await client.end();
  }
});
