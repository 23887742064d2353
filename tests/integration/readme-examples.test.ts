import fs from 'fs';
import os from 'os';
import path from 'path';
import { spawn } from 'child_process';
import { createTestDatabase, type TestDatabase } from '../support/postgres';
import { startAppProcess, type AppProcess } from '../support/processes';

/**
 * The README's shell examples of "REST and GraphQL (front ends)" run as written: a demo started in development on an
 * empty database (as `npm start` is), its reader's password taken from what the first start printed, and every
 * ```bash block of that part of the README run in order in one bash, with `set -euo pipefail` (the examples use
 * `curl -f`, so an HTTP error fails them). Only two things are the test's: a placeholder line `NAME=…` is given its
 * value in the environment, and http://localhost:1337 is the port the OS gave the app.
 */

const ROOT = path.join(__dirname, '..', '..');
const README = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bulletin-readme-'));

/** The ```bash blocks between a `## heading` and the next `## ` heading. */
export function shellBlocks(markdown: string, heading: string): string[] {
  const start = markdown.indexOf(`\n## ${heading}\n`);
  if (start < 0) throw new Error(`README has no section "${heading}"`);
  const rest = markdown.slice(start + heading.length + 5);
  const end = rest.search(/\n## /);
  const section = end < 0 ? rest : rest.slice(0, end);
  return [...section.matchAll(/^```bash\n([\s\S]*?)^```$/gm)].map((match) => match[1]);
}

let database: TestDatabase;
let demo: AppProcess;
let env: Record<string, string>;
let password: string;

beforeAll(async () => {
  database = await createTestDatabase();
  env = {
    NODE_ENV: 'development',
    DATABASE_CLIENT: 'postgres',
    DATABASE_URL: database.url,
    BULLETIN_SECRETS_FILE: path.join(tmp, 'secrets.json'),
    BULLETIN_DEMO_CONTENT: 'true',
    BULLETIN_DIST_DIR: process.env.BULLETIN_TEST_DIST_DIR ?? '',
    LOG_LEVEL: 'warn',
  };
  demo = await startAppProcess(0, env);
  const line = demo
    .output()
    .split('\n')
    .find((text) => text.startsWith('阅读人（峡窝镇）\tdemo-reader\t'));
  if (line === undefined) throw new Error(`the demo printed no reader account:\n${demo.output()}`);
  password = line.split('\t')[2];
});
afterAll(async () => {
  await (demo as AppProcess | undefined)?.stop();
  await (database as TestDatabase | undefined)?.drop();
  fs.rmSync(tmp, { recursive: true, force: true });
});

function bash(
  script: string,
  extraEnv: Record<string, string>,
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', script], {
      cwd: ROOT,
      env: { ...process.env, ...env, ...extraEnv },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += String(chunk)));
    child.stderr.on('data', (chunk) => (stderr += String(chunk)));
    child.once('error', reject);
    child.once('close', (status) => resolve({ status, stdout, stderr }));
  });
}

test('the README section has its examples: a login, a token, REST with curl -g and GraphQL with gql', () => {
  const blocks = shellBlocks(README, 'REST and GraphQL (front ends)');
  expect(blocks.length).toBeGreaterThanOrEqual(6);
  expect(blocks.join('\n')).toContain('curl -gsf');
  expect(blocks.filter((block) => block.trimStart().startsWith('gql ')).length).toBeGreaterThanOrEqual(3);
  // No GraphQL example without a command to run it.
  expect(README).not.toMatch(/^```graphql$/m);
});

test('every shell example of "REST and GraphQL" runs as written against the demo, and answers what it says', async () => {
  const blocks = shellBlocks(README, 'REST and GraphQL (front ends)');
  const placeholders: Record<string, string> = { PASSWORD: password };
  const script = [
    'set -euo pipefail',
    ...blocks.map((block, index) => {
      const body = block
        .split('\n')
        .filter((line) => {
          const placeholder = /^([A-Z_]+)=…/.exec(line);
          if (placeholder === null) return true;
          if ((placeholders[placeholder[1]] as string | undefined) === undefined)
            throw new Error(`README placeholder ${placeholder[1]} has no value in this test`);
          return false;
        })
        .join('\n')
        .split('http://localhost:1337')
        .join(`http://127.0.0.1:${demo.port}`);
      // A line of its own before each block's output (curl ends its answer without a newline).
      return `printf '\\n@@ block ${index}\\n'\n${body}`;
    }),
  ].join('\n');
  const result = await bash(script, placeholders);
  // Standard error: only the token script's note that its token is shown once.
  const stderr = result.stderr
    .split('\n')
    .filter((line) => line.trim() !== '' && !/DeprecationWarning|--trace-deprecation/.test(line));
  expect(stderr.filter((line) => !line.startsWith('API token “示例 '))).toEqual([]);
  expect(result.status).toBe(0);

  const outputs = result.stdout
    .split(/\n@@ block \d+\n/)
    .slice(1)
    .map((output) => output.trim());
  expect(outputs).toHaveLength(blocks.length);
  // The set-up block prints nothing; every other block prints JSON with data and no error.
  expect(outputs[0]).toBe('');
  for (const [index, output] of outputs.slice(1).entries()) {
    const answer = JSON.parse(output) as { data?: unknown; errors?: unknown; error?: unknown };
    expect([index + 1, answer.errors ?? answer.error ?? null]).toEqual([index + 1, null]);
    expect(answer.data).toBeDefined();
  }
  const all = outputs.join('\n');
  expect(all).toContain('"shortName":"区委办"');
  expect(all).toContain('第14期');
  expect(all).toContain('2020年2月19日');
  expect(all).toContain('峡窝镇');
});
