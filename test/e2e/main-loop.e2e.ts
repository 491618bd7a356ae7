/**
 * The main loop from the palette, in one VS Code session (each session costs ~20 s to start):
 * the packaged extension activates, "RLVR: Mine Tasks" reports the task count, "RLVR: Start
 * Training" trains the tiny model for two steps, then the traces in the side panel, one trace
 * opened, a CodeLens on a task function, the run's results in the Test Explorer (then the
 * ground-truth verdicts), the dashboard with a drawn chart, and both panels back after a window
 * reload. Every number the UI shows is compared with an independent source: the bundled CLI or the
 * store the run wrote.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, before, test } from 'node:test';
import { openStoreReader, type RunRecord, type StoreReader, type TraceSummary } from '../../src/trainer/store';
import { buildTinyModel } from './fixtures/tiny-model';
import { startStudio, type Studio } from './harness';
import { expectedTestStates, showTestExplorer, waitForTestRow } from './harness/testing';
import { REPO_ROOT, resolveSetup } from './harness/setup';

const STEPS = 2;
const TASKS_PER_STEP = 2;
const GROUP_SIZE = 2;
// Small enough for two CPU cores: 2 steps × 2 tasks × 2 samples of 32 tokens, one held-out eval.
const TRAIN_SETTINGS = {
  steps: STEPS, tasksPerStep: TASKS_PER_STEP, groupSize: GROUP_SIZE, maxNewTokens: 32,
  dynamicSampling: false, heldOutFraction: 0.05, evalSamples: 2, evalK: [1, 2], checkpointEvery: 0,
};

let studio: Studio;
let modelDir: string;
let run: RunRecord;
let store: StoreReader;
let tinyModel: Promise<string>;

before(async () => {
  modelDir = mkdtempSync(join(tmpdir(), 'rlvr-e2e-tiny-'));
  // The model is only needed by the training test: build it while code-server starts.
  const model = buildTinyModel(resolveSetup().python, join(modelDir, 'tiny'));
  model.catch(() => undefined);
  studio = await startStudio({
    name: 'main-loop',
    settings: { 'rlvrStudio.demoModelPath': join(modelDir, 'tiny'), 'rlvrStudio.trainSettings': TRAIN_SETTINGS },
  });
  tinyModel = model;
});

after(async () => {
  await store?.close();
  await studio?.close();
  if (modelDir) rmSync(modelDir, { recursive: true, force: true });
});

async function allTraces(runId: string): Promise<TraceSummary[]> {
  const rows: TraceSummary[] = [];
  let cursor: string | undefined;
  for (;;) {
    const page = await store.queries.queryTraces({ runId, limit: 1000, ...(cursor ? { cursor } : {}) });
    rows.push(...page.rows);
    if (!page.nextCursor) return rows;
    cursor = page.nextCursor;
  }
}

function cliTaskCount(workspace: string, python: string): number {
  const result = spawnSync(process.execPath, [join(REPO_ROOT, 'dist', 'rlvr.js'), 'tasks', '--workspace', workspace, '--python', python, '--json'],
    { encoding: 'utf8', timeout: 120_000 });
  assert.equal(result.status, 0, `rlvr tasks failed: ${result.stderr}`);
  const tasks: unknown = JSON.parse(result.stdout);
  assert.ok(Array.isArray(tasks), `rlvr tasks --json did not print an array: ${result.stdout.slice(0, 200)}`);
  return tasks.length;
}

test('the RLVR Studio view container is in the activity bar', async () => {
  await studio.page.locator('.activitybar .action-item a[aria-label^="RLVR Studio"]').waitFor({ timeout: 30_000 });
});

test('"RLVR: Mine Tasks" reports the task count of the Python example', async () => {
  await studio.runCommand('RLVR: Mine Tasks');
  const done = studio.notification(/RLVR: mined \d+ tasks? in python-basics/);
  await done.waitFor({ timeout: 180_000 });
  const message = (await done.textContent()) ?? '';
  await studio.screenshot('mined-tasks');
  const shown = Number(/mined (\d+) task/.exec(message)?.[1]);
  assert.ok(shown > 0, `expected a positive task count in "${message}"`);
  assert.equal(shown, cliTaskCount(studio.workspace, studio.setup.python), 'the notification and `rlvr tasks --json` disagree');
  assert.deepEqual(studio.dialogs, []);
});

test('"RLVR: Start Training" trains the tiny model for two steps', async () => {
  await tinyModel;
  await studio.runCommand('RLVR: Start Training');
  await studio.pick('Tiny demo model');
  await studio.pick('All tasks');
  await studio.pick('Quick demo');
  await studio.page.locator('.statusbar-item', { hasText: /RLVR (starting|\d+\/\d+)/ }).first().waitFor({ timeout: 60_000 });
  await studio.screenshot('training-started');
  const end = studio.notification(/RLVR: run \S+ (completed|stopped) at step|RLVR: training failed/);
  await end.waitFor({ timeout: 420_000 });
  const message = (await end.textContent()) ?? '';
  await studio.screenshot('training-ended');
  assert.match(message, new RegExp(`completed at step ${STEPS}`), `training did not complete: ${message}`);
  store = await openStoreReader(join(studio.workspace, '.rlvr', 'runs.db'));
  const runs = await store.queries.listRuns();
  assert.equal(runs.length, 1);
  run = runs[0] as RunRecord;
  assert.equal(run.status, 'completed');
  assert.equal(run.lastStep, STEPS);
  assert.ok(message.includes(run.id), `the notification names another run: ${message}`);
  await studio.page.locator('.statusbar-item', { hasText: `RLVR done ${STEPS}/${STEPS}` }).waitFor({ timeout: 10_000 });
});

test('the side panel lists the run\'s traces and opens one', async () => {
  assert.ok(run, 'needs the trained run');
  const traces = await allTraces(run.id);
  const trainTraces = traces.filter((t) => t.kind === 'train');
  assert.equal(trainTraces.length, STEPS * TASKS_PER_STEP * GROUP_SIZE);
  await studio.showSidePanel();
  const list = await studio.webview('.status-line');
  const status = list.locator('.status-line');
  await status.filter({ hasText: `${traces.length} traces` }).waitFor({ timeout: 30_000 }).catch(async () => {
    assert.fail(`the Traces view should count the run's ${traces.length} traces; its status line says "${await status.innerText()}"`);
  });
  const newest = traces.reduce((a, b) => (b.id > a.id ? b : a));
  const row = list.locator('.vlist-row:not(.loading)').first();
  assert.match((await row.getAttribute('title')) ?? '', new RegExp(`^Trace ${newest.id} `));
  await studio.screenshot('traces-of-run');
  await row.click();
  const view = await studio.webview('pre.think', 30_000);
  await view.locator('.header, header, body', { hasText: `trace ${newest.id}` }).first().waitFor({ timeout: 30_000 });
  const detail = await store.queries.getTrace(newest.id);
  assert.ok(detail);
  const shown = await view.locator('pre.think').innerText();
  assert.ok(shown.trim().length > 0 && detail.completion.includes(shown.trim().slice(0, 20)), 'the trace view does not show the stored completion');
  await studio.screenshot('trace-of-run');
});

test('a sampled task function has a CodeLens with its result', async () => {
  assert.ok(run, 'needs the trained run');
  const train = (await allTraces(run.id)).filter((t) => t.kind === 'train');
  const tasks = await store.queries.listRunTasks(run.id);
  const sampled = train[0] as TraceSummary;
  const task = tasks.find((t) => t.taskId === sampled.taskId)?.task as { file: string; symbol: string } | undefined;
  assert.ok(task, `task ${sampled.taskId} of a trace is not among the run's tasks`);
  const lastStep = Math.max(...train.filter((t) => t.taskId === sampled.taskId).map((t) => t.step));
  const atStep = train.filter((t) => t.taskId === sampled.taskId && t.step === lastStep);
  const passed = atStep.filter((t) => t.passed).length;
  const expected = `RLVR ${passed > 0 ? '✓' : '✗'} ${passed}/${atStep.length} verified · step ${lastStep} · best trace`;

  await studio.runCommand('Go to File...');
  await studio.page.locator('.quick-input-widget .quick-input-box input').fill(task.file);
  await studio.pick(basename(task.file));
  await studio.page.locator('.monaco-editor .view-lines').first().waitFor({ timeout: 15_000 });
  // Bring the function into view so its lens is rendered (no Python language server here: go by line).
  const line = readFileSync(join(studio.workspace, task.file), 'utf8').split('\n').findIndex((l) => new RegExp(`def ${task.symbol.split('.').pop()}\\b`).test(l)) + 1;
  assert.ok(line > 0, `no "def ${task.symbol}" in ${task.file}`);
  await studio.runCommand('Go to Line/Column...');
  await studio.page.locator('.quick-input-widget .quick-input-box input').fill(`:${line}`);
  await studio.page.keyboard.press('Enter');
  await studio.page.locator('.contentWidgets .codelens-decoration', { hasText: expected }).first().waitFor({ timeout: 30_000 });
  await studio.screenshot('codelens');
});

test('the Test Explorer shows the run\'s results per task, then the ground-truth verdicts', async () => {
  assert.ok(run, 'needs the trained run');
  // What the store says, task by task: passed when a sample at the task's latest step passed.
  const expected = expectedTestStates(await store.queries.listRunTasks(run.id), await allTraces(run.id));
  const sampled = expected.filter((e) => e.state !== null);
  assert.ok(sampled.length > 0, 'the run sampled no task');
  await showTestExplorer(studio);
  for (const { symbol, state } of sampled) if (state) await waitForTestRow(studio, symbol, state);
  await studio.screenshot('test-explorer-training');
  // The palette's ground-truth check publishes its verdicts on the same items: each task's own code
  // passes its tests, so every item turns Passed whatever the samples did.
  await studio.runCommand('RLVR: Check Tasks Against Ground Truth');
  const verdict = studio.notification(/RLVR: (all \d+ tasks pass|\d+ of \d+ tasks fail)/);
  await verdict.waitFor({ timeout: 180_000 });
  assert.match((await verdict.textContent()) ?? '', /RLVR: all \d+ tasks pass with their own code and fail with a stub/);
  await showTestExplorer(studio);
  for (const { symbol } of sampled) await waitForTestRow(studio, symbol, 'Passed');
  await studio.screenshot('test-explorer-ground-truth');
});

test('"RLVR: Open Dashboard" draws the run\'s charts', async () => {
  assert.ok(run, 'needs the trained run');
  await studio.runCommand('RLVR: Open Dashboard');
  const dashboard = await studio.webview('.chart-grid', 30_000);
  await dashboard.locator('.summary', { hasText: `step ${STEPS} · reward` }).waitFor({ timeout: 30_000 });
  await dashboard.locator('.chart-grid .uplot canvas').first().waitFor({ timeout: 30_000 });
  const charts = await dashboard.locator('.chart-grid .uplot').count();
  assert.ok(charts >= 3, `expected several charts, found ${charts}`);
  // A drawn chart has non-transparent pixels (axes, grid, series).
  const inked = await dashboard.locator('.chart-grid .uplot canvas').first().evaluate((canvas) => {
    const c = canvas as HTMLCanvasElement;
    const data = c.getContext('2d')?.getImageData(0, 0, c.width, c.height).data ?? new Uint8ClampedArray();
    let n = 0;
    for (let i = 3; i < data.length; i += 4) if ((data[i] ?? 0) > 0) n += 1;
    return n;
  });
  assert.ok(inked > 100, `the first chart canvas is blank (${inked} inked pixels)`);
  await studio.screenshot('dashboard');
  assert.deepEqual(studio.dialogs, []);
});

test('after a window reload the dashboard and the trace panel come back with their content', async () => {
  assert.ok(run, 'needs the trained run');
  // Both visible side by side (a panel in a background tab is only restored when it is shown).
  const newest = (await allTraces(run.id)).reduce((a, b) => (b.id > a.id ? b : a));
  await studio.runCommand('View: Close All Editors');
  await studio.runCommand('RLVR: Open Dashboard');
  await studio.webview('.chart-grid', 30_000);
  await studio.runCommand('RLVR: Open Trace…');
  await studio.page.locator('.quick-input-widget .quick-input-box input').fill(String(newest.id));
  await studio.pick(`#${newest.id}`);
  await studio.webview('pre.think', 30_000);
  await studio.screenshot('before-reload');

  await studio.reloadWindow();
  // The serializers bring each panel back from its saved state (run id, trace id), with fresh content.
  const trace = await studio.webview('pre.think', 90_000);
  await trace.locator('header, body', { hasText: `trace ${newest.id}` }).first().waitFor({ timeout: 30_000 });
  const dashboard = await studio.webview('.chart-grid', 60_000);
  await dashboard.locator('.summary', { hasText: `step ${STEPS} · reward` }).waitFor({ timeout: 30_000 });
  const selected = await dashboard.locator('vscode-single-select vscode-option[selected]').first().textContent();
  assert.match(selected ?? '', new RegExp(`^${run.id} `), 'the dashboard came back on another run');
  await studio.screenshot('after-reload');
  assert.deepEqual(studio.dialogs, []);
});
