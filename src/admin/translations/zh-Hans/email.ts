/**
 * zh-Hans for the email plugin:
 * the ids Strapi 5.54 ships in English only.
 * Generated once from Strapi's en.json (its own Chinese reused where it sat under a wrong id); edit here.
 * `node scripts/admin-translations.js` lists ids still missing after a Strapi upgrade.
 */
const messages: Record<string, string> = {
  'email.Settings.email.plugin.button.verify': '测试连接',
  'email.Settings.email.plugin.label.replyToName': '默认回复人名称',
  'email.Settings.email.plugin.label.senderName': '默认发件人名称',
  'email.Settings.email.plugin.label.verifyConnection': '连接状态',
  'email.Settings.email.plugin.notification.config.error': '无法获取邮件配置',
  'email.Settings.email.plugin.notification.data.loaded': '邮件设置已加载',
  'email.Settings.email.plugin.notification.test.error': '无法向 {to} 发送测试邮件',
  'email.Settings.email.plugin.notification.test.success': '测试邮件发送成功，请查收 {to} 的邮箱',
  'email.Settings.email.plugin.notification.verify.error': '连接验证失败',
  'email.Settings.email.plugin.notification.verify.success': '连接验证成功',
  'email.Settings.email.plugin.placeholder.defaultFrom': "例如：简报编辑部 '<no-reply@example.gov.cn>'",
  'email.Settings.email.plugin.placeholder.defaultReplyTo': "例如：简报编辑部 '<office@example.gov.cn>'",
  'email.Settings.email.plugin.placeholder.testAddress': '例如：editor@example.gov.cn',
  'email.Settings.email.plugin.status.connected': '已连接',
  'email.Settings.email.plugin.status.error': '错误',
  'email.components.Input.error.validation.email': '电子邮箱地址无效',
  'email.Settings.capabilities.title': '服务能力',
  'email.Settings.capabilities.subtitle': '当前的 SMTP 配置和已启用的功能',
  'email.Settings.capabilities.label.smtpServer': 'SMTP 服务器',
  'email.Settings.capabilities.label.encryption': '加密方式',
  'email.Settings.capabilities.label.authType': '认证方式',
  'email.Settings.capabilities.label.poolStatus': '连接池状态',
  'email.Settings.capabilities.label.features': '已启用的功能',
  'email.Settings.capabilities.poolStatus.idle': '空闲',
  'email.Settings.capabilities.poolStatus.active': '活动',
  'email.Settings.capabilities.feature.dkim': 'DKIM 签名',
  'email.Settings.capabilities.feature.pool': '连接池',
  'email.Settings.capabilities.feature.rateLimiting': '发送限速',
  'email.Settings.capabilities.feature.oauth2': 'OAuth2 认证',
  'email.Settings.capabilities.feature.requireTLS': '强制 TLS',
};

export default messages;
