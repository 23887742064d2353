import type { Violation } from './attribution';
import { quotedIssueName } from './labels';
import { frozenViolations, notAdoptedViolation, type ItemState } from './workflow';

/**
 * The items of an issue: which may be placed in it, taken out of it or reordered, whichever side of the relation a
 * write comes from (issue.items connect / disconnect / set, or item.issue), and the one order they print in.
 *
 * - An item in a signed-off (published) issue stays there: it cannot be moved to another issue, taken out or
 *   deleted, and the signed-off issue's items cannot be reordered, until the issue is unpublished (撤回签发).
 * - Only adopted (已采用) items are placed; the refusal names each item and its state.
 * - One order: the order of the issue's item list (what the editor sees and drags in the admin) is the order printed.
 *   Each item's 序号 (position) is derived from it, 1…n; a write that gives an item a position moves it to that place.
 */

/** A reference to an item as Strapi accepts it: a numeric id or a documentId. */
export type ItemRef = { id: number } | { documentId: string };

/** Where a connected item goes: Strapi's `position` of a connect entry. */
export type Placement = { before?: ItemRef; after?: ItemRef; start?: boolean; end?: boolean };

/** What a write says about issue.items: replace the list (`set`), or connect / disconnect some. */
export type ItemsChange = {
  set: ItemRef[] | null;
  connect: { ref: ItemRef; position: Placement | null }[];
  disconnect: ItemRef[];
};

function refOf(value: unknown): ItemRef | null {
  if (typeof value === 'number' && Number.isInteger(value)) return { id: value };
  if (typeof value === 'string' && value !== '')
    return /^\d+$/.test(value) ? { id: Number(value) } : { documentId: value };
  if (typeof value === 'object' && value !== null) {
    const { id, documentId } = value as { id?: unknown; documentId?: unknown };
    if (typeof documentId === 'string' && documentId !== '') return { documentId };
    if (id !== undefined) return refOf(id);
  }
  return null;
}

function refsOf(value: unknown): ItemRef[] {
  const list = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
  return list.map(refOf).filter((ref): ref is ItemRef => ref !== null);
}

function placementOf(value: unknown): Placement | null {
  if (typeof value !== 'object' || value === null) return null;
  const { before, after, start, end } = value as Record<string, unknown>;
  const placement: Placement = {};
  const beforeRef = refOf(before);
  const afterRef = refOf(after);
  if (beforeRef !== null) placement.before = beforeRef;
  if (afterRef !== null) placement.after = afterRef;
  if (start === true) placement.start = true;
  if (end === true) placement.end = true;
  return Object.keys(placement).length === 0 ? null : placement;
}

/**
 * Reads a relation input for issue.items in every shape Strapi accepts: an array (or null) replaces the list, as does
 * `{ set }`; `{ connect, disconnect }` changes it. Returns null when the write does not mention the items.
 */
export function itemsChange(input: unknown): ItemsChange | null {
  if (input === undefined) return null;
  if (input === null || Array.isArray(input)) return { set: refsOf(input), connect: [], disconnect: [] };
  if (typeof input !== 'object') return { set: refsOf(input), connect: [], disconnect: [] };
  const { set, connect, disconnect } = input as { set?: unknown; connect?: unknown; disconnect?: unknown };
  const connects = (Array.isArray(connect) ? connect : connect === undefined || connect === null ? [] : [connect])
    .map((entry) => ({ ref: refOf(entry), position: placementOf((entry as { position?: unknown } | null)?.position) }))
    .filter((entry): entry is { ref: ItemRef; position: Placement | null } => entry.ref !== null);
  return { set: set === undefined ? null : refsOf(set), connect: connects, disconnect: refsOf(disconnect) };
}

export type ItemKey = { id: number; documentId: string };
export const sameItem = (ref: ItemRef, item: ItemKey): boolean =>
  'id' in ref ? ref.id === item.id : ref.documentId === item.documentId;

/** The issue an item is in, as the rules need it. */
export type HoldingIssue = { documentId: string; name: string; signedOff: boolean };

/** An item a write places, as the rules need it. */
export type CandidateItem = ItemKey & { headline: string; state: ItemState; issue: HoldingIssue | null };

/** The refusal for an item held by a signed-off issue, naming the item. */
function heldBySignedOff(issueName: string, headline: string): Violation {
  return { path: ['items'], message: `“${headline}”${frozenViolations(issueName)[0]?.message ?? ''}` };
}

export type ItemsWrite = {
  /** The issue written (null: a new one). */
  issue: HoldingIssue | null;
  /** Its items now, in order. */
  current: ItemKey[];
  /** Its items once the write applies, in order (see applyChange). */
  next: ItemKey[];
  /** The items the write names (to place or keep), as loaded. */
  candidates: CandidateItem[];
};

/** Every reason a write to issue.items is refused: each item named, all at once. */
export function itemsWriteViolations(write: ItemsWrite): Violation[] {
  const violations: Violation[] = [];
  const isCurrent = (item: ItemKey) => write.current.some((other) => other.id === item.id);
  const added = write.next.filter((item) => !isCurrent(item));
  const removed = write.current.filter((item) => !write.next.some((other) => other.id === item.id));
  const reordered =
    !added.length && !removed.length && write.current.some((item, index) => write.next[index]?.id !== item.id);
  if (write.issue?.signedOff === true && (added.length > 0 || removed.length > 0 || reordered)) {
    violations.push({
      path: ['items'],
      message: `${quotedIssueName(write.issue.name)}已签发，其中的信息不能移入、移出或调整顺序，须先撤回签发`,
    });
  }
  for (const item of added) {
    const candidate = write.candidates.find((other) => other.id === item.id);
    if (candidate === undefined) continue;
    if (
      candidate.issue !== null &&
      candidate.issue.documentId !== write.issue?.documentId &&
      candidate.issue.signedOff
    ) {
      violations.push(heldBySignedOff(candidate.issue.name, candidate.headline));
    }
    if (candidate.state !== 'adopted')
      violations.push(notAdoptedViolation(candidate.headline, candidate.state, ['items']));
  }
  return violations;
}

/** The issue's items once the change applies, in order, as Strapi applies connect / disconnect / set. */
export function applyChange(
  current: readonly ItemKey[],
  change: ItemsChange,
  resolve: (ref: ItemRef) => ItemKey | null,
): ItemKey[] {
  const resolved = (refs: readonly ItemRef[]) => refs.map(resolve).filter((item): item is ItemKey => item !== null);
  let list: ItemKey[] = change.set === null ? [...current] : dedupe(resolved(change.set));
  const without = (item: ItemKey) => list.filter((other) => other.id !== item.id);
  for (const ref of change.disconnect) {
    const item = resolve(ref);
    if (item !== null) list = without(item);
  }
  for (const { ref, position } of change.connect) {
    const item = resolve(ref);
    if (item === null) continue;
    list = without(item);
    list.splice(insertionIndex(list, position, resolve), 0, item);
  }
  return list;
}

function dedupe(items: ItemKey[]): ItemKey[] {
  return items.filter((item, index) => items.findIndex((other) => other.id === item.id) === index);
}

function insertionIndex(
  list: readonly ItemKey[],
  position: Placement | null,
  resolve: (ref: ItemRef) => ItemKey | null,
): number {
  if (position === null || position.end === true) return list.length;
  if (position.start === true) return 0;
  const anchor = position.before ?? position.after;
  const item = anchor === undefined ? null : resolve(anchor);
  const index = item === null ? -1 : list.findIndex((other) => other.id === item.id);
  if (index < 0) return list.length;
  return position.before !== undefined ? index : index + 1;
}

/**
 * The one order: the list as it stands, with one item moved to a 1-based position when a write asked for it
 * (clamped to the list). Each item's 序号 is its place in the result.
 */
export function orderWithMove(list: readonly number[], move: { id: number; position: number } | null): number[] {
  if (move === null || !list.includes(move.id)) return [...list];
  const rest = list.filter((id) => id !== move.id);
  const index = Math.min(Math.max(Math.trunc(move.position) - 1, 0), rest.length);
  rest.splice(index, 0, move.id);
  return rest;
}
