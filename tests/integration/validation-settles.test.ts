import { bootApp, createApiToken, type TestApp } from '../support/app';

/**
 * Strapi's entity validation always ends (src/strapi/entity-validator.ts). Its unique checks are yup tests whose
 * rejections yup 0.32 drops: a failing query there used to leave the write waiting for good, inside an open
 * transaction holding a pooled connection. And a relation string Strapi reads as a row id ("12abc", a 70-digit
 * number) is a 400 before any query (src/domain/validity.ts), where it once was exactly such a failing query.
 */

let app: TestApp;
let token: string;
const UNIT = 'api::unit.unit';
const unique = (() => {
  let counter = 0;
  return (prefix: string) => `${prefix}${process.pid}-${(counter += 1)}`;
})();

/** Settles, or says it did not within the bound (a generous one: this catches "never", not slowness). */
async function settles<T>(
  work: Promise<T>,
  seconds = 20,
): Promise<{ settled: true; value?: T; error?: unknown } | { settled: false }> {
  let timer: NodeJS.Timeout | undefined;
  const never = new Promise<{ settled: false }>((resolve) => {
    timer = setTimeout(() => resolve({ settled: false }), seconds * 1000);
  });
  const outcome = work.then(
    (value) => ({ settled: true as const, value }),
    (error: unknown) => ({ settled: true as const, error }),
  );
  try {
    return await Promise.race([outcome, never]);
  } finally {
    clearTimeout(timer);
  }
}

async function openTransactions(): Promise<number> {
  const result = await app.strapi.db.connection.raw<{ rows: { n: number }[] }>(
    "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND state LIKE 'idle in transaction%'",
  );
  return result.rows[0]?.n ?? -1;
}

beforeAll(async () => {
  app = await bootApp({ demo: false });
  token = await createApiToken(app.strapi, 'full-access');
});
afterAll(async () => {
  await (app as TestApp | undefined)?.close();
});

describe('a query that fails inside a validation fails the write at once and rolls its transaction back', () => {
  // A script's transaction that an earlier query aborted: every query after it fails, the unique check included.
  test.each([
    ['a unique check', () => ({ shortName: unique('校验'), kind: 'department', active: true })],
    [
      'a relation check, then a unique check',
      () => ({ shortName: unique('校验'), kind: 'department', active: true, recipientGroups: [1] }),
    ],
  ])('%s in an aborted transaction', async (_case, data) => {
    const before = await app.strapi.db.query(UNIT).count({});
    const write = app.strapi.db.transaction(async ({ trx }) => {
      await trx.raw('SELECT 1 / 0').catch(() => undefined);
      return app.strapi.documents(UNIT).create({ data: data() as never });
    });
    const outcome = await settles(write);
    expect(outcome.settled).toBe(true);
    expect(outcome.settled && outcome.error instanceof Error ? outcome.error.message : outcome).toMatch(
      /current transaction is aborted/,
    );
    expect(await openTransactions()).toBe(0);
    expect(await app.strapi.db.query(UNIT).count({})).toBe(before);
  });

  test('the app goes on answering writes afterwards, on every pooled connection', async () => {
    for (let round = 0; round < 12; round += 1) {
      const res = await app
        .http()
        .post('/api/units')
        .set({ Authorization: `Bearer ${token}` })
        .send({ data: { shortName: unique('之后'), kind: 'department', active: true } });
      expect(res.status).toBe(201);
    }
  });
});

describe('relation strings Strapi reads as row ids', () => {
  test.each([
    ['a 76-digit negative number', '-4936781948068424102182254076093981287420387750412014165300104655352002157041'],
    ['a number beyond 32 bits', '2147483648'],
    ['digits followed by letters', '12abc'],
    ['a decimal', '1.5'],
    ['a leading space', ' 7'],
  ])('%s is a 400 naming the relation, answered at once, with no transaction left open', async (_case, value) => {
    const before = await app.strapi.db.query(UNIT).count({});
    const outcome = await settles(
      app
        .http()
        .post('/api/units')
        .set({ Authorization: `Bearer ${token}` })
        .send({ data: { shortName: unique('关联'), kind: 'department', active: true, recipientGroups: value } })
        .then((res) => res),
    );
    expect(outcome.settled).toBe(true);
    const res = outcome.settled
      ? (outcome.value as {
          status: number;
          body: { error: { name: string; details: { errors: { path: string[] }[] } } };
        })
      : null;
    expect(res?.status).toBe(400);
    expect(res?.body.error.name).toBe('ValidationError');
    expect(res?.body.error.details.errors.map((error) => error.path.join('.'))).toEqual(['recipientGroups']);
    expect(await openTransactions()).toBe(0);
    expect(await app.strapi.db.query(UNIT).count({})).toBe(before);
  });
});
