import {
  AlignmentType,
  BorderStyle,
  Document,
  DocumentGridType,
  Footer,
  LineRuleType,
  Packer,
  PageNumber,
  PageOrientation,
  Paragraph,
  Tab,
  Table,
  TableCell,
  TableLayoutType,
  TableRow,
  TabStopType,
  TextRun,
  WidthType,
  type IBorderOptions,
  type IFontAttributesProperties,
  type IParagraphOptions,
} from 'docx';
import type { FooterLine, IssueRecord, RecordItem } from '../domain/record';

/**
 * The signed-off record as a Word document, laid out like the printable HTML (src/domain/issue-html.ts), after the
 * conventions bulletins borrow from GB/T 9704-2012: A4 with top margin 37 mm, bottom 35 mm, binding (left) 28 mm and
 * right 26 mm, a 156×225 mm text block of 22 lines; masthead 方正小标宋简体, red, centred; issue line centred; the issuing
 * office at the left and the date at the right of one line (a right tab stop) over a full-width red rule (the line's
 * bottom border); column; section labels (黑体) where the section changes; headlines bold 小标宋; body 16 pt (三号)
 * 仿宋_GB2312 indented two characters, the attribution at the end of an item's last paragraph; the footer (版记) in
 * 14 pt (四号) as a one-column table whose outer rules are 0.35 mm and inner rules 0.25 mm, wrapped text aligned after
 * the full-width colon; page numbers "— N —" right on odd pages and left on even pages.
 *
 * The footer is a table because Word merges the borders of consecutive paragraphs with the same border settings into
 * one box, which would drop the rules between lines.
 */

const MM = 1440 / 25.4;
const twips = (mm: number): number => Math.round(mm * MM);

const PAGE = { width: 11906, height: 16838 };
const MARGIN = { top: twips(37), bottom: twips(35), left: twips(28), right: twips(26) };
const TEXT_WIDTH = PAGE.width - MARGIN.left - MARGIN.right;
/** 225 mm in 22 lines. */
const LINE_PITCH = Math.floor((PAGE.height - MARGIN.top - MARGIN.bottom) / 22);

const RED = 'E60012';
const BLACK = '000000';

const font = (name: string): IFontAttributesProperties => ({
  ascii: name,
  hAnsi: name,
  eastAsia: name,
  cs: name,
  hint: 'eastAsia',
});
const FANGSONG = font('仿宋_GB2312');
const XIAOBIAOSONG = font('方正小标宋简体');
const HEITI = font('黑体');
const SONGTI = font('宋体');

/** Run sizes in half-points. */
const SIZE = { masthead: 88, column: 36, body: 32, footer: 28 };
/** One full-width character of 16 pt and of 14 pt, in twips. */
const CHAR = { body: SIZE.body * 10, footer: SIZE.footer * 10 };

const exactLines = { line: LINE_PITCH, lineRule: LineRuleType.EXACT };

const bodyRun = (text: string): TextRun => new TextRun({ text, font: FANGSONG, size: SIZE.body, color: BLACK });

function headParagraphs(record: IssueRecord): Paragraph[] {
  const paragraphs = [
    new Paragraph({
      alignment: AlignmentType.CENTER,
      children: [new TextRun({ text: record.publication, font: XIAOBIAOSONG, size: SIZE.masthead, color: RED })],
    }),
  ];
  if (record.labels.issueLine !== '') {
    paragraphs.push(
      new Paragraph({
        alignment: AlignmentType.CENTER,
        spacing: { before: twips(3) },
        children: [bodyRun(record.labels.issueLine)],
      }),
    );
  }
  const issuerDate: TextRun[] = [];
  if (record.issuer !== null) issuerDate.push(bodyRun(record.issuer.fullName));
  if (record.labels.date !== null)
    issuerDate.push(
      new TextRun({ children: [new Tab(), record.labels.date], font: FANGSONG, size: SIZE.body, color: BLACK }),
    );
  paragraphs.push(
    new Paragraph({
      tabStops: [{ type: TabStopType.RIGHT, position: TEXT_WIDTH }],
      spacing: { before: twips(3) },
      border: { bottom: { style: BorderStyle.SINGLE, size: 14, color: RED, space: 4 } },
      children: issuerDate,
    }),
  );
  if (record.column !== null) {
    paragraphs.push(
      new Paragraph({
        alignment: AlignmentType.CENTER,
        spacing: { before: twips(7) },
        keepNext: true,
        children: [
          // eslint-disable-next-line @typescript-eslint/no-deprecated -- docx's run option `bold`, which the checker mistakes for String.prototype.bold
          new TextRun({ text: record.column.label, font: XIAOBIAOSONG, size: SIZE.column, bold: true, color: BLACK }),
        ],
      }),
    );
  }
  return paragraphs;
}

function itemParagraphs(item: RecordItem): Paragraph[] {
  const paragraphs: Paragraph[] = [];
  if (item.headline.trim() !== '') {
    paragraphs.push(
      new Paragraph({
        alignment: AlignmentType.CENTER,
        spacing: { before: CHAR.body, after: 96, ...exactLines },
        keepNext: true,
        keepLines: true,
        // eslint-disable-next-line @typescript-eslint/no-deprecated -- docx's run option `bold`, which the checker mistakes for String.prototype.bold
        children: [new TextRun({ text: item.headline, font: XIAOBIAOSONG, size: SIZE.body, bold: true, color: BLACK })],
      }),
    );
  }
  const texts = item.paragraphs.length === 0 && item.attribution !== '' ? [''] : item.paragraphs;
  texts.forEach((text, index) => {
    const runs = [bodyRun(text)];
    if (index === texts.length - 1 && item.attribution !== '') runs.push(bodyRun(item.attribution));
    paragraphs.push(
      new Paragraph({
        alignment: AlignmentType.BOTH,
        indent: { firstLine: 2 * CHAR.body },
        spacing: exactLines,
        children: runs,
      }),
    );
  });
  return paragraphs;
}

function sectionParagraph(section: string): Paragraph {
  return new Paragraph({
    spacing: { before: CHAR.body, ...exactLines },
    keepNext: true,
    // eslint-disable-next-line @typescript-eslint/no-deprecated -- docx's run option `bold`, which the checker mistakes for String.prototype.bold
    children: [new TextRun({ text: section, font: HEITI, size: SIZE.body, bold: true, color: BLACK })],
  });
}

/** 本期送：区县处级领导, wrapped lines aligned after the colon (a hanging indent as wide as the label); the print run at the right. */
function footerLineParagraph(line: FooterLine, last: boolean): Paragraph {
  const common: IParagraphOptions = {
    keepNext: !last,
    keepLines: true,
    spacing: { before: 40, after: 40, line: 448, lineRule: LineRuleType.EXACT },
  };
  if (line.key === 'printRun') {
    return new Paragraph({
      ...common,
      alignment: AlignmentType.RIGHT,
      indent: { right: CHAR.footer },
      children: [new TextRun({ text: `（${line.text}）`, font: FANGSONG, size: SIZE.footer, color: BLACK })],
    });
  }
  const label = `${line.label}：`;
  const hanging = Array.from(label).length * CHAR.footer; // the label is Chinese text and a colon: one character per code point
  return new Paragraph({
    ...common,
    alignment: AlignmentType.LEFT,
    indent: { left: CHAR.footer + hanging, hanging, right: CHAR.footer },
    children: [new TextRun({ text: `${label}${line.text}`, font: FANGSONG, size: SIZE.footer, color: BLACK })],
  });
}

const NO_BORDER: IBorderOptions = { style: BorderStyle.NONE, size: 0, color: 'auto' };
/** Border sizes are in eighths of a point: 8 = 1 pt ≈ 0.35 mm, 6 = 0.75 pt ≈ 0.26 mm. */
const THICK_RULE: IBorderOptions = { style: BorderStyle.SINGLE, size: 8, color: BLACK };
const THIN_RULE: IBorderOptions = { style: BorderStyle.SINGLE, size: 6, color: BLACK };

function footerTable(lines: FooterLine[]): Table {
  return new Table({
    width: { size: TEXT_WIDTH, type: WidthType.DXA },
    columnWidths: [TEXT_WIDTH],
    layout: TableLayoutType.FIXED,
    indent: { size: 0, type: WidthType.DXA },
    margins: { top: 0, bottom: 0, left: 0, right: 0, marginUnitType: WidthType.DXA },
    borders: {
      top: THICK_RULE,
      bottom: THICK_RULE,
      insideHorizontal: THIN_RULE,
      left: NO_BORDER,
      right: NO_BORDER,
      insideVertical: NO_BORDER,
    },
    rows: lines.map(
      (line, index) =>
        new TableRow({
          cantSplit: true,
          children: [
            new TableCell({
              width: { size: TEXT_WIDTH, type: WidthType.DXA },
              children: [footerLineParagraph(line, index === lines.length - 1)],
            }),
          ],
        }),
    ),
  });
}

/** "— N —", one character in from the outer edge of the text block: right on odd pages, left on even ones. */
function pageNumberFooter(side: 'right' | 'left'): Footer {
  return new Footer({
    children: [
      new Paragraph({
        alignment: side === 'right' ? AlignmentType.RIGHT : AlignmentType.LEFT,
        indent: side === 'right' ? { right: CHAR.footer } : { left: CHAR.footer },
        children: [
          new TextRun({ children: ['— ', PageNumber.CURRENT, ' —'], font: SONGTI, size: SIZE.footer, color: BLACK }),
        ],
      }),
    ],
  });
}

/** 上街信息 第14期 */
function documentTitle(record: IssueRecord): string {
  return [record.publication, record.labels.issueLine].filter((part) => part !== '').join(' ');
}

/** The issue as a .docx file. */
export async function issueDocx(record: IssueRecord): Promise<Buffer> {
  const children: (Paragraph | Table)[] = [...headParagraphs(record)];
  let section: string | null = null;
  for (const item of record.items) {
    if (item.section !== null && item.section !== section) children.push(sectionParagraph(item.section));
    section = item.section;
    children.push(...itemParagraphs(item));
  }
  if (record.footer.length > 0) {
    children.push(new Paragraph({ spacing: exactLines, keepNext: true, children: [] }));
    children.push(footerTable(record.footer));
  }

  const author = record.issuer?.fullName ?? record.publication;
  const document = new Document({
    title: documentTitle(record),
    creator: author,
    lastModifiedBy: author,
    evenAndOddHeaderAndFooters: true,
    styles: {
      default: {
        document: {
          run: { font: FANGSONG, size: SIZE.body, color: BLACK, language: { value: 'zh-CN', eastAsia: 'zh-CN' } },
        },
      },
    },
    sections: [
      {
        properties: {
          page: {
            size: { width: PAGE.width, height: PAGE.height, orientation: PageOrientation.PORTRAIT },
            margin: { ...MARGIN, header: twips(15), footer: twips(22) },
          },
          grid: { type: DocumentGridType.LINES, linePitch: LINE_PITCH },
        },
        footers: { default: pageNumberFooter('right'), even: pageNumberFooter('left') },
        children,
      },
    ],
  });
  return Packer.toBuffer(document);
}
