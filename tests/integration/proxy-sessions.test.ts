import { randomBytes } from 'crypto';
import fs from 'fs';
import path from 'path';
import { Client } from 'pg';
import { launchChromium } from '../support/browser';
import { startNginx, type Nginx } from '../support/nginx';
import { createStartedDatabase, type TestDatabase } from '../support/postgres';
import { freePort, startAppProcess, type AppProcess } from '../support/processes';
import { runScript } from '../support/scripts';

/**
 * Sessions behind real nginx (deploy/nginx/bulletin.conf) in front of two app processes on one database (issue 17,
 * part 5; the spread of requests and a killed process are tests/integration/proxy.test.ts): a login made through one
 * process is honoured by the other, the login limits count the attempts that reached either, the client address they
 * count is the one nginx saw (a forged X-Forwarded-For changes nothing), and the admin's preview works through the
 * proxy in Chromium. Accounts come from `npm run users` on the same database, as an administrator makes them.
 */

const ACCOUNT_MAX = 4;
const ARTIFACTS = path.join(__dirname, '..', 'artifacts', 'proxy');
fs.mkdirSync(ARTIFACTS, { recursive: true });
const USER_FAILURE =
  '{"data":null,"error":{"status":400,"name":"ValidationError","message":"Invalid identifier or password","details":{}}}';

let database: TestDatabase;
const apps: AppProcess[] = [];
let nginx: Nginx;
let base = '';
let dbEnv: Record<string, string> = {};

beforeAll(async () => {
  database = await createStartedDatabase(true);
  dbEnv = { DATABASE_CLIENT: 'postgres', DATABASE_URL: database.url };
  const env = {
    ...dbEnv,
    BULLETIN_DEMO_CONTENT: 'true',
    IS_PROXIED: 'true',
    PROXY_HOPS: '1',
    BULLETIN_LOGIN_ACCOUNT_MAX: String(ACCOUNT_MAX),
    BULLETIN_LOGIN_ADDRESS_MAX: '1000',
    BULLETIN_LOGIN_WINDOW_MINUTES: '60',
    SERVE_ADMIN: '1',
  };
  // One after the other: the second finds the schema and the demo content in place.
  for (let index = 0; index < 2; index += 1)
    apps.push(await startAppProcess(0, env, false, { startTimeoutMs: 240000, expectedServerErrors: [] }));
  nginx = await startNginx(
    await freePort(),
    apps.map((app) => app.port),
  );
  base = `http://127.0.0.1:${nginx.port}`;
}, 300000);

afterAll(async () => {
  await (nginx as Nginx | undefined)?.stop();
  for (const app of apps.splice(0)) await app.stop();
  await (database as TestDatabase | undefined)?.drop();
}, 60000);

type Answer = { status: number; text: string; upstream: string };

/** One request through nginx, and which app process answered it (nginx's access log, written as it answers). */
async function via(path: string, init: RequestInit = {}): Promise<Answer> {
  const before = nginx.accessLog().length;
  const response = await fetch(`${base}${path}`, init);
  const text = await response.text();
  const deadline = Date.now() + 5000;
  let log = nginx.accessLog();
  while (log.length <= before && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    log = nginx.accessLog();
  }
  const line = log.slice(before).find((entry) => entry.split(' ')[3] === path.split('?')[0]) ?? '';
  return { status: response.status, text, upstream: line.split(' ')[1] ?? '' };
}

const json = (body: object, headers: Record<string, string> = {}): RequestInit => ({
  method: 'POST',
  headers: { 'Content-Type': 'application/json', ...headers },
  body: JSON.stringify(body),
});
const bearer = (token: string): RequestInit => ({ headers: { Authorization: `Bearer ${token}` } });
const fresh = (prefix: string) => `${prefix}-${randomBytes(3).toString('hex')}`;

/** An account made by `npm run users -- add` on the test's database; resolves with its printed password. */
async function anAccount(args: string[], account: string): Promise<string> {
  const result = await runScript('users', ['add', ...args], dbEnv);
  expect([result.status, result.stderr.trim()]).toEqual([0, '']);
  const row = result.stdout.split('\n').find((line) => line.split('\t')[1] === account);
  if (row === undefined) throw new Error(`no row for ${account} in:\n${result.stdout}`);
  return row.split('\t').at(-1) ?? '';
}

async function sql<T>(text: string, values: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: database.url });
  await client.connect();
  try {
    return (await client.query(text, values)).rows as T[];
  } finally {
    await client.end();
  }
}

const appAddresses = () => apps.map((app) => `127.0.0.1:${app.port}`).sort();
const distinct = (answers: Answer[]) => [...new Set(answers.map((answer) => answer.upstream))].sort();

test("a reader's login through one process is honoured by the other; failed logins count on both, and the limit holds on both", async () => {
  const reader = fresh('proxy-reader');
  const password = await anAccount(
    [reader, '--email', `${reader}@example.gov.cn`, '--role', 'reader', '--unit', '峡窝镇'],
    reader,
  );
  const login = await via('/api/auth/local', json({ identifier: reader, password }));
  expect(login.status).toBe(200);
  const { jwt } = JSON.parse(login.text) as { jwt: string };
  const me = [];
  for (let round = 0; round < 4; round += 1) me.push(await via('/api/users/me', bearer(jwt)));
  expect(me.map((answer) => [answer.status, (JSON.parse(answer.text) as { username: string }).username])).toEqual(
    me.map(() => [200, reader]),
  );
  expect(distinct(me)).toEqual(appAddresses());

  // ACCOUNT_MAX wrong passwords, answered by both processes; then the account is refused by both, the right password too.
  const failures = [];
  for (let attempt = 0; attempt < ACCOUNT_MAX; attempt += 1)
    failures.push(await via('/api/auth/local', json({ identifier: reader, password: `${password}-wrong` })));
  expect(failures.map((answer) => [answer.status, answer.text])).toEqual(failures.map(() => [400, USER_FAILURE]));
  expect(distinct(failures)).toEqual(appAddresses());
  const refused = [];
  for (let attempt = 0; attempt < 4; attempt += 1)
    refused.push(await via('/api/auth/local', json({ identifier: reader, password })));
  expect(refused.map((answer) => answer.status)).toEqual([429, 429, 429, 429]);
  expect(distinct(refused)).toEqual(appAddresses());
  // The session made before is not touched by the lock-out of new logins.
  expect((await via('/api/users/me', bearer(jwt))).status).toBe(200);
}, 120000);

test('the address a login is counted for is the one nginx saw: a forged X-Forwarded-For is not believed', async () => {
  type Counter = { subject: string; attempts: number };
  const counters = () =>
    sql<Counter>(
      "SELECT subject, sum(attempts)::int AS attempts FROM bulletin_login_attempts WHERE scope = 'address' GROUP BY subject",
    );
  const forged = '203.0.113.77';
  const before = await counters();
  const failed = [];
  for (const identifier of [fresh('nobody'), fresh('nobody')])
    failed.push(
      await via('/api/auth/local', json({ identifier, password: 'not-a-password' }, { 'X-Forwarded-For': forged })),
    );
  expect(failed.map((answer) => answer.status)).toEqual([400, 400]);
  const after = await counters();
  expect(after.find((counter) => counter.subject.includes('203.0.113'))).toBeUndefined();
  const loopback = (list: Counter[]) => list.find((counter) => counter.subject.startsWith('127.'))?.attempts ?? 0;
  expect(loopback(after) - loopback(before)).toBe(2);
}, 60000);

test("an editor's admin session works on both processes, and the admin's preview of a draft is framed through nginx", async () => {
  const email = `${fresh('proxy-editor')}@example.gov.cn`;
  const password = await anAccount([email, '--role', 'editor'], email);
  const [draft] = await sql<{ document_id: string }>(
    "SELECT document_id FROM issues WHERE published_at IS NULL AND publication = '上街信息' ORDER BY year, number LIMIT 1",
  );
  expect(draft).toBeDefined();

  // Over HTTP: the admin token from one process opens the preview address on both; the address is signed by one and
  // honoured by the other (both have the office's secrets).
  const login = await via('/admin/login', json({ email, password }));
  expect(login.status).toBe(200);
  const token = (JSON.parse(login.text) as { data: { token: string } }).data.token;
  const addresses = [];
  for (let round = 0; round < 4; round += 1)
    addresses.push(
      await via(
        `/content-manager/preview/url/api::issue.issue?documentId=${draft.document_id}&status=draft`,
        bearer(token),
      ),
    );
  expect(addresses.map((answer) => answer.status)).toEqual([200, 200, 200, 200]);
  expect(distinct(addresses)).toEqual(appAddresses());
  const url = (JSON.parse(addresses[0].text) as { data: { url: string } }).data.url;
  expect(url).toMatch(/^\/bulletin-preview\//);
  const pages = [];
  for (let round = 0; round < 4; round += 1) pages.push(await via(url));
  expect(pages.map((answer) => [answer.status, answer.text.includes('data-part="headline"')])).toEqual(
    pages.map(() => [200, true]),
  );
  expect(distinct(pages)).toEqual(appAddresses());

  // In Chromium, at nginx's address: log in, open the draft, open the preview; the frame shows the draft as printed.
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 1000 }, locale: 'zh-CN' });
    const foreign: string[] = [];
    page.on('request', (request) => {
      if (!/^(http:\/\/127\.0\.0\.1:\d+|data:|blob:|about:)/.test(request.url())) foreign.push(request.url());
    });
    await page.goto(`${base}/admin/auth/login`);
    await page.fill('input[name=email]', email);
    await page.fill('input[name=password]', password);
    await page.click('button[type=submit]');
    await page.waitForURL((address) => !address.pathname.includes('/auth/'), { timeout: 60000 });
    await page.goto(`${base}/admin/content-manager/collection-types/api::issue.issue/${draft.document_id}`);
    await page
      .getByRole('link', { name: '打开预览' })
      .or(page.getByRole('button', { name: '打开预览' }))
      .first()
      .click();
    const frame = page.locator('iframe').first().contentFrame();
    await frame.locator('[data-part=headline]').first().waitFor({ timeout: 30000 });
    expect(await frame.locator('[data-part=item]').count()).toBeGreaterThan(0);
    await page.screenshot({ path: path.join(ARTIFACTS, 'preview-through-nginx.png') });
    expect(foreign).toEqual([]);
  } finally {
    await browser.close();
  }
  const served = nginx.accessLog().filter((line) => line.includes(' /bulletin-preview/'));
  expect(served.length).toBeGreaterThan(pages.length);
}, 180000);
