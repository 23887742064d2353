/// <reference lib="dom" />
import fs from 'fs';
import path from 'path';
import type { AddressInfo } from 'net';
import { type Browser } from 'playwright-core';
import { launchChromium } from '../support/browser';
import { bootApp, createApiToken, type TestApp } from '../support/app';

/** The offline GraphiQL in a real browser: it loads with nothing from another origin, under the app's CSP, and queries. */

let app: TestApp;
let browser: Browser;
let origin: string;

beforeAll(async () => {
  app = await bootApp();
  await new Promise<void>((resolve) => app.strapi.server.httpServer.listen(0, '127.0.0.1', () => resolve()));
  origin = `http://127.0.0.1:${(app.strapi.server.httpServer.address() as AddressInfo).port}`;
  browser = await launchChromium();
});
afterAll(async () => {
  await (browser as Browser | undefined)?.close();
  await (app as TestApp | undefined)?.close();
});

test('GraphiQL loads offline and runs the full-issue query with a token', async () => {
  const token = await createApiToken(app.strapi, 'read-only');
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const foreign: string[] = [];
  const cspViolations: string[] = [];
  page.on('request', (request) => {
    if (!request.url().startsWith(origin) && !request.url().startsWith('data:')) foreign.push(request.url());
  });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
    if (message.type() === 'error' && /Content Security Policy/i.test(message.text()))
      cspViolations.push(message.text());
  });

  const response = await page.goto(`${origin}/graphiql`);
  expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
  await page.waitForSelector('.graphiql-container', { timeout: 30000 }).catch((error: unknown) => {
    throw new Error(`${error instanceof Error ? error.message : String(error)}\npage errors: ${errors.join('\n')}`);
  });

  // Put the token in the headers editor, then run the default query.
  await page.evaluate(
    (value) => localStorage.setItem('graphiql:headers', value),
    JSON.stringify({ Authorization: `Bearer ${token}` }),
  );
  await page.reload();
  await page.waitForSelector('.graphiql-execute-button', { timeout: 30000 });
  await page.click('.graphiql-execute-button');
  await page.locator('.result-window', { hasText: '我区召开新冠肺炎疫情防控领导小组会议' }).waitFor({ timeout: 30000 });

  fs.mkdirSync(path.join(__dirname, '..', 'artifacts'), { recursive: true });
  await page.screenshot({ path: path.join(__dirname, '..', 'artifacts', 'graphiql.png') });
  expect(foreign).toEqual([]);
  expect(cspViolations).toEqual([]);
});
