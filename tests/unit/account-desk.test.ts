import { accountDeskRefusal, deskRowViolations } from '../../src/domain/account-desk';
import type { AccountRole, AccountRow } from '../../src/domain/accounts';

/** Who may use the 账号 page, and which rows it may create (src/domain/account-desk.ts). */

test.each([
  [['strapi-super-admin'], true],
  [['bulletin-editor'], true],
  [['bulletin-editor', 'bulletin-signer'], true],
  [['bulletin-signer'], false],
  [['bulletin-unit-staff'], false],
  [[], false],
])('roles %j may manage accounts: %s', (codes, allowed) => {
  expect(accountDeskRefusal(codes) === null).toBe(allowed);
});

const row = (line: number, role: AccountRole): AccountRow => ({
  line,
  username: `u${line}`,
  email: `u${line}@example.gov.cn`,
  unit: null,
  role,
  name: null,
});

test('editor and signer rows are refused on the page, naming line and column; readers and contributors pass', () => {
  const violations = deskRowViolations([row(2, 'reader'), row(3, 'editor'), row(4, 'contributor'), row(5, 'signer')]);
  expect(violations.map((violation) => [violation.line, violation.field])).toEqual([
    [3, 'role'],
    [5, 'role'],
  ]);
  expect(violations[0].message).toMatch(/^第3行，role：编辑是后台用户/u);
  expect(deskRowViolations([row(0, 'signer')])[0].message).toMatch(/^role：签发人是后台用户/u);
});
