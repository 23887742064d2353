import { parseCalendarDate, periodInstants } from './dates';
import type { AuditEntry, Changes } from './audit';

/**
 * Viewing the audit trail (操作日志, 办理记录), without Strapi.
 *
 * - Labels: every action the trail records has a Chinese label (publish is 签发, unpublish 撤回签发); an action this
 *   module does not know (recorded by a later version) is shown by its own name, never hidden.
 * - Security entries (logins, failed logins, password resets, role and permission changes, API token and admin user
 *   events) are seen by super admins only. An entry is one when its category is 'security' or its action is one of
 *   SECURITY_ACTION_PREFIXES, alone or followed by '-' or '.' (login, login-failed, token.create …).
 * - A filter: who (name or id, a part of the name is enough), a unit (entries by its people, and about it and its
 *   items), actions, the kind of document, one document or documents whose name contains a text, a date range in
 *   office time (both ends included). The same filter runs as SQL (filterSql) and in memory (matchesFilter); a test
 *   checks they agree.
 * - A change of a long text is shown as a line diff (a character diff for short one-line values): nothing is cut off.
 * - CSV: UTF-8 with a byte order mark, CRLF, RFC 4180 quoting; a cell a spreadsheet would run as a formula (starting
 *   with = + - @, a tab or CR) gets a leading '.
 */

export const ACTION_LABELS: Readonly<Partial<Record<string, string>>> = {
  create: '新建',
  update: '修改',
  delete: '删除',
  publish: '签发',
  unpublish: '撤回签发',
  'discard-draft': '放弃草稿修改',
  submit: '报送',
  adopt: '采用',
  return: '退回',
  withdraw: '撤回',
  place: '编入',
  reorder: '调整顺序',
  download: '下载',
  read: '阅读',
  'first-read': '首次阅读',
  login: '登录',
  'login-failed': '登录失败',
  logout: '退出登录',
  'password-reset': '重置密码',
  'password-reset-failed': '重置密码失败',
  'password-change': '修改密码',
  'password-change-failed': '修改密码失败',
};

export const CONTENT_TYPES: Readonly<Partial<Record<string, { key: string; label: string }>>> = {
  'api::issue.issue': { key: 'issue', label: '期' },
  'api::item.item': { key: 'item', label: '信息' },
  'api::unit.unit': { key: 'unit', label: '单位' },
  'api::recipient-group.recipient-group': { key: 'recipient-group', label: '发送范围' },
};

export const ACTOR_KIND_LABELS: Readonly<Partial<Record<string, string>>> = {
  admin: '后台',
  account: '账号',
  'api-token': 'API 令牌',
  script: '脚本',
};

export const FIELD_LABELS: Readonly<Partial<Record<string, string>>> = {
  headline: '标题',
  body: '正文',
  units: '单位',
  adoptionKind: '采用方式',
  state: '状态',
  returnReason: '退回理由',
  section: '栏目',
  issue: '所在期',
  position: '序号',
  author: '作者',
  phone: '电话',
  submittedBy: '报送账号',
  items: '信息',
  title: '名称',
  date: '日期',
  number: '期号',
  year: '年份',
  totalNumber: '总期号',
  edition: '刊次',
  publication: '刊名',
  issuer: '发文单位',
  columnTitle: '栏目',
  columnInstallment: '栏目期次',
  reportTo: '报',
  sendTo: '本期送',
  distributeTo: '发',
  copyTo: '抄送',
  editors: '责任编辑',
  reviewer: '审核',
  signer: '签发人',
  printRun: '印数',
  record: '签发记录',
  firstSignedOffAt: '首次签发时间',
  shortName: '简称',
  fullName: '全称',
  name: '名称',
  kind: '类型',
  active: '启用',
  sortOrder: '排序',
  description: '说明',
  recipientGroups: '所在发送范围',
  issuedIssues: '编印的期',
  users: '账号',
  adminUsers: '后台账号',
};

export const SECURITY_ACTION_PREFIXES = [
  'login',
  'logout',
  'password',
  'role',
  'permission',
  'token',
  'api-token',
  'admin-user',
  'account',
  'user',
] as const;

export const actionLabel = (action: string): string => ACTION_LABELS[action] ?? action;
export const contentTypeLabel = (uid: string): string => CONTENT_TYPES[uid]?.label ?? uid;
export const fieldLabel = (field: string): string => FIELD_LABELS[field] ?? field;

/** How the actor came in (后台 / 账号 / API 令牌 / 脚本), as the list, the entry and the CSV show it. */
export const actorKindLabel = (kind: string): string => ACTOR_KIND_LABELS[kind] ?? kind;

export function isSecurityAction(action: string): boolean {
  return SECURITY_ACTION_PREFIXES.some(
    (prefix) => action === prefix || action.startsWith(`${prefix}-`) || action.startsWith(`${prefix}.`),
  );
}

export function isSecurityEntry(entry: { action: string; category?: string | null }): boolean {
  return entry.category === 'security' || isSecurityAction(entry.action);
}

// ---- the filter ---------------------------------------------------------------------------------------------------

export type AuditFilter = {
  /** A part of the actor's name, or their id exactly. */
  actor?: string;
  /**
   * A part of a unit's name: entries made by that unit's people (the actor's unit) and entries about the documents in
   * unitDocumentIds (the units of that name themselves and their items), so that 区人社局 shows its items' adoption and
   * return by the office as well as its own submissions.
   */
  unit?: string;
  /** documentIds of the units whose name contains `unit` and of their items, found by the glue, for `unit`. */
  unitDocumentIds?: string[];
  actions?: string[];
  contentType?: string;
  documentId?: string;
  /** A part of the document's name (an issue's printed name); documents named by matchingIds match too. */
  documentName?: string;
  /** documentIds of documents found by the name some other way (items by headline), for documentName. */
  matchingIds?: string[];
  /** Office dates, both ends included. */
  from?: string;
  to?: string;
  /** Security entries are left out unless true. */
  includeSecurity: boolean;
  /** When set, only entries of these documents (a contributor's unit's items). */
  withinDocuments?: { contentType: string; documentIds: string[] };
};

export type Violation = { path: string[]; message: string };
export type Page = { page: number; pageSize: number };

export const MAX_PAGE_SIZE = 100;
const MAX_TEXT = 200;
const TYPE_BY_KEY: Partial<Record<string, string>> = Object.fromEntries(
  Object.entries(CONTENT_TYPES).flatMap(([uid, type]) => (type === undefined ? [] : [[type.key, uid]])),
);
const ACTION_NAME = /^[a-z][a-z0-9.-]{0,31}$/;
const DOCUMENT_ID = /^[A-Za-z0-9_-]{1,64}$/;

const blank = (value: unknown): boolean =>
  value === undefined || value === null || (typeof value === 'string' && value.trim() === '');

/** The filter and page a request's query asks for (flat parameters), or the violations naming each bad field. */
export function parseAuditQuery(
  query: Record<string, unknown>,
  timeZone: string,
):
  | {
      filter: Omit<AuditFilter, 'includeSecurity' | 'withinDocuments' | 'matchingIds' | 'unitDocumentIds'>;
      page: Page;
      instants: [Date | null, Date | null];
    }
  | { violations: Violation[] } {
  const violations: Violation[] = [];
  const text = (name: string): string | undefined => {
    const value = query[name];
    if (blank(value)) return undefined;
    if (typeof value !== 'string' || value.length > MAX_TEXT) {
      violations.push({ path: [name], message: `${name} 须为一段文字，最多${MAX_TEXT}字` });
      return undefined;
    }
    return value.trim();
  };
  const filter: Omit<AuditFilter, 'includeSecurity' | 'withinDocuments' | 'matchingIds' | 'unitDocumentIds'> = {};
  const actor = text('actor');
  if (actor !== undefined) filter.actor = actor;
  const unit = text('unit');
  if (unit !== undefined) filter.unit = unit;
  const action = text('action');
  if (action !== undefined) {
    const actions = action
      .split(',')
      .map((part) => part.trim())
      .filter((part) => part !== '');
    const bad = actions.filter((part) => !ACTION_NAME.test(part));
    if (bad.length > 0)
      violations.push({
        path: ['action'],
        message: `action 不是操作名：${bad.join('、')}（如 publish、adopt，多个以逗号分隔）`,
      });
    else filter.actions = actions;
  }
  const type = text('type');
  if (type !== undefined) {
    const uid = TYPE_BY_KEY[type] ?? (CONTENT_TYPES[type] !== undefined ? type : undefined);
    if (uid === undefined)
      violations.push({ path: ['type'], message: `type 须为 ${Object.keys(TYPE_BY_KEY).join('、')} 之一` });
    else filter.contentType = uid;
  }
  const document = text('document');
  if (document !== undefined) {
    if (!DOCUMENT_ID.test(document))
      violations.push({ path: ['document'], message: 'document 须为一个文档的 documentId' });
    else filter.documentId = document;
  }
  const documentName = text('documentName');
  if (documentName !== undefined) filter.documentName = documentName;
  for (const name of ['from', 'to'] as const) {
    const value = text(name);
    if (value === undefined) continue;
    if (parseCalendarDate(value) === null)
      violations.push({ path: [name], message: `${name} 须为日期，如 2020-02-19` });
    else filter[name] = value;
  }
  if (filter.from !== undefined && filter.to !== undefined && filter.from > filter.to)
    violations.push({ path: ['to'], message: 'to 不能早于 from' });
  const integer = (name: string, fallback: number, max: number): number => {
    const value = query[name];
    if (blank(value)) return fallback;
    const number =
      typeof value === 'string' && /^\d{1,6}$/.test(value.trim())
        ? Number(value)
        : typeof value === 'number' && Number.isInteger(value)
          ? value
          : NaN;
    if (!(number >= 1 && number <= max)) {
      violations.push({ path: [name], message: `${name} 须为 1 到 ${max} 的整数` });
      return fallback;
    }
    return number;
  };
  const page = { page: integer('page', 1, 100000), pageSize: integer('pageSize', 25, MAX_PAGE_SIZE) };
  if (violations.length > 0) return { violations };
  return { filter, page, instants: filterInstants(filter, timeZone) };
}

/** The instants a filter's date range covers: from the start of `from` to the start of the day after `to`. */
export function filterInstants(filter: Pick<AuditFilter, 'from' | 'to'>, timeZone: string): [Date | null, Date | null] {
  const from = filter.from === undefined ? null : periodInstants({ from: filter.from, to: filter.from }, timeZone)[0];
  const to = filter.to === undefined ? null : periodInstants({ from: filter.to, to: filter.to }, timeZone)[1];
  return [from, to];
}

export type FilterableEntry = Pick<
  AuditEntry,
  'at' | 'action' | 'contentType' | 'documentId' | 'documentName' | 'actorId' | 'actorName' | 'actorUnit'
> & {
  category?: string | null;
};

const contains = (haystack: string | null, needle: string): boolean => haystack !== null && haystack.includes(needle);

/** Whether an entry passes the filter (the in-memory twin of filterSql). */
export function matchesFilter(
  entry: FilterableEntry,
  filter: AuditFilter,
  instants: [Date | null, Date | null],
): boolean {
  if (!filter.includeSecurity && isSecurityEntry(entry)) return false;
  if (
    filter.withinDocuments !== undefined &&
    !(
      entry.contentType === filter.withinDocuments.contentType &&
      entry.documentId !== null &&
      filter.withinDocuments.documentIds.includes(entry.documentId)
    )
  )
    return false;
  if (filter.actor !== undefined && !(contains(entry.actorName, filter.actor) || entry.actorId === filter.actor))
    return false;
  if (
    filter.unit !== undefined &&
    !(
      contains(entry.actorUnit, filter.unit) ||
      (entry.documentId !== null && (filter.unitDocumentIds ?? []).includes(entry.documentId))
    )
  )
    return false;
  if (filter.actions !== undefined && filter.actions.length > 0 && !filter.actions.includes(entry.action)) return false;
  if (filter.contentType !== undefined && entry.contentType !== filter.contentType) return false;
  if (filter.documentId !== undefined && entry.documentId !== filter.documentId) return false;
  if (
    filter.documentName !== undefined &&
    !(
      contains(entry.documentName, filter.documentName) ||
      (entry.documentId !== null && (filter.matchingIds ?? []).includes(entry.documentId))
    )
  )
    return false;
  const at = new Date(entry.at).getTime();
  if (instants[0] !== null && at < instants[0].getTime()) return false;
  if (instants[1] !== null && at >= instants[1].getTime()) return false;
  return true;
}

export type SqlWhere = { sql: string; bindings: unknown[] };

/**
 * The filter as a WHERE clause over bulletin_audit (PostgreSQL; `dialect: 'sqlite'` for SQLite's instr). `hasCategory`:
 * whether the table has a category column yet.
 */
export function filterSql(
  filter: AuditFilter,
  instants: [Date | null, Date | null],
  options: { dialect?: 'postgres' | 'sqlite'; hasCategory?: boolean } = {},
): SqlWhere {
  const parts: string[] = [];
  const bindings: unknown[] = [];
  const has = (column: string) =>
    options.dialect === 'sqlite' ? `instr(${column}, ?) > 0` : `strpos(${column}, ?) > 0`;
  const list = (values: readonly unknown[]) => values.map(() => '?').join(', ');
  if (!filter.includeSecurity) {
    const security = SECURITY_ACTION_PREFIXES.map(() => '(action = ? OR action LIKE ? OR action LIKE ?)').join(' OR ');
    parts.push(`NOT (${security}${options.hasCategory === true ? " OR COALESCE(category, '') = 'security'" : ''})`);
    for (const prefix of SECURITY_ACTION_PREFIXES) bindings.push(prefix, `${prefix}-%`, `${prefix}.%`);
  }
  if (filter.withinDocuments !== undefined) {
    const ids = filter.withinDocuments.documentIds;
    if (ids.length === 0) parts.push('1 = 0');
    else {
      parts.push(`(content_type = ? AND document_id IN (${list(ids)}))`);
      bindings.push(filter.withinDocuments.contentType, ...ids);
    }
  }
  if (filter.actor !== undefined) {
    parts.push(`(${has('actor_name')} OR actor_id = ?)`);
    bindings.push(filter.actor, filter.actor);
  }
  if (filter.unit !== undefined) {
    const ids = filter.unitDocumentIds ?? [];
    parts.push(ids.length === 0 ? has('actor_unit') : `(${has('actor_unit')} OR document_id IN (${list(ids)}))`);
    bindings.push(filter.unit, ...ids);
  }
  if (filter.actions !== undefined && filter.actions.length > 0) {
    parts.push(`action IN (${list(filter.actions)})`);
    bindings.push(...filter.actions);
  }
  if (filter.contentType !== undefined) {
    parts.push('content_type = ?');
    bindings.push(filter.contentType);
  }
  if (filter.documentId !== undefined) {
    parts.push('document_id = ?');
    bindings.push(filter.documentId);
  }
  if (filter.documentName !== undefined) {
    const ids = filter.matchingIds ?? [];
    parts.push(ids.length === 0 ? has('document_name') : `(${has('document_name')} OR document_id IN (${list(ids)}))`);
    bindings.push(filter.documentName, ...ids);
  }
  if (instants[0] !== null) {
    parts.push('at >= ?');
    bindings.push(options.dialect === 'sqlite' ? instants[0].toISOString() : instants[0]);
  }
  if (instants[1] !== null) {
    parts.push('at < ?');
    bindings.push(options.dialect === 'sqlite' ? instants[1].toISOString() : instants[1]);
  }
  return { sql: parts.length === 0 ? '1 = 1' : parts.join(' AND '), bindings };
}

// ---- office time --------------------------------------------------------------------------------------------------

/** An instant as the office's wall clock: 2020-02-19 14:03:05. */
export function officeTime(at: string | Date, timeZone: string): string {
  const date = typeof at === 'string' ? new Date(at) : at;
  if (Number.isNaN(date.getTime())) return '';
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(date)
      .map((part) => [part.type, part.value]),
  ) as Record<string, string>;
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}`;
}

// ---- diffs --------------------------------------------------------------------------------------------------------

export type DiffPart = { kind: 'same' | 'added' | 'removed'; text: string };

/** A value as text for the diff: strings as they are, anything else as JSON (null: empty). */
export function valueText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  return JSON.stringify(value, null, 2);
}

/** The longest-common-subsequence diff of two token lists, in order; adjacent parts of one kind merged. */
function lcsDiff(a: readonly string[], b: readonly string[]): DiffPart[] {
  // Trim the common prefix and suffix first: edits to a long body are usually local.
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start += 1;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA -= 1;
    endB -= 1;
  }
  const midA = a.slice(start, endA);
  const midB = b.slice(start, endB);
  const parts: DiffPart[] = [];
  const push = (kind: DiffPart['kind'], text: string) => {
    if (text === '') return;
    const last = parts.at(-1);
    if (last !== undefined && last.kind === kind) last.text += text;
    else parts.push({ kind, text });
  };
  push('same', a.slice(0, start).join(''));
  if (midA.length * midB.length > 4_000_000) {
    // Too large for a table: the whole middle as removed then added (still complete).
    push('removed', midA.join(''));
    push('added', midB.join(''));
  } else {
    const width = midB.length + 1;
    const table = new Uint32Array((midA.length + 1) * width);
    for (let i = midA.length - 1; i >= 0; i -= 1) {
      for (let j = midB.length - 1; j >= 0; j -= 1) {
        table[i * width + j] =
          midA[i] === midB[j]
            ? table[(i + 1) * width + j + 1] + 1
            : Math.max(table[(i + 1) * width + j], table[i * width + j + 1]);
      }
    }
    let i = 0;
    let j = 0;
    while (i < midA.length || j < midB.length) {
      if (i < midA.length && j < midB.length && midA[i] === midB[j]) {
        push('same', midA[i]);
        i += 1;
        j += 1;
      } else if (i < midA.length && (j === midB.length || table[(i + 1) * width + j] >= table[i * width + j + 1])) {
        // Removed before added where both keep the common part as long: the old text reads first.
        push('removed', midA[i]);
        i += 1;
      } else {
        push('added', midB[j]);
        j += 1;
      }
    }
  }
  push('same', a.slice(endA).join(''));
  return parts;
}

const lines = (text: string): string[] => text.match(/[^\n]*\n|[^\n]+$/g) ?? [];

/**
 * The change between two values: by line when either side has several lines, else by character (code point).
 * Joining the parts that are not 'added' gives the old text exactly, those not 'removed' the new text.
 */
export function textDiff(old: unknown, next: unknown): DiffPart[] {
  const a = valueText(old);
  const b = valueText(next);
  const multiline = a.includes('\n') || b.includes('\n');
  return multiline ? lcsDiff(lines(a), lines(b)) : lcsDiff([...a], [...b]);
}

export type ChangeView = { field: string; label: string; old: string; new: string; diff: DiffPart[] };

/** Each changed field with its label, both values whole, and the diff. */
export function changeViews(changes: Changes): ChangeView[] {
  return Object.entries(changes)
    .filter((entry): entry is [string, { old: unknown; new: unknown }] => entry[1] !== undefined)
    .map(([field, change]) => ({
      field,
      label: fieldLabel(field),
      old: valueText(change.old),
      new: valueText(change.new),
      diff: textDiff(change.old, change.new),
    }));
}

// ---- CSV ----------------------------------------------------------------------------------------------------------

export function csvCell(value: string): string {
  const guarded = /^[=+\-@\t\r]/u.test(value) ? `'${value}` : value;
  return /[",\r\n]|^\s|\s$/u.test(guarded) ? `"${guarded.replace(/"/gu, '""')}"` : guarded;
}

export const CSV_HEADER = [
  '时间',
  '操作',
  '对象类型',
  '对象',
  '文档ID',
  '操作人',
  '单位',
  '方式',
  '地址',
  '改动',
] as const;

export type ListedEntry = Omit<AuditEntry, 'category'> & { id: string; category?: string | null };

/** The changes as text, every field and both values whole: 标题：旧 → 新; one field a line. */
export function changesText(changes: Changes): string {
  return changeViews(changes)
    .map((change) => `${change.label}：${change.old} → ${change.new}`)
    .join('\n');
}

/** The entries as a CSV file Excel opens with Chinese intact; 对象 is the entry's title where the list shows one. */
export function entriesCsv(entries: readonly (ListedEntry & { title?: string | null })[], timeZone: string): string {
  const rows = entries.map((entry) => [
    officeTime(entry.at, timeZone),
    actionLabel(entry.action),
    contentTypeLabel(entry.contentType),
    entry.title ?? entry.documentName ?? '',
    entry.documentId ?? '',
    entry.actorName ?? entry.actorId ?? '',
    entry.actorUnit ?? '',
    actorKindLabel(entry.actorKind),
    entry.address ?? '',
    changesText(entry.changes),
  ]);
  return `\uFEFF${[[...CSV_HEADER], ...rows].map((row) => `${row.map(csvCell).join(',')}\r\n`).join('')}`;
}

// ---- timelines ----------------------------------------------------------------------------------------------------

export type TimelineStep = {
  id: string;
  at: string;
  action: string;
  label: string;
  actorName: string | null;
  actorUnit: string | null;
  /** What this step did, in words: the return reason, the issue and position, the fields changed. */
  detail: string;
};

/**
 * Who a timeline names for an entry: the person (or API token) by name; a write made by the app itself or a script on
 * the server (no request: the demo content, the importer, a maintenance script) as 系统 — the script's file name stays
 * in the entry, shown in 操作日志.
 */
export const timelineActor = (entry: Pick<ListedEntry, 'actorKind' | 'actorName'>): string | null =>
  entry.actorKind === 'script' ? '系统' : entry.actorName;

const stringOf = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

/**
 * An item's history (办理记录), oldest first, from its own entries and the entries of the issues it was placed in
 * (an issue's `items` list naming it; the issue's 签发 and 撤回签发 after it was placed). `issueNames` gives each
 * issue's printed name by documentId.
 */
export function itemTimeline(
  itemId: string,
  entries: readonly ListedEntry[],
  issueNames: Readonly<Record<string, string>>,
): TimelineStep[] {
  const sorted = [...entries].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : Number(a.id) - Number(b.id)));
  const steps: TimelineStep[] = [];
  let currentIssue: string | null = null;
  let position: number | null = null;
  const names: Partial<Record<string, string>> = issueNames;
  const name = (issueId: string | null): string => (issueId === null ? '' : (names[issueId] ?? issueId));
  const step = (entry: ListedEntry, action: string, label: string, detail: string) =>
    steps.push({
      id: entry.id,
      at: entry.at,
      action,
      label,
      actorName: timelineActor(entry),
      actorUnit: entry.actorUnit,
      detail,
    });
  for (const entry of sorted) {
    const changes = entry.changes;
    if (entry.contentType === 'api::item.item' && entry.documentId === itemId) {
      const newIssue: string | null = changes.issue !== undefined ? stringOf(changes.issue.new) : currentIssue;
      const newPosition: number | null =
        changes.position !== undefined && typeof changes.position.new === 'number' ? changes.position.new : position;
      const placed =
        newIssue !== null ? `编入${name(newIssue)}${newPosition === null ? '' : `，第${newPosition}条`}` : '';
      const reason = stringOf(changes.returnReason?.new);
      switch (entry.action) {
        case 'create':
          step(entry, 'submit', '报送', stringOf(changes.headline?.new) ?? '');
          break;
        case 'submit':
          step(entry, 'submit', '重新报送', fieldsChanged(changes, ['state', 'returnReason']));
          break;
        case 'return':
          step(entry, 'return', '退回', reason === null ? '' : `理由：${reason}`);
          break;
        case 'adopt':
          step(entry, 'adopt', '采用', placed);
          break;
        case 'place':
          step(
            entry,
            'place',
            newIssue === null ? '移出' : '编入',
            newIssue === null ? `移出${name(currentIssue)}` : placed,
          );
          break;
        case 'reorder':
          step(entry, 'reorder', '调整顺序', newPosition === null ? '' : `${name(newIssue)}第${newPosition}条`);
          break;
        default:
          step(entry, entry.action, actionLabel(entry.action), fieldsChanged(changes, []));
      }
      currentIssue = newIssue;
      position = newPosition;
    } else if (entry.contentType === 'api::issue.issue' && entry.documentId !== null) {
      const items = changes.items;
      const before = Array.isArray(items?.old) ? (items.old as unknown[]) : null;
      const after = Array.isArray(items?.new) ? (items.new as unknown[]) : null;
      const issueName = entry.documentName ?? name(entry.documentId);
      // A sign-off names the whole items list (old: the previous signed-off version, or none): a step of its own.
      if (entry.action === 'publish' || entry.action === 'unpublish') {
        const carries =
          entry.documentId === currentIssue ||
          (after !== null && after.includes(itemId)) ||
          (before !== null && before.includes(itemId));
        if (carries) step(entry, entry.action, actionLabel(entry.action), issueName);
        if (entry.action === 'publish' && after !== null && after.includes(itemId)) {
          currentIssue = entry.documentId;
          position = after.indexOf(itemId) + 1;
        }
        continue;
      }
      if (after !== null && after.includes(itemId) && (before === null || !before.includes(itemId))) {
        currentIssue = entry.documentId;
        position = after.indexOf(itemId) + 1;
        step(entry, 'place', '编入', `编入${issueName}，第${position}条`);
      } else if (
        after !== null &&
        before !== null &&
        after.includes(itemId) &&
        before.indexOf(itemId) !== after.indexOf(itemId)
      ) {
        position = after.indexOf(itemId) + 1;
        step(entry, 'reorder', '调整顺序', `${issueName}第${position}条`);
      } else if (before !== null && before.includes(itemId) && (after === null || !after.includes(itemId))) {
        step(entry, 'place', '移出', `移出${issueName}`);
        if (currentIssue === entry.documentId) currentIssue = null;
      }
    }
  }
  return steps;
}

function fieldsChanged(changes: Changes, except: readonly string[]): string {
  const fields = Object.keys(changes).filter((field) => !except.includes(field));
  return fields.length === 0 ? '' : `改动：${fields.map(fieldLabel).join('、')}`;
}

/** An issue's history, oldest first: what changed between versions, who signed it off, withdrew and signed it again. */
export function issueTimeline(entries: readonly ListedEntry[]): TimelineStep[] {
  return [...entries]
    .sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : Number(a.id) - Number(b.id)))
    .map((entry) => {
      let label = actionLabel(entry.action);
      if (entry.action === 'publish')
        label = entries.some((other) => other.action === 'publish' && Number(other.id) < Number(entry.id))
          ? '重新签发'
          : '签发';
      return {
        id: entry.id,
        at: entry.at,
        action: entry.action,
        label,
        actorName: timelineActor(entry),
        actorUnit: entry.actorUnit,
        detail: fieldsChanged(entry.changes, []),
      };
    });
}

/** What a unit's contributor may see of an entry: no address, browser or request id. */
export function forContributor<T extends ListedEntry>(entry: T): T {
  return { ...entry, address: null, userAgent: null, requestId: null };
}
