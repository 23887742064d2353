import { Client } from 'pg';
import { createStartedDatabase, type TestDatabase } from '../support/postgres';
import { freePort, startAppProcess, type AppProcess } from '../support/processes';
import { timedRequest, type RequestSpec, type Timed } from '../support/timed-request';

/**
 * The app is killed (SIGKILL: no clean-up of any kind) in the middle of a burst of concurrent writes, then started
 * again on the same PostgreSQL database. Every write it acknowledged (a 2xx answer arrived) is there; issue numbers
 * (期号) stay unique and without a gap within (publication, edition, year), and continue at max + 1.
 * The compiled app runs as a child process on a fresh test database, on ports the OS gives; its full-access API
 * token is made by Strapi's own token service in that process (a random key; only its hash is stored).
 */

const ISSUES = 40;
const ITEMS = 40;
/** The kill comes once this many of each kind were acknowledged. */
const KILL_AFTER_ACKS = 4;

let database: TestDatabase;
const processes: AppProcess[] = [];

const env = (db: TestDatabase) => ({
  DATABASE_CLIENT: 'postgres',
  DATABASE_URL: db.url,
  BULLETIN_DEMO_CONTENT: 'false',
  LOG_LEVEL: 'error',
});
const baseOf = (app: AppProcess) => `http://127.0.0.1:${app.port}`;
const ok = (result: Timed) => result.status >= 200 && result.status < 300;
const dataOf = (result: Timed) =>
  (result.body as { data: { documentId: string; number?: number; headline?: string } }).data;

beforeAll(async () => {
  database = await createStartedDatabase(false);
}, 30000);

afterAll(async () => {
  for (const app of processes.splice(0)) await app.stop();
  await (database as TestDatabase | undefined)?.drop();
}, 60000);

function exitOf(app: AppProcess, limitMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    if (app.process.exitCode !== null || app.process.signalCode !== null) {
      resolve(String(app.process.signalCode ?? app.process.exitCode));
      return;
    }
    const timer = setTimeout(
      () => reject(new Error(`process ${app.process.pid} still running after ${limitMs} ms`)),
      limitMs,
    );
    app.process.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve(String(signal ?? code));
    });
  });
}

async function draftNumbers(): Promise<{ numbers: number[]; documents: number }> {
  const client = new Client({ connectionString: database.url });
  await client.connect();
  try {
    const rows = await client.query<{ number: number; document_id: string }>(
      `SELECT number, document_id FROM issues
        WHERE published_at IS NULL AND publication = '上街信息' AND edition = 'regular' AND year = 2024 ORDER BY number`,
    );
    return {
      numbers: rows.rows.map((row) => row.number),
      documents: new Set(rows.rows.map((row) => row.document_id)).size,
    };
  } finally {
    await client.end();
  }
}

test('SIGKILL during 80 concurrent writes, then a restart: every acknowledged write is there, numbers unique and continuing', async () => {
  const first = await startAppProcess(await freePort(), env(database), true);
  processes.push(first);
  expect(first.token).not.toBeNull();
  const token = first.token ?? '';

  const unit = await timedRequest(baseOf(first), {
    label: 'unit',
    method: 'POST',
    path: '/api/units',
    token,
    body: { data: { shortName: '区人社局', kind: 'department', active: true } },
  });
  expect(unit.status).toBe(201);
  const unitId = dataOf(unit).documentId;

  // 40 issue creates (no number: the app assigns it) interleaved with 40 item creates, all sent at once.
  const specs: RequestSpec[] = [];
  for (let index = 0; index < Math.max(ISSUES, ITEMS); index += 1) {
    if (index < ISSUES) {
      specs.push({
        label: 'issue',
        method: 'POST',
        path: '/api/issues?status=draft',
        token,
        body: { data: { date: '2024-06-01' } },
      });
    }
    if (index < ITEMS) {
      const headline = `崩溃测试信息 ${index + 1}`;
      specs.push({
        label: 'item',
        method: 'POST',
        path: '/api/items',
        token,
        body: { data: { headline, body: '正文。', units: [unitId] } },
      });
    }
  }

  const acknowledged = { issue: 0, item: 0 };
  let killedAt = null as number | null; // set by kill(), which TypeScript does not see run
  let acknowledgedAtKill = { ...acknowledged };
  const kill = () => {
    if (killedAt !== null) return;
    killedAt = Date.now();
    acknowledgedAtKill = { ...acknowledged };
    first.process.kill('SIGKILL');
  };
  const safety = setTimeout(kill, 30000); // never more than 30 s of burst, whatever happens
  const startedAt = Date.now();
  const results = await Promise.all(
    specs.map((spec) =>
      timedRequest(baseOf(first), spec, 30000).then((result) => {
        if (ok(result) && killedAt === null) {
          acknowledged[result.label === 'issue' ? 'issue' : 'item'] += 1;
          if (acknowledged.issue >= KILL_AFTER_ACKS && acknowledged.item >= KILL_AFTER_ACKS) kill();
        }
        return result;
      }),
    ),
  );
  clearTimeout(safety);
  expect(await exitOf(first, 10000)).toBe('SIGKILL');

  const acked = results.filter(ok);
  const unanswered = results.filter((result) => result.status === 0);
  console.log(
    `killed ${killedAt === null ? '?' : killedAt - startedAt} ms into the burst after ${JSON.stringify(acknowledgedAtKill)} acknowledgements; ` +
      `${acked.length} acknowledged in all (${acked.filter((r) => r.label === 'issue').length} issues, ` +
      `${acked.filter((r) => r.label === 'item').length} items), ${unanswered.length} without an answer`,
  );
  // The kill came in the middle: some writes acknowledged, many still in flight, none refused before it.
  expect(Math.min(acknowledgedAtKill.issue, acknowledgedAtKill.item)).toBe(KILL_AFTER_ACKS);
  expect(unanswered.length).toBeGreaterThanOrEqual(20);
  expect(
    results.filter((result) => result.status !== 0 && !ok(result)).map((r) => [r.label, r.status, r.body]),
  ).toEqual([]);

  // Started again on the same database, same token.
  const second = await startAppProcess(await freePort(), env(database));
  processes.push(second);
  const base = baseOf(second);

  for (const result of acked) {
    const data = dataOf(result);
    if (result.label === 'issue') {
      const stored = await timedRequest(base, {
        label: 'read',
        path: `/api/issues/${data.documentId}?status=draft`,
        token,
      });
      expect([stored.status, dataOf(stored).number]).toEqual([200, data.number]);
    } else {
      const stored = await timedRequest(base, { label: 'read', path: `/api/items/${data.documentId}`, token });
      expect([stored.status, dataOf(stored).headline]).toEqual([200, data.headline]);
    }
  }

  // Numbers: 1..N exactly (unique, no gap), one document each; N counts the acknowledged issues and any write that
  // committed without its answer arriving, never one rolled back by the kill.
  const before = await draftNumbers();
  const ackedIssues = acked.filter((result) => result.label === 'issue').length;
  expect(before.numbers).toEqual(before.numbers.map((_, index) => index + 1));
  expect(before.documents).toBe(before.numbers.length);
  expect(before.numbers.length).toBeGreaterThanOrEqual(ackedIssues);
  console.log(
    `after restart: issues numbered 1..${before.numbers.length} (${before.numbers.length - ackedIssues} committed without an answer)`,
  );

  // The next create continues at max + 1, and a burst after it stays unique and gapless.
  const next = await timedRequest(base, {
    label: 'issue',
    method: 'POST',
    path: '/api/issues?status=draft',
    token,
    body: { data: { date: '2024-06-01' } },
  });
  expect([next.status, dataOf(next).number]).toEqual([201, before.numbers.length + 1]);
  const burst = await Promise.all(
    Array.from({ length: 10 }, () =>
      timedRequest(base, {
        label: 'issue',
        method: 'POST',
        path: '/api/issues?status=draft',
        token,
        body: { data: { date: '2024-06-01' } },
      }),
    ),
  );
  expect(burst.map((result) => result.status)).toEqual(Array(10).fill(201));
  const after = await draftNumbers();
  expect(after.numbers).toEqual(Array.from({ length: before.numbers.length + 11 }, (_, index) => index + 1));
}, 240000);
