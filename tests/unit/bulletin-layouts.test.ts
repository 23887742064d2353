import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { parseBulletin, type ParsedIssue, type ParseResult } from '../../src/domain/bulletin-parser';

/**
 * The reference issue as it arrives from the archive in other layouts (tests/fixtures/import/layouts/, written from
 * the reference by generate.js there): each parses to the same issue as the clean reference text — same head, same
 * items with the same headlines, paragraphs, bodies and attributions, same foot. Only the line numbers differ.
 */

const fixtures = join(__dirname, '..', 'fixtures');
const layouts = join(fixtures, 'import', 'layouts');
const read = (name: string): string => readFileSync(join(layouts, name), 'utf8');

function issueOf(result: ParseResult): ParsedIssue {
  if (!result.ok) throw new Error(`expected the text to parse, got ${JSON.stringify(result.errors)}`);
  return result.issue;
}

/** The issue without line numbers, optionally with every string folded to half-width (NFKC). */
function structure(issue: ParsedIssue, fold = false): unknown {
  const text = (value: string): string => (fold ? value.normalize('NFKC') : value);
  return {
    ...issue,
    columnTitle: issue.columnTitle === null ? null : text(issue.columnTitle),
    items: issue.items.map(({ line: _line, ...item }) => ({
      ...item,
      headline: text(item.headline),
      body: text(item.body),
      attribution: item.attribution.map(text),
    })),
  };
}

const clean = issueOf(parseBulletin(readFileSync(join(fixtures, 'shangjie-xinxi-2020-14.txt'), 'utf8')));

test('the clean reference has six items, the second one rejoined over the page break', () => {
  expect(clean.items).toHaveLength(6);
  expect(clean.items[1].body).toContain('优先受理小微企业的贷款申请');
});

const sameAsPrinted: [string, string][] = [
  ['masthead-number-one-line.txt', '上街信息 第14期 on one line, issuer and date on the next'],
  ['masthead-number-brackets.txt', '上街信息（第１４期）, full-width digits, issuer　date on one line, no blank lines'],
  ['head-one-line.txt', 'masthead, issue line, issuer, date and column on one line'],
  ['headline-glued.txt', 'every headline run into its first paragraph with no space'],
  [
    'hard-wrapped-indented.txt',
    'hard-wrapped at 26 with indented paragraphs, a page number and running header mid-paragraph',
  ],
  [
    'hard-wrapped-flush.txt',
    'hard-wrapped at 28 without indents, blank lines between paragraphs, a page number mid-paragraph',
  ],
  [
    'ocr-spaces.txt',
    'stray OCR spaces between Chinese characters in the masthead, issue line, issuer and every paragraph',
  ],
  ['page-furniture.txt', 'page numbers and running headers between items'],
  ['scanned.txt', 'all at once: head on one line, wrapped and indented, stray spaces, a page break with its header'],
];

test.each(sameAsPrinted)('%s (%s) parses to the same issue as the clean text', (name) => {
  const result = parseBulletin(read(name));
  expect(structure(issueOf(result))).toEqual(structure(clean));
});

test('full-half-width.txt (full-width digits, half-width brackets) parses to the same issue once widths are folded', () => {
  const issue = issueOf(parseBulletin(read('full-half-width.txt')));
  expect(structure(issue, true)).toEqual(structure(clean, true));
  // Text is kept as printed: the digits stay full-width in the body.
  expect(issue.items[0].body.startsWith('２月１８日晚')).toBe(true);
  expect(issue.items[1].attribution).toEqual(['区人社局']);
});

test('every layout in the folder is covered by a test above', () => {
  const covered = new Set([...sameAsPrinted.map(([name]) => name), 'full-half-width.txt']);
  const present = readdirSync(layouts).filter((name) => name.endsWith('.txt'));
  expect(present.filter((name) => !covered.has(name))).toEqual([]);
});

describe('the rules behind the layouts', () => {
  const head = ['上街信息', '第14期', '中共上街区委办公室', '2020年2月19日'];
  const parse = (lines: string[]): ParsedIssue => issueOf(parseBulletin(lines.join('\n')));

  test.each([
    ['上街信息 第14期', 14, null],
    ['上街信息第14期', 14, null],
    ['上街信息（第14期）', 14, null],
    ['上街信息(第１４期)', 14, null],
    ['上街信息 第14期（总第302期）', 14, 302],
    ['上街信息 2020年第14期', 14, null],
  ])('%s: masthead and issue line on one line', (line, number, total) => {
    const issue = parse([
      line,
      '中共上街区委办公室',
      '2020年2月19日',
      '我区召开防汛工作会议 7月1日，区防汛指挥部召开会议，部署汛期工作。',
    ]);
    expect(issue).toMatchObject({
      publication: '上街信息',
      number,
      totalNumber: total,
      issuers: ['中共上街区委办公室'],
      date: '2020-02-19',
    });
  });

  test('a date first and the issuer after it stay one issuer line', () => {
    const issue = parse([
      '上街信息',
      '第14期',
      '2020年2月19日 中共上街区委办公室',
      '我区召开防汛工作会议 7月1日，区防汛指挥部召开会议，部署汛期工作。',
    ]);
    expect(issue.issuers).toEqual(['中共上街区委办公室']);
    expect(issue.items.map((item) => item.headline)).toEqual(['我区召开防汛工作会议']);
  });

  test('a body sentence with 第3期 in the first lines is not taken for an issue line', () => {
    const result = parseBulletin(['我区举办第3期培训班，全区干部参加。', '2020年2月19日'].join('\n'));
    expect(result.ok).toBe(false);
  });

  test('two real offices separated by a space stay two issuers; a bare 办公室 joins the name before it', () => {
    expect(
      parse(['上街信息', '第14期', '区委办公室 区政府办公室', '2020年2月19日', '标题一 7月1日，区里召开会议。'])
        .issuers,
    ).toEqual(['区委办公室', '区政府办公室']);
    expect(
      parse(['上街信息', '第14期', '中共上街区委 办公室', '2020年2月19日', '标题一 7月1日，区里召开会议。']).issuers,
    ).toEqual(['中共上街区委办公室']);
  });

  test('a headline run into its body: cut before 疫情防控工作开展以来, or after the closing quote of a closed item', () => {
    const issue = parse([
      ...head,
      '矿山街道联手周边乡镇共战疫情疫情防控工作开展以来，矿山街道加强联防联控。（矿山街道）',
      '我区积极为通航企业复工复产“保驾护航”通航试验区管委会深入进行研判谋划，主动做好准备。（通航试验区管委会）',
    ]);
    expect(issue.items.map((item) => [item.headline, item.attribution])).toEqual([
      ['矿山街道联手周边乡镇共战疫情', ['矿山街道']],
      ['我区积极为通航企业复工复产“保驾护航”', ['通航试验区管委会']],
    ]);
  });

  test('a second paragraph opening with a quote stays a paragraph while the item is not closed', () => {
    const issue = parse([
      ...head,
      '我区召开防汛工作会议 7月1日，区防汛指挥部召开会议。',
      '会议强调要坚持“人民至上”这一根本原则不动摇，做好防汛工作。',
    ]);
    expect(issue.items).toHaveLength(1);
    expect(issue.items[0].body.split('\n\n')).toHaveLength(2);
  });

  test('lines of similar length are not hard-wrapped text when they end their sentences and are short of a width', () => {
    const issue = parse([
      ...head,
      '我区召开防汛工作会议',
      '7月1日，区防汛指挥部召开会议，部署工作。',
      '会议要求各单位落实责任，确保安全度汛。',
      '会议强调要加强值班值守，及时报告险情。',
    ]);
    expect(issue.items[0].body.split('\n\n')).toHaveLength(3);
  });

  test('a running header (the masthead alone) in the middle of a paragraph is dropped and the paragraph rejoined', () => {
    const issue = parse([
      ...head,
      '我区召开防汛工作会议 7月1日，区防汛指挥部召开会议，部署',
      '上街信息',
      '汛期各项工作。',
    ]);
    expect(issue.items[0].body).toBe('7月1日，区防汛指挥部召开会议，部署汛期各项工作。');
  });
});
