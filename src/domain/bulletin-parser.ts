/**
 * The text importer's parser: the plain text of a past issue (extracted from its PDF, or typed from the print) turned
 * into the issue's fields and its items. Pure: text in, data out. It never throws. What it had to guess about goes to
 * `warnings`; what it could not find goes to `errors`, each with the line where it was expected and what it expected.
 * Text is kept as printed: traditional characters stay traditional, full-width punctuation stays full-width.
 *
 * Lines. `\r\n` and `\r` end lines. Every line is trimmed (ASCII, full-width and ideographic spaces, form feeds,
 * zero-width characters); whether it was indented is kept. Blank lines are skipped. Page numbers (— 2 —, - 2 -,
 * －2－, a bare number of up to three digits, 第2页) and rules (————) are dropped. Line numbers are the file's, 1-based.
 *
 * Archive layouts (tests/fixtures/import/layouts, each parsed to the same issue as the clean text):
 * - Masthead and issue line on one line (上街信息 第14期, 上街信息（第14期）, 上街信息第１４期 中共上街区委办公室 2020年2月19日):
 *   when no line of the head is an issue line, the first line holding one is cut into masthead, issue line and rest.
 *   What follows the date on its line (the column) is a line of its own when an issuer came before the date.
 * - Stray OCR spaces, running page headers (the masthead or the issue line again) and text hard-wrapped at the print
 *   width are handled in the body before items are read (cleanBody below).
 * - Full- and half-width digits and brackets are equivalent wherever a number or a bracket is looked for; the text is
 *   kept as printed.
 *
 * Head (版头). The issue line is looked for among the first 15 kept lines: 第14期, 第 14 期, 第八期, 2019年第六期,
 * 增刊第5期, 专刊, 专刊第2期, 〔2023〕第4期(总第101期), with （总第N期） / (總第二十期) on the same line or on a line of its own.
 * The masthead is the last line before it that is not a classification or file-name line (内部资料 注意保存, 机密★1年,
 * sjxx-2020-14.pdf). Its spaces are removed (情 况 反 映 → 情况反映). `options.publication` wins over the printed
 * masthead and stands in for a missing one. After the issue line come up to three issuer lines and the date:
 * 2020 年 2 月 19 日, 二〇一九年十二月三十一日 or 2020.2.19. The date may stand alone or share a line with an issuer
 * (某某县委办公室编印 2019年5月6日). A trailing 编印 / 编 / 主办 is removed from each issuer. A line naming two offices
 * separated by 、 or spaces gives two issuers. Single letter-spaced characters are joined into one name. The year is
 * the printed one (2019年第六期, 〔2023〕), else the date's. The line after the date is the column when it ends with an
 * installment in brackets: 坚定信心 众志成城 坚决打赢疫情防控阻击战（七） gives a title and 7. A column printed without
 * an installment looks like a headline and is read as one.
 *
 * Foot (版记). The foot starts at the first line with a known label after which every line is footer-like: another
 * label, a print run, or a short line not ending a sentence, which continues the previous label. Labels may be
 * letter-spaced (抄　送：) and take a full- or half-width colon. Several labels can share a line
 * (审核：张三　签发：李四). 报 / 报送 → reportTo; 本期送 / 送 / 主送 → sendTo; 发 / 分发 → distributeTo;
 * 抄送 / 抄报 → copyTo; 责任编辑 / 本期编辑 / 编辑 → editors; 审核 → reviewer; 签发 → signer. Traditional forms are
 * accepted as well. 共印80份 / （共印80份） anywhere in the foot is the print run. Lists split on 、，,；; and spaces.
 * Editors' names letter-spaced to the width of a three-character name (张　三) are joined again, two characters at a
 * time. A continuation line is joined straight on (a name cut by the line end) when the previous value already uses
 * 、，, or fills the line; otherwise it is joined with a space (a further name). Other labels in the foot
 * (联系电话：…) are ignored with a warning.
 *
 * Items. Everything between head and foot is read line by line:
 * - A line that is only 【X】 is a section label. It groups the items after it (【工作动态】). One exception: after an
 *   item that has no attribution yet, 【X】 with a unit's name (ending in 局, 委, 办, 镇, 街道, 中心, …) is that item's
 *   attribution. A line opening with 【X】 and going on with text also sets the section; the rest of the line is then
 *   read on its own.
 * - A paragraph continues on the next line, joined with no space, while it does not end in terminal punctuation
 *   (。！？；…”’）」』 and their half-width forms) or an attribution: a page break cut it ("优先受理" / "小微企业的贷款申请").
 *   Two exceptions start a new paragraph instead. One is a line opening with an enumerator (一、 （二） 3. 四是). The other
 *   is the line after a subheading (一、强化组织领导: short, enumerated, no comma, unterminated).
 * - After a paragraph that ended, or where no item has started yet, a new item starts with its headline:
 *   (a) "headline, space, body" on one line, as in the reference issue. The line is cut at the first space (ASCII or
 *       ideographic) where two things hold. The part before is headline-like: 4 characters or more, no ，：, and not a
 *       body opening such as 近日 or 7月1日上午. The part after holds ，。；：！？ before its own next space. A space
 *       between a digit and 年/月/日 is never the cut.
 *   (b) a headline on its own line. Headline-like means: at most 40 characters; not ending in 。！？；…：，、 or their
 *       half-width forms; no 。！？； inside; not opening with an enumerator; not ending with an attribution. The headline is
 *       wrapped over two lines when the next line is headline-like too, with no comma, does not open like a body, and is
 *       followed by a further line. The headline is also wrapped when the next line is "rest of headline, space, body".
 *       Wrapped parts are joined with no space.
 *   (c) the headline run into its body with no separator ("…复工复产“保驾护航”面对疫情，…"). The cut goes before the
 *       last body opener found in the first clause that leaves 8 to 40 characters of headline before it. Body openers
 *       are a date (2月18日, 2020年2月18日, 2020年), 近日, 日前, 近期, 连日来, …以来, 为进一步 / 为做好 …, 面对, 据悉, 截至.
 *       疫情防控工作开展以来 / 疫情发生以来 / 疫情期间 count as openers. Without an opener, and only when the item before is
 *       closed by its attribution (or there is none), a closing quote or title mark (” 」 》) followed by 6 or more
 *       characters of the first clause ends the headline (…复工复产“保驾护航”通航试验区管委会深入…). Otherwise the line
 *       cannot be cut.
 *   A line that starts no item is a new paragraph of the current item. A warning is added when that item already ended
 *   with an attribution, because the bracket then stays text. A line no item can take (at the start, or right after a
 *   section label) starts an item with an empty headline and a warning. The last line of the body, when short, is
 *   never an item of its own.
 * - Attribution: unit names at the very end of the item's last paragraph, or alone on the last line. They are printed
 *   in （…）, (…) or 【…】, or after ——, — or --. A bracket inside a sentence, or ending an earlier paragraph, is text.
 *   At the end of a paragraph it counts only when terminal punctuation comes before it, or when its content reads
 *   like a unit's name. Some contents are never attributions: （完）, （记者 张三）, （共3期）, （同比增长3%）, anything
 *   holding 。：% or quotes. Combined attributions split on 、，,；;. They split on spaces only when every part reads
 *   like a unit (区人社局 区财政局), so （区人社局 张三） stays whole. A trailing 供稿 / 报送 is removed.
 * - An editor's note (编者按：… / 【编者按】…) before the first item goes to `editorNote`, its label removed.
 *
 * Not handled: in hard-wrapped text without indents, a paragraph whose last line happens to fill the width runs on
 * into the next paragraph (the text is kept, the paragraph break is lost). A headline glued to a body that opens
 * with none of the openers above, after an item without attribution, is not cut (the item gets an empty headline and
 * a warning). A column printed without an installment is read as a headline. A stray space early in a body's first
 * line right after a headline on its own line can be taken for a wrapped headline.
 */
import type { Edition } from './labels';
import { parseCalendarDate } from './dates';
import { splitPersonNames } from './names';

export type ParsedItem = {
  /** From a 【工作动态】 label grouping the following items (the label text without brackets). */
  section: string | null;
  headline: string;
  /** Paragraphs joined with '\n\n', no line breaks inside a paragraph, attribution removed from the end. */
  body: string;
  /** Unit names as printed, e.g. ['区人社局']; [] when none. */
  attribution: string[];
  /** 1-based line number where the item starts. */
  line: number;
};

export type ParsedIssue = {
  publication: string;
  edition: Edition;
  year: number;
  number: number | null;
  totalNumber: number | null;
  issuers: string[];
  /** YYYY-MM-DD */
  date: string;
  columnTitle: string | null;
  columnInstallment: number | null;
  /** 编者按 printed before the first item, without its label; null when none. */
  editorNote: string | null;
  items: ParsedItem[];
  reportTo: string[];
  sendTo: string[];
  distributeTo: string[];
  copyTo: string[];
  editors: string[];
  reviewer: string | null;
  signer: string | null;
  printRun: number | null;
};

export type ParseError = { line: number; message: string };
export type ParseResult = { ok: true; issue: ParsedIssue; warnings: string[] } | { ok: false; errors: ParseError[] };
export type ParseOptions = { publication?: string };

/** A kept line: trimmed, not blank, not a page number or a rule. */
type Line = { text: string; line: number; indented?: boolean };

// ---------------------------------------------------------------------------------------------------------------------
// Small helpers

const compact = (text: string): string => text.replace(/\s+/gu, '');
const length = (text: string): number => Array.from(compact(text)).length;
const lastChar = (text: string): string => {
  const chars = Array.from(text.slice(-2));
  return chars.length === 0 ? '' : chars[chars.length - 1];
};
/** At most `max` characters, spaces not counted; cheap on a very long text. */
const isShort = (text: string, max: number): boolean => text.length <= 4 * max && length(text) <= max;
const excerpt = (text: string): string => {
  const chars = Array.from(text);
  return chars.length > 30 ? `${chars.slice(0, 30).join('')}…` : text;
};
const at = (line: number, message: string): string => `第 ${line} 行：${message}`;
const collapseSpaces = (text: string): string => text.replace(/\s+/gu, ' ').trim();

const DIGIT_VALUES = new Map<string, number>([
  ['〇', 0],
  ['零', 0],
  ['○', 0],
  ['0', 0],
  ['一', 1],
  ['壹', 1],
  ['二', 2],
  ['贰', 2],
  ['貳', 2],
  ['两', 2],
  ['兩', 2],
  ['三', 3],
  ['叁', 3],
  ['參', 3],
  ['四', 4],
  ['肆', 4],
  ['五', 5],
  ['伍', 5],
  ['六', 6],
  ['陆', 6],
  ['陸', 6],
  ['七', 7],
  ['柒', 7],
  ['八', 8],
  ['捌', 8],
  ['九', 9],
  ['玖', 9],
]);
const UNIT_VALUES = new Map<string, number>([
  ['十', 10],
  ['拾', 10],
  ['百', 100],
  ['佰', 100],
  ['千', 1000],
  ['仟', 1000],
]);

/** 14, １４, 八, 十二, 二十, 一百零一, 二〇二〇 (digit by digit) → the number; null when it is not a numeral. */
function numeralValue(printed: string): number | null {
  const text = compact(printed.normalize('NFKC')).replace(/廿/gu, '二十').replace(/卅/gu, '三十');
  if (text === '') return null;
  if (/^[0-9]+$/u.test(text)) {
    const value = Number(text);
    return Number.isSafeInteger(value) ? value : null;
  }
  const chars = Array.from(text);
  if (!chars.every((char) => DIGIT_VALUES.has(char) || UNIT_VALUES.has(char))) return null;
  if (chars.every((char) => DIGIT_VALUES.has(char))) {
    return chars.reduce((value, char) => value * 10 + (DIGIT_VALUES.get(char) ?? 0), 0);
  }
  let total = 0;
  let digit: number | null = null;
  for (const char of chars) {
    const unit = UNIT_VALUES.get(char);
    if (unit === undefined) {
      digit = DIGIT_VALUES.get(char) ?? 0;
    } else {
      total += (digit === null ? 1 : digit) * unit;
      digit = null;
    }
  }
  return total + (digit === null ? 0 : digit);
}

const TERMINAL = new Set(Array.from('。！？；…”’）)」』!?;.'));
const endsSentence = (text: string): boolean => TERMINAL.has(lastChar(text));

/** Enumerators that open a paragraph or a subheading inside an item: 一、 （二） 3. 四是 第一， */
const ENUMERATOR =
  /^(?:[一二三四五六七八九十]{1,3}\s*[、.．]|[（(]\s*[一二三四五六七八九十0-9０-９]{1,3}\s*[)）]|[0-9０-９]{1,2}\s*[、．]|[0-9０-９]{1,2}\.(?![0-9])|[一二三四五六七八九十]是|第[一二三四五六七八九十]{1,3}[，,、是])/u;

/** Words a body opens with; used to refuse them as headline parts and to split a headline run into its body. */
const BODY_OPENER_SOURCE =
  '(?:[0-9０-９]{4}\\s*年\\s*[0-9０-９]{1,2}\\s*月\\s*[0-9０-９]{1,2}\\s*日|[0-9０-９]{1,2}\\s*月\\s*[0-9０-９]{1,2}\\s*日|[0-9０-９]{4}\\s*年|' +
  '[一二三四五六七八九十]{1,3}月[一二三四五六七八九十]{1,3}日|近日|日前|近期|连日来|連日來|近年来|近年來|今年以来|今年以來|' +
  '年初以来|年初以來|入冬以来|入夏以来|入汛以来|疫情发生以来|为进一步|为切实|为全面|为深入|为扎实|为有效|为做好|为加强|' +
  '为推动|为确保|為進一步|為切實|為全面|為深入|為做好|為加強|面对|面對|据悉|據悉|截至|截止|' +
  '疫情防控工作开展以来|疫情防控工作開展以來|疫情防控开展以来|疫情防控以来|疫情防控以來|疫情发生以来|疫情發生以來|' +
  '疫情暴发以来|疫情爆发以来|疫情期间|疫情期間)';
const BODY_OPENER_AT_START = new RegExp(`^${BODY_OPENER_SOURCE}`, 'u');

/** 近日…, 7月1日上午, 2020 年 7 月: opens with a body opener and has fewer than 6 characters after it. */
function opensLikeBody(text: string): boolean {
  const match = BODY_OPENER_AT_START.exec(text);
  return match !== null && length(text.slice(match[0].length)) < 6;
}

const HEADLINE_MAX = 40;
const NOT_HEADLINE_END = /[。！？；…!?;：:，,、]$/u;
const SENTENCE_INSIDE = /[。！？!?；;]/u;

function isHeadlineLike(text: string): boolean {
  if (!isShort(text, HEADLINE_MAX) || length(text) < 2) return false;
  if (NOT_HEADLINE_END.test(text) || SENTENCE_INSIDE.test(text) || ENUMERATOR.test(text)) return false;
  if (/^[0-9０-９\s\-—.．,，:：/]+$/u.test(text)) return false;
  return trailingAttributionOf(text) === null;
}

/**
 * A subheading inside an item: 一、强化组织领导, （二）加强隐患排查. Short, unterminated, with no comma, and not the
 * run-in 一是 / 第一， of a sentence (a page break can cut such a sentence early).
 */
const SUBHEADING =
  /^(?:[一二三四五六七八九十]{1,3}\s*[、.．]|[（(]\s*[一二三四五六七八九十0-9０-９]{1,3}\s*[)）]|[0-9０-９]{1,2}\s*[、．]|[0-9０-９]{1,2}\.(?![0-9]))/u;
const isSubheading = (text: string): boolean =>
  SUBHEADING.test(text) &&
  isShort(text, HEADLINE_MAX) &&
  !/[，,]/u.test(text) &&
  !endsSentence(text) &&
  !NOT_HEADLINE_END.test(text);

// ---------------------------------------------------------------------------------------------------------------------
// Attribution

const UNIT_SUFFIX =
  /(?:局|委|办|辦|镇|鎮|乡|鄉|街道|处|處|院|所|中心|公司|厅|廳|部|会|會|站|队|隊|社|馆|館|室|组|組|科|股|县|縣|区|區|市|场|場|校|团|團|行|政府|管委会|管委會|办事处|辦事處)$/u;
const looksLikeUnit = (name: string): boolean => UNIT_SUFFIX.test(compact(name));

const NOT_ATTRIBUTION = /^(?:完|全文完|未完待续|未完待續|待续|待續|续|續|续完|略|同上|下同)$/u;
const NOT_ATTRIBUTION_START =
  /^(?:记者|記者|通讯员|通訊員|作者|摄影|攝影|图|圖|文\/|来源|來源|摘自|注|详见|詳見|见|見|含|即|如|包括|以下简称|简称|下称|约|約|共|合计|其中|同比|环比)/u;

function isAttributionContent(content: string): boolean {
  const size = length(content);
  if (size < 2 || size > 40) return false;
  if (/[。！？!?：:“”"%％]/u.test(content)) return false;
  if (/^[0-9０-９\s.．,，、-]+$/u.test(content)) return false;
  const bare = compact(content);
  return !NOT_ATTRIBUTION.test(bare) && !NOT_ATTRIBUTION_START.test(bare);
}

/** 区人社局、区财政局 → both; 区人社局 区财政局 → both (every part a unit); 区人社局 张三 → one, as printed. */
function splitUnits(content: string): string[] {
  const names: string[] = [];
  for (const part of content.split(/[、，,；;]+/u)) {
    const name = collapseSpaces(part).replace(/\s*(?:供稿|报送|報送)$/u, '');
    if (name === '') continue;
    const pieces = name.split(' ');
    if (pieces.length > 1 && pieces.every((piece) => length(piece) >= 2 && looksLikeUnit(piece))) names.push(...pieces);
    else names.push(name);
  }
  return names;
}

type Attribution = { names: string[]; before: string };

const TRAILING_ATTRIBUTION: readonly RegExp[] = [
  /[（(][\s]*([^（）()]{1,60}?)[\s]*[）)]$/u,
  /【[\s]*([^【】]{1,60}?)[\s]*】$/u,
  /(?:[—―─]{1,2}|-{2}|－{1,2})[\s]*([^—―─\-－（）()【】]{1,60}?)$/u,
];

/**
 * The attribution a paragraph ends with, and the paragraph without it. A paragraph that is nothing but the attribution
 * gives `before: ''`.
 */
function trailingAttributionOf(paragraph: string): Attribution | null {
  // Only the tail can hold it; looking at the tail keeps a long paragraph cut by many page breaks linear.
  const offset = Math.max(0, paragraph.length - 100);
  const tail = paragraph.slice(offset);
  for (const pattern of TRAILING_ATTRIBUTION) {
    const match = pattern.exec(tail);
    if (match === null) continue;
    const content = match[1];
    if (!isAttributionContent(content)) return null;
    const before = paragraph.slice(0, offset + match.index).trimEnd();
    if (before !== '' && !endsSentence(before) && !before.endsWith('】') && !looksLikeUnit(content)) return null;
    const names = splitUnits(content);
    return names.length === 0 ? null : { names, before };
  }
  return null;
}

/** A line that is only an attribution: （区人社局）, (区人社局), ——区人社局. (【区人社局】 is decided by the caller.) */
function ownLineAttribution(text: string): Attribution | null {
  if (text.startsWith('【')) return null;
  const found = trailingAttributionOf(text);
  return found !== null && found.before === '' ? found : null;
}

/** A paragraph is over when it ends a sentence or ends with an attribution. */
const paragraphEnded = (text: string): boolean => endsSentence(text) || trailingAttributionOf(text) !== null;

// ---------------------------------------------------------------------------------------------------------------------
// Headlines

type ItemStart = { headline: string; paragraphs: string[]; consumed: number };

/** The part before a space or a body opener can be a headline when it is headline-like, has no ，：, and is no opener. */
const isHeadlinePart = (text: string): boolean =>
  length(text) >= 4 && isHeadlineLike(text) && !/[，,：:]/u.test(text) && !opensLikeBody(text);

/**
 * "我区召开…会议 2月18日晚，…": the headline before the first fitting space, and the body after it. The body's text
 * up to its next space must hold punctuation (，。；：！？), which a headline's second half rarely does.
 */
function splitAtSpace(text: string): { headline: string; rest: string } | null {
  const spaces = /\s+/gu;
  let match: RegExpExecArray | null;
  while ((match = spaces.exec(text)) !== null) {
    const head = text.slice(0, match.index).trim();
    const rest = text.slice(match.index + match[0].length).trim();
    if (length(head) > HEADLINE_MAX) return null;
    if (/[0-9０-９]$/u.test(head) && /^[年月日号號时時]/u.test(rest)) continue;
    if (!isHeadlinePart(head) || length(rest.slice(0, 40)) < 8) continue;
    const space = rest.search(/\s/u);
    const firstClause = space < 0 ? rest : rest.slice(0, space);
    if (/[，,。；;：:！？]/u.test(firstClause)) return { headline: head, rest };
  }
  return null;
}

/**
 * "…复工复产“保驾护航”面对疫情，…": the headline before the last body opener of the first clause. The headline ends
 * before the body's first sentence does, so the cut is looked for in the first clause only. When the item before is
 * closed (it ended with an attribution) or there is none, and the clause has no opener, a closing quote or title mark
 * (” 」 》) followed by at least 6 more characters of the clause ends the headline: "…“保驾护航”通航试验区管委会深入…".
 */
function splitRunIn(text: string, closed: boolean): { headline: string; rest: string } | null {
  const clauseEnd = text.search(/[，,。；;：:！？]/u);
  if (clauseEnd < 0) return null;
  const clause = text.slice(0, Math.min(clauseEnd, 4 * HEADLINE_MAX));
  const openers = new RegExp(BODY_OPENER_SOURCE, 'gu');
  let cut = -1;
  let match: RegExpExecArray | null;
  while ((match = openers.exec(clause)) !== null) {
    const size = length(clause.slice(0, match.index));
    if (size >= 8 && size <= HEADLINE_MAX) cut = match.index;
  }
  if (cut < 0 && closed) {
    const quotes = /[”」』》]/gu;
    while ((match = quotes.exec(clause)) !== null) {
      const end = match.index + match[0].length;
      const size = length(clause.slice(0, end));
      if (size >= 8 && size <= HEADLINE_MAX && length(clause.slice(end)) >= 6) cut = end;
    }
  }
  if (cut < 0) return null;
  const head = text.slice(0, cut).trim();
  return isHeadlinePart(head) ? { headline: head, rest: text.slice(cut).trim() } : null;
}

/** Does an item start at lines[index]? With the headline, the body it already holds, and the lines it took. */
function itemStartAt(lines: readonly Line[], index: number, closed: boolean): ItemStart | null {
  const text = lines[index].text;
  const split = splitAtSpace(text);
  if (split !== null) return { headline: split.headline, paragraphs: [split.rest], consumed: 1 };
  if (isHeadlineLike(text)) {
    const next = index + 1 < lines.length ? lines[index + 1] : null;
    if (next !== null && !opensLikeBody(next.text) && !next.text.startsWith('【')) {
      const split = splitAtSpace(next.text);
      if (split !== null) return { headline: `${text}${split.headline}`, paragraphs: [split.rest], consumed: 2 };
      const wrapped = isHeadlineLike(next.text) && !/[，,]/u.test(next.text) && index + 2 < lines.length;
      if (wrapped) return { headline: `${text}${next.text}`, paragraphs: [], consumed: 2 };
    }
    return { headline: text, paragraphs: [], consumed: 1 };
  }
  const runIn = splitRunIn(text, closed);
  return runIn === null ? null : { headline: runIn.headline, paragraphs: [runIn.rest], consumed: 1 };
}

// ---------------------------------------------------------------------------------------------------------------------
// Items

/** An item being read. A paragraph is kept as the fragments it was printed in, joined when the item is done. */
type Draft = { headline: string; line: number; section: string | null; paragraphs: string[][] };

/** The end of a paragraph held as fragments: enough of it for every check on how it ends. */
function paragraphEnd(fragments: readonly string[]): string {
  let tail = '';
  for (let index = fragments.length - 1; index >= 0 && tail.length < 200; index -= 1)
    tail = `${fragments[index]}${tail}`;
  return tail;
}

const SECTION_ALONE = /^【\s*([^【】]{1,30}?)\s*】$/u;
const SECTION_PREFIX = /^【\s*([^【】]{1,20}?)\s*】\s*(\S.*)$/u;
const EDITOR_NOTE = /^(?:【\s*编者按\s*】|【\s*編者按\s*】|[[［]?\s*(?:编者按|編者按)\s*[\]］]?\s*[：:]?)\s*/u;

function finishItem(draft: Draft, warnings: string[]): ParsedItem {
  const paragraphs = draft.paragraphs.map((fragments) => fragments.join(''));
  let attribution: string[] = [];
  const last = paragraphs.length - 1;
  if (last >= 0) {
    const found = trailingAttributionOf(paragraphs[last]);
    if (found !== null) {
      attribution = found.names;
      if (found.before === '') paragraphs.pop();
      else paragraphs[last] = found.before;
    }
  }
  if (paragraphs.length === 0) warnings.push(at(draft.line, `“${excerpt(draft.headline)}”没有正文`));
  return {
    section: draft.section,
    headline: collapseSpaces(draft.headline),
    body: paragraphs.join('\n\n'),
    attribution,
    line: draft.line,
  };
}

type ItemState = { items: ParsedItem[]; current: Draft | null; section: string | null; afterSection: boolean };

function finishCurrent(state: ItemState, warnings: string[]): void {
  if (state.current !== null) state.items.push(finishItem(state.current, warnings));
  state.current = null;
}

function startItem(state: ItemState, start: ItemStart, line: number, warnings: string[]): void {
  finishCurrent(state, warnings);
  state.current = {
    headline: start.headline,
    line,
    section: state.section,
    paragraphs: start.paragraphs.map((paragraph) => [paragraph]),
  };
  state.afterSection = false;
}

const isEditorNote = (text: string): boolean => EDITOR_NOTE.test(text) && /编者按|編者按/u.test(text);

function parseItems(
  bodyLines: readonly Line[],
  warnings: string[],
): { items: ParsedItem[]; editorNote: string | null } {
  const lines = bodyLines.map((line) => ({ ...line })); // a 【简讯】 prefix is cut off the line in place
  const state: ItemState = { items: [], current: null, section: null, afterSection: false };
  const note: string[] = [];
  let inNote = false;

  for (let index = 0; index < lines.length; index += 1) {
    const { line } = lines[index];
    let text = lines[index].text;
    let draft = state.current;
    let lastFragments =
      draft !== null && draft.paragraphs.length > 0 ? draft.paragraphs[draft.paragraphs.length - 1] : null;
    let lastParagraph = lastFragments === null ? null : paragraphEnd(lastFragments);

    // 【工作动态】 alone: a section label, unless it closes an unattributed item with a unit's name.
    const alone = isEditorNote(text) ? null : SECTION_ALONE.exec(text);
    if (alone !== null) {
      if (
        draft !== null &&
        lastParagraph !== null &&
        trailingAttributionOf(lastParagraph) === null &&
        looksLikeUnit(alone[1])
      ) {
        draft.paragraphs.push([text]);
        continue;
      }
      finishCurrent(state, warnings);
      state.section = collapseSpaces(alone[1]);
      state.afterSection = true;
      inNote = false;
      continue;
    }
    // 【简讯】某某镇召开…: the label, then the line without it.
    const prefixed = isEditorNote(text) ? null : SECTION_PREFIX.exec(text);
    if (prefixed !== null && (lastParagraph === null || paragraphEnded(lastParagraph))) {
      finishCurrent(state, warnings);
      state.section = collapseSpaces(prefixed[1]);
      state.afterSection = true;
      inNote = false;
      text = prefixed[2].trim();
      lines[index].text = text;
      draft = null;
      lastFragments = null;
      lastParagraph = null;
    }

    // An attribution on a line of its own closes the current item.
    if (draft !== null && lastParagraph !== null && ownLineAttribution(text) !== null) {
      draft.paragraphs.push([text]);
      continue;
    }

    // 编者按 before the first item.
    if (state.items.length === 0 && draft === null && !state.afterSection && isEditorNote(text)) {
      inNote = true;
      const rest = text.replace(EDITOR_NOTE, '').trim();
      if (rest !== '') note.push(rest);
      continue;
    }
    if (inNote) {
      const noteLast = note.length > 0 ? note[note.length - 1] : null;
      if (noteLast !== null && !endsSentence(noteLast)) {
        note[note.length - 1] = `${noteLast}${text}`;
        continue;
      }
      if (noteLast === null || itemStartAt(lines, index, true) === null) {
        note.push(text);
        continue;
      }
      inNote = false;
    }

    if (draft !== null && lastParagraph === null) {
      draft.paragraphs.push([text]); // the body after a headline on its own line
      continue;
    }
    if (draft !== null && lastFragments !== null && lastParagraph !== null) {
      if (lastFragments.length === 1 && isSubheading(lastParagraph)) {
        draft.paragraphs.push([text]);
        continue;
      }
      if (!paragraphEnded(lastParagraph) && !ENUMERATOR.test(text)) {
        lastFragments.push(text); // cut by a page break
        continue;
      }
    }

    // A short last line after an item is a closing line of that item, not an item without a body.
    const closingLine = draft !== null && index === lines.length - 1 && isHeadlineLike(text);
    const closed = draft === null || (lastParagraph !== null && trailingAttributionOf(lastParagraph) !== null);
    const start = closingLine ? null : itemStartAt(lines, index, closed);
    if (start !== null) {
      startItem(state, start, line, warnings);
      index += start.consumed - 1;
      continue;
    }
    if (draft !== null && !state.afterSection) {
      const closing = lastParagraph === null ? null : trailingAttributionOf(lastParagraph);
      if (closing !== null) {
        warnings.push(
          at(line, `“${closing.names.join('、')}”之后还有正文，不作为署名，仍属“${excerpt(draft.headline)}”`),
        );
      }
      draft.paragraphs.push([text]);
      continue;
    }
    warnings.push(at(line, `未能识别标题（应为单独一行，或以空格与正文分开），本条标题为空：“${excerpt(text)}”`));
    startItem(state, { headline: '', paragraphs: [text], consumed: 1 }, line, warnings);
  }
  finishCurrent(state, warnings);
  return { items: state.items, editorNote: note.length === 0 ? null : note.join('\n\n') };
}

// ---------------------------------------------------------------------------------------------------------------------
// Head

const NUMERAL = '[0-9]{1,5}|[〇零○一二两兩三四五六七八九十百千]{1,8}';
/** On the line with every space removed and NFKC-folded (full-width digits and brackets to half-width). */
const ISSUE_LINE = new RegExp(
  `^(?:\\(?[总總]第(${NUMERAL})期\\)?)?` +
    `(?:([0-9]{4}|[〇零○一二三四五六七八九]{4})年)?` +
    `(?:[〔\\[【(]([0-9]{4})[〕\\]】)])?` +
    '(增刊|专刊|專刊|特刊)?' +
    `(?:([0-9]{4})年|[〔\\[【(]([0-9]{4})[〕\\]】)])?` +
    `(?:第(${NUMERAL})期)?` +
    `(?:\\(?[总總]第(${NUMERAL})期\\)?)?$`,
  'u',
);
const TOTAL_LINE = new RegExp(`^\\(?[总總]第(${NUMERAL})期\\)?$`, 'u');

type IssueLine = { edition: Edition; year: number | null; number: number | null; totalNumber: number | null };

function issueLineOf(text: string): IssueLine | null {
  const match = ISSUE_LINE.exec(compact(text.normalize('NFKC')));
  if (match === null) return null;
  // Groups that took no part in the match are undefined (RegExpExecArray's type says string).
  const groups: (string | undefined)[] = match;
  const [, totalBefore, cnYear, bracketYear, editionWord, yearAfter, bracketYearAfter, number, totalAfter] = groups;
  if (editionWord === undefined && number === undefined) return null;
  const edition: Edition = editionWord === undefined ? 'regular' : editionWord === '增刊' ? 'supplement' : 'special';
  const yearText = cnYear ?? bracketYear ?? yearAfter ?? bracketYearAfter;
  const totalText = totalAfter ?? totalBefore;
  return {
    edition,
    year: yearText === undefined ? null : numeralValue(yearText),
    number: number === undefined ? null : numeralValue(number),
    totalNumber: totalText === undefined ? null : numeralValue(totalText),
  };
}

function totalLineOf(text: string): number | null {
  const match = TOTAL_LINE.exec(compact(text.normalize('NFKC')));
  return match === null ? null : numeralValue(match[1]);
}

const JUNK =
  /内部资料|內部資料|内部刊物|內部刊物|内部文件|內部文件|内部发行|注意保存|妥善保管|机密|機密|秘密|绝密|絕密|密级|密級|★|☆|阅后|閱後|收回|\.(?:pdf|docx?|wps|txt|rtf|html?)$|^[\x20-\x7e]*$/iu;
const isJunk = (text: string): boolean => JUNK.test(text);

type FoundDate = { year: number; month: number; day: number; index: number; end: number };

const D = '[0-9０-９]';
const CN_DIGIT = '[〇零○0０一二三四五六七八九]';
const DATE_PATTERNS: readonly RegExp[] = [
  new RegExp(`(${D}{4})\\s*年\\s*(${D}{1,2})\\s*月\\s*(${D}{1,2})\\s*日`, 'u'),
  new RegExp(
    `(${CN_DIGIT}{4})\\s*年\\s*([一二三四五六七八九十]{1,3})\\s*月\\s*([一二三四五六七八九十廿卅]{1,3})\\s*日`,
    'u',
  ),
  new RegExp(`(?<!${D})(${D}{4})\\s*[.．\\-－/／]\\s*(${D}{1,2})\\s*[.．\\-－/／]\\s*(${D}{1,2})(?!${D})`, 'u'),
];

function findDate(text: string): FoundDate | null {
  for (const pattern of DATE_PATTERNS) {
    const match = pattern.exec(text);
    if (match === null) continue;
    const [year, month, day] = [numeralValue(match[1]), numeralValue(match[2]), numeralValue(match[3])];
    if (year === null || month === null || day === null) continue;
    return { year, month, day, index: match.index, end: match.index + match[0].length };
  }
  return null;
}

const isoDate = (date: FoundDate): string =>
  `${String(date.year).padStart(4, '0')}-${String(date.month).padStart(2, '0')}-${String(date.day).padStart(2, '0')}`;

const ISSUER_SUFFIX = /(?:编印|編印|主办|主辦|编发|編發|印发|印發|编|編)$/u;

const GENERIC_OFFICE =
  /^(?:办公室|辦公室|委员会|委員會|办事处|辦事處|管委会|管委會|人民政府|政府|编辑部|編輯部)(?:编印|編印|主办|主辦|编|編)?$/u;

/** 中共上街区委办公室; 某某县委办公室编印 → 某某县委办公室; A、B or A　B → two; 中 共 上 街 … → one. */
function issuersOf(text: string): string[] {
  const parts = text.split(/[、，,\s]+/u).filter((part) => part !== '');
  // 中共上街区委 办公室 (a stray space, from OCR): a bare 办公室 / 委员会 is the end of the name before it, not an office.
  const merged = parts.reduce<string[]>((kept, part) => {
    if (kept.length > 0 && GENERIC_OFFICE.test(part)) kept[kept.length - 1] = `${kept[kept.length - 1]}${part}`;
    else kept.push(part);
    return kept;
  }, []);
  const names = merged.some((part) => length(part) === 1) ? [merged.join('')] : merged;
  return names.map((name) => name.replace(ISSUER_SUFFIX, '').trim()).filter((name) => name !== '');
}

const looksLikeIssuerLine = (text: string): boolean =>
  isShort(text, HEADLINE_MAX) && !/[。！？!?；;：:，,]/u.test(text) && columnOf(text) === null;

const COLUMN = /^(.*?\S)\s*[（(]\s*([0-9０-９]{1,3}|[一二三四五六七八九十百〇零两]{1,5})\s*[)）]$/u;

function columnOf(text: string): { title: string; installment: number } | null {
  const match = COLUMN.exec(text);
  if (match === null || length(match[1]) < 2 || /[。！？!?；;]$/u.test(match[1])) return null;
  const installment = numeralValue(match[2]);
  return installment === null || installment < 1 ? null : { title: collapseSpaces(match[1]), installment };
}

/**
 * 上街信息（第14期）, 上街信息 第14期 中共上街区委办公室 2020年2月19日: an issue line printed inside a longer line. The
 * line is cut into what comes before it (the masthead), the issue line itself (brackets around it removed) and what
 * follows (issuer and date), each a line of its own with the same line number.
 */
const S = '\\s*';
const ISSUE_TOKEN = new RegExp(
  `([(\\[〔【]?)${S}((?:(?:[0-9]{4}|[〇零○一二三四五六七八九]{4})${S}年${S})?(?:[〔\\[【(]${S}[0-9]{4}${S}[〕\\]】)]${S})?` +
    `(?:增刊|专刊|專刊|特刊)?${S}(?:[0-9]{4}${S}年${S})?第${S}(?:${NUMERAL})${S}期)${S}([)\\]〕】]?)` +
    `((?:${S}\\(?${S}[总總]${S}第${S}(?:${NUMERAL})${S}期${S}\\)?)?)`,
  'u',
);

function splitIssueRun(lines: readonly Line[]): Line[] {
  const window = lines.slice(0, HEAD_WINDOW);
  if (window.some((line) => issueLineOf(line.text) !== null)) return [...lines];
  for (let index = 0; index < window.length; index += 1) {
    const { line, indented } = lines[index];
    const text = lines[index].text.normalize('NFKC');
    const match = ISSUE_TOKEN.exec(text);
    if (match === null) continue;
    const before = text.slice(0, match.index).trim();
    const after = text.slice(match.index + match[0].length).trim();
    const issueText = `${match[2]}${match[4]}`;
    if (issueLineOf(issueText) === null) continue;
    if (before !== '' && (!isShort(before, 20) || /[，,。；;：:！？!?]/u.test(before))) continue;
    const pieces = [before, issueText, after]
      .filter((piece) => piece !== '')
      .map((piece) => ({ text: piece, line, indented }));
    return [...lines.slice(0, index), ...pieces, ...lines.slice(index + 1)];
  }
  return [...lines];
}

/**
 * 中共上街区委办公室 2020年2月19日 坚定信心 众志成城 坚决打赢疫情防控阻击战（七）: what follows the date on the issuer's
 * line is the next line (the column), when an issuer came before the date or it reads as a column.
 */
function splitAfterDate(lines: readonly Line[]): Line[] {
  const issueIndex = lines.slice(0, HEAD_WINDOW).findIndex((line) => issueLineOf(line.text) !== null);
  if (issueIndex < 0) return [...lines];
  for (let index = issueIndex + 1; index < Math.min(lines.length, issueIndex + 6); index += 1) {
    const { text, line, indented } = lines[index];
    const found = findDate(text);
    if (found === null) continue;
    const before = text.slice(0, found.index).trim();
    const after = text.slice(found.end).trim();
    if (after === '' || (before === '' && columnOf(after) === null)) return [...lines];
    return [
      ...lines.slice(0, index),
      { text: text.slice(0, found.end).trim(), line, indented },
      { text: after, line, indented },
      ...lines.slice(index + 1),
    ];
  }
  return [...lines];
}

type Head = Pick<
  ParsedIssue,
  | 'publication'
  | 'edition'
  | 'year'
  | 'number'
  | 'totalNumber'
  | 'issuers'
  | 'date'
  | 'columnTitle'
  | 'columnInstallment'
> & {
  /** Index of the first line after the head. */
  next: number;
};

const HEAD_WINDOW = 15;

function parseHead(
  lines: readonly Line[],
  endLine: number,
  publicationOption: string | null,
  errors: ParseError[],
  warnings: string[],
): Head | null {
  let issueIndex = -1;
  let issue: IssueLine | null = null;
  for (let index = 0; index < Math.min(lines.length, HEAD_WINDOW); index += 1) {
    issue = issueLineOf(lines[index].text);
    if (issue !== null) {
      issueIndex = index;
      break;
    }
  }

  if (issueIndex < 0 || issue === null) {
    const firstKept = lines.findIndex((line) => !isJunk(line.text));
    const expectedAt = firstKept < 0 ? 0 : firstKept + 1;
    const found = expectedAt < lines.length ? lines[expectedAt] : null;
    errors.push({
      line: found === null ? endLine : found.line,
      message:
        found === null
          ? at(endLine, '应为期号行（如“第14期”“2019年第六期”“增刊第5期”“专刊”），但文件已结束')
          : at(found.line, `应为期号行（如“第14期”“2019年第六期”“增刊第5期”“专刊”），实际为“${excerpt(found.text)}”`),
    });
    return null;
  }
  let masthead: Line | null = null;
  for (let index = issueIndex - 1; index >= 0 && masthead === null; index -= 1) {
    if (!isJunk(lines[index].text)) masthead = lines[index];
  }
  for (let index = 0; masthead !== null && index < lines.length && lines[index].line < masthead.line; index += 1) {
    if (!isJunk(lines[index].text))
      warnings.push(at(lines[index].line, `刊名前的“${excerpt(lines[index].text)}”已忽略`));
  }

  let publication = masthead === null ? '' : compact(masthead.text);
  if (publicationOption !== null) {
    if (publication !== '' && publication !== compact(publicationOption)) {
      warnings.push(
        at(masthead === null ? 1 : masthead.line, `刊名印作“${publication}”，按导入时指定的“${publicationOption}”处理`),
      );
    }
    publication = publicationOption;
  } else if (publication === '') {
    errors.push({
      line: lines[issueIndex].line,
      message: at(lines[issueIndex].line, '期号行前应有刊名（如“上街信息”）；刊名未印时请在导入时指定刊名'),
    });
  }
  if (issue.edition === 'supplement' && issue.number === null) {
    warnings.push(at(lines[issueIndex].line, '增刊未印期号'));
  }

  let totalNumber = issue.totalNumber;
  const issuers: string[] = [];
  let date: FoundDate | null = null;
  let index = issueIndex + 1;
  let issuerLines = 0;
  for (; index < lines.length && index < issueIndex + 8; index += 1) {
    const { text, line } = lines[index];
    const total = totalLineOf(text);
    if (total !== null) {
      if (totalNumber !== null && totalNumber !== total)
        warnings.push(at(line, `总期号印了两次且不一致，取第${total}期`));
      totalNumber = total;
      continue;
    }
    const found = findDate(text);
    if (found !== null) {
      const rest = `${text.slice(0, found.index)} ${text.slice(found.end)}`.trim();
      if (rest !== '') issuers.push(...issuersOf(rest));
      date = found;
      index += 1;
      break;
    }
    if (isJunk(text) && issuerLines === 0) continue;
    if (issuerLines < 3 && looksLikeIssuerLine(text)) {
      issuers.push(...issuersOf(text));
      issuerLines += 1;
      continue;
    }
    break;
  }
  if (date === null) {
    const found = index < lines.length ? lines[index] : null;
    errors.push({
      line: found === null ? endLine : found.line,
      message:
        found === null
          ? at(endLine, '应为日期（如“2020年2月19日”或“二〇二〇年二月十九日”），但文件已结束')
          : at(found.line, `应为日期（如“2020年2月19日”或“二〇二〇年二月十九日”），实际为“${excerpt(found.text)}”`),
    });
    return null;
  }
  const dateLine = lines[index - 1].line;
  const iso = isoDate(date);
  if (parseCalendarDate(iso) === null) {
    errors.push({ line: dateLine, message: at(dateLine, `日期 ${date.year}年${date.month}月${date.day}日 不存在`) });
    return null;
  }
  if (
    issuers.length === 0 &&
    index < lines.length &&
    ISSUER_SUFFIX.test(lines[index].text) &&
    looksLikeIssuerLine(lines[index].text)
  ) {
    issuers.push(...issuersOf(lines[index].text));
    index += 1;
  }
  if (issuers.length === 0) warnings.push(at(dateLine, '未找到编印单位（应在期号行与日期之间，或与日期同行）'));

  let columnTitle: string | null = null;
  let columnInstallment: number | null = null;
  const column = index < lines.length ? columnOf(lines[index].text) : null;
  if (column !== null) {
    columnTitle = column.title;
    columnInstallment = column.installment;
    index += 1;
  }

  const year = issue.year ?? date.year;
  if (issue.year !== null && Math.abs(issue.year - date.year) > 1) {
    warnings.push(at(dateLine, `期号行印的年份 ${issue.year} 与日期的年份 ${date.year} 相差较大`));
  }
  return {
    publication,
    edition: issue.edition,
    year,
    number: issue.number,
    totalNumber,
    issuers,
    date: iso,
    columnTitle,
    columnInstallment,
    next: index,
  };
}

// ---------------------------------------------------------------------------------------------------------------------
// Foot

type FooterField = 'reportTo' | 'sendTo' | 'distributeTo' | 'copyTo' | 'editors' | 'reviewer' | 'signer';

const FOOTER_LABELS: ReadonlyArray<readonly [string, FooterField]> = [
  ['本期送', 'sendTo'],
  ['主送', 'sendTo'],
  ['送', 'sendTo'],
  ['报送', 'reportTo'],
  ['報送', 'reportTo'],
  ['报', 'reportTo'],
  ['報', 'reportTo'],
  ['分发', 'distributeTo'],
  ['分發', 'distributeTo'],
  ['发', 'distributeTo'],
  ['發', 'distributeTo'],
  ['抄送', 'copyTo'],
  ['抄报', 'copyTo'],
  ['抄報', 'copyTo'],
  ['责任编辑', 'editors'],
  ['責任編輯', 'editors'],
  ['本期编辑', 'editors'],
  ['本期編輯', 'editors'],
  ['编辑', 'editors'],
  ['編輯', 'editors'],
  ['审核', 'reviewer'],
  ['審核', 'reviewer'],
  ['签发', 'signer'],
  ['簽發', 'signer'],
];
const FOOTER_FIELD = new Map<string, FooterField>(FOOTER_LABELS.map(([label, field]) => [label, field]));
/** 抄送 → 抄\s*送 (抄　送：), longest first so that 本期送 wins over 送. */
const labelAlternatives = (labels: readonly string[]): string =>
  [...labels]
    .sort((a, b) => b.length - a.length)
    .map((label) => Array.from(label).join('\\s*'))
    .join('|');
const LONG_LABELS = labelAlternatives(FOOTER_LABELS.map(([label]) => label).filter((label) => label.length > 1));
const SHORT_LABELS = labelAlternatives(FOOTER_LABELS.map(([label]) => label).filter((label) => label.length === 1));
const LABEL_AT_START = new RegExp(`^(?:${LONG_LABELS}|${SHORT_LABELS})\\s*[：:]`, 'u');
/** Labels inside a line (审核：张三　签发：李四); a one-character label (送 报 发) only after a space or a separator. */
const labelsInLine = (): RegExp =>
  new RegExp(`(${LONG_LABELS}|(?<=^|[\\s，,；;。）)])(?:${SHORT_LABELS}))\\s*[：:]`, 'gu');
const OTHER_LABEL = /^[^：:\s]{1,8}\s*[：:]/u;
const PRINT_RUN = /[（(]?\s*共\s*印\s*[：:]?\s*([0-9０-９]+|[一二两三四五六七八九十百千零〇]+)\s*份\s*[）)]?/u;
const isPrintRunLine = (text: string): boolean => {
  const match = PRINT_RUN.exec(text);
  return match !== null && text.replace(match[0], '').trim() === '';
};
const isFooterLabelLine = (text: string): boolean => LABEL_AT_START.test(text) || isPrintRunLine(text);
const isFooterLike = (text: string): boolean =>
  isFooterLabelLine(text) ||
  PRINT_RUN.test(text) ||
  OTHER_LABEL.test(text) ||
  (isShort(text, 60) && !/[。！？!?]$/u.test(text));

/** Index of the foot's first line, or lines.length when there is none. */
function footerStart(lines: readonly Line[], from: number): number {
  let tailIsFooterLike = true;
  let start = lines.length;
  for (let index = lines.length - 1; index >= from; index -= 1) {
    const text = lines[index].text;
    if (tailIsFooterLike && isFooterLabelLine(text)) start = index;
    tailIsFooterLike = tailIsFooterLike && isFooterLike(text);
  }
  return start;
}

type Foot = Pick<
  ParsedIssue,
  'reportTo' | 'sendTo' | 'distributeTo' | 'copyTo' | 'editors' | 'reviewer' | 'signer' | 'printRun'
>;
type Segment = { field: FooterField; value: string; line: number };

/** 张 三 李德昭 → 张三 李德昭: single characters, letter-spaced names, are joined two by two. */
function joinSpacedNames(names: readonly string[]): string[] {
  const joined: string[] = [];
  let singles: string[] = [];
  const flush = (): void => {
    if (singles.length % 2 === 0)
      for (let i = 0; i < singles.length; i += 2) joined.push(`${singles[i]}${singles[i + 1]}`);
    else joined.push(singles.join(''));
    singles = [];
  };
  for (const name of names) {
    if (Array.from(name).length === 1) singles.push(name);
    else {
      if (singles.length > 0) flush();
      joined.push(name);
    }
  }
  if (singles.length > 0) flush();
  return joined;
}

function personOf(value: string): string | null {
  const names = joinSpacedNames(splitPersonNames(value));
  return names.length === 0 ? null : names.join(' ');
}

function continueValue(segment: Segment, text: string): void {
  const previous = segment.value.trim();
  const recipients = segment.field !== 'editors' && segment.field !== 'reviewer' && segment.field !== 'signer';
  const glued = recipients && (/[、，,；;]/u.test(previous) || length(previous) >= 20);
  segment.value = glued ? `${previous}${text}` : `${previous} ${text}`;
}

function parseFoot(lines: readonly Line[], warnings: string[]): Foot {
  const foot: Foot = {
    reportTo: [],
    sendTo: [],
    distributeTo: [],
    copyTo: [],
    editors: [],
    reviewer: null,
    signer: null,
    printRun: null,
  };
  const segments: Segment[] = [];
  for (const { text: printed, line } of lines) {
    let text = printed;
    const run = PRINT_RUN.exec(text);
    if (run !== null) {
      const value = numeralValue(run[1]);
      if (value !== null) foot.printRun = value;
      text = text.replace(run[0], ' ').trim();
      if (text === '') continue;
    }
    const matches = Array.from(text.matchAll(labelsInLine()));
    const first = matches.length > 0 ? matches[0].index : text.length;
    const lead = text.slice(0, first).trim();
    if (lead !== '') {
      const previous = segments.length > 0 ? segments[segments.length - 1] : null;
      if (OTHER_LABEL.test(lead) || previous === null)
        warnings.push(at(line, `版记中的“${excerpt(lead)}”无法识别，已忽略`));
      else continueValue(previous, lead);
    }
    matches.forEach((match, position) => {
      const start = match.index + match[0].length;
      const end = position + 1 < matches.length ? matches[position + 1].index : text.length;
      const field = FOOTER_FIELD.get(compact(match[1]));
      if (field !== undefined) segments.push({ field, value: text.slice(start, end).trim(), line });
    });
  }
  for (const segment of segments) {
    switch (segment.field) {
      case 'reviewer':
      case 'signer': {
        const person = personOf(segment.value);
        if (person === null) break;
        if (foot[segment.field] === null) foot[segment.field] = person;
        else warnings.push(at(segment.line, `${segment.field === 'reviewer' ? '审核' : '签发'}印了两次，取第一次`));
        break;
      }
      case 'editors':
        foot.editors.push(...joinSpacedNames(splitPersonNames(segment.value)));
        break;
      default:
        foot[segment.field].push(...splitPersonNames(segment.value));
    }
  }
  return foot;
}

// ---------------------------------------------------------------------------------------------------------------------
// Body clean-up: page headers, stray OCR spaces, hard-wrapped lines

/** 上街信息, 第14期, 上街信息 第14期 repeated at the top of a page inside the body. */
function isPageHeader(text: string, publication: string): boolean {
  if (!isShort(text, 30)) return false;
  const key = compact(text.normalize('NFKC'));
  const masthead = compact(publication.normalize('NFKC'));
  if (masthead !== '' && key === masthead) return true;
  if (issueLineOf(key) !== null) return true;
  return (
    masthead !== '' &&
    key.startsWith(masthead) &&
    issueLineOf(key.slice(masthead.length).replace(/^[(（]|[)）]$/gu, '')) !== null
  );
}

const CJK_CHAR =
  '[\\p{Script=Han}\\u3001-\\u303f\\uff01-\\uff0f\\uff1a-\\uff20\\u201c\\u201d\\u2018\\u2019\\u2014\\u2026]';
const CJK_GAP = new RegExp(`(?<=${CJK_CHAR})[ \\u3000\\t]+(?=${CJK_CHAR})`, 'gu');
/** Spaces between Chinese characters after a line's first clause and outside brackets (a headline's or an attribution's are meant). */
function gapsIn(text: string): number {
  if (text.length > 4000) return 0;
  const clause = text.search(/[，。；：！？]/u);
  if (clause < 0) return 0;
  return (
    text
      .slice(clause)
      .replace(/[（(【][^（）()【】]*[）)】]/gu, '')
      .match(CJK_GAP) ?? []
  ).length;
}

/**
 * Stray spaces from OCR (我区 召开 新冠肺炎…): when at least two body lines, or a third of them, hold two or more spaces
 * between Chinese characters after their first clause (outside brackets: a headline before its body may be spaced,
 * 筑牢堤坝 守护安澜, and so may an attribution), spaces between Chinese characters carry no meaning in this file and are removed from
 * the body (a headline then runs into its body and is cut as such). Spaces next to digits or Latin letters stay.
 */
function removeStraySpaces(lines: readonly Line[]): Line[] {
  const noisy = lines.filter((line) => gapsIn(line.text) >= 2).length;
  if (noisy < 2 && noisy * 3 < lines.length) return [...lines];
  return lines.map((line) => ({ ...line, text: line.text.length > 4000 ? line.text : line.text.replace(CJK_GAP, '') }));
}

/** Print width of a line: a Chinese character or full-width sign is 1, an ASCII character ½, an indent 2. */
function printWidth(line: Line): number {
  let width = line.indented === true ? 2 : 0;
  for (const char of compact(line.text.slice(0, 400))) width += char.charCodeAt(0) < 0x7f ? 0.5 : 1;
  return width;
}

/**
 * Text hard-wrapped at the print width (one printed line per text line, about 20–28 characters). The file is taken to
 * be hard-wrapped when at least 3 body lines, and 40 % of them, have the same width give or take 2 (between 15 and
 * 45), hardly any line is wider, and most of those full lines end mid-sentence. Then a line that fills that width
 * goes on on the next line, joined with no space, except where the next line starts a paragraph: it is indented (when the file indents its paragraphs), or, in a file
 * without indents, the full line ended a sentence or an attribution and the next one is "headline, space, body".
 * A line shorter than the width ends its paragraph as usual (a page break is still rejoined by the item reader).
 */
function unwrapLines(lines: readonly Line[]): Line[] {
  if (lines.length < 3) return [...lines];
  const widths = lines.map(printWidth);
  let width = 0;
  let best = 0;
  for (let candidate = 15; candidate <= 45; candidate += 1) {
    const count = widths.filter((w) => w > candidate - 2.5 && w <= candidate + 0.5).length;
    if (count >= best) {
      best = count;
      width = candidate;
    }
  }
  const wider = widths.filter((w) => w > width + 2).length;
  if (best < 3 || best < 0.4 * lines.length || wider > 0.1 * lines.length) return [...lines];
  // Wrapped text cuts sentences: most full lines end mid-sentence. Short paragraphs of similar length do not.
  const full = lines.filter((_line, index) => widths[index] >= width - 2.5);
  if (full.filter((line) => !paragraphEnded(line.text)).length * 2 < full.length) return [...lines];
  const indents = lines.filter((line) => line.indented === true).length >= 2;
  const out: Line[] = [];
  let previousFull = false;
  let previousText = '';
  lines.forEach((line, index) => {
    const current = out.length > 0 ? out[out.length - 1] : null;
    const startsParagraph = indents
      ? line.indented === true
      : (endsSentence(previousText) || trailingAttributionOf(previousText) !== null) &&
        splitAtSpace(line.text) !== null;
    const label = SECTION_ALONE.test(line.text) || SECTION_PREFIX.test(line.text);
    if (current !== null && previousFull && !startsParagraph && !label) current.text = `${current.text}${line.text}`;
    else out.push({ ...line });
    previousFull = widths[index] >= width - 2.5;
    previousText = line.text;
  });
  return out;
}

/** The body as the item reader expects it: page headers dropped, stray spaces removed, hard-wrapped lines joined. */
function cleanBody(lines: readonly Line[], publication: string): Line[] {
  return unwrapLines(removeStraySpaces(lines.filter((line) => !isPageHeader(line.text, publication))));
}

// ---------------------------------------------------------------------------------------------------------------------
// Entry points

const PAGE_NUMBER = /^(?:[-—–―─~～]*[0-9]{1,3}[-—–―─~～]*|第[0-9]{1,3}页(?:共[0-9]{1,3}页)?|[0-9]{1,3}\/[0-9]{1,3})$/u;
const RULE = /^[-—–―─━═=_·.…*~～]{3,}$/u;

function keptLines(text: string): { lines: Line[]; endLine: number } {
  const physical = text
    .replace(/^\ufeff/u, '')
    .replace(/\r\n?/gu, '\n')
    .split('\n');
  const lines: Line[] = [];
  let endLine = 1;
  physical.forEach((raw, index) => {
    // eslint-disable-next-line no-control-regex -- control characters are what this line removes from pasted text
    const cleaned = raw.replace(/[\u200b-\u200d\u2060\u0000-\u0008\u000e-\u001f\u007f]/gu, '').trim();
    if (cleaned === '') return;
    const folded = compact(cleaned.normalize('NFKC'));
    if (PAGE_NUMBER.test(folded) || RULE.test(folded)) return;
    lines.push({ text: cleaned, line: index + 1, indented: /^(?:\u3000|\t| {2,})/u.test(raw) });
    endLine = index + 2;
  });
  return { lines, endLine };
}

function parse(text: string, options: ParseOptions | undefined): ParseResult {
  if (typeof text !== 'string' || text.replace(/[\s\u200b-\u200d\ufeff]/gu, '') === '') {
    return {
      ok: false,
      errors: [{ line: 1, message: at(1, '文件为空：应为刊名、期号行、编印单位和日期，然后是正文') }],
    };
  }
  const option =
    typeof options?.publication === 'string' && options.publication.trim() !== '' ? options.publication.trim() : null;
  const kept = keptLines(text);
  const lines = splitAfterDate(splitIssueRun(kept.lines));
  const { endLine } = kept;
  const errors: ParseError[] = [];
  const warnings: string[] = [];
  const head = parseHead(lines, endLine, option, errors, warnings);
  if (head === null || errors.length > 0) return { ok: false, errors };

  const footFrom = footerStart(lines, head.next);
  const { items, editorNote } = parseItems(cleanBody(lines.slice(head.next, footFrom), head.publication), warnings);
  if (items.length === 0) {
    const line = head.next < lines.length ? lines[head.next].line : endLine;
    return { ok: false, errors: [{ line, message: at(line, '应为第一条信息的标题和正文，但版头之后没有正文') }] };
  }
  const foot = parseFoot(lines.slice(footFrom), warnings);
  const { publication, edition, year, number, totalNumber, issuers, date, columnTitle, columnInstallment } = head;
  const issue: ParsedIssue = {
    publication,
    edition,
    year,
    number,
    totalNumber,
    issuers,
    date,
    columnTitle,
    columnInstallment,
    editorNote,
    items,
    ...foot,
  };
  return { ok: true, issue, warnings };
}

/**
 * Parses the plain text of one printed issue. Never throws: an unexpected failure comes back as an error on line 1
 * rather than a 500.
 */
export function parseBulletin(text: string, options?: ParseOptions): ParseResult {
  try {
    return parse(text, options);
  } catch (error: unknown) {
    const reason = error instanceof Error ? error.message : String(error);
    return { ok: false, errors: [{ line: 1, message: at(1, `解析器内部错误：${reason}`) }] };
  }
}

/**
 * The bytes of an uploaded .txt file as text: UTF-16 when it starts with a UTF-16 byte-order mark, UTF-8 (with or
 * without BOM) when the bytes are valid UTF-8, else GB18030 (which covers GBK and GB2312, as saved by Chinese
 * Windows). Line ends are normalised to \n.
 */
export function decodeBulletinBytes(bytes: Uint8Array): string {
  let text: string;
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) {
    text = new TextDecoder('utf-16le').decode(bytes);
  } else if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) {
    text = new TextDecoder('utf-16be').decode(bytes);
  } else {
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      // Not valid UTF-8: the other encoding Chinese offices save text in.
      text = new TextDecoder('gb18030').decode(bytes);
    }
  }
  return text.replace(/^\ufeff/u, '').replace(/\r\n?/gu, '\n');
}
