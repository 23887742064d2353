import type { Core, UID } from '@strapi/strapi';
import { ADMIN_ROLES, OWN_UNITS_CONDITION } from '../domain/admin-roles';
import { SYSTEM_FIELDS } from '../domain/system-fields';

/** Admin roles (src/domain/admin-roles.ts) and the `own-units` RBAC condition, applied at bootstrap. */

const CONDITION_ID = `api::${OWN_UNITS_CONDITION}`;

/** The permission `fields` of a content type: its attributes, components as `name.field` (Strapi's notation). */
function fieldsOf(strapi: Core.Strapi, uid: string): string[] {
  const model = strapi.getModel(uid as UID.Schema);
  const fields: string[] = [];
  for (const [name, attribute] of Object.entries(
    model.attributes as Record<string, { type: string; component?: string; private?: boolean }>,
  )) {
    if (SYSTEM_FIELDS.has(name)) continue;
    if (attribute.type === 'component' && attribute.component !== undefined) {
      const component = strapi.getModel(attribute.component as UID.Schema);
      for (const sub of Object.keys(component.attributes)) if (!SYSTEM_FIELDS.has(sub)) fields.push(`${name}.${sub}`);
    } else {
      fields.push(name);
    }
  }
  return fields;
}

export async function registerOwnUnitsCondition(strapi: Core.Strapi): Promise<void> {
  await strapi.service('admin::permission').conditionProvider.register({
    displayName: '本单位的信息（单位信息员）',
    name: OWN_UNITS_CONDITION,
    handler: (user: { id: number }) => ({ 'units.adminUsers.id': { $eq: user.id } }),
  });
}

export async function applyAdminRoles(strapi: Core.Strapi): Promise<void> {
  const roles = strapi.db.query('admin::role');
  for (const spec of ADMIN_ROLES) {
    let role = await roles.findOne({ where: { code: spec.code } });
    if (role === null)
      role = await roles.create({ data: { code: spec.code, name: spec.name, description: spec.description } });
    const permissions = spec.permissions.map((permission) => ({
      action: `plugin::content-manager.explorer.${permission.action}`,
      subject: permission.subject,
      properties:
        permission.action === 'read' || permission.action === 'create' || permission.action === 'update'
          ? { fields: fieldsOf(strapi, permission.subject) }
          : {},
      conditions: permission.ownUnitsOnly === true ? [CONDITION_ID] : [],
    }));
    await strapi.service('admin::role').assignPermissions(role.id, permissions);
  }
}
