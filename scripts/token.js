#!/usr/bin/env node
// npm run token -- create NAME --type read-only|full-access [--days 7|30|90] [--description TEXT]
//
// Creates a Strapi API token (the office's integration key, as admin → Settings → API Tokens makes) without a browser,
// on the configured database (DATABASE_* as for `npm start`), and prints it once on standard output — nothing else
// goes there, so `TOKEN=$(npm run -s token -- create 前台 --type read-only)` works. Without --days it does not expire.
// read-only reads everything; full-access does everything (README, Access). A name already in use is refused.
const { loadApp, stopApp } = require('./lib/strapi');
const { UsageError, runAsCommand } = require('./lib/command');

const USAGE = 'usage: npm run token -- create NAME --type read-only|full-access [--days 7|30|90] [--description TEXT]';
const DAY_MS = 24 * 60 * 60 * 1000;

function options(argv) {
  const [command, ...rest] = argv;
  if (command !== 'create')
    throw new UsageError(command === undefined ? 'no command given' : `unknown command ${command}`);
  const positional = [];
  const flags = {};
  for (let i = 0; i < rest.length; i += 1) {
    const arg = rest[i];
    if (/^--(type|days|description)$/.test(arg)) {
      if (i + 1 >= rest.length) throw new UsageError(`${arg} needs a value`);
      flags[arg.slice(2)] = rest[(i += 1)];
    } else if (arg.startsWith('--')) throw new UsageError(`unknown option ${arg}`);
    else positional.push(arg);
  }
  if (positional.length !== 1 || positional[0].trim() === '') throw new UsageError('create takes exactly one NAME');
  if (!['read-only', 'full-access'].includes(flags.type))
    throw new UsageError(`--type must be read-only or full-access${flags.type ? ` (not "${flags.type}")` : ''}`);
  if (flags.days !== undefined && !['7', '30', '90'].includes(flags.days))
    throw new UsageError(`--days must be 7, 30 or 90 (not "${flags.days}")`);
  return {
    name: positional[0].trim(),
    type: flags.type,
    lifespan: flags.days === undefined ? null : Number(flags.days) * DAY_MS,
    description: flags.description || '',
  };
}

/**
 * The command on `argv`: the token on `io.write` (standard output by default), the note on `io.note` (standard error).
 * `io.strapi`: an app already loaded to run on, instead of loading one and stopping it after (the tests of the
 * script's logic do so, tests/support/scripts.ts). Resolves with the exit status 0; a UsageError or a refusal is thrown.
 */
async function run(argv, io = {}) {
  const write = io.write || ((text) => process.stdout.write(text));
  const note = io.note || ((text) => process.stderr.write(text));
  const wanted = options(argv);
  // Strapi logs to standard output, which carries only the token here: errors only, whatever LOG_LEVEL says.
  if (!io.strapi) process.env.LOG_LEVEL = 'error';
  const strapi = io.strapi || (await loadApp()).strapi;
  try {
    const tokens = strapi.service('admin::api-token');
    if (await tokens.exists({ name: wanted.name }))
      throw new Error(`an API token named "${wanted.name}" exists already (admin → Settings → API Tokens)`);
    const token = await tokens.create({
      name: wanted.name,
      description: wanted.description,
      type: wanted.type,
      lifespan: wanted.lifespan,
    });
    write(`${token.accessKey}\n`);
    note(
      `API token “${wanted.name}” (${wanted.type}${wanted.lifespan === null ? ', no expiry' : `, expires ${new Date(token.expiresAt).toISOString()}`}): shown once, keep it.\n`,
    );
    return 0;
  } finally {
    if (!io.strapi) await stopApp(strapi);
  }
}

module.exports = { run, UsageError, USAGE };

if (require.main === module) runAsCommand(run, USAGE);
