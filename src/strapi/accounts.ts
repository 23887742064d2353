import { randomBytes } from 'crypto';
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import {
  accountKind,
  accountProblems,
  checkAccounts,
  DEMO_ACCOUNTS,
  generatePassword,
  ROLE_NAMES,
  type AccountRole,
  type AccountRow,
  type AccountViolation,
  type ExistingAccounts,
} from '../domain/accounts';

/**
 * Accounts through Strapi's own services (the rules: src/domain/accounts.ts): readers and contributors are
 * users-permissions users (hashed by its Document Service write), editors and signers admin users with the office's
 * admin roles (src/domain/admin-roles.ts). Used by `npm run users` (scripts/users.js) and the demo's first start.
 */

const USER = 'plugin::users-permissions.user';
const ADMIN_ROLE_CODES: Record<'editor' | 'signer', string> = { editor: 'bulletin-editor', signer: 'bulletin-signer' };
const SUPER_ADMIN_CODE = 'strapi-super-admin';

export type CreatedAccount = { row: AccountRow; password: string };

/** What a batch is checked against: units, usernames and addresses already there. */
export async function existingAccounts(strapi: Core.Strapi): Promise<ExistingAccounts> {
  const [units, users, admins] = await Promise.all([
    strapi.db.query('api::unit.unit').findMany({ select: ['shortName'] }) as Promise<{ shortName: string }[]>,
    strapi.db.query(USER).findMany({ select: ['username', 'email'] }) as Promise<{ username: string; email: string }[]>,
    strapi.db.query('admin::user').findMany({ select: ['email'] }) as Promise<{ email: string }[]>,
  ]);
  return {
    units: units.map((unit) => unit.shortName),
    usernames: users.map((user) => user.username),
    emails: users.map((user) => user.email),
    adminEmails: admins.map((admin) => admin.email),
  };
}

/** Every problem of a batch, on its own and against the database. */
export async function accountViolations(strapi: Core.Strapi, rows: readonly AccountRow[]): Promise<AccountViolation[]> {
  return [...rows.flatMap((row) => accountProblems(row)), ...checkAccounts(rows, await existingAccounts(strapi))];
}

async function roleId(strapi: Core.Strapi, role: AccountRole | 'super-admin'): Promise<number> {
  const found =
    role === 'super-admin' || accountKind(role) === 'admin'
      ? ((await strapi.db.query('admin::role').findOne({
          where: { code: role === 'super-admin' ? SUPER_ADMIN_CODE : ADMIN_ROLE_CODES[role as 'editor' | 'signer'] },
          select: ['id'],
        })) as { id: number } | null)
      : ((await strapi.db
          .query('plugin::users-permissions.role')
          .findOne({ where: { type: role }, select: ['id'] })) as { id: number } | null);
  if (found === null) throw new Error(`the role ${role} does not exist (it is created at start-up)`);
  return found.id;
}

async function createOne(
  strapi: Core.Strapi,
  row: AccountRow,
  role: AccountRole | 'super-admin',
  password: string,
): Promise<void> {
  if (role === 'super-admin' || accountKind(role) === 'admin') {
    await strapi.service('admin::user').create({
      firstname: row.name ?? row.email.split('@')[0],
      lastname: null,
      email: row.email.toLowerCase(),
      password,
      isActive: true,
      registrationToken: null,
      roles: [await roleId(strapi, role)],
    });
    return;
  }
  const unit =
    row.unit === null
      ? null
      : ((await strapi.db.query('api::unit.unit').findOne({ where: { shortName: row.unit }, select: ['id'] })) as {
          id: number;
        } | null);
  await strapi
    .plugin('users-permissions')
    .service('user')
    .add({
      username: row.username,
      email: row.email.toLowerCase(),
      password,
      provider: 'local',
      confirmed: true,
      blocked: false,
      role: await roleId(strapi, role),
      unit: unit === null ? null : unit.id,
    });
}

/**
 * Creates the accounts, all or none (one transaction), each with a generated password, returned once. Refuses the
 * whole batch with a ValidationError listing every problem (line and column) before writing anything.
 */
export async function createAccounts(strapi: Core.Strapi, rows: readonly AccountRow[]): Promise<CreatedAccount[]> {
  const violations = await accountViolations(strapi, rows);
  if (violations.length > 0) {
    throw new errors.ValidationError(violations.map((violation) => violation.message).join('\n'), {
      errors: violations.map((v) => ({ path: [String(v.line), v.field], message: v.message })),
    });
  }
  return strapi.db.transaction(async () => {
    const created: CreatedAccount[] = [];
    for (const row of rows) {
      const password = generatePassword(randomBytes);
      await createOne(strapi, row, row.role, password);
      created.push({ row, password });
    }
    return created;
  });
}

export type FoundAccount = { kind: 'users-permissions' | 'admin'; id: number; login: string; label: string };

/** The account a login names: a reader's or contributor's username or e-mail, else an admin user's e-mail. */
export async function findAccount(strapi: Core.Strapi, login: string): Promise<FoundAccount> {
  const text = login.trim();
  const user = (await strapi.db.query(USER).findOne({
    where: { $or: [{ username: text }, { email: text.toLowerCase() }] },
    select: ['id', 'username'],
    populate: { role: { select: ['type'] } },
  })) as { id: number; username: string; role: { type: string } | null } | null;
  if (user !== null) {
    const role = user.role?.type as AccountRole | undefined;
    return {
      kind: 'users-permissions',
      id: user.id,
      login: user.username,
      label: role !== undefined && role in ROLE_NAMES ? ROLE_NAMES[role] : '账号',
    };
  }
  const admin = (await strapi.db
    .query('admin::user')
    .findOne({ where: { email: text.toLowerCase() }, select: ['id', 'email'] })) as {
    id: number;
    email: string;
  } | null;
  if (admin !== null) return { kind: 'admin', id: admin.id, login: admin.email, label: '后台用户' };
  throw new errors.NotFoundError(`没有账号“${text}”（用户名或电子邮件地址）`);
}

/** A new generated password for the account (the old one stops working at once); returned once. */
export async function resetPassword(
  strapi: Core.Strapi,
  login: string,
): Promise<{ account: FoundAccount; password: string }> {
  const account = await findAccount(strapi, login);
  const password = generatePassword(randomBytes);
  if (account.kind === 'admin') await strapi.service('admin::user').updateById(account.id, { password });
  else await strapi.plugin('users-permissions').service('user').edit(account.id, { password });
  return { account, password };
}

/**
 * Blocks an account (a reader or contributor: users-permissions' `blocked`; an admin user: made inactive) or lets it
 * log in again. A blocked account's login fails like a wrong password (README, Login limits).
 */
export async function setBlocked(strapi: Core.Strapi, login: string, blocked: boolean): Promise<FoundAccount> {
  const account = await findAccount(strapi, login);
  if (account.kind === 'admin') await strapi.service('admin::user').updateById(account.id, { isActive: !blocked });
  else await strapi.plugin('users-permissions').service('user').edit(account.id, { blocked });
  return account;
}

/**
 * The demo's accounts (one per role, and a super administrator), each with a random password, created once with the
 * demo content in development (src/strapi/demo.ts decides when) and printed once to the log: nowhere else is the
 * password kept. An account whose name is already taken is left alone.
 */
export async function createDemoAccounts(strapi: Core.Strapi): Promise<string[]> {
  const existing = await existingAccounts(strapi);
  const lines: string[] = [];
  for (const demo of DEMO_ACCOUNTS) {
    const admin = demo.kind !== 'users-permissions';
    const taken = admin
      ? existing.adminEmails.includes(demo.email)
      : existing.usernames.includes(demo.username) || existing.emails.includes(demo.email);
    if (taken) continue;
    const password = generatePassword(randomBytes);
    const row: AccountRow = {
      line: 0,
      username: demo.username,
      email: demo.email,
      unit: demo.unit,
      role: demo.role ?? 'editor',
      name: `${demo.lastname}${demo.firstname}` || null,
    };
    await createOne(strapi, row, demo.kind === 'super-admin' ? 'super-admin' : (demo.role as AccountRole), password);
    lines.push(
      `${demo.label}\t${admin ? demo.email : demo.username}\t${password}\t${admin ? '后台 /admin（电子邮件登录）' : '/reader/ 与 POST /api/auth/local'}`,
    );
  }
  return lines;
}
