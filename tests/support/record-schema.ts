import { buildSchema, type GraphQLSchema } from 'graphql';

/**
 * The record's GraphQL contract, written out by hand from the printed bulletin (/work/shared/FORMAT.md, "Anatomy of
 * a bulletin issue": masthead, issue line, issuing office, date, column with installment, items with attribution,
 * the recipient lines and the other footer lines) and from what the API promises its readers (README: "REST and
 * GraphQL (front ends)") — deliberately NOT built from the code's own description (RECORD_TYPES / RECORD_QUERIES in
 * src/strapi/record-graphql.ts), so that a wrong type there (a nullable field made non-null, an Int made a String, a
 * field missing or extra) shows up as a disagreement:
 * - tests/unit/record-graphql.test.ts: the description says field for field what this text says, and graphql-js on
 *   this schema answers exactly what the fast path's projection answers;
 * - tests/integration/record.test.ts: the schema the running app serves (introspection over HTTP) has these types,
 *   fields and arguments, whatever made them.
 *
 * Each field says which printed part it holds. Query has the two record fields, plus `issue` and `list` to execute
 * selections on a given value (the unit tests).
 */
export const RECORD_SDL = /* GraphQL */ `
  "One signed-off issue as printed."
  type BulletinIssue {
    documentId: String!
    "masthead (刊名): 上街信息"
    publication: String!
    "issue line: regular, or 增刊 (supplement) / 专刊 (special), each numbered on its own"
    edition: String!
    year: Int!
    "issue line: 第14期 (期号, restarts every year); none before numbering"
    number: Int
    "issue line: （总第N期）, where the publication prints it"
    totalNumber: Int
    "date: 2020-02-19 (the sign-off date); none before it is set"
    date: String
    labels: BulletinLabels!
    "issuing office: 中共上街区委办公室, when the issue names one"
    issuer: BulletinIssuer
    "column / series title with installment, when the issue carries one"
    column: BulletinColumn
    "items, in order"
    items: [BulletinItem!]!
    "footer: 报 / 本期送 / 发 / 抄送, 责任编辑, 审核 / 签发, 共印N份"
    footer: [BulletinFooterLine!]!
    signedOffAt: String!
    version: Int!
  }

  type BulletinLabels {
    "第14期, 增刊第7期, 第14期（总第560期）"
    issueLine: String!
    number: String
    totalNumber: String
    "（七）"
    installment: String
    column: String
    "2020年2月19日"
    date: String
  }

  type BulletinIssuer {
    shortName: String!
    fullName: String!
  }

  type BulletinColumn {
    title: String!
    installment: Int
    label: String!
  }

  type BulletinItem {
    position: Int!
    "section label 【工作动态】, where the items are grouped"
    section: String
    headline: String!
    body: String!
    paragraphs: [String!]!
    "the contributing units' short names"
    units: [String!]!
    "（区人社局）, empty for the issuing office's own item"
    attribution: String!
  }

  type BulletinFooterLine {
    key: String!
    "本期送, 发, 责任编辑, …"
    label: String!
    text: String!
  }

  type BulletinIssueSummary {
    documentId: String!
    publication: String!
    edition: String!
    year: Int!
    number: Int
    totalNumber: Int
    date: String
    labels: BulletinLabels!
    issuer: String
    headlines: [String!]!
  }

  type BulletinIssueList {
    nodes: [BulletinIssueSummary!]!
    pageInfo: Pagination!
  }

  type Pagination {
    total: Int!
    page: Int!
    pageSize: Int!
    pageCount: Int!
  }

  type Query {
    bulletinIssue(publication: String!, year: Int!, number: Int!, edition: String = "regular"): BulletinIssue
    bulletinIssues(publication: String, year: Int, page: Int, pageSize: Int): BulletinIssueList!
    issue: BulletinIssue
    list: BulletinIssueList!
  }
`;

export function recordSchema(): GraphQLSchema {
  return buildSchema(RECORD_SDL);
}
