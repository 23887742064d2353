import type { Violation } from './attribution';

/**
 * What a write or a filter may contain, derived from the content types' schemas (one description, not a list per
 * field), checked before any query is built so that bad input is a 400 naming the field, never a database error:
 *
 * - text: a string, without NUL (PostgreSQL cannot store it) or unpaired UTF-16 surrogates;
 * - whole numbers within their column (integer: 32 bits; biginteger: 64 bits), floats and decimals finite;
 * - dates, times and datetimes real ones; booleans booleans; enumeration values among the listed ones;
 * - JSON without NUL in any string;
 * - relations only as ids, documentIds, `{ id }` / `{ documentId }`, lists of them, or well-formed
 *   `{ connect, disconnect, set }` (connect entries may carry a `position`);
 * - components as objects (lists of objects when repeatable), checked against their own schema;
 * - filters: each value comparable with its column (a number for a number, a date for a date…), through `$and`,
 *   `$or`, `$not` and relations.
 */

export type FieldKind =
  | 'text'
  | 'enumeration'
  | 'integer'
  | 'biginteger'
  | 'float'
  | 'decimal'
  | 'boolean'
  | 'date'
  | 'datetime'
  | 'time'
  | 'json'
  | 'relation'
  | 'component'
  | 'other';

export type FieldRule = {
  kind: FieldKind;
  /** enumeration: the values allowed */
  values?: readonly string[];
  /** relation: its target type; component: the component's uid */
  target?: string;
  /** relation: many on this side (xToMany); component: repeatable */
  many?: boolean;
  /** text: the longest value the column takes, when the schema says */
  maxLength?: number;
};

/** A type's fields, and the types and components it refers to, by uid. */
/** Per content type, per attribute; a name that is not there is undefined (Partial: lookups say so). */
export type Rules = Readonly<Partial<Record<string, Readonly<Partial<Record<string, FieldRule>>>>>>;

type SchemaAttribute = {
  type?: unknown;
  enum?: unknown;
  target?: unknown;
  relation?: unknown;
  component?: unknown;
  repeatable?: unknown;
  maxLength?: unknown;
};

const TEXT_TYPES = new Set(['string', 'text', 'richtext', 'email', 'uid', 'password', 'blocks']);
const SIMPLE: Record<string, FieldKind> = {
  integer: 'integer',
  biginteger: 'biginteger',
  float: 'float',
  decimal: 'decimal',
  boolean: 'boolean',
  date: 'date',
  datetime: 'datetime',
  timestamp: 'datetime',
  time: 'time',
  json: 'json',
  enumeration: 'enumeration',
  relation: 'relation',
  component: 'component',
  media: 'relation',
};

/** The rule of one schema attribute. */
export function fieldRule(attribute: SchemaAttribute): FieldRule {
  const type = typeof attribute.type === 'string' ? attribute.type : '';
  if (TEXT_TYPES.has(type)) {
    return typeof attribute.maxLength === 'number'
      ? { kind: 'text', maxLength: attribute.maxLength }
      : { kind: 'text' };
  }
  const kind = SIMPLE[type] ?? 'other';
  const rule: FieldRule = { kind };
  if (kind === 'enumeration' && Array.isArray(attribute.enum)) rule.values = attribute.enum.map(String);
  if (kind === 'relation') {
    rule.many =
      type === 'media'
        ? false
        : typeof attribute.relation === 'string' && /ToMany$|^manyWay$/i.test(attribute.relation);
    if (typeof attribute.target === 'string') rule.target = attribute.target;
  }
  if (kind === 'component') {
    rule.many = attribute.repeatable === true;
    if (typeof attribute.component === 'string') rule.target = attribute.component;
  }
  return rule;
}

/** The rules of every type and component, from their schemas' attributes. */
export function rulesFromSchemas(
  schemas: Readonly<Record<string, { attributes: Readonly<Record<string, SchemaAttribute>> }>>,
): Rules {
  return Object.fromEntries(
    Object.entries(schemas).map(([uid, schema]) => [
      uid,
      Object.fromEntries(Object.entries(schema.attributes).map(([name, attribute]) => [name, fieldRule(attribute)])),
    ]),
  );
}

const INT32 = { min: -2147483648, max: 2147483647 };
const INT64 = { min: BigInt('-9223372036854775808'), max: BigInt('9223372036854775807') };
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/u;
const LONE_SURROGATE_CODE_UNITS = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why a string cannot be stored as text (null: it can). */
export function textProblem(value: string): string | null {
  if (value.includes('\u0000')) return '不能包含空字符（NUL）';
  if (LONE_SURROGATE_CODE_UNITS.test(value) || LONE_SURROGATE.test(value))
    return '包含无效的 Unicode 字符（孤立的代理项）';
  return null;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function wholeNumber(value: unknown): bigint | null {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? BigInt(value) : null;
  if (typeof value === 'string' && /^-?\d{1,30}$/.test(value.trim())) return BigInt(value.trim());
  return null;
}

function isCalendarDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (match === null) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return year >= 1 && date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

function isTime(value: string): boolean {
  const match = /^(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,3})?)?$/.exec(value);
  const groups: (string | undefined)[] = match ?? []; // the seconds may take no part
  return match !== null && Number(groups[1]) < 24 && Number(groups[2]) < 60 && Number(groups[3] ?? 0) < 60;
}

function isDateTime(value: unknown): boolean {
  if (value instanceof Date) return !Number.isNaN(value.getTime());
  if (typeof value === 'number') return Number.isFinite(value) && Math.abs(value) <= 8.64e15;
  if (typeof value !== 'string') return false;
  const match = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)(Z|[+-]\d{2}:?\d{2})?)?$/.exec(
    value.trim(),
  );
  const groups: (string | undefined)[] = match ?? []; // a group that took no part is undefined
  const [, date, time] = groups;
  if (date === undefined || !isCalendarDate(date)) return false;
  if (time !== undefined && !isTime(time.replace(/\.\d+$/, ''))) return false;
  const year = Number(date.slice(0, 4));
  return year >= 1 && !Number.isNaN(Date.parse(value.trim().replace(' ', 'T')));
}

/** Why a scalar value does not fit its field (null: it fits). Null and undefined always fit: required is Strapi's. */
export function scalarProblem(rule: FieldRule, value: unknown): string | null {
  if (value === null || value === undefined) return null;
  switch (rule.kind) {
    case 'text': {
      if (typeof value !== 'string') return '须为文本';
      return textProblem(value);
    }
    case 'enumeration':
      if (typeof value !== 'string' || !(rule.values ?? []).includes(value))
        return `须为 ${(rule.values ?? []).join(' / ')} 之一`;
      return null;
    case 'integer':
    case 'biginteger': {
      const whole = wholeNumber(value);
      const range = rule.kind === 'integer' ? { min: BigInt(INT32.min), max: BigInt(INT32.max) } : INT64;
      if (whole === null || whole < range.min || whole > range.max)
        return `须为 ${range.min} 至 ${range.max} 之间的整数`;
      return null;
    }
    case 'float':
    case 'decimal': {
      const number =
        typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
      return Number.isFinite(number) && Math.abs(number) < 1e300 ? null : '须为有限的数字';
    }
    case 'boolean':
      return typeof value === 'boolean' ||
        value === 'true' ||
        value === 'false' ||
        value === 0 ||
        value === 1 ||
        value === '0' ||
        value === '1'
        ? null
        : '须为 true 或 false';
    case 'date':
      return typeof value === 'string' && isCalendarDate(value) ? null : '须为有效日期（YYYY-MM-DD）';
    case 'datetime':
      return isDateTime(value) ? null : '须为有效的时间（ISO 8601）';
    case 'time':
      return typeof value === 'string' && isTime(value) ? null : '须为有效的时刻（HH:mm:ss）';
    case 'json':
      return jsonProblem(value, 0);
    default:
      return null;
  }
}

function jsonProblem(value: unknown, depth: number): string | null {
  if (depth > 64) return '嵌套过深';
  if (typeof value === 'string') return textProblem(value);
  if (typeof value === 'number') return Number.isFinite(value) ? null : '须为有限的数字';
  if (Array.isArray(value)) {
    for (const entry of value) {
      const problem = jsonProblem(entry, depth + 1);
      if (problem !== null) return problem;
    }
    return null;
  }
  if (isPlainObject(value)) {
    for (const [key, entry] of Object.entries(value)) {
      const problem = textProblem(key) ?? jsonProblem(entry, depth + 1);
      if (problem !== null) return problem;
    }
  }
  return null;
}

/**
 * Does Strapi take this short-hand relation value as a row id rather than a documentId? Strapi 5.54's relation
 * transform asks `parseInt(value, 10)`: any string that starts like a number ("12abc", " -5", "1.5", a 70-digit
 * string) is an id to it, handed to the database as it is. So such a string is checked as an id.
 */
export function takenAsId(value: string): boolean {
  return !Number.isNaN(Number.parseInt(value, 10));
}

/** A reference to one related document: an id (a positive 32-bit integer), a documentId, or `{ id }` / `{ documentId }`. */
function referenceProblem(value: unknown, allowPosition: boolean): string | null {
  if (typeof value === 'number' || (typeof value === 'string' && takenAsId(value))) {
    // Only the plain decimal form of a positive 32-bit integer is an id ("12abc" and " 7" are not).
    const whole = typeof value === 'string' && !/^\d+$/.test(value) ? null : wholeNumber(value);
    return whole !== null && whole >= BigInt(1) && whole <= BigInt(INT32.max) ? null : '关联的 id 须为正整数';
  }
  if (typeof value === 'string') {
    if (value.trim() === '' || value.length > 255) return '关联须为 documentId';
    return textProblem(value);
  }
  if (!isPlainObject(value)) return '关联须为 id、documentId，或 { documentId }';
  // Other keys (the admin sends its own bookkeeping along) are ignored by Strapi; the ones it reads are checked.
  const { id, documentId, position, locale, status } = value;
  if (id === undefined && documentId === undefined) return '关联须给出 id 或 documentId';
  if (
    id !== undefined &&
    referenceProblem(typeof id === 'number' || typeof id === 'string' ? id : true, false) !== null
  )
    return '关联的 id 须为正整数';
  if (documentId !== undefined && (typeof documentId !== 'string' || referenceProblem(documentId, false) !== null))
    return '关联的 documentId 须为文本';
  for (const extra of [locale, status])
    if (extra !== undefined && extra !== null && (typeof extra !== 'string' || textProblem(extra) !== null))
      return '关联的 locale / status 须为文本';
  if (position !== undefined) {
    if (!allowPosition) return '只有 connect 中的关联可以指定 position';
    if (!isPlainObject(position)) return 'position 须为 { before | after | start | end }';
    const { before, after, start, end } = position;
    for (const anchor of [before, after])
      if (anchor !== undefined && referenceProblem(anchor, false) !== null)
        return 'position 的 before / after 须为关联';
    for (const flag of [start, end])
      if (flag !== undefined && typeof flag !== 'boolean') return 'position 的 start / end 须为 true 或 false';
  }
  return null;
}

function relationProblem(rule: FieldRule, value: unknown): string | null {
  if (value === null || value === undefined) return null;
  const list = (entries: unknown, allowPosition: boolean): string | null => {
    const items = Array.isArray(entries) ? entries : [entries];
    for (const entry of items) {
      const problem = referenceProblem(entry, allowPosition);
      if (problem !== null) return problem;
    }
    return null;
  };
  if (Array.isArray(value)) return list(value, false);
  if (isPlainObject(value) && ('connect' in value || 'disconnect' in value || 'set' in value)) {
    const { connect, disconnect, set, options } = value;
    if (options !== undefined && !isPlainObject(options)) return 'options 须为对象';
    for (const [entries, allowPosition] of [
      [connect, true],
      [disconnect, false],
      [set, false],
    ] as const) {
      if (entries === undefined || entries === null) continue;
      if (
        !Array.isArray(entries) &&
        !isPlainObject(entries) &&
        typeof entries !== 'string' &&
        typeof entries !== 'number'
      )
        return 'connect / disconnect / set 须为关联的列表';
      const problem = list(entries, allowPosition);
      if (problem !== null) return problem;
    }
    return null;
  }
  // An object naming no related document and no change (the admin echoes `{ count: 1 }`) changes nothing.
  if (isPlainObject(value) && !('id' in value) && !('documentId' in value)) {
    return Object.values(value).every(
      (entry) =>
        entry === null ||
        (['number', 'string', 'boolean'].includes(typeof entry) &&
          (typeof entry !== 'string' || textProblem(entry) === null)),
    )
      ? null
      : '关联须为 id、documentId，或 { connect, disconnect, set }';
  }
  return referenceProblem(value, false);
}

/** Every violation in a write's data for a type (or component), each naming its field path. */
export function dataViolations(rules: Rules, uid: string, data: unknown, path: string[] = []): Violation[] {
  const fields = rules[uid];
  if (fields === undefined) return [];
  if (!isPlainObject(data)) return [{ path, message: `${path.length === 0 ? 'data' : path.join('.')} 须为对象` }];
  const violations: Violation[] = [];
  for (const [name, value] of Object.entries(data)) {
    const rule = fields[name];
    const at = [...path, name];
    if (rule === undefined) {
      if (name === 'id' && path.length > 0) {
        const problem = referenceProblem(value, false);
        if (problem !== null && value !== null && value !== undefined)
          violations.push({ path: at, message: `${at.join('.')}：${problem}` });
      }
      continue;
    }
    if (rule.kind === 'relation') {
      const problem = relationProblem(rule, value);
      if (problem !== null) violations.push({ path: at, message: `${at.join('.')}：${problem}` });
      continue;
    }
    if (rule.kind === 'component') {
      if (value === null || value === undefined || rule.target === undefined) continue;
      if (rule.many === true) {
        if (!Array.isArray(value)) {
          violations.push({ path: at, message: `${at.join('.')}：须为列表` });
          continue;
        }
        const target = rule.target;
        value.forEach((entry, index) =>
          violations.push(...dataViolations(rules, target, entry, [...at, String(index)])),
        );
      } else {
        violations.push(...dataViolations(rules, rule.target, value, at));
      }
      continue;
    }
    const problem = scalarProblem(rule, value);
    if (problem !== null) violations.push({ path: at, message: `${at.join('.')}：${problem}` });
  }
  return violations;
}

const COMPARISONS = new Set([
  '$eq',
  '$eqi',
  '$ne',
  '$nei',
  '$lt',
  '$lte',
  '$gt',
  '$gte',
  '$contains',
  '$notContains',
  '$containsi',
  '$notContainsi',
  '$startsWith',
  '$startsWithi',
  '$endsWith',
  '$endsWithi',
]);
const LISTS = new Set(['$in', '$notIn', '$between']);
const FLAGS = new Set(['$null', '$notNull']);
/** Operators a filter may put straight on a relation (comparing the related id). */
const RELATION_OPERATORS = new Set(['$eq', '$ne', '$in', '$notIn', '$null', '$notNull']);
const TEXT_MATCH = new Set([
  '$contains',
  '$notContains',
  '$containsi',
  '$notContainsi',
  '$startsWith',
  '$startsWithi',
  '$endsWith',
  '$endsWithi',
  '$eqi',
  '$nei',
]);
const SYSTEM_FIELDS: Readonly<Record<string, FieldRule>> = {
  id: { kind: 'integer' },
  documentId: { kind: 'text' },
  createdAt: { kind: 'datetime' },
  updatedAt: { kind: 'datetime' },
  publishedAt: { kind: 'datetime' },
  locale: { kind: 'text' },
};

/** A filter value compared with a column: what it must be for that column (text matching takes any clean text). */
function comparedProblem(rule: FieldRule, operator: string, value: unknown): string | null {
  if (value === null) return null;
  if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean' && typeof value !== 'bigint')
    return '过滤值须为单个值';
  const text = String(value);
  const clean = textProblem(text);
  if (clean !== null) return clean;
  if (TEXT_MATCH.has(operator) || rule.kind === 'text' || rule.kind === 'other' || rule.kind === 'json') return null;
  if (rule.kind === 'enumeration') return null; // compared as text: an unknown value simply matches nothing
  if (rule.kind === 'boolean')
    return ['true', 'false', '0', '1', 't', 'f'].includes(text) ? null : '须为 true 或 false';
  return scalarProblem(
    rule,
    typeof value === 'string' &&
      (rule.kind === 'integer' || rule.kind === 'biginteger' || rule.kind === 'float' || rule.kind === 'decimal')
      ? value.trim()
      : value,
  );
}

/** Every filter value that cannot be compared with its column, each naming its path (filters.<field>.<operator>). */
export function filterViolations(
  rules: Rules,
  uid: string,
  filters: unknown,
  path: string[] = ['filters'],
  depth = 0,
): Violation[] {
  if (filters === undefined || filters === null) return [];
  if (depth > 16) return [{ path, message: '过滤条件嵌套过深' }];
  if (Array.isArray(filters))
    return filters.flatMap((entry, index) => filterViolations(rules, uid, entry, [...path, String(index)], depth + 1));
  if (!isPlainObject(filters)) return [];
  const fields = { ...SYSTEM_FIELDS, ...(rules[uid] ?? {}) };
  const violations: Violation[] = [];
  for (const [key, value] of Object.entries(filters)) {
    const at = [...path, key];
    if (key === '$and' || key === '$or' || key === '$not') {
      violations.push(...filterViolations(rules, uid, value, at, depth + 1));
      continue;
    }
    const rule = fields[key];
    if (rule === undefined) continue; // Strapi refuses unknown keys itself
    if (rule.kind === 'relation' || rule.kind === 'component') {
      // Operators straight on a relation compare the related row's id; nested fields are the target's own.
      const direct = isPlainObject(value)
        ? Object.fromEntries(
            Object.entries(value).filter(([name]) => name.startsWith('$') && !['$and', '$or', '$not'].includes(name)),
          )
        : value;
      const nested = isPlainObject(value)
        ? Object.fromEntries(
            Object.entries(value).filter(
              ([name]) => !(name.startsWith('$') && !['$and', '$or', '$not'].includes(name)),
            ),
          )
        : undefined;
      const unsupported = isPlainObject(direct)
        ? Object.keys(direct).filter((name) => !RELATION_OPERATORS.has(name))
        : [];
      if (unsupported.length > 0)
        violations.push({
          path: at,
          message: `${at.join('.')}：关联只能用 ${[...RELATION_OPERATORS].join('、')} 比较，不能用 ${unsupported.join('、')}`,
        });
      else if (!isPlainObject(direct) || Object.keys(direct).length > 0)
        violations.push(...operatorViolations({ kind: 'integer' }, direct, at, depth));
      if (rule.target !== undefined && nested !== undefined)
        violations.push(...filterViolations(rules, rule.target, nested, at, depth + 1));
      continue;
    }
    violations.push(...operatorViolations(rule, value, at, depth));
  }
  return violations;
}

function operatorViolations(rule: FieldRule, value: unknown, at: string[], depth: number): Violation[] {
  if (!isPlainObject(value)) {
    const problem = comparedProblem(rule, '$eq', value);
    return problem === null ? [] : [{ path: at, message: `${at.join('.')}：${problem}` }];
  }
  const violations: Violation[] = [];
  for (const [operator, operand] of Object.entries(value)) {
    const where = [...at, operator];
    if (operator === '$not') {
      violations.push(...operatorViolations(rule, operand, where, depth + 1));
    } else if (COMPARISONS.has(operator)) {
      const problem = comparedProblem(rule, operator, operand);
      if (problem !== null) violations.push({ path: where, message: `${where.join('.')}：${problem}` });
    } else if (LISTS.has(operator)) {
      const entries = Array.isArray(operand) ? operand : [operand];
      for (const entry of entries) {
        const problem = comparedProblem(rule, '$eq', entry);
        if (problem !== null) {
          violations.push({ path: where, message: `${where.join('.')}：${problem}` });
          break;
        }
      }
    } else if (FLAGS.has(operator)) {
      if (!(typeof operand === 'boolean' || ['true', 'false', '0', '1'].includes(String(operand)))) {
        violations.push({ path: where, message: `${where.join('.')}：须为 true 或 false` });
      }
    }
  }
  return violations;
}

/** Paging values Strapi turns into LIMIT / OFFSET: whole numbers in range, or a 400 naming them. */
export function pagingViolations(params: { pagination?: unknown; start?: unknown; limit?: unknown }): Violation[] {
  const violations: Violation[] = [];
  const check = (path: string[], value: unknown, min: number) => {
    if (value === undefined || value === null) return;
    const whole = wholeNumber(value);
    if (whole === null || whole < BigInt(min) || whole > BigInt(INT32.max))
      violations.push({ path, message: `${path.join('.')}：须为 ${min} 至 ${INT32.max} 之间的整数` });
  };
  if (isPlainObject(params.pagination)) {
    const { page, pageSize, start, limit } = params.pagination;
    check(['pagination', 'page'], page, 1);
    check(['pagination', 'pageSize'], pageSize, 1);
    check(['pagination', 'start'], start, 0);
    check(['pagination', 'limit'], limit, -1);
  }
  check(['start'], params.start, 0);
  check(['limit'], params.limit, -1);
  return violations;
}
