import { Client } from 'pg';
import { createStartedDatabase, type TestDatabase } from '../support/postgres';
import { freePort, startAppProcess, type AppProcess } from '../support/processes';
import { startNginx, type Nginx } from '../support/nginx';
import { timedRequest, type RequestSpec, type Timed } from '../support/timed-request';

/**
 * Three app processes behind real nginx running deploy/nginx/bulletin.conf (issue 17, part 5): requests spread over
 * all three; one process is killed (SIGKILL) in the middle of a burst of writes and reads, and the other two go on —
 * every request after the kill is answered, the only failures are writes that had reached the killed process, issue
 * numbers (期号) stay unique and without a gap, every acknowledged number is stored, and what one process wrote the
 * others read at once.
 */

let database: TestDatabase;
const apps: AppProcess[] = [];
let nginx: Nginx | null = null;

beforeAll(async () => {
  database = await createStartedDatabase(false);
}, 30000);

afterAll(async () => {
  await nginx?.stop();
  for (const app of apps.splice(0)) await app.stop();
  await (database as typeof database | undefined)?.drop();
}, 60000);

const ok = (result: Timed) => result.status >= 200 && result.status < 300;
const numberOf = (result: Timed) => (result.body as { data: { number: number } }).data.number;

async function draftNumbers(): Promise<number[]> {
  const client = new Client({ connectionString: database.url });
  await client.connect();
  try {
    const rows = await client.query<{ number: number }>(
      `SELECT number FROM issues WHERE published_at IS NULL AND publication = '上街信息' AND edition = 'regular' AND year = 2024 ORDER BY number`,
    );
    return rows.rows.map((row) => row.number);
  } finally {
    await client.end();
  }
}

async function burst(
  base: string,
  specs: RequestSpec[],
  concurrency: number,
  onAnswer: (result: Timed) => void = () => undefined,
): Promise<Timed[]> {
  const results: Timed[] = [];
  let next = 0;
  const worker = async () => {
    while (next < specs.length) {
      const spec = specs[next++];
      const result = await timedRequest(base, spec, 30000);
      results.push(result);
      onAnswer(result);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return results;
}

test('three processes behind nginx: requests spread, one killed under load, the others go on and numbering stays exact', async () => {
  const env = {
    DATABASE_CLIENT: 'postgres',
    DATABASE_URL: database.url,
    BULLETIN_DEMO_CONTENT: 'false',
    IS_PROXIED: 'true',
    PROXY_HOPS: '1',
  };
  apps.push(
    ...(await Promise.all(
      [0, 1, 2].map(() => startAppProcess(0, env, true, { startTimeoutMs: 240000, expectedServerErrors: [] })),
    )),
  );
  nginx = await startNginx(
    await freePort(),
    apps.map((app) => app.port),
  );
  const base = `http://127.0.0.1:${nginx.port}`;
  const token = apps[0].token ?? '';
  const create: RequestSpec = {
    label: 'create',
    method: 'POST',
    path: '/api/issues?status=draft',
    token,
    body: { data: { date: '2024-06-01' } },
  };
  const read: RequestSpec = { label: 'read', path: '/api/issues?status=draft&pagination[pageSize]=1', token };

  // Warm-up: every request answered, and all three processes served some.
  const warm = await burst(
    base,
    Array.from({ length: 36 }, (_, index) => (index % 3 === 0 ? create : read)),
    6,
  );
  expect(warm.filter((result) => !ok(result)).map((result) => [result.label, result.status, result.body])).toEqual([]);
  const upstreams = new Set(nginx.accessLog().map((line) => line.split(' ')[1]));
  for (const app of apps) expect(upstreams).toContain(`127.0.0.1:${app.port}`);

  // The burst: one process killed after 5 writes were acknowledged in it.
  const victim = apps[1];
  let acked = 0;
  let killedAt: number | null = null;
  // SIGKILL is not instant: until the process is gone, the kernel still accepts connections on its port, and a write
  // nginx hands over in that window is lost with the process. So the window for a failed write closes at its exit.
  let exitedAt = 0;
  const killed = new Promise<void>((resolve) =>
    victim.process.once('exit', () => {
      exitedAt = Date.now();
      resolve();
    }),
  );
  const during = await burst(
    base,
    Array.from({ length: 60 }, (_, index) => (index % 2 === 0 ? create : read)),
    8,
    (result) => {
      if (result.label === 'create' && ok(result)) acked += 1;
      if (acked >= 5 && killedAt === null) {
        killedAt = Date.now();
        victim.process.kill('SIGKILL');
      }
    },
  );
  await killed;
  expect(killedAt).not.toBeNull();
  // Only a write that had reached the killed process may fail (nginx never sends a write twice), only as a 502, and
  // only one sent before the process was gone.
  const failed = during.filter((result) => !ok(result));
  expect(exitedAt).toBeGreaterThan(0);
  expect(
    failed.filter((result) => !(result.label === 'create' && result.status === 502 && result.startedAt <= exitedAt)),
  ).toEqual([]);

  // After the kill: the other two answer everything.
  const after = await burst(
    base,
    Array.from({ length: 30 }, (_, index) => (index % 2 === 0 ? create : read)),
    6,
  );
  expect(after.filter((result) => !ok(result)).map((result) => [result.label, result.status, result.body])).toEqual([]);

  // Numbering exact: unique, no gap, every acknowledged number stored.
  const stored = await draftNumbers();
  expect(stored).toEqual(Array.from({ length: stored.length }, (_, index) => index + 1));
  const acknowledged = [...warm, ...during, ...after]
    .filter((result) => result.label === 'create' && ok(result))
    .map(numberOf);
  expect(new Set(acknowledged).size).toBe(acknowledged.length);
  for (const number of acknowledged) expect(stored).toContain(number);

  // Readers' answers are current through the proxy: the total each remaining process reports is the database's.
  for (let round = 0; round < 4; round += 1) {
    const answer = await timedRequest(base, read);
    expect(answer.status).toBe(200);
    expect((answer.body as { meta: { pagination: { total: number } } }).meta.pagination.total).toBe(stored.length);
  }
}, 400000);
