import { adminViews, applyView } from '../../src/strapi/admin-views';

const defaults = () => ({
  settings: { mainField: 'documentId', defaultSortBy: 'documentId', defaultSortOrder: 'ASC' },
  metadatas: {
    number: { edit: { label: 'number', description: '' }, list: { label: 'number' } },
    date: { edit: { label: 'date', description: '' }, list: { label: 'date' } },
    publication: { edit: { label: 'publication', description: '' }, list: { label: 'publication' } },
    year: { edit: { label: 'year', description: '' }, list: { label: 'year' } },
    title: { edit: { label: 'title', description: '' }, list: { label: 'title' } },
    columnTitle: { edit: { label: 'columnTitle', description: '' }, list: { label: 'columnTitle' } },
    record: { edit: { label: 'record', description: '' }, list: { label: 'record' } },
    firstSignedOffAt: { edit: { label: 'firstSignedOffAt', description: '' }, list: { label: 'firstSignedOffAt' } },
  },
  layouts: {
    list: ['id', 'documentId'],
    edit: [
      [
        { name: 'title', size: 6 },
        { name: 'record', size: 12 },
      ],
      [{ name: 'record', size: 12 }],
      [{ name: 'number', size: 4 }],
    ] as unknown,
  },
});
const issueView = adminViews['api::issue.issue'];

test('the first time, labels, descriptions, list columns and sorting are applied', () => {
  const applied = applyView(defaults(), issueView, true);
  expect(applied.metadatas.number.edit).toEqual({ label: '期号', description: issueView.fields.number.description });
  expect(applied.metadatas.number.list).toEqual({ label: '期号' });
  expect(applied.layouts.list).toEqual(['title', 'date', 'columnTitle']);
  expect(applied.settings).toMatchObject({ mainField: 'title', defaultSortBy: 'date', defaultSortOrder: 'DESC' });
});

test('later, what an editor changed is kept; only labels still at their defaults are set', () => {
  const edited = defaults();
  edited.metadatas.number.edit = { label: '期数', description: '自己写的说明' };
  edited.layouts.list = ['number'];
  const applied = applyView(edited, issueView, false);
  expect(applied.metadatas.number.edit).toEqual({ label: '期数', description: '自己写的说明' });
  expect(applied.metadatas.date.edit?.label).toBe('签发日期');
  expect(applied.layouts.list).toEqual(['number']);
  expect(applied.settings.defaultSortBy).toBe('documentId');
});

test('fields the app owns are locked at every start, whatever the layout says: the record never in the form', () => {
  const edited = defaults();
  edited.metadatas.firstSignedOffAt.edit = { label: '首次签发时间', description: '', editable: true } as never;
  const applied = applyView(edited, issueView, false);
  expect(applied.metadatas.firstSignedOffAt.edit).toMatchObject({ editable: false, visible: true });
  expect(applied.metadatas.year.edit).toMatchObject({ editable: false });
  expect(applied.metadatas.title.edit).toMatchObject({ editable: false, visible: false });
  expect(applied.metadatas.record.edit).toMatchObject({ editable: false, visible: false });
  expect(applied.layouts.edit).toEqual([[{ name: 'number', size: 4 }]]);
});

test('the first time, the form is laid out in the order an editor fills it; fields it does not name follow', () => {
  const current = defaults();
  (current.metadatas as Record<string, unknown>).extra = { edit: { label: 'extra' }, list: { label: 'extra' } };
  current.layouts.edit = [
    [
      { name: 'extra', size: 6 },
      { name: 'record', size: 12 },
    ],
    [{ name: 'date', size: 4 }],
  ] as unknown;
  const applied = applyView(current, issueView, true);
  expect(applied.layouts.edit).toEqual([
    [{ name: 'publication', size: 6 }],
    [
      { name: 'date', size: 4 },
      { name: 'number', size: 4 },
    ],
    [{ name: 'columnTitle', size: 8 }],
    [{ name: 'firstSignedOffAt', size: 6 }],
    [{ name: 'extra', size: 6 }],
  ]);
});

test('an install still naming issues by their column moves to the printed name; a name an editor chose stays', () => {
  const old = defaults();
  old.settings.mainField = 'columnTitle';
  expect(applyView(old, issueView, false).settings.mainField).toBe('title');
  const chosen = defaults();
  chosen.settings.mainField = 'publication';
  expect(applyView(chosen, issueView, false).settings.mainField).toBe('publication');
});
