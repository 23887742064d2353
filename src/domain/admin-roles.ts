/**
 * The admin panel's roles for the office, as data (applied idempotently at every start):
 * - 编辑 (Editor): everything on items, issues, units and recipient groups, except signing off (publish).
 * - 签发人 (Signer): reads everything and signs issues off: Strapi's publish permission (publish and unpublish).
 * - 单位信息员（后台） (Unit staff): reads, creates and edits only the items of the units linked to them (the
 *   `own-units` condition); reads units and groups for the pickers. What they may name is checked where a
 *   contributor's items are (src/domain/workflow.ts), since admin relation pickers are not filtered by RBAC.
 */

export type AdminPermissionSpec = {
  action: 'read' | 'create' | 'update' | 'delete' | 'publish';
  subject: string;
  ownUnitsOnly?: boolean;
};
export type AdminRoleSpec = { code: string; name: string; description: string; permissions: AdminPermissionSpec[] };

const CONTENT = ['api::issue.issue', 'api::item.item', 'api::unit.unit', 'api::recipient-group.recipient-group'];
const every = (actions: AdminPermissionSpec['action'][]): AdminPermissionSpec[] =>
  CONTENT.flatMap((subject) => actions.map((action) => ({ action, subject })));

export const OWN_UNITS_CONDITION = 'own-units';
export const UNIT_STAFF_ROLE = 'bulletin-unit-staff';

export const ADMIN_ROLES: AdminRoleSpec[] = [
  {
    code: 'bulletin-editor',
    name: '编辑',
    description: '编辑部：管理信息、期、单位和发送范围；不能签发',
    permissions: every(['read', 'create', 'update', 'delete']),
  },
  {
    code: 'bulletin-signer',
    name: '签发人',
    description: '签发（发布）和撤回签发；可阅读全部内容',
    permissions: [...every(['read']), { action: 'publish', subject: 'api::issue.issue' }],
  },
  {
    code: UNIT_STAFF_ROLE,
    name: '单位信息员（后台）',
    description: '只能查看、报送和修改所关联单位的信息',
    permissions: [
      { action: 'read', subject: 'api::item.item', ownUnitsOnly: true },
      { action: 'create', subject: 'api::item.item', ownUnitsOnly: true },
      { action: 'update', subject: 'api::item.item', ownUnitsOnly: true },
      { action: 'read', subject: 'api::unit.unit' },
      { action: 'read', subject: 'api::recipient-group.recipient-group' },
    ],
  },
];
