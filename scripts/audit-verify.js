#!/usr/bin/env node
// npm run audit:verify — checks the audit trail's whole hash chain (bulletin_audit, rules in src/domain/audit.ts) on
// the app's database (DATABASE_CLIENT / DATABASE_URL / DATABASE_FILENAME … as config/database.ts reads them), without
// booting the app. Prints the count on success (exit 0); names the first entry that does not fit and exits 1 on a
// break; exits 2 when the check itself cannot run.
const path = require('path');
const { compiledDir } = require('./lib/strapi');

const BATCH = 1000;

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
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

/** Reads the table in id order, a batch at a time: fetch(afterId) → rows. */
async function* entries(fetch) {
  let after = '0';
  for (;;) {
    const rows = await fetch(after);
    for (const row of rows) yield toEntry(row);
    if (rows.length < BATCH) return;
    after = String(rows[rows.length - 1].id);
  }
}

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
    return {
      fetch: async (after) => (await db.query('SELECT * FROM bulletin_audit WHERE id > $1 ORDER BY id LIMIT $2', [after, BATCH])).rows,
      close: () => db.end(),
    };
  }
  const Database = require('better-sqlite3');
  const file = path.resolve(process.cwd(), process.env.DATABASE_FILENAME || '.tmp/data.db');
  const db = new Database(file, { readonly: true, fileMustExist: true });
  const statement = db.prepare('SELECT * FROM bulletin_audit WHERE id > ? ORDER BY id LIMIT ?');
  return { fetch: async (after) => statement.all(Number(after), BATCH), close: async () => db.close() };
}

async function main() {
  const distDir = await compiledDir();
  const { verifyChain, GENESIS } = require(path.join(distDir, 'src', 'domain', 'audit.js'));
  const db = await openDatabase();
  try {
    // verifyChain takes an iterable: collect lazily batch by batch, checking as we go.
    let prev = process.env.BULLETIN_AUDIT_START_HASH || GENESIS;
    let count = 0;
    for await (const entry of entries(db.fetch)) {
      const report = verifyChain([entry], prev);
      if (!report.ok) {
        console.error(`留痕校验失败：第一条不符的条目 id=${entry.id}（此前 ${count} 条完好）。${report.reason}`);
        return 1;
      }
      prev = report.lastHash;
      count += 1;
    }
    console.log(`留痕校验通过：${count} 条，哈希链完整（最后哈希 ${prev}）`);
    return 0;
  } finally {
    await db.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`留痕校验无法进行：${error && error.message ? error.message : error}`);
    process.exit(2);
  },
);
