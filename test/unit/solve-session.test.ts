// One solve without VS Code or onnxruntime: a fake OnnxModel streams a completion; the session
// emits the deltas, extracts the code as training does, hands exactly that code to the verifier
// port and reports. Cancel, a completion without code, and failures end in their own phases.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SolveSession, promptText, type SolvePorts, type SolveRequest } from '../../src/extension/core/solve/solve-session';
import type { GenerateOptions, Generation, OnnxModel } from '../../src/trainer/inference/types';
import type { PromptMessage } from '../../src/trainer/tasks/prompt';
import type { VerificationResult } from '../../src/trainer/verifier/result';
import { applySolveEvent, type SolveEvent, type SolveState } from '../../src/shared/solve-state';

const COMPLETION = '<think>\nclamp means min then max. Wait, order matters.\n</think>\n```python\ndef clamp(x, lo, hi):\n    return max(lo, min(x, hi))\n```';

/** Streams `text` in pieces of `chunk` characters, honouring the abort signal between pieces. */
function fakeModel(text: string, opts: { chunk?: number; onPiece?: (i: number) => void; fail?: Error } = {}): OnnxModel & { calls: { messages: PromptMessage[]; options: GenerateOptions }[] } {
  const calls: { messages: PromptMessage[]; options: GenerateOptions }[] = [];
  return {
    dir: '/fake', executionProvider: 'cpu', calls,
    async generateChat(messages, options): Promise<Generation> {
      calls.push({ messages, options });
      if (opts.fail) throw opts.fail;
      const pieces = text.match(new RegExp(`[\\s\\S]{1,${opts.chunk ?? 7}}`, 'g')) ?? [];
      let out = '';
      for (const [i, piece] of pieces.entries()) {
        if (options.signal?.aborted) return { text: out, promptTokenIds: [1], tokenIds: [...out].map(() => 1), finishReason: 'cancelled', tokensPerSecond: 1 };
        out += piece;
        options.onText?.(piece);
        opts.onPiece?.(i);
        await new Promise((r) => setImmediate(r));
      }
      return { text: out, promptTokenIds: [1, 2], tokenIds: pieces.map(() => 7), finishReason: 'stop', tokensPerSecond: 42 };
    },
    async dispose() {},
  };
}

const request: SolveRequest = {
  solveId: 7,
  task: { taskId: 't1', symbol: 'clamp', file: 'basics/arithmetic.py', line: 36, language: 'python' },
  model: { label: 'run · step 30 (ONNX)', dir: '/fake', provider: null },
  prompt: [{ role: 'system', content: 'You are careful.' }, { role: 'user', content: 'Complete clamp.' }],
  generation: { maxNewTokens: 64, greedy: true },
};

const passing = (task: string): VerificationResult => ({
  task, reward: 1, passed: true, flags: [], seconds: 0.3,
  tests: [{ id: 'tests/test_a.py::test_clamp', outcome: 'passed', duration: 0.01, message: '', heldOut: false },
    { id: 'tests/test_a.py::test_clamp_edges', outcome: 'passed', duration: 0.02, message: '', heldOut: true }],
});

function harness(model: OnnxModel, verify?: SolvePorts['verify']) {
  const events: SolveEvent[] = [];
  const verified: string[] = [];
  const ports: SolvePorts = {
    loadModel: async () => model,
    verify: verify ?? (async (code) => { verified.push(code); return passing('t1'); }),
    emit: (e) => events.push(e),
  };
  const state = () => events.reduce<SolveState | null>(applySolveEvent, null);
  return { ports, events, verified, state };
}

test('streams the think text, verifies the extracted function, and ends verified', async () => {
  const model = fakeModel(COMPLETION);
  const h = harness(model);
  const outcome = await new SolveSession(request, h.ports).run();
  assert.equal(outcome.kind, 'verified');
  const code = 'def clamp(x, lo, hi):\n    return max(lo, min(x, hi))\n';
  assert.deepEqual(h.verified, [code], 'the verifier got exactly the extracted function');
  assert.deepEqual(model.calls[0]?.messages, request.prompt, 'the prompt goes to the model unchanged');
  assert.equal(model.calls[0]?.options.greedy, true);
  assert.equal(model.calls[0]?.options.maxNewTokens, 64);
  const deltas = h.events.filter((e) => e.type === 'delta');
  assert.ok(deltas.length > 5, 'streamed in pieces');
  const phases = h.events.filter((e) => e.type === 'phase').map((e) => (e as { phase: string }).phase);
  assert.deepEqual(phases, ['loading', 'generating', 'verifying', 'verified']);
  const s = h.state();
  assert.equal(s?.text, COMPLETION, 'the deltas add up to the completion');
  assert.equal(s?.generation?.think, 'clamp means min then max. Wait, order matters.');
  assert.equal(s?.generation?.code, code);
  assert.equal(s?.model.provider, 'cpu');
  assert.deepEqual(s?.verification?.tests.map((t) => [t.testId, t.outcome, t.heldOut]),
    [['tests/test_a.py::test_clamp', 'passed', false], ['tests/test_a.py::test_clamp_edges', 'passed', true]]);
  assert.equal(s?.prompt, promptText(request.prompt));
});

test('Cancel during generation stops it: no verification, phase cancelled', async () => {
  let session: SolveSession | null = null;
  const model = fakeModel(COMPLETION, { chunk: 3, onPiece: (i) => { if (i === 4) session?.cancel(); } });
  const h = harness(model);
  session = new SolveSession(request, h.ports);
  const outcome = await session.run();
  assert.equal(outcome.kind, 'cancelled');
  assert.deepEqual(h.verified, []);
  assert.equal(h.state()?.phase, 'cancelled');
  assert.ok((h.state()?.text.length ?? 0) < COMPLETION.length, 'generation stopped early');
  assert.equal(model.calls[0]?.options.signal?.aborted, true, 'the model saw the abort');
});

test('an answer without code is not verified and says why', async () => {
  const h = harness(fakeModel('<think>\nI am not sure.\n</think>\nSorry.'));
  const outcome = await new SolveSession(request, h.ports).run();
  assert.equal(outcome.kind, 'no-code');
  assert.deepEqual(h.verified, []);
  assert.equal(h.state()?.phase, 'failed');
  assert.match(h.state()?.message ?? '', /no code block/);
});

test('a model that cannot load or generate, or a verifier that fails, ends in failed with the message', async () => {
  const broken = harness(fakeModel(COMPLETION));
  broken.ports.loadModel = async () => { throw new Error('model.onnx is missing in /fake'); };
  assert.deepEqual(await new SolveSession(request, broken.ports).run(), { kind: 'failed', message: 'model.onnx is missing in /fake' });
  assert.equal(broken.state()?.phase, 'failed');

  const failing = harness(fakeModel(COMPLETION, { fail: new Error('onnxruntime: bad input') }));
  assert.equal((await new SolveSession(request, failing.ports).run()).kind, 'failed');

  const verifier = harness(fakeModel(COMPLETION), async () => { throw new Error('`rlvr verify` exited with code 2: sandbox missing'); });
  const outcome = await new SolveSession(request, verifier.ports).run();
  assert.deepEqual(outcome, { kind: 'failed', message: '`rlvr verify` exited with code 2: sandbox missing' });
  assert.equal(verifier.state()?.generation?.code?.startsWith('def clamp'), true, 'the generated code is still shown');
});

test('a failing verification is a verified outcome with the per-test results', async () => {
  const h = harness(fakeModel(COMPLETION), async () => ({
    task: 't1', reward: 0.5, passed: false, flags: [], seconds: 0.2,
    tests: [{ id: 'a', outcome: 'passed', duration: 0, message: '', heldOut: false }, { id: 'b', outcome: 'failed', duration: 0, message: 'assert 3 == 2', heldOut: true }],
  }));
  const outcome = await new SolveSession(request, h.ports).run();
  assert.equal(outcome.kind, 'verified');
  assert.equal(outcome.kind === 'verified' && outcome.verification.passed, false);
  assert.equal(h.state()?.verification?.tests[1]?.message, 'assert 3 == 2');
});
