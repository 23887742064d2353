import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { parseAccountsCsv, parseRole, ROLE_NAMES, type AccountRow, type AccountViolation } from '../domain/accounts';
import {
  accountDeskRefusal,
  deskRowViolations,
  previewRow,
  type AccountsList,
  type BlockAnswer,
  type CreatedAnswer,
  type DeskAccount,
  type PreviewAnswer,
  type ResetAnswer,
} from '../domain/account-desk';
import { accountViolations, createAccounts, resetPassword, setBlocked } from './accounts';

/**
 * The 账号 page's server side (rules: src/domain/account-desk.ts and src/domain/accounts.ts; page:
 * src/admin/pages/accounts.tsx): admin routes under /bulletin-accounts, behind Strapi's admin login, for super
 * administrators and editors. The same functions as `npm run users` do the work (src/strapi/accounts.ts).
 *
 *   GET  /bulletin-accounts                      readers and contributors, with unit, role and whether blocked
 *   POST /bulletin-accounts/preview { csv }      what an import would create, or every problem (line, column)
 *   POST /bulletin-accounts { csv } | { username, email, unit, role, name }   create; one-time passwords in the answer
 *   POST /bulletin-accounts/:id/reset            a new one-time password
 *   POST /bulletin-accounts/:id/block { blocked }
 */

const USER = 'plugin::users-permissions.user';

type Context = {
  state: { user?: { id: number; roles?: { code?: string }[] } };
  params: Record<string, string>;
  request: { body?: unknown };
  body: unknown;
  status: number;
};

function allow(ctx: Context): void {
  const refusal = accountDeskRefusal((ctx.state.user?.roles ?? []).map((role) => role.code ?? ''));
  if (refusal !== null) throw new errors.PolicyError(refusal);
}

function refuse(violations: readonly AccountViolation[]): never {
  throw new errors.ValidationError(violations.map((violation) => violation.message).join('\n'), {
    errors: violations.map((violation) => ({
      path: [String(violation.line), violation.field],
      message: violation.message,
      name: 'ValidationError',
      value: null,
    })),
  });
}

const bodyOf = (ctx: Context): Record<string, unknown> => {
  const body = ctx.request.body;
  return typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
};
const text = (value: unknown): string => (typeof value === 'string' ? value.trim() : '');

/** The rows a request names: a CSV (`csv`), or one account (`username`, `email`, `unit`, `role`, `name`). */
function requestedRows(ctx: Context): { rows: AccountRow[]; violations: AccountViolation[] } {
  const body = bodyOf(ctx);
  if (typeof body.csv === 'string') return parseAccountsCsv(body.csv);
  if (body.csv !== undefined)
    return { rows: [], violations: [{ line: 0, field: 'csv', message: 'csv：应为 CSV 文本' }] };
  const role = parseRole(text(body.role));
  if (role === null)
    return {
      rows: [],
      violations: [
        {
          line: 0,
          field: 'role',
          message: `role：“${text(body.role)}”不是角色（contributor 信息员 或 reader 阅读人）`,
        },
      ],
    };
  const unit = text(body.unit);
  const name = text(body.name);
  return {
    rows: [
      {
        line: 0,
        username: text(body.username),
        email: text(body.email),
        unit: unit === '' ? null : unit,
        role,
        name: name === '' ? null : name,
      },
    ],
    violations: [],
  };
}

/** Every problem of the rows: the CSV's own, the page's (no admin roles), and those against the database. */
async function checked(
  strapi: Core.Strapi,
  ctx: Context,
): Promise<{ rows: AccountRow[]; violations: AccountViolation[] }> {
  const { rows, violations } = requestedRows(ctx);
  const all = [...violations, ...deskRowViolations(rows)];
  const creatable = rows.filter(
    (row) => !all.some((violation) => violation.line === row.line && violation.field === 'role'),
  );
  if (creatable.length > 0) all.push(...(await accountViolations(strapi, creatable)));
  all.sort((a, b) => a.line - b.line);
  return { rows, violations: all };
}

async function list(strapi: Core.Strapi, ctx: Context): Promise<void> {
  allow(ctx);
  const users = (await strapi.db.query(USER).findMany({
    select: ['id', 'username', 'email', 'blocked'],
    populate: { role: { select: ['type'] }, unit: { select: ['shortName'] } },
    orderBy: [{ username: 'asc' }],
  })) as {
    id: number;
    username: string;
    email: string;
    blocked: boolean | null;
    role: { type: string } | null;
    unit: { shortName: string } | null;
  }[];
  const accounts: DeskAccount[] = users
    .filter((user) => user.role?.type === 'contributor' || user.role?.type === 'reader')
    .map((user) => {
      const role = user.role?.type as 'contributor' | 'reader';
      return {
        id: user.id,
        username: user.username,
        email: user.email,
        role,
        roleLabel: ROLE_NAMES[role],
        unit: user.unit?.shortName ?? null,
        blocked: user.blocked === true,
      };
    });
  const units = (await strapi.db
    .query('api::unit.unit')
    .findMany({ select: ['shortName'], orderBy: [{ shortName: 'asc' }] })) as { shortName: string }[];
  const answer: AccountsList = { accounts, units: units.map((unit) => unit.shortName) };
  ctx.body = { data: answer };
}

async function preview(strapi: Core.Strapi, ctx: Context): Promise<void> {
  allow(ctx);
  const { rows, violations } = await checked(strapi, ctx);
  const answer: PreviewAnswer = { rows: rows.map(previewRow), violations };
  ctx.body = { data: answer };
}

async function create(strapi: Core.Strapi, ctx: Context): Promise<void> {
  allow(ctx);
  const { rows, violations } = await checked(strapi, ctx);
  if (violations.length > 0) refuse(violations);
  if (rows.length === 0) refuse([{ line: 0, field: 'csv', message: 'csv：没有要创建的账号' }]);
  const created = await createAccounts(strapi, rows);
  const answer: CreatedAnswer = {
    created: created.map(({ row, password }) => ({
      username: row.username,
      roleLabel: ROLE_NAMES[row.role],
      unit: row.unit,
      password,
    })),
  };
  ctx.status = 201;
  ctx.body = { data: answer };
}

/** The reader or contributor with this id (the page manages no other account). */
async function target(strapi: Core.Strapi, ctx: Context): Promise<string> {
  const id = Number(ctx.params.id);
  const user =
    Number.isSafeInteger(id) && id > 0
      ? ((await strapi.db
          .query(USER)
          .findOne({ where: { id }, select: ['username'], populate: { role: { select: ['type'] } } })) as {
          username: string;
          role: { type: string } | null;
        } | null)
      : null;
  if (user === null || (user.role?.type !== 'contributor' && user.role?.type !== 'reader'))
    throw new errors.NotFoundError('没有这个信息员或阅读人账号');
  return user.username;
}

async function reset(strapi: Core.Strapi, ctx: Context): Promise<void> {
  allow(ctx);
  const { account, password } = await resetPassword(strapi, await target(strapi, ctx));
  const answer: ResetAnswer = { username: account.login, password };
  ctx.body = { data: answer };
}

async function block(strapi: Core.Strapi, ctx: Context): Promise<void> {
  allow(ctx);
  const blocked = bodyOf(ctx).blocked;
  if (typeof blocked !== 'boolean')
    refuse([{ line: 0, field: 'blocked', message: 'blocked：应为 true（停用）或 false（恢复）' }]);
  const account = await setBlocked(strapi, await target(strapi, ctx), blocked);
  const answer: BlockAnswer = { username: account.login, blocked };
  ctx.body = { data: answer };
}

export function registerAccountDeskRoutes(strapi: Core.Strapi): void {
  const route = (method: 'GET' | 'POST', path: string, handle: (ctx: Context) => Promise<void>) => ({
    method,
    path,
    handler: (ctx: Context) => handle(ctx),
    config: { policies: ['admin::isAuthenticatedAdmin'] },
  });
  strapi.server.routes({
    type: 'admin',
    prefix: '/bulletin-accounts',
    routes: [
      route('GET', '/', (ctx) => list(strapi, ctx)),
      route('POST', '/preview', (ctx) => preview(strapi, ctx)),
      route('POST', '/', (ctx) => create(strapi, ctx)),
      route('POST', '/:id/reset', (ctx) => reset(strapi, ctx)),
      route('POST', '/:id/block', (ctx) => block(strapi, ctx)),
    ],
  } as never);
}
