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

/**
 * Unit names compared as printed: full-width letters, digits and brackets folded to half-width (NFKC) and every
 * space (ASCII, full-width, ideographic) removed.
 */
export function normalizeName(name: string): string {
  return name.normalize('NFKC').replace(/[\s\u3000]+/gu, '');
}

const TRAILING_ATTRIBUTION = [
  /[（(][\s\u3000]*([^（）()\n]{1,40}?)[\s\u3000]*[）)][\s\u3000]*$/u,
  /【[\s\u3000]*([^【】\n]{1,40}?)[\s\u3000]*】[\s\u3000]*$/u,
  /(?:——|—|--)[\s\u3000]*([^—\-（）()【】\n]{1,40}?)[\s\u3000]*$/u,
];

/** The bracketed name a body ends with — （区人社局）, (区人社局), 【区人社局】, ——区人社局 — and where it starts. */
export function trailingAttribution(body: string): { name: string; index: number } | null {
  for (const pattern of TRAILING_ATTRIBUTION) {
    const match = pattern.exec(body);
    if (match !== null) return { name: match[1], index: match.index };
  }
  return null;
}

export type AttributionCheck = { body: string; violations: Violation[]; stripped: string | null };

/**
 * A body typed with its attribution at the end: if the name is one of the item's own units, it is removed (the
 * attribution is printed from the units); if it names another unit, the item is refused; anything else — （完）,
 * （记者 张三） — is the body's own text and stays.
 */
export function checkBodyAttribution(
  body: string,
  ownUnitNames: readonly string[],
  otherUnitNames: readonly string[],
): AttributionCheck {
  const trailing = trailingAttribution(body);
  if (trailing === null) return { body, violations: [], stripped: null };
  const name = normalizeName(trailing.name);
  if (ownUnitNames.some((own) => normalizeName(own) === name)) {
    return { body: body.slice(0, trailing.index).trimEnd(), violations: [], stripped: trailing.name };
  }
  const other = otherUnitNames.find((candidate) => normalizeName(candidate) === name);
  if (other !== undefined) {
    return {
      body,
      stripped: null,
      violations: [
        {
          path: ['body'],
          message: `正文末尾署名“${trailing.name}”是另一个单位（${other}），与报送单位不符；请改正报送单位或删去署名`,
        },
      ],
    };
  }
  return { body, violations: [], stripped: null };
}

/**
 * What a printed item credits: the units named in its attribution, in print order — several of them make a combined
 * adoption (综合采用) — or, with no attribution printed, the issuing office (its own item). Used to read past issues.
 */
export function printedCredit(
  attribution: readonly string[],
  issuer: string | null,
): { units: string[]; adoptionKind: 'single' | 'combined' } {
  const units = attribution.length > 0 ? [...attribution] : issuer === null ? [] : [issuer];
  return { units, adoptionKind: units.length > 1 ? 'combined' : 'single' };
}

/** A single adoption (单条采用) credits exactly one unit; a combined one (综合采用) credits all of them. */
export function adoptionKindViolations(adoptionKind: string, unitCount: number): Violation[] {
  return adoptionKind === 'single' && unitCount > 1
    ? [{ path: ['units'], message: '单条采用的信息只能有一个报送单位；多个单位合编请选择综合采用（combined）' }]
    : [];
}
