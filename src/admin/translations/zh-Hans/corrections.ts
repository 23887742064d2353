/**
 * Strapi 5.54 zh-Hans strings that exist but read wrong to an office editor (a literal or dated rendering, a false
 * friend); ours replace them.
 */
const messages: Record<string, string> = {
  'global.content-manager': '内容管理',
  'global.profile': '个人资料',
  'global.auditLogs': '审计日志',
  'app.components.HomePage.welcome': '欢迎 👋',
};

export default messages;
