// The audit trail's tables for the command-line scripts (audit-verify, audit-archive), without booting the app: the
// app's database as config/database.ts reads it (DATABASE_CLIENT / DATABASE_URL / DATABASE_HOST … / DATABASE_FILENAME).
const path = require('path');

/** A stored row as the domain's entry (src/domain/audit.ts ChainedEntry). */
function toEntry(row) {
  return {
    id: String(row.id),
    at: row.at instanceof Date ? row.at.toISOString() : String(row.at),
    action: row.action,
    contentType: row.content_type,
    documentId: row.document_id,
    documentName: row.document_name,
    changes: typeof row.changes === 'string' ? JSON.parse(row.changes) : row.changes,
    actorKind: row.actor_kind,
    actorId: row.actor_id,
    actorName: row.actor_name,
    actorUnit: row.actor_unit,
    address: row.address,
    userAgent: row.user_agent,
    requestId: row.request_id,
    ...(row.category === undefined || row.category === null || row.category === 'content'
      ? {}
      : { category: row.category }),
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

/**
 * { postgres, query(sql, params) → rows, transaction(fn(query)), close() }. SQL uses `?` placeholders (numbered for
 * PostgreSQL here).
 */
async function openDatabase() {
  const client = process.env.DATABASE_CLIENT || 'sqlite';
  if (client === 'postgres') {
    const { Client } = require('pg');
    const url = process.env.DATABASE_URL || '';
    const db = new Client(
      url !== ''
        ? { connectionString: url }
        : {
            host: process.env.DATABASE_HOST || '127.0.0.1',
            port: Number(process.env.DATABASE_PORT || 5432),
            database: process.env.DATABASE_NAME || 'bulletin',
            user: process.env.DATABASE_USERNAME || 'bulletin',
            password: process.env.DATABASE_PASSWORD,
          },
    );
    await db.connect();
    const query = async (sql, params = []) => {
      let n = 0;
      return (
        await db.query(
          sql.replace(/\?/g, () => `$${++n}`),
          params,
        )
      ).rows;
    };
    return {
      postgres: true,
      query,
      transaction: async (fn) => {
        await db.query('BEGIN');
        try {
          const result = await fn(query);
          await db.query('COMMIT');
          return result;
        } catch (error) {
          await db.query('ROLLBACK');
          throw error;
        }
      },
      close: () => db.end(),
    };
  }
  const Database = require('better-sqlite3');
  const file = path.resolve(process.cwd(), process.env.DATABASE_FILENAME || '.tmp/data.db');
  const db = new Database(file, { fileMustExist: true });
  const query = async (sql, params = []) => {
    const statement = db.prepare(sql);
    return statement.reader ? statement.all(...params) : (statement.run(...params), []);
  };
  return {
    postgres: false,
    query,
    transaction: async (fn) => {
      db.exec('BEGIN IMMEDIATE');
      try {
        const result = await fn(query);
        db.exec('COMMIT');
        return result;
      } catch (error) {
        db.exec('ROLLBACK');
        throw error;
      }
    },
    close: async () => db.close(),
  };
}

/** The last cut an archive run made ({ last_id, last_hash }), or null (none yet, or a database from before archives). */
async function lastCut(query) {
  try {
    const [cut] = await query('SELECT last_id, last_hash FROM bulletin_audit_cut ORDER BY id DESC LIMIT 1');
    return cut ?? null;
  } catch {
    return null;
  }
}

module.exports = { toEntry, openDatabase, lastCut };
