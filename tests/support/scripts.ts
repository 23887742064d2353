import path from 'path';
import { spawn } from 'child_process';
import type { Core } from '@strapi/strapi';

export type ScriptResult = { status: number | null; stdout: string; stderr: string };

/**
 * Runs one of the command-line scripts (scripts/NAME.js) as a child process on the compiled app and the database the
 * test's app uses (the environment bootApp set: DATABASE_*, BULLETIN_SECRETS_FILE), without blocking the test's own
 * event loop (its app keeps answering meanwhile). Resolves with the exit status and everything printed.
 */
export function runScript(
  name: string,
  args: string[],
  env: Record<string, string> = {},
  timeoutMs = 180000,
): Promise<ScriptResult> {
  const script = path.join(__dirname, '..', '..', 'scripts', `${name}.js`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], {
      env: { ...process.env, BULLETIN_DIST_DIR: process.env.BULLETIN_TEST_DIST_DIR, LOG_LEVEL: 'error', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += String(chunk)));
    child.stderr.on('data', (chunk) => (stderr += String(chunk)));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(`scripts/${name}.js ${args.join(' ')} did not finish in ${timeoutMs} ms:\n${stdout}\n${stderr}`),
      );
    }, timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

/** Standard error without Node's deprecation notices (pg warns about Strapi's own query pattern). */
export const problems = (stderr: string): string =>
  stderr
    .split('\n')
    .filter((line) => line.trim() !== '' && !/DeprecationWarning|--trace-deprecation/.test(line))
    .join('\n');

type ScriptIo = {
  strapi: Core.Strapi;
  distDir: string;
  log: (text: string) => void;
  error: (text: string) => void;
  write: (text: string) => void;
  note: (text: string) => void;
};
type ScriptModule = {
  run: (argv: string[], io: ScriptIo) => Promise<number>;
  UsageError: new (message: string) => Error;
  USAGE: string;
};

/**
 * Runs a command-line script that exports `run` (scripts/users.js, scripts/token.js) inside the test's process on the
 * test's own app, as the script's process would run it on a fresh load of the app: the same exit status (2 for a
 * usage error, 1 for a refusal) and the same printed lines. For tests of the script's logic; each script keeps tests
 * that run it for real (runScript), as an office runs it. Not for commands that create admin accounts: Strapi's admin
 * user service then sends a metrics count without awaiting it, inside the account's transaction, which has ended by
 * the time it runs ("Transaction query already complete", an unhandled rejection in the test's process).
 */
export async function runScriptInProcess(
  name: 'users' | 'token',
  args: string[],
  strapi: Core.Strapi,
): Promise<ScriptResult> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the scripts are plain CommonJS files run by node
  const script = require(path.join(__dirname, '..', '..', 'scripts', `${name}.js`)) as ScriptModule;
  let stdout = '';
  let stderr = '';
  const io: ScriptIo = {
    strapi,
    distDir: process.env.BULLETIN_TEST_DIST_DIR ?? '',
    log: (text) => (stdout += `${text}\n`),
    error: (text) => (stderr += `${text}\n`),
    write: (text) => (stdout += text),
    note: (text) => (stderr += text),
  };
  try {
    return { status: await script.run(args, io), stdout, stderr };
  } catch (error) {
    stderr += `${error instanceof Error ? error.message : String(error)}\n`;
    if (error instanceof script.UsageError) stderr += `${script.USAGE}\n`;
    return { status: error instanceof script.UsageError ? 2 : 1, stdout, stderr };
  }
}
