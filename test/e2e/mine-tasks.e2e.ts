/**
 * The packaged extension activates in a real VS Code and "RLVR: Mine Tasks" reports how many tasks
 * it found in the Python example; the count must equal what the bundled CLI reports for the same
 * workspace (`rlvr tasks --json`), so the notification is checked against an independent source.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startStudio, type Studio } from './harness';
import { REPO_ROOT } from './harness/setup';

let studio: Studio;

before(async () => {
  studio = await startStudio({ name: 'mine-tasks' });
});

after(async () => {
  await studio?.close();
});

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
