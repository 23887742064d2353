/**
 * Strapi 5.54 zh-Hans strings that exist but read wrong to an office editor on the screens used every day (login,
 * form errors, menus): a mistranslation, half-width punctuation in Chinese text, a stray Latin word. Ours replace them.
 */
const messages: Record<string, string> = {
  // Menus and headings
  'global.content-manager': '内容管理',
  'global.plugins.content-manager': '内容管理',
  'global.profile': '个人资料',
  'global.auditLogs': '审计日志',
  // The login page
  'Auth.form.welcome.title': '欢迎使用 Strapi！',
  'Auth.form.welcome.subtitle': '登录您的 Strapi 账号',
  'Auth.form.email.placeholder': '例如：editor@example.gov.cn',
  'Auth.form.password.hint': '至少 8 个字符，须包含大写字母、小写字母和数字',
  'Auth.form.error.invalid': '账号或密码错误。',
  'Auth.form.firstname.placeholder': '例如：明',
  'Auth.form.lastname.placeholder': '例如：李',
  'Auth.form.username.placeholder': '例如：李明',
  'Auth.form.error.ratelimit': '尝试次数过多，请 1 分钟后再试。',
  'Auth.link.forgot-password': '忘记密码？',
  'Auth.link.ready': '准备好登录了吗？',
  'Auth.link.signin.account': '已有账号？',
  // Errors and prompts
  anErrorOccurred: '出错了！请重试。',
  'app.page.not.found': '抱歉，找不到您要访问的页面……',
  'global.prompt.unsaved': '确定要离开此页面吗？所有修改都将丢失。',
  'components.Input.error.validation.email': '电子邮箱地址无效',
  'components.Input.error.validation.json': '不符合 JSON 格式',
  'components.Input.error.validation.max': '值太大（最大：{max}）。',
  'components.Input.error.validation.maxLength': '内容太长（最多：{max}）。',
  'components.Input.error.validation.min': '值太小（最小：{min}）。',
  'components.Input.error.validation.minLength': '内容太短（最少：{min}）。',
  'components.Input.error.validation.minSupMax': '最小值不能大于最大值',
  'components.Input.error.validation.regex': '格式不正确。',
  'components.Input.error.validation.required': '此项为必填项。',
  // The product the office uses is the bulletin system, not the framework under it.
  'app.components.LeftMenu.navbrand.title': '简报编辑系统',
};

export default messages;
