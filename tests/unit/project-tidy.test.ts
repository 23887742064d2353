import fs from 'fs';
import path from 'path';
import { execFileSync } from 'child_process';
import os from 'os';
import serverConfig from '../../config/server';

/**
 * The checkout an office clones stays tidy and offline: every command the README names exists, Strapi's online update
 * check is off and its state file is not tracked (so `npm run build` and `npm start` change no tracked file), and the
 * Node versions are stated once, as package.json's `engines` says.
 */

const ROOT = path.join(__dirname, '..', '..');
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  scripts: Partial<Record<string, string>>;
  engines: { node: string };
};
const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');

test('every `npm run NAME` the README or a script usage line names is in package.json', () => {
  const texts = [
    readme,
    ...fs
      .readdirSync(path.join(ROOT, 'scripts'))
      .filter((file) => file.endsWith('.js'))
      .map((file) => fs.readFileSync(path.join(ROOT, 'scripts', file), 'utf8')),
  ];
  const named = new Set(
    texts.flatMap((text) => [...text.matchAll(/npm run ([a-z][a-z:-]*)/g)].map((match) => match[1])),
  );
  expect(named.has('import')).toBe(true);
  for (const name of named)
    expect(`${name}: ${pkg.scripts[name] === undefined ? 'missing' : 'ok'}`).toBe(`${name}: ok`);
});

test.each(['import', 'export'])('npm run %s runs the script of that name', (name) => {
  expect(pkg.scripts[name]).toBe(`node scripts/${name}.js`);
  expect(fs.existsSync(path.join(ROOT, 'scripts', `${name}.js`))).toBe(true);
});

test("Strapi's update check is off and its state file is neither tracked nor committable", () => {
  const env = Object.assign((key: string, fallback?: unknown) => fallback, {
    int: (_key: string, fallback?: number) => fallback,
    bool: (_key: string, fallback?: boolean) => fallback,
  });
  // The config reads APP_KEYS: generated into a secrets file of this test's own, never the checkout's .tmp/.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bulletin-tidy-'));
  const saved = process.env.BULLETIN_SECRETS_FILE;
  process.env.BULLETIN_SECRETS_FILE = path.join(dir, 'secrets.json');
  let config: { logger?: { updates?: { enabled?: unknown } } };
  try {
    config = serverConfig({ env } as never);
  } finally {
    if (saved === undefined) delete process.env.BULLETIN_SECRETS_FILE;
    else process.env.BULLETIN_SECRETS_FILE = saved;
    fs.rmSync(dir, { recursive: true, force: true });
  }
  expect(config.logger?.updates?.enabled).toBe(false);
  const tracked = execFileSync('git', ['ls-files', '--', '.strapi-updater.json'], { cwd: ROOT, encoding: 'utf8' });
  expect(tracked).toBe('');
  const ignored = execFileSync('git', ['check-ignore', '--no-index', '.strapi-updater.json'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  expect(ignored.trim()).toBe('.strapi-updater.json');
});

test("the Node versions are stated once in the README, as package.json's engines says", () => {
  expect(pkg.engines.node).toBe('>=20.19.0 <21 || >=22.15.0 <=26.x.x');
  expect(readme.split(pkg.engines.node).length - 1).toBe(1);
  // No other statement of a Node version ("Node.js 20 or newer", "Node 22+").
  expect(readme.match(/Node(\.js)? \d+ or newer|Node(\.js)? \d+\+/g)).toBeNull();
});

test.each([
  ['@strapi/strapi', '20', '26'],
  ['better-sqlite3', '20', '26'],
])('%s declares a Node range that includes the lines engines names (%s to %s)', (name, low, high) => {
  const declared = (
    JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as {
      engines: { node: string };
    }
  ).engines.node;
  expect(declared).toContain(low);
  expect(declared).toContain(high);
});
