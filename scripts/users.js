#!/usr/bin/env node
// npm run users -- add USERNAME --email ADDRESS --role contributor|reader|editor|signer [--unit 区人社局] [--name 王芳]
// npm run users -- import FILE.csv [--dry-run]
// npm run users -- reset USERNAME|EMAIL
// npm run users -- block USERNAME|EMAIL [--unblock]
//
// Accounts from the command line, on the configured database (DATABASE_* as for `npm start`; the server need not be
// stopped). Readers and contributors log in at /reader/ and POST /api/auth/local; editors and signers are admin users
// (they log in at /admin with their e-mail; for them USERNAME is their e-mail, or give "-" and --email). Passwords are
// generated and printed once (the database keeps only hashes): hand each to its person. The CSV has a header row with
// username, email, unit, role (and optionally name), columns in any order; a file with any problem creates nobody and
// every problem is printed with its line and column. Rules: src/domain/accounts.ts; Strapi glue: src/strapi/accounts.ts.
const fs = require('fs');
const path = require('path');
const { compiledDir, loadApp, stopApp } = require('./lib/strapi');
const { UsageError, runAsCommand } = require('./lib/command');

const USAGE = [
  'usage: npm run users -- add USERNAME --email ADDRESS --role contributor|reader|editor|signer [--unit 区人社局] [--name 王芳]',
  '       npm run users -- import FILE.csv [--dry-run]',
  '       npm run users -- reset USERNAME|EMAIL',
  '       npm run users -- block USERNAME|EMAIL [--unblock]',
].join('\n');

function options(argv) {
  const [command, ...rest] = argv;
  const positional = [];
  const flags = {};
  for (let i = 0; i < rest.length; i += 1) {
    const arg = rest[i];
    if (arg === '--dry-run' || arg === '--unblock') flags[arg.slice(2)] = true;
    else if (/^--(email|role|unit|name)$/.test(arg)) {
      if (i + 1 >= rest.length) throw new UsageError(`${arg} needs a value`);
      flags[arg.slice(2)] = rest[(i += 1)];
    } else if (arg.startsWith('--')) throw new UsageError(`unknown option ${arg}`);
    else positional.push(arg);
  }
  const allowed = { add: ['email', 'role', 'unit', 'name'], import: ['dry-run'], reset: [], block: ['unblock'] }[
    command
  ];
  if (allowed === undefined)
    throw new UsageError(command === undefined ? 'no command given' : `unknown command ${command}`);
  for (const flag of Object.keys(flags))
    if (!allowed.includes(flag)) throw new UsageError(`--${flag} does not go with ${command}`);
  if (positional.length !== 1)
    throw new UsageError(`${command} takes exactly one ${command === 'import' ? 'file' : 'account'}`);
  return { command, target: positional[0], flags };
}

const table = (rows) => rows.map((cells) => cells.join('\t')).join('\n');

/**
 * The command on `argv`, printing through `io` (standard output and error by default). `io.strapi` and `io.distDir`:
 * an app already loaded (and its compiled folder) to run on, instead of loading one and stopping it after (the tests
 * of the script's logic do so, tests/support/scripts.ts). Resolves with the exit status; a UsageError is thrown.
 */
async function run(argv, io = {}) {
  const out = io.log || console.log;
  const err = io.error || console.error;
  const wanted = options(argv);
  if (!io.strapi) process.env.LOG_LEVEL = process.env.LOG_LEVEL || 'error';
  const distDir = io.distDir || (await compiledDir());
  const domain = require(path.join(distDir, 'src', 'domain', 'accounts.js'));

  let rows = null;
  if (wanted.command === 'add') {
    const role = domain.parseRole(wanted.flags.role || '');
    if (role === null)
      throw new UsageError(
        `--role must be contributor, reader, editor or signer${wanted.flags.role ? ` (not "${wanted.flags.role}")` : ''}`,
      );
    const admin = domain.accountKind(role) === 'admin';
    const email = wanted.flags.email || (admin && wanted.target.includes('@') ? wanted.target : '');
    rows = [
      {
        line: 0,
        username: admin ? '' : wanted.target,
        email,
        unit: wanted.flags.unit || null,
        role,
        name: wanted.flags.name || null,
      },
    ];
  } else if (wanted.command === 'import') {
    let text;
    try {
      text = fs.readFileSync(wanted.target, 'utf8');
    } catch (error) {
      throw new Error(`${wanted.target}: ${error.code === 'ENOENT' ? 'no such file' : error.message}`, {
        cause: error,
      });
    }
    const parsed = domain.parseAccountsCsv(text);
    if (parsed.violations.length > 0) {
      err(`${wanted.target}：${parsed.violations.length} 处问题，未创建任何账号`);
      for (const violation of parsed.violations) err(`  · ${violation.message}`);
      return 1;
    }
    rows = parsed.rows;
  }

  const strapi = io.strapi || (await loadApp()).strapi;
  try {
    const glue = require(path.join(distDir, 'src', 'strapi', 'accounts.js'));
    if (rows !== null) {
      const violations = await glue.accountViolations(strapi, rows);
      if (violations.length > 0) {
        err(`${wanted.command === 'import' ? `${wanted.target}：` : ''}${violations.length} 处问题，未创建任何账号`);
        for (const violation of violations) err(`  · ${violation.message}`);
        return 1;
      }
      if (wanted.flags['dry-run']) {
        out(`${wanted.target}：${rows.length} 个账号无误（--dry-run，未创建）`);
        return 0;
      }
      const created = await glue.createAccounts(strapi, rows);
      const admin = (row) => domain.accountKind(row.role) === 'admin';
      out(
        table([
          ['角色', '账号', '单位', '初始密码'],
          ...created.map(({ row, password }) => [
            domain.ROLE_NAMES[row.role],
            admin(row) ? row.email : row.username,
            row.unit || '',
            password,
          ]),
        ]),
      );
      out(
        `\n已创建 ${created.length} 个账号。密码只显示这一次，请分别交给本人；忘记时用 npm run users -- reset 账号 重设。`,
      );
      return 0;
    }
    if (wanted.command === 'reset') {
      const { account, password } = await glue.resetPassword(strapi, wanted.target);
      out(
        table([
          ['角色', '账号', '新密码'],
          [account.label, account.login, password],
        ]),
      );
      out('\n旧密码已失效。新密码只显示这一次。');
      return 0;
    }
    const blocked = wanted.flags.unblock !== true;
    const account = await glue.setBlocked(strapi, wanted.target, blocked);
    out(`${account.label} ${account.login}：${blocked ? '已停用（不能再登录）' : '已恢复（可以登录）'}`);
    return 0;
  } finally {
    if (!io.strapi) await stopApp(strapi);
  }
}

module.exports = { run, UsageError, USAGE };

if (require.main === module) runAsCommand(run, USAGE);
