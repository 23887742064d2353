#!/usr/bin/env node
// npm run import -- FILE|FOLDER... [--dry-run] [--publish] [--create-units] [--publication NAME] [--report FILE | --no-report]
// Imports past issues from plain text (.txt: UTF-8 or GB18030), Word (.docx) or saved web pages (.html, .htm) into the
// configured database; a folder stands for every such file in it and its subfolders, in name order
// (DATABASE_* as for `npm start`). --dry-run prints what was recognised as JSON and writes nothing to the database;
// --publish signs the imported issues off (their record is frozen, readers see them). One transaction per issue; an
// issue already present is left unchanged (skipped), so running the same import again changes nothing. An issue that
// names a unit (issuing office or attribution) matching no unit is skipped too, naming the unit and its line, unless
// --create-units (then created as units of kind 其他, and reported). At the end a summary line, the unknown units, and a report (JSON: every file with its outcome, why it was skipped or failed, the line) written to
// import-report-YYYYMMDD-HHMMSS.json in the current folder, or to --report FILE (the dry run writes one only when
// --report is given). Exit code 1 when any file failed.
const fs = require('fs');
const path = require('path');
const { compiledDir, loadApp, stopApp } = require('./lib/strapi');

const USAGE =
  'usage: npm run import -- FILE|FOLDER... [--dry-run] [--publish] [--create-units] [--publication NAME] [--report FILE | --no-report]';
const READABLE = /\.(txt|docx|html?)$/i;

/** The files a list of paths stands for: a file as given, a folder as its .txt, .docx and .html files (subfolders too), sorted. */
function expandPaths(paths) {
  const files = [];
  const walk = (folder) => {
    const entries = fs
      .readdirSync(folder, { withFileTypes: true })
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
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
      if (files.length === before) throw new Error(`${given}: the folder has no .txt, .docx or .html file\n${USAGE}`);
    } else files.push(given);
  }
  return files;
}

function options(argv) {
  const result = {
    files: [],
    dryRun: false,
    publish: false,
    createUnits: false,
    publication: undefined,
    report: undefined,
    noReport: false,
  };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === '--dry-run') result.dryRun = true;
    else if (arg === '--publish') result.publish = true;
    else if (arg === '--create-units') result.createUnits = true;
    else if (arg === '--publication') {
      if (i + 1 >= argv.length) throw new Error(`--publication needs a name\n${USAGE}`);
      result.publication = argv[(i += 1)];
    } else if (arg === '--report') {
      if (i + 1 >= argv.length) throw new Error(`--report needs a file name\n${USAGE}`);
      result.report = argv[(i += 1)];
    } else if (arg === '--no-report') result.noReport = true;
    else if (arg.startsWith('--')) throw new Error(`unknown option ${arg}\n${USAGE}`);
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

/** A file's bytes; an unreadable file (a folder entry gone, no permission) reads as nothing and fails as such. */
function readBytes(file) {
  try {
    return fs.readFileSync(file);
  } catch {
    return Buffer.alloc(0);
  }
}

const pad = (n) => String(n).padStart(2, '0');
/** 20200219-083000, local time of the machine running the import. */
const stamp = (d) =>
  `${d.getFullYear()}${pad(d.getMonth() + 1)}${pad(d.getDate())}-${pad(d.getHours())}${pad(d.getMinutes())}${pad(d.getSeconds())}`;

/** One file in the report: what happened, and for a skip or a failure, why (the errors name the line). */
function reportEntry(outcome) {
  const { file, status } = outcome;
  if (status === 'imported') {
    return {
      file,
      status,
      label: outcome.label,
      items: outcome.items,
      published: outcome.published,
      created: outcome.created,
      normalised: outcome.normalised,
      warnings: outcome.warnings,
    };
  }
  if (status === 'parsed')
    return { file, status, label: outcome.label, items: outcome.issue.items.length, warnings: outcome.warnings };
  if (status === 'skipped')
    return {
      file,
      status,
      label: outcome.label,
      reason: outcome.reason,
      ...(outcome.unknownUnits === undefined ? {} : { unknownUnits: outcome.unknownUnits }),
    };
  return { file, status, errors: outcome.errors };
}

function writeReport(file, report) {
  fs.writeFileSync(file, `${JSON.stringify({ ...report, finishedAt: new Date().toISOString() }, null, 2)}\n`);
}

async function main() {
  const startedAt = new Date().toISOString();
  const wanted = options(process.argv.slice(2));
  process.env.LOG_LEVEL = process.env.LOG_LEVEL || 'error';
  const distDir = await compiledDir();

  if (wanted.dryRun) {
    const { previewFile } = require(path.join(distDir, 'src', 'strapi', 'importer.js'));
    const outcomes = [];
    for (const file of wanted.files)
      outcomes.push(await previewFile(file, readBytes(file), { publication: wanted.publication }));
    const printed = outcomes.map((o) =>
      o.status === 'parsed'
        ? { file: o.file, issue: o.issue, warnings: o.warnings }
        : { file: o.file, errors: o.errors },
    );
    process.stdout.write(`${JSON.stringify(printed, null, 2)}\n`);
    const counts = {
      parsed: outcomes.filter((o) => o.status === 'parsed').length,
      failed: outcomes.filter((o) => o.status === 'failed').length,
    };
    console.error(
      `共 ${wanted.files.length} 个文件：可导入 ${counts.parsed}，失败 ${counts.failed}（试运行，未写入数据库）`,
    );
    if (wanted.report !== undefined && !wanted.noReport) {
      writeReport(wanted.report, {
        startedAt,
        dryRun: true,
        summary: { files: wanted.files.length, ...counts },
        files: outcomes.map(reportEntry),
      });
    }
    return counts.failed === 0 ? 0 : 1;
  }

  const { importFile } = require(path.join(distDir, 'src', 'strapi', 'importer.js'));
  const { strapi } = await loadApp();
  const counts = { imported: 0, skipped: 0, failed: 0 };
  const unknownUnits = new Set();
  let unknownSkipped = 0;
  const outcomes = [];
  try {
    let done = 0;
    for (const file of wanted.files) {
      progress(done, wanted.files.length, file);
      let outcome;
      try {
        outcome = await importFile(strapi, file, readBytes(file), {
          publish: wanted.publish,
          publication: wanted.publication,
          createUnits: wanted.createUnits,
        });
      } catch (error) {
        outcome = { file, status: 'failed', errors: [`${file}: ${error.message}`] };
      }
      done += 1;
      counts[outcome.status] += 1;
      outcomes.push(outcome);
      if (interactive) process.stderr.write('\r\x1b[K');
      if (outcome.status === 'imported') {
        console.log(
          `导入 ${outcome.label}（${outcome.items} 条信息${outcome.published ? '，已签发' : '，草稿'}）← ${file}`,
        );
        for (const note of [...outcome.created, ...outcome.normalised, ...outcome.warnings]) console.log(`  · ${note}`);
      } else if (outcome.status === 'skipped') {
        console.log(`跳过 ${outcome.label}：${outcome.reason} ← ${file}`);
        if (outcome.unknownUnits !== undefined) {
          unknownSkipped += 1;
          for (const name of outcome.unknownUnits) unknownUnits.add(name);
        }
      } else {
        console.error(`失败 ${file}`);
        for (const error of outcome.errors) console.error(`  · ${error}`);
      }
    }
    console.log(
      `\n共 ${wanted.files.length} 个文件：导入 ${counts.imported}，已存在跳过 ${counts.skipped - unknownSkipped}，单位未知跳过 ${unknownSkipped}，失败 ${counts.failed}`,
    );
    if (unknownUnits.size > 0)
      console.log(
        `未知单位：${[...unknownUnits].join('、')}（请先在后台“单位”中新建，再运行一次；或加 --create-units 新建为“其他”类单位）`,
      );
    if (!wanted.noReport) {
      const file = wanted.report ?? `import-report-${stamp(new Date(startedAt))}.json`;
      writeReport(file, {
        startedAt,
        dryRun: false,
        summary: { files: wanted.files.length, ...counts, unknownUnits: [...unknownUnits] },
        files: outcomes.map(reportEntry),
      });
      console.log(`报告：${file}`);
    }
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
