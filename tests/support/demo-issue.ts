/** The GraphQL query a front end sends to render a whole issue, and the reference text it must reproduce. */
import fs from 'fs';
import path from 'path';

export const FULL_ISSUE_QUERY = /* GraphQL */ `
  query DemoIssue($publication: String!, $year: Int!, $number: Int!) {
    issues(filters: { publication: { eq: $publication }, year: { eq: $year }, number: { eq: $number } }) {
      documentId
      publication
      edition
      year
      number
      totalNumber
      date
      columnTitle
      columnInstallment
      editors
      reviewer
      signer
      printRun
      firstSignedOffAt
      labels {
        issueLine
        number
        totalNumber
        installment
        column
        date
      }
      issuer {
        shortName
        fullName
      }
      reportTo {
        group {
          name
        }
      }
      sendTo {
        group {
          name
        }
      }
      distributeTo {
        group {
          name
        }
      }
      copyTo {
        group {
          name
        }
      }
      items(sort: "position:asc", pagination: { limit: 100 }) {
        headline
        body
        position
        section
        units {
          shortName
        }
      }
    }
  }
`;

/**
 * The reference issue as extracted from its PDF, with the extraction's artefacts undone: the spaces around Arabic
 * numerals (第 14 期, 2020 年 2 月 19 日) and the paragraph split by the page break (优先受理 / 小微企业…).
 */
export function referenceText(): string {
  const raw = fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'shangjie-xinxi-2020-14.txt'), 'utf8');
  return raw
    .trim()
    .replace(/第 (\d+) 期/g, '第$1期')
    .replace(/(\d+) 年 (\d+) 月 (\d+) 日/g, '$1年$2月$3日')
    .replace('优先受理\n\n小微企业', '优先受理小微企业')
    .replace(/\n{3,}/g, '\n\n');
}
