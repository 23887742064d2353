/**
 * The text of a bulletin saved from a web page (.html / .htm): what a reader of the page sees, one block per line.
 * Pure and forgiving: script, style and comments are dropped; <br>, <p>, <div>, <h1>…<h6>, <li>, <tr> and <td> end
 * lines; every other tag is removed; entities (&nbsp; &amp; &lt; &gt; &quot; &#39; &#12288; &#x3000; and a few named
 * ones) are decoded. An indent written as &nbsp;&nbsp; or 　　 stays at the start of its line. Never throws.
 */

const NAMED = new Map<string, string>([
  ['nbsp', '\u00a0'],
  ['ensp', '\u2002'],
  ['emsp', '\u2003'],
  ['amp', '&'],
  ['lt', '<'],
  ['gt', '>'],
  ['quot', '"'],
  ['apos', "'"],
  ['ldquo', '“'],
  ['rdquo', '”'],
  ['lsquo', '‘'],
  ['rsquo', '’'],
  ['mdash', '—'],
  ['hellip', '…'],
  ['middot', '·'],
  ['times', '×'],
]);

function decodeEntity(entity: string, body: string): string {
  if (body.startsWith('#')) {
    const code = /^#x/iu.test(body) ? Number.parseInt(body.slice(2), 16) : Number.parseInt(body.slice(1), 10);
    return Number.isSafeInteger(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : entity;
  }
  return NAMED.get(body.toLowerCase()) ?? entity;
}

const BLOCK_END =
  /<\s*(?:br\s*\/?|\/\s*(?:p|div|h[1-6]|li|tr|td|th|section|article|blockquote|pre|table|center))\s*>/giu;
const BLOCK_START = /<\s*(?:p|div|h[1-6]|li|tr|section|article|blockquote|pre|table|center)(?:\s[^>]*)?>/giu;

export function htmlToText(html: string): string {
  const text = html
    .replace(/<!--[\s\S]*?-->/gu, '')
    .replace(/<\s*(script|style|head|title|noscript)\b[^>]*>[\s\S]*?<\s*\/\s*\1\s*>/giu, '')
    .replace(/\r\n?|\n/gu, ' ')
    .replace(BLOCK_END, '\n')
    .replace(BLOCK_START, '\n')
    .replace(/<[^>]*>/gu, '')
    .replace(/&(#x[0-9a-f]{1,6}|#[0-9]{1,7}|[a-z]{2,8});/giu, (entity, body: string) => decodeEntity(entity, body));
  return text
    .split('\n')
    .map((line) =>
      line
        .replace(/[ \t]+$/u, '')
        .replace(/^ +(?=\S)/u, '')
        .replace(/\u00a0/gu, ' '),
    )
    .join('\n');
}
