// Solve with Trained Model below the UI, with the real parts: the task's training prompt, the
// exported tiny model generating through onnxruntime-node (streamed, cancellable), the real
// `rlvr verify` in the sandbox, and the splice + line edit that Accept applies. The workspace on
// disk must not change at any point: the answer only ever goes to the verifier.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test, type TestContext } from 'node:test';
import { parseVerification } from '../../src/extension/core/cli-json';
import { SolveSession, type SolvePorts } from '../../src/extension/core/solve/solve-session';
import { applyReplacement, lineReplacement } from '../../src/extension/core/solve/text-edit';
import { applySolveEvent, type SolveEvent, type SolveState } from '../../src/shared/solve-state';
import { loadOnnxModel } from '../../src/trainer/inference';
import type { GenerateOptions, OnnxModel } from '../../src/trainer/inference/types';
import { mineTasks } from '../../src/trainer/mining';
import { workspaceFileReader } from '../../src/trainer/mining/workspace-reader';
import { checkSandboxSupport } from '../../src/trainer/sandbox';
import { renderTaskPrompt } from '../../src/trainer/tasks/prompt';
import type { Task } from '../../src/trainer/tasks/task';
import { spliceCandidate } from '../../src/trainer/verifier/splice-candidate';
import { runCli } from '../helpers/rlvr-cli';
import { tinyOnnxDir } from '../helpers/tiny-onnx';
import { treeDiff, treeHash } from '../helpers/tree-hash';
import { copyExampleToTemp } from '../helpers/example-copy';

let ws: string;
let scratch: string;
let clamp: Task;
let sandboxProblem: string | null = null;

before(async () => {
  const support = await checkSandboxSupport();
  if (!support.ok) {
    sandboxProblem = `${support.reason} — ${support.fix}`;
    return;
  }
  ws = copyExampleToTemp('python-basics', 'rlvr-solve-ws-');
  scratch = mkdtempSync(join(tmpdir(), 'rlvr-solve-scratch-'));
  const mined = await mineTasks({ workspace: ws });
  const found = mined.tasks.find((t) => t.symbol === 'clamp');
  assert.ok(found, 'the example has a clamp task');
  clamp = found;
});

after(() => {
  if (ws) rmSync(ws, { recursive: true, force: true });
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

const needsSandbox = (t: TestContext): boolean => {
  if (sandboxProblem) t.skip(sandboxProblem);
  return sandboxProblem !== null;
};

/** The workspace minus `.rlvr` (the mining cache lives there). */
const snapshot = () => new Map([...treeHash(ws)].filter(([k]) => !k.startsWith('.rlvr')));

/** The verify port as the extension has it: the candidate in a file outside the workspace, `rlvr verify --json`. */
const verifyWithCli: SolvePorts['verify'] = async (code) => {
  const candidate = join(scratch, `candidate-${Date.now()}.txt`);
  writeFileSync(candidate, code);
  const args = ['verify', '--workspace', ws, '--task', clamp.id, '--candidate', candidate, '--json'];
  const result = await runCli(args);
  assert.ok(result.code === 0 || result.code === 1, result.stderr);
  return parseVerification(args, result.stdout);
};

function scripted(completion: string): OnnxModel {
  return {
    dir: '/scripted', executionProvider: 'cpu',
    async generateChat(_messages, options: GenerateOptions) {
      for (const piece of completion.match(/[\s\S]{1,5}/g) ?? []) options.onText?.(piece);
      return { text: completion, promptTokenIds: [1], tokenIds: [2, 3], finishReason: 'stop', tokensPerSecond: 1 };
    },
    async dispose() {},
  };
}

async function solve(model: OnnxModel | (() => Promise<OnnxModel>), verify: SolvePorts['verify'], hook?: (e: SolveEvent, s: SolveSession) => void) {
  const events: SolveEvent[] = [];
  const prompt = renderTaskPrompt(clamp, workspaceFileReader(ws));
  const session: SolveSession = new SolveSession({
    solveId: 1, task: { taskId: clamp.id, symbol: clamp.symbol, file: clamp.file, line: clamp.bodySpan.startLine, language: 'python' },
    model: { label: 'test', dir: '/m', provider: null }, prompt, generation: { maxNewTokens: 200, greedy: true },
  }, {
    loadModel: async () => (typeof model === 'function' ? model() : model),
    verify,
    emit: (e) => { events.push(e); hook?.(e, session); },
  });
  const outcome = await session.run();
  return { outcome, events, state: events.reduce<SolveState | null>(applySolveEvent, null) };
}

test('a correct answer passes the real verifier; a wrong one fails per test; Accept\'s edit touches only clamp', async (t) => {
  if (needsSandbox(t)) return;
  const before = snapshot();
  const good = '<think>\nclamp: min then max.\n</think>\n```python\ndef clamp(x: int, lo: int, hi: int) -> int:\n    return max(lo, min(x, hi))\n```';
  const right = await solve(scripted(good), verifyWithCli);
  assert.equal(right.outcome.kind, 'verified');
  assert.equal(right.state?.verification?.passed, true);
  assert.equal(right.state?.verification?.tests.length, clamp.tests.length);
  assert.ok(right.state?.verification?.tests.some((x) => x.heldOut), 'held-out tests run too');

  const bad = '<think>\nmax only.\n</think>\n```python\ndef clamp(x: int, lo: int, hi: int) -> int:\n    return max(lo, x)\n```';
  const wrong = await solve(scripted(bad), verifyWithCli);
  assert.equal(wrong.outcome.kind, 'verified');
  assert.equal(wrong.state?.verification?.passed, false);
  assert.ok(wrong.state?.verification?.tests.some((x) => x.outcome === 'failed' && (x.message ?? '').length > 0), 'a failing test says why');
  assert.deepEqual(treeDiff(before, snapshot()), [], 'verification never touched the workspace');

  assert.equal(right.outcome.kind === 'verified' && right.outcome.code.includes('max(lo, min(x, hi))'), true);
  const code = right.outcome.kind === 'verified' ? right.outcome.code : '';
  const source = workspaceFileReader(ws)(clamp.file) ?? '';
  const spliced = await spliceCandidate(clamp, code, { source, workspace: ws });
  const edit = lineReplacement(source, spliced.spliced ?? '');
  assert.ok(edit);
  // The verifier's splice puts the answer's whole def in place. This answer is the original minus
  // its docstring, so the one line that changes is the docstring going (the diff shows that first).
  assert.deepEqual(source.slice(edit.start, edit.end).split('\n').filter(Boolean).map((l) => l.trim()),
    ['"""Return x limited to the inclusive range [lo, hi] (assumes lo <= hi)."""']);
  assert.equal(edit.text, '');
  assert.equal(applyReplacement(source, edit), spliced.spliced);
  assert.deepEqual(treeDiff(before, snapshot()), [], 'the splice does not write either');
});

test('the exported tiny model streams its completion from the training prompt, and Cancel stops it', { timeout: 900_000 }, async (t) => {
  if (needsSandbox(t)) return;
  const dir = tinyOnnxDir();
  const model = await loadOnnxModel(dir);
  try {
    const seen: string[] = [];
    const run = await solve(model, verifyWithCli, (e) => { if (e.type === 'delta') seen.push(e.text); });
    assert.ok(seen.length > 3, `streamed in pieces (${seen.length})`);
    const generated = run.events.find((e) => e.type === 'generated');
    assert.ok(generated && generated.type === 'generated');
    assert.equal(run.state?.text, seen.join(''), 'the panel shows exactly what was streamed');
    assert.equal(run.state?.model.provider, 'cpu');
    assert.ok(['verified', 'no-code'].includes(run.outcome.kind), JSON.stringify(run.outcome));
    if (run.outcome.kind === 'verified') assert.equal(run.state?.verification?.tests.length, clamp.tests.length);

    let deltas = 0;
    const cancelled = await solve(model, verifyWithCli, (e, session) => { if (e.type === 'delta' && ++deltas === 2) session.cancel(); });
    assert.equal(cancelled.outcome.kind, 'cancelled');
    assert.equal(cancelled.state?.phase, 'cancelled');
    assert.ok(deltas < seen.length, `stopped early: ${deltas} of ${seen.length} pieces`);
  } finally {
    await model.dispose();
  }
});
