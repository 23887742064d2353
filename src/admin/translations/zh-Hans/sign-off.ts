/**
 * Publishing an issue is signing it off (签发): Issue is the only content type with draft & publish, so Strapi's
 * publish wording reads as the office says it, everywhere an editor or the signer sees it. (Releases keep 发布计划.)
 */
const signOff: Record<string, string> = {
  'app.utils.publish': '签发',
  'app.utils.unpublish': '撤回签发',
  'app.utils.published': '已签发',
  'app.utils.ready-to-publish': '可以签发',
  'app.utils.already-published': '已签发',
  'app.utils.ready-to-publish-changes': '可以签发修改',
  'app.utils.ready-to-unpublish-changes': '可以撤回签发',
  'content-manager.actions.unpublish.error': '撤回签发时出错。',
  'content-manager.actions.unpublish.dialog.body': '确定要撤回签发吗？',
  'content-manager.actions.unpublish.dialog.option.keep-draft': '撤回签发，保留最新草稿',
  'content-manager.actions.unpublish.dialog.option.replace-draft': '撤回签发，并用已签发的内容替换草稿',
  'content-manager.components.Select.publish-info-title': '已签发',
  'content-manager.containers.edit.tabs.published': '已签发',
  'content-manager.containers.edit.information.last-published.label': '签发于',
  'content-manager.containers.EditView.publishHint': 'Ctrl / Cmd + Shift + Enter 签发',
  'content-manager.containers.List.published': '已签发',
  'content-manager.containers.List.statusFilter.draft': '草稿（从未签发）',
  'content-manager.containers.List.statusFilter.published': '已签发（全部）',
  'content-manager.containers.List.statusFilter.publishedModified': '已签发（有修改）',
  'content-manager.containers.List.statusFilter.publishedUnmodified': '已签发（无修改）',
  'content-manager.containers.list.selectedEntriesModal.title': '签发所选各期',
  'content-manager.popUpWarning.bodyMessage.contentType.publish.all': '确定要签发所选各期吗？',
  'content-manager.popUpWarning.bodyMessage.contentType.unpublish.all': '确定要撤回所选各期的签发吗？',
  'content-manager.popUpwarning.warning.has-draft-relations.button-confirm': '签发，不含草稿关联',
  'content-manager.popUpWarning.warning.publish-question': '仍要签发吗？',
  'content-manager.popUpWarning.warning.unpublish': '不签发的内容将自动成为草稿。',
  'content-manager.popUpWarning.warning.unpublish-question': '确定不签发吗？',
  'content-manager.relation.publicationState.published': '已签发',
  'content-manager.success.record.publish': '已签发',
  'content-manager.success.record.publishing': '正在签发…',
  'content-manager.success.record.unpublish': '已撤回签发',
  'content-manager.success.records.unpublish': '已撤回签发。',
  'content-manager.success.records.publish': '已签发。',
  'content-manager.listView.validation.errors.message': '签发前请确认所有字段有效（必填项、字数上下限等）',
  'content-manager.widget.last-published.title': '最近签发',
  'content-manager.widget.last-published.no-data': '还没有签发的期',
};

export default signOff;
