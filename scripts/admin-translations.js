#!/usr/bin/env node
// node scripts/admin-translations.js [--json]
// After a Strapi upgrade: lists the admin's English messages (admin and plugins) that neither Strapi's zh-Hans nor
// ours (src/admin/translations/zh-Hans) translates, by namespace, with the English to translate; --json prints them
// as one object { id: English } instead. Exits 1 when any is missing. Add them to the namespace's file there.
const fs = require('fs');
const path = require('path');
const ts = require('typescript');
const { strapiMessages, namespaceOf } = require('./lib/admin-messages');

// Our translations are TypeScript modules (imported by the admin bundle): load them through the compiler.
require.extensions['.ts'] = (module, filename) => {
  const { outputText } = ts.transpileModule(fs.readFileSync(filename, 'utf8'), {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020, esModuleInterop: true },
    fileName: filename,
  });
  module._compile(outputText, filename);
};
const { zhHans } = require(path.resolve(__dirname, '..', 'src', 'admin', 'translations', 'zh-Hans', 'index.ts'));

const en = strapiMessages('en');
const effective = { ...strapiMessages('zh-Hans'), ...zhHans };
const missing = Object.keys(en).filter((key) => typeof effective[key] !== 'string');

if (process.argv.includes('--json')) {
  process.stdout.write(`${JSON.stringify(Object.fromEntries(missing.map((key) => [key, en[key]])), null, 2)}\n`);
} else {
  const byNamespace = {};
  for (const key of missing) (byNamespace[namespaceOf(key)] ??= []).push(key);
  for (const [namespace, keys] of Object.entries(byNamespace)) {
    console.log(`${namespace} (${keys.length}):`);
    for (const key of keys) console.log(`  ${key}\t${JSON.stringify(en[key])}`);
  }
  console.log(`${missing.length} of ${Object.keys(en).length} English messages have no zh-Hans.`);
}
process.exitCode = missing.length > 0 ? 1 : 0;
