import { readFileSync } from 'fs';
import { join } from 'path';
import {
  decodeBulletinBytes,
  parseBulletin,
  type ParsedIssue,
  type ParseResult,
} from '../../src/domain/bulletin-parser';

const fixtures = join(__dirname, '..', 'fixtures');
const fixtureBytes = (name: string): Buffer => readFileSync(join(fixtures, name));
const fixtureText = (name: string): string => decodeBulletinBytes(fixtureBytes(name));

/** The issue of a result that must have parsed, with a readable failure when it did not. */
function issueOf(result: ParseResult): ParsedIssue {
  if (!result.ok) throw new Error(`expected the text to parse, got ${JSON.stringify(result.errors)}`);
  return result.issue;
}
const parsed = (text: string, publication?: string): ParsedIssue =>
  issueOf(parseBulletin(text, publication === undefined ? undefined : { publication }));
const warningsOf = (text: string): string[] => {
  const result = parseBulletin(text);
  return result.ok ? result.warnings : [];
};
const errorsOf = (text: string, publication?: string): { line: number; message: string }[] => {
  const result = parseBulletin(text, publication === undefined ? undefined : { publication });
  return result.ok ? [] : result.errors;
};

/** A minimal issue around the part under test: head lines, body lines, foot lines. */
const anIssue = ({
  head = ['上街信息', '第14期', '中共上街区委办公室', '2020年2月19日'],
  body = ['我区召开防汛工作会议 7月1日，区防汛指挥部召开会议，部署汛期各项工作。'],
  foot = ['发：各街道办事处'],
}: { head?: string[]; body?: string[]; foot?: string[] } = {}): string =>
  [...head, '', ...body, '', ...foot].join('\n');

describe('the reference issue (上街信息 2020 年第 14 期)', () => {
  const text = readFileSync(join(fixtures, 'shangjie-xinxi-2020-14.txt'), 'utf8');
  const lines = text.split('\n');
  const line = (n: number): string => lines[n - 1];
  const afterFirstSpace = (printed: string): string => printed.slice(printed.indexOf(' ') + 1);
  const issue = parsed(text);

  test('head', () => {
    expect(issue).toMatchObject({
      publication: '上街信息',
      edition: 'regular',
      year: 2020,
      number: 14,
      totalNumber: null,
      issuers: ['中共上街区委办公室'],
      date: '2020-02-19',
      columnTitle: '坚定信心 众志成城 坚决打赢疫情防控阻击战',
      columnInstallment: 7,
      editorNote: null,
    });
  });

  test('six items with their headlines, attributions and starting lines', () => {
    expect(
      issue.items.map(({ headline, attribution, line: at, section }) => ({ headline, attribution, at, section })),
    ).toEqual([
      { headline: '我区召开新冠肺炎疫情防控领导小组会议', attribution: [], at: 13, section: null },
      { headline: '区人社局开通创业担保贷款“绿色通道”', attribution: ['区人社局'], at: 19, section: null },
      { headline: '我区积极为通航企业复工复产“保驾护航”', attribution: ['通航试验区管委会'], at: 23, section: null },
      { headline: '峡窝镇电子指挥调度系统上线助力疫情防控', attribution: ['峡窝镇'], at: 25, section: null },
      { headline: '矿山街道联手周边乡镇共战疫情', attribution: ['矿山街道'], at: 29, section: null },
      { headline: '区文化馆开展“慕课”进万家活动', attribution: ['区文广旅局'], at: 31, section: null },
    ]);
  });

  test('the first item keeps its three paragraphs', () => {
    expect(issue.items[0].body).toBe([afterFirstSpace(line(13)), line(15), line(17)].join('\n\n'));
  });

  test('the paragraph cut by the page break is one paragraph again, joined with no space', () => {
    expect(line(19).endsWith('优先受理')).toBe(true);
    expect(line(21).startsWith('小微企业的贷款申请')).toBe(true);
    const expected = `${afterFirstSpace(line(19))}${line(21)}`.replace(/（区人社局）$/u, '');
    expect(issue.items[1].body).toBe(expected);
    expect(issue.items[1].body).toContain('优先受理小微企业的贷款申请');
    expect(issue.items[1].body).not.toContain('\n');
  });

  test('the 峡窝镇 item keeps its two real paragraphs, attribution removed', () => {
    expect(issue.items[3].body).toBe(`${afterFirstSpace(line(25))}\n\n${line(27).replace(/（峡窝镇）$/u, '')}`);
  });

  test('every body ends without its attribution and has no line break inside a paragraph', () => {
    for (const item of issue.items) {
      expect(item.body).not.toMatch(/[）)]$/u);
      for (const paragraph of item.body.split('\n\n')) expect(paragraph).not.toMatch(/\n/u);
    }
    expect(issue.items[5].body).toBe(afterFirstSpace(line(31)).replace(/（区文广旅局）$/u, ''));
  });

  test('foot', () => {
    expect(issue).toMatchObject({
      reportTo: [],
      sendTo: ['区县处级领导'],
      distributeTo: ['峡窝镇', '各街道办事处', '区直各单位负责同志'],
      copyTo: [],
      editors: ['郝婕', '李德昭'],
      reviewer: null,
      signer: null,
      printRun: null,
    });
  });

  test('nothing to warn about', () => {
    expect(warningsOf(text)).toEqual([]);
  });

  test('the same issue saved with CRLF, a BOM and page numbers parses the same', () => {
    const noisy = `\ufeff${text.replace('\n\n小微企业', '\n\n— 2 —\n\n小微企业')}`.replace(/\n/gu, '\r\n');
    // Two more lines (the page number and a blank) before the third item: its line numbers move by two.
    const shifted = {
      ...issue,
      items: issue.items.map((item) => ({ ...item, line: item.line > 21 ? item.line + 2 : item.line })),
    };
    expect(parsed(decodeBulletinBytes(Buffer.from(noisy, 'utf8')))).toEqual(shifted);
    expect(parsed(noisy)).toEqual(shifted);
  });
});

describe('own fixtures, one per layout', () => {
  test('traditional characters, letter-spaced masthead, junk above it, 第八期 with (總第二十期) on the next line', () => {
    const issue = parsed(fixtureText('import/qingkuang-fanying-traditional.txt'));
    expect(issue).toMatchObject({
      publication: '情況反映',
      edition: 'regular',
      year: 2019,
      number: 8,
      totalNumber: 20,
      issuers: ['中共青溪縣委辦公室'],
      date: '2019-12-31',
      columnTitle: null,
      columnInstallment: null,
      reportTo: ['市委辦公室'],
      sendTo: [],
      distributeTo: ['各鄉鎮黨委', '縣委各部委', '縣直各單位'],
      editors: ['王芳', '陳志遠'],
      reviewer: '張偉',
      signer: '劉建國',
      printRun: 80,
    });
    expect(
      issue.items.map(({ section, headline, attribution, line }) => [section, headline, attribution, line]),
    ).toEqual([
      ['工作動態', '全縣冬季安全生產大檢查全面展開', ['縣應急管理局'], 17],
      ['工作動態', '城關鎮推行“網格員+”工作模式', ['城關鎮'], 22],
      ['基層信息', '東山鄉多措並舉助農增收', [], 27],
    ]);
    expect(issue.items[0].body.split('\n\n')).toHaveLength(2);
    expect(issue.items[1].body).toContain('（含疫情防控信息報送）');
    expect(issue.items[1].body.endsWith('縮短為兩天。')).toBe(true);
  });

  test('2019年第六期, issuer and date on one line, sections, every attribution form, a wrapped headline', () => {
    const issue = parsed(fixtureText('import/zhengwu-xinxi-2019-06.txt'));
    expect(issue).toMatchObject({
      publication: '政务信息',
      year: 2019,
      number: 6,
      issuers: ['青溪县委办公室'],
      date: '2019-05-06',
      reportTo: ['市委办公室', '市政府办公室'],
      sendTo: ['县委', '县人大', '县政府', '县政协领导'],
      distributeTo: ['各乡镇党委', '政府', '县委各部委', '县直各单位', '各人民团体'],
      copyTo: ['市委督查室'],
      editors: ['周敏', '孙立'],
      reviewer: '李卫东',
      signer: '赵国强',
      printRun: 120,
    });
    expect(issue.items.map(({ section, headline, attribution }) => [section, headline, attribution])).toEqual([
      ['工作动态', '县政府召开一季度经济运行分析会', []],
      ['工作动态', '县人社局“三个一批”稳就业见实效', ['县人社局']],
      ['工作动态', '县财政局县税务局联合开展减税降费政策落实情况专项督查', ['县财政局', '县税务局']],
      ['基层信息', '城关镇开展农村人居环境整治“百日攻坚”行动', ['城关镇']],
      ['基层信息', '东山乡建成全县首个村级电商服务站', ['东山乡']],
      ['基层信息', '白马镇实施“一村一法律顾问”制度', ['白马镇司法所']],
    ]);
    expect(issue.items[0].body).toContain('（详见附表）');
    expect(issue.items[0].body.split('\n\n')).toHaveLength(2);
    for (const item of issue.items) expect(item.body).not.toMatch(/[）)】]$|——/u);
  });

  test('增刊 with （总第101期）, two issuers with the date glued to the second, 编者按, page breaks, CRLF', () => {
    const bytes = fixtureBytes('import/heyang-xinxi-supplement-5.txt');
    expect(bytes.includes('\r\n')).toBe(true);
    const issue = parsed(decodeBulletinBytes(bytes));
    expect(issue).toMatchObject({
      publication: '河阳信息',
      edition: 'supplement',
      year: 2020,
      number: 5,
      totalNumber: 101,
      issuers: ['中共河阳区委办公室', '河阳区人民政府办公室'],
      date: '2020-03-02',
      editorNote: '为及时反映全区复工复产进展，本期增刊集中编发各单位报送的典型做法，供各级领导参阅。',
      sendTo: ['区领导'],
      distributeTo: ['各镇（街道）', '区直各单位'],
      editors: ['马丽', '何建新'],
    });
    expect(issue.items.map(({ headline, attribution }) => [headline, attribution])).toEqual([
      ['我区召开复工复产推进会', []],
      ['区发改委开通项目审批“直通车”', ['区发改委']],
      ['区工信局“点对点”保障企业用工', ['区工信局', '区人社局']],
      ['强化监管 守护安全 区市场监管局开展复工企业食堂专项检查', []],
    ]);
    expect(issue.items[0].body).toContain('分区分级精准推进复工复产，');
    expect(issue.items[0].body).not.toContain('—');
    expect(issue.items[2].body).toBe(
      '近日，区工信局联合区人社局，摸排重点企业用工缺口，开通返岗直达专车十二趟，接回外地务工人员六百余人。\n\n' +
        '同时，依托“河阳就业”小程序发布岗位信息二千三百余个，实现企业与求职者“云对接”。',
    );
    expect(issue.items[3].body).toContain('等措施 ，发现'); // text as printed, stray space kept
  });

  test('专刊 without a number, a column in a special edition, 【unit】 alone on the last line', () => {
    const issue = parsed(fixtureText('import/duchazhuanbao-special.txt'));
    expect(issue).toMatchObject({
      publication: '督查专报',
      edition: 'special',
      year: 2023,
      number: null,
      issuers: ['区委督查室'],
      date: '2023-07-08',
      columnTitle: '学习贯彻党的二十大精神系列报道',
      columnInstallment: 3,
      reportTo: ['市委督查室'],
      sendTo: ['区委常委'],
      editors: ['何晓'],
    });
    expect(issue.items.map(({ section, headline, attribution }) => [section, headline, attribution])).toEqual([
      [null, '区委理论学习中心组开展专题学习', []],
      [null, '各镇街掀起宣讲热潮', ['区委宣传部']],
    ]);
  });

  test('〔2023〕第4期(总第101期), saved in GB18030', () => {
    const bytes = fixtureBytes('import/sheqing-minyi-2023-04.gb18030.txt');
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes)).toThrow();
    const issue = parsed(decodeBulletinBytes(bytes));
    expect(issue).toMatchObject({
      publication: '社情民意',
      year: 2023,
      number: 4,
      totalNumber: 101,
      issuers: ['河阳区政协办公室'],
      date: '2023-04-10',
      reportTo: ['市政协办公室'],
      distributeTo: ['区委', '区政府领导'],
      editors: ['林晓', '陈一鸣'],
      printRun: 60,
    });
    expect(issue.items).toHaveLength(1);
    expect(issue.items[0].headline).toBe('关于加强老旧小区电动自行车充电管理的建议');
    expect(issue.items[0].attribution).toEqual(['区政协社会法制委员会']);
  });

  test('no masthead: an error without the option, the option stands in for it', () => {
    const text = fixtureText('import/no-masthead.txt');
    expect(errorsOf(text)).toEqual([{ line: 2, message: expect.stringContaining('刊名') }]);
    const issue = parsed(text, '峡窝简报');
    expect(issue).toMatchObject({
      publication: '峡窝简报',
      number: 3,
      totalNumber: 56,
      issuers: ['峡窝镇党政办公室'],
      date: '2021-03-15',
    });
    expect(issue.items).toEqual([
      {
        section: null,
        headline: '峡窝镇开展春季植树活动',
        body: '3月12日，峡窝镇组织机关干部、村组党员二百余人在南山坡开展义务植树活动，栽植侧柏、黄栌等苗木三千余株。',
        attribution: [],
        line: 8,
      },
    ]);
    expect(issue.distributeTo).toEqual(['各村（社区）']);
    expect(issue.editors).toEqual(['赵敏']);
  });
});

describe('masthead', () => {
  test.each([
    ['alone', ['上街信息'], '上街信息'],
    ['letter-spaced', ['情 况 反 映'], '情况反映'],
    ['letter-spaced with ideographic spaces', ['情　况　反　映'], '情况反映'],
    ['traditional, kept traditional', ['情 況 反 映'], '情況反映'],
    [
      'under classification lines and a file name',
      ['内部资料 注意保存', '机密★1年', 'sjxx-2020-14.pdf', '', '上街信息'],
      '上街信息',
    ],
    ['after blank lines', ['', '', '', '上街信息'], '上街信息'],
    ['a real name starting with 内部', ['内部参考'], '内部参考'],
  ])('%s', (_case, mastheadLines, publication) => {
    const text = anIssue({ head: [...mastheadLines, '第14期', '中共上街区委办公室', '2020年2月19日'] });
    expect(parsed(text).publication).toBe(publication);
  });

  test('the option wins over a different printed masthead, with a warning', () => {
    const result = parseBulletin(anIssue(), { publication: '督查专报' });
    expect(result.ok && result.issue.publication).toBe('督查专报');
    expect(result.ok && result.warnings).toEqual([expect.stringContaining('上街信息')]);
  });

  test('the option equal to the masthead but for spacing gives no warning', () => {
    const result = parseBulletin(anIssue({ head: ['上 街 信 息', '第14期', '中共上街区委办公室', '2020年2月19日'] }), {
      publication: '上街信息',
    });
    expect(result).toMatchObject({ ok: true, warnings: [] });
  });
});

describe('issue line', () => {
  test.each([
    ['第 14 期', 'regular', 2020, 14, null],
    ['第3期', 'regular', 2020, 3, null],
    ['第八期', 'regular', 2020, 8, null],
    ['第十二期', 'regular', 2020, 12, null],
    ['第１４期', 'regular', 2020, 14, null],
    ['2019年第六期', 'regular', 2019, 6, null],
    ['二〇一九年第六期', 'regular', 2019, 6, null],
    ['增刊第5期', 'supplement', 2020, 5, null],
    ['2020年增刊第5期', 'supplement', 2020, 5, null],
    ['专刊', 'special', 2020, null, null],
    ['專刊', 'special', 2020, null, null],
    ['专刊第2期', 'special', 2020, 2, null],
    ['第14期（总第560期）', 'regular', 2020, 14, 560],
    ['第14期 (總第二十期)', 'regular', 2020, 14, 20],
    ['第14期\n（总第560期）', 'regular', 2020, 14, 560],
    ['第八期\n(總第二十期)', 'regular', 2020, 8, 20],
    ['〔2023〕第4期(总第101期)', 'regular', 2023, 4, 101],
    ['〔2023〕第4期\n（总第101期）', 'regular', 2023, 4, 101],
  ])('%p', (issueLine, edition, year, number, totalNumber) => {
    const issue = parsed(
      anIssue({ head: ['上街信息', ...issueLine.split('\n'), '中共上街区委办公室', '2020年2月19日'] }),
    );
    expect({ edition: issue.edition, year: issue.year, number: issue.number, totalNumber: issue.totalNumber }).toEqual({
      edition,
      year,
      number,
      totalNumber,
    });
  });
});

describe('issuer and date', () => {
  test.each([
    ['separate lines', ['中共上街区委办公室', '2020 年 2 月 19 日'], ['中共上街区委办公室'], '2020-02-19'],
    ['no spaces in the date', ['中共上街区委办公室', '2020年2月19日'], ['中共上街区委办公室'], '2020-02-19'],
    ['full-width digits', ['中共上街区委办公室', '２０２０年２月１９日'], ['中共上街区委办公室'], '2020-02-19'],
    ['Chinese numerals', ['中共上街区委办公室', '二〇二〇年二月十九日'], ['中共上街区委办公室'], '2020-02-19'],
    [
      'Chinese numerals, 十二月三十一日',
      ['中共上街区委办公室', '二〇一九年十二月三十一日'],
      ['中共上街区委办公室'],
      '2019-12-31',
    ],
    ['one line with 编印', ['某某县委办公室编印 2019年5月6日'], ['某某县委办公室'], '2019-05-06'],
    [
      'one line with 编印 and an ideographic space',
      ['某某县委办公室编印　二〇一九年五月六日'],
      ['某某县委办公室'],
      '2019-05-06',
    ],
    ['one line, date first', ['2019年5月6日 某某县委办公室编'], ['某某县委办公室'], '2019-05-06'],
    ['主办', ['某某县委办公室主办', '2019年5月6日'], ['某某县委办公室'], '2019-05-06'],
    [
      'two issuer lines, the date glued to the second',
      ['中共某某县委办公室', '某某县人民政府办公室 2019年5月6日'],
      ['中共某某县委办公室', '某某县人民政府办公室'],
      '2019-05-06',
    ],
    [
      'two issuers on one line',
      ['中共某某县委办公室、某某县人民政府办公室编印', '2019年5月6日'],
      ['中共某某县委办公室', '某某县人民政府办公室'],
      '2019-05-06',
    ],
    [
      'two issuers separated by a space',
      ['中共某某县委办公室　某某县人民政府办公室', '2019年5月6日'],
      ['中共某某县委办公室', '某某县人民政府办公室'],
      '2019-05-06',
    ],
    ['a letter-spaced issuer', ['中 共 上 街 区 委 办 公 室', '2020年2月19日'], ['中共上街区委办公室'], '2020-02-19'],
    ['the issuer after the date', ['2019年5月6日', '某某县委办公室编印'], ['某某县委办公室'], '2019-05-06'],
    ['a dotted date', ['中共上街区委办公室', '2020.2.19'], ['中共上街区委办公室'], '2020-02-19'],
  ])('%s', (_case, headLines, issuers, date) => {
    const issue = parsed(anIssue({ head: ['上街信息', '第14期', ...headLines] }));
    expect(issue.issuers).toEqual(issuers);
    expect(issue.date).toBe(date);
    expect(issue.year).toBe(Number(date.slice(0, 4)));
  });

  test('a missing issuer is a warning, not an error', () => {
    const text = anIssue({ head: ['上街信息', '第14期', '2020年2月19日'] });
    expect(parsed(text).issuers).toEqual([]);
    expect(warningsOf(text)).toEqual([expect.stringContaining('编印单位')]);
  });

  test('the printed year wins over the date year (an issue of 2019 signed off in January 2020)', () => {
    const issue = parsed(anIssue({ head: ['上街信息', '2019年第二十四期', '中共上街区委办公室', '2020年1月3日'] }));
    expect([issue.year, issue.number, issue.date]).toEqual([2019, 24, '2020-01-03']);
  });
});

describe('column', () => {
  test.each([
    ['坚定信心 众志成城 坚决打赢疫情防控阻击战（七）', '坚定信心 众志成城 坚决打赢疫情防控阻击战', 7],
    ['坚定信心　众志成城　坚决打赢疫情防控阻击战 （十一）', '坚定信心 众志成城 坚决打赢疫情防控阻击战', 11],
    ['优化营商环境在行动(3)', '优化营商环境在行动', 3],
    ['乡村振兴进行时（二十）', '乡村振兴进行时', 20],
  ])('%p', (columnLine, title, installment) => {
    const issue = parsed(
      anIssue({ body: [columnLine, '', '我区召开防汛工作会议 7月1日，区防汛指挥部召开会议，部署汛期各项工作。'] }),
    );
    expect([issue.columnTitle, issue.columnInstallment]).toEqual([title, installment]);
    expect(issue.items.map((item) => item.headline)).toEqual(['我区召开防汛工作会议']);
  });

  test('no column line: the first line is the first headline', () => {
    const issue = parsed(anIssue());
    expect([issue.columnTitle, issue.columnInstallment]).toEqual([null, null]);
  });
});

describe('headline and body', () => {
  const body = '7月1日，区防汛指挥部召开会议，部署汛期各项工作。';
  test.each([
    ['on its own line', ['我区召开防汛工作会议', body], '我区召开防汛工作会议', body],
    ['on its own line, blank line between', ['我区召开防汛工作会议', '', body], '我区召开防汛工作会议', body],
    ['one space then the body (the reference)', [`我区召开防汛工作会议 ${body}`], '我区召开防汛工作会议', body],
    ['an ideographic space then the body', [`我区召开防汛工作会议　${body}`], '我区召开防汛工作会议', body],
    [
      'a headline with spaces inside',
      [`筑牢堤坝 守护安澜 我区召开防汛工作会议 ${body}`],
      '筑牢堤坝 守护安澜 我区召开防汛工作会议',
      body,
    ],
    ['a headline opening with a year', [`2020年全区防汛工作会议召开 ${body}`], '2020年全区防汛工作会议召开', body],
    [
      'a headline with spaces on its own line, its second half long and unpunctuated',
      ['筑牢堤坝 守护安澜我区召开防汛工作会议部署汛期各项工作', body],
      '筑牢堤坝 守护安澜我区召开防汛工作会议部署汛期各项工作',
      body,
    ],
    [
      'a body opening with a date and a space is not a headline',
      ['我区召开防汛工作会议', '7月1日上午 区防汛指挥部召开会议，部署汛期各项工作。'],
      '我区召开防汛工作会议',
      '7月1日上午 区防汛指挥部召开会议，部署汛期各项工作。',
    ],
    ['a headline ending in a closing quote', [`区人社局开通“绿色通道” ${body}`], '区人社局开通“绿色通道”', body],
    [
      'a headline with a comma, on its own line',
      ['稳就业，区人社局开通“绿色通道”', body],
      '稳就业，区人社局开通“绿色通道”',
      body,
    ],
    [
      'wrapped over two lines',
      ['上街区召开2020年防汛抗旱工作会议暨', '防汛指挥部成员单位联席会议', body],
      '上街区召开2020年防汛抗旱工作会议暨防汛指挥部成员单位联席会议',
      body,
    ],
    [
      'wrapped, the second line followed by a space and the body',
      ['上街区召开2020年防汛抗旱工作会议暨', `防汛指挥部成员单位联席会议 ${body}`],
      '上街区召开2020年防汛抗旱工作会议暨防汛指挥部成员单位联席会议',
      body,
    ],
    ['run into the body, cut before a date', [`我区召开防汛工作会议${body}`], '我区召开防汛工作会议', body],
    [
      'run into the body, cut before 面对',
      ['区人社局开通创业担保贷款“绿色通道”面对疫情，区人社局开通绿色通道。'],
      '区人社局开通创业担保贷款“绿色通道”',
      '面对疫情，区人社局开通绿色通道。',
    ],
    [
      'run into the body, cut before the last opener of the first clause',
      ['我区部署近期防汛重点工作7月1日，区防汛指挥部召开会议。'],
      '我区部署近期防汛重点工作',
      '7月1日，区防汛指挥部召开会议。',
    ],
    [
      'a body line with a number and 年 after a space is not split',
      ['我区召开防汛工作会议', '2020 年 7 月 1 日，区防汛指挥部召开会议。'],
      '我区召开防汛工作会议',
      '2020 年 7 月 1 日，区防汛指挥部召开会议。',
    ],
    [
      'paragraphs indented with ideographic spaces',
      ['我区召开防汛工作会议', `　　${body}`, '　　会议要求，各单位要压实责任。'],
      '我区召开防汛工作会议',
      `${body}\n\n会议要求，各单位要压实责任。`,
    ],
    [
      'enumerated subheadings stay in the item, each its own paragraph',
      [
        '我区召开防汛工作会议',
        body,
        '一、压实防汛责任',
        '各单位要落实防汛责任制。',
        '二、加强隐患排查',
        '各单位要开展拉网式排查。',
      ],
      '我区召开防汛工作会议',
      `${body}\n\n一、压实防汛责任\n\n各单位要落实防汛责任制。\n\n二、加强隐患排查\n\n各单位要开展拉网式排查。`,
    ],
  ])('%s', (_case, bodyLines, headline, expectedBody) => {
    const issue = parsed(anIssue({ body: bodyLines }));
    expect(issue.items).toHaveLength(1);
    expect(issue.items[0].headline).toBe(headline);
    expect(issue.items[0].body).toBe(expectedBody);
  });

  test.each([['— 2 —'], ['- 2 -'], ['－2－'], ['—2—'], ['2'], ['第2页']])(
    'a paragraph cut by a page break with page number %p is rejoined',
    (pageNumber) => {
      const issue = parsed(
        anIssue({
          body: [
            '我区召开防汛工作会议 7月1日，区防汛指挥部召开会议，部署汛期',
            '',
            pageNumber,
            '',
            '各项工作。（区应急管理局）',
          ],
        }),
      );
      expect(issue.items[0].body).toBe('7月1日，区防汛指挥部召开会议，部署汛期各项工作。');
      expect(issue.items[0].attribution).toEqual(['区应急管理局']);
    },
  );

  test('a page break early in a 一是 sentence is rejoined, not taken for a subheading', () => {
    const issue = parsed(
      anIssue({ body: ['我区召开防汛工作会议', '会议要求：', '一是压实责任，成立工作', '专班，明确分工。'] }),
    );
    expect(issue.items[0].body).toBe('会议要求：\n\n一是压实责任，成立工作专班，明确分工。');
  });

  test('a page break right after a headline-like fragment still continues the paragraph', () => {
    const issue = parsed(
      anIssue({ body: ['我区召开防汛工作会议 7月1日，区防汛指挥部召开会议，部署', '汛期各项工作', '落实情况。'] }),
    );
    expect(issue.items.map((item) => item.body)).toEqual(['7月1日，区防汛指挥部召开会议，部署汛期各项工作落实情况。']);
  });

  test('items follow each other after an attribution or after a paragraph that ended', () => {
    const issue = parsed(
      anIssue({
        body: [
          '第一条标题 第一条正文，内容。',
          '第一条第二段，内容。',
          '第二条标题',
          '第二条正文，内容。（区人社局）',
          '第三条标题 第三条正文，内容！',
          '第四条标题在单独一行',
          '第四条正文，内容？',
        ],
      }),
    );
    expect(issue.items.map(({ headline, body, line }) => [headline, body, line])).toEqual([
      ['第一条标题', '第一条正文，内容。\n\n第一条第二段，内容。', 6],
      ['第二条标题', '第二条正文，内容。', 8],
      ['第三条标题', '第三条正文，内容！', 10],
      ['第四条标题在单独一行', '第四条正文，内容？', 11],
    ]);
  });

  test('a line that cannot be split from its body starts an item with an empty headline and a warning', () => {
    const text = anIssue({ body: ['这一行既没有空格也没有可以识别的开头，所以无法分出标题。'] });
    expect(parsed(text).items).toEqual([
      {
        section: null,
        headline: '',
        body: '这一行既没有空格也没有可以识别的开头，所以无法分出标题。',
        attribution: [],
        line: 6,
      },
    ]);
    expect(warningsOf(text)).toEqual([expect.stringContaining('第 6 行')]);
  });

  test('an 编者按 before the first item', () => {
    const issue = parsed(
      anIssue({
        body: [
          '【编者按】本期编发防汛工作',
          '典型做法，供参阅。',
          '我区召开防汛工作会议 7月1日，区防汛指挥部召开会议。',
        ],
      }),
    );
    expect(issue.editorNote).toBe('本期编发防汛工作典型做法，供参阅。');
    expect(issue.items.map((item) => item.headline)).toEqual(['我区召开防汛工作会议']);
  });
});

describe('attribution', () => {
  const opening = '我区召开防汛工作会议 7月1日，区防汛指挥部召开会议';
  test.each([
    ['full-width brackets', '。（区人社局）', '。', ['区人社局']],
    ['half-width brackets', '。(区人社局)', '。', ['区人社局']],
    ['spaces inside the brackets', '。（ 区人社局 ）', '。', ['区人社局']],
    ['square brackets', '。【区人社局】', '。', ['区人社局']],
    ['a dash', '。——区人社局', '。', ['区人社局']],
    ['a dash and a space', '。—— 区人社局', '。', ['区人社局']],
    ['combined with 、', '。（区财政局、区税务局）', '。', ['区财政局', '区税务局']],
    ['combined with ，', '。（区财政局，区税务局）', '。', ['区财政局', '区税务局']],
    ['combined with ,', '。(区财政局,区税务局)', '。', ['区财政局', '区税务局']],
    ['combined with a space, every part a unit', '。（区财政局 区税务局）', '。', ['区财政局', '区税务局']],
    ['a unit and an author stay as printed', '。（区人社局 张三）', '。', ['区人社局 张三']],
    ['供稿 removed', '。（区人社局供稿）', '。', ['区人社局']],
    ['no terminal punctuation before a unit name', '（区人社局）', '', ['区人社局']],
    ['none', '。', '。', []],
    ['（完） is text', '。（完）', '。（完）', []],
    ['a note is text', '。（记者 张三）', '。（记者 张三）', []],
    [
      'a bracket inside the last sentence is text',
      '，区人社局（区就业中心）负责落实。',
      '，区人社局（区就业中心）负责落实。',
      [],
    ],
    ['a figure in brackets is text', '（同比增长3%）', '（同比增长3%）', []],
    ['a phrase in brackets without terminal punctuation is text', '（含线上）', '（含线上）', []],
  ])('%s', (_case, ending, bodyEnding, attribution) => {
    const issue = parsed(anIssue({ body: [`${opening}${ending}`] }));
    expect(issue.items[0].body).toBe(`7月1日，区防汛指挥部召开会议${bodyEnding}`);
    expect(issue.items[0].attribution).toEqual(attribution);
  });

  test.each([['（区人社局）'], ['(区人社局)'], ['【区人社局】'], ['——区人社局']])(
    'alone on the last line: %p',
    (attributionLine) => {
      const issue = parsed(
        anIssue({
          body: [
            '我区召开防汛工作会议',
            '7月1日，区防汛指挥部召开会议。',
            attributionLine,
            '第二条标题 第二条正文，内容。',
          ],
        }),
      );
      expect(issue.items.map(({ headline, body, attribution }) => [headline, body, attribution])).toEqual([
        ['我区召开防汛工作会议', '7月1日，区防汛指挥部召开会议。', ['区人社局']],
        ['第二条标题', '第二条正文，内容。', []],
      ]);
    },
  );

  test('a bracket ending an earlier paragraph is text, with a warning', () => {
    const text = anIssue({
      body: [
        '我区召开防汛工作会议',
        '7月1日，区防汛指挥部召开会议。（区人社局）',
        '会议要求，各单位要压实责任，确保安全度汛。',
      ],
    });
    const issue = parsed(text);
    expect(issue.items).toHaveLength(1);
    expect(issue.items[0].body).toBe(
      '7月1日，区防汛指挥部召开会议。（区人社局）\n\n会议要求，各单位要压实责任，确保安全度汛。',
    );
    expect(issue.items[0].attribution).toEqual([]);
    expect(warningsOf(text)).toEqual([expect.stringContaining('区人社局')]);
  });
});

describe('sections', () => {
  test('【工作动态】 alone groups the following items; 【单位】 after an unattributed item is its attribution', () => {
    const issue = parsed(
      anIssue({
        body: [
          '【工作动态】',
          '第一条标题 第一条正文，内容。',
          '【区人社局】',
          '第二条标题 第二条正文，内容。（区财政局）',
          '【基层动态】',
          '第三条标题 第三条正文，内容。',
          '【镇街信息】',
          '第四条标题 第四条正文，内容。',
        ],
      }),
    );
    expect(issue.items.map(({ section, headline, attribution }) => [section, headline, attribution])).toEqual([
      ['工作动态', '第一条标题', ['区人社局']],
      ['工作动态', '第二条标题', ['区财政局']],
      ['基层动态', '第三条标题', []],
      ['镇街信息', '第四条标题', []],
    ]);
  });

  test('【简讯】 in front of a headline sets the section for it and the items after it', () => {
    const issue = parsed(
      anIssue({
        body: [
          '第一条标题 第一条正文，内容。',
          '【简讯】第二条标题 第二条正文，内容。',
          '第三条标题 第三条正文，内容。',
        ],
      }),
    );
    expect(issue.items.map(({ section, headline }) => [section, headline])).toEqual([
      [null, '第一条标题'],
      ['简讯', '第二条标题'],
      ['简讯', '第三条标题'],
    ]);
  });
});

describe('foot', () => {
  test.each([
    ['本期送：区县处级领导', { sendTo: ['区县处级领导'] }],
    ['送：区委、区政府领导', { sendTo: ['区委', '区政府领导'] }],
    ['主送：市委办公室', { sendTo: ['市委办公室'] }],
    ['报：市委值班室', { reportTo: ['市委值班室'] }],
    ['报:市委值班室、市政府值班室', { reportTo: ['市委值班室', '市政府值班室'] }],
    ['報：市委辦公室', { reportTo: ['市委辦公室'] }],
    [
      '发：峡窝镇、各街道办事处、区直各单位负责同志',
      { distributeTo: ['峡窝镇', '各街道办事处', '区直各单位负责同志'] },
    ],
    ['发：峡窝镇，各街道办事处, 区直各单位', { distributeTo: ['峡窝镇', '各街道办事处', '区直各单位'] }],
    ['发：峡窝镇 各街道办事处', { distributeTo: ['峡窝镇', '各街道办事处'] }],
    ['發：各鄉鎮', { distributeTo: ['各鄉鎮'] }],
    ['抄送：市委督查室', { copyTo: ['市委督查室'] }],
    ['抄　送：市委督查室', { copyTo: ['市委督查室'] }],
    ['抄报：市政府督查室', { copyTo: ['市政府督查室'] }],
    ['责任编辑：郝婕 李德昭', { editors: ['郝婕', '李德昭'] }],
    ['责任编辑：郝婕　李德昭', { editors: ['郝婕', '李德昭'] }],
    ['责任编辑：郝　婕 李德昭', { editors: ['郝婕', '李德昭'] }],
    ['責任編輯：王芳', { editors: ['王芳'] }],
    ['编辑：郝婕、李德昭', { editors: ['郝婕', '李德昭'] }],
    ['审核：张三', { reviewer: '张三' }],
    ['签发：李四', { signer: '李四' }],
    ['审核：张三　签发：李四', { reviewer: '张三', signer: '李四' }],
    ['审核：张三签发：李四', { reviewer: '张三', signer: '李四' }],
    ['审　核：张三 签　发：李四', { reviewer: '张三', signer: '李四' }],
    ['審核：張　偉　　簽發：劉建國', { reviewer: '張偉', signer: '劉建國' }],
    ['共印80份', { printRun: 80 }],
    ['（共印80份）', { printRun: 80 }],
    ['(共印 120 份)', { printRun: 120 }],
    ['（共印八十份）', { printRun: 80 }],
    ['签发：李四　　（共印80份）', { signer: '李四', printRun: 80 }],
    [
      '发：峡窝镇、各街道办事处、区直各单\n位负责同志',
      { distributeTo: ['峡窝镇', '各街道办事处', '区直各单位负责同志'] },
    ],
    [
      '发：峡窝镇、各街道办事处、\n区直各单位负责同志',
      { distributeTo: ['峡窝镇', '各街道办事处', '区直各单位负责同志'] },
    ],
    ['报：市委值班室\n市政府值班室', { reportTo: ['市委值班室', '市政府值班室'] }],
    ['责任编辑：郝婕\n李德昭', { editors: ['郝婕', '李德昭'] }],
    [
      '本期送：区县处级领导\n\n发：峡窝镇\n\n责任编辑：郝婕 李德昭',
      { sendTo: ['区县处级领导'], distributeTo: ['峡窝镇'], editors: ['郝婕', '李德昭'] },
    ],
  ])('%p', (footText, expected) => {
    const issue = parsed(anIssue({ foot: footText.split('\n') }));
    const empty = {
      reportTo: [],
      sendTo: [],
      distributeTo: [],
      copyTo: [],
      editors: [],
      reviewer: null,
      signer: null,
      printRun: null,
    };
    const { reportTo, sendTo, distributeTo, copyTo, editors, reviewer, signer, printRun } = issue;
    expect({ reportTo, sendTo, distributeTo, copyTo, editors, reviewer, signer, printRun }).toEqual({
      ...empty,
      ...expected,
    });
    expect(issue.items).toHaveLength(1);
    expect(issue.items[0].body).toBe('7月1日，区防汛指挥部召开会议，部署汛期各项工作。');
  });

  test('审核 printed twice: the first is kept, with a warning; an empty second one changes nothing', () => {
    const text = anIssue({ foot: ['审核：张三', '审核：李四', '签发：王五', '签发：'] });
    expect([parsed(text).reviewer, parsed(text).signer]).toEqual(['张三', '王五']);
    expect(warningsOf(text)).toEqual([expect.stringContaining('审核印了两次')]);
  });

  test('an unknown label in the foot is ignored with a warning', () => {
    const text = anIssue({ foot: ['发：各街道办事处', '联系电话：0371-12345678'] });
    expect(parsed(text).distributeTo).toEqual(['各街道办事处']);
    expect(warningsOf(text)).toEqual([expect.stringContaining('联系电话')]);
  });

  test('no foot at all', () => {
    const issue = parsed(anIssue({ foot: [] }));
    expect(issue.items).toHaveLength(1);
    expect(issue.distributeTo).toEqual([]);
  });
});

describe('errors: the line and what was expected there', () => {
  test.each([
    ['an empty file', '', 1, '文件为空'],
    ['only blank lines', ' \n\u3000\n\r\n', 1, '文件为空'],
    [
      'no issue line',
      '上街信息\n\n中共上街区委办公室\n2020年2月19日\n\n标题 正文，内容。',
      3,
      '应为期号行（如“第14期”',
    ],
    ['no issue line at all, file ends', '上街信息', 2, '应为期号行'],
    ['garbage', 'hello world\nthis is not a bulletin\n%%%', 1, '应为期号行'],
    ['binary garbage', '\u0000\u0001\u0002PK\u0003\u0004\u00ff\u00fe', 2, '应为期号行'],
    [
      'no date',
      '上街信息\n第14期\n中共上街区委办公室\n\n我区召开防汛工作会议 7月1日，区防汛指挥部召开会议。',
      5,
      '应为日期',
    ],
    ['no date, file ends', '上街信息\n第14期\n中共上街区委办公室', 4, '应为日期'],
    ['an impossible date', '上街信息\n第14期\n中共上街区委办公室\n2021年2月29日\n标题 正文，内容。', 4, '不存在'],
    ['no masthead and no option', '第14期\n中共上街区委办公室\n2020年2月19日\n标题 正文，内容。', 1, '刊名'],
    [
      'a head and no items',
      '上街信息\n第14期\n中共上街区委办公室\n2020年2月19日\n\n发：各街道办事处',
      6,
      '应为第一条信息',
    ],
  ])('%s', (_case, text, line, expected) => {
    const errors = errorsOf(text);
    expect(errors).toHaveLength(1);
    expect(errors[0].line).toBe(line);
    expect(errors[0].message).toContain(expected);
    expect(errors[0].message.startsWith(`第 ${line} 行：`)).toBe(true);
  });

  test('the message quotes what was found instead', () => {
    expect(
      errorsOf('上街信息\n第14期\n中共上街区委办公室\n\n我区召开防汛工作会议 7月1日，区防汛指挥部召开会议。')[0]
        .message,
    ).toContain('实际为“我区召开防汛工作会议');
  });
});

describe('robustness: never throws, never an internal error', () => {
  const reference = readFileSync(join(fixtures, 'shangjie-xinxi-2020-14.txt'), 'utf8');
  const weird: [string, unknown][] = [
    ['null bytes', '\u0000\u0000\u0000'],
    ['a lone surrogate', '上街信息\n第14期\n\ud800\n2020年2月19日\n\udfff'],
    ['brackets only', '【\n】\n（\n）\n【】\n（）\n——\n—'],
    ['only labels', '报：\n发：\n本期送：\n责任编辑：\n审核：签发：'],
    ['a head and a foot label only', '上街信息\n第14期\n2020年2月19日\n发：'],
    ['headlines only', '上街信息\n第14期\n2020年2月19日\n标题一\n标题二\n标题三'],
    ['carriage returns only', '\r\r\r\r'],
    ['a very long line', '上街信息\n第14期\n2020年2月19日\n' + '我'.repeat(200000)],
    ['a very long line with spaces', '上街信息\n第14期\n2020年2月19日\n' + '我区 '.repeat(50000)],
    [
      'many short lines cut by page breaks',
      '上街信息\n第14期\n2020年2月19日\n标题 ' + '正文内容，'.repeat(1).concat('\n没有标点的一行'.repeat(20000)),
    ],
    ['many brackets', '上街信息\n第14期\n2020年2月19日\n标题 正文' + '（（（（）'.repeat(20000)],
    ['many dashes', '上街信息\n第14期\n2020年2月19日\n标题 正文' + '—'.repeat(100000)],
    ['not a string', undefined],
    ['a number', 42],
  ];
  test.each(weird)('%s', (_case, input) => {
    let result: ParseResult | undefined;
    expect(() => {
      result = parseBulletin(input as string);
    }).not.toThrow();
    expect(result).toBeDefined();
    if (result !== undefined && !result.ok) {
      for (const error of result.errors) expect(error.message).not.toContain('内部错误');
    }
  });

  test('every prefix and every suffix of the reference issue', () => {
    const lines = reference.split('\n');
    for (let cut = 0; cut <= lines.length; cut += 1) {
      for (const part of [lines.slice(0, cut), lines.slice(cut)]) {
        const result = parseBulletin(part.join('\n'));
        if (!result.ok) for (const error of result.errors) expect(error.message).not.toContain('内部错误');
      }
    }
  });

  test('every line of the reference issue removed in turn', () => {
    const lines = reference.split('\n');
    lines.forEach((_line, index) => {
      const result = parseBulletin([...lines.slice(0, index), ...lines.slice(index + 1)].join('\n'));
      if (!result.ok) for (const error of result.errors) expect(error.message).not.toContain('内部错误');
    });
  });
});

describe('decodeBulletinBytes', () => {
  const text = '上街信息\n第14期\n情況反映';
  const utf8 = Buffer.from(text, 'utf8');
  const gb18030 = Buffer.from([
    // 上街信息\n第14期 in GB18030 (GBK), as a Chinese Windows editor saves it
    0xc9, 0xcf, 0xbd, 0xd6, 0xd0, 0xc5, 0xcf, 0xa2, 0x0d, 0x0a, 0xb5, 0xda, 0x31, 0x34, 0xc6, 0xda,
  ]);
  test.each([
    ['UTF-8', utf8, text],
    ['UTF-8 with a BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8]), text],
    ['UTF-8 with CRLF', Buffer.from(text.replace(/\n/gu, '\r\n'), 'utf8'), text],
    ['UTF-8 with lone CR', Buffer.from(text.replace(/\n/gu, '\r'), 'utf8'), text],
    ['GB18030 with CRLF', gb18030, '上街信息\n第14期'],
    ['UTF-16LE with a BOM', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]), text],
    ['empty', Buffer.alloc(0), ''],
  ])('%s', (_case, bytes, expected) => {
    expect(decodeBulletinBytes(new Uint8Array(bytes))).toBe(expected);
  });

  test('the GB18030 fixture decodes to the same text as its UTF-8 reading would', () => {
    const decoded = fixtureText('import/sheqing-minyi-2023-04.gb18030.txt');
    expect(decoded.startsWith('社情民意\n\n〔2023〕第4期(总第101期)')).toBe(true);
    expect(decoded).not.toContain('\ufffd');
  });
});
