import fs from 'fs';
import type { Browser } from 'playwright-core';

/**
 * PDF from the HTML with ONE headless Chromium per process, started on the first export and shared: each export
 * opens a page, sets the HTML (`setContent`: no URL, no login, nothing fetched), prints A4 by the document's own
 * `@page` rules, and closes the page. Exports run one at a time (a queue), so a burst of exports cannot start a burst
 * of renderers on a 2-core server. The browser is closed when Strapi stops.
 */

const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export class PdfUnavailableError extends Error {}

let browser: Promise<Browser> | null = null;
let queue: Promise<unknown> = Promise.resolve();

function executablePath(): string {
  const configured = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!fs.existsSync(configured)) {
    throw new PdfUnavailableError(`PDF export needs Chromium at ${configured} (apt-get install -y chromium fonts-noto-cjk, or set CHROMIUM_PATH).`);
  }
  return configured;
}

function shared(): Promise<Browser> {
  if (browser === null) {
    const path = executablePath();
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- Chromium's driver is loaded on the first PDF only, not at every start
    const { chromium } = require('playwright-core') as typeof import('playwright-core');
    browser = chromium.launch({ executablePath: path, args: FLAGS, headless: true }).then((launched) => {
      launched.on('disconnected', () => (browser = null));
      return launched;
    });
    browser.catch(() => (browser = null));
  }
  return browser;
}

async function render(html: string): Promise<Buffer> {
  const page = await (await shared()).newPage();
  try {
    // Nothing leaves the process: the document has no external resource, and any request is refused anyway.
    await page.route('**/*', (route) => route.abort());
    await page.setContent(html, { waitUntil: 'load' });
    return await page.pdf({ preferCSSPageSize: true, printBackground: true });
  } finally {
    await page.close();
  }
}

/** The PDF of a standalone HTML document; exports are queued one after another. */
export function htmlToPdf(html: string): Promise<Buffer> {
  const result = queue.then(() => render(html));
  queue = result.catch(() => undefined);
  return result;
}

export async function closePdfBrowser(): Promise<void> {
  const current = browser;
  browser = null;
  if (current !== null) await (await current.catch(() => null))?.close();
}
