import {
  DEFAULT_DATABASE_TIMEOUTS,
  databaseFault,
  healthAnswer,
  isDatabaseUnavailable,
  resolveDatabaseTimeouts,
  unavailableBody,
  unavailableGraphqlBody,
  type DatabaseTimeouts,
} from '../../src/domain/database-faults';
import { TIMEOUT_VARIABLES, databaseTimeouts } from '../../src/domain/database-timeouts';

const withCode = (code: string, message = 'failed') => Object.assign(new Error(message), { code });
const named = (name: string, message: string) => Object.assign(new Error(message), { name });

test.each([
  // Node's sockets
  ['connection refused', withCode('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432'), 'refused'],
  ['host unreachable', withCode('EHOSTUNREACH'), 'refused'],
  ['name not resolved (DNS down)', withCode('EAI_AGAIN'), 'refused'],
  ['connection reset', withCode('ECONNRESET', 'read ECONNRESET'), 'lost'],
  ['broken pipe', withCode('EPIPE'), 'lost'],
  ['TCP timeout', withCode('ETIMEDOUT'), 'timeout'],
  // PostgreSQL
  ['57P01 administrator shutdown', withCode('57P01', 'terminating connection due to administrator command'), 'lost'],
  ['57P02 crash shutdown', withCode('57P02'), 'lost'],
  ['57P03 cannot connect now (starting up)', withCode('57P03', 'the database system is starting up'), 'refused'],
  ['53300 too many connections', withCode('53300'), 'refused'],
  ['08006 connection failure', withCode('08006'), 'lost'],
  ['08P01 protocol violation (class 08)', withCode('08P01'), 'lost'],
  ['57014 statement timeout', withCode('57014', 'canceling statement due to statement timeout'), 'timeout'],
  // node-postgres and knex, without a code
  ['pg: terminated unexpectedly', new Error('Connection terminated unexpectedly'), 'lost'],
  ['pg: connect timeout', new Error('Connection terminated due to connection timeout'), 'timeout'],
  ['pg: query timeout', new Error('Query read timeout'), 'timeout'],
  ['pg: client not queryable', new Error('Client has encountered a connection error and is not queryable'), 'lost'],
  [
    'knex prefixes the SQL',
    new Error('select "t0".* from "issues" as "t0" limit $1 - Connection terminated unexpectedly'),
    'lost',
  ],
  [
    'knex: timeout acquiring a connection',
    named(
      'KnexTimeoutError',
      'Knex: Timeout acquiring a connection. The pool is probably full. Are you missing a .transacting(trx) call?',
    ),
    'timeout',
  ],
  [
    'knex: the same message under another name',
    new Error('Knex: Timeout acquiring a connection. The pool is probably full.'),
    'timeout',
  ],
  ['knex: pool gone', new Error('Unable to acquire a connection'), 'refused'],
  // where the error hides
  ['in the cause', Object.assign(new Error('write failed'), { cause: withCode('ECONNRESET') }), 'lost'],
  // What net gives for a name with two addresses, both refused (AggregateError: `errors`, and the code only inside)
  [
    'in an AggregateError (both addresses refused)',
    Object.assign(new Error(''), {
      name: 'AggregateError',
      errors: [withCode('ECONNREFUSED'), withCode('ECONNREFUSED')],
    }),
    'refused',
  ],
  [
    'in a GraphQL error',
    Object.assign(new Error('Internal Server Error'), { originalError: withCode('57P01') }),
    'lost',
  ],
])('unavailable: %s', (_case, error, fault) => {
  expect(databaseFault(error)).toBe(fault);
  expect(isDatabaseUnavailable(error)).toBe(true);
});

test.each([
  ['a unique violation', withCode('23505', 'duplicate key value violates unique constraint')],
  ['a not-null violation', withCode('23502')],
  ['a syntax error', withCode('42601')],
  ['a validation error', named('ValidationError', '期号 14 已被占用')],
  ["another library's TimeoutError (the PDF browser)", named('TimeoutError', 'page.pdf: Timeout 30000ms exceeded')],
  [
    'the text inside a value of the SQL',
    new Error(`insert into "items" ("headline") values ('Connection terminated unexpectedly 通报') - duplicate key`),
  ],
  ['a message that only starts like one', new Error('Connection terminated unexpectedly, then retried and written')],
  ['a plain bug', new TypeError("Cannot read properties of undefined (reading 'id')")],
  ['not an error at all', 'ECONNREFUSED'],
  ['null', null],
  ['undefined', undefined],
  ['a number', 57],
])('not unavailable: %s', (_case, error) => {
  expect(databaseFault(error)).toBeNull();
});

test('a cycle of causes ends', () => {
  const a = new Error('a');
  const b = Object.assign(new Error('b'), { cause: a });
  Object.assign(a, { cause: b });
  expect(databaseFault(a)).toBeNull();
  Object.assign(b, { errors: [withCode('ECONNRESET')] });
  expect(databaseFault(a)).toBe('lost');
});

test('the 503 answers: Strapi error shape, and a GraphQL error coded SERVICE_UNAVAILABLE', () => {
  expect(unavailableBody()).toEqual({
    data: null,
    error: { status: 503, name: 'ServiceUnavailableError', message: '数据库暂时无法连接，请稍后重试', details: {} },
  });
  expect(unavailableGraphqlBody()).toEqual({
    errors: [
      {
        message: '数据库暂时无法连接，请稍后重试',
        extensions: {
          code: 'SERVICE_UNAVAILABLE',
          error: { name: 'ServiceUnavailableError', message: '数据库暂时无法连接，请稍后重试', details: {} },
        },
      },
    ],
  });
});

test.each([
  ['the database answered', { reachable: true } as const, 200, { status: 'ok', database: 'up' }],
  ['refused', { reachable: false, fault: 'refused' } as const, 503, { status: 'unavailable', database: 'down' }],
  [
    'no answer in time',
    { reachable: false, fault: 'timeout' } as const,
    503,
    { status: 'unavailable', database: 'down' },
  ],
  ['another error', { reachable: false, fault: 'error' } as const, 503, { status: 'unavailable', database: 'down' }],
])('health: %s', (_case, probe, status, body) => {
  expect(healthAnswer(probe)).toEqual({ status, body });
});

const names = TIMEOUT_VARIABLES;
const timeoutsOf = (settings: Parameters<typeof resolveDatabaseTimeouts>[0]): DatabaseTimeouts => {
  const resolved = resolveDatabaseTimeouts(settings, names);
  if ('problems' in resolved) throw new Error(resolved.problems.join('; '));
  return resolved.timeouts;
};

test('timeouts: the defaults bound every wait, the app waits a little longer for an answer than the server allows', () => {
  expect(timeoutsOf({})).toEqual({ ...DEFAULT_DATABASE_TIMEOUTS, query: 35000 });
  expect(timeoutsOf({}).acquire).toBe(10000);
  expect(timeoutsOf({ statement: 8000 }).query).toBe(13000);
  expect(timeoutsOf({ statement: 0 }).query).toBe(40000);
  expect(timeoutsOf({ statement: 8000, query: 3000 }).query).toBe(3000);
  expect(timeoutsOf({ keepAliveDelay: 0, idleInTransaction: 0 })).toMatchObject({
    keepAliveDelay: 0,
    idleInTransaction: 0,
  });
});

test.each([
  ['no wait for a connection at all', { acquire: 0 }, /DATABASE_CONNECTION_TIMEOUT must be .* greater than 0, not 0/],
  ['a fraction', { connect: 1.5 }, /DATABASE_CONNECT_TIMEOUT must be a whole number/],
  ['negative', { statement: -1 }, /DATABASE_STATEMENT_TIMEOUT .*\(0 = off\), not -1/],
  ['no limit on an answer', { query: 0 }, /DATABASE_QUERY_TIMEOUT must be .* greater than 0/],
  ['a health check that may hang', { health: 0 }, /HEALTH_CHECK_TIMEOUT/],
  [
    'connecting longer than anyone waits',
    { acquire: 3000, connect: 5000 },
    /DATABASE_CONNECT_TIMEOUT \(5000\) must not exceed DATABASE_CONNECTION_TIMEOUT \(3000\)/,
  ],
])('timeouts refused: %s', (_case, settings, message) => {
  const resolved = resolveDatabaseTimeouts(settings, names);
  expect('problems' in resolved && resolved.problems.join('; ')).toMatch(message);
});

test('timeouts from the environment: unset or empty is the default; anything but digits stops the start, naming the variable', () => {
  expect(databaseTimeouts({})).toEqual(timeoutsOf({}));
  expect(databaseTimeouts({ DATABASE_CONNECTION_TIMEOUT: '', DATABASE_STATEMENT_TIMEOUT: ' 20000 ' })).toMatchObject({
    acquire: 10000,
    statement: 20000,
    query: 25000,
  });
  expect(() => databaseTimeouts({ DATABASE_CONNECTION_TIMEOUT: '10s' })).toThrow(
    'DATABASE_CONNECTION_TIMEOUT must be a whole number of milliseconds, not "10s"',
  );
  expect(() => databaseTimeouts({ DATABASE_CONNECTION_TIMEOUT: '0' })).toThrow(/DATABASE_CONNECTION_TIMEOUT/);
});
