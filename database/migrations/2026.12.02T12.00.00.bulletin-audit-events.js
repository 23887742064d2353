'use strict';

/**
 * The audit trail's security events, first reads and archive (src/strapi/audit-security.ts, audit-reads.ts,
 * scripts/audit-archive.js). Idempotent: every step checks what is there.
 *
 * - bulletin_audit.category: 'content' (writes to issues, items, units, groups: every entry made before this
 *   migration), 'security' (logins, passwords, roles, permissions, API tokens, accounts) or 'read' (downloads, first
 *   reads). The hash covers the category only when it is not 'content' (src/domain/audit.ts `hashedContent`), so the
 *   entries made before it still verify.
 * - bulletin_first_read: one row per reader and signed-off issue, the first time they opened it.
 * - bulletin_audit_cut: one row per archive run: the last archived entry's id and hash, from which the remaining
 *   chain continues (npm run audit:verify starts there). Append-only like the trail.
 * - The append-only trigger still refuses UPDATE, TRUNCATE and every ordinary DELETE. Only the archive removes rows:
 *   on PostgreSQL a DELETE passes when the transaction set `SET LOCAL bulletin.audit_archive = 'on'`; on SQLite while
 *   the marker table bulletin_audit_archiving holds a row (both done inside the archive's one transaction).
 */
module.exports = {
  async up(knex) {
    const client = knex.client.config.client;
    const postgres = client === 'postgres' || client === 'pg' || client === 'postgresql';
    if (!(await knex.schema.hasColumn('bulletin_audit', 'category'))) {
      await knex.schema.alterTable('bulletin_audit', (table) => {
        table.string('category', 16).notNullable().defaultTo('content');
      });
      await knex.schema.alterTable('bulletin_audit', (table) => {
        table.index(['category', 'at'], 'bulletin_audit_category_at');
      });
    }
    if (!(await knex.schema.hasTable('bulletin_first_read'))) {
      await knex.schema.createTable('bulletin_first_read', (table) => {
        table.string('document_id', 64).notNullable();
        table.string('reader_kind', 16).notNullable();
        table.string('reader_id', 64).notNullable();
        if (postgres) table.specificType('at', 'timestamptz').notNullable();
        else table.string('at', 32).notNullable();
        table.primary(['document_id', 'reader_kind', 'reader_id'], 'bulletin_first_read_pkey');
      });
    }
    if (!(await knex.schema.hasTable('bulletin_audit_cut'))) {
      await knex.schema.createTable('bulletin_audit_cut', (table) => {
        table.bigIncrements('id').primary();
        if (postgres) table.specificType('at', 'timestamptz').notNullable();
        else table.string('at', 32).notNullable();
        table.bigInteger('last_id').notNullable();
        table.string('last_hash', 64).notNullable();
        table.string('prev_hash', 64).notNullable();
        table.integer('count').notNullable();
        table.text('file');
      });
    }
    if (postgres) {
      await knex.raw(`
        CREATE OR REPLACE FUNCTION bulletin_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF TG_OP = 'DELETE' AND TG_TABLE_NAME = 'bulletin_audit' AND current_setting('bulletin.audit_archive', true) = 'on' THEN
            RETURN OLD;
          END IF;
          RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
        END $$`);
      await knex.raw('DROP TRIGGER IF EXISTS bulletin_audit_cut_no_change ON bulletin_audit_cut');
      await knex.raw(
        'CREATE TRIGGER bulletin_audit_cut_no_change BEFORE UPDATE OR DELETE ON bulletin_audit_cut FOR EACH ROW EXECUTE FUNCTION bulletin_audit_append_only()',
      );
    } else {
      if (!(await knex.schema.hasTable('bulletin_audit_archiving'))) {
        await knex.schema.createTable('bulletin_audit_archiving', (table) => {
          table.integer('flag');
        });
      }
      await knex.raw('DROP TRIGGER IF EXISTS bulletin_audit_no_delete');
      await knex.raw(`CREATE TRIGGER bulletin_audit_no_delete BEFORE DELETE ON bulletin_audit
        WHEN NOT EXISTS (SELECT 1 FROM bulletin_audit_archiving)
        BEGIN SELECT RAISE(ABORT, 'bulletin_audit is append-only: DELETE refused'); END`);
      await knex.raw(`CREATE TRIGGER IF NOT EXISTS bulletin_audit_cut_no_update BEFORE UPDATE ON bulletin_audit_cut
        BEGIN SELECT RAISE(ABORT, 'bulletin_audit_cut is append-only: UPDATE refused'); END`);
      await knex.raw(`CREATE TRIGGER IF NOT EXISTS bulletin_audit_cut_no_delete BEFORE DELETE ON bulletin_audit_cut
        BEGIN SELECT RAISE(ABORT, 'bulletin_audit_cut is append-only: DELETE refused'); END`);
    }
  },

  async down() {
    // The trail is never dropped by a migration rollback.
  },
};
