/**
 * The VS Code workbench in headless Chromium (playwright-core, Debian's Chromium): open it, run
 * palette commands, answer quick picks, find webviews and notifications, take screenshots.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Dialog, type Frame, type Locator, type Page } from 'playwright-core';

// From FINDINGS: no sandbox (root in CI), no GPU, and nothing that phones home.
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--no-first-run', '--disable-quic', '--disable-dev-shm-usage'];

export interface OpenedWorkbench {
  browser: Browser;
  page: Page;
  /** Every JS dialog (alert/confirm/prompt) any frame opened; each is dismissed. */
  dialogs: string[];
}

export async function openWorkbench(chromiumPath: string, url: string, workspace: string): Promise<OpenedWorkbench> {
  const browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: CHROMIUM_ARGS, timeout: 60_000 });
  try {
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    const dialogs: string[] = [];
    page.on('dialog', (dialog: Dialog) => {
      dialogs.push(`${dialog.type()}: ${dialog.message()}`);
      void dialog.dismiss().catch(() => undefined);
    });
    await page.goto(`${url}/?folder=${encodeURIComponent(workspace)}`, { timeout: 60_000 });
    await page.locator('.monaco-workbench .part.activitybar').waitFor({ timeout: 90_000 });
    await page.locator('.monaco-workbench .part.statusbar').waitFor({ timeout: 30_000 });
    return { browser, page, dialogs };
  } catch (error) {
    await browser.close().catch(() => undefined);
    throw error;
  }
}

/** The quick-input widget's visible rows. */
const quickRows = (page: Page): Locator => page.locator('.quick-input-widget .quick-input-list .monaco-list-row');

/** Clicks the quick-pick row whose text contains `text` (clicking, because Enter may pick another row). */
export async function pickQuickItem(page: Page, text: string, timeoutMs = 30_000): Promise<void> {
  const row = quickRows(page).filter({ hasText: text }).first();
  await row.waitFor({ state: 'visible', timeout: timeoutMs });
  await row.click();
}

/** F1, type the command's title, click its row. `title` is the full palette label, e.g. "RLVR: Mine Tasks". */
export async function runCommand(page: Page, title: string): Promise<void> {
  const input = page.locator('.quick-input-widget .quick-input-box input');
  for (let attempt = 0; attempt < 3; attempt++) {
    await page.keyboard.press('Escape');
    await page.keyboard.press('F1');
    try {
      await input.waitFor({ state: 'visible', timeout: 5_000 });
      break;
    } catch {
      // Focus was inside a webview, which keeps F1; try again after Escape.
    }
  }
  await input.fill(`>${title}`);
  const row = quickRows(page).filter({ has: page.locator('.label-name', { hasText: title.replace(/^[^:]+:\s*/, '') }) }).first();
  await row.waitFor({ state: 'visible', timeout: 15_000 });
  await row.click();
}

/** A notification toast whose message matches `pattern`. */
export function notification(page: Page, pattern: RegExp): Locator {
  return page.locator('.notification-toast .notification-list-item-message').filter({ hasText: pattern });
}

/**
 * The content frame of the webview that has `selector` in it. Webviews are an outer iframe
 * (`iframe.webview.ready`) holding `#active-frame`; searching every frame by content picks the right
 * one when several webviews are open.
 */
export async function webviewFrame(page: Page, selector: string, timeoutMs = 30_000): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const frame of page.frames()) {
      if (frame === page.mainFrame()) continue;
      const found = await frame.$(selector).catch(() => null);
      if (found) return frame;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`no webview frame contains ${selector} after ${timeoutMs / 1000} s (open frames: ${page.frames().map((f) => f.url().slice(0, 80)).join(', ')})`);
}

export class Screenshots {
  private count = 0;
  constructor(private readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  async take(page: Page, name: string): Promise<string> {
    this.count += 1;
    const path = join(this.dir, `${String(this.count).padStart(2, '0')}-${name}.png`);
    await page.screenshot({ path });
    return path;
  }
}
