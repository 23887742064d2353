import fs from 'fs';
import path from 'path';
import {
  ENUMERATION_LABELS,
  PLAIN_INTEGER_FIELDS,
  enumerationLabel,
  enumerationMessages,
  isPlainIntegerField,
} from '../../src/domain/admin-labels';
import { EDITIONS } from '../../src/domain/labels';
import { ITEM_STATES } from '../../src/domain/workflow';

/** Every content type and component schema of the app, by uid, read from disk as Strapi reads them. */
type Attribute = { type: string; enum?: string[]; max?: number };
type Schema = { attributes: Record<string, Attribute> };

const src = path.resolve(__dirname, '..', '..', 'src');
const readSchema = (file: string): Schema => JSON.parse(fs.readFileSync(file, 'utf8')) as Schema;
const dirs = (dir: string): string[] =>
  fs.existsSync(dir)
    ? fs
        .readdirSync(dir, { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .map((d) => d.name)
    : [];

function schemas(): Record<string, Schema> {
  const found: Record<string, Schema> = {};
  for (const api of dirs(path.join(src, 'api'))) {
    for (const type of dirs(path.join(src, 'api', api, 'content-types'))) {
      found[`api::${api}.${type}`] = readSchema(path.join(src, 'api', api, 'content-types', type, 'schema.json'));
    }
  }
  for (const plugin of dirs(path.join(src, 'extensions'))) {
    for (const type of dirs(path.join(src, 'extensions', plugin, 'content-types'))) {
      found[`plugin::${plugin}.${type}`] = readSchema(
        path.join(src, 'extensions', plugin, 'content-types', type, 'schema.json'),
      );
    }
  }
  for (const category of dirs(path.join(src, 'components'))) {
    for (const file of fs.readdirSync(path.join(src, 'components', category)).filter((f) => f.endsWith('.json'))) {
      found[`${category}.${file.replace(/\.json$/, '')}`] = readSchema(path.join(src, 'components', category, file));
    }
  }
  return found;
}

const all = schemas();

/** uid → field → values, for every enumeration attribute of every schema. */
const enumerations: Record<string, Record<string, string[]>> = {};
for (const [uid, schema] of Object.entries(all)) {
  for (const [field, attribute] of Object.entries(schema.attributes)) {
    if (attribute.type === 'enumeration') (enumerations[uid] ??= {})[field] = attribute.enum ?? [];
  }
}

describe('admin labels of enumeration values', () => {
  it('reads the schemas (issue, item, unit, recipient group, the recipient component)', () => {
    expect(Object.keys(all)).toEqual(
      expect.arrayContaining([
        'api::issue.issue',
        'api::item.item',
        'api::unit.unit',
        'api::recipient-group.recipient-group',
        'bulletin.recipient',
      ]),
    );
    expect(Object.keys(enumerations).sort()).toEqual(['api::issue.issue', 'api::item.item', 'api::unit.unit']);
  });

  it('label every value of every enumeration field, and nothing else', () => {
    const labelled = Object.fromEntries(
      Object.entries(ENUMERATION_LABELS).map(([uid, fields]) => [
        uid,
        Object.fromEntries(Object.entries(fields).map(([field, values]) => [field, Object.keys(values)])),
      ]),
    );
    expect(labelled).toEqual(enumerations);
  });

  it('are short Chinese labels', () => {
    for (const [uid, fields] of Object.entries(enumerations)) {
      for (const [field, values] of Object.entries(fields)) {
        for (const value of values) expect(enumerationLabel(uid, field, value)).toMatch(/^[\u4e00-\u9fff]{1,6}$/);
      }
    }
  });

  it('follow the domain (editions, item states) and the printed wording', () => {
    expect(Object.keys(ENUMERATION_LABELS['api::issue.issue'].edition)).toEqual([...EDITIONS]);
    expect(Object.keys(ENUMERATION_LABELS['api::item.item'].state)).toEqual([...ITEM_STATES]);
    expect(ENUMERATION_LABELS['api::issue.issue'].edition).toEqual({
      regular: '正刊',
      supplement: '增刊',
      special: '专刊',
    });
    expect(ENUMERATION_LABELS['api::item.item'].state).toEqual({
      submitted: '已报送',
      adopted: '已采用',
      returned: '已退回',
      withdrawn: '已撤回',
    });
    expect(ENUMERATION_LABELS['api::item.item'].adoptionKind).toEqual({ single: '单条采用', combined: '综合采用' });
  });

  it('find nothing for unknown types, fields, values or non-strings', () => {
    expect(enumerationLabel('api::item.item', 'state', 'adopted')).toBe('已采用');
    expect(enumerationLabel('api::issue.issue', 'state', 'adopted')).toBeUndefined();
    expect(enumerationLabel('api::item.item', 'state', 'published')).toBeUndefined();
    expect(enumerationLabel('api::item.item', 'state', 'toString')).toBeUndefined();
    expect(enumerationLabel('api::nothing.nothing', 'state', 'adopted')).toBeUndefined();
    expect(enumerationLabel('api::item.item', 'state', null)).toBeUndefined();
  });

  it('become one translation id per value, each with one label', () => {
    const messages = enumerationMessages();
    const values = Object.values(enumerations).flatMap((fields) => Object.values(fields).flat());
    expect(Object.keys(messages).sort()).toEqual([...new Set(values)].sort());
    expect(messages).toMatchObject({ regular: '正刊', adopted: '已采用', combined: '综合采用', subdistrict: '街道' });
  });
});

describe('plain integer fields', () => {
  it('name integer attributes of the schemas', () => {
    for (const [uid, fields] of Object.entries(PLAIN_INTEGER_FIELDS)) {
      for (const field of fields) {
        expect(
          (all as Partial<Record<string, { attributes: Partial<Record<string, Attribute>> }>>)[uid]?.attributes[field]
            ?.type,
        ).toBe('integer');
        expect(isPlainIntegerField(uid, field)).toBe(true);
      }
    }
  });

  it('include the year, which never has more than four digits', () => {
    expect(isPlainIntegerField('api::issue.issue', 'year')).toBe(true);
    expect(all['api::issue.issue'].attributes.year.max).toBeLessThanOrEqual(9999);
    expect(isPlainIntegerField('api::issue.issue', 'printRun')).toBe(false);
    expect(isPlainIntegerField('api::unit.unit', 'year')).toBe(false);
  });
});
