import path from 'path';
import knexFactory, { type Knex } from 'knex';
import {
  countersFor,
  decide,
  isExpired,
  keepsReservation,
  loginLimitSettings,
  normaliseAddress,
  normaliseIdentifier,
  refusalMessage,
  windowOf,
  DEFAULT_LOGIN_LIMITS,
  type Counted,
  type LoginLimitSettings,
} from '../../src/domain/login-limits';
import {
  deleteExpired,
  refund,
  reserve,
  reserveStatement,
  CLEANUP_STATEMENT,
  REFUND_STATEMENT,
  type RawConnection,
} from '../../src/strapi/login-limits';

const MINUTE = 60_000;
const settings: LoginLimitSettings = { accountMax: 3, addressMax: 5, windowMs: 15 * MINUTE };

describe('settings', () => {
  test('defaults: 10 per account, 50 per address, 15 minutes', () => {
    expect(loginLimitSettings({})).toEqual({ accountMax: 10, addressMax: 50, windowMs: 15 * MINUTE });
    expect(DEFAULT_LOGIN_LIMITS).toEqual(loginLimitSettings({}));
  });

  test.each([
    [{ BULLETIN_LOGIN_ACCOUNT_MAX: '5' }, { accountMax: 5, addressMax: 50, windowMs: 15 * MINUTE }],
    [{ BULLETIN_LOGIN_ADDRESS_MAX: '0' }, { accountMax: 10, addressMax: 0, windowMs: 15 * MINUTE }],
    [{ BULLETIN_LOGIN_WINDOW_MINUTES: '60' }, { accountMax: 10, addressMax: 50, windowMs: 60 * MINUTE }],
    [{ BULLETIN_LOGIN_WINDOW_MINUTES: '0.5' }, { accountMax: 10, addressMax: 50, windowMs: 30_000 }],
    [
      { BULLETIN_LOGIN_ACCOUNT_MAX: ' 7 ', BULLETIN_LOGIN_WINDOW_MINUTES: '' },
      { accountMax: 7, addressMax: 50, windowMs: 15 * MINUTE },
    ],
  ])('%j', (env, expected) => {
    expect(loginLimitSettings(env)).toEqual(expected);
  });

  test.each([
    [{ BULLETIN_LOGIN_ACCOUNT_MAX: 'ten' }, 'BULLETIN_LOGIN_ACCOUNT_MAX'],
    [{ BULLETIN_LOGIN_ACCOUNT_MAX: '-1' }, 'BULLETIN_LOGIN_ACCOUNT_MAX'],
    [{ BULLETIN_LOGIN_ADDRESS_MAX: '2.5' }, 'BULLETIN_LOGIN_ADDRESS_MAX'],
    [{ BULLETIN_LOGIN_WINDOW_MINUTES: '0' }, 'BULLETIN_LOGIN_WINDOW_MINUTES'],
    [{ BULLETIN_LOGIN_WINDOW_MINUTES: 'soon' }, 'BULLETIN_LOGIN_WINDOW_MINUTES'],
  ])('%j is refused, naming the variable', (env, name) => {
    expect(() => loginLimitSettings(env)).toThrow(name);
  });
});

describe('keys', () => {
  test.each([
    ['Reader@Example.GOV.cn', 'reader@example.gov.cn'],
    ['  alice\t', 'alice'],
    ['李明', '李明'],
    ['', null],
    ['   ', null],
    [undefined, null],
    [42, null],
    [{ $ne: 'x' }, null],
  ])('identifier %j → %j', (raw, expected) => {
    expect(normaliseIdentifier(raw)).toBe(expected);
  });

  test('a very long identifier is cut to 200 characters', () => {
    expect(normaliseIdentifier('a'.repeat(5000))).toBe('a'.repeat(200));
  });

  test.each([
    ['203.0.113.7', '203.0.113.7'],
    ['::ffff:203.0.113.7', '203.0.113.7'],
    ['::FFFF:127.0.0.1', '127.0.0.1'],
    ['2001:db8:1:2:3:4:5:6', '2001:db8:1:2::/64'],
    ['2001:db8:1:2::99', '2001:db8:1:2::/64'],
    ['2001:DB8:1:2:ffff:ffff:ffff:ffff', '2001:db8:1:2::/64'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['fe80::1%eth0', 'fe80:0:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
    ['not an address', 'not an address'],
    ['', 'unknown'],
  ])('address %s → %s', (raw, expected) => {
    expect(normaliseAddress(raw)).toBe(expected);
  });

  test('counters: the account by kind, the address shared; a limit set to 0 has no counter', () => {
    expect(countersFor('user', ' Bob ', '::ffff:10.0.0.1', settings)).toEqual([
      { scope: 'user', subject: 'bob' },
      { scope: 'address', subject: '10.0.0.1' },
    ]);
    expect(countersFor('admin', 'Bob@x.cn', '10.0.0.1', settings)).toEqual([
      { scope: 'admin', subject: 'bob@x.cn' },
      { scope: 'address', subject: '10.0.0.1' },
    ]);
    expect(countersFor('user', undefined, '10.0.0.1', settings)).toEqual([{ scope: 'address', subject: '10.0.0.1' }]);
    expect(countersFor('user', 'bob', '10.0.0.1', { ...settings, addressMax: 0 })).toEqual([
      { scope: 'user', subject: 'bob' },
    ]);
    expect(countersFor('user', 'bob', '10.0.0.1', { ...settings, accountMax: 0, addressMax: 0 })).toEqual([]);
  });
});

describe('windows and decisions', () => {
  const t0 = Date.UTC(2026, 10, 29, 8, 0, 0); // a multiple of 15 minutes

  test.each([
    [t0, t0, t0 + 15 * MINUTE],
    [t0 + 1, t0, t0 + 15 * MINUTE],
    [t0 + 15 * MINUTE - 1, t0, t0 + 15 * MINUTE],
    [t0 + 15 * MINUTE, t0 + 15 * MINUTE, t0 + 30 * MINUTE],
  ])('window of %i', (now, start, end) => {
    expect(windowOf(now, 15 * MINUTE)).toEqual({ start, end });
  });

  const at = (scopeCounts: [Counted['scope'], number][]): Counted[] =>
    scopeCounts.map(([scope, attempts]) => ({ scope, attempts }));

  const off = { ...settings, accountMax: 0 };
  test.each([
    [
      'first attempt',
      settings,
      at([
        ['user', 1],
        ['address', 1],
      ]),
      t0,
      null,
    ],
    [
      'the limit-th attempt still verifies',
      settings,
      at([
        ['user', 3],
        ['address', 3],
      ]),
      t0,
      null,
    ],
    [
      'one over the account limit',
      settings,
      at([
        ['user', 4],
        ['address', 4],
      ]),
      t0 + 5 * MINUTE,
      { scopes: ['user'], retryAfterSeconds: 600, message: '登录尝试过于频繁，请 10 分钟后再试' },
    ],
    [
      'one over the address limit',
      settings,
      at([
        ['admin', 1],
        ['address', 6],
      ]),
      t0 + 14 * MINUTE + 30_000,
      { scopes: ['address'], retryAfterSeconds: 30, message: '登录尝试过于频繁，请 1 分钟后再试' },
    ],
    [
      'over both',
      settings,
      at([
        ['user', 9],
        ['address', 9],
      ]),
      t0 + 1,
      { scopes: ['user', 'address'], retryAfterSeconds: 900, message: '登录尝试过于频繁，请 15 分钟后再试' },
    ],
    [
      'the last millisecond of a window',
      settings,
      at([['user', 4]]),
      t0 + 15 * MINUTE - 1,
      { scopes: ['user'], retryAfterSeconds: 1, message: '登录尝试过于频繁，请 1 分钟后再试' },
    ],
    [
      'a limit switched off (0)',
      off,
      at([
        ['user', 400],
        ['address', 2],
      ]),
      t0,
      null,
    ],
  ])('%s', (_case, limits, counted, now, refused) => {
    expect(decide(counted, limits, now)).toEqual(refused === null ? { allowed: true } : { allowed: false, ...refused });
  });

  test.each([
    [1, '登录尝试过于频繁，请 1 分钟后再试'],
    [60, '登录尝试过于频繁，请 1 分钟后再试'],
    [61, '登录尝试过于频繁，请 2 分钟后再试'],
    [900, '登录尝试过于频繁，请 15 分钟后再试'],
  ])('%i s to wait: %s', (seconds, message) => {
    expect(refusalMessage(seconds)).toBe(message);
  });

  test.each([
    [200, false],
    [400, true],
    [401, true],
    [403, true],
    [429, false],
    [500, false],
    [501, false],
  ])('an answer %i keeps its reservation: %s', (status, kept) => {
    expect(keepsReservation(status)).toBe(kept);
  });
});

/**
 * The statements of src/strapi/login-limits.ts, run on SQLite (the zero-set-up database) against the migration's
 * table, agree with the domain: counts 1, 2, 3 … per counter and window, refusals where `decide` says, refunds give
 * back exactly one attempt, clean-up deletes exactly the rows `isExpired` names. (The same on PostgreSQL:
 * tests/integration/login-limits.test.ts.)
 */
describe('the SQL agrees with the domain (SQLite)', () => {
  let db: Knex;
  let raw: RawConnection;

  beforeAll(async () => {
    db = knexFactory({ client: 'better-sqlite3', connection: { filename: ':memory:' }, useNullAsDefault: true });
    raw = { raw: (sql, bindings) => db.raw(sql, bindings) };
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a migration is a plain CommonJS file Strapi loads by path, so the test loads it the same way
    const migration = require(
      path.resolve(__dirname, '../../database/migrations/2026.11.29T00.00.00.bulletin-login-attempts.js'),
    ) as {
      up: (knex: Knex) => Promise<void>;
    };
    await db.transaction((trx) => migration.up(trx));
    await db.transaction((trx) => migration.up(trx)); // idempotent
  });
  afterAll(async () => {
    await db.destroy();
  });

  const rows = () =>
    db('bulletin_login_attempts')
      .select('scope', 'subject', 'window_start', 'expires_at', 'attempts')
      .orderBy(['scope', 'subject', 'window_start']);

  test('statement texts', () => {
    expect(reserveStatement(2)).toBe(
      'INSERT INTO bulletin_login_attempts (scope, subject, window_start, expires_at, attempts) VALUES (?, ?, ?, ?, 1), (?, ?, ?, ?, 1) ' +
        'ON CONFLICT (scope, subject, window_start) DO UPDATE SET attempts = bulletin_login_attempts.attempts + 1 RETURNING scope, attempts',
    );
    expect(REFUND_STATEMENT).toContain('attempts = attempts - 1');
    expect(CLEANUP_STATEMENT).toBe('DELETE FROM bulletin_login_attempts WHERE expires_at <= ?');
  });

  test('counts, decisions, refunds and windows', async () => {
    const t0 = Date.UTC(2026, 10, 29, 8, 0, 0);
    const window = windowOf(t0 + MINUTE, settings.windowMs);
    const counters = countersFor('user', 'Carol', '10.0.0.9', settings);
    const decisions: boolean[] = [];
    for (let attempt = 1; attempt <= 5; attempt += 1) {
      const counted = await reserve(raw, counters, window);
      expect(counted).toEqual([
        { scope: 'user', attempts: attempt },
        { scope: 'address', attempts: attempt },
      ]);
      decisions.push(decide(counted, settings, t0 + MINUTE).allowed);
    }
    // accountMax 3: the fourth and fifth are refused, as the domain says of counts 4 and 5.
    expect(decisions).toEqual([true, true, true, false, false]);

    await refund(raw, counters, window);
    await refund(raw, counters, window);
    expect(await rows()).toEqual([
      { scope: 'address', subject: '10.0.0.9', window_start: window.start, expires_at: window.end, attempts: 3 },
      { scope: 'user', subject: 'carol', window_start: window.start, expires_at: window.end, attempts: 3 },
    ]);

    // Another account from the same address: its own counter from 1, the address's goes on; over 5 at the address.
    const dave = countersFor('admin', 'dave@x.cn', '::ffff:10.0.0.9', settings);
    expect(await reserve(raw, dave, window)).toEqual([
      { scope: 'admin', attempts: 1 },
      { scope: 'address', attempts: 4 },
    ]);
    await reserve(raw, dave, window);
    const third = await reserve(raw, dave, window);
    expect(third).toEqual([
      { scope: 'admin', attempts: 3 },
      { scope: 'address', attempts: 6 },
    ]);
    expect(decide(third, settings, t0 + MINUTE)).toMatchObject({ allowed: false, scopes: ['address'] });

    // The next window starts again at 1.
    const next = windowOf(window.end, settings.windowMs);
    expect(await reserve(raw, counters, next)).toEqual([
      { scope: 'user', attempts: 1 },
      { scope: 'address', attempts: 1 },
    ]);

    // A refund never goes below 0.
    const eve = countersFor('user', 'eve', '10.0.0.10', settings);
    await refund(raw, eve, window);
    expect((await rows()).filter((row) => row.subject === 'eve')).toEqual([]);

    // Clean-up at the end of the first window deletes exactly its rows.
    const before = await rows();
    await deleteExpired(raw, window.end);
    const after = await rows();
    expect(after).toEqual(before.filter((row) => !isExpired(Number(row.expires_at), window.end)));
    expect(after.map((row) => row.window_start)).toEqual([next.start, next.start]);
  });
});
