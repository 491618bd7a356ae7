/**
 * VS Code's Test Explorer as the scenarios read it: which state each task item should have (worked
 * out from the store, independently of the extension), and the tree row that shows it. A row's
 * aria-label ends with its state, e.g. "add (Passed)".
 */
import type { Locator } from 'playwright-core';
import type { Studio } from '../harness';

export type TestState = 'Passed' | 'Failed';

export interface ExpectedTestState {
  taskId: string;
  symbol: string;
  /** null: the run has no sample of the task, so it has no result to show. */
  state: TestState | null;
}

interface RunTaskRow {
  taskId: string;
  task: Record<string, unknown>;
}

interface TraceRow {
  taskId: string;
  kind: string;
  step: number;
  passed: boolean;
}

/**
 * Per task of the run: its training samples at the latest step it was trained (else, for a
 * held-out task, its evaluation samples at the latest step); Passed when any of them passed.
 */
export function expectedTestStates(tasks: readonly RunTaskRow[], traces: readonly TraceRow[]): ExpectedTestState[] {
  return tasks.map(({ taskId, task }) => {
    const own = traces.filter((t) => t.taskId === taskId);
    const train = own.filter((t) => t.kind === 'train');
    const samples = train.length > 0 ? train : own;
    const symbol = String(task.symbol);
    if (samples.length === 0) return { taskId, symbol, state: null };
    const last = Math.max(...samples.map((t) => t.step));
    const passed = samples.some((t) => t.step === last && t.passed);
    return { taskId, symbol, state: passed ? 'Passed' : 'Failed' };
  });
}

const tree = (studio: Studio): Locator => studio.page.locator('.test-explorer .test-explorer-tree');

async function expandAll(studio: Studio): Promise<void> {
  for (let i = 0; i < 50; i++) {
    const collapsed = tree(studio).locator('.monaco-list-row[aria-expanded="false"] .monaco-tl-twistie').first();
    if ((await collapsed.count()) === 0) return;
    await collapsed.click();
    await studio.page.waitForTimeout(200);
  }
}

/** Opens the Test Explorer (its tree lists our controller's items once the extension published them). */
export async function showTestExplorer(studio: Studio): Promise<void> {
  await studio.runCommand('Testing: Focus on Test Explorer View');
  await tree(studio).locator('.monaco-list-row').first().waitFor({ timeout: 30_000 });
}

/**
 * Waits for the item labelled `label` to show `state`. The tree is virtual (only rows in view
 * exist), so the explorer's filter box narrows it to that label first; the filter is a small
 * editor, so it is typed into rather than filled.
 */
export async function waitForTestRow(studio: Studio, label: string, state: TestState, timeoutMs = 30_000): Promise<void> {
  const filter = studio.page.locator('.testing-filter-wrapper .monaco-editor').first();
  await filter.click();
  await studio.page.keyboard.press('ControlOrMeta+A');
  await studio.page.keyboard.press('Backspace');
  await studio.page.keyboard.type(label);
  const deadline = Date.now() + timeoutMs;
  let shown: { name: string; aria: string }[] = [];
  while (Date.now() < deadline) {
    await expandAll(studio);
    // The state ends the aria-label. The name is the label element's own text: an item with a
    // description ("held-out") has it in a child element, and in its aria-label instead of the name.
    shown = await tree(studio).locator('.monaco-list-row').evaluateAll((rows) => rows.map((r) => ({
      name: r.querySelector('.label')?.childNodes[0]?.textContent?.trim() ?? '',
      aria: r.getAttribute('aria-label') ?? '',
    })));
    if (shown.some((r) => r.name === label && r.aria.endsWith(`(${state})`))) return;
    await studio.page.waitForTimeout(500);
  }
  throw new Error(`the Test Explorer has no row "${label}" in state ${state} after ${timeoutMs / 1000} s; filtered to "${label}" it shows: ${shown.map((r) => `${r.name} = ${r.aria}`).join(' | ')}`);
}
