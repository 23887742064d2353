import type { FooterLine, IssueRecord, RecordItem } from './record';

/**
 * The signed-off record as printable HTML: the admin preview shows it and headless Chromium prints it to PDF.
 *
 * Layout follows the conventions bulletins borrow from GB/T 9704-2012: A4, top margin 37 mm, binding (left) margin
 * 28 mm, a 156×225 mm text block; masthead red and centred, the issue line under it, the issuing office at the left and
 * the date at the right of one line, a full-width red rule; body 16 pt (三号) 仿宋 with two-character indents;
 * footer (版记) lines 14 pt (四号) between full-width black rules, the first and last thicker (0.35 mm) than the middle
 * ones (0.25 mm), wrapped text aligned after the full-width colon; page numbers "— 1 —" at the right on odd pages and at
 * the left on even ones.
 *
 * Every string taken from the record is escaped: an item's text is text, never markup. The document is standalone
 * (styles inline, no script, no external resource), and its Content-Security-Policy forbids loading anything even if
 * that ever stopped being true.
 */

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ESCAPES[char]);
}

const FANGSONG = `"仿宋_GB2312", "FangSong_GB2312", "FangSong", "STFangsong", "仿宋", "Noto Serif CJK SC", "Noto Sans CJK SC", serif`;
const XIAOBIAOSONG = `"方正小标宋简体", "FZXiaoBiaoSong-B05S", "方正小标宋_GBK", "STZhongsong", "华文中宋", "Noto Serif CJK SC", "Noto Sans CJK SC", serif`;
const HEITI = `"黑体", "SimHei", "STHeiti", "Noto Sans CJK SC", "Noto Serif CJK SC", sans-serif`;
const SONGTI = `"宋体", "SimSun", "STSong", "Noto Serif CJK SC", "Noto Sans CJK SC", serif`;

const RED = '#E60012';
const PAGE_NUMBER = `"— " counter(page) " —"`;

export const ISSUE_CSS = `
@page {
  size: A4;
  margin: 37mm 26mm 35mm 28mm;
}
@page :right {
  @bottom-right {
    content: ${PAGE_NUMBER};
    font-family: ${SONGTI};
    font-size: 14pt;
    color: #000;
    text-align: right;
    vertical-align: top;
    padding-top: 7mm;
    padding-right: 1em;
  }
}
@page :left {
  @bottom-left {
    content: ${PAGE_NUMBER};
    font-family: ${SONGTI};
    font-size: 14pt;
    color: #000;
    text-align: left;
    vertical-align: top;
    padding-top: 7mm;
    padding-left: 1em;
  }
}

body.bulletin-document {
  margin: 0;
  padding: 8mm 0;
  background: #ececec;
}

.bulletin {
  box-sizing: border-box;
  width: 210mm;
  min-height: 297mm;
  margin: 0 auto;
  padding: 37mm 26mm 35mm 28mm;
  background: #fff;
  box-shadow: 0 1px 4px rgba(0, 0, 0, 0.18), 0 4px 16px rgba(0, 0, 0, 0.08);
  color: #000;
  font-family: ${FANGSONG};
  font-size: 16pt;
  line-height: 28.9pt;
  text-align: justify;
  -webkit-print-color-adjust: exact;
  print-color-adjust: exact;
}
.bulletin * {
  box-sizing: border-box;
}

.bulletin .masthead {
  margin: 0;
  color: ${RED};
  font-family: ${XIAOBIAOSONG};
  font-size: 44pt;
  font-weight: normal;
  line-height: 1.25;
  text-align: center;
}
.bulletin .issue-line {
  margin: 3mm 0 0;
  text-align: center;
}
.bulletin .issuer-date {
  display: flex;
  justify-content: space-between;
  align-items: baseline;
  gap: 1em;
  margin: 3mm 0 0;
}
.bulletin .issuer-date .date {
  margin-left: auto;
  white-space: nowrap;
}
.bulletin .red-rule {
  height: 0;
  margin: 2mm 0 0;
  border: 0;
  border-top: 0.6mm solid ${RED};
}
.bulletin .column {
  margin: 7mm 0 0;
  font-family: ${XIAOBIAOSONG};
  font-size: 18pt;
  font-weight: bold;
  line-height: 1.5;
  text-align: center;
}
.bulletin .section {
  margin: 1em 0 0;
  font-family: ${HEITI};
  font-size: 16pt;
  font-weight: bold;
  line-height: 28.9pt;
  text-align: left;
  break-after: avoid;
  page-break-after: avoid;
}
.bulletin .headline {
  margin: 1em 0 0.3em;
  font-family: ${XIAOBIAOSONG};
  font-size: 16pt;
  font-weight: bold;
  line-height: 28.9pt;
  text-align: center;
  break-after: avoid;
  page-break-after: avoid;
}
.bulletin .paragraph {
  margin: 0;
  text-indent: 2em;
  orphans: 2;
  widows: 2;
}

.bulletin .imprint {
  margin: 2em 0 0;
  border-top: 0.35mm solid #000;
  border-bottom: 0.35mm solid #000;
  font-size: 14pt;
  line-height: 1.6;
  text-align: left;
  break-inside: avoid;
  page-break-inside: avoid;
}
.bulletin .footer-line {
  display: flex;
  margin: 0;
  padding: 0.5mm 1em;
}
.bulletin .footer-line + .footer-line {
  border-top: 0.25mm solid #000;
}
.bulletin .footer-label {
  flex: none;
  white-space: nowrap;
}
.bulletin .footer-text {
  flex: 1 1 auto;
  min-width: 0;
}
.bulletin .footer-line[data-key="printRun"] {
  justify-content: flex-end;
}
.bulletin .footer-line[data-key="printRun"] .footer-text {
  flex: none;
}

@media print {
  body.bulletin-document {
    padding: 0;
    background: none;
  }
  .bulletin {
    width: auto;
    min-height: 0;
    margin: 0;
    padding: 0;
    box-shadow: none;
  }
}
`;

type Attributes = Record<string, string | number | null>;

function attributes(attrs: Attributes): string {
  return Object.entries(attrs)
    .filter((entry): entry is [string, string | number] => entry[1] !== null)
    .map(([name, value]) => ` ${name}="${escapeHtml(String(value))}"`)
    .join('');
}

function element(tag: string, attrs: Attributes, content: string): string {
  return `<${tag}${attributes(attrs)}>${content}</${tag}>`;
}

function itemHtml(item: RecordItem): string {
  const parts: string[] = [];
  if (item.headline.trim() !== '')
    parts.push(element('h3', { class: 'headline', 'data-part': 'headline' }, escapeHtml(item.headline)));
  const attribution =
    item.attribution === ''
      ? ''
      : element('span', { class: 'attribution', 'data-part': 'attribution' }, escapeHtml(item.attribution));
  const paragraphs = item.paragraphs.length === 0 && attribution !== '' ? [''] : item.paragraphs;
  paragraphs.forEach((paragraph, index) => {
    const tail = index === paragraphs.length - 1 ? attribution : '';
    parts.push(element('p', { class: 'paragraph', 'data-part': 'paragraph' }, `${escapeHtml(paragraph)}${tail}`));
  });
  return element('section', { class: 'item', 'data-part': 'item', 'data-position': item.position }, parts.join(''));
}

/** 本期送：区县处级领导 — the label and its full-width colon, then the text; the print run alone, in brackets. */
function footerLineHtml(line: FooterLine): string {
  const label =
    line.key === 'printRun' ? '' : element('span', { class: 'footer-label' }, `${escapeHtml(line.label)}：`);
  const text = line.key === 'printRun' ? `（${line.text}）` : line.text;
  return element(
    'p',
    { class: 'footer-line', 'data-part': 'footer-line', 'data-key': line.key },
    `${label}${element('span', { class: 'footer-text' }, escapeHtml(text))}`,
  );
}

/** The bulletin as an HTML fragment, `<article class="bulletin">…</article>`, styled by ISSUE_CSS. */
export function issueBodyHtml(record: IssueRecord): string {
  const head: string[] = [
    element('h1', { class: 'masthead', 'data-part': 'masthead' }, escapeHtml(record.publication)),
  ];
  if (record.labels.issueLine !== '') {
    head.push(element('p', { class: 'issue-line', 'data-part': 'issue-line' }, escapeHtml(record.labels.issueLine)));
  }
  const issuer =
    record.issuer === null
      ? ''
      : element('span', { class: 'issuer', 'data-part': 'issuer' }, escapeHtml(record.issuer.fullName));
  const date =
    record.labels.date === null
      ? ''
      : element('span', { class: 'date', 'data-part': 'date' }, escapeHtml(record.labels.date));
  head.push(element('div', { class: 'issuer-date', 'data-part': 'issuer-date' }, `${issuer}${date}`));
  head.push(`<hr${attributes({ class: 'red-rule', 'data-part': 'red-rule' })}>`);

  const body: string[] = [element('header', { class: 'bulletin-head', 'data-part': 'head' }, head.join(''))];
  if (record.column !== null)
    body.push(element('p', { class: 'column', 'data-part': 'column' }, escapeHtml(record.column.label)));

  const items: string[] = [];
  let section: string | null = null;
  for (const item of record.items) {
    if (item.section !== null && item.section !== section) {
      items.push(element('h2', { class: 'section', 'data-part': 'section' }, escapeHtml(item.section)));
    }
    section = item.section;
    items.push(itemHtml(item));
  }
  body.push(element('div', { class: 'items', 'data-part': 'items' }, items.join('')));

  if (record.footer.length > 0) {
    body.push(
      element('footer', { class: 'imprint', 'data-part': 'footer' }, record.footer.map(footerLineHtml).join('')),
    );
  }

  return element(
    'article',
    {
      class: 'bulletin',
      'data-document-id': record.documentId,
      'data-publication': record.publication,
      'data-edition': record.edition,
      'data-year': record.year,
      'data-number': record.number,
    },
    body.join(''),
  );
}

/** The policy of every standalone document this app prints: nothing is loaded, nothing runs. */
export const STANDALONE_CONTENT_SECURITY_POLICY =
  "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:; base-uri 'none'; form-action 'none'";

/**
 * A complete, standalone HTML5 document: inline styles, no script, no external resource, and a Content-Security-Policy
 * that forbids loading anything. `title` is escaped; `body` is markup the caller has escaped.
 */
export function standaloneDocument(parts: { title: string; css: string; body: string; bodyClass?: string }): string {
  return [
    '<!doctype html>',
    '<html lang="zh-CN">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${escapeHtml(STANDALONE_CONTENT_SECURITY_POLICY)}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(parts.title)}</title>`,
    `<style>${parts.css}</style>`,
    '</head>',
    parts.bodyClass === undefined ? '<body>' : `<body class="${escapeHtml(parts.bodyClass)}">`,
    parts.body,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

/** 上街信息 第14期 */
function documentTitle(record: IssueRecord): string {
  return [record.publication, record.labels.issueLine].filter((part) => part !== '').join(' ');
}

/**
 * The bulletin as a standalone document: printed to PDF by headless Chromium and shown as the admin preview. `title`
 * replaces the default (上街信息 第14期).
 */
export function issueDocumentHtml(record: IssueRecord, options: { title?: string } = {}): string {
  return standaloneDocument({
    title: options.title ?? documentTitle(record),
    css: ISSUE_CSS,
    bodyClass: 'bulletin-document',
    body: issueBodyHtml(record),
  });
}
