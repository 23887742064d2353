/**
 * What editors read in the admin for values the API keeps in ASCII: the Chinese label of every enumeration value of
 * every content type, and the integer fields that are identifiers rather than quantities (printed without digit
 * grouping: 2020, not 2,020).
 *
 * Pure data, no import: the admin bundle (src/admin) and the server may both use it. A unit test holds it against
 * every schema (a value without a label, or a label for a value no schema has, fails).
 */

type Labels = Readonly<Record<string, Readonly<Record<string, Readonly<Record<string, string>>>>>>;

/** content type uid → enumeration field → value → label. */
export const ENUMERATION_LABELS = {
  'api::issue.issue': {
    edition: { regular: '正刊', supplement: '增刊', special: '专刊' },
  },
  'api::item.item': {
    adoptionKind: { single: '单条采用', combined: '综合采用' },
    state: { submitted: '已报送', adopted: '已采用', returned: '已退回', withdrawn: '已撤回' },
  },
  'api::unit.unit': {
    kind: { town: '镇', subdistrict: '街道', department: '部门', office: '办公室', other: '其他' },
  },
} as const satisfies Labels;

/** content type uid → integer fields shown as written (years, issue numbers, positions), never grouped. */
export const PLAIN_INTEGER_FIELDS: Readonly<Record<string, readonly string[]>> = {
  'api::issue.issue': ['year', 'number', 'totalNumber', 'columnInstallment'],
  'api::item.item': ['position'],
};

const own = (record: object, key: string): boolean => Object.prototype.hasOwnProperty.call(record, key);

/** The label of one value of one field, or undefined when the field or value has none. */
export function enumerationLabel(uid: string, field: string, value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const fields: Labels[string] | undefined = own(ENUMERATION_LABELS, uid)
    ? (ENUMERATION_LABELS as Labels)[uid]
    : undefined;
  const values = fields !== undefined && own(fields, field) ? fields[field] : undefined;
  return values !== undefined && own(values, value) ? values[value] : undefined;
}

/** Whether an integer field is an identifier shown without digit grouping. */
export function isPlainIntegerField(uid: string, field: string): boolean {
  return own(PLAIN_INTEGER_FIELDS, uid) && (PLAIN_INTEGER_FIELDS[uid] ?? []).includes(field);
}

/**
 * value → label for every value of every content type. Strapi's admin renders enumeration options (edit form, list
 * filters) as formatMessage({ id: value, defaultMessage: value }), so these become translation ids. A value that two
 * fields would label differently cannot be an id: that throws.
 */
export function enumerationMessages(): Record<string, string> {
  const messages: Record<string, string> = {};
  for (const fields of Object.values(ENUMERATION_LABELS as Labels)) {
    for (const [field, values] of Object.entries(fields)) {
      for (const [value, label] of Object.entries(values)) {
        if (own(messages, value) && messages[value] !== label) {
          throw new Error(`enumeration value "${value}" (${field}) is labelled both ${messages[value]} and ${label}`);
        }
        messages[value] = label;
      }
    }
  }
  return messages;
}
