import * as React from 'react';
import styled from 'styled-components';
import { PLAIN_INTEGER_FIELDS, enumerationLabel, isPlainIntegerField } from '../domain/admin-labels';

/**
 * How the content manager shows values the API keeps in ASCII or as numbers: enumeration cells in Chinese (已采用, not
 * adopted) and identifier integers as written (2020, not 2,020). Registered on the content manager's hooks in
 * bootstrap (app.tsx); the forms and filters get the Chinese option labels from the translations instead.
 */

export const LIST_COLUMNS_HOOK = 'Admin/CM/pages/ListView/inject-column-in-table';
export const EDIT_LAYOUT_HOOK = 'Admin/CM/pages/EditView/mutate-edit-view-layout';

type Row = Record<string, unknown>;
type CellContext = { collectionType: string; model: string };
/** The part of the content manager's list column (ListFieldLayout) used here. */
type ListColumn = {
  name: string;
  attribute?: { type?: string };
  cellFormatter?: (row: Row, column: ListColumn, context: CellContext) => React.ReactNode;
};
type ListColumnsArgs<C extends ListColumn> = { displayedHeaders: C[]; layout: unknown };

/** The part of the content manager's edit field (EditFieldLayout) used here. */
type EditField = { name: string; type?: string; attribute?: { max?: number } };
type EditLayoutArgs<F extends EditField> = { layout: { layout: F[][][] }; query: unknown };

const themed =
  (name: string, fallback: string) =>
  ({ theme }: { theme: unknown }): string =>
    (theme as { colors?: Record<string, string> }).colors?.[name] ?? fallback;

/** Looks like the content manager's own text cell (Typography, neutral800, one line). */
const Cell = styled.span`
  display: block;
  max-width: 30rem;
  overflow: hidden;
  text-overflow: ellipsis;
  white-space: nowrap;
  font-size: 1.4rem;
  line-height: 1.43;
  color: ${themed('neutral800', '#32324d')};
`;

const isEmpty = (value: unknown): boolean => value === null || value === undefined || value === '';

/** The content type of the list on screen: the list view is always a page, /content-manager/collection-types/<uid>. */
function listedModel(): string | null {
  const match = /\/content-manager\/(?:collection-types|single-types)\/([^/?#]+)/.exec(window.location.pathname);
  return match === null ? null : decodeURIComponent(match[1]);
}

const enumerationCell = (row: Row, column: ListColumn, { model }: CellContext): React.ReactNode => {
  const value = row[column.name];
  if (isEmpty(value)) return <Cell>-</Cell>;
  return <Cell>{enumerationLabel(model, column.name, value) ?? String(value)}</Cell>;
};

const plainIntegerCell = (row: Row, column: ListColumn): React.ReactNode => {
  const value = row[column.name];
  return <Cell>{isEmpty(value) ? '-' : String(value)}</Cell>;
};

/** INJECT_COLUMN_IN_TABLE: enumeration columns in Chinese, identifier integers without digit grouping. */
export function presentListColumns<C extends ListColumn>(args: ListColumnsArgs<C>): ListColumnsArgs<C> {
  const model = listedModel();
  return {
    ...args,
    displayedHeaders: args.displayedHeaders.map((column) => {
      if (column.cellFormatter !== undefined) return column;
      const type = column.attribute?.type;
      if (type === 'enumeration') return { ...column, cellFormatter: enumerationCell };
      if (type === 'integer' && model !== null && isPlainIntegerField(model, column.name)) {
        return { ...column, cellFormatter: plainIntegerCell };
      }
      return column;
    }),
  };
}

/**
 * The form's number input formats with the admin's locale (zh-Hans groups digits: 2,020) and takes no grouping
 * option, only a locale. Spanish never groups a four-digit number (CLDR minimum grouping digits 2: 2020, but
 * 12.345), so identifier integers that cannot exceed four digits (the year: 1949–2999) get that locale. Longer ones
 * keep the default rather than show 12.345.
 */
const UNGROUPED_FOUR_DIGITS_LOCALE = 'es';
const PLAIN_INTEGER_NAMES = new Set(Object.values(PLAIN_INTEGER_FIELDS).flat());

/** MUTATE_EDIT_VIEW_LAYOUT: four-digit identifier integers (the year) shown without digit grouping. */
export function presentEditLayout<F extends EditField>(args: EditLayoutArgs<F>): EditLayoutArgs<F> {
  const present = (field: F): F =>
    field.type === 'integer' &&
    PLAIN_INTEGER_NAMES.has(field.name) &&
    typeof field.attribute?.max === 'number' &&
    field.attribute.max <= 9999
      ? { ...field, locale: UNGROUPED_FOUR_DIGITS_LOCALE }
      : field;
  return {
    ...args,
    layout: { ...args.layout, layout: args.layout.layout.map((panel) => panel.map((row) => row.map(present))) },
  };
}
