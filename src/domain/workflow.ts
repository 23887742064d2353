import type { Violation } from './attribution';
import { quotedIssueName } from './labels';

/**
 * The item workflow (报送 → 采用 / 退回) and sign-off (签发) conditions.
 *
 * - A contributor (信息员) writes for their own unit only: a new item is theirs and `submitted`; they may edit it while
 *   submitted or returned (an edited returned item goes back to submitted) and withdraw it (kept, marked
 *   `withdrawn`). Placing, positioning, adopting and returning are the office's.
 * - The office (staff) moves items: submitted → adopted or returned (a return needs a reason, shown to the
 *   contributor); returned → submitted or adopted; adopted → submitted or returned; withdrawn → submitted.
 * - Only adopted items are placed in an issue. Items of a signed-off issue are frozen until it is unpublished.
 * - An issue is signed off only with an issuer, a date and at least one item, all adopted; every problem is listed.
 */

export type ItemState = 'submitted' | 'adopted' | 'returned' | 'withdrawn';
export const ITEM_STATES: readonly ItemState[] = ['submitted', 'adopted', 'returned', 'withdrawn'];

export const STATE_LABEL: Record<ItemState, string> = {
  submitted: '已报送',
  adopted: '已采用',
  returned: '已退回',
  withdrawn: '已撤回',
};

/** Fields only the office sets. */
export const OFFICE_FIELDS = ['issue', 'position', 'returnReason', 'adoptionKind', 'submittedBy', 'section'] as const;

const asState = (value: unknown): ItemState | null =>
  ITEM_STATES.includes(value as ItemState) ? (value as ItemState) : null;

export type Decision = { state: ItemState; forbidden: Violation[]; invalid: Violation[] };

/** What a contributor's create (current = null) or update may do, and the state the item ends in. */
export function contributorWrite(touched: readonly string[], requested: unknown, current: ItemState | null): Decision {
  const forbidden: Violation[] = OFFICE_FIELDS.filter((field) => touched.includes(field)).map((field) => ({
    path: [field],
    message: `信息员不能设置“${field}”：编入期、排序、采用方式和退回理由由编辑部处理`,
  }));
  const wanted = requested === undefined ? null : asState(requested);
  if (current === null) {
    if (requested !== undefined && wanted !== 'submitted') {
      forbidden.push({ path: ['state'], message: '信息员报送的信息状态只能是“已报送”（submitted）' });
    }
    return { state: 'submitted', forbidden, invalid: [] };
  }
  if (current !== 'submitted' && current !== 'returned') {
    forbidden.push({ path: ['state'], message: `${STATE_LABEL[current]}的信息不能再修改或撤回` });
    return { state: current, forbidden, invalid: [] };
  }
  if (wanted === 'withdrawn') return { state: 'withdrawn', forbidden, invalid: [] };
  if (requested !== undefined && wanted !== 'submitted') {
    forbidden.push({
      path: ['state'],
      message: '信息员只能重新报送（submitted）或撤回（withdrawn），采用和退回由编辑部处理',
    });
    return { state: current, forbidden, invalid: [] };
  }
  return { state: 'submitted', forbidden, invalid: [] };
}

const STAFF_MOVES: Record<ItemState, readonly ItemState[]> = {
  submitted: ['submitted', 'adopted', 'returned', 'withdrawn'],
  returned: ['returned', 'submitted', 'adopted', 'withdrawn'],
  adopted: ['adopted', 'submitted', 'returned'],
  withdrawn: ['withdrawn', 'submitted'],
};

/** The office's move from the current state (null: a new item) to the requested one. */
export function staffWrite(requested: unknown, current: ItemState | null): Decision {
  const wanted = requested === undefined || requested === null ? (current ?? 'submitted') : asState(requested);
  if (wanted === null) {
    return {
      state: current ?? 'submitted',
      forbidden: [],
      invalid: [{ path: ['state'], message: `状态（state）须为 ${ITEM_STATES.join(' / ')}` }],
    };
  }
  if (current !== null && !STAFF_MOVES[current].includes(wanted)) {
    return {
      state: current,
      forbidden: [],
      invalid: [{ path: ['state'], message: `不能从“${STATE_LABEL[current]}”改为“${STATE_LABEL[wanted]}”` }],
    };
  }
  return { state: wanted, forbidden: [], invalid: [] };
}

export type ItemOutcome = {
  state: ItemState;
  returnReason: string | null;
  inIssue: boolean;
  /** The printed name of the signed-off issue the write places it in or keeps it in, if any (null: none). */
  signedOffIssueName: string | null;
  unitCount: number;
  inactiveUnits: string[];
  headline: string;
};

/** Only adopted items are placed in an issue: the refusal names the item and its state. */
export function notAdoptedViolation(headline: string, state: ItemState, path: string[]): Violation {
  return { path, message: `“${headline}”是“${STATE_LABEL[state]}”的信息，只有已采用的信息才能编入期` };
}

/** What must hold of an item once a write applies, whoever wrote it. */
export function itemOutcomeViolations(item: ItemOutcome): Violation[] {
  const violations: Violation[] = [];
  if (item.unitCount < 1)
    violations.push({
      path: ['units'],
      message: '请至少选择一个报送单位（units: at least one contributing unit is required）',
    });
  if (item.inactiveUnits.length > 0) {
    violations.push({ path: ['units'], message: `单位 ${item.inactiveUnits.join('、')} 已停用，不能署名` });
  }
  if (item.state === 'returned' && (item.returnReason === null || item.returnReason.trim() === '')) {
    violations.push({ path: ['returnReason'], message: '退回信息须填写退回理由（returnReason）' });
  }
  if (item.inIssue && item.state !== 'adopted')
    violations.push(notAdoptedViolation(item.headline, item.state, ['issue']));
  if (item.signedOffIssueName !== null) violations.push(...frozenViolations(item.signedOffIssueName));
  return violations;
}

/**
 * Items of a signed-off issue are frozen for everyone until it is unpublished: not changed, moved, unlinked or
 * deleted. The refusal names the issue as printed (null: the item is in no signed-off issue).
 */
export function frozenViolations(signedOffIssueName: string | null): Violation[] {
  if (signedOffIssueName === null) return [];
  return [{ path: ['issue'], message: `已编入已签发的${quotedIssueName(signedOffIssueName)}，须先撤回签发` }];
}

export type SignOffCandidate = {
  hasIssuer: boolean;
  date: string | null;
  items: { headline: string; state: ItemState }[];
};

/** Every reason an issue cannot be signed off yet, all at once. */
export function signOffViolations(issue: SignOffCandidate): Violation[] {
  const violations: Violation[] = [];
  if (!issue.hasIssuer) violations.push({ path: ['issuer'], message: '签发前须填写编印单位' });
  if (issue.date === null || issue.date === '') violations.push({ path: ['date'], message: '签发前须填写签发日期' });
  if (issue.items.length === 0) violations.push({ path: ['items'], message: '签发前至少编入一条信息' });
  const pending = issue.items.filter((item) => item.state !== 'adopted');
  if (pending.length > 0) {
    const named = pending.map((item) => `“${item.headline}”（${STATE_LABEL[item.state]}）`).join('、');
    violations.push({ path: ['items'], message: `有 ${pending.length} 条信息尚未采用，不能签发：${named}` });
  }
  return violations;
}

/** A unit that items name cannot be deleted: history must stay whole. It can be deactivated. */
export function unitDeletionViolations(itemCount: number): Violation[] {
  return itemCount > 0
    ? [{ path: ['active'], message: `该单位有 ${itemCount} 条信息，不能删除；请改为停用（active: false）` }]
    : [];
}
