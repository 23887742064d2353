import { violatedIndex } from '../../src/strapi/indexes';

test.each([
  [{ code: '23505', constraint: 'issues_number_draft_unique' }, 'number'],
  [{ code: '23505', constraint: 'issues_total_number_draft_unique' }, 'totalNumber'],
  [{ code: '23505', constraint: 'units_short_name_unique' }, 'shortName'],
  [
    {
      code: 'SQLITE_CONSTRAINT_UNIQUE',
      message:
        'insert into `issues` … - UNIQUE constraint failed: issues.publication, issues.column_title, issues.column_installment',
    },
    'columnInstallment',
  ],
  [{ code: 'SQLITE_CONSTRAINT_UNIQUE', message: 'UNIQUE constraint failed: recipient_groups.name' }, 'name'],
])('a unique violation %p names the field %s', (error, field) => {
  expect(violatedIndex(error)?.field).toBe(field);
});

test.each([
  [{ code: '23505', constraint: 'someone_elses_index' }],
  [{ code: '23503' }],
  [new Error('boom')],
  [null],
  ['text'],
])('%p is not one of ours', (error) => {
  expect(violatedIndex(error)).toBeNull();
});
