import fs from 'fs';
import type { Browser, Page } from 'playwright-core';

/**
 * PDF from the HTML with ONE headless Chromium per process, started on the first export and shared: each export
 * takes a page, sets the HTML (`setContent`: no URL, no login, nothing fetched) and prints A4 by the document's own
 * `@page` rules. At most 2 renders run at once and at most 8 wait their turn (a burst of exports cannot start a burst
 * of renderers or pages on a 2-core server); beyond that an export is refused at once with PdfBusyError (503 and
 * Retry-After). A page is kept for the next render (at most one per render at once): opening one costs about as much
 * as the print itself, and its renderer has the fonts loaded; a page whose render failed is closed instead. A browser
 * that crashed is started again by the next export; one idle for 5 minutes is closed with its pages (its memory given
 * back), and so is the browser when Strapi stops.
 */

/** Renders at once: one per core. */
export const MAX_RENDERS = 2;
// --renderer-process-limit: pages share that many renderer processes instead of one new process per page.
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  `--renderer-process-limit=${MAX_RENDERS}`,
];
/** Exports waiting for a render; more are refused. */
export const MAX_WAITING = 8;
/** A browser with no render for this long is closed. */
const IDLE_MS = 5 * 60 * 1000;
/** How long a client is told to wait when refused. */
export const BUSY_RETRY_AFTER_SECONDS = 5;
/** One render (setContent and print) may take this long before it fails. */
const RENDER_TIMEOUT_MS = 30000;

export class PdfUnavailableError extends Error {}
/** Too many exports at once: the client should try again after BUSY_RETRY_AFTER_SECONDS. */
export class PdfBusyError extends Error {}

/**
 * At most `running` tasks at once and `waiting` in line (first come, first served); a task beyond both is refused
 * with PdfBusyError without being started.
 */
export class RenderGate {
  private active = 0;
  private readonly line: (() => void)[] = [];
  constructor(
    private readonly running: number,
    private readonly waiting: number,
  ) {}

  get load(): { active: number; waiting: number } {
    return { active: this.active, waiting: this.line.length };
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.running) {
      if (this.line.length >= this.waiting)
        throw new PdfBusyError(`PDF export busy: ${this.active} rendering, ${this.line.length} waiting`);
      await new Promise<void>((resolve) => this.line.push(resolve));
    } else {
      this.active += 1;
    }
    try {
      return await task();
    } finally {
      const next = this.line.shift();
      if (next === undefined) this.active -= 1;
      else next(); // the slot passes straight to the next in line
    }
  }
}

const gate = new RenderGate(MAX_RENDERS, MAX_WAITING);
let browser: Promise<Browser> | null = null;
/** Pages of the current browser kept between renders; none is in use. */
let keptPages: Page[] = [];
let idleTimer: NodeJS.Timeout | null = null;

function executablePath(): string {
  const configured = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!fs.existsSync(configured)) {
    throw new PdfUnavailableError(
      `PDF export needs Chromium at ${configured} (apt-get install -y chromium fonts-noto-cjk, or set CHROMIUM_PATH).`,
    );
  }
  return configured;
}

function shared(): Promise<Browser> {
  if (browser === null) {
    const path = executablePath();
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- Chromium's driver is loaded on the first PDF only, not at every start
    const { chromium } = require('playwright-core') as typeof import('playwright-core');
    const launching = chromium.launch({ executablePath: path, args: FLAGS, headless: true }).then((launched) => {
      // Crashed or closed: the next export starts a new one.
      launched.on('disconnected', () => {
        if (browser !== launching) return;
        browser = null;
        keptPages = [];
      });
      return launched;
    });
    launching.catch(() => {
      if (browser === launching) browser = null;
    });
    browser = launching;
  }
  return browser;
}

/** Closes the browser once no render has run for IDLE_MS. */
function armIdleShutdown(): void {
  if (idleTimer !== null) clearTimeout(idleTimer);
  idleTimer = setTimeout(() => {
    idleTimer = null;
    if (gate.load.active === 0) void closePdfBrowser();
  }, IDLE_MS);
  idleTimer.unref();
}

/** A kept page of the current browser, or a new one. */
async function takePage(): Promise<Page> {
  const current = await shared();
  for (let kept = keptPages.pop(); kept !== undefined; kept = keptPages.pop()) {
    if (!kept.isClosed() && kept.context().browser() === current) return kept;
  }
  const page = await current.newPage();
  page.setDefaultTimeout(RENDER_TIMEOUT_MS);
  // Nothing leaves the process: the document has no external resource, and any request is refused anyway.
  await page.route('**/*', (route) => route.abort());
  return page;
}

async function render(html: string): Promise<Buffer> {
  const page = await takePage();
  let printed = false;
  try {
    await page.setContent(html, { waitUntil: 'load' });
    const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
    printed = true;
    return pdf;
  } finally {
    // Kept for the next render when it printed; closed (with its own context: browser.newPage makes one per page)
    // when it failed, so a broken page is never used again.
    if (printed && !page.isClosed() && keptPages.length < MAX_RENDERS) keptPages.push(page);
    else await page.close().catch(() => undefined);
    armIdleShutdown();
  }
}

/** The PDF of a standalone HTML document: at most MAX_RENDERS at once, MAX_WAITING in line, PdfBusyError beyond. */
export function htmlToPdf(html: string): Promise<Buffer> {
  executablePath(); // no Chromium: PdfUnavailableError before anyone waits in line
  return gate.run(() => render(html));
}

export async function closePdfBrowser(): Promise<void> {
  if (idleTimer !== null) clearTimeout(idleTimer);
  idleTimer = null;
  const current = browser;
  browser = null;
  keptPages = [];
  if (current !== null) await (await current.catch(() => null))?.close();
}
