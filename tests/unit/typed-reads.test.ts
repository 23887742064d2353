import { typedShapeAccepted, TYPED_POSITIONS, type TypedField, type TypedPosition } from '../../src/domain/typed-reads';

/** Which selections of Strapi's own types a kept answer may stand for (src/domain/typed-reads.ts). */

const SCALARS: Record<TypedPosition['model'], string[]> = {
  issue: ['documentId', 'publication', 'number', 'date', 'editors'],
  item: ['documentId', 'headline', 'body', 'position'],
  unit: ['documentId', 'shortName', 'fullName'],
  recipient: ['id', 'label'],
  group: ['documentId', 'name'],
};
const isScalar = (model: TypedPosition['model'], field: string) => SCALARS[model].includes(field);

/** A field from a compact notation: `name`, `name(arg)`, `name@`, `name...` and sub-fields. */
const f = (spec: string, ...fields: TypedField[]): TypedField => {
  const match = /^(\w+)(?:\(([\w,]*)\))?([@.]*)$/.exec(spec) as RegExpExecArray;
  const [name, args, marks] = [match[1], match[2] as string | undefined, match[3]];
  return {
    name,
    args: args === undefined || args === '' ? [] : args.split(','),
    directives: marks.includes('@'),
    fragments: marks.includes('...'),
    fields: fields.length === 0 ? null : fields,
  };
};
const issue = (...fields: TypedField[]) => f('issue(documentId)', ...fields);

test.each<[string, TypedField, boolean]>([
  ['scalars of the issue', issue(f('documentId'), f('number'), f('__typename')), true],
  [
    'the README’s nested query',
    issue(
      f('number'),
      f('items', f('headline'), f('units', f('shortName')), f('issue', f('number'))),
      f('sendTo', f('label'), f('group', f('name'))),
      f('distributeTo', f('group', f('name'))),
      f('issuer', f('fullName')),
    ),
    true,
  ],
  [
    'every recipient line',
    issue(f('reportTo', f('id')), f('sendTo', f('id')), f('distributeTo', f('id')), f('copyTo', f('id'))),
    true,
  ],
  ['another root field', f('issues(documentId)', f('number')), false],
  ['another root argument', f('issue(documentId,status)', f('number')), false],
  ['no argument', f('issue()', f('number')), false],
  ['a directive on the root', f('issue(documentId)@', f('number')), false],
  ['a fragment at the root', f('issue(documentId)...', f('number')), false],
  ['a fragment below', issue(f('items...', f('headline'))), false],
  ['a directive below', issue(f('number@')), false],
  ['a nested argument', issue(f('items(pagination)', f('headline'))), false],
  ['a relation not followed: an item’s issue’s items', issue(f('items', f('issue', f('items', f('headline'))))), false],
  ['a relation not followed: a group’s units', issue(f('sendTo', f('group', f('units', f('shortName'))))), false],
  ['a connection', issue(f('items_connection', f('nodes', f('headline')))), false],
  ['an unknown field', issue(f('secret')), false],
  ['a relation asked as a scalar', issue(f('items')), false],
  ['a scalar with sub-fields', issue(f('number', f('x'))), false],
])('%s → %s', (_name, root, accepted) => {
  expect(typedShapeAccepted(root, isScalar)).toBe(accepted);
});

test('each relation followed leads to a position, and the leaves follow nothing', () => {
  for (const position of Object.values(TYPED_POSITIONS))
    for (const next of Object.values(position.follow)) expect(TYPED_POSITIONS[next]).toBeDefined();
  expect(
    Object.entries(TYPED_POSITIONS)
      .filter(([name]) => name.endsWith('Leaf'))
      .map(([, position]) => Object.keys(position.follow)),
  ).toEqual([[], [], []]);
});
