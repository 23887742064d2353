import type { Core } from '@strapi/strapi';

/**
 * What the database itself guarantees. Strapi's `"unique": true` creates no index, and files in database/migrations
 * run before Strapi creates the content-type tables on a fresh database, so these are created here, at bootstrap,
 * after the schema sync. Issue numbers are unique among draft rows (`published_at IS NULL`): every document has one
 * draft row, and its published row carries the same numbers.
 */
export const UNIQUE_INDEXES = [
  {
    name: 'issues_number_draft_unique',
    table: 'issues',
    columns: ['publication', 'edition', 'year', 'number'],
    where: 'published_at IS NULL AND number IS NOT NULL',
    field: 'number',
  },
  {
    name: 'issues_total_number_draft_unique',
    table: 'issues',
    columns: ['publication', 'edition', 'total_number'],
    where: 'published_at IS NULL AND total_number IS NOT NULL',
    field: 'totalNumber',
  },
  {
    name: 'issues_column_installment_draft_unique',
    table: 'issues',
    columns: ['publication', 'column_title', 'column_installment'],
    where: 'published_at IS NULL AND column_title IS NOT NULL AND column_installment IS NOT NULL',
    field: 'columnInstallment',
  },
  { name: 'units_short_name_unique', table: 'units', columns: ['short_name'], where: null, field: 'shortName' },
  { name: 'recipient_groups_name_unique', table: 'recipient_groups', columns: ['name'], where: null, field: 'name' },
] as const;

export type UniqueIndex = (typeof UNIQUE_INDEXES)[number];

export async function createIndexes(strapi: Core.Strapi): Promise<void> {
  for (const index of UNIQUE_INDEXES) {
    const where = index.where === null ? '' : ` WHERE ${index.where}`;
    await strapi.db.connection.raw(
      `CREATE UNIQUE INDEX IF NOT EXISTS ${index.name} ON ${index.table} (${index.columns.join(', ')})${where}`,
    );
  }
  await createSearchIndexes(strapi);
  await createReadIndexes(strapi);
}

/**
 * What readers look up (src/strapi/fast-read.ts): a signed-off issue by its numbers, a year's signed-off issues newest
 * first, and an issue's recipient components.
 */
async function createReadIndexes(strapi: Core.Strapi): Promise<void> {
  const statements = [
    'CREATE INDEX IF NOT EXISTS issues_published_key ON issues (publication, year, number, edition) WHERE published_at IS NOT NULL',
    'CREATE INDEX IF NOT EXISTS issues_published_year_date ON issues (publication, year, date DESC) WHERE published_at IS NOT NULL',
    'CREATE INDEX IF NOT EXISTS issues_cmps_entity_field ON issues_cmps (entity_id, field)',
  ];
  for (const statement of statements) await strapi.db.connection.raw(statement);
}

/**
 * Search over headlines and bodies. Chinese has no spaces between words, so a word is found inside a sentence with
 * ILIKE '%词%' (Strapi's `$containsi`), which PostgreSQL serves from trigram (pg_trgm) GIN indexes; SQLite scans with
 * LIKE. `to_tsvector('simple', …)` would make a whole sentence one token and find nothing.
 */
async function createSearchIndexes(strapi: Core.Strapi): Promise<void> {
  if (strapi.db.dialect.client !== 'postgres') return;
  try {
    await strapi.db.connection.raw('CREATE EXTENSION IF NOT EXISTS pg_trgm');
  } catch (error) {
    strapi.log.warn(`pg_trgm is not available (${(error as Error).message}); search works, without trigram indexes.`);
    return;
  }
  for (const column of ['headline', 'body']) {
    await strapi.db.connection.raw(
      `CREATE INDEX IF NOT EXISTS items_${column}_trgm ON items USING gin (${column} gin_trgm_ops)`,
    );
  }
}

/** The index a database unique violation names, for PostgreSQL and SQLite, or null for any other error. */
export function violatedIndex(error: unknown): UniqueIndex | null {
  if (typeof error !== 'object' || error === null) return null;
  const { code, constraint, message } = error as { code?: unknown; constraint?: unknown; message?: unknown };
  if (code === '23505' && typeof constraint === 'string') {
    return UNIQUE_INDEXES.find((index) => index.name === constraint) ?? null;
  }
  if (typeof code === 'string' && code.startsWith('SQLITE_CONSTRAINT') && typeof message === 'string') {
    // SQLite names the columns: "UNIQUE constraint failed: issues.publication, issues.edition, ..."
    return (
      UNIQUE_INDEXES.find((index) =>
        message.includes(index.columns.map((column) => `${index.table}.${column}`).join(', ')),
      ) ?? null
    );
  }
  return null;
}
