/**
 * Attribution (署名) printed at the end of an item: the contributing units' short names in full-width brackets,
 * （区人社局）. Units are credited in the item's order (the first is the primary); a combined item (综合采用)
 * credits every unit, joined with 、. The issuing office's own items print nothing: the masthead already names it.
 */

export type Violation = { path: string[]; message: string };

export function attributionLabel(unitShortNames: readonly string[], issuerShortName: string | null): string {
  const credited = unitShortNames.filter((name) => name !== issuerShortName);
  return credited.length === 0 ? '' : `（${credited.join('、')}）`;
}
