/**
 * The users-permissions roles and exactly what each may call, as data. Applied idempotently at every start: missing
 * permissions are added and any other permission of these roles is removed, so this map is the truth.
 * Row-level scope (which issues and items) is in ./access.ts; what a contributor may write is in ./workflow.ts.
 */

export type RoleSpec = { type: string; name: string; description: string; actions: string[] };

const LOGIN = [
  'plugin::users-permissions.auth.callback',
  'plugin::users-permissions.auth.connect',
  'plugin::users-permissions.auth.forgotPassword',
  'plugin::users-permissions.auth.resetPassword',
  'plugin::users-permissions.auth.emailConfirmation',
];
const ACCOUNT = ['plugin::users-permissions.user.me', 'plugin::users-permissions.auth.changePassword'];
const READ_NAMES = [
  'api::unit.unit.find',
  'api::unit.unit.findOne',
  'api::recipient-group.recipient-group.find',
  'api::recipient-group.recipient-group.findOne',
];
const READ_ISSUES = ['api::issue.issue.find', 'api::issue.issue.findOne'];

export const ROLES: RoleSpec[] = [
  { type: 'public', name: '公开（未登录）', description: '未登录：只能登录', actions: LOGIN },
  {
    type: 'authenticated',
    name: '已登录（未分配角色）',
    description: '未分配角色的账号：只能管理自己的账号',
    actions: ACCOUNT,
  },
  {
    type: 'contributor',
    name: '信息员',
    description: '单位信息员：为本单位报送、修改、撤回信息；阅读发给本单位的简报',
    actions: [
      ...ACCOUNT,
      ...READ_NAMES,
      ...READ_ISSUES,
      'api::item.item.find',
      'api::item.item.findOne',
      'api::item.item.create',
      'api::item.item.update',
      'api::statistics.statistics.find',
      // the audit trail of their own unit's items (src/strapi/audit-views.ts)
      'api::audit-entry.audit-entry.find',
      'api::audit-entry.audit-entry.history',
    ],
  },
  {
    type: 'reader',
    name: '阅读人',
    description: '阅读发给本单位或本人的已签发简报',
    actions: [...ACCOUNT, ...READ_NAMES, ...READ_ISSUES, 'api::item.item.find', 'api::item.item.findOne'],
  },
];
