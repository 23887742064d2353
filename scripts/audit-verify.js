#!/usr/bin/env node
// npm run audit:verify [-- --archive FILE …] — checks the audit trail's hash chain (bulletin_audit, rules in
// src/domain/audit.ts) on the app's database (DATABASE_CLIENT / DATABASE_URL / DATABASE_FILENAME … as
// config/database.ts reads them), without booting the app. Where `npm run audit:archive` has cut the trail, the chain
// starts from the last cut's hash (bulletin_audit_cut). With --archive, the archive files (oldest first) are checked
// too: each chained inside, each following the one before, the last ending at the cut. Prints the count on success
// (exit 0); names the first entry (or file) that does not fit and exits 1 on a break; exits 2 when the check itself
// cannot run.
const fs = require('fs');
const path = require('path');
const { compiledDir } = require('./lib/strapi');
const { toEntry, openDatabase, lastCut } = require('./lib/audit-db');

const BATCH = 1000;

function archiveFiles() {
  const files = [];
  for (let i = 2; i < process.argv.length; i += 1)
    if (process.argv[i] === '--archive' && process.argv[i + 1] !== undefined) files.push(process.argv[++i]);
  return files;
}

function readArchive(file) {
  const lines = fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '');
  const parse = (line, n) => {
    try {
      return JSON.parse(line);
    } catch {
      throw new Error(`${file} 第 ${n + 1} 行不是 JSON`);
    }
  };
  return {
    header: lines.length > 0 ? parse(lines[0], 0) : null,
    entries: lines.slice(1).map((line, n) => parse(line, n + 1)),
  };
}

async function main() {
  const distDir = await compiledDir();
  const { verifyChain, GENESIS } = require(path.join(distDir, 'src', 'domain', 'audit.js'));
  const { checkArchive } = require(path.join(distDir, 'src', 'domain', 'audit-events.js'));
  const db = await openDatabase();
  try {
    const cut = await lastCut(db.query);
    let prev = process.env.BULLETIN_AUDIT_START_HASH || (cut === null ? GENESIS : cut.last_hash);
    let archived = 0;
    let expectedPrev = GENESIS;
    for (const file of archiveFiles()) {
      let archive;
      try {
        archive = readArchive(file);
      } catch (error) {
        console.error(`留痕校验失败：${error.message}`);
        return 1;
      }
      const report = checkArchive(archive.header, archive.entries);
      if (!report.ok) {
        console.error(`留痕校验失败：${file}：${report.reason}`);
        return 1;
      }
      if (archive.header.prevHash !== expectedPrev && archived > 0) {
        console.error(`留痕校验失败：${file} 没有接上前一个归档文件（中间缺少归档，或顺序不对）`);
        return 1;
      }
      expectedPrev = report.lastHash;
      archived += report.count;
    }
    if (archived > 0 && (cut === null || expectedPrev !== cut.last_hash)) {
      console.error(
        '留痕校验失败：归档文件的最后哈希与数据库记下的归档截断点不符（归档文件不是最近一次归档，或被改动）',
      );
      return 1;
    }
    let count = 0;
    let first = true;
    for (let after = cut === null ? '0' : String(cut.last_id); ; ) {
      const rows = await db.query('SELECT * FROM bulletin_audit WHERE id > ? ORDER BY id LIMIT ?', [after, BATCH]);
      for (const row of rows) {
        const entry = toEntry(row);
        const report = verifyChain([entry], prev);
        if (!report.ok) {
          const atCut = first && cut !== null ? '（紧接归档截断点的条目没有接上截断点的哈希）' : '';
          console.error(
            `留痕校验失败：第一条不符的条目 id=${entry.id}（此前 ${count} 条完好）。${report.reason}${atCut}`,
          );
          return 1;
        }
        first = false;
        prev = report.lastHash;
        count += 1;
      }
      if (rows.length < BATCH) break;
      after = String(rows[rows.length - 1].id);
    }
    if (cut !== null) {
      const [older] = await db.query('SELECT min(id) AS id FROM bulletin_audit WHERE id <= ?', [String(cut.last_id)]);
      if (older !== undefined && older.id !== null && older.id !== undefined) {
        console.error(`留痕校验失败：条目 id=${older.id} 在归档截断点（id ${cut.last_id}）之前，却仍在表中`);
        return 1;
      }
    }
    const from = cut === null ? '' : `，自归档截断点（id ${cut.last_id}）起`;
    const files = archived > 0 ? `；归档文件 ${archived} 条完好并接上截断点` : '';
    console.log(`留痕校验通过：${count} 条，哈希链完整${from}（最后哈希 ${prev}）${files}`);
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
