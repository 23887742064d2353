import { buildSchema, type GraphQLSchema } from 'graphql';

/**
 * The record's GraphQL contract, written out by hand from what the API promises its readers (README, the record's
 * types in src/domain/record.ts and src/domain/labels.ts) — deliberately NOT built from the code's own description
 * (RECORD_TYPES / RECORD_QUERIES in src/strapi/record-graphql.ts), so that a wrong type there (a nullable field made
 * non-null, an Int made a String, a field missing) shows up as a disagreement with graphql-js on this schema.
 * tests/unit/record-graphql.test.ts also checks that the description says the same as this text, field by field.
 *
 * Query has the two record fields, plus `issue` and `list` to execute selections on a given value.
 */
export const RECORD_SDL = /* GraphQL */ `
  type BulletinIssue {
    documentId: String!
    publication: String!
    edition: String!
    year: Int!
    number: Int
    totalNumber: Int
    date: String
    labels: BulletinLabels!
    issuer: BulletinIssuer
    column: BulletinColumn
    items: [BulletinItem!]!
    footer: [BulletinFooterLine!]!
    signedOffAt: String!
    version: Int!
  }

  type BulletinLabels {
    issueLine: String!
    number: String
    totalNumber: String
    installment: String
    column: String
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
    section: String
    headline: String!
    body: String!
    paragraphs: [String!]!
    units: [String!]!
    attribution: String!
  }

  type BulletinFooterLine {
    key: String!
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
