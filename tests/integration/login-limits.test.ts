import request from 'supertest';
import { bootApp, type TestApp } from '../support/app';
import { aPerson } from '../support/people';
import { startAppProcess, type AppProcess } from '../support/processes';
import { countersFor, decide, windowOf, type LoginLimitSettings } from '../../src/domain/login-limits';
import { deleteExpired, refund, reserve, type RawConnection } from '../../src/strapi/login-limits';

/**
 * Login limits (src/domain/login-limits.ts, src/strapi/login-limits.ts) on PostgreSQL, through HTTP: the readers'
 * login (REST and GraphQL) and the admin's, per account and per client address, shared by two app processes on one
 * database; failed logins answer the same whatever the account. This app trusts a proxy (IS_PROXIED=true), so each
 * test picks its own client addresses with X-Forwarded-For; the second process does not, and ignores the header.
 */

const ACCOUNT_MAX = 4;
const ADDRESS_MAX = 6;
const WINDOW_MINUTES = 60;
const LIMITS = {
  BULLETIN_LOGIN_ACCOUNT_MAX: String(ACCOUNT_MAX),
  BULLETIN_LOGIN_ADDRESS_MAX: String(ADDRESS_MAX),
  BULLETIN_LOGIN_WINDOW_MINUTES: String(WINDOW_MINUTES),
};
const SETTINGS: LoginLimitSettings = {
  accountMax: ACCOUNT_MAX,
  addressMax: ADDRESS_MAX,
  windowMs: WINDOW_MINUTES * 60_000,
};
const PASSWORD = 'Pass-word-1'; // aPerson's
const ADMIN_PASSWORD = 'Admin-pass-1';
const USER_FAILURE =
  '{"data":null,"error":{"status":400,"name":"ValidationError","message":"Invalid identifier or password","details":{}}}';
const ADMIN_FAILURE =
  '{"data":null,"error":{"status":400,"name":"ApplicationError","message":"Invalid credentials","details":{}}}';

let app: TestApp;
let second: AppProcess;
let secondHttp: () => ReturnType<typeof request>;
let expiredRowAfterSecondStart: number | null = -1;
const EXPIRED = { scope: 'user', subject: 'lim-expired-row' };

type Answer = { status: number; text: string; headers: Record<string, string>; body: unknown };

const login = (identifier: unknown, password: string, from: string | null, http = app.http()): Promise<Answer> => {
  const call = http.post('/api/auth/local');
  return (from === null ? call : call.set('X-Forwarded-For', from)).send({ identifier, password });
};
const adminLogin = (email: string, password: string, from: string): Promise<Answer> =>
  app.http().post('/admin/login').set('X-Forwarded-For', from).send({ email, password });
const graphqlLogins = (logins: [string, string][], from: string): Promise<Answer> => {
  const fields = logins.map(
    ([identifier, password], index) =>
      `l${index}: login(input: { identifier: ${JSON.stringify(identifier)}, password: ${JSON.stringify(password)} }) { jwt }`,
  );
  return app
    .http()
    .post('/graphql')
    .set('X-Forwarded-For', from)
    .send({ query: `mutation { ${fields.join(' ')} }` });
};

/** A refusal: 429, Strapi's error shape, the wait in minutes matching Retry-After (seconds, within the window). */
function expectRefused(answer: Answer): number {
  expect(answer.status).toBe(429);
  const retryAfter = Number(answer.headers['retry-after']);
  expect(Number.isInteger(retryAfter)).toBe(true);
  expect(retryAfter).toBeGreaterThan(0);
  expect(retryAfter).toBeLessThanOrEqual(WINDOW_MINUTES * 60);
  expect(answer.body).toEqual({
    data: null,
    error: {
      status: 429,
      name: 'RateLimitError',
      message: `登录尝试过于频繁，请 ${Math.ceil(retryAfter / 60)} 分钟后再试`,
      details: {},
    },
  });
  return retryAfter;
}

const counts = async (scope: string, subject: string): Promise<number | null> => {
  const result = await app.strapi.db.connection.raw<{ rows: { attempts: number }[] }>(
    'SELECT attempts FROM bulletin_login_attempts WHERE scope = ? AND subject = ?',
    [scope, subject],
  );
  return result.rows.length === 0 ? null : result.rows.reduce((sum, row) => sum + row.attempts, 0);
};

const userService = () =>
  app.strapi.plugin('users-permissions').service('user') as unknown as {
    validatePassword: (p: string, h: string) => Promise<boolean>;
  };
const adminAuth = () =>
  app.strapi.service('admin::auth') as unknown as { validatePassword: (p: string, h: string) => Promise<boolean> };

async function anAdmin(email: string, isActive = true): Promise<void> {
  const role = await app.strapi.db.query('admin::role').findOne({ where: { code: 'bulletin-editor' } });
  await app.strapi
    .service('admin::user')
    .create({ email, firstname: email.split('@')[0], password: ADMIN_PASSWORD, isActive, roles: [role.id] });
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

beforeAll(async () => {
  app = await bootApp({ demo: false, env: { IS_PROXIED: 'true', ...LIMITS } });
  // A counter row of a window that has ended: the second process's start-up deletes it.
  await app.strapi.db.connection.raw(
    'INSERT INTO bulletin_login_attempts (scope, subject, window_start, expires_at, attempts) VALUES (?, ?, ?, ?, 7)',
    [EXPIRED.scope, EXPIRED.subject, Date.now() - 2 * 3600_000, Date.now() - 3600_000],
  );
  second = await startAppProcess(0, {
    DATABASE_CLIENT: 'postgres',
    DATABASE_URL: process.env.DATABASE_URL ?? '',
    BULLETIN_DEMO_CONTENT: 'false',
    IS_PROXIED: 'false',
    ...LIMITS,
  });
  secondHttp = () => request(`http://127.0.0.1:${second.port}`);
  expiredRowAfterSecondStart = await counts(EXPIRED.scope, EXPIRED.subject);
});
afterAll(async () => {
  await (second as AppProcess | undefined)?.stop();
  await (app as TestApp | undefined)?.close();
});

// Windows are fixed (aligned to the hour here): a test never straddles the end of one.
beforeEach(async () => {
  const left = windowOf(Date.now(), SETTINGS.windowMs).end - Date.now();
  if (left < 60_000) await new Promise((resolve) => setTimeout(resolve, left + 50));
});
afterEach(() => {
  jest.restoreAllMocks();
});

test('after N failed logins the next one, even with the right password, is 429 with Retry-After, and no password is compared', async () => {
  await aPerson(app, 'lim-alice', 'reader', null);
  const compared = jest.spyOn(userService(), 'validatePassword');
  // The account as counted is the identifier trimmed and lower-cased.
  for (const identifier of ['lim-alice', ' LIM-Alice ', 'Lim-alice', 'lim-ALICE']) {
    const failed = await login(identifier, 'wrong-password', '198.51.100.1');
    expect([failed.status, failed.text]).toEqual([400, USER_FAILURE]);
  }
  expect(compared).toHaveBeenCalledTimes(ACCOUNT_MAX);
  expect(await counts('user', 'lim-alice')).toBe(ACCOUNT_MAX);

  expectRefused(await login('lim-alice', PASSWORD, '198.51.100.1'));
  // The account is locked from any address; the refusal compared no password and counted nothing.
  expectRefused(await login('lim-alice', PASSWORD, '198.51.100.2'));
  expect(compared).toHaveBeenCalledTimes(ACCOUNT_MAX);
  expect(await counts('user', 'lim-alice')).toBe(ACCOUNT_MAX);

  // The GraphQL login runs the same controller: refused too, with Retry-After.
  const graphql = await graphqlLogins([['lim-alice', PASSWORD]], '198.51.100.3');
  expect(Number(graphql.headers['retry-after'])).toBeGreaterThan(0);
  expect(graphql.body).toMatchObject({
    data: null,
    errors: [
      {
        message: expect.stringMatching(/^登录尝试过于频繁，请 \d+ 分钟后再试$/),
        extensions: { code: 'STRAPI_RATE_LIMIT_ERROR', error: { name: 'RateLimitError' } },
      },
    ],
  });

  // Another account from another address is not affected.
  await aPerson(app, 'lim-bob', 'reader', null);
  const bob = await login('lim-bob', PASSWORD, '198.51.100.4');
  expect(bob.status).toBe(200);
});

test('the per-address limit counts failures across accounts (and both logins); a client-written X-Forwarded-For entry does not escape it', async () => {
  await aPerson(app, 'lim-carol', 'reader', null);
  const from = '198.51.100.20';
  for (let index = 0; index < ADDRESS_MAX - 1; index += 1) {
    const failed = await login(`lim-nobody-${index}`, 'wrong-password', from);
    expect([failed.status, failed.text]).toEqual([400, USER_FAILURE]);
  }
  const adminFailed = await adminLogin('lim-nobody-address@example.gov.cn', 'Wrong-pass-1', from);
  expect([adminFailed.status, adminFailed.text]).toEqual([400, ADMIN_FAILURE]);
  expect(await counts('address', from)).toBe(ADDRESS_MAX);

  expectRefused(await login('lim-carol', PASSWORD, from));
  expectRefused(await adminLogin('lim-nobody-address-2@example.gov.cn', ADMIN_PASSWORD, from));
  // One proxy appends the real address; what the client wrote before it is ignored (PROXY_HOPS=1).
  expectRefused(await login('lim-carol', PASSWORD, `203.0.113.99, ${from}`));
  // The same account from another address logs in.
  expect((await login('lim-carol', PASSWORD, '198.51.100.21')).status).toBe(200);
  // IPv6 addresses count by their /64.
  for (let host = 1; host <= ADDRESS_MAX; host += 1)
    await login(`lim-v6-${host}`, 'wrong-password', `2001:db8:77:1::${host.toString(16)}`);
  expectRefused(await login('lim-carol', PASSWORD, '2001:db8:77:1:ffff::1'));
  expect((await login('lim-carol', PASSWORD, '2001:db8:77:2::1')).status).toBe(200);
});

test('successful logins are not counted, and do not wipe earlier failures', async () => {
  await aPerson(app, 'lim-erin', 'reader', null);
  for (let index = 0; index < ACCOUNT_MAX - 1; index += 1)
    expect((await login('lim-erin', 'wrong-password', '198.51.100.30')).status).toBe(400);
  for (let index = 0; index < ADDRESS_MAX + 2; index += 1)
    expect((await login('lim-erin', PASSWORD, '198.51.100.30')).status).toBe(200);
  expect(await counts('user', 'lim-erin')).toBe(ACCOUNT_MAX - 1);
  expect(await counts('address', '198.51.100.30')).toBe(ACCOUNT_MAX - 1);
  expect((await login('lim-erin', 'wrong-password', '198.51.100.31')).status).toBe(400);
  expectRefused(await login('lim-erin', PASSWORD, '198.51.100.32'));
});

test('concurrent attempts cannot pass the limit together: exactly N passwords are compared', async () => {
  await aPerson(app, 'lim-fay', 'reader', null);
  const compared = jest.spyOn(userService(), 'validatePassword');
  const answers = await Promise.all(
    Array.from({ length: 12 }, (_, index) => login('lim-fay', 'wrong-password', `198.51.100.${100 + index}`)),
  );
  const statuses = answers.map((answer) => answer.status).sort((a, b) => a - b);
  expect(statuses).toEqual([
    ...Array.from({ length: ACCOUNT_MAX }, () => 400),
    ...Array.from({ length: 12 - ACCOUNT_MAX }, () => 429),
  ]);
  expect(compared).toHaveBeenCalledTimes(ACCOUNT_MAX);
  expect(await counts('user', 'lim-fay')).toBe(ACCOUNT_MAX);
});

test('GraphQL logins count on the same counter as REST ones', async () => {
  await aPerson(app, 'lim-gus', 'reader', null);
  // Several logins in one request: the first failure ends the request (login is non-null), so one attempt is counted.
  const several = await graphqlLogins(
    Array.from({ length: ACCOUNT_MAX + 2 }, (): [string, string] => ['lim-gus', 'wrong-password']),
    '198.51.100.40',
  );
  const errors = (several.body as { errors: { message: string; extensions: { code: string } }[] }).errors;
  expect(errors.map((error) => [error.message, error.extensions.code])).toEqual([
    ['Invalid identifier or password', 'BAD_USER_INPUT'],
  ]);
  expect(await counts('user', 'lim-gus')).toBe(1);
  for (let index = 1; index < ACCOUNT_MAX; index += 1) {
    const failed = await graphqlLogins([['lim-gus', 'wrong-password']], '198.51.100.40');
    expect((failed.body as { errors: { message: string }[] }).errors[0].message).toBe('Invalid identifier or password');
  }
  expect(await counts('user', 'lim-gus')).toBe(ACCOUNT_MAX);
  expectRefused(await login('lim-gus', PASSWORD, '198.51.100.41'));
});

test('an unknown account, a wrong password, a blocked and an unconfirmed account answer byte for byte the same, after one password comparison each', async () => {
  const dora = await aPerson(app, 'lim-dora', 'reader', null);
  const blocked = await aPerson(app, 'lim-blocked', 'reader', null);
  const unconfirmed = await aPerson(app, 'lim-unconfirmed', 'reader', null);
  await app.strapi.db
    .query('plugin::users-permissions.user')
    .update({ where: { id: blocked.id }, data: { blocked: true } });
  await app.strapi.db
    .query('plugin::users-permissions.user')
    .update({ where: { id: unconfirmed.id }, data: { confirmed: false } });
  const store = app.strapi.store({ type: 'plugin', name: 'users-permissions' });
  const advanced = (await store.get({ key: 'advanced' })) as Record<string, unknown>;
  await store.set({ key: 'advanced', value: { ...advanced, email_confirmation: true } });
  try {
    const compared = jest.spyOn(userService(), 'validatePassword');
    const cases: [string, string][] = [
      ['lim-nobody', PASSWORD],
      ['lim-nobody@example.gov.cn', 'wrong-password'],
      ['lim-dora', 'wrong-password'],
      ['lim-blocked', PASSWORD],
      ['lim-blocked', 'wrong-password'],
      ['lim-unconfirmed', PASSWORD],
    ];
    const answers: Answer[] = [];
    for (const [index, [identifier, password]] of cases.entries()) {
      answers.push(await login(identifier, password, `198.51.100.${50 + index}`));
      expect(compared).toHaveBeenCalledTimes(index + 1);
    }
    for (const answer of answers) {
      expect([answer.status, answer.text, answer.headers['content-type']]).toEqual([
        400,
        USER_FAILURE,
        answers[0].headers['content-type'],
      ]);
    }
    // The GraphQL login too.
    const graphql = await Promise.all(
      cases.map(([identifier, password], index) => graphqlLogins([[identifier, password]], `198.51.100.${60 + index}`)),
    );
    for (const answer of graphql) expect([answer.status, answer.text]).toEqual([graphql[0].status, graphql[0].text]);
    expect(graphql[0].text).toContain('Invalid identifier or password');
  } finally {
    await store.set({ key: 'advanced', value: advanced });
  }
  expect(dora.id).toBeGreaterThan(0);

  await aPerson(app, 'lim-tim', 'reader', null);
  // Similar timing: an unknown account costs a bcrypt comparison like a known one (medians of 3; loose bound).
  const time = async (identifier: string, from: string) => {
    const started = process.hrtime.bigint();
    await login(identifier, 'wrong-password', from);
    return Number(process.hrtime.bigint() - started) / 1e6;
  };
  const unknown: number[] = [];
  const wrong: number[] = [];
  for (let round = 0; round < 3; round += 1) {
    unknown.push(await time(`lim-nobody-timed-${round}`, `198.51.100.${70 + round}`));
    wrong.push(await time('lim-tim', `198.51.100.${80 + round}`));
  }
  console.log(
    `failed login, median ms: unknown account ${median(unknown).toFixed(1)}, wrong password ${median(wrong).toFixed(1)}`,
  );
  expect(median(unknown)).toBeGreaterThan(median(wrong) * 0.4);
});

test('the admin login: same answer for unknown, wrong and inactive; locked after N failures, also for the right password', async () => {
  await anAdmin('lim-editor@example.gov.cn');
  await anAdmin('lim-editor2@example.gov.cn');
  await anAdmin('lim-inactive@example.gov.cn', false);
  const compared = jest.spyOn(adminAuth(), 'validatePassword');
  const ok = await adminLogin('lim-editor@example.gov.cn', ADMIN_PASSWORD, '198.51.100.90');
  expect(ok.status).toBe(200);

  const same = [
    await adminLogin('lim-nobody@example.gov.cn', ADMIN_PASSWORD, '198.51.100.91'),
    await adminLogin('lim-editor2@example.gov.cn', 'Wrong-pass-1', '198.51.100.92'),
    await adminLogin('lim-inactive@example.gov.cn', ADMIN_PASSWORD, '198.51.100.93'),
    await adminLogin('lim-inactive@example.gov.cn', 'Wrong-pass-1', '198.51.100.94'),
  ];
  for (const answer of same) expect([answer.status, answer.text]).toEqual([400, ADMIN_FAILURE]);
  expect(compared).toHaveBeenCalledTimes(1 + same.length);

  for (const email of [
    'lim-editor@example.gov.cn',
    ' LIM-Editor@example.gov.cn',
    'lim-editor@example.gov.cn',
    'lim-editor@EXAMPLE.gov.cn',
  ]) {
    expect((await adminLogin(email, 'Wrong-pass-1', '198.51.100.95')).text).toBe(ADMIN_FAILURE);
  }
  expectRefused(await adminLogin('lim-editor@example.gov.cn', ADMIN_PASSWORD, '198.51.100.95'));
  expectRefused(await adminLogin('lim-editor@example.gov.cn', ADMIN_PASSWORD, '198.51.100.96'));
  expect(compared).toHaveBeenCalledTimes(1 + same.length + ACCOUNT_MAX);
  // The reader with the same name is another account; the other editor logs in.
  expect(await counts('admin', 'lim-editor@example.gov.cn')).toBe(ACCOUNT_MAX);
  expect((await adminLogin('lim-editor2@example.gov.cn', ADMIN_PASSWORD, '198.51.100.97')).status).toBe(200);
});

test('two app processes on one database share the counters', async () => {
  await aPerson(app, 'lim-hal', 'reader', null);
  for (let index = 0; index < ACCOUNT_MAX; index += 1) {
    const failed =
      index % 2 === 0
        ? await login('lim-hal', 'wrong-password', '198.51.100.110')
        : await login('lim-hal', 'wrong-password', null, secondHttp());
    expect([failed.status, failed.text]).toEqual([400, USER_FAILURE]);
  }
  // Each process alone saw N/2 failures; together they are N.
  expectRefused(await login('lim-hal', PASSWORD, null, secondHttp()));
  expectRefused(await login('lim-hal', PASSWORD, '198.51.100.111'));
  // The admin login of the second process too.
  await anAdmin('lim-ida@example.gov.cn');
  for (let index = 0; index < ACCOUNT_MAX; index += 1) {
    const failed =
      index % 2 === 0
        ? await adminLogin('lim-ida@example.gov.cn', 'Wrong-pass-1', '198.51.100.112')
        : ((await secondHttp()
            .post('/admin/login')
            .send({ email: 'lim-ida@example.gov.cn', password: 'Wrong-pass-1' })) as unknown as Answer);
    expect(failed.status).toBe(400);
  }
  expectRefused(
    await secondHttp().post('/admin/login').send({ email: 'lim-ida@example.gov.cn', password: ADMIN_PASSWORD }),
  );
  // The second process's start-up deleted the counter of a window that had ended.
  expect(expiredRowAfterSecondStart).toBeNull();
});

test("without IS_PROXIED, X-Forwarded-For is ignored: the address is the connection's", async () => {
  // The second process trusts no proxy: different X-Forwarded-For values are one address, 127.0.0.1.
  try {
    await app.strapi.db.connection.raw(
      "DELETE FROM bulletin_login_attempts WHERE scope = 'address' AND subject = '127.0.0.1'",
    );
    for (let index = 0; index < ADDRESS_MAX; index += 1) {
      const failed = await secondHttp()
        .post('/api/auth/local')
        .set('X-Forwarded-For', `192.0.2.${index + 1}`)
        .send({ identifier: `lim-noproxy-${index}`, password: 'x-wrong' });
      expect(failed.status).toBe(400);
    }
    expect(await counts('address', '127.0.0.1')).toBe(ADDRESS_MAX);
    expectRefused(
      await secondHttp()
        .post('/api/auth/local')
        .set('X-Forwarded-For', '192.0.2.200')
        .send({ identifier: 'lim-noproxy-x', password: 'x' }),
    );
  } finally {
    await app.strapi.db.connection.raw(
      "DELETE FROM bulletin_login_attempts WHERE scope = 'address' AND subject = '127.0.0.1'",
    );
  }
});

test('on PostgreSQL the statements agree with the domain, and concurrent counting is atomic', async () => {
  const db = app.strapi.db.connection as unknown as RawConnection;
  const now = Date.now();
  const window = windowOf(now, SETTINGS.windowMs);
  const counters = countersFor('user', ' LIM-SQL ', '::ffff:192.0.2.250', SETTINGS);
  const decisions: boolean[] = [];
  for (let attempt = 1; attempt <= ACCOUNT_MAX + 1; attempt += 1) {
    const counted = await reserve(db, counters, window);
    expect(counted).toEqual([
      { scope: 'user', attempts: attempt },
      { scope: 'address', attempts: attempt },
    ]);
    decisions.push(decide(counted, SETTINGS, now).allowed);
  }
  expect(decisions).toEqual([...Array.from({ length: ACCOUNT_MAX }, () => true), false]);
  await refund(db, counters, window);
  expect(await counts('user', 'lim-sql')).toBe(ACCOUNT_MAX);
  expect(await counts('address', '192.0.2.250')).toBe(ACCOUNT_MAX);

  // 40 reservations at once on one counter: each gets its own count, 1 … 40.
  const race = countersFor('admin', 'lim-race@example.gov.cn', '192.0.2.251', { ...SETTINGS, addressMax: 0 });
  const counted = await Promise.all(Array.from({ length: 40 }, () => reserve(db, race, window)));
  expect(counted.map(([counter]) => counter.attempts).sort((a, b) => a - b)).toEqual(
    Array.from({ length: 40 }, (_, index) => index + 1),
  );

  // Clean-up deletes the rows of ended windows only.
  await deleteExpired(db, window.end - 1);
  expect(await counts('admin', 'lim-race@example.gov.cn')).toBe(40);
  await app.strapi.db.connection.raw('UPDATE bulletin_login_attempts SET expires_at = ? WHERE subject = ?', [
    now - 1,
    'lim-race@example.gov.cn',
  ]);
  await deleteExpired(db, now);
  expect(await counts('admin', 'lim-race@example.gov.cn')).toBeNull();
  expect(await counts('user', 'lim-sql')).toBe(ACCOUNT_MAX);
});
