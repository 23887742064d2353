import fc from 'fast-check';
import {
  archivable,
  canonical,
  diff,
  entryHash,
  GENESIS,
  issueItemsAction,
  itemAction,
  REDACTED,
  redact,
  retentionDays,
  verifyChain,
  type AuditEntry,
  type ChainedEntry,
} from '../../src/domain/audit';

const entry = (overrides: Partial<AuditEntry> = {}): AuditEntry => ({
  at: '2026-12-02T08:00:00.000Z',
  action: 'update',
  contentType: 'api::item.item',
  documentId: 'abc',
  documentName: null,
  changes: { headline: { old: '旧', new: '新' } },
  actorKind: 'account',
  actorId: '7',
  actorName: 'hrss-contributor',
  actorUnit: '区人社局',
  address: '127.0.0.1',
  userAgent: 'jest',
  requestId: 'r-1',
  ...overrides,
});

function chain(entries: AuditEntry[]): ChainedEntry[] {
  let prev = GENESIS;
  return entries.map((content, index) => {
    const hash = entryHash(prev, content);
    const chained = { ...content, id: index + 1, prevHash: prev, hash };
    prev = hash;
    return chained;
  });
}

const jsonValue = fc.jsonValue() as fc.Arbitrary<unknown>;
const anEntry = fc.record({
  at: fc
    .date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true })
    .map((date) => date.toISOString()),
  action: fc.constantFrom('create', 'update', 'publish', 'adopt'),
  contentType: fc.constantFrom('api::item.item', 'api::issue.issue'),
  documentId: fc.option(fc.string(), { nil: null }),
  documentName: fc.option(fc.string(), { nil: null }),
  changes: fc.dictionary(fc.string(), fc.record({ old: jsonValue, new: jsonValue })),
  actorKind: fc.constantFrom('admin' as const, 'account' as const, 'api-token' as const, 'script' as const),
  actorId: fc.option(fc.string(), { nil: null }),
  actorName: fc.option(fc.string(), { nil: null }),
  actorUnit: fc.option(fc.string(), { nil: null }),
  address: fc.option(fc.string(), { nil: null }),
  userAgent: fc.option(fc.string(), { nil: null }),
  requestId: fc.option(fc.string(), { nil: null }),
});

describe('canonical serialization', () => {
  test.each([
    [{ b: 1, a: 2 }, '{"a":2,"b":1}'],
    [{ a: { d: [1, { z: 1, y: 2 }], c: null } }, '{"a":{"c":null,"d":[1,{"y":2,"z":1}]}}'],
    [{ a: undefined, b: '签发' }, '{"b":"签发"}'],
    [[undefined, 1], '[null,1]'],
    [null, 'null'],
  ])('%j → %s', (value, text) => {
    expect(canonical(value)).toBe(text);
  });

  test('the same value in any key order serializes the same, and parses back to an equal value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = canonical(value);
        const reordered = JSON.parse(
          JSON.stringify(value, (_key, member) =>
            member !== null && typeof member === 'object' && !Array.isArray(member)
              ? Object.fromEntries(Object.entries(member).reverse())
              : member,
          ),
        );
        expect(canonical(reordered)).toBe(text);
        expect(canonical(JSON.parse(text))).toBe(text);
      }),
    );
  });
});

describe('hash chain', () => {
  test('a chain as built verifies', () => {
    fc.assert(
      fc.property(fc.array(anEntry, { maxLength: 8 }), (entries) => {
        const report = verifyChain(chain(entries));
        expect(report).toMatchObject({ ok: true, count: entries.length });
      }),
    );
  });

  test('changing any entry names that entry', () => {
    fc.assert(
      fc.property(fc.array(anEntry, { minLength: 1, maxLength: 6 }), fc.nat(), fc.string(), (entries, at, name) => {
        const chained = chain(entries);
        const index = at % chained.length;
        fc.pre(chained[index].actorName !== name);
        chained[index] = { ...chained[index], actorName: name };
        expect(verifyChain(chained)).toMatchObject({ ok: false, firstBad: index + 1 });
      }),
    );
  });

  test('removing an entry names the one after it; removing the first names the new first', () => {
    const chained = chain([entry(), entry({ action: 'adopt' }), entry({ action: 'publish' })]);
    expect(verifyChain([chained[0], chained[2]])).toMatchObject({ ok: false, firstBad: 3 });
    expect(verifyChain([chained[1], chained[2]])).toMatchObject({ ok: false, firstBad: 2 });
    expect(verifyChain(chained.slice(1), chained[0].hash)).toMatchObject({ ok: true, count: 2 });
  });

  test('swapping two entries is noticed', () => {
    const chained = chain([entry(), entry({ action: 'adopt' }), entry({ action: 'publish' })]);
    expect(verifyChain([chained[0], chained[2], chained[1]])).toMatchObject({ ok: false, firstBad: 3 });
  });

  test('a hash recomputed for a changed entry breaks the next one', () => {
    const chained = chain([entry(), entry({ action: 'adopt' })]);
    const forged = entry({ actorName: '别人' });
    chained[0] = { ...chained[0], ...forged, hash: entryHash(GENESIS, forged) };
    expect(verifyChain(chained)).toMatchObject({ ok: false, firstBad: 2 });
  });

  test('the hash is sha256 hex of prev_hash and the canonical entry', () => {
    expect(entryHash(GENESIS, entry())).toMatch(/^[0-9a-f]{64}$/);
    expect(entryHash(GENESIS, entry())).not.toBe(entryHash('1'.repeat(64), entry()));
  });
});

describe('diff of two versions', () => {
  test.each([
    [
      'a new document',
      null,
      { headline: '新', state: 'submitted' },
      { headline: { old: null, new: '新' }, state: { old: null, new: 'submitted' } },
    ],
    [
      'one field changed',
      { headline: '旧', body: '正文' },
      { headline: '新', body: '正文' },
      { headline: { old: '旧', new: '新' } },
    ],
    ['a deleted document', { headline: '旧' }, null, { headline: { old: '旧', new: null } }],
    [
      'relations reordered',
      { units: ['a', 'b'] },
      { units: ['b', 'a'] },
      { units: { old: ['a', 'b'], new: ['b', 'a'] } },
    ],
    ['nothing changed', { headline: '同', units: ['a'] }, { headline: '同', units: ['a'] }, {}],
    ['a password changed', { password: 'x' }, { password: 'y' }, { password: { old: REDACTED, new: REDACTED } }],
  ])('%s', (_case, before, after, changes) => {
    expect(diff(before, after)).toEqual(changes);
  });

  test('a long body is kept whole', () => {
    const body = '长'.repeat(100000);
    expect(diff({ body: '' }, { body }).body?.new).toBe(body);
  });

  test('exactly the fields that differ are listed, with both values', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.constantFrom('a', 'b', 'c', 'd'), fc.jsonValue()),
        fc.dictionary(fc.constantFrom('a', 'b', 'c', 'd'), fc.jsonValue()),
        (before, after) => {
          const changes = diff(before, after);
          for (const key of ['a', 'b', 'c', 'd']) {
            const differs = canonical(before[key] ?? null) !== canonical(after[key] ?? null);
            expect(key in changes).toBe(differs);
            if (differs)
              expect(changes[key]).toEqual({ old: redact(before[key] ?? null), new: redact(after[key] ?? null) });
          }
        },
      ),
    );
  });
});

describe('redaction', () => {
  test.each(['password', 'resetPasswordToken', 'confirmationToken', 'jwt', 'accessKey', 'apiKey', 'secret', 'salt'])(
    '%s is never kept',
    (field) => {
      expect(redact({ [field]: 'value', nested: [{ [field]: 'value' }], headline: '标题' })).toEqual({
        [field]: REDACTED,
        nested: [{ [field]: REDACTED }],
        headline: '标题',
      });
    },
  );
});

describe('workflow actions', () => {
  test.each([
    [{ state: { old: 'submitted', new: 'adopted' } }, 'adopt'],
    [{ state: { old: 'submitted', new: 'returned' }, returnReason: { old: null, new: '补充' } }, 'return'],
    [{ state: { old: 'submitted', new: 'withdrawn' } }, 'withdraw'],
    [{ state: { old: 'returned', new: 'submitted' }, body: { old: 'a', new: 'b' } }, 'submit'],
    [{ state: { old: 'submitted', new: 'adopted' }, issue: { old: null, new: 'i' } }, 'adopt'],
    [{ issue: { old: null, new: 'i' }, position: { old: null, new: 1 } }, 'place'],
    [{ position: { old: 1, new: 2 } }, 'reorder'],
    [{ headline: { old: 'a', new: 'b' } }, 'update'],
  ])('item %j is %s', (changes, action) => {
    expect(itemAction(changes)).toBe(action);
  });

  test.each([
    [{ items: { old: ['a'], new: ['a', 'b'] } }, 'place'],
    [{ items: { old: ['a', 'b'], new: ['b', 'a'] } }, 'reorder'],
    [{ editors: { old: null, new: '郝婕' } }, null],
  ])('issue %j is %s', (changes, action) => {
    expect(issueItemsAction(changes)).toBe(action);
  });
});

describe('retention', () => {
  test.each([
    [undefined, 400],
    ['', 400],
    ['abc', 400],
    ['-5', 400],
    ['90', 180],
    [179, 180],
    ['180', 180],
    ['730', 730],
  ])('%p days configured → %p', (configured, days) => {
    expect(retentionDays(configured)).toBe(days);
  });

  test('an entry is archivable only when older than the retention, and never under 180 days', () => {
    const now = new Date('2026-12-02T00:00:00Z');
    const day = 24 * 60 * 60 * 1000;
    expect(archivable(new Date(now.getTime() - 401 * day), now, 400)).toBe(true);
    expect(archivable(new Date(now.getTime() - 399 * day), now, 400)).toBe(false);
    expect(archivable(new Date(now.getTime() - 100 * day), now, 30)).toBe(false);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10000 }), fc.integer({ min: 0, max: 179 * day }), (days, age) => {
        expect(archivable(new Date(now.getTime() - age), now, days)).toBe(false);
      }),
    );
  });
});
