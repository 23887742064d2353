/**
 * zh-Hans for the users & permissions plugin:
 * the ids Strapi 5.54 ships in English only.
 * Generated once from Strapi's en.json (its own Chinese reused where it sat under a wrong id); edit here.
 * `node scripts/admin-translations.js` lists ids still missing after a Strapi upgrade.
 */
const messages: Record<string, string> = {
  'users-permissions.Email.template.reset_password': '重置密码',
  'users-permissions.Settings.roles.created': '角色已创建',
};

export default messages;
