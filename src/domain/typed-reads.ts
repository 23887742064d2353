import { RECIPIENT_LINES } from './access';
import { CALLER_COLUMNS, CALLER_FROM } from './reader-reads';
import { sentToSql } from './sent-to';

/**
 * Strapi's own GraphQL types read by a reader or contributor — `issue(documentId) { … items { … units { … } } … }`,
 * as a front end writes it without reading the README — answered again without running Apollo and Strapi's
 * resolvers, as long as nothing it was made of has changed.
 *
 * The answer Apollo gave this caller for this query text and these variables is kept with the VERSION of everything
 * it was made of, taken before Apollo ran: every row of the issue's published version, its items, their units and
 * their issue, its issuer, its recipient lines and their groups (each row's id and PostgreSQL's `xmin`, which every
 * write of a row renews; a row added or removed changes the list), and the caller's rows (account, role and unit
 * links, the role's permissions). On the next request ONE statement (TYPED_CHECK_SQL) checks the caller exactly as
 * the normal route does, that the issue is signed off and sent to them (the normal route's scope, `sentToSql`), and
 * computes the version again; the same version means Apollo would give the same answer, so it is sent as it is.
 * Anything else — another version, another caller, not readable — goes to Apollo, whose answer is kept anew.
 *
 * That holds only for a selection that reads nothing beyond those rows. `typedShapeAccepted` says which: one query
 * field `issue` with the single argument `documentId`; below it only the fields of TYPED_POSITIONS (each relation
 * leads to a position, and a position's other fields must be scalars of its type), no arguments, directives or
 * fragments. An item's `issue` must be the issue itself (TYPED_CHECK_SQL's `elsewhere` is false): its scalars are then
 * rows the version covers, and Strapi's nested guard shows it to exactly those who may read the issue.
 */

/** Where a field of the selection sits: its GraphQL type's model, and the relations that may be followed from it. */
export type TypedPosition = {
  model: 'issue' | 'item' | 'unit' | 'recipient' | 'group';
  follow: Readonly<Record<string, string>>;
};

export const TYPED_POSITIONS: Readonly<Record<string, TypedPosition>> = {
  issue: {
    model: 'issue',
    follow: {
      items: 'item',
      issuer: 'unitLeaf',
      ...Object.fromEntries(RECIPIENT_LINES.map((line) => [line, 'recipient'])),
    },
  },
  item: { model: 'item', follow: { units: 'unitLeaf', issue: 'issueLeaf' } },
  recipient: { model: 'recipient', follow: { group: 'groupLeaf' } },
  issueLeaf: { model: 'issue', follow: {} },
  unitLeaf: { model: 'unit', follow: {} },
  groupLeaf: { model: 'group', follow: {} },
};

/** A field of a query as the shape rule sees it: its name, whether it has arguments or directives, its sub-fields. */
export type TypedField = {
  name: string;
  args: readonly string[];
  directives: boolean;
  fragments: boolean;
  fields: readonly TypedField[] | null;
};

/**
 * Whether a query's single root field may be answered from a kept answer: `issue(documentId: …)` and a selection
 * within TYPED_POSITIONS. `isScalar(model, field)`: whether that model's GraphQL type has that field as a scalar
 * (from the content types; `__typename` is one everywhere).
 */
export function typedShapeAccepted(
  root: TypedField,
  isScalar: (model: TypedPosition['model'], field: string) => boolean,
): boolean {
  if (
    root.name !== 'issue' ||
    root.args.length !== 1 ||
    root.args[0] !== 'documentId' ||
    root.directives ||
    root.fields === null
  )
    return false;
  const within = (position: TypedPosition, fields: readonly TypedField[], fragments: boolean): boolean =>
    !fragments &&
    fields.every((field) => {
      if (field.args.length > 0 || field.directives) return false;
      const next = Object.prototype.hasOwnProperty.call(position.follow, field.name)
        ? TYPED_POSITIONS[position.follow[field.name]]
        : undefined;
      if (next !== undefined) return field.fields !== null && within(next, field.fields, field.fragments);
      return field.fields === null && (field.name === '__typename' || isScalar(position.model, field.name));
    });
  return within(TYPED_POSITIONS.issue, root.fields, root.fragments);
}

// ---- the statement ----------------------------------------------------------------------------------------------------

/** `id:xmin` of the rows of `table` whose `column` is in `ids` (an SQL set), in id order; '' for none. */
const versions = (table: string, column: string, ids: string): string =>
  `coalesce((SELECT string_agg(v.id::text || ':' || v.xmin::text, ',' ORDER BY v.id) FROM ${table} v WHERE v.${column} IN (${ids})), '')`;

const ITEMS = `SELECT l.item_id FROM items_issue_lnk l WHERE l.issue_id = s.id`;
const COMPONENTS = `SELECT c.cmp_id FROM issues_cmps c WHERE c.entity_id = s.id AND c.component_type = 'bulletin.recipient'`;
const GROUPS = `SELECT g.recipient_group_id FROM components_bulletin_recipients_group_lnk g WHERE g.recipient_id IN (${COMPONENTS})`;
const ITEM_UNITS = `SELECT l.unit_id FROM items_units_lnk l WHERE l.item_id IN (${ITEMS})`;
const ISSUER = `SELECT l.unit_id FROM issues_issuer_lnk l WHERE l.issue_id = s.id`;
const ITEMS_ISSUES = `SELECT l.issue_id FROM items_issue_lnk l WHERE l.item_id IN (${ITEMS})`;

/** Every row the accepted selections read, for the published issue row `s`: one text, the same while none changes. */
const DATA_VERSION = [
  `s.xmin::text`,
  versions('items_issue_lnk', 'item_id', ITEMS),
  versions('items', 'id', ITEMS),
  versions('issues', 'id', ITEMS_ISSUES),
  versions('items_units_lnk', 'item_id', ITEMS),
  versions('units', 'id', `${ITEM_UNITS} UNION ${ISSUER}`),
  versions('issues_issuer_lnk', 'issue_id', 's.id'),
  versions('issues_cmps', 'entity_id', 's.id'),
  versions('components_bulletin_recipients', 'id', COMPONENTS),
  versions('components_bulletin_recipients_group_lnk', 'recipient_id', COMPONENTS),
  versions('recipient_groups', 'id', GROUPS),
].join(` || '|' || `);

/** The caller's role and its permissions (their link rows and rows): a permission given or taken changes it. */
const GRANTS_VERSION = [
  versions('up_roles', 'id', 'r.id'),
  versions('up_permissions_role_lnk', 'role_id', 'r.id'),
  versions('up_permissions', 'id', 'SELECT pr.permission_id FROM up_permissions_role_lnk pr WHERE pr.role_id = r.id'),
].join(` || '|' || `);

/**
 * `$1` user id, `$2` action (findOne of issues), `$3` the issue's documentId (`typedCheckValues`). One row when the
 * account exists: the caller's columns (as RECORD_CHECK_SQL's), `grants`, and — when its published version is sent
 * to the caller — `issue` (row id), `elsewhere` (an item of it also sits in another signed-off issue) and `version`.
 */
export const TYPED_CHECK_SQL = `SELECT ${CALLER_COLUMNS}, ${GRANTS_VERSION} AS grants, t.id AS issue, t.elsewhere, t.version
  FROM ${CALLER_FROM}
  LEFT JOIN LATERAL (
    SELECT s.id,
      EXISTS (SELECT 1 FROM issues j WHERE j.id IN (${ITEMS_ISSUES}) AND j.id <> s.id AND j.published_at IS NOT NULL) AS elsewhere,
      ${DATA_VERSION} AS version
      FROM issues s
     WHERE s.document_id = $3 AND s.published_at IS NOT NULL AND ${sentToSql('s', '= uu.unit_id', '= u.id')}
     LIMIT 1) t ON true
  WHERE u.id = $1
  LIMIT 1`;

export const typedCheckValues = (userId: number, action: string, documentId: string): unknown[] => [
  userId,
  action,
  documentId,
];
