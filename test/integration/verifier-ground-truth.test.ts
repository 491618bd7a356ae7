/** Ground truth and `rlvr verify` end to end: real sandbox, real pytest servers. */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { main } from '../../src/trainer/cli/main';
import { mineTasks } from '../../src/trainer/mining';
import type { Task } from '../../src/trainer/tasks/task';
import { groundTruthCheck, type GroundTruthReport } from '../../src/trainer/verifier/ground-truth';
import { createPythonPool } from '../../src/trainer/verifier/python-server';
import type { VerificationResult } from '../../src/trainer/verifier/result';
import { copyExample } from '../helpers/example-copy';

let scratch: string;
let example: string;

before(() => {
  scratch = mkdtempSync(join(tmpdir(), 'rlvr-gt-'));
  example = join(scratch, 'python-basics');
  copyExample('python-basics', example);
});
after(() => rmSync(scratch, { recursive: true, force: true }));

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { stdout: (t) => { stdout += t; }, stderr: (t) => { stderr += t; }, signal: new AbortController().signal });
  return { code, stdout, stderr };
}

test('every task of examples/python-basics passes ground truth (CLI, --json)', async () => {
  const { code, stdout, stderr } = await cli(['verify', '--workspace', example, '--ground-truth', '--json', '--jobs', '2']);
  const reports = JSON.parse(stdout) as GroundTruthReport[];
  assert.ok(reports.length >= 20, `${reports.length} tasks`);
  const bad = reports.filter((r) => !r.ok).map((r) => `${r.symbol}: ${r.reason}`);
  assert.deepEqual(bad, [], stderr);
  assert.equal(code, 0);
  for (const r of reports) {
    assert.deepEqual(Object.keys(r).sort(), ['file', 'id', 'ok', 'original', 'reason', 'stub', 'symbol']);
    assert.equal(r.original.reward, 1);
    assert.equal(r.stub.reward, 0);
    assert.ok(r.stub.tests.every((t) => t.outcome === 'failed' || t.outcome === 'error'), `${r.symbol} stub: ${JSON.stringify(r.stub.tests)}`);
  }
});

test('rlvr verify scores one candidate: JSON shape, held-out marks, exit codes', async () => {
  const tasks = (await mineTasks({ workspace: example })).tasks;
  const task = tasks.find((t) => t.symbol === 'slugify') as Task;
  const wrong = join(scratch, 'wrong.py');
  // Forgets to trim the dashes: right only where the input has no leading/trailing junk.
  writeFileSync(wrong, 'import re\n\ndef slugify(s: str) -> str:\n    return re.sub(r"[^a-z0-9]+", "-", s.lower())\n');
  const run = await cli(['verify', '--workspace', example, '--task', task.id.slice(0, 8), '--candidate', wrong, '--json']);
  const result = JSON.parse(run.stdout) as VerificationResult;
  assert.deepEqual(Object.keys(result).sort(), ['flags', 'passed', 'reward', 'seconds', 'task', 'tests']);
  assert.equal(result.task, task.id);
  assert.equal(result.passed, false);
  assert.ok(result.reward > 0 && result.reward < 1, `partial credit, got ${result.reward}`);
  assert.deepEqual(result.tests.map((t) => t.id).sort(), [...task.tests].sort());
  assert.deepEqual(result.tests.filter((t) => t.heldOut).map((t) => t.id).sort(), [...task.heldOutTests].sort());
  assert.equal(run.code, 1);

  const human = await cli(['verify', '--workspace', example, '--task', task.id, '--candidate', wrong]);
  assert.match(human.stdout, /slugify .*reward 0\.\d\d .*NOT PASSED/);
  assert.match(human.stdout, /\(held-out\)/);

  const missing = await cli(['verify', '--workspace', example, '--task', 'ffffffff', '--candidate', wrong]).catch((e: unknown) => e);
  assert.ok(missing instanceof Error && /matches no task/.test(missing.message));
});

test('a task whose tests pass with a raising stub is excluded', async () => {
  const ws = join(scratch, 'weak');
  mkdirSync(join(ws, 'tests'), { recursive: true });
  writeFileSync(join(ws, 'pyproject.toml'), '[tool.pytest.ini_options]\npythonpath = ["."]\n');
  writeFileSync(join(ws, 'weak.py'), 'def strict_add(a, b):\n    return a + b\n\n\ndef unchecked(x):\n    return x + 1\n');
  writeFileSync(join(ws, 'tests', 'test_weak.py'), [
    'import pytest', 'from weak import strict_add, unchecked', '',
    'def test_add():', '    assert strict_add(2, 3) == 5', '',
    'def test_add_more():', '    assert strict_add(-1, 1) == 0', '',
    'def test_unchecked_raises_on_none():', '    with pytest.raises(Exception):', '        unchecked(None)', '',
  ].join('\n'));
  const tasks = (await mineTasks({ workspace: ws })).tasks;
  assert.deepEqual(tasks.map((t) => t.symbol).sort(), ['strict_add', 'unchecked']);
  const { pool } = await createPythonPool({ workspace: ws, size: 1 });
  try {
    const { passing, reports } = await groundTruthCheck(tasks, pool, { workspace: ws });
    assert.deepEqual(passing.map((t) => t.symbol), ['strict_add']);
    const excluded = reports.find((r) => r.symbol === 'unchecked');
    assert.ok(excluded && !excluded.ok && /raises NotImplementedError passes every test/.test(excluded.reason ?? ''));
  } finally {
    await pool.close();
  }
});
