import fs from 'fs';
import os from 'os';
import path from 'path';
import { spawn } from 'child_process';
import { bootApp, type TestApp } from '../support/app';
import { graphql } from '../support/graphql';
import { aPerson, aUnit, unitId } from '../support/people';
import { eventually } from '../support/eventually';

/**
 * The audit trail's security events and reads (留痕, src/strapi/audit-security.ts, audit-reads.ts) on real PostgreSQL
 * with real logins: each event leaves exactly one entry of its category naming who (or which e-mail / identifier was
 * tried) and from where; no password, token, JWT, reset code or key appears in any entry; a reader's first opening of
 * a signed-off issue is recorded once however often and however they read it; npm run audit:archive moves old
 * entries to a file and npm run audit:verify checks the rest from the cut, and the file with it.
 */

const ADMIN_USER = 'admin::user';
const ACCOUNT = 'plugin::users-permissions.user';
const ISSUE = 'api::issue.issue';
const RECORD = `/api/bulletin/${encodeURIComponent('上街信息')}/2020/14`;

let app: TestApp;
let superAdmin: string;
/** Every secret this file uses or is given: none may appear in any entry (the last test). */
const secrets = new Set<string>();

type Entry = {
  id: string;
  at: Date | string;
  category: string;
  action: string;
  content_type: string;
  document_id: string | null;
  document_name: string | null;
  changes: Record<string, { old: unknown; new: unknown }>;
  actor_kind: string;
  actor_id: string | null;
  actor_name: string | null;
  actor_unit: string | null;
  address: string | null;
  user_agent: string | null;
  request_id: string | null;
};

const sql = async <T>(text: string, bindings: unknown[] = []): Promise<T[]> =>
  (await app.strapi.db.connection.raw<{ rows: T[] }>(text, bindings as never)).rows;
const parsed = (rows: Entry[]): Entry[] =>
  rows.map((row) => ({ ...row, changes: typeof row.changes === 'string' ? JSON.parse(row.changes) : row.changes }));
/** The entries after id `since`, of one content type. */
const entriesSince = async (since: string, contentType?: string): Promise<Entry[]> =>
  parsed(
    contentType === undefined
      ? await sql<Entry>('SELECT * FROM bulletin_audit WHERE id > ? ORDER BY id', [since])
      : await sql<Entry>('SELECT * FROM bulletin_audit WHERE id > ? AND content_type = ? ORDER BY id', [
          since,
          contentType,
        ]),
  );
const lastId = async (): Promise<string> =>
  (await sql<{ id: string | null }>('SELECT max(id) AS id FROM bulletin_audit'))[0].id ?? '0';
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

async function anAdmin(email: string, password: string, roleCode: string): Promise<{ id: number; documentId: string }> {
  secrets.add(password);
  const role = await app.strapi.db.query('admin::role').findOne({ where: { code: roleCode } });
  const user = await app.strapi
    .service('admin::user')
    .create({ email, firstname: '婕', lastname: '郝', password, isActive: true, roles: [role.id] });
  return { id: user.id, documentId: user.documentId };
}
async function adminLogin(email: string, password: string): Promise<string> {
  const login = await app.http().post('/admin/login').send({ email, password });
  expect(login.status).toBe(200);
  secrets.add(login.body.data.token);
  return login.body.data.token as string;
}
beforeAll(async () => {
  // A low per-account limit so that a refused login is quick to reach; the per-address limit stays high.
  app = await bootApp({ env: { BULLETIN_LOGIN_ACCOUNT_MAX: '3', BULLETIN_LOGIN_ADDRESS_MAX: '500' } });
  await anAdmin('audit-root@example.gov.cn', 'Root-pass-1', 'strapi-super-admin');
  superAdmin = await adminLogin('audit-root@example.gov.cn', 'Root-pass-1');
});
// The whole trail, after every test of this file that ran (in whatever order, or alone with -t): no password, token,
// JWT, reset code, key or password hash those tests used is in any entry.
afterAll(async () => {
  try {
    const rows = await sql<Record<string, unknown>>('SELECT * FROM bulletin_audit');
    const text = JSON.stringify(rows);
    for (const secret of secrets) expect({ secret, found: text.includes(secret) }).toEqual({ secret, found: false });
    expect(text).not.toMatch(/\$2[aby]\$\d\d\$/); // bcrypt hashes
    expect(text).not.toMatch(/eyJ[\w-]{10,}\.[\w-]+\.[\w-]+/); // any JWT
  } finally {
    await (app as TestApp | undefined)?.close();
  }
});

describe('logins', () => {
  test('admin login: one security entry, the admin user by name and e-mail, from where', async () => {
    const admin = await anAdmin('audit-login@example.gov.cn', 'Admin-pass-1', 'bulletin-editor');
    const since = await lastId();
    const res = await app
      .http()
      .post('/admin/login')
      .set('User-Agent', 'audit-browser')
      .set('X-Request-Id', 'login-1')
      .send({ email: 'audit-login@example.gov.cn', password: 'Admin-pass-1' });
    expect(res.status).toBe(200);
    secrets.add(res.body.data.token);
    const entries = await entriesSince(since);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      category: 'security',
      action: 'login',
      content_type: ADMIN_USER,
      document_id: admin.documentId,
      document_name: 'audit-login@example.gov.cn',
      changes: { email: { old: null, new: 'audit-login@example.gov.cn' } },
      actor_kind: 'admin',
      actor_id: String(admin.id),
      actor_name: '郝婕',
      user_agent: 'audit-browser',
      request_id: 'login-1',
    });
    expect(entries[0].address).toMatch(/127\.0\.0\.1|::1/);
  });

  test('admin failed login: one entry naming the e-mail tried, no one as actor', async () => {
    await anAdmin('audit-wrong@example.gov.cn', 'Admin-pass-2', 'bulletin-editor');
    const since = await lastId();
    secrets.add('Wrong-pass-9');
    expect(
      (await app.http().post('/admin/login').send({ email: 'audit-wrong@example.gov.cn', password: 'Wrong-pass-9' }))
        .status,
    ).toBe(400);
    const entries = await entriesSince(since);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      category: 'security',
      action: 'login-failed',
      content_type: ADMIN_USER,
      document_id: null,
      changes: { email: { old: null, new: 'audit-wrong@example.gov.cn' } },
      actor_kind: 'admin',
      actor_id: null,
    });
  });

  test('admin logout: one entry by the admin user', async () => {
    const admin = await anAdmin('audit-logout@example.gov.cn', 'Admin-pass-3', 'bulletin-editor');
    const token = await adminLogin('audit-logout@example.gov.cn', 'Admin-pass-3');
    const since = await lastId();
    expect((await app.http().post('/admin/logout').set(bearer(token)).send({})).status).toBe(200);
    const entries = await entriesSince(since);
    expect(entries.map((entry) => [entry.category, entry.action, entry.actor_id])).toEqual([
      ['security', 'logout', String(admin.id)],
    ]);
  });

  test('account login (REST and GraphQL) and failed login: one entry each, the identifier tried', async () => {
    const person = await aPerson(app, 'audit-leader', 'reader', await unitId(app, '峡窝镇'));
    secrets.add(person.jwt).add('Pass-word-1');
    const since = await lastId();
    const ok = await app
      .http()
      .post('/api/auth/local')
      .set('User-Agent', 'audit-reader')
      .send({ identifier: 'audit-leader', password: 'Pass-word-1' });
    expect(ok.status).toBe(200);
    secrets.add(ok.body.jwt);
    expect(
      (await app.http().post('/api/auth/local').send({ identifier: 'audit-leader', password: 'Not-the-pass' })).status,
    ).toBe(400);
    secrets.add('Not-the-pass');
    const viaGraphql = await graphql(
      app,
      null,
      'mutation { login(input: { identifier: "audit-leader", password: "Pass-word-1" }) { jwt } }',
    );
    expect(viaGraphql.errors).toEqual([]);
    secrets.add((viaGraphql.data as { login: { jwt: string } }).login.jwt);
    const entries = await entriesSince(since);
    expect(
      entries.map((entry) => [
        entry.category,
        entry.content_type,
        entry.action,
        entry.actor_id,
        (entry.changes.identifier as { new: unknown } | undefined)?.new,
      ]),
    ).toEqual([
      ['security', ACCOUNT, 'login', String(person.id), 'audit-leader'],
      ['security', ACCOUNT, 'login-failed', null, 'audit-leader'],
      ['security', ACCOUNT, 'login', String(person.id), 'audit-leader'],
    ]);
    expect(entries[0]).toMatchObject({
      actor_kind: 'account',
      actor_name: 'audit-leader',
      actor_unit: '峡窝镇',
      user_agent: 'audit-reader',
    });
  });

  test('a login refused by the login limits (429) is recorded once, as refused', async () => {
    const since = await lastId();
    for (let attempt = 0; attempt < 3; attempt += 1) {
      expect(
        (await app.http().post('/api/auth/local').send({ identifier: 'audit-nobody', password: 'Guess-1' })).status,
      ).toBe(400);
    }
    secrets.add('Guess-1');
    expect(
      (await app.http().post('/api/auth/local').send({ identifier: 'audit-nobody', password: 'Guess-1' })).status,
    ).toBe(429);
    const entries = await entriesSince(since);
    expect(entries.map((entry) => entry.action)).toEqual([
      'login-failed',
      'login-failed',
      'login-failed',
      'login-refused',
    ]);
    expect(entries[3]).toMatchObject({
      category: 'security',
      content_type: ACCOUNT,
      changes: { identifier: { old: null, new: 'audit-nobody' } },
    });
  });
});

describe('passwords', () => {
  test('account: forgot-password, a wrong code, reset with the code, a wrong current password, change: one entry each, no code or password kept', async () => {
    const person = await aPerson(app, 'audit-reset', 'reader', await unitId(app, '峡窝镇'));
    secrets.add(person.jwt);
    const since = await lastId();
    // No such e-mail: the answer is the same and nothing is sent; the request is recorded with the e-mail asked for.
    expect((await app.http().post('/api/auth/forgot-password').send({ email: 'nobody@example.gov.cn' })).status).toBe(
      200,
    );
    // The code as the e-mail would carry it.
    const code = 'c0de'.repeat(16);
    secrets.add(code);
    await app.strapi.db.query(ACCOUNT).update({ where: { id: person.id }, data: { resetPasswordToken: code } });
    // A wrong code first: refused, and recorded as such (no account named, no code kept).
    const wrongCode = 'bad0'.repeat(16);
    secrets.add(wrongCode);
    expect(
      (
        await app
          .http()
          .post('/api/auth/reset-password')
          .send({ code: wrongCode, password: 'New-pass-22', passwordConfirmation: 'New-pass-22' })
      ).status,
    ).toBe(400);
    const reset = await app
      .http()
      .post('/api/auth/reset-password')
      .send({ code, password: 'New-pass-22', passwordConfirmation: 'New-pass-22' });
    expect(reset.status).toBe(200);
    secrets.add('New-pass-22').add(reset.body.jwt);
    // A wrong current password: refused, recorded against the logged-in account.
    secrets.add('Not-the-pass-1');
    expect(
      (
        await app
          .http()
          .post('/api/auth/change-password')
          .set(bearer(reset.body.jwt))
          .send({ currentPassword: 'Not-the-pass-1', password: 'Newer-pass-33', passwordConfirmation: 'Newer-pass-33' })
      ).status,
    ).toBe(400);
    const change = await app
      .http()
      .post('/api/auth/change-password')
      .set(bearer(reset.body.jwt))
      .send({ currentPassword: 'New-pass-22', password: 'Newer-pass-33', passwordConfirmation: 'Newer-pass-33' });
    expect(change.status).toBe(200);
    secrets.add('Newer-pass-33').add(change.body.jwt);
    const entries = (await entriesSince(since)).filter((entry) => entry.category === 'security');
    expect(entries.map((entry) => [entry.action, entry.document_name])).toEqual([
      ['password-reset-request', null],
      ['password-reset-failed', null],
      ['password-reset', 'audit-reset'],
      ['password-change-failed', 'audit-reset'],
      ['password-change', 'audit-reset'],
    ]);
    expect(entries[0].changes).toEqual({ email: { old: null, new: 'nobody@example.gov.cn' } });
    expect(entries[1].changes).toEqual({});
    expect(entries[2].changes).toEqual({ password: { old: '[已隐去]', new: '[已隐去]' } });
    expect(entries[3].changes).toEqual({});
  });

  test('admin: forgot-password, a wrong code, reset with the code from the database: one entry each, no code or password kept', async () => {
    const admin = await anAdmin('audit-forgot@example.gov.cn', 'Admin-pass-5', 'bulletin-editor');
    const since = await lastId();
    expect(
      (await app.http().post('/admin/forgot-password').send({ email: 'audit-forgot@example.gov.cn' })).status,
    ).toBe(204);
    // The code the mail would carry (no mail leaves the server: src/strapi/mail.ts), set once the request is done.
    const stored = await eventually(
      async () =>
        (await app.strapi.db.query('admin::user').findOne({ where: { id: admin.id }, select: ['resetPasswordToken'] }))
          ?.resetPasswordToken as unknown,
      (value) => typeof value === 'string' && value !== '',
    );
    expect(typeof stored).toBe('string');
    const code = stored as string;
    secrets.add(code);
    const wrongCode = 'bad1'.repeat(10);
    secrets.add(wrongCode).add('Admin-pass-55');
    expect(
      (
        await app
          .http()
          .post('/admin/reset-password')
          .send({ resetPasswordToken: wrongCode, password: 'Admin-pass-55' })
      ).status,
    ).toBe(400);
    const reset = await app
      .http()
      .post('/admin/reset-password')
      .send({ resetPasswordToken: code, password: 'Admin-pass-55' });
    expect(reset.status).toBe(200);
    secrets.add(reset.body.data.token);
    const entries = (await entriesSince(since)).filter((entry) => entry.category === 'security');
    expect(entries.map((entry) => [entry.action, entry.actor_kind, entry.actor_id])).toEqual([
      // The admin side of the login, before anyone is known: no admin user named.
      ['password-reset-request', 'admin', null],
      ['password-reset-failed', 'admin', null],
      ['password-reset', 'admin', String(admin.id)],
    ]);
    expect(entries[0].changes).toEqual({ email: { old: null, new: 'audit-forgot@example.gov.cn' } });
    // The new password works, the old one no longer does.
    expect(
      (await app.http().post('/admin/login').send({ email: 'audit-forgot@example.gov.cn', password: 'Admin-pass-55' }))
        .status,
    ).toBe(200);
    expect(
      (await app.http().post('/admin/login').send({ email: 'audit-forgot@example.gov.cn', password: 'Admin-pass-5' }))
        .status,
    ).toBe(400);
  });

  test("admin: changing one's own password — a wrong current password is password-change-failed, then password-change, once", async () => {
    const admin = await anAdmin('audit-own@example.gov.cn', 'Admin-pass-4', 'bulletin-editor');
    const token = await adminLogin('audit-own@example.gov.cn', 'Admin-pass-4');
    const since = await lastId();
    secrets.add('Admin-pass-44');
    secrets.add('Wrong-pass-4');
    const wrong = await app
      .http()
      .put('/admin/users/me')
      .set(bearer(token))
      .send({ currentPassword: 'Wrong-pass-4', password: 'Admin-pass-44' });
    expect(wrong.status).toBe(400);
    const res = await app
      .http()
      .put('/admin/users/me')
      .set(bearer(token))
      .send({ currentPassword: 'Admin-pass-4', password: 'Admin-pass-44' });
    expect(res.status).toBe(200);
    const entries = await entriesSince(since);
    expect(entries.map((entry) => [entry.category, entry.action, entry.actor_id])).toEqual([
      ['security', 'password-change-failed', String(admin.id)],
      ['security', 'password-change', String(admin.id)],
    ]);
  });
});

describe('roles, permissions, API tokens, accounts', () => {
  test('an account role created and its permissions changed: create, then permissions naming what was added and removed', async () => {
    const since = await lastId();
    const permissions = (actions: string[]) => ({
      'api::issue': {
        controllers: { issue: Object.fromEntries(actions.map((action) => [action, { enabled: true }])) },
      },
    });
    expect(
      (
        await app
          .http()
          .post('/users-permissions/roles')
          .set(bearer(superAdmin))
          .send({ name: '审计角色', description: '测试', permissions: permissions(['find']) })
      ).status,
    ).toBe(200);
    const role = await app.strapi.db.query('plugin::users-permissions.role').findOne({ where: { name: '审计角色' } });
    const mid = await lastId();
    expect(
      (
        await app
          .http()
          .put(`/users-permissions/roles/${role.id}`)
          .set(bearer(superAdmin))
          .send({ name: '审计角色', description: '测试', permissions: permissions(['findOne']) })
      ).status,
    ).toBe(200);
    const created = await entriesSince(since, 'plugin::users-permissions.role');
    expect(created[0]).toMatchObject({
      category: 'security',
      action: 'create',
      document_name: '审计角色',
      actor_kind: 'admin',
    });
    const changed = await entriesSince(mid, 'plugin::users-permissions.role');
    expect(changed).toHaveLength(1);
    expect(changed[0]).toMatchObject({
      category: 'security',
      action: 'permissions',
      document_id: role.documentId,
      document_name: '审计角色',
      changes: {
        added: { old: null, new: ['api::issue.issue.findOne'] },
        removed: { old: ['api::issue.issue.find'], new: null },
      },
      actor_kind: 'admin',
      actor_name: '郝婕',
    });
  });

  test("an admin role's permissions changed in the admin: one permissions entry", async () => {
    const created = await app
      .http()
      .post('/admin/roles')
      .set(bearer(superAdmin))
      .send({ name: '审计后台角色', description: '测试' });
    expect(created.status).toBe(201);
    const roleId = created.body.data.id as number;
    const since = await lastId();
    const res = await app
      .http()
      .put(`/admin/roles/${roleId}/permissions`)
      .set(bearer(superAdmin))
      .send({
        permissions: [
          {
            action: 'plugin::content-manager.explorer.read',
            subject: 'api::unit.unit',
            properties: { fields: ['shortName'] },
            conditions: [],
          },
        ],
      });
    expect(res.status).toBe(200);
    const entries = await entriesSince(since, 'admin::role');
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      category: 'security',
      action: 'permissions',
      document_name: '审计后台角色',
      changes: { added: { old: null, new: ['plugin::content-manager.explorer.read api::unit.unit'] } },
      actor_kind: 'admin',
    });
  });

  test('an API token created, regenerated, deleted: three entries by name, no key', async () => {
    const since = await lastId();
    const created = await app
      .http()
      .post('/admin/api-tokens')
      .set(bearer(superAdmin))
      .send({ name: '审计接口令牌', type: 'read-only', lifespan: null });
    expect(created.status).toBe(201);
    secrets.add(created.body.data.accessKey);
    const id = created.body.data.id as number;
    // Using it stamps lastUsedAt: that is no entry.
    expect((await app.http().get('/api/units').set(bearer(created.body.data.accessKey))).status).toBe(200);
    const regenerated = await app.http().post(`/admin/api-tokens/${id}/regenerate`).set(bearer(superAdmin)).send({});
    expect(regenerated.status).toBe(201);
    secrets.add(regenerated.body.data.accessKey);
    expect((await app.http().delete(`/admin/api-tokens/${id}`).set(bearer(superAdmin))).status).toBe(200);
    const entries = await entriesSince(since, 'admin::api-token');
    expect(entries.map((entry) => [entry.category, entry.action, entry.document_name, entry.actor_kind])).toEqual([
      ['security', 'create', '审计接口令牌', 'admin'],
      ['security', 'regenerate', '审计接口令牌', 'admin'],
      ['security', 'delete', '审计接口令牌', 'admin'],
    ]);
    expect(entries[1].changes.accessKey).toEqual({ old: '[已隐去]', new: '[已隐去]' });
  });

  test('an admin user created, changed, made active and inactive, deleted in the admin: create, update, unblock, block, delete', async () => {
    const role = await app.strapi.db.query('admin::role').findOne({ where: { code: 'bulletin-editor' } });
    const since = await lastId();
    const created = await app
      .http()
      .post('/admin/users')
      .set(bearer(superAdmin))
      .send({ email: 'audit-new@example.gov.cn', firstname: '新', lastname: '王', roles: [role.id] });
    expect(created.status).toBe(201);
    const id = created.body.data.id as number;
    secrets.add(created.body.data.registrationToken);
    const put = async (data: Record<string, unknown>) =>
      expect((await app.http().put(`/admin/users/${id}`).set(bearer(superAdmin)).send(data)).status).toBe(200);
    await put({ firstname: '新二' });
    await put({ isActive: true }); // an invited user is inactive until made active
    await put({ isActive: false });
    expect((await app.http().delete(`/admin/users/${id}`).set(bearer(superAdmin))).status).toBe(200);
    const entries = await entriesSince(since, ADMIN_USER);
    expect(entries.map((entry) => [entry.category, entry.action, entry.document_name])).toEqual([
      ['security', 'create', 'audit-new@example.gov.cn'],
      ['security', 'update', 'audit-new@example.gov.cn'],
      ['security', 'unblock', 'audit-new@example.gov.cn'],
      ['security', 'block', 'audit-new@example.gov.cn'],
      ['security', 'delete', 'audit-new@example.gov.cn'],
    ]);
    expect(entries[0].changes.roles).toEqual({ old: null, new: ['bulletin-editor'] });
    expect(entries[1].changes).toEqual({ firstname: { old: expect.any(String), new: '新二' } });
    expect(entries[3].changes).toEqual({ isActive: { old: true, new: false } });
    expect(entries.every((entry) => entry.actor_kind === 'admin')).toBe(true);
  });

  test('an account blocked in the content manager: block, by the admin user', async () => {
    const person = await aPerson(app, 'audit-blocked', 'reader', await unitId(app, '峡窝镇'));
    secrets.add(person.jwt);
    const account = await app.strapi.db.query(ACCOUNT).findOne({ where: { id: person.id } });
    const since = await lastId();
    const res = await app
      .http()
      .put(`/content-manager/collection-types/${ACCOUNT}/${account.documentId}`)
      .set(bearer(superAdmin))
      .send({ blocked: true });
    expect(res.status).toBe(200);
    const entries = (await entriesSince(since, ACCOUNT)).filter((entry) => entry.action !== 'login');
    expect(entries.map((entry) => [entry.category, entry.action, entry.document_name, entry.actor_kind])).toEqual([
      ['security', 'block', 'audit-blocked', 'admin'],
    ]);
  });
});

describe('reads', () => {
  test('the signed-off issue downloaded as PDF: one download entry naming the reader and the format', async () => {
    const reader = await aPerson(app, 'audit-pdf', 'reader', await unitId(app, '峡窝镇'));
    secrets.add(reader.jwt);
    const since = await lastId();
    const res = await app
      .http()
      .get(`${RECORD}/pdf`)
      .set(bearer(reader.jwt))
      .buffer(true)
      .parse((r, done) => {
        const chunks: Buffer[] = [];
        r.on('data', (chunk: Buffer) => chunks.push(chunk));
        r.on('end', () => done(null, Buffer.concat(chunks)));
      });
    expect(res.status).toBe(200);
    const downloads = (await entriesSince(since)).filter((entry) => entry.action === 'download');
    expect(downloads).toHaveLength(1);
    expect(downloads[0]).toMatchObject({
      category: 'read',
      content_type: ISSUE,
      document_name: '上街信息 2020年第14期',
      changes: { format: { old: null, new: 'pdf' }, version: { old: null, new: 'signed-off' } },
      actor_kind: 'account',
      actor_name: 'audit-pdf',
      actor_unit: '峡窝镇',
    });
  });

  test('a reader opening the issue again and again, on every path, is one first read; who has not read it is the other', async () => {
    const xiawo = await unitId(app, '峡窝镇');
    const reader = await aPerson(app, 'audit-first', 'reader', xiawo);
    const other = await aPerson(app, 'audit-unread', 'reader', xiawo);
    secrets.add(reader.jwt).add(other.jwt);
    const issue = await app.strapi.db
      .query(ISSUE)
      .findOne({ where: { year: 2020, number: 14, publishedAt: { $notNull: true } } });
    const firstReads = () =>
      sql<Entry>(
        "SELECT * FROM bulletin_audit WHERE action = 'first-read' AND actor_kind = 'account' AND actor_id = ? AND document_id = ?",
        [String(reader.id), issue.documentId],
      );

    // What the signer sees on the issue (阅读情况): the admin route the edit view's panel reads.
    await anAdmin('audit-reads-signer@example.gov.cn', 'Signer-pass-1', 'bulletin-signer');
    const signer = await adminLogin('audit-reads-signer@example.gov.cn', 'Signer-pass-1');
    type Reading = {
      signedOff: boolean;
      title: string;
      read: { name: string; unit: string; officeTime: string }[];
      notYetRead: { name: string; unit: string }[];
    };
    const reading = async (documentId = issue.documentId as string): Promise<Reading> => {
      const res = await app.http().get(`/bulletin-audit/issues/${documentId}/reads`).set(bearer(signer));
      expect(res.status).toBe(200);
      return res.body as Reading;
    };
    const before = await reading();
    expect(before).toMatchObject({ signedOff: true, title: '上街信息 2020年第14期' });
    expect(before.notYetRead.map((entry) => entry.name)).toEqual(
      expect.arrayContaining(['audit-first', 'audit-unread']),
    );
    expect(before.read.map((entry) => entry.name)).not.toContain('audit-first');

    for (let n = 0; n < 3; n += 1) expect((await app.http().get(RECORD).set(bearer(reader.jwt))).status).toBe(200); // the fast path
    expect((await app.http().get(`/api/issues/${issue.documentId}`).set(bearer(reader.jwt))).status).toBe(200);
    const viaGraphql = await graphql(app, reader.jwt, 'query($id: ID!) { issue(documentId: $id) { documentId } }', {
      id: issue.documentId,
    });
    expect(viaGraphql.errors).toEqual([]);
    const recorded = await eventually(firstReads, (rows) => rows.length > 0);
    // Give the later reads their chance to (wrongly) record again.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await firstReads()).toHaveLength(1);
    expect(recorded[0]).toMatchObject({
      category: 'read',
      content_type: ISSUE,
      document_name: '上街信息 2020年第14期',
      actor_kind: 'account',
      actor_name: 'audit-first',
      actor_unit: '峡窝镇',
    });

    const after = await reading();
    expect(after.notYetRead).toContainEqual({ name: 'audit-unread', unit: '峡窝镇' });
    expect(after.notYetRead.map((entry) => entry.name)).not.toContain('audit-first');
    const read = after.read.find((entry) => entry.name === 'audit-first');
    expect(read).toMatchObject({ unit: '峡窝镇' });
    // Office time of the first read, to the minute (the entry's UTC time shown in Asia/Shanghai).
    const at = new Date(recorded[0].at);
    const shanghai = new Date(at.getTime() + 8 * 3600 * 1000).toISOString().slice(0, 16).replace('T', ' ');
    expect(read?.officeTime).toContain(shanghai);
    // A reader in a unit it is not sent to is not among them; an issue not signed off has no one yet; none is 404.
    const outsider = await aPerson(app, 'audit-outsider', 'reader', await aUnit(app, '审计外单位'));
    secrets.add(outsider.jwt);
    expect((await reading()).notYetRead.map((entry) => entry.name)).not.toContain('audit-outsider');
    const draft = await app.strapi.documents(ISSUE).create({ data: { date: '2024-05-06' } as never });
    expect(await reading(draft.documentId)).toMatchObject({ signedOff: false, read: [], notYetRead: [] });
    expect((await app.http().get('/bulletin-audit/issues/no-such-issue/reads').set(bearer(signer))).status).toBe(404);
  });

  test('an admin opening the signed-off issue in the content manager: one first read by the admin', async () => {
    const admin = await anAdmin('audit-cm@example.gov.cn', 'Admin-pass-5', 'bulletin-editor');
    const token = await adminLogin('audit-cm@example.gov.cn', 'Admin-pass-5');
    const issue = await app.strapi.db
      .query(ISSUE)
      .findOne({ where: { year: 2020, number: 14, publishedAt: { $notNull: true } } });
    for (let n = 0; n < 2; n += 1) {
      expect(
        (await app.http().get(`/content-manager/collection-types/${ISSUE}/${issue.documentId}`).set(bearer(token)))
          .status,
      ).toBe(200);
    }
    const reads = () =>
      sql<Entry>("SELECT * FROM bulletin_audit WHERE action = 'first-read' AND actor_kind = 'admin' AND actor_id = ?", [
        String(admin.id),
      ]);
    await eventually(reads, (rows) => rows.length > 0);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const rows = await reads();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ category: 'read', document_id: issue.documentId, actor_name: '郝婕' });
  });
});

describe('archive and verify', () => {
  const script = (
    name: string,
    args: string[],
    env: Record<string, string> = {},
  ): Promise<{ code: number | null; stdout: string; stderr: string }> =>
    new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [path.join(__dirname, '..', '..', 'scripts', name), ...args], {
        env: {
          ...process.env,
          BULLETIN_DIST_DIR: process.env.BULLETIN_TEST_DIST_DIR,
          DATABASE_CLIENT: 'postgres',
          ...env,
        },
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });

  test('a retention under 180 days is refused with a message; nothing removed', async () => {
    const before = await lastId();
    const kept = async () =>
      (await sql<{ n: string }>('SELECT count(*) AS n FROM bulletin_audit WHERE id <= ?', [before]))[0].n;
    const count = await kept();
    const res = await script('audit-archive.js', ['--now', '2099-01-01T00:00:00Z'], {
      BULLETIN_AUDIT_RETENTION_DAYS: '90',
    });
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('少于 180 天');
    expect(await kept()).toBe(count);
    // Nothing written by the refused run (a first read an earlier test's request left to record may land meanwhile).
    expect((await entriesSince(before)).filter((entry) => entry.category !== 'read')).toEqual([]);
  });

  test('ordinary DELETE and TRUNCATE are still refused', async () => {
    await expect(
      app.strapi.db.connection.raw('DELETE FROM bulletin_audit WHERE id = (SELECT min(id) FROM bulletin_audit)'),
    ).rejects.toThrow(/append-only/);
    await expect(app.strapi.db.connection.raw('TRUNCATE bulletin_audit')).rejects.toThrow(/append-only/);
  });

  test('archive with a fake clock: the older entries go to a file, verify passes from the cut and with the file; a changed file is named', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bulletin-audit-archive-'));
    try {
      for (let n = 0; n < 12; n += 1) await aUnit(app, `归档测试单位${n}`); // entries of its own, whatever ran before
      const all = await sql<{ id: string; at: Date }>('SELECT id, at FROM bulletin_audit ORDER BY id');
      const middle = all[Math.floor(all.length / 2)];
      // "Now" is 400 days and a moment after the middle entry: the leading run of entries up to it is past the retention.
      const now = new Date(new Date(middle.at).getTime() + 400 * 24 * 60 * 60 * 1000 + 1).toISOString();
      const kept = all.findIndex((row) => new Date(row.at).getTime() > new Date(middle.at).getTime());
      const expected = kept === -1 ? all.length : kept;
      expect(expected).toBeGreaterThan(2);
      const archived = await script('audit-archive.js', ['--now', now, '--dir', dir]);
      expect(archived.stderr).toBe('');
      expect(archived.code).toBe(0);
      const [file] = fs.readdirSync(dir);
      const lines = fs.readFileSync(path.join(dir, file), 'utf8').trim().split('\n');
      expect(lines).toHaveLength(expected + 1);
      expect(JSON.parse(lines[0])).toMatchObject({
        kind: 'bulletin-audit-archive',
        count: expected,
        firstId: all[0].id,
        prevHash: '0'.repeat(64),
      });
      expect((await sql<{ n: string }>('SELECT count(*) AS n FROM bulletin_audit'))[0].n).toBe(
        String(all.length - expected),
      );
      // A second run at the same time finds nothing more to archive.
      expect((await script('audit-archive.js', ['--now', now, '--dir', dir])).stdout).toContain('没有早于');

      const verified = await script('audit-verify.js', []);
      expect(verified.stderr).toBe('');
      expect(verified.code).toBe(0);
      expect(verified.stdout).toContain(`${all.length - expected} 条，哈希链完整，自归档截断点`);
      const withFile = await script('audit-verify.js', ['--archive', path.join(dir, file)]);
      expect(withFile.code).toBe(0);
      expect(withFile.stdout).toContain(`归档文件 ${expected} 条完好`);

      // The cut cannot be moved by hand.
      await expect(app.strapi.db.connection.raw('UPDATE bulletin_audit_cut SET last_hash = last_hash')).rejects.toThrow(
        /append-only/,
      );

      // One archived entry changed in the file.
      const tampered = lines.map((line, n) =>
        n === 2 ? line.replace(/"actorName":("[^"]*"|null)/, '"actorName":"someone else"') : line,
      );
      expect(tampered[2]).not.toBe(lines[2]);
      fs.writeFileSync(path.join(dir, file), `${tampered.join('\n')}\n`);
      const broken = await script('audit-verify.js', ['--archive', path.join(dir, file)]);
      expect(broken.code).toBe(1);
      expect(broken.stderr).toContain(`条目 ${JSON.parse(lines[2]).id as string} 的内容与其哈希不符`);
      // One archived entry left out of the file.
      fs.writeFileSync(path.join(dir, file), `${lines.filter((_line, n) => n !== 3).join('\n')}\n`);
      expect((await script('audit-verify.js', ['--archive', path.join(dir, file)])).code).toBe(1);
      // The trail in the database still verifies on its own.
      expect((await script('audit-verify.js', [])).code).toBe(0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
