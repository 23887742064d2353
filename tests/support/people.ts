import type { TestApp } from './app';

/** Test people: users-permissions accounts with a role and a unit, logged in for real through /api/auth/local. */

export async function unitId(app: TestApp, shortName: string): Promise<{ id: number; documentId: string }> {
  const unit = await app.strapi.db
    .query('api::unit.unit')
    .findOne({ where: { shortName }, select: ['id', 'documentId'] });
  if (unit === null) throw new Error(`no unit ${shortName}`);
  return unit;
}

export async function aUnit(app: TestApp, shortName: string): Promise<{ id: number; documentId: string }> {
  const created = await app.strapi
    .documents('api::unit.unit')
    .create({ data: { shortName, kind: 'department', active: true } });
  return { id: created.id as number, documentId: created.documentId };
}

/** Creates an account with the given role type (contributor / reader / authenticated) and unit, and logs it in. */
export async function aPerson(
  app: TestApp,
  username: string,
  roleType: string,
  unit: { id: number } | null,
): Promise<{ id: number; jwt: string }> {
  const role = await app.strapi.db.query('plugin::users-permissions.role').findOne({ where: { type: roleType } });
  const password = 'Pass-word-1';
  const user = await app.strapi
    .plugin('users-permissions')
    .service('user')
    .add({
      username,
      email: `${username}@example.gov.cn`,
      password,
      provider: 'local',
      confirmed: true,
      blocked: false,
      role: role.id,
      unit: unit === null ? null : unit.id,
    });
  const login = await app.http().post('/api/auth/local').send({ identifier: username, password });
  if (login.status !== 200)
    throw new Error(`login of ${username} failed: ${login.status} ${JSON.stringify(login.body)}`);
  return { id: user.id, jwt: login.body.jwt };
}

/** Puts an account on a recipient group (e.g. a leader listed by name on 区县处级领导). */
export async function listOnGroup(app: TestApp, groupName: string, userId: number): Promise<void> {
  const group = await app.strapi.db
    .query('api::recipient-group.recipient-group')
    .findOne({ where: { name: groupName } });
  await app.strapi.documents('api::recipient-group.recipient-group').update({
    documentId: group.documentId,
    data: { users: { connect: [{ id: userId }] } } as never,
  });
}
