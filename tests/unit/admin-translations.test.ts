import { parse, TYPE } from '@formatjs/icu-messageformat-parser';
import type { MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import { namespaceOf, strapiMessages } from '../../scripts/lib/admin-messages';
import { ZH_HANS_PARTS, zhHans } from '../../src/admin/translations/zh-Hans';

/**
 * The admin's Chinese: Strapi's zh-Hans plus ours (src/admin/translations/zh-Hans) must cover every English message
 * of the admin and its plugins, keep each message's ICU arguments and tags, and read as Chinese.
 */

const en = strapiMessages('en');
const effective: Record<string, string> = { ...strapiMessages('zh-Hans'), ...zhHans };

/** Latin-script words a Chinese message may contain: product and protocol names, key caps, axis names. */
const LATIN_ALLOWED = new Set([
  'Strapi',
  'AI',
  'API',
  'ID',
  'URL',
  'JSON',
  'CSV',
  'SMTP',
  'TLS',
  'DKIM',
  'OAuth2',
  'Webhook',
  'Figma',
  'Ctrl',
  'Cmd',
  'Shift',
  'Enter',
  'Esc',
  'X',
  'Y',
  // File formats the compose desk offers (下载 PDF / Word).
  'PDF',
  'Word',
]);
/** Messages whose value is the literal syntax the user types (HTML link attributes), the same in every language. */
const LITERAL_VALUES = new Set([
  'components.Blocks.popover.link.rel.placeholder',
  'components.Blocks.popover.link.target.placeholder',
]);

type Shape = { args: string[]; tags: string[]; literals: string[] };

/** The arguments, tags and literal text of an ICU message (throws when it is not valid ICU). */
function shape(message: string): Shape {
  const args = new Set<string>();
  const tags = new Set<string>();
  const literals: string[] = [];
  const walk = (elements: MessageFormatElement[]): void => {
    for (const element of elements) {
      if ('options' in element) {
        args.add(element.value);
        for (const option of Object.values(element.options)) walk(option.value);
      } else if ('children' in element) {
        tags.add(element.value);
        walk(element.children);
      } else if (element.type === TYPE.literal) {
        literals.push(element.value);
      } else if (element.type !== TYPE.pound) {
        args.add(element.value); // argument, number, date, time (7 is a plural's #)
      }
    }
  };
  walk(parse(message));
  return { args: [...args].sort(), tags: [...tags].sort(), literals };
}

const parseable = (message: string): Shape | null => {
  try {
    return shape(message);
  } catch {
    return null;
  }
};

const supplied = Object.entries(zhHans);

describe('zh-Hans coverage', () => {
  it('gives every English message of the admin and its plugins a Chinese one', () => {
    // A few English messages are a deliberate blank (" "); any Chinese one, even blank, is then enough.
    const missing = Object.keys(en).filter(
      (key) => typeof effective[key] !== 'string' || (effective[key].trim() === '' && en[key].trim() !== ''),
    );
    const byNamespace: Record<string, string[]> = {};
    for (const key of missing) (byNamespace[namespaceOf(key)] ??= []).push(key);
    expect(byNamespace).toEqual({});
  });

  it('supplies only ids Strapi lacks, ids Strapi uses without an en entry, corrections and enumeration values', () => {
    const strapiZh = strapiMessages('zh-Hans');
    const corrections = new Set([...Object.keys(ZH_HANS_PARTS.corrections), ...Object.keys(ZH_HANS_PARTS['sign-off'])]);
    // A Strapi translation we replace must be listed as a correction (or as 签发 wording), not overwritten by accident.
    const overwritten = supplied.map(([key]) => key).filter((key) => key in strapiZh && !corrections.has(key));
    expect(overwritten).toEqual([]);
    for (const key of Object.keys(ZH_HANS_PARTS.corrections)) expect(strapiZh).toHaveProperty([key]);
  });

  it('labels enumeration values under ids no Strapi message uses', () => {
    const strapiZh = strapiMessages('zh-Hans');
    const clashes = Object.keys(ZH_HANS_PARTS.enumerations).filter(
      (id) => id in en || id in strapiZh || id in ZH_HANS_PARTS.unlisted,
    );
    expect(clashes).toEqual([]);
    for (const [id, label] of Object.entries(ZH_HANS_PARTS.enumerations)) expect(zhHans[id]).toBe(label);
  });
});

describe('zh-Hans messages', () => {
  it('are valid ICU messages', () => {
    const invalid = supplied.filter(([, value]) => parseable(value) === null);
    expect(invalid).toEqual([]);
  });

  it('keep the arguments and tags of the English message', () => {
    const differing: Array<{ key: string; en: Omit<Shape, 'literals'>; zh: Omit<Shape, 'literals'> }> = [];
    for (const [key, value] of supplied) {
      const english = key in en ? parseable(en[key]) : null;
      if (english === null) continue; // not Strapi's, or not valid ICU in English either (shown raw)
      const { args, tags } = english;
      const zh = shape(value);
      if (args.join() !== zh.args.join() || tags.join() !== zh.tags.join()) {
        differing.push({ key, en: { args, tags }, zh: { args: zh.args, tags: zh.tags } });
      }
    }
    expect(differing).toEqual([]);
  });

  it('contain no Latin-script words but product names, protocols and key caps', () => {
    const latin: Array<{ key: string; words: string[] }> = [];
    for (const [key, value] of supplied) {
      if (LITERAL_VALUES.has(key)) continue;
      const text = shape(value)
        .literals.join(' ')
        .replace(/\S+@\S+\.[a-z]+/g, ' ') // example e-mail addresses
        .replace(/https?:\/\/\S+/g, ' ');
      const words = (text.match(/[A-Za-z][A-Za-z0-9]*/g) ?? []).filter((word) => !LATIN_ALLOWED.has(word));
      if (words.length > 0) latin.push({ key, words });
    }
    expect(latin).toEqual([]);
  });
});

describe('签发: publishing an issue is signing it off', () => {
  it('every publish message an editor or signer sees says 签发, and none says 发布', () => {
    for (const key of [
      'app.utils.publish',
      'app.utils.unpublish',
      'content-manager.containers.List.published',
      'content-manager.success.record.publish',
    ]) {
      expect(zhHans[key]).toContain('签发');
    }
    for (const [key, value] of Object.entries(ZH_HANS_PARTS['sign-off']))
      expect([key, value]).not.toEqual([key, expect.stringContaining('发布')]);
  });
});
