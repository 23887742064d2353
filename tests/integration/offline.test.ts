import fs from 'fs';
import os from 'os';
import path from 'path';
import net from 'net';
import { execFileSync, spawn } from 'child_process';
import { createTestDatabase } from '../support/postgres';
import { startAppProcess } from '../support/processes';
import { runScript } from '../support/scripts';

/**
 * No request leaves the server: the admin's build (`npm run build`), the demo's first start (development, demo content,
 * its accounts), a reader's and an editor's visit, and the command-line token script, each in a process that records and refuses every connection and
 * DNS look-up outside the loopback range (tests/support/outbound-recorder.js, preloaded with NODE_OPTIONS). A first
 * test proves the recorder notices such attempts (refused before any packet is sent). (Strapi's update check, were it
 * on, asks the registry at most once a day, remembered in .strapi-updater.json: that it is off in the configuration
 * is held by tests/unit/project-tidy.test.ts; with it on and that file absent, this test fails.)
 */

const RECORDER = path.join(__dirname, '..', 'support', 'outbound-recorder.js');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bulletin-offline-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

type Entry = { kind: string; target?: string; pid: number; stack?: string[] };
const entries = (log: string): Entry[] =>
  fs.existsSync(log)
    ? fs
        .readFileSync(log, 'utf8')
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as Entry)
    : [];
const attempts = (log: string) => entries(log).filter((entry) => entry.kind !== 'armed');

test('the recorder notices (and refuses) a connection, a fetch and a DNS look-up to the outside, and lets loopback through', async () => {
  const log = path.join(tmp, 'control.jsonl');
  const server = net.createServer((socket) => socket.end('ok')).listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const port = (server.address() as net.AddressInfo).port;
  const script = `
    const net = require('net'), dns = require('dns');
    (async () => {
      await new Promise((r) => net.connect(${port}, '127.0.0.1').on('data', (d) => { console.log('loopback ' + d); r(); }));
      await new Promise((r) => net.connect({ host: 'outside.example', port: 443 }).on('error', (e) => { console.log('connect ' + e.code); r(); }));
      await new Promise((r) => dns.lookup('outside.example', (e) => { console.log('dns ' + e.code); r(); }));
      await fetch('http://outside.example/').catch((e) => console.log('fetch ' + e.cause.code));
    })();`;
  const output = await new Promise<string>((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', script], {
      env: { ...process.env, NODE_OPTIONS: `--require ${RECORDER}`, OUTBOUND_LOG: log },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let text = '';
    child.stdout.on('data', (chunk) => (text += String(chunk)));
    child.once('error', reject);
    child.once('close', () => resolve(text));
  });
  server.close();
  expect(output.trim().split('\n')).toEqual([
    'loopback ok',
    'connect EHOSTUNREACH',
    'dns ENOTFOUND',
    'fetch EHOSTUNREACH',
  ]);
  expect(attempts(log).map((entry) => `${entry.kind} ${entry.target}`)).toEqual([
    'connect outside.example:443',
    'dns outside.example',
    'connect outside.example:80',
  ]);
});

test("the demo's first start, a reader's and an editor's visit, forgotten passwords and the token script reach nothing outside this machine", async () => {
  const database = await createTestDatabase();
  const log = path.join(tmp, 'app.jsonl');
  const env = {
    NODE_ENV: 'development',
    DATABASE_CLIENT: 'postgres',
    DATABASE_URL: database.url,
    BULLETIN_SECRETS_FILE: path.join(tmp, 'secrets.json'),
    BULLETIN_DEMO_CONTENT: 'true',
    LOG_LEVEL: 'warn',
    NODE_OPTIONS: `--require ${RECORDER}`,
    OUTBOUND_LOG: log,
  };
  try {
    const app = await startAppProcess(0, env);
    const base = `http://127.0.0.1:${app.port}`;
    const password = (label: string) => {
      const line = app
        .output()
        .split('\n')
        .find((text) => text.startsWith(`${label}\t`));
      if (line === undefined) throw new Error(`no demo account ${label}:\n${app.output()}`);
      return line.split('\t')[2];
    };
    const post = (url: string, body: object, bearer?: string) =>
      fetch(`${base}${url}`, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          ...(bearer === undefined ? {} : { Authorization: `Bearer ${bearer}` }),
        },
        body: JSON.stringify(body),
      });
    try {
      // A reader: the front end, a login, the issue over REST and GraphQL.
      expect((await fetch(`${base}/reader/`)).status).toBe(200);
      const login = await post('/api/auth/local', {
        identifier: 'demo-reader',
        password: password('阅读人（峡窝镇）'),
      });
      expect(login.status).toBe(200);
      const { jwt } = (await login.json()) as { jwt: string };
      const issue = await fetch(`${base}/api/bulletin/${encodeURIComponent('上街信息')}/2020/14`, {
        headers: { Authorization: `Bearer ${jwt}` },
      });
      expect(issue.status).toBe(200);
      const list = await post(
        '/graphql',
        { query: '{ bulletinIssues(year: 2020) { nodes { number headlines } } }' },
        jwt,
      );
      expect(list.status).toBe(200);
      expect((await fetch(`${base}/graphiql`)).status).toBe(200);
      // An editor: the admin's login and the screens' first requests.
      const admin = await post('/admin/login', { email: 'demo-editor@example.gov.cn', password: password('编辑') });
      expect(admin.status).toBe(200);
      const token = ((await admin.json()) as { data: { token: string } }).data.token;
      for (const url of [
        '/admin/init',
        '/admin/users/me',
        '/admin/information',
        '/content-manager/init',
        '/content-manager/collection-types/api::issue.issue?page=1&pageSize=10',
      ]) {
        const response = await fetch(`${base}${url}`, { headers: { Authorization: `Bearer ${token}` } });
        expect([url, response.status < 500]).toEqual([url, true]);
      }
      // A forgotten password on either login page: no mail leaves (nothing sends mail on an intranet).
      expect((await post('/api/auth/forgot-password', { email: 'demo-reader@example.gov.cn' })).status).toBe(200);
      expect((await post('/admin/forgot-password', { email: 'demo-editor@example.gov.cn' })).status).toBe(204);
      // The command line, on the same database (the admin's mail, were it sent, goes out after its answer).
      const created = await runScript('token', ['create', '离线检查', '--type', 'read-only'], env);
      expect(created.status).toBe(0);
    } finally {
      await app.stop();
    }
    const armed = entries(log).filter((entry) => entry.kind === 'armed');
    expect(armed.length).toBeGreaterThanOrEqual(2);
    expect(attempts(log)).toEqual([]);
  } finally {
    await database.drop();
  }
});

const ROOT = path.join(__dirname, '..', '..');

test('the admin build (strapi build, as `npm run build` runs it) reaches nothing outside this machine and changes no tracked file', async () => {
  // Built in a copy of the tracked files (node_modules linked), so the checkout's own dist/build, which the browser
  // tests serve, is left alone. Unminified only to save half a minute: minifying is esbuild's work on the bundle.
  const copy = fs.mkdtempSync(path.join(tmp, 'build-'));
  const tracked = execFileSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8' })
    .split('\0')
    .filter((file) => file !== '' && !/^(tests|bench|docs)\//.test(file) && fs.existsSync(path.join(ROOT, file)));
  for (const file of tracked) {
    fs.mkdirSync(path.dirname(path.join(copy, file)), { recursive: true });
    fs.copyFileSync(path.join(ROOT, file), path.join(copy, file));
  }
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(copy, 'node_modules'));
  const digest = () => tracked.map((file) => `${file} ${fs.readFileSync(path.join(copy, file)).toString('base64')}`);
  const before = digest();
  const log = path.join(tmp, 'build.jsonl');
  const { status, output } = await new Promise<{ status: number | null; output: string }>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [path.join(copy, 'node_modules', '@strapi', 'strapi', 'bin', 'strapi.js'), 'build', '--minify', 'false'],
      {
        cwd: copy,
        env: {
          ...process.env,
          BULLETIN_SECRETS_FILE: path.join(copy, 'secrets.json'),
          NODE_OPTIONS: `--require ${RECORDER}`,
          OUTBOUND_LOG: log,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let text = '';
    child.stdout.on('data', (chunk) => (text += String(chunk)));
    child.stderr.on('data', (chunk) => (text += String(chunk)));
    child.once('error', reject);
    child.once('close', (code) => resolve({ status: code, output: text }));
  });
  expect([status, output]).toEqual([0, expect.stringContaining('Building admin panel')]);
  expect(fs.existsSync(path.join(copy, 'dist', 'build', 'index.html'))).toBe(true);
  expect(entries(log).filter((entry) => entry.kind === 'armed').length).toBeGreaterThanOrEqual(1);
  expect(attempts(log)).toEqual([]);
  expect(
    digest()
      .filter((line, index) => line !== before[index])
      .map((line) => line.split(' ')[0]),
  ).toEqual([]);
}, 300000);
