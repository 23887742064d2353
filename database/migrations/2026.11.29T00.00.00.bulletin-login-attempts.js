'use strict';

/**
 * The login limits' counters (src/strapi/login-limits.ts, rules in src/domain/login-limits.ts): one row per counter
 * and fixed window, shared by every app process on the database.
 *   scope         'user' (users-permissions identifier), 'admin' (admin e-mail) or 'address' (client address)
 *   subject       the identifier / e-mail trimmed and lower-cased, or the address (IPv6: its /64)
 *   window_start  start of the window, milliseconds since the epoch
 *   expires_at    end of the window (ms): rows past it are deleted at start-up and now and then
 *   attempts      attempts counted in the window
 *
 * Strapi 5 runs the .js files of database/migrations (not compiled from TypeScript) in name order, once each, inside
 * a transaction, before it syncs the content-type tables; this table is the project's own, so Strapi's schema sync
 * leaves it alone.
 */
module.exports = {
  async up(knex) {
    if (await knex.schema.hasTable('bulletin_login_attempts')) return;
    await knex.schema.createTable('bulletin_login_attempts', (table) => {
      table.string('scope', 16).notNullable();
      table.string('subject', 255).notNullable();
      table.bigInteger('window_start').notNullable();
      table.bigInteger('expires_at').notNullable();
      table.integer('attempts').notNullable().defaultTo(0);
      table.primary(['scope', 'subject', 'window_start'], 'bulletin_login_attempts_pkey');
      table.index(['expires_at'], 'bulletin_login_attempts_expires_at');
    });
  },

  async down(knex) {
    await knex.schema.dropTableIfExists('bulletin_login_attempts');
  },
};
