/**
 * zh-Hans for review workflows (审阅工作流):
 * the ids Strapi 5.54 ships in English only.
 * Generated once from Strapi's en.json (its own Chinese reused where it sat under a wrong id); edit here.
 * `node scripts/admin-translations.js` lists ids still missing after a Strapi upgrade.
 */
const messages: Record<string, string> = {
  'review-workflows.settings.page.title': '审阅工作流',
  'review-workflows.settings.page.subtitle': '{count} 个阶段',
  'review-workflows.settings.page.isLoading': '正在加载工作流',
  'review-workflows.settings.page.delete.confirm.body': '处于已删除阶段的所有条目将移到上一阶段。确定要保存吗？',
  'review-workflows.settings.stage.name.label': '阶段名称',
  'review-workflows.settings.not-available': '审阅工作流仅在企业版中提供。升级后可创建和管理工作流。',
  'review-workflows.settings.review-workflows.workflow.stageRequiredToPublish.label': '发布前须达到的阶段',
  'review-workflows.settings.review-workflows.workflow.stageRequiredToPublish.any': '任意阶段',
  'review-workflows.settings.review-workflows.workflow.stageRequiredToPublish.hint': '未达到该阶段的条目不能发布。',
  'review-workflows.settings.page.purchase.description': '管理内容审阅流程',
  'review-workflows.settings.page.purchase.perks1': '可自定义审阅阶段',
  'review-workflows.settings.page.purchase.perks2': '管理用户权限',
  'review-workflows.settings.page.purchase.perks3': '支持 Webhook',
  'review-workflows.widget.assigned.title': '分配给我的',
  'review-workflows.widget.assigned.no-data': '暂无条目',
  'review-workflows.containers.list.table-headers.reviewWorkflows.stage': '审阅阶段',
  'review-workflows.containers.list.table-headers.reviewWorkflows.assignee': '负责人',
  'review-workflows.containers.list.table-headers.reviewWorkflows.assignee.label': '负责人',
  'review-workflows.assignee.label': '负责人',
  'review-workflows.assignee.clear': '清除负责人',
  'review-workflows.assignee.placeholder': '请选择……',
  'review-workflows.assignee.notification.saved': '负责人已更新',
  'review-workflows.assignee.error': '获取用户时出错',
  'review-workflows.stage.color': '颜色',
  'review-workflows.stage.notification.saved': '审阅阶段已更新',
  'review-workflows.stage.notification.error': '更新审阅阶段时出错',
  'review-workflows.stages.no-transition': '您没有更改此阶段的权限。',
  'review-workflows.stages.save-first': '请先保存此条目，再分配审阅阶段。',
  'review-workflows.stages.single-stage': '此工作流只有一个阶段。添加更多阶段后才能在阶段之间流转。',
  'review-workflows.stages.limit.title': '此工作流的阶段数已达到您所用方案的上限',
  'review-workflows.stages.limit.body': '请删除部分阶段，或联系销售以增加阶段数。',
  'review-workflows.workflows.limit.title': '工作流数量已达到您所用方案的上限',
  'review-workflows.workflows.limit.body': '请删除一个工作流，或联系销售以增加工作流数量。',
};

export default messages;
