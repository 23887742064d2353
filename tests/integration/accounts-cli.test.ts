import fs from 'fs';
import os from 'os';
import path from 'path';
import { randomBytes } from 'crypto';
import { bootApp, type TestApp } from '../support/app';
import { createTestDatabase } from '../support/postgres';
import { startAppProcess } from '../support/processes';
import { problems, runScript, runScriptInProcess } from '../support/scripts';
import { isGeneratedPassword, ROLE_NAMES } from '../../src/domain/accounts';

/**
 * `npm run users` and `npm run token` on the test app's PostgreSQL database (run for real as child processes, and their
 * commands' logic run in this process on the test's app, tests/support/scripts.ts), and the
 * demo accounts a development first start creates: every password printed logs in for real, every refusal names the
 * line and the column and writes nothing.
 */

let app: TestApp;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bulletin-accounts-'));

beforeAll(async () => {
  // The demo content gives the units 区人社局 and 峡窝镇 (under jest NODE_ENV is test: no demo accounts).
  app = await bootApp();
});
afterAll(async () => {
  await (app as TestApp | undefined)?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

/**
 * `npm run users` run on the test's own app, in this process (tests/support/scripts.ts): the tests of the commands'
 * logic. The script's own process is run for real by the tests of `add`, of the usage errors and of `token`.
 */
const users = (args: string[]) => runScriptInProcess('users', args, app.strapi);

/** A name no other test uses. */
const fresh = (prefix: string) => `${prefix}-${randomBytes(3).toString('hex')}`;

const login = (identifier: string, password: string) =>
  app.http().post('/api/auth/local').send({ identifier, password });
const adminLogin = (email: string, password: string) => app.http().post('/admin/login').send({ email, password });

/** The password column of the script's table row for an account. */
function passwordOf(stdout: string, account: string): string {
  const row = stdout.split('\n').find((line) => line.split('\t')[1] === account);
  if (row === undefined) throw new Error(`no row for ${account} in:\n${stdout}`);
  const password = row.split('\t').at(-1) ?? '';
  expect(isGeneratedPassword(password)).toBe(true);
  return password;
}

async function accountCounts(): Promise<{ users: number; admins: number }> {
  return {
    users: await app.strapi.db.query('plugin::users-permissions.user').count({}),
    admins: await app.strapi.db.query('admin::user').count({}),
  };
}

test('add: a contributor of 区人社局 with a printed password that logs in, in its role and unit', async () => {
  const username = fresh('wangfang');
  const result = await runScript('users', [
    'add',
    username,
    '--email',
    `${username}@example.gov.cn`,
    '--role',
    'contributor',
    '--unit',
    '区人社局',
  ]);
  expect(problems(result.stderr)).toBe('');
  expect(result.status).toBe(0);
  const password = passwordOf(result.stdout, username);

  const response = await login(username, password);
  expect(response.status).toBe(200);
  const user = await app.strapi.db
    .query('plugin::users-permissions.user')
    .findOne({ where: { username }, populate: { role: true, unit: true } });
  expect([user.role.type, user.unit.shortName, user.confirmed, user.blocked]).toEqual([
    'contributor',
    '区人社局',
    true,
    false,
  ]);
  // The password is kept only as a hash.
  expect(user.password).not.toContain(password);
});

test('import: a CSV of contributors, readers and an editor, all created with one-time passwords that log in', async () => {
  const [contributor, reader, readerWithoutUnit] = [fresh('xinxiyuan'), fresh('yueduren'), fresh('lingdao')];
  const editor = `${fresh('bianji')}@example.gov.cn`;
  const file = path.join(tmp, `${fresh('accounts')}.csv`);
  fs.writeFileSync(
    file,
    [
      '\uFEFF用户名,邮箱,单位,角色,姓名',
      `${contributor},${contributor}@example.gov.cn,区人社局,信息员,王芳`,
      `${reader},${reader}@example.gov.cn,峡窝镇,reader,`,
      `${readerWithoutUnit},${readerWithoutUnit}@example.gov.cn,,阅读人,"李, 雷"`,
      `,${editor},,editor,郝婕`,
    ].join('\r\n'),
  );
  const before = await accountCounts();
  // A real process: creating an admin account (the editor) leaves Strapi's own metrics query running after the
  // account's transaction has ended, which fails a test in this process (see runScriptInProcess's note).
  const result = await runScript('users', ['import', file]);
  expect(problems(result.stderr)).toBe('');
  expect(result.status).toBe(0);
  expect(result.stdout).toContain('已创建 4 个账号');
  expect(await accountCounts()).toEqual({ users: before.users + 3, admins: before.admins + 1 });

  for (const username of [contributor, reader, readerWithoutUnit])
    expect((await login(username, passwordOf(result.stdout, username))).status).toBe(200);
  const editorLogin = await adminLogin(editor, passwordOf(result.stdout, editor));
  expect(editorLogin.status).toBe(200);
  const roles = await app.strapi.db
    .query('admin::user')
    .findOne({ where: { email: editor }, populate: { roles: true } });
  expect(roles.roles.map((role: { code: string }) => role.code)).toEqual(['bulletin-editor']);
  const readerRow = await app.strapi.db
    .query('plugin::users-permissions.user')
    .findOne({ where: { username: reader }, populate: { role: true, unit: true } });
  expect([readerRow.role.type, readerRow.unit.shortName]).toEqual(['reader', '峡窝镇']);
  expect(result.stdout).toContain(`${ROLE_NAMES.reader}\t${reader}\t峡窝镇\t`);

  // --dry-run on a valid file checks it and creates nobody.
  const more = path.join(tmp, `${fresh('more')}.csv`);
  const another = fresh('another');
  fs.writeFileSync(more, `username,email,unit,role\n${another},${another}@example.gov.cn,峡窝镇,reader\n`);
  const dry = await users(['import', more, '--dry-run']);
  expect(dry.status).toBe(0);
  expect(dry.stdout).toContain('1 个账号无误');
  expect(await app.strapi.db.query('plugin::users-permissions.user').count({ where: { username: another } })).toBe(0);
});

test('import: a file with problems creates nobody, and each problem names its line and column', async () => {
  const taken = fresh('taken');
  await users(['add', taken, '--email', `${taken}@example.gov.cn`, '--role', 'reader']);
  const ok = fresh('ok');
  const file = path.join(tmp, `${fresh('bad')}.csv`);
  fs.writeFileSync(
    file,
    [
      'username,email,unit,role',
      `${ok},${ok}@example.gov.cn,峡窝镇,reader`,
      `${taken},other-${taken}@example.gov.cn,峡窝镇,reader`,
      `${fresh('nounit')},x-${ok}@example.gov.cn,区财政局,contributor`,
      `${ok},second-${ok}@example.gov.cn,峡窝镇,reader`,
    ].join('\n'),
  );
  const before = await accountCounts();
  const result = await users(['import', file]);
  expect(result.status).toBe(1);
  expect(result.stderr).toContain('3 处问题，未创建任何账号');
  expect(result.stderr).toContain(`第3行，username：已有账号 ${taken}`);
  expect(result.stderr).toContain('第4行，unit：没有单位“区财政局”');
  expect(result.stderr).toContain(`第5行，username：“${ok}”与第2行重复`);
  expect(await accountCounts()).toEqual(before);

  const malformed = path.join(tmp, `${fresh('malformed')}.csv`);
  fs.writeFileSync(malformed, 'username,email,role\nab,not-an-address,boss\n');
  const refused = await users(['import', malformed]);
  expect(refused.status).toBe(1);
  expect(refused.stderr).toContain('第2行，role：“boss”不是角色');
  expect(refused.stderr).toContain('第2行，email：“not-an-address”不是电子邮件地址');
  expect(await accountCounts()).toEqual(before);
});

test('reset: a new password works and the old one no longer does (readers and admin users)', async () => {
  const username = fresh('reset');
  const created = await users([
    'add',
    username,
    '--email',
    `${username}@example.gov.cn`,
    '--role',
    'reader',
    '--unit',
    '峡窝镇',
  ]);
  const old = passwordOf(created.stdout, username);
  const reset = await users(['reset', `${username}@example.gov.cn`]);
  expect(problems(reset.stderr)).toBe('');
  expect(reset.status).toBe(0);
  const renewed = passwordOf(reset.stdout, username);
  expect(renewed).not.toBe(old);
  expect((await login(username, old)).status).toBe(400);
  expect((await login(username, renewed)).status).toBe(200);

  const signer = `${fresh('signer')}@example.gov.cn`;
  const signerCreated = await runScript('users', ['add', signer, '--role', 'signer']); // an admin account: a real process, as above
  expect(signerCreated.status).toBe(0);
  const signerOld = passwordOf(signerCreated.stdout, signer);
  const signerReset = await users(['reset', signer]);
  const signerNew = passwordOf(signerReset.stdout, signer);
  expect((await adminLogin(signer, signerOld)).status).toBe(400);
  expect((await adminLogin(signer, signerNew)).status).toBe(200);

  const missing = await users(['reset', fresh('nobody')]);
  expect(missing.status).toBe(1);
  expect(missing.stderr).toContain('没有账号');
});

test('block: a blocked account cannot log in, --unblock lets it in again', async () => {
  const username = fresh('block');
  const created = await users([
    'add',
    username,
    '--email',
    `${username}@example.gov.cn`,
    '--role',
    'contributor',
    '--unit',
    '区人社局',
  ]);
  const password = passwordOf(created.stdout, username);
  const blocked = await users(['block', username]);
  expect(blocked.status).toBe(0);
  expect(blocked.stdout).toContain('已停用');
  expect((await login(username, password)).status).toBe(400);
  const unblocked = await users(['block', username, '--unblock']);
  expect(unblocked.status).toBe(0);
  expect((await login(username, password)).status).toBe(200);
});

test('token create: prints a read-only API token (and only it on standard output) that reads but cannot write', async () => {
  const name = fresh('前台');
  const result = await runScript('token', ['create', name, '--type', 'read-only']);
  expect(problems(result.stderr)).toContain(`API token “${name}” (read-only, no expiry)`);
  expect(result.status).toBe(0);
  const token = result.stdout.trim();
  expect(token).toMatch(/^[0-9a-f]{64,}$/);
  const read = await app.http().get('/api/units').set('Authorization', `Bearer ${token}`);
  expect(read.status).toBe(200);
  const write = await app
    .http()
    .post('/api/units')
    .set('Authorization', `Bearer ${token}`)
    .send({ data: { shortName: fresh('单位'), kind: 'department' } });
  expect(write.status).toBe(403);

  const again = await runScriptInProcess('token', ['create', name, '--type', 'read-only'], app.strapi);
  expect(again.status).toBe(1);
  expect(again.stderr).toContain('exists already');
});

test.each([
  ['users', [], 'no command given'],
  [
    'users',
    ['add', 'someone', '--role', 'boss', '--email', 'a@example.gov.cn'],
    '--role must be contributor, reader, editor or signer',
  ],
  ['users', ['import', 'a.csv', 'b.csv'], 'import takes exactly one file'],
  ['users', ['reset', 'x', '--unit', '区人社局'], '--unit does not go with reset'],
  ['token', ['create', 'x'], '--type must be read-only or full-access'],
  ['token', ['create', 'x', '--type', 'read-only', '--days', '5'], '--days must be 7, 30 or 90'],
])('%s %j is a usage error (exit 2), with the usage line', async (script, args, message) => {
  const result = await runScript(script, args);
  expect(result.status).toBe(2);
  expect(result.stderr).toContain(message);
  expect(result.stderr).toContain(`usage: npm run ${script} --`);
});

/** Random secrets for a production start (none known in advance). */
const productionSecrets = () => {
  const value = () => randomBytes(32).toString('base64');
  return {
    APP_KEYS: `${value()},${value()}`,
    API_TOKEN_SALT: value(),
    ADMIN_JWT_SECRET: value(),
    TRANSFER_TOKEN_SALT: value(),
    JWT_SECRET: value(),
    ENCRYPTION_KEY: value(),
  };
};

test('demo accounts: the first development start creates one per role and prints each password once; a second start prints none; production creates none', async () => {
  // Empty databases: what is tested is the first start's bootstrap.
  const database = await createTestDatabase();
  const production = await createTestDatabase();
  const secrets = path.join(tmp, `${fresh('secrets')}.json`);
  const env = {
    NODE_ENV: 'development',
    DATABASE_CLIENT: 'postgres',
    DATABASE_URL: database.url,
    BULLETIN_SECRETS_FILE: secrets,
    BULLETIN_DEMO_CONTENT: 'true',
    LOG_LEVEL: 'warn',
  };
  try {
    const first = await startAppProcess(0, env);
    const printed = first.output();
    const base = `http://127.0.0.1:${first.port}`;
    const row = (label: string) => {
      const line = printed.split('\n').find((text) => text.startsWith(`${label}\t`));
      if (line === undefined) throw new Error(`no demo account ${label} in:\n${printed}`);
      const [, account, password] = line.split('\t');
      expect(isGeneratedPassword(password)).toBe(true);
      return { account, password };
    };
    try {
      const post = (url: string, body: object) =>
        fetch(`${base}${url}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify(body),
        });
      for (const label of ['超级管理员', '编辑', '签发人']) {
        const { account, password } = row(label);
        expect((await post('/admin/login', { email: account, password })).status).toBe(200);
      }
      const contributor = row('信息员（区人社局）');
      const reader = row('阅读人（峡窝镇）');
      expect(contributor.account).toBe('demo-contributor');
      const readerLogin = await post('/api/auth/local', { identifier: reader.account, password: reader.password });
      expect(readerLogin.status).toBe(200);
      expect(
        (await post('/api/auth/local', { identifier: contributor.account, password: contributor.password })).status,
      ).toBe(200);
      // The reader of 峡窝镇 reads the demo issue, which is distributed to 峡窝镇.
      const { jwt } = (await readerLogin.json()) as { jwt: string };
      const issue = await fetch(`${base}/api/bulletin/${encodeURIComponent('上街信息')}/2020/14`, {
        headers: { Authorization: `Bearer ${jwt}` },
      });
      expect(issue.status).toBe(200);
    } finally {
      await first.stop();
    }

    const second = await startAppProcess(0, env);
    await second.stop();
    expect(second.output()).not.toContain('演示账号');

    const prod = await startAppProcess(0, {
      ...env,
      ...productionSecrets(),
      NODE_ENV: 'production',
      DATABASE_URL: production.url,
    });
    await prod.stop();
    expect(prod.output()).not.toContain('演示账号');
    const { Client } = await import('pg');
    const client = new Client({ connectionString: production.url });
    await client.connect();
    try {
      const issues = await client.query('SELECT count(*)::int AS n FROM issues');
      const users = await client.query('SELECT count(*)::int AS n FROM up_users');
      const admins = await client.query('SELECT count(*)::int AS n FROM admin_users');
      expect([issues.rows[0].n > 0, users.rows[0].n, admins.rows[0].n]).toEqual([true, 0, 0]);
    } finally {
      await client.end();
    }
  } finally {
    await database.drop();
    await production.drop();
  }
});
