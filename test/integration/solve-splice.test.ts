// What Show Diff and Accept are built from: the verifier's own splice (`rlvr_verify check` in the
// sandbox for Python, checkAndSplice for TypeScript) over the editor's text, then the line edit.
// Only the task function's lines may change; a candidate that is not a function is not spliced.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, test, type TestContext } from 'node:test';
import { applyReplacement, lineReplacement, lineSpan } from '../../src/extension/core/solve/text-edit';
import { checkSandboxSupport } from '../../src/trainer/sandbox';
import type { Task } from '../../src/trainer/tasks/task';
import { spliceCandidate } from '../../src/trainer/verifier/splice-candidate';

const ROOT = join(__dirname, '..', '..');
const PY_WS = join(ROOT, 'examples', 'python-basics');
const TS_WS = join(ROOT, 'examples', 'ts-basics');

function task(language: Task['language'], file: string, symbol: string): Task {
  return {
    id: `test-${symbol}`, language, file, symbol, signature: '', docstring: null, bodySpan: { startLine: 1, endLine: 1 }, context: '',
    tests: [], visibleTests: [], heldOutTests: [], baselineSeconds: 0, source: 'mined',
  };
}

let sandboxProblem: string | null = null;
before(async () => {
  const support = await checkSandboxSupport();
  if (!support.ok) sandboxProblem = `${support.reason} — ${support.fix}`;
});
/** The Python splice parses untrusted text in the sandbox: without one these tests cannot run. */
const needsSandbox = (t: TestContext): boolean => {
  if (sandboxProblem) t.skip(sandboxProblem);
  return sandboxProblem !== null;
};

test('Python: the answer replaces clamp only, spliced into the unsaved text', async (t) => {
  if (needsSandbox(t)) return;
  const file = 'basics/arithmetic.py';
  const disk = readFileSync(join(PY_WS, file), 'utf8');
  const unsaved = `${disk}\n# an unsaved edit at the end\n`;
  const candidate = 'def clamp(x, lo, hi):\n    if lo > hi:\n        raise ValueError("lo > hi")\n    return max(lo, min(x, hi))\n';
  const result = await spliceCandidate(task('python', file, 'clamp'), candidate, { source: unsaved, workspace: PY_WS });
  assert.deepEqual(result.flags, []);
  assert.ok(result.spliced);
  const edit = lineReplacement(unsaved, result.spliced);
  assert.ok(edit);
  const removed = unsaved.slice(edit.start, edit.end);
  assert.match(removed, /def clamp\(x: int, lo: int, hi: int\) -> int:/);
  assert.doesNotMatch(removed, /def (mean|add)\b/, 'no other function is touched');
  assert.match(edit.text, /raise ValueError/);
  assert.ok(applyReplacement(unsaved, edit).endsWith('# an unsaved edit at the end\n'), 'the unsaved text is kept');
  const span = lineSpan(unsaved, edit);
  assert.ok(span.last - span.first <= 3, `a few lines change: ${JSON.stringify(span)}`);
});

test('Python: a candidate that is not a def of the function is not spliced, and says why', async (t) => {
  if (needsSandbox(t)) return;
  const result = await spliceCandidate(task('python', 'basics/arithmetic.py', 'clamp'), 'import os\nos.system("id")\n',
    { source: readFileSync(join(PY_WS, 'basics/arithmetic.py'), 'utf8'), workspace: PY_WS });
  assert.equal(result.spliced, null);
  assert.ok(result.flags.length > 0);
});

test('Python: a function that is gone from the text is a clear error', async (t) => {
  if (needsSandbox(t)) return;
  await assert.rejects(spliceCandidate(task('python', 'basics/arithmetic.py', 'clamp'), 'def clamp(x, lo, hi):\n    return x\n',
    { source: 'def other():\n    pass\n', workspace: PY_WS }), /cannot splice into basics\/arithmetic\.py/);
});

test('TypeScript: the answer keeps the export and only slugify\'s lines change', async () => {
  const file = 'src/strings.ts';
  const source = readFileSync(join(TS_WS, file), 'utf8');
  const candidate = 'function slugify(text: string, sep: string = "-"): string {\n  return text.trim().toLowerCase().split(/\\s+/).join(sep);\n}\n';
  const result = await spliceCandidate(task('typescript', file, 'slugify'), candidate, { source, workspace: TS_WS });
  assert.deepEqual(result.flags, []);
  const edit = lineReplacement(source, result.spliced ?? '');
  assert.ok(edit);
  assert.match(edit.text, /^export function slugify/m);
  assert.doesNotMatch(source.slice(edit.start, edit.end), /capitalizeWords/);
});
