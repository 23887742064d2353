import type { Viewer } from '../../src/domain/access';
import { DEFAULT_SCORING, buildStatistics, type CountRow } from '../../src/domain/statistics';
import { aFact } from '../support/adoption-facts';
import {
  noticeHtml,
  publicRow,
  statisticsView,
  visibleRows,
  type StatisticsReport,
} from '../../src/domain/statistics-report';

// Given three units, two of which have adoptions
const counts: CountRow[] = [
  { unitId: 1, unitName: '区人社局', sortOrder: 1, submitted: 2, returned: 0, withdrawn: 0 },
  { unitId: 2, unitName: '峡窝镇', sortOrder: 2, submitted: 1, returned: 1, withdrawn: 0 },
  { unitId: 3, unitName: '矿山街道', sortOrder: 3, submitted: 0, returned: 0, withdrawn: 0 },
];
const fact = (unitId: number, itemId: number) =>
  aFact({ unitId, unitName: counts[unitId - 1].unitName, itemId, itemHeadline: `第${itemId}条` });
const rows = buildStatistics(counts, [fact(1, 1), fact(1, 2), fact(2, 3)], DEFAULT_SCORING);

test.each<[string, Viewer, boolean, ReturnType<typeof statisticsView>]>([
  ['staff', { kind: 'staff' }, false, { visibility: 'all', ownUnits: null }],
  [
    'a contributor, ranking not published',
    { kind: 'contributor', userId: 7, unitIds: [2] },
    false,
    { visibility: 'own', ownUnits: [2] },
  ],
  [
    'a contributor, ranking published',
    { kind: 'contributor', userId: 7, unitIds: [2] },
    true,
    { visibility: 'ranking', ownUnits: [2] },
  ],
  ['a reader', { kind: 'reader', userId: 8, unitId: 2 }, true, null],
  ['nobody', { kind: 'nobody' }, true, null],
])('statisticsView: %s', (_name, viewer, published, view) => {
  expect(statisticsView(viewer, published)).toEqual(view);
});

test.each([
  ['all', [1, 2, 3], [1, 2, 3], [1, 2, 3]],
  ['own', [2], [null], [2]],
  ['ranking', [1, 2, 3], [1, 2, 3], [2]],
] as const)('the %s view: which rows, which ranks, whose breakdowns', (visibility, unitIds, ranks, breakdownsOf) => {
  const view = { visibility, ownUnits: visibility === 'all' ? null : [2] };
  const shown = visibleRows(rows, view).map((row) => publicRow(row, view, `doc-${row.unitId}`, row.breakdown));
  expect(shown.map((row) => row.unitId)).toEqual(unitIds);
  expect(shown.map((row) => row.rank)).toEqual(ranks);
  expect(shown.filter((row) => row.breakdown !== null).map((row) => row.unitId)).toEqual(breakdownsOf);
  expect(shown.every((row) => !('sortOrder' in row))).toBe(true);
});

test('the notice escapes every name and has no script or outside resource', () => {
  const view = { visibility: 'all', ownUnits: null } as const;
  const hostile = buildStatistics([{ ...counts[0], unitName: '<img src=x onerror=alert(1)>' }], [], DEFAULT_SCORING);
  const report: StatisticsReport = {
    publication: '上街信息',
    publicationLabel: '上街信息',
    period: { from: '2020-02-01', to: '2020-02-29', label: '2020年2月' },
    timeZone: 'Asia/Shanghai',
    visibility: 'all',
    rankingPublished: false,
    scoring: DEFAULT_SCORING,
    rows: hostile.map((row) => publicRow(row, view, null, null)),
  };
  const html = noticeHtml(report, '2020-03-02');
  expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  expect(html).not.toMatch(/<img|<script|https?:/);
  expect(html).toContain('2020年3月2日');
});
