/**
 * Solve with Trained Model in a real VS Code: the CodeLens on a task function of the seeded run,
 * the model picker offering the run's ONNX export, onnxruntime-node generating inside the packaged
 * extension's host, and the solve panel streaming exactly what the same model generates from the
 * task's training prompt outside VS Code (greedy, so the same text). The tiny test model writes
 * noise, so its answer usually has no code and ends in "Failed" with the reason; verification and
 * Accept are covered below the UI (test/integration/solve-pipeline.test.ts).
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { promptText } from '../../src/extension/core/solve/solve-session';
import { splitStream } from '../../src/shared/solve-state';
import { loadOnnxModel } from '../../src/trainer/inference';
import { workspaceFileReader } from '../../src/trainer/mining/workspace-reader';
import { parseCompletion } from '../../src/trainer/rl/completion';
import { renderTaskPrompt } from '../../src/trainer/tasks/prompt';
import { seedSolve, SOLVE_MAX_NEW_TOKENS, SOLVE_RUN, type SeededSolve } from './fixtures/seed-solve';
import { startStudio, type Studio } from './harness';
import { setupPaths } from './harness/setup';

let studio: Studio;
let seeded: SeededSolve;
let expected: { text: string; prompt: string };

before(async () => {
  studio = await startStudio({
    name: 'solve',
    prepareWorkspace: async (workspace) => {
      seeded = await seedSolve(workspace, setupPaths().python, 'clamp');
      const prompt = renderTaskPrompt(seeded.task, workspaceFileReader(workspace));
      const model = await loadOnnxModel(seeded.exportDir);
      try {
        const generated = await model.generateChat(prompt, { maxNewTokens: SOLVE_MAX_NEW_TOKENS, greedy: true });
        expected = { text: generated.text, prompt: promptText(prompt) };
      } finally {
        await model.dispose();
      }
    },
  });
});

after(async () => {
  await studio?.close();
});

test('the CodeLens solves clamp with the run\'s ONNX export and the panel streams the model\'s own completion', async () => {
  const { page } = studio;
  // The extension activates with its views or commands (no activation on opening a file).
  await studio.showSidePanel();
  await page.keyboard.press('Control+P');
  await page.locator('.quick-input-widget .quick-input-box input').fill(seeded.task.file);
  await studio.pick('arithmetic.py');
  await page.keyboard.press('Control+G');
  await page.locator('.quick-input-widget .quick-input-box input').fill(`:${seeded.task.bodySpan.startLine}`);
  await page.keyboard.press('Enter');
  const lenses = page.locator('.contentWidgets .codelens-decoration a', { hasText: 'Solve with trained model' });
  await lenses.first().waitFor({ timeout: 60_000 });
  await studio.screenshot('solve-codelens');
  // Every task function has one: click the one right above `def clamp(`.
  const defLine = await page.locator('.view-line', { hasText: 'def clamp(' }).first().boundingBox();
  assert.ok(defLine, 'the definition line of clamp is on screen');
  const boxes = await lenses.evaluateAll((els) => els.map((el) => el.getBoundingClientRect().top));
  const index = boxes.findIndex((top) => top < defLine.y && defLine.y - top < 40);
  assert.ok(index >= 0, `a Solve lens above clamp's line (lens tops ${boxes.join(', ')}, line at ${defLine.y})`);
  await lenses.nth(index).click();
  await studio.pick(`${SOLVE_RUN} · step 1`);

  const panel = await studio.webview('.solve', 60_000);
  const done = ['Failed', 'Verified'];
  await panel.waitForFunction((words) => {
    const status = document.querySelector('.status')?.textContent ?? '';
    return words.some((w) => status.startsWith(w)) || /by trained model/.test(status);
  }, done, { timeout: 180_000 });
  await studio.screenshot('solve-panel');
  assert.equal(await panel.locator('.prompt').textContent(), expected.prompt, 'the prompt is the training prompt');
  assert.equal(await panel.locator('.think').textContent(), splitStream(expected.text).think, 'the streamed reasoning is the model\'s own');
  assert.match(await panel.locator('.solve-header').textContent() ?? '', /e2e-solve · step 1 \(ONNX\) \(cpu\)/);
  const code = parseCompletion(expected.text).code;
  if (code === null) {
    assert.equal(await panel.locator('.status').first().textContent(), 'Failed');
    assert.match(await panel.locator('.message').textContent() ?? '', /no code block/);
  } else {
    await panel.locator('table.tests').waitFor({ timeout: 120_000 });
    assert.equal(await panel.locator('table.tests tbody tr').count(), seeded.task.tests.length);
  }
  assert.deepEqual(studio.dialogs, []);
});
