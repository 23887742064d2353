import { adminViews, applyView } from '../../src/strapi/admin-views';

const defaults = () => ({
  settings: { mainField: 'documentId', defaultSortBy: 'documentId', defaultSortOrder: 'ASC' },
  metadatas: {
    number: { edit: { label: 'number', description: '' }, list: { label: 'number' } },
    date: { edit: { label: 'date', description: '' }, list: { label: 'date' } },
    publication: { edit: { label: 'publication', description: '' }, list: { label: 'publication' } },
    year: { edit: { label: 'year', description: '' }, list: { label: 'year' } },
  },
  layouts: { list: ['id', 'documentId'], edit: [] },
});
const issueView = adminViews['api::issue.issue'];

test('the first time, labels, descriptions, list columns and sorting are applied', () => {
  const applied = applyView(defaults(), issueView, true);
  expect(applied.metadatas.number.edit).toEqual({ label: '期号', description: issueView.fields.number.description });
  expect(applied.metadatas.number.list).toEqual({ label: '期号' });
  expect(applied.layouts.list).toEqual(['publication', 'year', 'number', 'date']);
  expect(applied.settings).toMatchObject({ defaultSortBy: 'date', defaultSortOrder: 'DESC' });
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
