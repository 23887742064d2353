/**
 * Names as printed in the footer (版记). Editors, reviewer and signer are people's names separated by spaces
 * (责任编辑：郝婕 李德昭); recipient groups on one line are joined with 、 (发：峡窝镇、各街道办事处、区直各单位负责同志).
 */

/** Splits a printed list of people's names on ASCII, full-width and ideographic spaces, and on 、，, ; . */
export function splitPersonNames(printed: string | null | undefined): string[] {
  if (printed === null || printed === undefined) return [];
  return printed
    .split(/[\s\u3000、，,；;]+/u)
    .map((name) => name.trim())
    .filter((name) => name !== '');
}

/** 郝婕 李德昭: names joined by one space, as the reference prints them. */
export function personNamesLabel(names: readonly string[]): string {
  return names.join(' ');
}

/** 峡窝镇、各街道办事处、区直各单位负责同志: recipient groups joined by the enumeration comma. */
export function recipientLineLabel(groupNames: readonly string[]): string {
  return groupNames.join('、');
}

const HAN_NAME = /^[\p{Script=Han}·]+$/u;

/**
 * An admin account's name as Chinese write it. Strapi shows `firstname lastname` (名 姓: "婕 郝") and initials from
 * them ("婕郝"); a Chinese name is written 姓名 without a space (郝婕). When both parts are Chinese, the whole name is
 * kept in `firstname` (郝婕) and `lastname` is left empty, so every place the admin shows a name reads 郝婕 and the
 * avatar shows the surname. Other names are left as they are.
 */
export function chineseAccountName(
  firstname: unknown,
  lastname: unknown,
): { firstname: string; lastname: null } | null {
  if (typeof firstname !== 'string' || typeof lastname !== 'string') return null;
  const given = firstname.trim();
  const family = lastname.trim();
  if (given === '' || family === '' || !HAN_NAME.test(given) || !HAN_NAME.test(family)) return null;
  return { firstname: `${family}${given}`, lastname: null };
}
