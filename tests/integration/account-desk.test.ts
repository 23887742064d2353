import { randomBytes } from 'crypto';
import { bootApp, type TestApp } from '../support/app';
import { aUnit } from '../support/people';
import { generatePassword } from '../../src/domain/accounts';

/**
 * The 账号 page's admin routes (/bulletin-accounts, src/strapi/account-desk.ts) with real admin logins: super
 * administrators and editors list, add, import (preview, then confirm), reset and block readers and contributors;
 * signers and unit staff get 403, a visitor without login 401. The one-time passwords work at POST /api/auth/local.
 * Each test makes its own accounts (usernames carry the test's own prefix).
 */

let app: TestApp;
const token: Record<string, string> = {};
let unit = '';

async function anAdmin(key: string, roleCodes: string[]): Promise<void> {
  const roles = await app.strapi.db.query('admin::role').findMany({ where: { code: { $in: roleCodes } } });
  const email = `${key}@accounts.example.gov.cn`;
  const password = generatePassword(randomBytes);
  await app.strapi.service('admin::user').create({
    email,
    firstname: key,
    lastname: '测',
    password,
    isActive: true,
    roles: roles.map((role: { id: number }) => role.id),
  });
  const login = await app.http().post('/admin/login').send({ email, password });
  expect(login.status).toBe(200);
  token[key] = login.body.data.token as string;
}

beforeAll(async () => {
  app = await bootApp();
  await anAdmin('super', ['strapi-super-admin']);
  await anAdmin('editor', ['bulletin-editor']);
  await anAdmin('signer', ['bulletin-signer']);
  await anAdmin('staff', ['bulletin-unit-staff']);
  unit = `账号测试局${Date.now() % 100000}`;
  await aUnit(app, unit);
}, 600000);
afterAll(async () => {
  await (app as TestApp | undefined)?.close();
});

const as = (who: string) => ({ Authorization: `Bearer ${token[who]}` });
const get = (who: string) => app.http().get('/bulletin-accounts').set(as(who));
const post = (who: string, path: string, body: unknown) =>
  app
    .http()
    .post(`/bulletin-accounts${path}`)
    .set(as(who))
    .send(body as object);
const loginAt = (identifier: string, password: string) =>
  app.http().post('/api/auth/local').send({ identifier, password });
type Listed = { id: number; username: string; role: string; roleLabel: string; unit: string | null; blocked: boolean };
const listed = async (who: string): Promise<Listed[]> => (await get(who)).body.data.accounts as Listed[];

test.each([
  ['super', 200],
  ['editor', 200],
  ['signer', 403],
  ['staff', 403],
])('%s opens the list: %s', async (who, status) => {
  const res = await get(who);
  expect(res.status).toBe(status);
  if (status === 403) {
    expect(res.body.error.message).toBe('只有编辑和超级管理员可以管理账号');
    expect(
      (await post(who, '', { username: `x-${who}`, email: `x-${who}@example.gov.cn`, role: 'reader' })).status,
    ).toBe(403);
    expect((await post(who, '/preview', { csv: 'username,email,unit,role\n' })).status).toBe(403);
  } else {
    expect(Array.isArray(res.body.data.accounts)).toBe(true);
    expect(res.body.data.units).toContain(unit);
  }
});

test('without a login: 401', async () => {
  expect((await app.http().get('/bulletin-accounts')).status).toBe(401);
});

test('an editor adds one contributor; the one-time password logs in once handed out; it is listed with unit and role', async () => {
  const res = await post('editor', '', {
    username: 'add-wang',
    email: 'add-wang@example.gov.cn',
    unit,
    role: 'contributor',
    name: '王芳',
  });
  expect(res.status).toBe(201);
  const [created] = res.body.data.created as { username: string; password: string; roleLabel: string }[];
  expect(created).toMatchObject({ username: 'add-wang', roleLabel: '信息员' });
  expect((await loginAt('add-wang', created.password)).status).toBe(200);
  expect((await listed('editor')).find((account) => account.username === 'add-wang')).toMatchObject({
    role: 'contributor',
    roleLabel: '信息员',
    unit,
    blocked: false,
  });
  // The list never carries a password or hash.
  expect(JSON.stringify((await get('editor')).body)).not.toContain(created.password);
  expect(JSON.stringify((await get('editor')).body)).not.toMatch(/password|\$2[aby]\$/u);
});

test('one account with problems: 400 naming each field, nobody created', async () => {
  const res = await post('super', '', { username: 'a b', email: 'not-an-address', role: 'contributor' });
  expect(res.status).toBe(400);
  const paths = (res.body.error.details.errors as { path: string[] }[]).map((error) => error.path[1]);
  expect(paths).toEqual(expect.arrayContaining(['username', 'email', 'unit']));
  expect(
    (await post('super', '', { username: 'bad-role', email: 'bad-role@example.gov.cn', role: 'editor' })).status,
  ).toBe(400);
  expect((await listed('super')).some((account) => account.username === 'a b' || account.username === 'bad-role')).toBe(
    false,
  );
});

test('a CSV import: the preview names every problem by line and column and writes nothing; fixed, it creates all at once', async () => {
  const broken = [
    'username,email,unit,role',
    `csv-li,csv-li@example.gov.cn,${unit},信息员`,
    'csv-zhao,csv-zhao@example.gov.cn,没有这个单位,contributor',
    'csv-boss,csv-boss@example.gov.cn,,editor',
    'csv-li,csv-li2@example.gov.cn,,reader',
  ].join('\n');
  const preview = await post('editor', '/preview', { csv: broken });
  expect(preview.status).toBe(200);
  const violations = preview.body.data.violations as { line: number; field: string; message: string }[];
  expect(violations.map((violation) => [violation.line, violation.field])).toEqual(
    expect.arrayContaining([
      [3, 'unit'],
      [4, 'role'],
      [5, 'username'],
    ]),
  );
  expect(violations.find((violation) => violation.line === 3)?.message).toContain('第3行，unit');
  const refused = await post('editor', '', { csv: broken });
  expect(refused.status).toBe(400);
  expect((await listed('editor')).some((account) => account.username.startsWith('csv-'))).toBe(false);

  const fixed = [
    'username,email,unit,role',
    `csv-li,csv-li@example.gov.cn,${unit},信息员`,
    `csv-zhao,csv-zhao@example.gov.cn,${unit},contributor`,
    'csv-sun,csv-sun@example.gov.cn,,reader',
  ].join('\n');
  const clean = await post('editor', '/preview', { csv: fixed });
  expect(clean.body.data.violations).toEqual([]);
  expect(
    (clean.body.data.rows as { username: string; roleLabel: string }[]).map((row) => [row.username, row.roleLabel]),
  ).toEqual([
    ['csv-li', '信息员'],
    ['csv-zhao', '信息员'],
    ['csv-sun', '阅读人'],
  ]);
  expect((await listed('editor')).some((account) => account.username.startsWith('csv-'))).toBe(false);
  const created = await post('editor', '', { csv: fixed });
  expect(created.status).toBe(201);
  const passwords = created.body.data.created as { username: string; password: string }[];
  expect(passwords.map((entry) => entry.username)).toEqual(['csv-li', 'csv-zhao', 'csv-sun']);
  for (const entry of passwords) expect((await loginAt(entry.username, entry.password)).status).toBe(200);
  // The same file again: every line taken, nothing created twice.
  const again = await post('editor', '', { csv: fixed });
  expect(again.status).toBe(400);
  expect((await listed('editor')).filter((account) => account.username.startsWith('csv-'))).toHaveLength(3);
});

test('reset: a new one-time password, the old one stops working; block and unblock', async () => {
  const res = await post('super', '', { username: 'reset-zhou', email: 'reset-zhou@example.gov.cn', role: 'reader' });
  const first = (res.body.data.created as { password: string }[])[0].password;
  const id = (await listed('super')).find((account) => account.username === 'reset-zhou')!.id;

  const reset = await post('editor', `/${id}/reset`, {});
  expect(reset.status).toBe(200);
  expect(reset.body.data.username).toBe('reset-zhou');
  const second = reset.body.data.password as string;
  expect(second).not.toBe(first);
  expect((await loginAt('reset-zhou', first)).status).toBe(400);
  expect((await loginAt('reset-zhou', second)).status).toBe(200);

  expect((await post('editor', `/${id}/block`, { blocked: true })).body.data).toEqual({
    username: 'reset-zhou',
    blocked: true,
  });
  expect((await loginAt('reset-zhou', second)).status).toBe(400);
  expect((await listed('editor')).find((account) => account.id === id)?.blocked).toBe(true);
  expect((await post('editor', `/${id}/block`, { blocked: false })).status).toBe(200);
  expect((await loginAt('reset-zhou', second)).status).toBe(200);

  expect((await post('editor', `/${id}/block`, { blocked: 'yes' })).status).toBe(400);
  expect((await post('signer', `/${id}/reset`, {})).status).toBe(403);
  expect((await post('editor', '/999999999/reset', {})).status).toBe(404);
  expect((await post('editor', '/abc/block', { blocked: true })).status).toBe(404);
});
