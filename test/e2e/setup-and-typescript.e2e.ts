/**
 * One VS Code session on a copy of the TypeScript example, with no interpreter setting: "Set Up
 * Python Environment" on a ready-made venv named by rlvrStudio.venvPath (what it reports), then
 * Mine Tasks on the TypeScript workspace, one training step of the tiny model on it, whose compute
 * worker must run from that venv (the extension tells the CLI where it is), and a CodeLens on a
 * TypeScript task function.
 *
 * Not covered here: creating a venv and downloading PyTorch (minutes, and network): the venv is
 * made beforehand (fixtures/overlay-venv.ts), so the script takes its "reuse" path and pip finds
 * every requirement satisfied. The report's parsing of the other paths is unit-tested
 * (test/unit/extension-studio-venv.test.ts).
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, before, test } from 'node:test';
import { openStoreReader, type RunRecord, type StoreReader } from '../../src/trainer/store';
import { makeOverlayVenv } from './fixtures/overlay-venv';
import { buildTinyModel } from './fixtures/tiny-model';
import { startStudio, type Studio } from './harness';
import { REPO_ROOT, resolveSetup } from './harness/setup';

// One step, one task, two samples of 16 tokens, no held-out evaluation: the cheapest real run.
const TRAIN_SETTINGS = {
  steps: 1, tasksPerStep: 1, groupSize: 2, maxNewTokens: 16, dynamicSampling: false, heldOutFraction: 0, checkpointEvery: 0,
};

let studio: Studio;
let scratch: string;
let venv: { venv: string; python: string };
let tinyModel: Promise<string>;
let store: StoreReader | undefined;
let run: RunRecord | undefined;

before(async () => {
  const setup = resolveSetup();
  scratch = mkdtempSync(join(tmpdir(), 'rlvr-e2e-setup-ts-'));
  venv = makeOverlayVenv(setup.python, join(scratch, 'managed-venv'));
  const model = buildTinyModel(setup.python, join(scratch, 'tiny'));
  model.catch(() => undefined);
  studio = await startStudio({
    name: 'setup-and-typescript',
    example: 'examples/ts-basics',
    settings: {
      // No interpreter setting: the CLI has to find the managed venv by itself.
      'rlvrStudio.pythonPath': '',
      'rlvrStudio.venvPath': venv.venv,
      'rlvrStudio.demoModelPath': join(scratch, 'tiny'),
      'rlvrStudio.trainSettings': TRAIN_SETTINGS,
    },
  });
  tinyModel = model;
});

after(async () => {
  await store?.close();
  await studio?.close();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

function torchOf(python: string): { version: string; cuda: boolean } {
  const out = execFileSync(python, ['-c', 'import torch; print(torch.__version__); print(torch.cuda.is_available())'], { encoding: 'utf8', timeout: 120_000 });
  const [version = '', cuda = ''] = out.trim().split('\n');
  return { version, cuda: cuda === 'True' };
}

const ownSitePackages = (python: string): string[] =>
  readdirSync(execFileSync(python, ['-c', 'import site; print(site.getsitepackages()[0])'], { encoding: 'utf8' }).trim());

test('"RLVR: Set Up Python Environment" reuses the venv of rlvrStudio.venvPath and reports PyTorch and CUDA', async () => {
  const torch = torchOf(venv.python);
  const python = execFileSync(venv.python, ['--version'], { encoding: 'utf8' }).trim();
  await studio.runCommand('RLVR: Set Up Python Environment');
  const report = studio.notification(/RLVR: Python environment/);
  await report.waitFor({ timeout: 300_000 });
  const text = (await report.textContent()) ?? '';
  await studio.screenshot('setup-report');
  assert.ok(text.startsWith(`RLVR: Python environment ready in ${venv.venv} (reused, ${python}). PyTorch ${torch.version} (`),
    `the report does not name the venv, its Python and its PyTorch (${torch.version}): ${text}`);
  // Why CUDA is not usable is worked out by the script (build, driver); this machine decides which.
  assert.match(text, torch.cuda ? /; CUDA usable: yes/ : /; CUDA usable: no — .+\. Training runs on the CPU/);
  assert.doesNotMatch(text, /Note:|Missing or wrong/, 'nothing else should come first for this workspace');
  assert.deepEqual(ownSitePackages(venv.python), ['rlvr-e2e-overlay.pth'], 'the setup installed packages although all were present');
});

test('"RLVR: Mine Tasks" finds the TypeScript example\'s tasks', async () => {
  await studio.runCommand('RLVR: Mine Tasks');
  const done = studio.notification(/RLVR: mined \d+ tasks? in ts-basics/);
  await done.waitFor({ timeout: 180_000 });
  const message = (await done.textContent()) ?? '';
  await studio.screenshot('mined-tasks');
  const result = spawnSync(process.execPath, [join(REPO_ROOT, 'dist', 'rlvr.js'), 'tasks', '--workspace', studio.workspace, '--json'],
    { encoding: 'utf8', timeout: 120_000 });
  assert.equal(result.status, 0, `rlvr tasks failed: ${result.stderr}`);
  const tasks = JSON.parse(result.stdout) as { language: string }[];
  assert.ok(tasks.length > 0 && tasks.every((t) => t.language === 'typescript'), 'the CLI found no TypeScript tasks');
  assert.equal(Number(/mined (\d+) task/.exec(message)?.[1]), tasks.length, `the notification and \`rlvr tasks --json\` disagree: ${message}`);
});

test('one training step on the TypeScript tasks, its worker running from the managed venv', async () => {
  await tinyModel;
  const workers = new Set<string>();
  const watch = setInterval(() => {
    for (const argv of studio.commandLines()) if (argv.includes('rlvr_worker')) workers.add(argv[0] ?? '');
  }, 200);
  try {
    await studio.runCommand('RLVR: Start Training');
    await studio.pick('Tiny demo model');
    await studio.pick('All tasks');
    await studio.pick('Quick demo');
    const end = studio.notification(/RLVR: run \S+ (completed|stopped) at step|RLVR: training failed/);
    await end.waitFor({ timeout: 420_000 });
    const message = (await end.textContent()) ?? '';
    await studio.screenshot('training-ended');
    assert.match(message, /completed at step 1/, `training did not complete: ${message}`);
  } finally {
    clearInterval(watch);
  }
  // No rlvrStudio.pythonPath and no workspace .venv: the CLI took the venv the extension named.
  assert.deepEqual([...workers], [venv.python], `the worker ran from ${[...workers].join(', ') || 'nowhere seen'}`);
  store = await openStoreReader(join(studio.workspace, '.rlvr', 'runs.db'));
  run = (await store.queries.listRuns())[0];
  assert.equal(run?.status, 'completed');
});

test('a sampled TypeScript task function has a CodeLens with its result', async () => {
  assert.ok(run && store, 'needs the trained run');
  const page = await store.queries.queryTraces({ runId: run.id, kind: 'train', limit: 100 });
  const sampled = page.rows[0];
  assert.ok(sampled, 'the run has no training sample');
  const task = (await store.queries.listRunTasks(run.id)).find((t) => t.taskId === sampled.taskId)?.task as
    { file: string; symbol: string; language: string; bodySpan: { startLine: number } } | undefined;
  assert.equal(task?.language, 'typescript');
  assert.ok(task);
  const atStep = page.rows.filter((t) => t.taskId === sampled.taskId && t.step === 1);
  const passed = atStep.filter((t) => t.passed).length;
  const expected = `RLVR ${passed > 0 ? '✓' : '✗'} ${passed}/${atStep.length} verified · step 1 · best trace`;

  await studio.runCommand('Go to File...');
  await studio.page.locator('.quick-input-widget .quick-input-box input').fill(task.file);
  await studio.pick(basename(task.file));
  await studio.page.locator('.monaco-editor .view-lines').first().waitFor({ timeout: 15_000 });
  await studio.runCommand('Go to Line/Column...');
  await studio.page.locator('.quick-input-widget .quick-input-box input').fill(`:${task.bodySpan.startLine}`);
  await studio.page.keyboard.press('Enter');
  await studio.page.locator('.contentWidgets .codelens-decoration', { hasText: expected }).first().waitFor({ timeout: 30_000 });
  await studio.screenshot('codelens-typescript');
  assert.deepEqual(studio.dialogs, []);
});
