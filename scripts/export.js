#!/usr/bin/env node
// npm run export -- --publication 上街信息 --year 2020 --number 14 [--edition regular] --format pdf|docx --out FILE
// Exports a signed-off issue, as it was signed off, to PDF (printed by headless Chromium from the same HTML as the
// preview) or Word. Runs on the configured database (DATABASE_* as for `npm start`); the server need not be running.
const fs = require('fs');
const path = require('path');
const { loadApp, stopApp } = require('./lib/strapi');

const USAGE =
  'usage: npm run export -- --publication 上街信息 --year 2020 --number 14 [--edition regular|supplement|special] --format pdf|docx --out FILE';

function options(argv) {
  const values = {};
  for (let i = 0; i < argv.length; i += 1) {
    const match = /^--([a-z]+)$/.exec(argv[i]);
    if (match === null || i + 1 >= argv.length) throw new Error(`unexpected argument "${argv[i]}"\n${USAGE}`);
    values[match[1]] = argv[(i += 1)];
  }
  const problems = [];
  if (!values.publication) problems.push('--publication is required');
  for (const name of ['year', 'number'])
    if (!/^\d+$/.test(values[name] || '')) problems.push(`--${name} must be a whole number`);
  if (!['pdf', 'docx'].includes(values.format)) problems.push('--format must be pdf or docx');
  if (!values.out) problems.push('--out FILE is required');
  const edition = values.edition || 'regular';
  if (!['regular', 'supplement', 'special'].includes(edition))
    problems.push('--edition must be regular, supplement or special');
  if (problems.length > 0) throw new Error(`${problems.join('\n')}\n${USAGE}`);
  return {
    publication: values.publication,
    year: Number(values.year),
    number: Number(values.number),
    edition,
    format: values.format,
    out: path.resolve(values.out),
  };
}

async function main() {
  const wanted = options(process.argv.slice(2));
  process.env.LOG_LEVEL = process.env.LOG_LEVEL || 'error';
  const { strapi, distDir } = await loadApp();
  try {
    const row = await strapi.db.query('api::issue.issue').findOne({
      where: {
        publication: wanted.publication,
        year: wanted.year,
        number: wanted.number,
        edition: wanted.edition,
        publishedAt: { $notNull: true },
      },
      select: ['record'],
    });
    if (row === null || row.record === null) {
      throw new Error(
        `${wanted.publication} ${wanted.year}年 第${wanted.number}期 (${wanted.edition}) has not been signed off: nothing to export`,
      );
    }
    const { renderExport, exportFileName } = require(path.join(distDir, 'src', 'strapi', 'exports.js'));
    const file = await renderExport(row.record, wanted.format);
    fs.writeFileSync(wanted.out, file);
    console.log(`${exportFileName(row.record, wanted.format)} → ${wanted.out} (${file.length} bytes)`);
  } finally {
    await stopApp(strapi);
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
