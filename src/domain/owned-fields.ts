import type { Violation } from './attribution';

/**
 * Fields the app owns: written by the app alone, never by a request. An issue's printed name (kept in step with its
 * publication, edition, year and number), its first sign-off time and its signed-off record. A write may echo the
 * value it read (the admin's form sends every field back), but never change it: the refusal names the field.
 */

export const OWNED_FIELDS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  'api::issue.issue': {
    title: '名称由刊名、版别、年份和期号自动生成，不能直接修改',
    firstSignedOffAt: '首次签发时间由系统在首次签发时记录，不能修改',
    record: '签发记录由系统在签发时生成，不能修改',
  },
};

const isEmpty = (value: unknown): boolean => value === undefined || value === null || value === '';

function comparable(value: unknown): unknown {
  if (isEmpty(value)) return null;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'string') {
    const time = /^\d{4}-\d{2}-\d{2}T/.test(value) ? Date.parse(value) : NaN;
    return Number.isNaN(time) ? value : new Date(time).toISOString();
  }
  return JSON.stringify(value);
}

/** Same value as stored: null, '' and a missing value are alike; times compare as instants; JSON as its text. */
export function sameOwnedValue(given: unknown, stored: unknown): boolean {
  return comparable(given) === comparable(stored);
}

/**
 * The owned fields a write tries to change (current: the stored values, null for a new document, where only an empty
 * value may be given). The caller drops every owned field from the write once this passes.
 */
export function ownedFieldViolations(
  uid: string,
  data: Readonly<Record<string, unknown>>,
  current: Readonly<Record<string, unknown>> | null,
): Violation[] {
  const owned = OWNED_FIELDS[uid] ?? {};
  return Object.entries(owned)
    .filter(([field]) => Object.prototype.hasOwnProperty.call(data, field))
    .filter(([field]) => !(current === null ? isEmpty(data[field]) : sameOwnedValue(data[field], current[field])))
    .map(([field, message]) => ({ path: [field], message: `${message}（${field}）` }));
}

/** The owned fields of a content type, to read back for comparison. */
export function ownedFields(uid: string): string[] {
  return Object.keys(OWNED_FIELDS[uid] ?? {});
}
