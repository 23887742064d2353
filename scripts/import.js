#!/usr/bin/env node
// npm run import -- FILE|FOLDER... [--dry-run] [--publish] [--publication NAME]
// Imports past issues from plain text (.txt: UTF-8 or GB18030) or Word (.docx) into the configured database; a folder
// stands for every .txt and .docx file in it and its subfolders, in name order
// (DATABASE_* as for `npm start`). --dry-run prints what was recognised as JSON and writes nothing; --publish signs the
// imported issues off (their record is frozen, readers see them). One transaction per issue; an issue already present
// is left unchanged. Exit code 1 when any file failed.
const fs = require('fs');
const path = require('path');
const { compiledDir, loadApp, stopApp } = require('./lib/strapi');

const USAGE = 'usage: npm run import -- FILE|FOLDER... [--dry-run] [--publish] [--publication NAME]';
const READABLE = /\.(txt|docx)$/i;

/** The files a list of paths stands for: a file as given, a folder as its .txt and .docx files (subfolders too), sorted. */
function expandPaths(paths) {
  const files = [];
  const walk = (folder) => {
    const entries = fs.readdirSync(folder, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile() && READABLE.test(entry.name) && !entry.name.startsWith('~$')) files.push(full);
    }
  };
  for (const given of paths) {
    let stat;
    try {
      stat = fs.statSync(given);
    } catch {
      throw new Error(`${given}: no such file or folder\n${USAGE}`);
    }
    if (stat.isDirectory()) {
      const before = files.length;
      walk(given);
      if (files.length === before) throw new Error(`${given}: the folder has no .txt or .docx file\n${USAGE}`);
    } else files.push(given);
  }
  return files;
}

function options(argv) {
  const result = { files: [], dryRun: false, publish: false, publication: undefined };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === '--dry-run') result.dryRun = true;
    else if (arg === '--publish') result.publish = true;
    else if (arg === '--publication') {
      if (i + 1 >= argv.length) throw new Error(`--publication needs a name\n${USAGE}`);
      result.publication = argv[(i += 1)];
    } else if (arg.startsWith('--')) throw new Error(`unknown option ${arg}\n${USAGE}`);
    else result.files.push(arg);
  }
  if (result.files.length === 0) throw new Error(`no file given\n${USAGE}`);
  result.files = expandPaths(result.files);
  return result;
}

const interactive = process.stderr.isTTY === true;
function progress(done, total, file) {
  const line = `[${done}/${total}] ${path.basename(file)}`;
  if (interactive) process.stderr.write(`\r\x1b[K${line}`);
}

async function main() {
  const wanted = options(process.argv.slice(2));
  process.env.LOG_LEVEL = process.env.LOG_LEVEL || 'error';
  const distDir = await compiledDir();

  if (wanted.dryRun) {
    const { parseBulletin } = require(path.join(distDir, 'src', 'domain', 'bulletin-parser.js'));
    const { fileText } = require(path.join(distDir, 'src', 'strapi', 'importer.js'));
    const parsed = [];
    let failed = 0;
    for (const file of wanted.files) {
      const result = parseBulletin(await fileText(file, fs.readFileSync(file)), { publication: wanted.publication });
      if (!result.ok) failed += 1;
      parsed.push(result.ok ? { file, issue: result.issue, warnings: result.warnings } : { file, errors: result.errors.map((e) => `${file}:${e.line}: ${e.message}`) });
    }
    process.stdout.write(`${JSON.stringify(parsed, null, 2)}\n`);
    return failed === 0 ? 0 : 1;
  }

  const { importFile } = require(path.join(distDir, 'src', 'strapi', 'importer.js'));
  const { strapi } = await loadApp();
  const counts = { imported: 0, skipped: 0, failed: 0 };
  try {
    let done = 0;
    for (const file of wanted.files) {
      progress(done, wanted.files.length, file);
      let outcome;
      try {
        outcome = await importFile(strapi, file, fs.readFileSync(file), { publish: wanted.publish, publication: wanted.publication });
      } catch (error) {
        outcome = { file, status: 'failed', errors: [`${file}: ${error.message}`] };
      }
      done += 1;
      counts[outcome.status] += 1;
      if (interactive) process.stderr.write('\r\x1b[K');
      if (outcome.status === 'imported') {
        console.log(`导入 ${outcome.label}（${outcome.items} 条信息${outcome.published ? '，已签发' : '，草稿'}）← ${file}`);
        for (const note of [...outcome.created, ...outcome.normalised, ...outcome.warnings]) console.log(`  · ${note}`);
      } else if (outcome.status === 'skipped') {
        console.log(`跳过 ${outcome.label}：${outcome.reason} ← ${file}`);
      } else {
        console.error(`失败 ${file}`);
        for (const error of outcome.errors) console.error(`  · ${error}`);
      }
    }
    console.log(`\n共 ${wanted.files.length} 个文件：导入 ${counts.imported}，已存在跳过 ${counts.skipped}，失败 ${counts.failed}`);
  } finally {
    await stopApp(strapi);
  }
  return counts.failed === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
