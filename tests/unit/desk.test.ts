import fc from 'fast-check';
import {
  alwaysPrintedLines,
  isDocumentId,
  deskPermissions,
  deskRefusal,
  excerpt,
  matchesFilter,
  moveTo,
  personName,
  placeAt,
  reviewQueue,
  saveListViolations,
  signOffChecklist,
  staleVersionMessage,
  tray,
  type DeskAbility,
  type DeskItem,
  type LineCounts,
} from '../../src/domain/desk';

const none: DeskAbility = {
  unitStaff: false,
  readIssues: false,
  updateIssues: false,
  createIssues: false,
  updateItems: false,
  publishIssues: false,
};
const editor: DeskAbility = { ...none, readIssues: true, updateIssues: true, createIssues: true, updateItems: true };
const signer: DeskAbility = { ...none, readIssues: true, publishIssues: true };

describe('who may use the desk', () => {
  test.each([
    ['editor', editor, { open: true, review: true, compose: true, signOff: false }],
    ['signer', signer, { open: true, review: false, compose: false, signOff: true }],
    [
      'editor and signer',
      { ...editor, publishIssues: true },
      { open: true, review: true, compose: true, signOff: true },
    ],
    [
      'unit staff',
      { ...none, unitStaff: true, updateItems: true },
      { open: false, review: false, compose: false, signOff: false },
    ],
    [
      'unit staff with every permission',
      { ...editor, publishIssues: true, unitStaff: true },
      { open: false, review: false, compose: false, signOff: false },
    ],
    ['nobody', none, { open: false, review: false, compose: false, signOff: false }],
  ])('%s', (_name, ability, expected) => {
    expect(deskPermissions(ability)).toEqual(expected);
  });

  test.each([
    [editor, 'signOff', '须为签发人'],
    [signer, 'compose', '须为编辑'],
    [signer, 'review', '须为编辑'],
    [{ ...none, unitStaff: true }, 'open', '没有使用编排台的权限'],
    [{ ...none, unitStaff: true }, 'compose', '没有使用编排台的权限'],
  ] as const)('refusal %#', (ability, action, message) => {
    expect(deskRefusal(deskPermissions(ability), action)).toContain(message);
  });

  test('allowed actions have no refusal', () => {
    expect(deskRefusal(deskPermissions(editor), 'compose')).toBeNull();
    expect(deskRefusal(deskPermissions(signer), 'signOff')).toBeNull();
  });
});

const item = (over: Partial<DeskItem>): DeskItem => ({
  documentId: 'a',
  headline: '标题',
  body: '正文',
  units: ['区人社局'],
  adoptionKind: 'single',
  state: 'submitted',
  submitter: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  issue: null,
  section: null,
  ...over,
});

describe('queue and tray', () => {
  const items = [
    item({ documentId: 'old', createdAt: '2026-01-01T00:00:00.000Z' }),
    item({ documentId: 'new', createdAt: '2026-01-03T00:00:00.000Z', units: ['峡窝镇'], headline: '春耕备耕' }),
    item({
      documentId: 'adopted',
      state: 'adopted',
      updatedAt: '2026-01-02T00:00:00.000Z',
      units: ['区人社局', '峡窝镇'],
    }),
    item({ documentId: 'adopted-late', state: 'adopted', updatedAt: '2026-01-05T00:00:00.000Z' }),
    item({ documentId: 'placed', state: 'adopted', issue: 'issue-1' }),
    item({ documentId: 'returned', state: 'returned' }),
  ];
  test('the queue is the submitted items, newest first', () => {
    expect(reviewQueue(items).map((each) => each.documentId)).toEqual(['new', 'old']);
  });
  test('the tray is the adopted items in no issue, latest adopted first, less those in the list', () => {
    expect(tray(items).map((each) => each.documentId)).toEqual(['adopted-late', 'adopted']);
    expect(tray(items, {}, ['adopted-late']).map((each) => each.documentId)).toEqual(['adopted']);
  });
  test.each([
    [{ unit: '峡窝镇' }, ['adopted']],
    [{ unit: '区人社局' }, ['adopted-late', 'adopted']],
    [{ text: '人社' }, ['adopted-late', 'adopted']],
    [{ unit: '区财政局' }, []],
  ])('filters %j', (filter, expected) => {
    expect(tray(items, filter).map((each) => each.documentId)).toEqual(expected);
  });
  test.each([
    ['春耕', true],
    ['春 耕', true],
    ['ＡＢＣ', false],
    ['', true],
  ])('text filter %s', (text, expected) => {
    expect(matchesFilter(item({ headline: '春耕备耕' }), { text })).toBe(expected);
  });
  test('excerpts join paragraphs and cut long bodies', () => {
    expect(excerpt('第一段。\n\n第二段。')).toBe('第一段。 第二段。');
    expect(excerpt('一二三四五六', 3)).toBe('一二三…');
  });
});

describe('order', () => {
  test('a move keeps every entry once, puts the moved one where asked, and the others in their order', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer(), { minLength: 1, maxLength: 30 }),
        fc.nat(),
        fc.integer({ min: -5, max: 40 }),
        (list, pick, to) => {
          const from = pick % list.length;
          const moved = moveTo(list, from, to);
          expect([...moved].sort()).toEqual([...list].sort());
          expect(moved[Math.max(0, Math.min(list.length - 1, to))]).toBe(list[from]);
          expect(moved.filter((each) => each !== list[from])).toEqual(list.filter((each) => each !== list[from]));
        },
      ),
    );
  });

  test.each([
    [0, 2, ['b', 'c', 'a']],
    [2, 0, ['c', 'a', 'b']],
    [1, -5, ['b', 'a', 'c']],
    [1, 99, ['a', 'c', 'b']],
    [7, 0, ['a', 'b', 'c']],
  ])('moveTo(%i → %i)', (from, to, expected) => {
    expect(moveTo(['a', 'b', 'c'], from, to)).toEqual(expected);
  });
  test.each([
    ['d', undefined, ['a', 'b', 'c', 'd']],
    ['d', 0, ['d', 'a', 'b', 'c']],
    ['a', 2, ['b', 'c', 'a']],
  ])('placeAt(%s, %s)', (entry, at, expected) => {
    expect(placeAt(['a', 'b', 'c'], entry, at)).toEqual(expected);
  });
});

const lines = (over: Partial<LineCounts> = {}): LineCounts => ({
  reportTo: 0,
  sendTo: 0,
  distributeTo: 0,
  copyTo: 0,
  ...over,
});

describe('the sign-off checklist', () => {
  const ready = {
    hasIssuer: true,
    date: '2026-01-02',
    items: [{ headline: '甲', state: 'adopted' as const }],
    lines: lines({ sendTo: 1 }),
    expectedLines: ['sendTo' as const],
  };
  test('ready: nothing listed', () => {
    expect(signOffChecklist(ready)).toEqual([]);
  });
  test.each([
    ['no issuer', { hasIssuer: false }, ['issuer'], '编印单位'],
    ['no date', { date: null }, ['date'], '签发日期'],
    ['no items', { items: [] }, ['items'], '至少编入一条信息'],
    ['an item not adopted', { items: [{ headline: '乙', state: 'returned' as const }] }, ['items'], '“乙”（已退回）'],
    ['a footer line always printed is missing', { lines: lines() }, ['sendTo'], '本期送'],
  ])('%s', (_name, change, path, message) => {
    const listed = signOffChecklist({ ...ready, ...change });
    expect(listed).toHaveLength(1);
    expect(listed[0].path).toEqual(path);
    expect(listed[0].message).toContain(message);
  });
  test('every problem at once', () => {
    expect(
      signOffChecklist({
        hasIssuer: false,
        date: null,
        items: [],
        lines: lines(),
        expectedLines: ['reportTo', 'distributeTo'],
      }).map((each) => each.path[0]),
    ).toEqual(['issuer', 'date', 'items', 'reportTo', 'distributeTo']);
  });
  test.each([
    [[], []],
    [[lines({ sendTo: 2, distributeTo: 1 })], ['sendTo', 'distributeTo']],
    [[lines({ sendTo: 2, distributeTo: 1 }), lines({ sendTo: 1 })], ['sendTo']],
    [
      [lines({ reportTo: 1, copyTo: 1 }), lines({ reportTo: 3, copyTo: 1 }), lines({ reportTo: 1, copyTo: 2 })],
      ['reportTo', 'copyTo'],
    ],
  ])('lines always printed by %j', (latest, expected) => {
    expect(alwaysPrintedLines(latest)).toEqual(expected);
  });
});

describe('saves', () => {
  const current = { version: '2026-01-02T03:04:05.000Z', savedBy: '郝婕' };
  test.each([
    ['2026-01-02T03:04:05.000Z', null],
    ['2026-01-02T11:04:05+08:00', null],
  ])('the same version (%s) passes', (based, expected) => {
    expect(staleVersionMessage(based, current)).toBe(expected);
  });
  test.each([['2026-01-02T03:04:04.000Z'], [null], [undefined], ['不是时间']])(
    'an older or missing version (%s) names who saved',
    (based) => {
      expect(staleVersionMessage(based, current)).toContain('郝婕已在您打开之后保存了这一期');
    },
  );
  test('someone unknown', () => {
    expect(staleVersionMessage('x', { version: 'y', savedBy: null })).toContain('其他用户');
  });
  test('the list: each once, adopted, in no other issue, existing', () => {
    const found = [
      { documentId: 'a', headline: '甲', state: 'adopted' as const, issue: null },
      { documentId: 'b', headline: '乙', state: 'submitted' as const, issue: null },
      { documentId: 'c', headline: '丙', state: 'adopted' as const, issue: 'other' },
      { documentId: 'd', headline: '丁', state: 'adopted' as const, issue: 'this' },
    ];
    expect(saveListViolations(['a', 'd'], found, 'this')).toEqual([]);
    const messages = saveListViolations(['a', 'a', 'b', 'c', 'x'], found, 'this').map((each) => each.message);
    expect(messages).toHaveLength(4);
    expect(messages[0]).toContain('出现了两次');
    expect(messages[1]).toContain('“乙”是“已报送”的信息');
    expect(messages[2]).toContain('“丙”已被编入另一期');
    expect(messages[3]).toContain('没有信息 x');
  });
  test.each([
    [{ firstname: '婕', lastname: '郝' }, '郝婕'],
    [{ firstname: '', lastname: '', email: 'a@b.cn' }, 'a@b.cn'],
    [null, null],
  ])('person name %j', (user, expected) => {
    expect(personName(user)).toBe(expected);
  });
});

test.each([
  ['brn4w8ahsfo39igvh3lhxzvg', true],
  ['', false],
  ['a\u0000b', false],
  ['a b', false],
  [['a'], false],
  [42, false],
  ['x'.repeat(65), false],
])('documentId %j: %s', (value, expected) => {
  expect(isDocumentId(value)).toBe(expected);
});
