/**
 * End-to-end harness: a real VS Code (code-server 4.100.3) in headless Chromium with the packaged
 * VSIX installed and a COPY of an example workspace open. `startStudio` gives a session; `close()`
 * always kills code-server (with everything it started) and Chromium, also when a test failed.
 * Screenshots and the code-server log go to test-output/e2e/<session>/.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Frame, Locator, Page } from 'playwright-core';
import { installExtension, prepareDirs, startCodeServer, type RunningServer, type Settings } from './harness/code-server';
import { descendants, killTreeNow } from './harness/processes';
import { OUTPUT_ROOT, REPO_ROOT, resolveSetup, type E2eSetup } from './harness/setup';
import { notification, openWorkbench, pickQuickItem, runCommand, Screenshots, webviewFrame, type OpenedWorkbench } from './harness/workbench';

export { E2eSetupError } from './harness/setup';

export interface StudioOptions {
  /** Names the output folder test-output/e2e/<name>. */
  name: string;
  /** Example folder to copy as the workspace (default examples/python-basics). */
  example?: string;
  /** Extra user settings (rlvrStudio.* and others). */
  settings?: Settings;
  /** Runs on the workspace copy before VS Code opens it (e.g. to seed its trace store). */
  prepareWorkspace?: (workspace: string) => Promise<void>;
}

/** The activity-bar item of our view container: present once VS Code has read the extension's manifest. */
const RLVR_CONTAINER = '.activitybar .action-item a[aria-label^="RLVR Studio"]';

export class Studio {
  private readonly shots: Screenshots;

  constructor(
    readonly setup: E2eSetup,
    readonly workspace: string,
    readonly outputDir: string,
    private readonly server: RunningServer,
    private readonly workbench: OpenedWorkbench,
    private readonly tempRoot: string,
  ) {
    this.shots = new Screenshots(outputDir);
  }

  get page(): Page {
    return this.workbench.page;
  }

  /** Every alert/confirm/prompt any frame opened (each was dismissed). */
  get dialogs(): readonly string[] {
    return this.workbench.dialogs;
  }

  runCommand(title: string): Promise<void> {
    return runCommand(this.page, title);
  }

  pick(text: string, timeoutMs?: number): Promise<void> {
    return pickQuickItem(this.page, text, timeoutMs);
  }

  notification(pattern: RegExp): Locator {
    return notification(this.page, pattern);
  }

  webview(selector: string, timeoutMs?: number): Promise<Frame> {
    return webviewFrame(this.page, selector, timeoutMs);
  }

  screenshot(name: string): Promise<string> {
    return this.shots.take(this.page, name);
  }

  /** Shows the RLVR Studio side panel (its activity-bar container). */
  async showSidePanel(): Promise<void> {
    const item = this.page.locator(RLVR_CONTAINER);
    await item.waitFor({ timeout: 30_000 });
    // Clicking the item of the container already shown would hide the side bar.
    const title = await this.page.locator('.part.sidebar .composite.title h2').textContent({ timeout: 2_000 }).catch(() => null);
    if (!/RLVR Studio/i.test(title ?? '')) await item.click();
    await this.page.locator('.part.sidebar .composite.title h2', { hasText: /RLVR Studio/i }).waitFor({ timeout: 10_000 });
  }

  /** The argv of every process code-server started (extension host, rlvr CLI, worker...), from /proc. */
  commandLines(): string[][] {
    const root = this.server.process.pid;
    if (root === undefined) return [];
    return descendants(root).flatMap((pid) => {
      try {
        return [readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter((a) => a !== '')];
      } catch {
        return []; // exited meanwhile
      }
    });
  }

  /**
   * "Developer: Reload Window", then waits for the new workbench and our activity-bar item. The
   * extension host restarts; the extension comes back through its activation events.
   */
  async reloadWindow(): Promise<void> {
    const loaded = this.page.waitForEvent('load', { timeout: 90_000 });
    await this.runCommand('Developer: Reload Window');
    await loaded;
    await this.page.locator('.monaco-workbench .part.statusbar').waitFor({ timeout: 90_000 });
    await this.page.locator(RLVR_CONTAINER).waitFor({ timeout: 60_000 });
  }

  private closed = false;

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // The last state on screen, which is what explains a failed test.
    await this.screenshot('at-close').catch(() => undefined);
    await this.workbench.browser.close().catch(() => undefined);
    await this.server.stop();
    forget(this.server);
    rmSync(this.tempRoot, { recursive: true, force: true });
  }
}

// If the test process dies without close() (crash, Ctrl-C), still kill the servers it started.
const running = new Set<RunningServer>();
const forget = (server: RunningServer) => running.delete(server);
process.once('exit', () => {
  for (const server of running) if (server.process.pid !== undefined) killTreeNow(server.process.pid);
});
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.once(sig, () => process.exit(130));
}

function copyWorkspace(example: string, root: string): string {
  const workspace = join(root, 'workspace', example.split('/').pop() ?? 'workspace');
  // Local state (.rlvr caches and stores, venvs) stays behind: every session starts clean.
  cpSync(join(REPO_ROOT, example), workspace, {
    recursive: true,
    filter: (src) => !/[/\\](\.rlvr|\.venv|__pycache__|\.pytest_cache)$/.test(src),
  });
  return workspace;
}

export async function startStudio(options: StudioOptions): Promise<Studio> {
  const setup = resolveSetup();
  const outputDir = join(OUTPUT_ROOT, options.name);
  rmSync(outputDir, { recursive: true, force: true });
  const tempRoot = mkdtempSync(join(tmpdir(), `rlvr-e2e-${options.name}-`));
  let server: RunningServer | undefined;
  try {
    const workspace = copyWorkspace(options.example ?? 'examples/python-basics', tempRoot);
    await options.prepareWorkspace?.(workspace);
    const dirs = prepareDirs(tempRoot, { 'rlvrStudio.pythonPath': setup.python, ...options.settings }, outputDir);
    installExtension(setup, dirs);
    server = await startCodeServer(setup, dirs, workspace);
    running.add(server);
    const workbench = await openWorkbench(setup.chromium, server.url, workspace);
    const studio = new Studio(setup, workspace, outputDir, server, workbench, tempRoot);
    await studio.page.locator(RLVR_CONTAINER).waitFor({ timeout: 60_000 }).catch(async (error: unknown) => {
      await studio.close();
      throw new Error(`the RLVR Studio activity-bar item never appeared: is the VSIX installed? (${String(error)})`);
    });
    return studio;
  } catch (error) {
    if (server) {
      await server.stop();
      forget(server);
    }
    rmSync(tempRoot, { recursive: true, force: true });
    throw error;
  }
}
