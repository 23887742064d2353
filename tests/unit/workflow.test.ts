import {
  contributorWrite,
  itemOutcomeViolations,
  signOffViolations,
  frozenViolations,
  staffWrite,
  unitDeletionViolations,
  type ItemOutcome,
  type ItemState,
} from '../../src/domain/workflow';

const paths = (violations: { path: string[] }[]) => violations.map((violation) => violation.path.join('.'));

describe('contributorWrite', () => {
  test.each([
    ['a new item', [], undefined, null, 'submitted', []],
    ['a new item asking to be submitted', ['state'], 'submitted', null, 'submitted', []],
    ['a new item asking to be adopted', ['state'], 'adopted', null, 'submitted', ['state']],
    ['a new item placed in an issue', ['issue', 'position'], undefined, null, 'submitted', ['issue', 'position']],
    ['editing a submitted item', ['body'], undefined, 'submitted', 'submitted', []],
    ['editing a returned item: submitted again', ['body'], undefined, 'returned', 'submitted', []],
    ['withdrawing a submitted item', ['state'], 'withdrawn', 'submitted', 'withdrawn', []],
    ['withdrawing a returned item', ['state'], 'withdrawn', 'returned', 'withdrawn', []],
    ['adopting their own item', ['state'], 'adopted', 'submitted', 'submitted', ['state']],
    ['editing an adopted item', ['body'], undefined, 'adopted', 'adopted', ['state']],
    ['editing a withdrawn item', ['body'], undefined, 'withdrawn', 'withdrawn', ['state']],
    ['setting a return reason', ['returnReason'], undefined, 'returned', 'submitted', ['returnReason']],
  ] as [string, string[], unknown, ItemState | null, ItemState, string[]][])(
    '%s',
    (_case, touched, requested, current, state, forbidden) => {
      const decision = contributorWrite(touched, requested, current);
      expect(decision.state).toBe(state);
      expect(paths(decision.forbidden)).toEqual(forbidden);
    },
  );
});

describe('staffWrite', () => {
  test.each([
    [undefined, null, 'submitted', []],
    ['adopted', null, 'adopted', []],
    ['adopted', 'submitted', 'adopted', []],
    ['returned', 'submitted', 'returned', []],
    ['adopted', 'returned', 'adopted', []],
    ['submitted', 'adopted', 'submitted', []],
    ['submitted', 'withdrawn', 'submitted', []],
    ['adopted', 'withdrawn', 'withdrawn', ['state']],
    ['withdrawn', 'adopted', 'adopted', ['state']],
    ['published', 'submitted', 'submitted', ['state']],
  ] as [unknown, ItemState | null, ItemState, string[]][])('%p from %p → %p', (requested, current, state, invalid) => {
    const decision = staffWrite(requested, current);
    expect(decision.state).toBe(state);
    expect(paths(decision.invalid)).toEqual(invalid);
  });
});

const anOutcome = (overrides: Partial<ItemOutcome> = {}): ItemOutcome => ({
  state: 'adopted',
  returnReason: null,
  inIssue: true,
  signedOffIssueName: null,
  unitCount: 1,
  inactiveUnits: [],
  headline: '区人社局开通创业担保贷款“绿色通道”',
  ...overrides,
});

test.each([
  [{}, []],
  [{ unitCount: 0 }, ['units']],
  [{ inactiveUnits: ['区财政局'] }, ['units']],
  [{ state: 'returned', inIssue: false }, ['returnReason']],
  [{ state: 'returned', inIssue: false, returnReason: '  ' }, ['returnReason']],
  [{ state: 'returned', inIssue: false, returnReason: '请补充' }, []],
  [{ state: 'submitted' }, ['issue']],
  [{ signedOffIssueName: '上街信息 2020年第14期' }, ['issue']],
] as [Partial<ItemOutcome>, string[]][])('itemOutcomeViolations(%p) → %p', (overrides, expected) => {
  expect(paths(itemOutcomeViolations(anOutcome(overrides)))).toEqual(expected);
});

const items = (...states: ItemState[]) => states.map((state, index) => ({ headline: `信息${index + 1}`, state }));

test.each([
  [{ hasIssuer: true, date: '2020-02-19', items: items('adopted') }, []],
  [{ hasIssuer: false, date: null, items: [] }, ['issuer', 'date', 'items']],
  [{ hasIssuer: true, date: '2020-02-19', items: items('adopted', 'submitted', 'returned') }, ['items']],
] as [{ hasIssuer: boolean; date: string | null; items: { headline: string; state: ItemState }[] }, string[]][])(
  'signOffViolations(%p) lists every problem',
  (issue, expected) => {
    expect(paths(signOffViolations(issue))).toEqual(expected);
  },
);

test('signOffViolations counts the items not adopted and names each with its state', () => {
  const violation = signOffViolations({
    hasIssuer: true,
    date: '2020-02-19',
    items: items('adopted', 'submitted', 'returned'),
  })[0] as ReturnType<typeof signOffViolations>[number] | undefined;
  expect(violation?.message).toBe('有 2 条信息尚未采用，不能签发：“信息2”（已报送）、“信息3”（已退回）');
});

test('an item placed while not adopted is refused, naming it and its state', () => {
  expect(itemOutcomeViolations(anOutcome({ state: 'submitted' }))[0]?.message).toBe(
    '“区人社局开通创业担保贷款“绿色通道””是“已报送”的信息，只有已采用的信息才能编入期',
  );
});

test('an item in a signed-off issue: the refusal names the issue as printed', () => {
  expect(frozenViolations('上街信息 2020年第14期')).toEqual([
    { path: ['issue'], message: '已编入已签发的《上街信息》2020年第14期，须先撤回签发' },
  ]);
  expect(frozenViolations(null)).toEqual([]);
});

test('a unit that items name cannot be deleted', () => {
  expect(unitDeletionViolations(0)).toEqual([]);
  expect(paths(unitDeletionViolations(3))).toEqual(['active']);
});
