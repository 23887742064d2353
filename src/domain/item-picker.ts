import { STATE_LABEL, type ItemState } from './workflow';

/**
 * How the admin's item picker (an issue's 信息 relation) offers items: adopted items not yet in an issue first, then
 * the rest, newest first; each named with its units, its state and the issue it is in, so an editor picks the right
 * one without opening it: 区人社局开通创业担保贷款“绿色通道”（区人社局｜已采用｜上街信息 2020年第14期）.
 */

/** Strapi sort terms: unplaced (no position) first, adopted before the other states, newest first. */
export const PICKER_SORT = ['position:desc', 'state:asc', 'updatedAt:desc'] as const;

export type PickerItem = { headline: string; units: string[]; state: ItemState; issueName: string | null };

export function pickerLabel(item: PickerItem): string {
  const units = item.units.length === 0 ? '未署名' : item.units.join('、');
  return `${item.headline}（${units}｜${STATE_LABEL[item.state]}｜${item.issueName ?? '未编入'}）`;
}
