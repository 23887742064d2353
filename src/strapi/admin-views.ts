import type { Core } from '@strapi/strapi';
import { chineseAccountName } from '../domain/names';

/**
 * How the content manager presents the bulletin to editors: Chinese labels and descriptions, the list columns and
 * the field used to name a record in relation pickers. Applied at bootstrap without overwriting what editors change
 * later: a label or description is only set while it is still Strapi's default (the field name / empty), and the
 * list columns and main field are set once per content type (a marker in the core store remembers it).
 */

/** `hidden`: never in the form; `readOnly`: shown, not editable. Enforced at every start: these are rules, not taste. */
type FieldView = { label: string; description?: string; lock?: 'hidden' | 'readOnly' };
type View = {
  mainField?: string;
  /** Main fields this one replaces: an install still on one of them moves to `mainField` (views set up before). */
  replacesMainField?: string[];
  defaultSortBy?: string;
  defaultSortOrder?: 'ASC' | 'DESC';
  list: string[];
  /** The edit form's rows (field, width of 12), in the order an editor fills them; set once, like the list. */
  edit?: { name: string; size: number }[][];
  fields: Record<string, FieldView>;
};

export const adminViews: Record<string, View> = {
  'api::issue.issue': {
    mainField: 'title',
    replacesMainField: ['columnTitle', 'id', 'documentId'],
    defaultSortBy: 'date',
    defaultSortOrder: 'DESC',
    list: ['title', 'date', 'columnTitle'],
    edit: [
      [
        { name: 'publication', size: 6 },
        { name: 'edition', size: 6 },
      ],
      [
        { name: 'date', size: 4 },
        { name: 'number', size: 4 },
        { name: 'totalNumber', size: 4 },
      ],
      [{ name: 'issuer', size: 6 }],
      [
        { name: 'columnTitle', size: 8 },
        { name: 'columnInstallment', size: 4 },
      ],
      [{ name: 'items', size: 12 }],
      [{ name: 'reportTo', size: 12 }],
      [{ name: 'sendTo', size: 12 }],
      [{ name: 'distributeTo', size: 12 }],
      [{ name: 'copyTo', size: 12 }],
      [
        { name: 'editors', size: 6 },
        { name: 'reviewer', size: 6 },
      ],
      [
        { name: 'signer', size: 6 },
        { name: 'printRun', size: 4 },
      ],
      [{ name: 'firstSignedOffAt', size: 6 }],
    ],
    fields: {
      title: { label: '期', description: '按刊名、年份和期号自动生成，如“上街信息 2020年第14期”', lock: 'hidden' },
      publication: { label: '刊名', description: '简报名称，如“上街信息”“督查专报”' },
      edition: { label: '版别', description: '正刊、增刊、专刊各自编号' },
      year: { label: '年份', description: '随签发日期自动确定；期号按年编排，每年从第1期开始', lock: 'hidden' },
      number: { label: '期号', description: '印作“第14期”；在同一刊名、版别、年份内唯一，不填则自动编号' },
      totalNumber: { label: '总期号', description: '印作“总第560期”，不按年重新开始（刊印总期号的刊物才填写）' },
      issuer: { label: '编印单位', description: '如“中共上街区委办公室”' },
      date: { label: '签发日期', description: '印在刊头右侧，如 2020年2月19日' },
      columnTitle: { label: '栏目', description: '专栏或系列标题，如“坚定信心 众志成城 坚决打赢疫情防控阻击战”' },
      columnInstallment: { label: '栏目期次', description: '本栏目第几期，印作（七）' },
      reportTo: { label: '报', description: '上报的对象（按顺序）' },
      sendTo: { label: '本期送', description: '送阅的领导或范围（按顺序）' },
      distributeTo: { label: '发', description: '分发的单位或范围（按顺序）' },
      copyTo: { label: '抄送', description: '抄送的对象（按顺序）' },
      editors: { label: '责任编辑', description: '姓名按印刷顺序，以空格分隔，如“郝婕 李德昭”' },
      reviewer: { label: '审核', description: '版记中印出的审核人姓名' },
      signer: { label: '签发', description: '版记中印出的签发人姓名' },
      printRun: { label: '印数', description: '版记中印作“共印80份”' },
      firstSignedOffAt: {
        label: '首次签发时间',
        description: '首次签发的时间，由系统记录，撤回后仍保留',
        lock: 'readOnly',
      },
      record: { label: '签发记录', lock: 'hidden' },
      items: { label: '信息', description: '本期编入的信息；拖动排序，印刷即按此顺序' },
    },
  },
  'api::item.item': {
    mainField: 'headline',
    defaultSortBy: 'updatedAt',
    defaultSortOrder: 'DESC',
    list: ['headline', 'units', 'state', 'issue', 'position'],
    fields: {
      headline: { label: '标题' },
      body: { label: '正文', description: '段落之间空一行；末尾不必写署名，署名按报送单位印出' },
      units: { label: '报送单位', description: '至少一个；第一个为主报单位，综合采用时署全部单位' },
      adoptionKind: { label: '采用方式', description: '单条采用署一个单位；综合采用署全部单位' },
      state: { label: '状态', description: '已报送 → 已采用或已退回；只有已采用的信息才能编入期' },
      returnReason: { label: '退回理由', description: '退回时必填，信息员可见' },
      section: { label: '栏目标签', description: '如【工作动态】，可不填' },
      issue: { label: '所在期', description: '采用后编入的期' },
      position: {
        label: '序号',
        description: '在所在期中的顺序，由期的“信息”列表的排列决定（在期中拖动排序）',
        lock: 'readOnly',
      },
      author: { label: '执笔人' },
      phone: { label: '联系电话' },
      submittedBy: { label: '报送人' },
    },
  },
  'api::unit.unit': {
    mainField: 'shortName',
    defaultSortBy: 'sortOrder',
    defaultSortOrder: 'ASC',
    list: ['shortName', 'fullName', 'kind', 'active'],
    fields: {
      shortName: { label: '简称', description: '署名时印出的名称，如“区人社局”，不可重复' },
      fullName: { label: '全称', description: '如“上街区人力资源和社会保障局”' },
      kind: { label: '类别', description: '镇、街道、区直部门、办公室或其他' },
      active: { label: '启用', description: '停用的单位不能再报送信息，历史信息保留' },
      sortOrder: { label: '排序', description: '数字小的排在前面' },
      items: { label: '信息', description: '以本单位名义报送的信息' },
      recipientGroups: { label: '所属发送范围' },
      issuedIssues: { label: '编印的期' },
      users: { label: '信息员和阅读人账号', description: '属于本单位的前台账号' },
      adminUsers: { label: '后台账号', description: '单位信息员（后台）只能处理本单位的信息' },
    },
  },
  'plugin::users-permissions.user': {
    mainField: 'username',
    replacesMainField: ['id', 'documentId'],
    list: ['username', 'email', 'role', 'unit', 'blocked'],
    fields: {
      username: { label: '用户名', description: '登录用的名字' },
      email: { label: '电子邮箱' },
      provider: { label: '登录方式' },
      password: { label: '密码' },
      resetPasswordToken: { label: '重置密码令牌', lock: 'hidden' },
      confirmationToken: { label: '确认令牌', lock: 'hidden' },
      confirmed: { label: '已确认' },
      blocked: { label: '已停用', description: '停用的账号不能登录' },
      role: { label: '角色', description: '信息员报送本单位的信息；阅读人阅读发给本单位或本人的简报' },
      unit: { label: '所属单位' },
      recipientGroups: { label: '所属发送范围', description: '按人发送时列入的范围，如“区县处级领导”' },
      submittedItems: { label: '报送的信息' },
    },
  },
  'api::recipient-group.recipient-group': {
    mainField: 'name',
    defaultSortBy: 'sortOrder',
    defaultSortOrder: 'ASC',
    list: ['name', 'units', 'sortOrder'],
    fields: {
      name: { label: '名称', description: '版记中印出的名称，如“区县处级领导”“各街道办事处”，不可重复' },
      units: { label: '包含单位', description: '可以只有一个单位（如“峡窝镇”）' },
      users: { label: '包含人员', description: '按人发送的账号，如区领导' },
      sortOrder: { label: '排序', description: '数字小的排在前面' },
      description: { label: '说明' },
    },
  },
};

/** Strapi's own fields, on every type: labelled wherever they are shown (filters, the column chooser). */
const SYSTEM_FIELDS: Record<string, FieldView> = {
  id: { label: '序列号' },
  documentId: { label: '文档编号' },
  createdAt: { label: '创建时间' },
  updatedAt: { label: '修改时间' },
  publishedAt: { label: '签发时间' },
  createdBy: { label: '创建人' },
  updatedBy: { label: '修改人' },
  locale: { label: '语言' },
};

/** Components, configured the same way (their entries are named by `mainField` when collapsed). */
export const componentViews: Record<string, View> = {
  'bulletin.recipient': {
    mainField: 'label',
    replacesMainField: ['id'],
    list: [],
    fields: {
      label: { label: '名称', description: '所选发送范围的名称，由系统填写', lock: 'hidden' },
      group: { label: '发送范围' },
    },
  },
};

type Metadata = { edit?: Record<string, unknown>; list?: Record<string, unknown> };
type Configuration = {
  settings: Record<string, unknown>;
  metadatas: Record<string, Metadata>;
  layouts: { list: string[]; edit: unknown };
};

const MARKER = { type: 'core' as const, name: 'bulletin', key: 'admin-views' };

/** Sets a view's labels where they are still Strapi's defaults; list columns and main field only the first time. */
export function applyView(current: Configuration, view: View, firstTime: boolean): Configuration {
  const metadatas: Record<string, Metadata> = { ...current.metadatas };
  for (const [field, wanted] of Object.entries({ ...SYSTEM_FIELDS, ...view.fields })) {
    const existing = metadatas[field];
    if (existing === undefined) continue;
    const edit = { ...(existing.edit ?? {}) };
    const list = { ...(existing.list ?? {}) };
    if (edit.label === field || edit.label === undefined) edit.label = wanted.label;
    if (wanted.description !== undefined && (edit.description === '' || edit.description === undefined)) {
      edit.description = wanted.description;
    }
    if (list.label === field || list.label === undefined) list.label = wanted.label;
    if (wanted.lock === 'hidden') Object.assign(edit, { visible: false, editable: false });
    if (wanted.lock === 'readOnly') Object.assign(edit, { visible: true, editable: false });
    metadatas[field] = { ...existing, edit, list };
  }
  const hidden = Object.entries(view.fields).flatMap(([field, wanted]) => (wanted.lock === 'hidden' ? [field] : []));
  const layouts = { ...current.layouts, edit: withoutFields(current.layouts.edit, hidden) };
  const settings = { ...current.settings };
  const oldMainField =
    typeof settings.mainField === 'string' && (view.replacesMainField ?? []).includes(settings.mainField);
  if (view.mainField !== undefined && (firstTime || oldMainField)) settings.mainField = view.mainField;
  if (!firstTime) return { ...current, settings, metadatas, layouts };
  if (view.defaultSortBy !== undefined) settings.defaultSortBy = view.defaultSortBy;
  if (view.defaultSortOrder !== undefined) settings.defaultSortOrder = view.defaultSortOrder;
  const list = view.list.filter((field) => metadatas[field] !== undefined);
  const edit = view.edit === undefined ? layouts.edit : completeEditLayout(view.edit, layouts.edit, metadatas, hidden);
  return { ...current, settings, metadatas, layouts: { ...layouts, list, edit } };
}

/**
 * The wanted edit rows (fields the type has), then every other field the current layout shows, so that a field added
 * to the schema later is never lost from the form.
 */
function completeEditLayout(
  wanted: { name: string; size: number }[][],
  current: unknown,
  metadatas: Record<string, Metadata>,
  hidden: readonly string[],
): unknown {
  const rows = wanted
    .map((row) => row.filter((cell) => metadatas[cell.name] !== undefined && !hidden.includes(cell.name)))
    .filter((row) => row.length > 0);
  const placed = new Set(rows.flat().map((cell) => cell.name));
  const rest = Array.isArray(current)
    ? current
        .flatMap((row: unknown) => (Array.isArray(row) ? row : []))
        .filter((cell: { name?: unknown }) => !placed.has(String(cell?.name)) && !hidden.includes(String(cell?.name)))
    : [];
  return [...rows, ...rest.map((cell: unknown) => [cell])];
}

/** The edit layout (rows of fields) without the given fields; rows left empty are dropped. */
function withoutFields(edit: unknown, fields: readonly string[]): unknown {
  if (!Array.isArray(edit) || fields.length === 0) return edit;
  return edit
    .map((row: unknown) =>
      Array.isArray(row) ? row.filter((cell: { name?: unknown }) => !fields.includes(String(cell?.name))) : row,
    )
    .filter((row: unknown) => !Array.isArray(row) || row.length > 0);
}

export async function configureAdminViews(strapi: Core.Strapi): Promise<void> {
  const service = strapi.plugin('content-manager').service('content-types');
  const store = strapi.store(MARKER);
  const applied = ((await store.get({})) ?? {}) as Record<string, boolean>;
  for (const [uid, view] of Object.entries(adminViews)) {
    const contentType = service.findContentType(uid);
    if (contentType === undefined || contentType === null) continue;
    const { uid: _uid, ...current } = (await service.findConfiguration(contentType)) as Configuration & { uid: string };
    const firstTime = !applied[uid];
    await service.updateConfiguration(contentType, applyView(current, view, firstTime));
    applied[uid] = true;
  }
  const components = strapi.plugin('content-manager').service('components');
  for (const [uid, view] of Object.entries(componentViews)) {
    const component = components.findComponent(uid);
    if (component === undefined || component === null) continue;
    const { uid: _uid, ...current } = (await components.findConfiguration(component)) as Configuration & {
      uid: string;
    };
    const firstTime = !applied[uid];
    await components.updateConfiguration(component, applyView(current, view, firstTime));
    applied[uid] = true;
  }
  await store.set({ value: applied });
}

type AdminUserData = { preferedLanguage?: string | null; firstname?: unknown; lastname?: unknown };

/**
 * Strapi 5.54 has no default admin language; it uses the admin user's preferred language after login. Admin users
 * created by this app (first-run page, `strapi admin:create-user`, Settings → Users) start in Chinese unless one
 * was chosen. A Chinese name entered as 名 + 姓 is kept as 姓名 (src/domain/names.ts: 郝婕, not "婕 郝").
 */
export function defaultAdminLanguage(strapi: Core.Strapi): void {
  strapi.db.lifecycles.subscribe({
    models: ['admin::user'],
    beforeCreate(event) {
      const data = event.params.data as AdminUserData | undefined;
      if (data !== undefined && (data.preferedLanguage === undefined || data.preferedLanguage === null)) {
        data.preferedLanguage = 'zh-Hans';
      }
      if (data !== undefined) Object.assign(data, chineseAccountName(data.firstname, data.lastname) ?? {});
    },
    beforeUpdate(event) {
      const data = event.params.data as AdminUserData | undefined;
      if (data !== undefined) Object.assign(data, chineseAccountName(data.firstname, data.lastname) ?? {});
    },
  });
}
