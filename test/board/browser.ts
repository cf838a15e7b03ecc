/** Real headless Chromium (Debian's `chromium`, installed by .ci/run) driven by playwright-core. */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach } from 'vitest';

export const CHROMIUM = process.env.COS_CHROMIUM ?? '/usr/bin/chromium';

let browser: Browser | null = null;
const contexts: BrowserContext[] = [];

afterEach(async () => {
  for (const context of contexts.splice(0)) await context.close();
});

afterAll(async () => {
  await browser?.close();
  browser = null;
});

export async function launch(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`No Chromium at ${CHROMIUM}: install Debian's chromium (apt-get install -y chromium; .ci/run does) or set COS_CHROMIUM.`);
  browser ??= await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
  return browser;
}

export interface Watched {
  page: Page;
  /** Dialogs opened (alert, confirm, prompt) and console errors or page errors seen. */
  dialogs: string[];
  errors: string[];
}

/** A fresh page in its own context, with every dialog and console error recorded. */
export async function openPage(options: { colorScheme?: 'light' | 'dark'; offline?: boolean; width?: number; height?: number } = {}): Promise<Watched> {
  const context = await (await launch()).newContext({
    viewport: { width: options.width ?? 1400, height: options.height ?? 900 },
    colorScheme: options.colorScheme ?? 'light',
    offline: options.offline ?? false,
  });
  contexts.push(context);
  const page = await context.newPage();
  const dialogs: string[] = [];
  const errors: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss();
  });
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  return { page, dialogs, errors };
}
