import fc from 'fast-check';
import { serializeQueries } from '../../src/strapi/serial-queries';

type Call = { id: number; finish: (error?: Error) => void };

/** A stand-in for a node-postgres client: records how many queries are being answered at once, and in what order. */
function fakeClient() {
  const pending: Call[] = [];
  const started: number[] = [];
  let active = 0;
  let most = 0;
  const client = {
    query(config: { id: number; fail?: boolean }, callback?: (error: Error | null, result?: unknown) => void): unknown {
      active += 1;
      most = Math.max(most, active);
      started.push(config.id);
      const settle = (resolve: (value: unknown) => void, reject: (error: Error) => void) =>
        pending.push({
          id: config.id,
          finish: () => {
            active -= 1;
            if (config.fail === true) reject(new Error(`query ${config.id} failed`));
            else resolve({ rows: [config.id] });
          },
        });
      if (callback !== undefined) {
        settle(
          (result) => callback(null, result),
          (error) => callback(error),
        );
        return undefined;
      }
      return new Promise(settle);
    },
  };
  return { client, pending, started, most: () => most };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

test('queries asked for together are sent one at a time, in the order asked, with their own answers', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.record({ callback: fc.boolean(), fail: fc.boolean() }), { minLength: 1, maxLength: 12 }),
      async (plan) => {
        const fake = fakeClient();
        const client = serializeQueries(fake.client);
        const answers: (string | undefined)[] = []; // sparse until every query is answered
        const done = plan.map(
          (step, id) =>
            new Promise<void>((resolve) => {
              const record = (error: Error | null, result?: unknown) => {
                answers[id] = error === null ? `ok ${JSON.stringify(result)}` : error.message;
                resolve();
              };
              if (step.callback) client.query({ id, fail: step.fail }, record);
              else
                (client.query({ id, fail: step.fail }) as Promise<unknown>).then(
                  (result) => record(null, result),
                  (error: unknown) => record(error instanceof Error ? error : new Error(String(error))),
                );
            }),
        );
        // Answer whatever has been sent, one by one, until everything is answered.
        while (answers.filter((answer) => answer !== undefined).length < plan.length) {
          await tick();
          fake.pending.shift()?.finish();
        }
        await Promise.all(done);
        expect(fake.most()).toBe(1);
        expect(fake.started).toEqual(plan.map((_step, id) => id));
        expect(answers).toEqual(plan.map((step, id) => (step.fail ? `query ${id} failed` : `ok {"rows":[${id}]}`)));
      },
    ),
    { numRuns: 300 },
  );
});

test('a client is wrapped once, and a query that throws as it is sent does not hold up the next', async () => {
  let calls = 0;
  const raw = {
    query(_config: unknown, callback: (error: Error | null, result?: unknown) => void): void {
      calls += 1;
      if (calls === 1) throw new Error('not queryable');
      callback(null, 'second');
    },
  };
  const client = serializeQueries(serializeQueries(raw));
  const first = new Promise((resolve) => client.query({}, (error: Error | null) => resolve(error?.message)));
  const second = new Promise((resolve) =>
    client.query({}, (_error: Error | null, result?: unknown) => resolve(result)),
  );
  expect(await first).toBe('not queryable');
  expect(await second).toBe('second');
  expect(calls).toBe(2);
});
