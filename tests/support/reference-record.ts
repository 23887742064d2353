import { demoIssue, demoItems, demoUnits, ISSUER } from '../../src/demo/reference-issue';
import type { RecordInput } from '../../src/domain/record';

/** The reference issue (上街信息 2020年第14期) as the input of a signed-off record, with overrides. */
const issuerFullName = demoUnits.find((unit) => unit.shortName === ISSUER)?.fullName ?? ISSUER;

export const aReferenceInput = (overrides: Partial<RecordInput> = {}): RecordInput => ({
  documentId: 'reference-2020-14',
  publication: demoIssue.publication,
  edition: demoIssue.edition,
  year: demoIssue.year,
  number: demoIssue.number,
  totalNumber: null,
  date: demoIssue.date,
  columnTitle: demoIssue.columnTitle,
  columnInstallment: demoIssue.columnInstallment,
  printsTotalNumber: false,
  issuer: { shortName: ISSUER, fullName: issuerFullName },
  lines: { reportTo: [], sendTo: [...demoIssue.sendTo], distributeTo: [...demoIssue.distributeTo], copyTo: [] },
  editors: demoIssue.editors,
  reviewer: null,
  signer: null,
  printRun: null,
  items: demoItems.map((item, index) => ({
    position: index + 1,
    section: null,
    headline: item.headline,
    body: item.paragraphs.join('\n\n'),
    units: [item.unit],
  })),
  signedOffAt: '2020-02-19T09:00:00.000Z',
  ...overrides,
});
