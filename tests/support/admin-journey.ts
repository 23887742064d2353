/// <reference lib="dom" />
import fs from 'fs';
import path from 'path';
import type { Browser, Locator, Page } from 'playwright-core';

/** Words a screen may show in Latin script: the file formats the app offers. */
const ALLOWED_LATIN = new Set(['PDF', 'Word', 'Markdown']);

/**
 * An admin user's journey in the real admin, as the browser tests count it: the clicks made and the entries typed,
 * every screen's screenshot (in `artifacts`) and the Latin-script words it shows, the admin calls refused (shown
 * when a step fails) and any request to somewhere other than the app. `reset()` before each test: each test is a
 * journey of its own.
 */
export class AdminJourney {
  clicks = 0;
  typed = 0;
  readonly foreign: string[] = [];
  readonly refused: string[] = [];
  readonly latin = new Map<string, string[]>();

  constructor(
    private readonly browser: Browser,
    readonly origin: string,
    private readonly artifacts: string,
    private readonly viewport: { width: number; height: number },
  ) {
    fs.mkdirSync(artifacts, { recursive: true });
  }

  reset(): void {
    this.clicks = 0;
    this.typed = 0;
    this.foreign.length = 0;
    this.refused.length = 0;
    this.latin.clear();
  }

  /** A new page signed in at the admin's login form (every test account's password is Admin-pass-1). */
  async loggedIn(email: string): Promise<Page> {
    const page = await this.browser.newPage({ viewport: this.viewport, locale: 'zh-CN' });
    page.on('response', (response) => {
      if (response.status() >= 400 && response.url().startsWith(this.origin)) {
        const call = `${response.request().method()} ${new URL(response.url()).pathname} → ${response.status()}`;
        void response
          .text()
          .then((body) => this.refused.push(`${call} ${body.slice(0, 400)}`))
          .catch(() => undefined);
      }
    });
    page.on('request', (request) => {
      const url = request.url();
      if (![this.origin, 'data:', 'blob:', 'about:'].some((start) => url.startsWith(start))) this.foreign.push(url);
    });
    await page.goto(`${this.origin}/admin/auth/login`);
    await page.fill('input[name=email]', email);
    await page.fill('input[name=password]', 'Admin-pass-1');
    await page.click('button[type=submit]');
    await page.waitForURL((url) => !url.pathname.includes('/auth/'), { timeout: 60000 });
    return page;
  }

  /** A click the user makes: counted. */
  async click(target: Locator): Promise<void> {
    this.clicks += 1;
    await target.click();
  }

  /** Text the user types: counted as one entry. */
  async type(target: Locator, text: string): Promise<void> {
    this.typed += 1;
    await target.fill(text);
  }

  /** A screenshot once the page is idle, and the Latin-script words it shows. */
  async screen(page: Page, name: string): Promise<void> {
    await page.waitForLoadState('networkidle').catch(() => undefined);
    await page.screenshot({ path: path.join(this.artifacts, `${name}.png`), fullPage: true });
    this.latin.set(name, await latinWords(page));
  }

  /** `screens` screens were seen, none of them showed a Latin-script word outside the allowed, nothing left the app. */
  expectChineseAndLocal(screens: number): void {
    expect([...this.latin.keys()]).toHaveLength(screens);
    expect(Object.fromEntries([...this.latin.entries()].filter(([, words]) => words.length > 0))).toEqual({});
    expect(this.foreign).toEqual([]);
  }

  /** The step's error with the admin calls refused so far, to say why a step failed. */
  withRefused(error: unknown): Error {
    return new Error(`${String(error)}\nrefused calls:\n${this.refused.join('\n')}`);
  }
}

/** Every Latin-script word a person sees on the page (text, placeholders, labels, titles), apart from the allowed. */
async function latinWords(page: Page): Promise<string[]> {
  const texts = await page.evaluate(() => {
    const seen = [document.body.innerText, document.title];
    for (const element of Array.from(document.querySelectorAll('[placeholder],[aria-label],[title]'))) {
      for (const name of ['placeholder', 'aria-label', 'title']) {
        const value = element.getAttribute(name);
        if (value !== null) seen.push(value);
      }
    }
    return seen.join('\n');
  });
  // The signed-in account's e-mail address is data the test typed, like a name.
  const words = texts.replace(/[\w.+-]+@[\w-]+(\.[\w-]+)+/g, ' ').match(/[A-Za-z][A-Za-z'’-]*[A-Za-z]|[A-Za-z]/g) ?? [];
  return [...new Set(words)].filter((word) => !ALLOWED_LATIN.has(word));
}
