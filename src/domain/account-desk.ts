import { accountKind, ROLE_NAMES, type AccountRole, type AccountRow, type AccountViolation } from './accounts';

/**
 * The admin page 账号 (src/admin/pages/accounts.tsx; routes in src/strapi/account-desk.ts): the office's readers and
 * contributors, managed by the same rules as `npm run users` (src/domain/accounts.ts).
 *
 * - **Who.** Super administrators and editors (编辑): the office hands out and withdraws the units' accounts. Signers
 *   and unit staff are refused (403) — a signer signs off issues, the IT administrator has the command line.
 * - **What.** Readers (阅读人) and contributors (信息员) only. Editors' and signers' admin accounts stay with Strapi's own
 *   Settings → Users (super administrators): a CSV line with role editor or signer is refused here, naming the line
 *   and the column.
 * - **How.** An import is previewed first (every problem with its line and column, nothing written), then confirmed:
 *   the whole file, all or nothing. A one-time password is shown once, in the answer to the creation or reset, and
 *   kept nowhere else.
 *
 * This module is the contract between the routes and the page, and the two rules above.
 */

export type DeskAccount = {
  id: number;
  username: string;
  email: string;
  role: 'contributor' | 'reader';
  roleLabel: string;
  unit: string | null;
  blocked: boolean;
};
export type AccountsList = { accounts: DeskAccount[]; units: string[] };
export type PreviewRow = {
  line: number;
  username: string;
  email: string;
  unit: string | null;
  role: AccountRole;
  roleLabel: string;
  name: string | null;
};
export type PreviewAnswer = { rows: PreviewRow[]; violations: AccountViolation[] };
export type CreatedAnswer = {
  created: { username: string; roleLabel: string; unit: string | null; password: string }[];
};
export type ResetAnswer = { username: string; password: string };
export type BlockAnswer = { username: string; blocked: boolean };

/** Admin role codes that may use the page. */
export const ACCOUNT_DESK_ROLES: readonly string[] = ['strapi-super-admin', 'bulletin-editor'];

/** null when an admin user with these role codes may manage accounts, else the refusal. */
export function accountDeskRefusal(roleCodes: readonly string[]): string | null {
  return roleCodes.some((code) => ACCOUNT_DESK_ROLES.includes(code)) ? null : '只有编辑和超级管理员可以管理账号';
}

/** Rows the page may create: readers and contributors; an editor or signer line is refused, naming line and column. */
export function deskRowViolations(rows: readonly AccountRow[]): AccountViolation[] {
  return rows
    .filter((row) => accountKind(row.role) === 'admin')
    .map((row) => ({
      line: row.line,
      field: 'role',
      message: `${row.line === 0 ? 'role' : `第${row.line}行，role`}：${ROLE_NAMES[row.role]}是后台用户，请在“设置 → 用户”中由超级管理员添加；这里只建信息员和阅读人`,
    }));
}

export const previewRow = (row: AccountRow): PreviewRow => ({ ...row, roleLabel: ROLE_NAMES[row.role] });
