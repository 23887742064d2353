import { entryHash, GENESIS, REDACTED, type AuditEntry, type ChainedEntry } from '../../src/domain/audit';
import {
  archivedPrefix,
  checkArchive,
  loginAction,
  passwordAction,
  notYetReadBy,
  parseRetentionDays,
  permissionChanges,
  securityChanges,
  securityUpdateAction,
  type Addressed,
} from '../../src/domain/audit-events';

const anEntry = (overrides: Partial<AuditEntry> = {}): AuditEntry => ({
  at: '2026-01-01T00:00:00.000Z',
  action: 'create',
  contentType: 'api::item.item',
  documentId: 'doc1',
  documentName: null,
  changes: { headline: { old: null, new: '招聘会' } },
  actorKind: 'admin',
  actorId: '1',
  actorName: '郝婕',
  actorUnit: null,
  address: '127.0.0.1',
  userAgent: null,
  requestId: null,
  ...overrides,
});

const chain = (entries: AuditEntry[], start = GENESIS): ChainedEntry[] => {
  let prev = start;
  return entries.map((entry, index) => {
    const hash = entryHash(prev, entry);
    const chained = { ...entry, id: String(index + 1), prevHash: prev, hash };
    prev = hash;
    return chained;
  });
};

describe('the hash and the category', () => {
  test("a 'content' entry hashes as one made before categories existed; another category is covered by the hash", () => {
    const old = anEntry();
    expect(entryHash(GENESIS, { ...old, category: 'content' })).toBe(entryHash(GENESIS, old));
    expect(entryHash(GENESIS, { ...old, category: 'security' })).not.toBe(entryHash(GENESIS, old));
    expect(entryHash(GENESIS, { ...old, category: 'security' })).not.toBe(
      entryHash(GENESIS, { ...old, category: 'read' }),
    );
  });
});

describe('logins', () => {
  test.each([
    [200, 'login'],
    [204, 'login'],
    [400, 'login-failed'],
    [401, 'login-failed'],
    [501, 'login-failed'],
    [429, 'login-refused'],
  ])('answered %i: %s', (status, action) => {
    expect(loginAction(status)).toBe(action);
  });
});

describe('password resets and changes', () => {
  test.each([
    ['reset', 200, 'password-reset'],
    ['reset', 400, 'password-reset-failed'],
    ['reset', 429, 'password-reset-failed'],
    ['reset', 500, null],
    ['change', 204, 'password-change'],
    ['change', 400, 'password-change-failed'],
    ['change', 403, 'password-change-failed'],
    ['change', 302, null],
  ] as const)('%s answered %i: %s', (kind, status, action) => {
    expect(passwordAction(kind, status)).toBe(action);
  });
});

describe('changes of users, roles and tokens', () => {
  test.each([
    ['admin::api-token', { accessKey: { old: REDACTED, new: REDACTED } }, 'regenerate'],
    ['admin::api-token', { name: { old: 'a', new: 'b' } }, 'update'],
    ['plugin::users-permissions.user', { blocked: { old: false, new: true } }, 'block'],
    ['admin::user', { blocked: { old: true, new: false } }, 'unblock'],
    ['admin::user', { blocked: { old: false, new: true }, firstname: { old: 'a', new: 'b' } }, 'update'],
    ['plugin::users-permissions.user', { resetPasswordToken: { old: REDACTED, new: REDACTED } }, null],
    ['admin::user', {}, null],
    ['admin::user', { isActive: { old: true, new: false } }, 'block'],
    ['admin::user', { isActive: { old: false, new: true } }, 'unblock'],
    ['plugin::users-permissions.user', { isActive: { old: true, new: false } }, 'update'],
    ['admin::user', { password: { old: REDACTED, new: REDACTED } }, 'update'],
  ])('%s %j → %s', (contentType, changes, action) => {
    expect(securityUpdateAction(contentType, changes)).toBe(action);
  });

  test('bookkeeping is no change; secrets and keys are named, never kept', () => {
    const before = {
      id: 1,
      name: '令牌',
      lastUsedAt: '2026-01-01',
      accessKey: 'hash-1',
      encryptedKey: 'enc-1',
      updatedAt: 'x',
    };
    const after = {
      id: 1,
      name: '令牌',
      lastUsedAt: '2026-01-02',
      accessKey: 'hash-2',
      encryptedKey: 'enc-2',
      updatedAt: 'y',
    };
    expect(securityChanges(before, after)).toEqual({
      accessKey: { old: REDACTED, new: REDACTED },
      encryptedKey: { old: REDACTED, new: REDACTED },
    });
    expect(securityChanges({ ...before }, { ...before, lastUsedAt: 'later' })).toEqual({});
    expect(
      JSON.stringify(securityChanges(null, { email: 'a@b', password: '$2a$10$abc', resetPasswordToken: 'code' })),
    ).not.toMatch(/\$2a|code"/);
  });

  test.each([
    [['a', 'b'], ['b', 'c'], { added: { old: null, new: ['c'] }, removed: { old: ['a'], new: null } }],
    [['a'], ['a'], {}],
    [[], ['z', 'y'], { added: { old: null, new: ['y', 'z'] } }],
    [['x'], [], { removed: { old: ['x'], new: null } }],
  ])('permissions %j → %j: %j', (before, after, changes) => {
    expect(permissionChanges(before, after)).toEqual(changes);
  });
});

describe('who has not read', () => {
  const readers: Addressed[] = [
    { kind: 'account', id: '1', name: 'a', unit: '峡窝镇' },
    { kind: 'account', id: '2', name: 'b', unit: '峡窝镇' },
    { kind: 'admin', id: '1', name: '郝婕', unit: null },
  ];
  test.each([
    [[], ['a', 'b', '郝婕']],
    [[{ kind: 'account' as const, id: '1', at: 't' }], ['b', '郝婕']],
    [[{ kind: 'admin' as const, id: '2', at: 't' }], ['a', 'b', '郝婕']],
    [
      [
        { kind: 'admin' as const, id: '1', at: 't' },
        { kind: 'account' as const, id: '2', at: 't' },
      ],
      ['a'],
    ],
  ])('reads %j → %j', (reads, unread) => {
    expect(notYetReadBy(readers, reads).map((reader) => reader.name)).toEqual(unread);
  });
});

describe('retention and the archive', () => {
  test.each([
    [undefined, { days: 400 }],
    ['', { days: 400 }],
    ['180', { days: 180 }],
    [' 365 ', { days: 365 }],
    [500, { days: 500 }],
  ])('retention %j → %j', (raw, expected) => {
    expect(parseRetentionDays(raw)).toEqual(expected);
  });
  test.each(['179', '90', '0', 'abc', '12.5', '-200'])('retention %j is refused with a message', (raw) => {
    expect(parseRetentionDays(raw)).toEqual({ error: expect.stringMatching(/BULLETIN_AUDIT_RETENTION_DAYS/) });
  });

  test('only the leading run of entries past the retention is archived', () => {
    const day = 24 * 60 * 60 * 1000;
    const now = new Date('2027-06-01T00:00:00Z');
    const at = (daysAgo: number) => ({ at: new Date(now.getTime() - daysAgo * day).toISOString(), daysAgo });
    expect(archivedPrefix([at(500), at(401), at(300), at(450)], now, 400).map((entry) => entry.daysAgo)).toEqual([
      500, 401,
    ]);
    expect(archivedPrefix([at(100)], now, 400)).toEqual([]);
    expect(archivedPrefix([at(500), at(450)], now, 400)).toHaveLength(2);
    // Never under 180 days, whatever is asked.
    expect(archivedPrefix([at(170)], now, 30)).toEqual([]);
  });

  test('an archive file checks out when whole, and names what was changed, removed or cut off', () => {
    const entries = chain([
      anEntry(),
      anEntry({ action: 'update' }),
      anEntry({ category: 'security', action: 'login' }),
    ]);
    const header = {
      kind: 'bulletin-audit-archive',
      version: 1,
      prevHash: GENESIS,
      lastHash: entries[2].hash,
      firstId: '1',
      lastId: '3',
      count: 3,
      cutAt: 'x',
      retentionDays: 400,
    };
    expect(checkArchive(header, entries)).toEqual({ ok: true, lastHash: entries[2].hash, count: 3 });
    expect(checkArchive(header, [entries[0], { ...entries[1], actorName: '别人' }, entries[2]])).toEqual({
      ok: false,
      reason: expect.stringContaining('条目 2 的内容与其哈希不符'),
    });
    expect(checkArchive(header, [entries[0], entries[2]])).toEqual({
      ok: false,
      reason: expect.stringContaining('条目 3 的 prev_hash'),
    });
    expect(checkArchive(header, entries.slice(0, 2))).toEqual({
      ok: false,
      reason: expect.stringContaining('应有 3 条'),
    });
    expect(checkArchive({ ...header, count: 2 }, entries.slice(0, 2))).toEqual({
      ok: false,
      reason: expect.stringContaining('最后一条的哈希'),
    });
    expect(checkArchive(null, entries)).toEqual({ ok: false, reason: expect.stringContaining('首行') });
  });
});
