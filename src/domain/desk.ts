import type { Violation } from './attribution';
import { RECIPIENT_LINES } from './footer';
import type { RecipientLine } from './record';
import { signOffViolations, STATE_LABEL, type ItemState } from './workflow';

/**
 * The compose desk (编排): one admin page where the office reviews submitted items (待审信息), keeps the adopted ones
 * not yet placed (可编入信息), composes an issue from them, previews it and signs it off. Pure rules:
 *
 * - who may do what on the desk, from the admin permissions the caller already has (no second set of roles);
 * - the review queue and the tray as the desk shows them (newest first, filtered by unit and text);
 * - the sign-off checklist: every reason the sign-off would refuse (src/domain/workflow.ts), plus the footer lines
 *   the publication always prints that the issue lacks, each naming what to fix;
 * - the order the editor arranges (moves by drag or keyboard), and the stale-version check of a save.
 */

// ---- who ------------------------------------------------------------------------------------------------------------

/** What the caller's admin permissions say (content-manager actions on issues and items), and whether they are unit staff. */
export type DeskAbility = {
  unitStaff: boolean;
  readIssues: boolean;
  updateIssues: boolean;
  createIssues: boolean;
  updateItems: boolean;
  publishIssues: boolean;
};

export type DeskPermissions = { open: boolean; review: boolean; compose: boolean; signOff: boolean };

/** Editors review and compose; signers sign off; unit staff (and anyone who cannot read issues) have no desk. */
export function deskPermissions(ability: DeskAbility): DeskPermissions {
  const open = !ability.unitStaff && ability.readIssues;
  return {
    open,
    review: open && ability.updateItems,
    compose: open && ability.updateIssues && ability.createIssues && ability.updateItems,
    signOff: open && ability.publishIssues,
  };
}

export type DeskAction = 'open' | 'review' | 'compose' | 'signOff';

const REFUSALS: Record<DeskAction, string> = {
  open: '您的账号没有使用编排台的权限',
  review: '您的账号不能采用或退回信息（须为编辑）',
  compose: '您的账号不能编排期（须为编辑）',
  signOff: '您的账号不能签发（须为签发人）',
};

/** null: allowed; otherwise the 403 message. */
export function deskRefusal(permissions: DeskPermissions, action: DeskAction): string | null {
  if (!permissions.open) return REFUSALS.open;
  return permissions[action] ? null : REFUSALS[action];
}

// ---- the queue and the tray -----------------------------------------------------------------------------------------

export type DeskItem = {
  documentId: string;
  headline: string;
  body: string;
  units: string[];
  adoptionKind: string;
  state: ItemState;
  submitter: string | null;
  /** Submitted (created) and last changed, ISO instants; the change of an adopted item is its adoption. */
  createdAt: string;
  updatedAt: string;
  /** documentId of the issue it is in (null: none). */
  issue: string | null;
  section: string | null;
};

export type ItemFilter = { unit?: string | null; text?: string | null };

const normalized = (text: string): string => text.normalize('NFKC').toLowerCase().replace(/\s+/g, '');

/** Matches a unit exactly (by its short name) and text anywhere in the headline, body or unit names. */
export function matchesFilter(item: DeskItem, filter: ItemFilter): boolean {
  const unit = filter.unit?.trim() ?? '';
  if (unit !== '' && !item.units.includes(unit)) return false;
  const text = normalized(filter.text ?? '');
  if (text === '') return true;
  return normalized(`${item.headline}\n${item.body}\n${item.units.join('、')}`).includes(text);
}

const newestFirst = (key: 'createdAt' | 'updatedAt') => (a: DeskItem, b: DeskItem) =>
  b[key].localeCompare(a[key]) || a.documentId.localeCompare(b.documentId);

/** 待审信息: submitted items, newest first. */
export function reviewQueue(items: readonly DeskItem[], filter: ItemFilter = {}): DeskItem[] {
  return items
    .filter((item) => item.state === 'submitted' && matchesFilter(item, filter))
    .sort(newestFirst('createdAt'));
}

/** 可编入信息: adopted items in no issue (none of `placed` either: those the editor has put in the list), latest adopted first. */
export function tray(items: readonly DeskItem[], filter: ItemFilter = {}, placed: readonly string[] = []): DeskItem[] {
  return items
    .filter(
      (item) =>
        item.state === 'adopted' &&
        item.issue === null &&
        !placed.includes(item.documentId) &&
        matchesFilter(item, filter),
    )
    .sort(newestFirst('updatedAt'));
}

/** The first lines of a body as the queue shows them: paragraphs joined, at most `length` characters. */
export function excerpt(body: string, length = 60): string {
  const flat = body.replace(/\s*\n+\s*/g, ' ').trim();
  return [...flat].length <= length ? flat : `${[...flat].slice(0, length).join('')}…`;
}

/** Every unit named by these items, in first-seen order (the unit filter's options). */
export function unitsOf(items: readonly DeskItem[]): string[] {
  return [...new Set(items.flatMap((item) => item.units))];
}

// ---- order ----------------------------------------------------------------------------------------------------------

/** The list with the entry at `from` moved to `to` (both clamped into the list); the others keep their order. */
export function moveTo<T>(list: readonly T[], from: number, to: number): T[] {
  if (from < 0 || from >= list.length) return [...list];
  const target = Math.max(0, Math.min(list.length - 1, to));
  const next = [...list];
  const [moved] = next.splice(from, 1);
  next.splice(target, 0, moved);
  return next;
}

/** The list with `entry` inserted at `at` (clamped; the end by default), or moved there when it is already in it. */
export function placeAt<T>(list: readonly T[], entry: T, at: number = list.length): T[] {
  const without = list.filter((each) => each !== entry);
  const target = Math.max(0, Math.min(without.length, at));
  return [...without.slice(0, target), entry, ...without.slice(target)];
}

// ---- the sign-off checklist -----------------------------------------------------------------------------------------

export const LINE_NAMES: Record<RecipientLine, string> = {
  reportTo: '报',
  sendTo: '本期送',
  distributeTo: '发',
  copyTo: '抄送',
};

/** How many recipient groups each footer line of an issue has. */
export type LineCounts = Record<RecipientLine, number>;

/**
 * The footer lines a publication always prints: those every one of its latest signed-off issues (newest first; the
 * caller passes a few) has. No signed-off issue yet: none is expected.
 */
export function alwaysPrintedLines(latestSignedOff: readonly LineCounts[]): RecipientLine[] {
  if (latestSignedOff.length === 0) return [];
  return RECIPIENT_LINES.filter((line) => latestSignedOff.every((issue) => issue[line] > 0));
}

export type ChecklistInput = {
  hasIssuer: boolean;
  date: string | null;
  items: { headline: string; state: ItemState }[];
  lines: LineCounts;
  /** The footer lines the publication always prints (alwaysPrintedLines). */
  expectedLines: readonly RecipientLine[];
};

/**
 * Every reason the issue cannot be signed off yet, each naming what to fix: the sign-off's own conditions
 * (workflow.signOffViolations) and each footer line the publication always prints that is empty. Empty: ready.
 */
export function signOffChecklist(input: ChecklistInput): Violation[] {
  const violations = signOffViolations({ hasIssuer: input.hasIssuer, date: input.date, items: input.items });
  for (const line of input.expectedLines) {
    if (input.lines[line] === 0) {
      violations.push({
        path: [line],
        message: `版记缺少“${LINE_NAMES[line]}”一行：本刊每期都印，请在版记中填写发送范围`,
      });
    }
  }
  return violations;
}

// ---- saves ----------------------------------------------------------------------------------------------------------

/**
 * A save is based on the version (the issue's last change time) the desk loaded. When someone saved in between, the
 * save is refused (409) with a message naming them; null: the versions agree.
 */
export function staleVersionMessage(
  based: string | null | undefined,
  current: { version: string; savedBy: string | null },
): string | null {
  if (typeof based === 'string' && sameInstant(based, current.version)) return null;
  const who = current.savedBy === null || current.savedBy.trim() === '' ? '其他用户' : current.savedBy;
  return `${who}已在您打开之后保存了这一期，您的修改未保存；编排台已重新载入最新内容，请核对后再保存`;
}

function sameInstant(a: string, b: string): boolean {
  const left = Date.parse(a);
  const right = Date.parse(b);
  return Number.isNaN(left) || Number.isNaN(right) ? a === b : left === right;
}

/** The items a save lists, checked before any write: each at most once, each adopted, none already in another issue. */
export function saveListViolations(
  listed: readonly string[],
  found: readonly { documentId: string; headline: string; state: ItemState; issue: string | null }[],
  issueDocumentId: string,
): Violation[] {
  const violations: Violation[] = [];
  const seen = new Set<string>();
  for (const documentId of listed) {
    if (seen.has(documentId)) violations.push({ path: ['items'], message: `信息 ${documentId} 在列表中出现了两次` });
    seen.add(documentId);
    const item = found.find((each) => each.documentId === documentId);
    if (item === undefined) {
      violations.push({ path: ['items'], message: `没有信息 ${documentId}（可能已被删除），请重新载入编排台` });
      continue;
    }
    if (item.state !== 'adopted') {
      violations.push({
        path: ['items'],
        message: `“${item.headline}”是“${STATE_LABEL[item.state]}”的信息，只有已采用的信息才能编入期`,
      });
    } else if (item.issue !== null && item.issue !== issueDocumentId) {
      violations.push({ path: ['items'], message: `“${item.headline}”已被编入另一期，请重新载入编排台` });
    }
  }
  return violations;
}

/** A documentId as Strapi makes them (letters and digits): anything else names no document. */
export const isDocumentId = (value: unknown): value is string =>
  typeof value === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(value);

/** A person as the desk names them (Chinese order: family name first, no space), or their e-mail address. */
export function personName(
  user:
    | { firstname?: string | null; lastname?: string | null; username?: string | null; email?: string | null }
    | null
    | undefined,
): string | null {
  if (user === null || user === undefined) return null;
  const name = `${user.lastname ?? ''}${user.firstname ?? ''}`.trim();
  if (name !== '') return name;
  if (typeof user.username === 'string' && user.username.trim() !== '') return user.username.trim();
  return typeof user.email === 'string' && user.email !== '' ? user.email : null;
}
