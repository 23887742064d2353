import {
  applyChange,
  itemsChange,
  itemsWriteViolations,
  orderWithMove,
  sameItem,
  type CandidateItem,
  type ItemKey,
  type ItemRef,
} from '../../src/domain/issue-items';
import { ownedFieldViolations, sameOwnedValue } from '../../src/domain/owned-fields';
import { footerDefaults } from '../../src/domain/footer';

const item = (id: number): ItemKey => ({ id, documentId: `doc${id}` });
const all = [1, 2, 3, 4, 5, 6, 7].map(item);
const resolve = (ref: ItemRef) => all.find((each) => sameItem(ref, each)) ?? null;
const ids = (items: ItemKey[]) => items.map((each) => each.id);

describe('itemsChange reads every relation shape Strapi accepts', () => {
  test.each([
    ['not mentioned', undefined, null],
    ['null clears', null, { set: [], connect: [], disconnect: [] }],
    [
      'an array of ids and documentIds sets',
      [1, 'doc2', { documentId: 'doc3' }, { id: 4 }],
      { set: [{ id: 1 }, { documentId: 'doc2' }, { documentId: 'doc3' }, { id: 4 }], connect: [], disconnect: [] },
    ],
    ['{ set }', { set: ['doc1'] }, { set: [{ documentId: 'doc1' }], connect: [], disconnect: [] }],
    [
      'the admin’s connect with a position, and a disconnect',
      {
        connect: [{ id: 5, documentId: 'doc5', position: { before: 'doc2' } }],
        disconnect: [{ id: 1, documentId: 'doc1' }],
      },
      {
        set: null,
        connect: [{ ref: { documentId: 'doc5' }, position: { before: { documentId: 'doc2' } } }],
        disconnect: [{ documentId: 'doc1' }],
      },
    ],
    ['a single value sets', 'doc1', { set: [{ documentId: 'doc1' }], connect: [], disconnect: [] }],
  ])('%s', (_name, input, expected) => {
    expect(itemsChange(input)).toEqual(expected);
  });
});

describe('applyChange gives the list as Strapi leaves it', () => {
  const current = [1, 2, 3].map(item);
  test.each([
    ['connect at the end', { connect: [{ id: 4 }] }, [1, 2, 3, 4]],
    ['connect before another', { connect: [{ id: 4, position: { before: { id: 2 } } }] }, [1, 4, 2, 3]],
    ['connect after another', { connect: [{ id: 4, position: { after: 'doc2' } }] }, [1, 2, 4, 3]],
    ['connect at the start', { connect: [{ id: 4, position: { start: true } }] }, [4, 1, 2, 3]],
    [
      'reorder (a connected item already there moves)',
      { connect: [{ id: 3, position: { before: { id: 1 } } }] },
      [3, 1, 2],
    ],
    ['disconnect', { disconnect: ['doc2'] }, [1, 3]],
    ['set replaces, in its order', { set: [5, 1] }, [5, 1]],
    ['unknown items are ignored', { connect: [{ id: 99 }] }, [1, 2, 3]],
  ])('%s', (_name, input, expected) => {
    const change = itemsChange(input);
    expect(change).not.toBeNull();
    if (change !== null) expect(ids(applyChange(current, change, resolve))).toEqual(expected);
  });
});

describe('itemsWriteViolations', () => {
  const issue14 = { documentId: 'i14', name: '上街信息 2020年第14期', signedOff: true };
  const draft15 = { documentId: 'i15', name: '上街信息 2020年第15期', signedOff: false };
  const candidate = (id: number, overrides: Partial<CandidateItem> = {}): CandidateItem => ({
    ...item(id),
    headline: `信息${id}`,
    state: 'adopted',
    issue: null,
    ...overrides,
  });

  test('an item of a signed-off issue is not taken into a draft: the refusal names the issue as printed', () => {
    const violations = itemsWriteViolations({
      issue: draft15,
      current: [],
      next: [item(2)],
      candidates: [candidate(2, { issue: issue14 })],
    });
    expect(violations).toEqual([
      { path: ['items'], message: '“信息2”已编入已签发的《上街信息》2020年第14期，须先撤回签发' },
    ]);
  });

  test('an item of a draft issue may move to another draft', () => {
    expect(
      itemsWriteViolations({
        issue: draft15,
        current: [],
        next: [item(2)],
        candidates: [candidate(2, { issue: { ...issue14, signedOff: false } })],
      }),
    ).toEqual([]);
  });

  test.each([
    ['taken out', [1, 2], [1], []],
    ['added', [1], [1, 2], [2]],
    ['reordered', [1, 2], [2, 1], []],
  ])('a signed-off issue’s items are not %s', (_name, current, next, candidates) => {
    const violations = itemsWriteViolations({
      issue: issue14,
      current: current.map(item),
      next: next.map(item),
      candidates: candidates.map((id) => candidate(id)),
    });
    expect(violations.map((violation) => violation.message)).toContain(
      '《上街信息》2020年第14期已签发，其中的信息不能移入、移出或调整顺序，须先撤回签发',
    );
  });

  test('an unchanged list of a signed-off issue passes (the form saves other fields)', () => {
    expect(
      itemsWriteViolations({ issue: issue14, current: [item(1), item(2)], next: [item(1), item(2)], candidates: [] }),
    ).toEqual([]);
  });

  test('each item placed that is not adopted is named with its state', () => {
    const violations = itemsWriteViolations({
      issue: draft15,
      current: [],
      next: [item(1), item(2), item(3)],
      candidates: [candidate(1, { state: 'submitted' }), candidate(2), candidate(3, { state: 'withdrawn' })],
    });
    expect(violations.map((violation) => violation.message)).toEqual([
      '“信息1”是“已报送”的信息，只有已采用的信息才能编入期',
      '“信息3”是“已撤回”的信息，只有已采用的信息才能编入期',
    ]);
  });
});

describe('orderWithMove: the one order', () => {
  test.each([
    [[1, 2, 3, 4], null, [1, 2, 3, 4]],
    [[1, 2, 3, 4], { id: 4, position: 1 }, [4, 1, 2, 3]],
    [[1, 2, 3, 4], { id: 1, position: 3 }, [2, 3, 1, 4]],
    [[1, 2, 3, 4], { id: 2, position: 99 }, [1, 3, 4, 2]],
    [[1, 2, 3, 4], { id: 2, position: -5 }, [2, 1, 3, 4]],
    [[1, 2, 3], { id: 9, position: 1 }, [1, 2, 3]],
  ])('%p moving %p → %p', (list, move, expected) => {
    expect(orderWithMove(list, move)).toEqual(expected);
  });

  test('for every list and every move: a permutation, with the moved item at its (clamped) place', () => {
    let seed = 7;
    const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    for (let run = 0; run < 2000; run += 1) {
      const length = Math.floor(random() * 12);
      const list = Array.from({ length }, (_, index) => index * 3 + 1);
      const id = length === 0 ? 1 : list[Math.floor(random() * length)];
      const position = Math.floor(random() * 20) - 4;
      const result = orderWithMove(list, { id, position });
      expect([...result].sort((a, b) => a - b)).toEqual(list);
      if (length > 0) expect(result.indexOf(id)).toBe(Math.min(Math.max(position - 1, 0), length - 1));
    }
  });
});

describe('fields the app owns', () => {
  const stored = {
    title: '上街信息 2020年第14期',
    firstSignedOffAt: '2020-02-19T02:00:00.000Z',
    record: { items: [] },
  };
  test('an echo of the stored values passes', () => {
    expect(
      ownedFieldViolations(
        'api::issue.issue',
        { ...stored, firstSignedOffAt: new Date('2020-02-19T02:00:00Z') },
        stored,
      ),
    ).toEqual([]);
  });
  test('a change is refused, naming the field', () => {
    const violations = ownedFieldViolations(
      'api::issue.issue',
      { firstSignedOffAt: '2026-11-30T00:00:00.000Z', record: { forged: true }, title: 'x' },
      stored,
    );
    expect(violations.map((violation) => violation.path[0])).toEqual(['title', 'firstSignedOffAt', 'record']);
  });
  test('a new document may only leave them empty', () => {
    expect(ownedFieldViolations('api::issue.issue', { title: '', firstSignedOffAt: null }, null)).toEqual([]);
    expect(
      ownedFieldViolations('api::issue.issue', { firstSignedOffAt: '2020-01-01T00:00:00Z' }, null).map(
        (violation) => violation.path[0],
      ),
    ).toEqual(['firstSignedOffAt']);
  });
  test('other types own nothing', () => {
    expect(ownedFieldViolations('api::item.item', { title: 'x' }, null)).toEqual([]);
  });
  test('null, empty and missing are alike; instants compare as instants', () => {
    expect(sameOwnedValue('', null)).toBe(true);
    expect(sameOwnedValue('2020-02-19T10:00:00+08:00', '2020-02-19T02:00:00.000Z')).toBe(true);
    expect(sameOwnedValue('2020-02-19T10:00:00+08:00', '2020-02-19T03:00:00.000Z')).toBe(false);
  });
});

describe('a new issue’s footer', () => {
  const latest = {
    sendTo: [{ group: { documentId: 'g1' } }],
    distributeTo: [{ group: { documentId: 'g2' } }, { group: { documentId: 'g3' } }],
    reportTo: [],
    editors: '郝婕 李德昭',
    reviewer: null,
    issuer: { documentId: 'office' },
  };
  test('starts with the latest issue’s lines where it has none', () => {
    expect(footerDefaults({ sendTo: [], editors: '', issuer: { connect: [], disconnect: [] } }, latest)).toEqual({
      issuer: 'office',
      sendTo: [{ group: 'g1' }],
      distributeTo: [{ group: 'g2' }, { group: 'g3' }],
      editors: '郝婕 李德昭',
    });
  });
  test('keeps what the editor entered', () => {
    expect(footerDefaults({ sendTo: [{ group: 'g9' }], editors: '张三', issuer: 'other' }, latest)).toEqual({
      distributeTo: [{ group: 'g2' }, { group: 'g3' }],
    });
  });
});
