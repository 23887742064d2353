import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import JSZip from 'jszip';
import { demoItems, ISSUER } from '../../src/demo/reference-issue';
import { aReferenceInput as anInput } from '../support/reference-record';
import { buildIssueRecord, type IssueRecord } from '../../src/domain/record';
import { issueDocx } from '../../src/export/issue-docx';
import { PRINTED_ATTRIBUTIONS } from '../support/reference-expected';

// Given the reference issue (上街信息 2020年第14期) as a signed-off record

type Parts = { zip: JSZip; document: string; settings: string; files: string[] };

async function unzip(record: IssueRecord): Promise<Parts> {
  const zip = await JSZip.loadAsync(await issueDocx(record));
  const read = async (path: string): Promise<string> => {
    const file = zip.file(path);
    if (file === null) throw new Error(`no ${path} in the package`);
    return file.async('string');
  };
  return {
    zip,
    document: await read('word/document.xml'),
    settings: await read('word/settings.xml'),
    files: Object.keys(zip.files),
  };
}

const XML_ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&apos;': "'" };
const decodeXml = (text: string): string =>
  text.replace(/&(?:amp|lt|gt|quot|apos);/g, (entity) => XML_ENTITIES[entity]);

/** Each <w:p> of the body (in table cells too), in order. */
const paragraphsOf = (xml: string): string[] => xml.match(/<w:p(?:\s[^>]*)?>[\s\S]*?<\/w:p>/g) ?? [];

/** The text of a paragraph: its <w:t> runs in order, a tab as \t. */
const textOf = (paragraph: string): string =>
  [...paragraph.matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>|<w:tab\/>/g)]
    .map((match) => {
      const text = match[1] as string | undefined; // undefined where <w:tab/> matched
      return text === undefined ? '\t' : decodeXml(text);
    })
    .join('');

const runsOf = (paragraph: string): string[] => paragraph.match(/<w:r>[\s\S]*?<\/w:r>/g) ?? [];

const paragraphWith = (xml: string, text: string): string => {
  const found = paragraphsOf(xml).find((paragraph) => textOf(paragraph) === text);
  if (found === undefined) throw new Error(`no paragraph reading ${text}`);
  return found;
};

const squash = (text: string): string => text.replace(/\s+/g, '');

/** An item's last paragraph as printed, with its attribution. */
const lastParagraphText = (record: IssueRecord, index: number): string => {
  const item = record.items[index];
  return item.paragraphs[item.paragraphs.length - 1] + item.attribution;
};

describe('issueDocx: the reference issue', () => {
  const record = buildIssueRecord(anInput());
  let parts: Parts;
  beforeAll(async () => {
    parts = await unzip(record);
  });

  test('reads, paragraph by paragraph, in print order', () => {
    const printed = (index: number): string[] => [
      ...demoItems[index].paragraphs.slice(0, -1),
      lastParagraphText(record, index),
    ];
    expect(paragraphsOf(parts.document).map(textOf)).toEqual([
      '上街信息',
      '第14期',
      '中共上街区委办公室\t2020年2月19日',
      '坚定信心 众志成城 坚决打赢疫情防控阻击战（七）',
      ...demoItems.flatMap((item, index) => [item.headline, ...printed(index)]),
      '',
      '本期送：区县处级领导',
      '发：峡窝镇、各街道办事处、区直各单位负责同志',
      '责任编辑：郝婕 李德昭',
    ]);
  });

  test('attributions close their items, none for the issuing office', () => {
    const items = paragraphsOf(parts.document).map(textOf).slice(4);
    const attributed = items.map((text) => /（[^（）]+）$/.exec(text)?.[0]).filter((label) => label !== undefined);
    expect(attributed).toEqual(PRINTED_ATTRIBUTIONS);
    // each a run of its own at the end of the item's last paragraph
    record.items.forEach((item, index) => {
      const runs = runsOf(paragraphWith(parts.document, lastParagraphText(record, index))).map(textOf);
      expect(runs[runs.length - 1]).toBe(
        item.attribution === '' ? item.paragraphs[item.paragraphs.length - 1] : item.attribution,
      );
    });
  });

  test('has, character for character, the text of the printed reference issue', () => {
    const printed = readFileSync(join(__dirname, '../fixtures/shangjie-xinxi-2020-14.txt'), 'utf8');
    expect(squash(paragraphsOf(parts.document).map(textOf).join(''))).toBe(squash(printed));
  });

  test('A4 portrait, top 37 mm, bottom 35 mm, left 28 mm, right 26 mm', () => {
    expect(parts.document).toContain('<w:pgSz w:w="11906" w:h="16838" w:orient="portrait"/>');
    const margin = /<w:pgMar w:top="(\d+)" w:right="(\d+)" w:bottom="(\d+)" w:left="(\d+)"/.exec(parts.document);
    expect(margin).not.toBeNull();
    const [top, right, bottom, left] = (margin ?? []).slice(1).map(Number);
    const mm = (twips: number): number => twips / 56.7;
    expect([mm(top), mm(right), mm(bottom), mm(left)].map((value) => Math.round(value * 10) / 10)).toEqual([
      37, 26, 35, 28,
    ]);
    // a 156×225 mm text block of 22 lines
    expect(Math.round(mm(11906 - left - right))).toBe(156);
    expect(Math.round(mm(16838 - top - bottom))).toBe(225);
    expect(parts.document).toContain('<w:docGrid w:type="lines" w:linePitch="579"/>');
  });

  test('masthead red, centred, large, in 方正小标宋简体; issue line centred', () => {
    const masthead = paragraphWith(parts.document, '上街信息');
    expect(masthead).toContain('<w:jc w:val="center"/>');
    expect(masthead).toContain('<w:color w:val="E60012"/>');
    expect(masthead).toContain('<w:sz w:val="88"/>');
    expect(masthead).toMatch(/<w:rFonts [^>]*w:eastAsia="方正小标宋简体"/);
    expect(paragraphWith(parts.document, '第14期')).toContain('<w:jc w:val="center"/>');
  });

  test('issuer left and date right on one line (a right tab stop at the text block edge) over a red rule', () => {
    const line = paragraphWith(parts.document, '中共上街区委办公室\t2020年2月19日');
    expect(line).toContain('<w:tab w:val="right" w:pos="8845"/>');
    expect(line).toMatch(/<w:pBdr><w:bottom w:val="single" w:color="E60012" w:sz="\d+"/);
  });

  test('headlines bold 小标宋, body 16 pt 仿宋_GB2312 indented two characters', () => {
    for (const item of demoItems) {
      const headline = paragraphWith(parts.document, item.headline);
      expect(headline).toContain('<w:b/>');
      expect(headline).toContain('<w:keepNext/>');
      expect(headline).toMatch(/<w:rFonts [^>]*w:eastAsia="方正小标宋简体"/);
    }
    const body = paragraphWith(parts.document, demoItems[0].paragraphs[0]);
    expect(body).toContain('<w:ind w:firstLine="640"/>');
    expect(body).toContain('<w:sz w:val="32"/>');
    expect(body).toContain('<w:rFonts w:ascii="仿宋_GB2312" w:hAnsi="仿宋_GB2312" w:eastAsia="仿宋_GB2312"');
    expect(body).not.toContain('<w:b/>');
  });

  test('footer lines 14 pt between black rules, 0.35 mm outside and 0.25 mm between, wrapped after the colon', () => {
    expect(parts.document).toContain(
      '<w:tblBorders><w:top w:val="single" w:color="000000" w:sz="8"/><w:left w:val="none" w:color="auto" w:sz="0"/><w:bottom w:val="single" w:color="000000" w:sz="8"/><w:right w:val="none" w:color="auto" w:sz="0"/><w:insideH w:val="single" w:color="000000" w:sz="6"/>',
    );
    expect(parts.document).toContain('<w:tblW w:type="dxa" w:w="8845"/>');
    const sendTo = paragraphWith(parts.document, '本期送：区县处级领导');
    expect(sendTo).toContain('<w:sz w:val="28"/>');
    // 本期送： is four characters of 14 pt: the text wraps 4 × 280 twips in, after one character of margin
    expect(sendTo).toContain('<w:ind w:left="1400" w:right="280" w:hanging="1120"/>');
    expect(paragraphWith(parts.document, '发：峡窝镇、各街道办事处、区直各单位负责同志')).toContain('w:hanging="560"');
  });

  test('even and odd page footers: "— N —" right on odd pages, left on even ones', async () => {
    expect(parts.settings).toContain('<w:evenAndOddHeaders/>');
    const footerParts = parts.files.filter((path) => /^word\/footer\d+\.xml$/.test(path));
    expect(footerParts).toHaveLength(2);

    const rels = (await parts.zip.file('word/_rels/document.xml.rels')?.async('string')) ?? '';
    const target = (type: string): string => {
      const id = new RegExp(`<w:footerReference w:type="${type}" r:id="(\\w+)"/>`).exec(parts.document)?.[1];
      const file = new RegExp(`Id="${id}" Type="[^"]+/footer" Target="([^"]+)"`).exec(rels)?.[1];
      expect(file).toBeDefined();
      return `word/${file}`;
    };
    const odd = (await parts.zip.file(target('default'))?.async('string')) ?? '';
    const even = (await parts.zip.file(target('even'))?.async('string')) ?? '';
    for (const [footer, side] of [
      [odd, 'right'],
      [even, 'left'],
    ] as const) {
      expect(footer).toContain(`<w:jc w:val="${side}"/>`);
      expect(footer).toContain(
        '<w:fldChar w:fldCharType="begin"/><w:instrText xml:space="preserve">PAGE</w:instrText>',
      );
      expect(textOf(footer)).toBe('—  —');
      expect(footer).toContain('<w:sz w:val="28"/>');
    }
  });

  test('names the fonts 仿宋_GB2312 and 方正小标宋简体, 仿宋_GB2312 by default', async () => {
    expect(parts.document).toContain('w:eastAsia="仿宋_GB2312"');
    expect(parts.document).toContain('w:eastAsia="方正小标宋简体"');
    const styles = (await parts.zip.file('word/styles.xml')?.async('string')) ?? '';
    expect(styles).toMatch(/<w:docDefaults>[\s\S]*w:eastAsia="仿宋_GB2312"[\s\S]*<\/w:docDefaults>/);
  });
});

describe('issueDocx: other issues', () => {
  test('section labels where the section changes; supplement, total number, print run at the right', async () => {
    const sections = ['【工作动态】', '【工作动态】', '【基层动态】', null, '【基层动态】', '【工作动态】'];
    const input = anInput({
      edition: 'supplement',
      number: 7,
      totalNumber: 560,
      printsTotalNumber: true,
      reviewer: '某某',
      signer: '宋洁',
      printRun: 80,
    });
    const record = buildIssueRecord({
      ...input,
      items: input.items.map((item, index) => ({ ...item, section: sections[index] })),
    });
    const { document } = await unzip(record);
    const texts = paragraphsOf(document).map(textOf);
    const headlines = new Set(demoItems.map((item) => item.headline));
    expect(
      texts
        .filter((text) => text.startsWith('【') || headlines.has(text))
        .map((text) => (text.startsWith('【') ? text : 'headline')),
    ).toEqual([
      '【工作动态】',
      'headline',
      'headline',
      '【基层动态】',
      'headline',
      'headline',
      '【基层动态】',
      'headline',
      '【工作动态】',
      'headline',
    ]);
    expect(texts[1]).toBe('增刊第7期（总第560期）');
    expect(texts.slice(-5)).toEqual([
      '发：峡窝镇、各街道办事处、区直各单位负责同志',
      '责任编辑：郝婕 李德昭',
      '审核：某某',
      '签发：宋洁',
      '（共印80份）',
    ]);
    expect(paragraphWith(document, '（共印80份）')).toContain('<w:jc w:val="right"/>');
    expect(paragraphWith(document, '【基层动态】')).toMatch(/<w:rFonts [^>]*w:eastAsia="黑体"/);
  });

  test('markup and XML in the text stay text', async () => {
    const payload = '</w:t></w:r><w:r><w:t>x & <script>alert(1)</script> "q" \'a\'';
    const input = anInput({ publication: payload, issuer: { shortName: ISSUER, fullName: payload }, editors: null });
    const record = buildIssueRecord({
      ...input,
      items: [{ position: 1, section: null, headline: payload, body: payload, units: ['区人社局'] }],
    });
    const { document } = await unzip(record);
    const texts = paragraphsOf(document).map(textOf);
    expect(texts[0]).toBe(payload);
    expect(texts[2]).toBe(`${payload}\t2020年2月19日`);
    expect(texts.slice(4, 6)).toEqual([payload, `${payload}（区人社局）`]);
    expect(document).not.toContain('<script>');
  });
});
