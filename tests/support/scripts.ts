import path from 'path';
import { spawn } from 'child_process';

export type ScriptResult = { status: number | null; stdout: string; stderr: string };

/**
 * Runs one of the command-line scripts (scripts/NAME.js) as a child process on the compiled app and the database the
 * test's app uses (the environment bootApp set: DATABASE_*, BULLETIN_SECRETS_FILE), without blocking the test's own
 * event loop (its app keeps answering meanwhile). Resolves with the exit status and everything printed.
 */
export function runScript(name: string, args: string[], env: Record<string, string> = {}, timeoutMs = 180000): Promise<ScriptResult> {
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
      reject(new Error(`scripts/${name}.js ${args.join(' ')} did not finish in ${timeoutMs} ms:\n${stdout}\n${stderr}`));
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
