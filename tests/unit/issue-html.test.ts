import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { demoItems, ISSUER } from '../../src/demo/reference-issue';
import { aReferenceInput as anInput } from '../support/reference-record';
import { ISSUE_CSS, escapeHtml, issueBodyHtml, issueDocumentHtml } from '../../src/domain/issue-html';
import { buildIssueRecord } from '../../src/domain/record';
import { PRINTED_ATTRIBUTIONS } from '../support/reference-expected';

// Given the reference issue (上街信息 2020年第14期) as a signed-off record

const reference = buildIssueRecord(anInput());

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };
const decode = (html: string): string => html.replace(/&(?:amp|lt|gt|quot|#39);/g, (entity) => ENTITIES[entity]);
const textOf = (html: string): string => decode(html.replace(/<[^>]*>/g, ''));

/** The visible text of every element carrying data-part="…", in document order. */
function parts(html: string, part: string): string[] {
  const pattern = new RegExp(`<(\\w+)[^>]*\\bdata-part="${part}"[^>]*>([\\s\\S]*?)</\\1>`, 'g');
  return [...html.matchAll(pattern)].map((match) => textOf(match[2]));
}

/** The sequence of data-part names, in document order. */
const partSequence = (html: string): string[] => [...html.matchAll(/\bdata-part="([^"]+)"/g)].map((match) => match[1]);

const squash = (text: string): string => text.replace(/\s+/g, '');

/** Every tag in the markup: text from the record is escaped, so each `<` left is one the renderer wrote. */
const tags = (html: string): string[] => html.match(/<[^>]*>/g) ?? [];

describe('issueBodyHtml: the reference issue', () => {
  const html = issueBodyHtml(reference);

  test('is one article of class bulletin', () => {
    expect(html.startsWith('<article class="bulletin"')).toBe(true);
    expect(html.endsWith('</article>')).toBe(true);
    expect(html).toContain('data-document-id="reference-2020-14"');
  });

  test('prints the head: masthead, issue line, issuer and date on one line, red rule, column', () => {
    expect(parts(html, 'masthead')).toEqual(['上街信息']);
    expect(parts(html, 'issue-line')).toEqual(['第14期']);
    expect(parts(html, 'issuer')).toEqual(['中共上街区委办公室']);
    expect(parts(html, 'date')).toEqual(['2020年2月19日']);
    expect(parts(html, 'issuer-date')).toEqual(['中共上街区委办公室2020年2月19日']);
    expect(html).toContain('<hr class="red-rule" data-part="red-rule">');
    expect(parts(html, 'column')).toEqual(['坚定信心 众志成城 坚决打赢疫情防控阻击战（七）']);
    expect(partSequence(html).slice(0, 8)).toEqual([
      'head',
      'masthead',
      'issue-line',
      'issuer-date',
      'issuer',
      'date',
      'red-rule',
      'column',
    ]);
  });

  test('prints every headline in order, the attributions, none for the issuing office', () => {
    expect(parts(html, 'headline')).toEqual(demoItems.map((item) => item.headline));
    expect(parts(html, 'attribution')).toEqual(PRINTED_ATTRIBUTIONS);
    const items = parts(html, 'item');
    expect(items).toHaveLength(6);
    expect(items[0].endsWith(demoItems[0].paragraphs[demoItems[0].paragraphs.length - 1])).toBe(true);
    expect(items[1].endsWith('（区人社局）')).toBe(true);
  });

  test('each paragraph its own <p>, the attribution at the end of the last one', () => {
    expect(parts(html, 'paragraph')).toEqual(
      demoItems.flatMap((item, index) =>
        item.paragraphs.map((paragraph, at) =>
          at === item.paragraphs.length - 1 ? paragraph + reference.items[index].attribution : paragraph,
        ),
      ),
    );
    expect(html).toContain('（峡窝镇）</span></p></section>');
  });

  test('prints the footer lines in order, label and full-width colon apart from the text', () => {
    expect(parts(html, 'footer-line')).toEqual([
      '本期送：区县处级领导',
      '发：峡窝镇、各街道办事处、区直各单位负责同志',
      '责任编辑：郝婕 李德昭',
    ]);
    expect(html).toContain('<span class="footer-label">本期送：</span><span class="footer-text">区县处级领导</span>');
    expect(partSequence(html).slice(-4)).toEqual(['footer', 'footer-line', 'footer-line', 'footer-line']);
  });

  test('reads, character for character, as the printed reference issue', () => {
    const printed = readFileSync(join(__dirname, '../fixtures/shangjie-xinxi-2020-14.txt'), 'utf8');
    expect(squash(textOf(html))).toBe(squash(printed));
  });
});

describe('issueBodyHtml: other issues', () => {
  test('a section label heads each run of items with the same section', () => {
    const sections = ['【工作动态】', '【工作动态】', '【基层动态】', null, '【基层动态】', '【工作动态】'];
    const input = anInput();
    const record = buildIssueRecord({
      ...input,
      items: input.items.map((item, index) => ({ ...item, section: sections[index] })),
    });
    const html = issueBodyHtml(record);
    expect(parts(html, 'section')).toEqual(['【工作动态】', '【基层动态】', '【基层动态】', '【工作动态】']);
    expect(partSequence(html).filter((part) => part === 'section' || part === 'headline')).toEqual([
      'section',
      'headline',
      'headline',
      'section',
      'headline',
      'headline',
      'section',
      'headline',
      'section',
      'headline',
    ]);
  });

  test('supplement with running total, reviewer, signer, print run, and an item without a body', () => {
    const input = anInput({
      edition: 'supplement',
      number: 7,
      totalNumber: 560,
      printsTotalNumber: true,
      lines: { reportTo: ['市委值班室'], sendTo: ['区县处级领导'], distributeTo: ['峡窝镇'], copyTo: ['区纪委监委'] },
      reviewer: '某某',
      signer: '宋洁',
      printRun: 80,
    });
    const record = buildIssueRecord({
      ...input,
      items: [...input.items, { position: 7, section: null, headline: '简讯', body: '', units: ['峡窝镇'] }],
    });
    const html = issueBodyHtml(record);
    expect(parts(html, 'issue-line')).toEqual(['增刊第7期（总第560期）']);
    expect(parts(html, 'footer-line')).toEqual([
      '报：市委值班室',
      '本期送：区县处级领导',
      '发：峡窝镇',
      '抄送：区纪委监委',
      '责任编辑：郝婕 李德昭',
      '审核：某某',
      '签发：宋洁',
      '（共印80份）',
    ]);
    expect(html).toContain('data-key="printRun"');
    expect(parts(html, 'item')[6]).toBe('简讯（峡窝镇）');
  });

  test('no column, no issuer, no date: those parts are left out', () => {
    const html = issueBodyHtml(
      buildIssueRecord(
        anInput({
          columnTitle: null,
          issuer: null,
          date: null,
          lines: { reportTo: [], sendTo: [], distributeTo: [], copyTo: [] },
          editors: null,
        }),
      ),
    );
    expect(partSequence(html)).not.toContain('column');
    expect(parts(html, 'issuer')).toEqual([]);
    expect(parts(html, 'date')).toEqual([]);
    expect(parts(html, 'footer')).toEqual([]);
    // Without an issuer every unit is credited, the first item's too.
    expect(parts(html, 'attribution')[0]).toBe('（区委办）');
  });
});

describe('ISSUE_CSS', () => {
  const rule = (selector: string): string => {
    const start = ISSUE_CSS.indexOf(`${selector} {`);
    expect(start).toBeGreaterThanOrEqual(0);
    let depth = 0;
    for (let at = ISSUE_CSS.indexOf('{', start); at < ISSUE_CSS.length; at += 1) {
      if (ISSUE_CSS[at] === '{') depth += 1;
      if (ISSUE_CSS[at] === '}') depth -= 1;
      if (depth === 0) return ISSUE_CSS.slice(start, at + 1);
    }
    throw new Error(`unterminated rule ${selector}`);
  };
  const mm = (value: string): number => Number(value.replace('mm', ''));

  test('A4 pages: top 37 mm, binding 28 mm, a 156×225 mm text block', () => {
    const page = rule('@page');
    expect(page).toContain('size: A4;');
    const margin = /margin: (\S+) (\S+) (\S+) (\S+);/.exec(page);
    expect(margin).not.toBeNull();
    const [top, right, bottom, left] = (margin ?? []).slice(1).map(mm);
    expect([top, left]).toEqual([37, 28]);
    expect(210 - left - right).toBe(156);
    expect(297 - top - bottom).toBe(225);
  });

  test('page numbers — N — at the bottom right of odd pages and the bottom left of even ones', () => {
    const right = rule('@page :right');
    const left = rule('@page :left');
    expect(right).toContain('@bottom-right {');
    expect(right).toContain('content: "— " counter(page) " —";');
    expect(right).not.toContain('@bottom-left');
    expect(left).toContain('@bottom-left {');
    expect(left).toContain('content: "— " counter(page) " —";');
    expect(left).not.toContain('@bottom-right');
  });

  test('body 16 pt 仿宋 in black, paragraphs indented two characters; footer 14 pt; masthead red', () => {
    const bulletin = rule('.bulletin');
    expect(bulletin).toContain('font-size: 16pt;');
    expect(bulletin).toContain('color: #000;');
    expect(bulletin).toMatch(
      /font-family: "仿宋_GB2312", [^;]*"FangSong", "STFangsong", "仿宋", "Noto Serif CJK SC", "Noto Sans CJK SC", serif;/,
    );
    expect(rule('.bulletin .paragraph')).toContain('text-indent: 2em;');
    expect(rule('.bulletin .imprint')).toContain('font-size: 14pt;');
    const masthead = rule('.bulletin .masthead');
    expect(masthead).toContain('color: #E60012;');
    expect(masthead).toContain('text-align: center;');
    expect(masthead).toMatch(/font-family: "方正小标宋简体", [^;]*"Noto Serif CJK SC", "Noto Sans CJK SC", serif;/);
    expect(rule('.bulletin .headline')).toMatch(
      /font-family: "方正小标宋简体", [^;]*;\n\s*font-size: 16pt;\n\s*font-weight: bold;/,
    );
  });

  test('footer rules: first and last 0.35 mm, middle 0.25 mm, black', () => {
    const imprint = rule('.bulletin .imprint');
    expect(imprint).toContain('border-top: 0.35mm solid #000;');
    expect(imprint).toContain('border-bottom: 0.35mm solid #000;');
    expect(rule('.bulletin .footer-line + .footer-line')).toContain('border-top: 0.25mm solid #000;');
  });

  test('every font stack ends in a generic family, so every character renders', () => {
    const stacks = [...ISSUE_CSS.matchAll(/font-family: ([^;]+);/g)].map((match) => match[1]);
    expect(stacks.length).toBeGreaterThan(0);
    for (const stack of stacks) expect(stack).toMatch(/"Noto (Serif|Sans) CJK SC", (serif|sans-serif)$/);
  });
});

describe('issueDocumentHtml', () => {
  const document = issueDocumentHtml(reference);

  test('a standalone HTML5 document titled 上街信息 第14期 with the stylesheet inline', () => {
    expect(document.startsWith('<!doctype html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">')).toBe(true);
    expect(document).toContain('<title>上街信息 第14期</title>');
    expect(document).toContain(`<style>${ISSUE_CSS}</style>`);
    expect(document).toContain(`<body class="bulletin-document">\n${issueBodyHtml(reference)}\n</body>`);
    expect(document.trimEnd().endsWith('</html>')).toBe(true);
  });

  test('loads nothing and runs nothing', () => {
    expect(document).not.toMatch(/<script|<link|<img|<iframe|<object|<embed|@import|url\(|\bsrc=|\bhref=/i);
    expect(document).not.toMatch(/https?:|\/\//i);
    expect(document).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;;`);
  });

  test('the title is the caller’s to set, and escaped', () => {
    const custom = issueDocumentHtml(reference, { title: '预览 <b>' });
    expect(custom).toContain('<title>预览 &lt;b&gt;</title>');
  });
});

describe('nothing in a record can become markup', () => {
  const payloads = [
    '<script>alert(1)</script>',
    '<img src=x onerror=alert(1)>',
    '"><svg onload=alert(1)>',
    "'><iframe src=javascript:alert(1)></iframe>",
    '<a href="javascript:alert(1)">点我</a>',
    'javascript:alert(document.cookie)',
    '</style><script>alert(1)</script>',
    '<!--',
    ']]><style>body{display:none}</style>',
    '&lt;script&gt;已转义&amp;',
  ];

  // A tag the renderer writes: a known name, then only quoted attributes whose values hold no quote or bracket.
  const TAG = /^<\/?([a-z0-9]+)((?:\s[\w-]+="[^"<>]*")*)>$/;
  const ALLOWED_TAGS = new Set(['article', 'header', 'h1', 'h2', 'h3', 'p', 'div', 'span', 'hr', 'section', 'footer']);

  test.each(payloads)('%s', (payload) => {
    // Given the payload in every text field of an issue
    const input = anInput({
      documentId: payload,
      publication: `上街信息${payload}`,
      columnTitle: payload,
      issuer: { shortName: ISSUER, fullName: payload },
      lines: { reportTo: [payload], sendTo: [payload], distributeTo: ['峡窝镇', payload], copyTo: [] },
      editors: `郝婕 ${payload}`,
      reviewer: payload,
      signer: payload,
    });
    const record = buildIssueRecord({
      ...input,
      items: [
        { position: 1, section: payload, headline: payload, body: `${payload}\n\n第二段${payload}`, units: [payload] },
        ...input.items.slice(1),
      ],
    });

    // When it is rendered
    const body = issueBodyHtml(record);
    const document = issueDocumentHtml(record);
    const markup = document.replace(/<style>[\s\S]*?<\/style>/, '<style></style>');

    // Then every tag is one the renderer wrote, with no handler or script URL
    for (const tag of tags(body)) {
      const parsed = TAG.exec(tag);
      expect(parsed).not.toBeNull();
      expect(ALLOWED_TAGS.has(parsed?.[1] ?? '')).toBe(true);
      const names = [...(parsed?.[2] ?? '').matchAll(/\s([\w-]+)="/g)].map((match) => match[1]);
      for (const name of names) expect(name).toMatch(/^(class|data-[a-z-]+)$/);
    }
    expect(markup).not.toMatch(/<script|<img|<svg|<iframe|<a[\s>]|<!--|<\/style><script/i);
    expect(tags(markup).filter((tag) => /^<style/.test(tag))).toHaveLength(1);
    // And the payload is there as text
    expect(body).toContain(escapeHtml(payload));
    expect(parts(body, 'headline')[0]).toBe(payload);
    expect(parts(body, 'section')[0]).toBe(payload);
    expect(parts(body, 'attribution')[0]).toBe(`（${payload}）`);
    expect(parts(body, 'issuer')).toEqual([payload]);
    expect(parts(body, 'footer-line')).toContain(`审核：${payload}`);
    expect(textOf(body)).toContain(payload);
    expect(document).toContain(`<title>上街信息${escapeHtml(payload)} 第14期</title>`);
  });
});

test.each([
  ['<script>', '&lt;script&gt;'],
  ['a & b', 'a &amp; b'],
  [`"double" 'single'`, '&quot;double&quot; &#39;single&#39;'],
  ['&amp;', '&amp;amp;'],
  ['仿宋 （七）', '仿宋 （七）'],
])('escapeHtml(%j) = %j', (text, escaped) => {
  expect(escapeHtml(text)).toBe(escaped);
});
