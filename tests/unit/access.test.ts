import { NOTHING, issueScope, itemScope, readsWhatIsSent, withinScope, type Viewer } from '../../src/domain/access';
import { ROLES } from '../../src/domain/roles';

const staff: Viewer = { kind: 'staff' };
const reader: Viewer = { kind: 'reader', userId: 7, unitId: 3 };
const contributor: Viewer = { kind: 'contributor', userId: 8, unitIds: [4] };
const homeless: Viewer = { kind: 'contributor', userId: 9, unitIds: [] };
const unitStaff: Viewer = { kind: 'contributor', userId: null, unitIds: [4, 5] };
const nobody: Viewer = { kind: 'nobody' };

test.each([
  ['staff: everything', staff, ['a'], null],
  [
    'a reader: the signed-off issues sent to them',
    reader,
    ['a', 'b'],
    { $and: [{ publishedAt: { $notNull: true } }, { documentId: { $in: ['a', 'b'] } }] },
  ],
  ['a reader sent nothing: nothing', reader, [], NOTHING],
  [
    'a contributor: the same as a reader',
    contributor,
    ['a'],
    { $and: [{ publishedAt: { $notNull: true } }, { documentId: { $in: ['a'] } }] },
  ],
  ['no bulletin role: nothing', nobody, ['a'], NOTHING],
])('issueScope — %s', (_case, viewer, readable, filter) => {
  expect(issueScope(viewer, readable)).toEqual(filter);
});

test.each([
  ['staff: everything', staff, ['a'], null],
  ['a reader: items of the issues sent to them', reader, ['a'], { issue: { documentId: { $in: ['a'] } } }],
  ['a reader sent nothing: nothing', reader, [], NOTHING],
  ["a contributor: their unit's items, whatever issue", contributor, [], { units: { id: { $in: [4] } } }],
  ['unit staff in the admin: the items of their units', unitStaff, [], { units: { id: { $in: [4, 5] } } }],
  ['a contributor without a unit: nothing', homeless, ['a'], NOTHING],
  ['no bulletin role: nothing', nobody, ['a'], NOTHING],
])('itemScope — %s', (_case, viewer, readable, filter) => {
  expect(itemScope(viewer, readable)).toEqual(filter);
});

test('a scope narrows the request filters, never widens them', () => {
  expect(withinScope(undefined, { a: 1 })).toEqual({ a: 1 });
  expect(withinScope({}, { a: 1 })).toEqual({ a: 1 });
  expect(withinScope({ b: 2 }, { a: 1 })).toEqual({ $and: [{ b: 2 }, { a: 1 }] });
  expect(withinScope({ b: 2 }, null)).toEqual({ b: 2 });
});

test('the roles map: public may only log in; nobody but staff deletes or publishes; readers write nothing', () => {
  const actions = Object.fromEntries(ROLES.map((role) => [role.type, role.actions]));
  expect(actions.public.every((action) => action.startsWith('plugin::users-permissions.auth.'))).toBe(true);
  expect(actions.public).not.toContain('plugin::users-permissions.auth.register');
  for (const role of ROLES) {
    expect(role.actions.filter((action) => /\.(delete|publish)$/.test(action))).toEqual([]);
  }
  expect(actions.reader.filter((action) => /\.(create|update)$/.test(action))).toEqual([]);
  expect(actions.contributor.filter((action) => action.startsWith('api::issue.issue.'))).toEqual([
    'api::issue.issue.find',
    'api::issue.issue.findOne',
  ]);
});

test.each<[unknown, boolean]>([
  ['reader', true],
  ['contributor', true],
  ['authenticated', false],
  ['public', false],
  [undefined, false],
])('readsWhatIsSent(%p) → %p', (role, expected) => {
  expect(readsWhatIsSent(role)).toBe(expected);
});
