import { issueFieldViolations } from '../../src/domain/issue-fields';
import { signsOff } from '../../src/domain/sign-off';

test.each([
  [{ number: 14, year: 2020, date: '2020-02-19', printRun: 80, totalNumber: 560, columnInstallment: 7 }, []],
  [{}, []],
  [{ number: null, date: null, year: null }, []],
  [{ number: 0 }, ['number']],
  [{ number: 1.5 }, ['number']],
  [{ totalNumber: -3 }, ['totalNumber']],
  [{ columnInstallment: 0 }, ['columnInstallment']],
  [{ printRun: 'many' }, ['printRun']],
  [{ year: 1900 }, ['year']],
  [{ date: '2021-02-30' }, ['date']],
  [{ date: 20200219 }, ['date']],
  [{ date: '2020-02-19', year: 2021 }, []], // the year follows the date: a numbering rule (numbering.test.ts)
  [{ number: 0, date: 'x' }, ['number', 'date']],
])('issueFieldViolations(%p) names %p', (input, fields) => {
  expect(issueFieldViolations(input).map((violation) => violation.path.join('.'))).toEqual(fields);
});

test.each([
  ['publish', undefined, true],
  ['create', 'published', true],
  ['update', 'published', true],
  ['create', 'draft', false],
  ['update', undefined, false],
  ['unpublish', undefined, false],
  ['discardDraft', undefined, false],
  ['clone', 'published', false],
])('signsOff(%s, %p) = %p', (action, status, expected) => {
  expect(signsOff(action, status)).toBe(expected);
});
