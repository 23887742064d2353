import fc from 'fast-check';
import {
  dataViolations,
  fieldRule,
  filterViolations,
  pagingViolations,
  rulesFromSchemas,
  scalarProblem,
  takenAsId,
  textProblem,
  type Rules,
} from '../../src/domain/validity';

/** A hand-written pair of schemas (not the app's): an issue with a repeatable component, and an item. */
const rules: Rules = rulesFromSchemas({
  'api::issue.issue': {
    attributes: {
      publication: { type: 'string', maxLength: 40 },
      edition: { type: 'enumeration', enum: ['regular', 'supplement'] },
      number: { type: 'integer' },
      big: { type: 'biginteger' },
      ratio: { type: 'float' },
      date: { type: 'date' },
      signedAt: { type: 'datetime' },
      record: { type: 'json' },
      active: { type: 'boolean' },
      items: { type: 'relation', relation: 'oneToMany', target: 'api::item.item' },
      issuer: { type: 'relation', relation: 'manyToOne', target: 'api::unit.unit' },
      sendTo: { type: 'component', repeatable: true, component: 'bulletin.recipient' },
    },
  },
  'api::item.item': { attributes: { headline: { type: 'string' }, position: { type: 'integer' } } },
  'bulletin.recipient': {
    attributes: {
      label: { type: 'string' },
      group: { type: 'relation', relation: 'oneToOne', target: 'api::group.group' },
    },
  },
});
const ISSUE = 'api::issue.issue';
const paths = (violations: { path: string[] }[]) => violations.map((violation) => violation.path.join('.'));

test('rules follow the schema: kinds, enumeration values, relation sides, repeatable components', () => {
  expect(fieldRule({ type: 'richtext' })).toEqual({ kind: 'text' });
  expect(fieldRule({ type: 'relation', relation: 'manyToMany', target: 'x' })).toEqual({
    kind: 'relation',
    many: true,
    target: 'x',
  });
  expect(fieldRule({ type: 'relation', relation: 'manyToOne', target: 'x' })).toEqual({
    kind: 'relation',
    many: false,
    target: 'x',
  });
  expect(fieldRule({ type: 'component', repeatable: true, component: 'c' })).toEqual({
    kind: 'component',
    many: true,
    target: 'c',
  });
  expect(rules[ISSUE]?.edition).toEqual({ kind: 'enumeration', values: ['regular', 'supplement'] });
});

test.each([
  ['a\u0000b', '不能包含空字符（NUL）'],
  ['\uD800', '包含无效的 Unicode 字符（孤立的代理项）'],
  ['x\uDC00', '包含无效的 Unicode 字符（孤立的代理项）'],
  ['😀 上街信息 \u0001', null],
])('textProblem(%p) → %p', (value, expected) => {
  expect(textProblem(value)).toBe(expected);
});

test.each([
  [{ number: 2147483647 }, []],
  [{ number: 2147483648 }, ['number']],
  [{ number: -2147483649 }, ['number']],
  [{ number: '1'.repeat(40) }, ['number']],
  [{ number: 1e308 }, ['number']],
  [{ number: '14' }, []],
  [{ big: '9223372036854775807' }, []],
  [{ big: '9223372036854775808' }, ['big']],
  [{ ratio: 1e308 }, ['ratio']],
  [{ ratio: 0.5 }, []],
  [{ date: '2020-02-30' }, ['date']],
  [{ date: '2020-02-19' }, []],
  [{ signedAt: '2020-02-19T10:00:00+08:00' }, []],
  [{ signedAt: 'yesterday' }, ['signedAt']],
  [{ record: { deep: ['\u0000'] } }, ['record']],
  [{ active: 'maybe' }, ['active']],
  [{ edition: 'nope' }, ['edition']],
  [{ publication: 5 }, ['publication']],
  [{ publication: null, number: null }, []],
  [{ items: [1, 'doc1', { documentId: 'doc2' }] }, []],
  [{ items: { connect: [{ id: 1, position: { before: 'doc2' } }], disconnect: [{ documentId: 'doc3' }] } }, []],
  [{ items: true }, ['items']],
  [{ items: [1e308] }, ['items']],
  [{ items: { connect: [{ id: true }] } }, ['items']],
  [{ items: { connect: [{ id: 1, position: { before: true } }] } }, ['items']],
  [{ items: { disconnect: [{ id: 1, position: { end: true } }] } }, ['items']],
  [{ items: { set: { a: 1 } } }, ['items']],
  [{ items: { push: [1] } }, ['items']],
  [{ items: { count: 2 }, issuer: { count: 1 } }, []],
  [
    { items: { connect: [{ id: 1, documentId: 'd', __temp_key__: 'a0', label: '标题', position: { end: true } }] } },
    [],
  ],
  [{ issuer: 0 }, ['issuer']],
  [{ issuer: 'a\u0000b' }, ['issuer']],
  // Strings Strapi takes as a row id (parseInt reads a number from them) must be a plain positive 32-bit integer:
  // they reach the database as they are, and a failing query there once left a request waiting for good.
  [{ issuer: '12' }, []],
  [{ issuer: '2147483647' }, []],
  [{ issuer: '2147483648' }, ['issuer']],
  [{ issuer: '-4936781948068424102182254076093981287420387750412014165300104655352002157041' }, ['issuer']],
  [{ issuer: '-5' }, ['issuer']],
  [{ issuer: '12abc' }, ['issuer']],
  [{ issuer: ' 7' }, ['issuer']],
  [{ issuer: '1.5' }, ['issuer']],
  [{ items: ['3x'] }, ['items']],
  [{ items: { connect: [{ id: '9abc' }] } }, ['items']],
  [{ items: { set: ['1e5'] } }, ['items']],
  [{ items: { connect: [{ id: 1, position: { before: '-1' } }] } }, ['items']],
  [{ issuer: 'abc12' }, []],
  [{ sendTo: 'x' }, ['sendTo']],
  [{ sendTo: [{ group: 1e308 }, { label: '\u0000' }] }, ['sendTo.0.group', 'sendTo.1.label']],
  [{ sendTo: [{ id: 3, group: 'doc' }] }, []],
  [{ unknownField: '\u0000' }, []],
])('dataViolations(%p) → %p', (data, expected) => {
  expect(paths(dataViolations(rules, ISSUE, data))).toEqual(expected);
});

test.each([
  [{ number: { $eq: 'abc' } }, ['filters.number.$eq']],
  [{ number: { $in: ['1', 'x'] } }, ['filters.number.$in']],
  [{ number: { $between: ['1', '2'] } }, []],
  [{ date: { $lt: '2020-13-45' } }, ['filters.date.$lt']],
  [{ publication: { $containsi: '\u0000' } }, ['filters.publication.$containsi']],
  [{ publication: { $containsi: '上街' } }, []],
  [{ active: { $eq: 'maybe' } }, ['filters.active.$eq']],
  [{ id: { $eq: '99999999999' } }, ['filters.id.$eq']],
  [{ number: { $null: 'maybe' } }, ['filters.number.$null']],
  [{ $or: [{ number: { $eq: 'x' } }, { date: { $eq: '2020-01-01' } }] }, ['filters.$or.0.number.$eq']],
  [{ items: { position: { $gt: 'x' } } }, ['filters.items.position.$gt']],
  [{ issuer: { $eq: 'abc' } }, ['filters.issuer.$eq']],
  [{ issuer: { $between: ['1', '2'] } }, ['filters.issuer']],
  [{ issuer: { $in: ['1', '2'] } }, []],
  [{ number: 14 }, []],
  [{ number: 'x' }, ['filters.number']],
])('filterViolations(%p) → %p', (filters, expected) => {
  expect(paths(filterViolations(rules, ISSUE, filters))).toEqual(expected);
});

test('paging values become LIMIT / OFFSET only when they are whole numbers in range', () => {
  expect(paths(pagingViolations({ pagination: { page: '1e308', pageSize: -1 }, start: 'abc' }))).toEqual([
    'pagination.page',
    'pagination.pageSize',
    'start',
  ]);
  expect(pagingViolations({ pagination: { page: '2', pageSize: 25 }, limit: -1 })).toEqual([]);
});

describe('properties', () => {
  test('every 32-bit integer fits an integer field, and no other whole number does', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(BigInt(2) ** BigInt(40)), max: BigInt(2) ** BigInt(40) }), (value) => {
        const fits = value >= -(BigInt(2) ** BigInt(31)) && value < BigInt(2) ** BigInt(31);
        return (scalarProblem({ kind: 'integer' }, value.toString()) === null) === fits;
      }),
      { numRuns: 2000 },
    );
  });

  test('a relation string Strapi reads as a row id passes exactly when it is a positive 32-bit integer written plainly', () => {
    const numberLike = fc.oneof(
      fc.bigInt({ min: -(BigInt(2) ** BigInt(80)), max: BigInt(2) ** BigInt(80) }).map(String),
      fc
        .tuple(fc.constantFrom('', ' ', '+', '-', '0', '00'), fc.nat(), fc.string({ maxLength: 4 }))
        .map(([before, digits, after]) => `${before}${digits}${after}`),
    );
    fc.assert(
      fc.property(numberLike, (value) => {
        const plainId = /^\d+$/.test(value) && BigInt(value) >= BigInt(1) && BigInt(value) < BigInt(2) ** BigInt(31);
        const passes = dataViolations(rules, ISSUE, { issuer: value }).length === 0;
        // Strings Strapi takes as documentIds (not number-like) are out of this property's reach.
        return !takenAsId(value) || passes === plainId;
      }),
      { numRuns: 3000 },
    );
  });

  test('a string is storable text exactly when it has no NUL and no lone surrogate', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.constantFrom('', '\u0000', '\uD800', '\uDFFF'), (text, extra) => {
        const value = `${text}${extra}`;
        const wellFormed = !value.includes('\u0000') && Buffer.from(value, 'utf8').toString('utf8') === value;
        return (textProblem(value) === null) === wellFormed;
      }),
      { numRuns: 2000 },
    );
  });

  test('any JSON value in a write either passes or is refused naming a field of the type: never anything else', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...Object.keys(rules[ISSUE] ?? {})),
        fc.jsonValue({ maxDepth: 3 }),
        (field, value) => {
          const violations = dataViolations(rules, ISSUE, { [field]: value });
          return violations.every((violation) => violation.path[0] === field && violation.message.length > 0);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
