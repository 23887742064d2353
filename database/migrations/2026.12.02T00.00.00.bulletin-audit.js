'use strict';

/**
 * The audit trail (留痕, rules in src/domain/audit.ts, recording in src/strapi/audit.ts): one row per recorded action,
 * append-only, each chained to the one before by its hash.
 *   at                when (UTC)
 *   action            create, update, delete, publish (签发), unpublish (撤回签发), discard-draft, submit, adopt, return,
 *                     withdraw, place, reorder
 *   content_type      the Strapi uid (api::item.item …); document_id its documentId; document_name for issues the
 *                     printed name (上街信息 2020年第14期)
 *   changes           the fields that changed, { field: { old, new } }, whole values, secrets redacted
 *   actor_kind        admin / account / api-token / script, with actor_id, actor_name, actor_unit
 *   address, user_agent, request_id   where the request came from
 *   prev_hash, hash   sha256 chain: hash = sha256(prev_hash + canonical entry)
 *
 * Triggers refuse UPDATE and DELETE (and TRUNCATE on PostgreSQL): the app itself cannot rewrite history.
 */
module.exports = {
  async up(knex) {
    const client = knex.client.config.client;
    const postgres = client === 'postgres' || client === 'pg' || client === 'postgresql';
    if (!(await knex.schema.hasTable('bulletin_audit'))) {
      await knex.schema.createTable('bulletin_audit', (table) => {
        table.bigIncrements('id').primary();
        if (postgres) table.specificType('at', 'timestamptz').notNullable();
        else table.string('at', 32).notNullable();
        table.string('action', 32).notNullable();
        table.string('content_type', 128).notNullable();
        table.string('document_id', 64);
        table.text('document_name');
        if (postgres) table.jsonb('changes').notNullable();
        else table.text('changes').notNullable();
        table.string('actor_kind', 16).notNullable();
        table.string('actor_id', 64);
        table.text('actor_name');
        table.text('actor_unit');
        table.string('address', 64);
        table.text('user_agent');
        table.string('request_id', 128);
        table.string('prev_hash', 64).notNullable();
        table.string('hash', 64).notNullable();
        table.index(['content_type', 'document_id'], 'bulletin_audit_document');
        table.index(['at'], 'bulletin_audit_at');
      });
    }
    if (postgres) {
      await knex.raw(`
        CREATE OR REPLACE FUNCTION bulletin_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          RAISE EXCEPTION 'bulletin_audit is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
        END $$`);
      await knex.raw('DROP TRIGGER IF EXISTS bulletin_audit_no_change ON bulletin_audit');
      await knex.raw(
        'CREATE TRIGGER bulletin_audit_no_change BEFORE UPDATE OR DELETE ON bulletin_audit FOR EACH ROW EXECUTE FUNCTION bulletin_audit_append_only()',
      );
      await knex.raw('DROP TRIGGER IF EXISTS bulletin_audit_no_truncate ON bulletin_audit');
      await knex.raw(
        'CREATE TRIGGER bulletin_audit_no_truncate BEFORE TRUNCATE ON bulletin_audit FOR EACH STATEMENT EXECUTE FUNCTION bulletin_audit_append_only()',
      );
    } else {
      await knex.raw(`CREATE TRIGGER IF NOT EXISTS bulletin_audit_no_update BEFORE UPDATE ON bulletin_audit
        BEGIN SELECT RAISE(ABORT, 'bulletin_audit is append-only: UPDATE refused'); END`);
      await knex.raw(`CREATE TRIGGER IF NOT EXISTS bulletin_audit_no_delete BEFORE DELETE ON bulletin_audit
        BEGIN SELECT RAISE(ABORT, 'bulletin_audit is append-only: DELETE refused'); END`);
    }
  },

  async down() {
    // The trail is never dropped by a migration rollback.
  },
};
