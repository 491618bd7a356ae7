/**
 * Mines examples/python-basics for real: pytest runs inside the bubblewrap sandbox through
 * `python -m rlvr_verify mine`. Expectations come from the example's sources (read here with a
 * regex), not from the miner.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { main } from '../../src/trainer/cli/main';
import { mineTasks, type MineTasksResult } from '../../src/trainer/mining';
import { workspaceFileReader } from '../../src/trainer/mining/workspace-reader';
import { studioRoot } from '../../src/trainer/paths';
import { checkSandboxSupport } from '../../src/trainer/sandbox';
import { renderTaskPrompt } from '../../src/trainer/tasks/prompt';
import { extractPythonTestAsserts } from '../../src/trainer/tasks/asserts';
import { copyExampleToTemp } from '../helpers/example-copy';

const EXAMPLE = join(studioRoot(), 'examples', 'python-basics');
const UNTESTED_MARK = 'Not called by any test';

/** Every file under `dir` (no exclusions) → its bytes, to prove the workspace is left untouched. */
function snapshot(dir: string, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const entry of readdirSync(join(dir, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) for (const [k, v] of snapshot(dir, rel)) out.set(k, v);
    else out.set(rel, readFileSync(join(dir, rel)).toString('base64'));
  }
  return out;
}

/** Top-level functions and methods of basics/*.py, split by the example's own "untested" marker. */
function exampleFunctions(): { tested: string[]; untested: string[]; methods: string[] } {
  const result = { tested: [] as string[], untested: [] as string[], methods: [] as string[] };
  const dir = join(EXAMPLE, 'basics');
  for (const name of readdirSync(dir).filter((f) => f.endsWith('.py') && f !== '__init__.py')) {
    const source = readFileSync(join(dir, name), 'utf8');
    const defs = [...source.matchAll(/^def (\w+)\(.*?(?=^\S|(?![\s\S]))/gms)];
    for (const [block, fn] of defs) (block.includes(UNTESTED_MARK) ? result.untested : result.tested).push(`basics/${name}::${fn}`);
    for (const [, cls, body] of source.matchAll(/^class (\w+)\b.*?\n((?:[ \t]+.*\n|\n)+)/gm)) {
      for (const [, method] of (body ?? '').matchAll(/^ {4}def (\w+)\(/gm)) {
        if (method !== '__init__') result.methods.push(`basics/${name}::${cls}.${method}`);
      }
    }
  }
  return result;
}

let ws: string;
let pristine: Map<string, string>;
let first: MineTasksResult;
let sandboxProblem: string | null = null;

before(async () => {
  const support = await checkSandboxSupport();
  if (!support.ok) sandboxProblem = `${support.reason} — ${support.fix}`;
  ws = copyExampleToTemp('python-basics', 'rlvr-mining-python-');
  pristine = snapshot(ws);
});

after(() => rmSync(ws, { recursive: true, force: true }));

test('the sandbox works on this machine (the other tests need it)', () => {
  assert.equal(sandboxProblem, null, `bubblewrap sandbox unavailable: ${sandboxProblem}`);
});

test('every tested function and method is a task; the untested helpers are not', async () => {
  first = await mineTasks({ workspace: ws, useCache: true });
  assert.equal(first.fromCache, false);
  const taskKeys = new Set(first.tasks.map((t) => `${t.file}::${t.symbol}`));
  const { tested, untested, methods } = exampleFunctions();
  assert.ok(tested.length >= 40 && untested.length >= 3 && methods.length >= 3, 'the example has the expected shape');
  for (const key of [...tested, ...methods]) assert.ok(taskKeys.has(key), `${key} should be a task`);
  for (const key of untested) {
    assert.ok(!taskKeys.has(key), `${key} is untested and must not be a task`);
    const [file, symbol] = key.split('::');
    assert.ok(first.skipped.some((s) => s.file === file && s.symbol === symbol && s.reason === 'no test calls it'), `${key} listed as skipped`);
  }
  assert.deepEqual(first.collectErrors, []);
  assert.deepEqual(first.dropped, []);
});

test('task test sets are real collected tests, split into visible and held-out', () => {
  const collected = new Set(first.tests.map((t) => t.id));
  assert.ok(collected.size >= 100);
  for (const task of first.tasks) {
    assert.ok(task.tests.length >= 1);
    for (const id of task.tests) assert.ok(collected.has(id), `${task.symbol}: ${id} not collected`);
    assert.deepEqual([...task.visibleTests, ...task.heldOutTests].sort(), [...task.tests].sort());
    assert.ok(task.visibleTests.length >= 1);
    if (task.tests.length >= 2) assert.ok(task.heldOutTests.length >= 1);
    assert.ok(task.baselineSeconds > 0);
    assert.match(task.signature, /^def \w+\(/);
  }
  const slugify = first.tasks.find((t) => t.symbol === 'slugify');
  assert.ok(slugify?.tests.every((id) => id.startsWith('tests/test_strings.py::test_slugify')));
});

test('ids are stable: the second run comes from the cache, a forced re-mine gives the same ids', async () => {
  const second = await mineTasks({ workspace: ws });
  assert.equal(second.fromCache, true);
  assert.deepEqual(second.tasks, first.tasks);
  const third = await mineTasks({ workspace: ws, useCache: false });
  assert.equal(third.fromCache, false);
  assert.deepEqual(third.tasks.map((t) => [t.id, t.visibleTests, t.heldOutTests]), first.tasks.map((t) => [t.id, t.visibleTests, t.heldOutTests]));
});

test('prompts of real tasks show visible asserts and never a held-out one', () => {
  const read = workspaceFileReader(ws);
  for (const task of first.tasks) {
    const user = renderTaskPrompt(task, read)[1]?.content ?? '';
    const heldOutOnly = task.heldOutTests
      .flatMap((id) => extractPythonTestAsserts(read(id.split('::')[0] ?? '') ?? '', id))
      .filter((line) => !task.visibleTests.some((v) => extractPythonTestAsserts(read(v.split('::')[0] ?? '') ?? '', v).includes(line)));
    for (const line of heldOutOnly) assert.ok(!user.includes(line), `${task.symbol}: held-out assert leaked: ${line}`);
  }
  const vowels = first.tasks.find((t) => t.symbol === 'count_vowels');
  assert.match(renderTaskPrompt(vowels!, read)[1]?.content ?? '', /Tests:\n```python\nassert count_vowels\(/);
});

test('`rlvr tasks --json` prints the same tasks as a JSON array', async () => {
  const out: string[] = [];
  const code = await main(['tasks', '--workspace', ws, '--json'], { stdout: (t) => out.push(t), stderr: () => undefined, signal: new AbortController().signal });
  assert.equal(code, 0);
  const printed: unknown = JSON.parse(out.join(''));
  assert.ok(Array.isArray(printed));
  // Durations were re-measured by the forced re-mine above; everything else is as in the first run.
  const stable = (tasks: unknown[]) => tasks.map((t) => ({ ...(t as Record<string, unknown>), baselineSeconds: 0 }));
  assert.deepEqual(stable(printed), stable(JSON.parse(JSON.stringify(first.tasks))));
  for (const t of printed as Record<string, unknown>[]) for (const key of ['id', 'file', 'symbol', 'tests']) assert.ok(key in t);
});

test('the workspace is byte-identical afterwards, apart from .rlvr/', () => {
  const now = snapshot(ws);
  for (const path of now.keys()) if (!path.startsWith('.rlvr/')) assert.ok(pristine.has(path), `new file ${path}`);
  for (const [path, bytes] of pristine) assert.equal(now.get(path), bytes, `${path} changed`);
  assert.ok(now.has('.rlvr/cache/mining.json') && now.has('.rlvr/.gitignore'));
});
