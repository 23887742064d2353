#!/usr/bin/env node
// npm run audit:archive [-- --dir DIR --now ISO-TIME] — moves the audit trail's entries older than the retention
// (BULLETIN_AUDIT_RETENTION_DAYS, default 400 days, at least 180: a shorter one is refused) out of bulletin_audit into a
// file DIR/bulletin-audit-<first id>-<last id>.jsonl (default DIR: BULLETIN_AUDIT_ARCHIVE_DIR, else ./audit-archive):
// a header line (the cut: prev hash, last hash, ids, count), then the entries in id order, as JSON lines. Only the
// oldest run of entries is archived, so the remaining trail stays one chain; its start is recorded in
// bulletin_audit_cut, where `npm run audit:verify` starts (and `--archive FILE` checks files against it).
//
// The rows are removed in one transaction that first writes and syncs the file: a failure leaves the trail whole (and
// removes the file). The table's trigger refuses every ordinary DELETE; this transaction alone sets
// `bulletin.audit_archive = 'on'` (SET LOCAL: it ends with the transaction), which the trigger lets through.
// --now exists for tests and drills (a fake clock); runs without booting the app. Exit 0 done (or nothing to do), 1 refused, 2 failed.
const fs = require('fs');
const path = require('path');
const { compiledDir } = require('./lib/strapi');
const { toEntry, openDatabase, lastCut } = require('./lib/audit-db');

const BATCH = 1000;

const option = (name) => {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? undefined : process.argv[index + 1];
};

async function main() {
  const distDir = await compiledDir();
  const { GENESIS } = require(path.join(distDir, 'src', 'domain', 'audit.js'));
  const { parseRetentionDays, archivedPrefix } = require(path.join(distDir, 'src', 'domain', 'audit-events.js'));
  const retention = parseRetentionDays(process.env.BULLETIN_AUDIT_RETENTION_DAYS);
  if ('error' in retention) {
    console.error(`留痕归档被拒绝：${retention.error}`);
    return 1;
  }
  const now = option('now') === undefined ? new Date() : new Date(option('now'));
  if (Number.isNaN(now.getTime())) {
    console.error(`留痕归档被拒绝：--now "${option('now')}" 不是时间`);
    return 1;
  }
  const dir = path.resolve(option('dir') || process.env.BULLETIN_AUDIT_ARCHIVE_DIR || 'audit-archive');
  const db = await openDatabase();
  let file = null;
  try {
    const result = await db.transaction(async (query) => {
      // The same lock the app takes to append: no entry is chained to one being archived meanwhile.
      if (db.postgres) await query("SELECT pg_advisory_xact_lock(hashtext('bulletin-audit'))");
      const cut = await lastCut(query);
      const entries = [];
      for (let after = cut === null ? '0' : String(cut.last_id); ; ) {
        const rows = await query('SELECT * FROM bulletin_audit WHERE id > ? ORDER BY id LIMIT ?', [after, BATCH]);
        const batch = rows.map(toEntry);
        const prefix = archivedPrefix(batch, now, retention.days);
        entries.push(...prefix);
        if (prefix.length < batch.length || rows.length < BATCH) break;
        after = String(rows[rows.length - 1].id);
      }
      if (entries.length === 0) return null;
      const first = entries[0];
      const last = entries[entries.length - 1];
      const header = {
        kind: 'bulletin-audit-archive',
        version: 1,
        prevHash: first.prevHash,
        lastHash: last.hash,
        firstId: first.id,
        lastId: last.id,
        count: entries.length,
        cutAt: now.toISOString(),
        retentionDays: retention.days,
      };
      if (cut !== null && first.prevHash !== cut.last_hash)
        throw new Error(`条目 ${first.id} 没有接上上次的归档截断点：先运行 npm run audit:verify`);
      if (cut === null && first.prevHash !== GENESIS)
        throw new Error(`条目 ${first.id} 不是留痕的第一条，也没有归档截断点：先运行 npm run audit:verify`);
      fs.mkdirSync(dir, { recursive: true });
      file = path.join(dir, `bulletin-audit-${first.id}-${last.id}.jsonl`);
      const fd = fs.openSync(file, 'wx');
      try {
        fs.writeSync(fd, `${JSON.stringify(header)}\n`);
        for (const entry of entries) fs.writeSync(fd, `${JSON.stringify(entry)}\n`);
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
      if (db.postgres) {
        await query("SET LOCAL bulletin.audit_archive = 'on'");
      } else {
        await query('INSERT INTO bulletin_audit_archiving (flag) VALUES (1)');
      }
      await query('DELETE FROM bulletin_audit WHERE id <= ?', [last.id]);
      if (!db.postgres) await query('DELETE FROM bulletin_audit_archiving');
      await query(
        'INSERT INTO bulletin_audit_cut (at, last_id, last_hash, prev_hash, count, file) VALUES (?, ?, ?, ?, ?, ?)',
        [now.toISOString(), last.id, last.hash, first.prevHash, entries.length, path.basename(file)],
      );
      return header;
    });
    if (result === null) {
      console.log(`留痕归档：没有早于 ${retention.days} 天的条目，未做改动`);
      return 0;
    }
    console.log(
      `留痕归档完成：${result.count} 条（id ${result.firstId}–${result.lastId}）写入 ${file} 并从表中移除；保留期 ${retention.days} 天；截断点哈希 ${result.lastHash}`,
    );
    return 0;
  } catch (error) {
    if (file !== null) fs.rmSync(file, { force: true });
    throw error;
  } finally {
    await db.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`留痕归档失败（表未改动）：${error && error.message ? error.message : error}`);
    process.exit(2);
  },
);
