// The solve panel's shared reducer and the pure texts both sides show.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  applySolveEvent, outcomeLabel, solveActions, splitStream, type SolveEvent, type SolveState, type SolveVerificationVM,
} from '../../src/shared/solve-state';

const task = { taskId: 't1', symbol: 'clamp', file: 'basics/arithmetic.py', line: 36, language: 'python' as const };
const model = { label: 'r-1 · step 30 (ONNX)', dir: '/x/onnx', provider: null };

function run(events: SolveEvent[], from: SolveState | null = null): SolveState | null {
  return events.reduce<SolveState | null>(applySolveEvent, from);
}

const verification = (outcomes: string[], flags: { code: string; message: string }[] = []): SolveVerificationVM => ({
  passed: flags.length === 0 && outcomes.every((o) => o === 'passed'), reward: 1, seconds: 0.5, flags,
  tests: outcomes.map((outcome, i) => ({ testId: `t::${i}`, outcome, duration: 0.01, message: null, heldOut: i === 0 })),
});

test('a session starts in loading; deltas accumulate; events of another solve change nothing', () => {
  const state = run([
    { type: 'session', solveId: 2, task, model, prompt: 'system:\n…' },
    { type: 'phase', solveId: 2, phase: 'generating', message: null },
    { type: 'delta', solveId: 2, text: '<think>a' },
    { type: 'delta', solveId: 1, text: 'STALE' },
    { type: 'delta', solveId: 2, text: 'b</think>' },
    { type: 'model', solveId: 2, provider: 'cpu' },
  ]);
  assert.equal(state?.phase, 'generating');
  assert.equal(state?.text, '<think>ab</think>');
  assert.equal(state?.model.provider, 'cpu');
  const again = run([{ type: 'session', solveId: 3, task, model, prompt: 'p' }], state);
  assert.equal(again?.text, '', 'a new session starts empty');
  assert.equal(again?.phase, 'loading');
  assert.equal(run([{ type: 'delta', solveId: 1, text: 'x' }]), null, 'no state: events before a session are dropped');
});

test('buttons: Cancel while working; Show Diff / Accept / Discard only for a verified answer with code', () => {
  const base = run([{ type: 'session', solveId: 1, task, model, prompt: 'p' }]);
  assert.deepEqual(solveActions(base), { cancel: true, showDiff: false, accept: false, discard: false });
  const generated = run([
    { type: 'generated', solveId: 1, generation: { think: 'x', answer: 'y', code: 'def clamp(): pass\n', finishReason: 'stop', completionTokens: 5, tokensPerSecond: 10 } },
    { type: 'verified', solveId: 1, verification: verification(['passed']) },
    { type: 'phase', solveId: 1, phase: 'verified', message: null },
  ], base);
  assert.deepEqual(solveActions(generated), { cancel: false, showDiff: true, accept: true, discard: true });
  const noCode = run([
    { type: 'generated', solveId: 1, generation: { think: 'x', answer: '', code: null, finishReason: 'length', completionTokens: 5, tokensPerSecond: 10 } },
    { type: 'phase', solveId: 1, phase: 'verified', message: null },
  ], base);
  assert.deepEqual(solveActions(noCode), { cancel: false, showDiff: false, accept: false, discard: false });
  const accepted = applySolveEvent(generated, { type: 'phase', solveId: 1, phase: 'accepted', message: 'done' });
  assert.deepEqual(solveActions(accepted), { cancel: false, showDiff: false, accept: false, discard: false }, 'decided once');
  assert.deepEqual(solveActions(null), { cancel: false, showDiff: false, accept: false, discard: false });
});

test('outcome labels count the tests, held-out ones included', () => {
  assert.equal(outcomeLabel(verification(['passed', 'passed', 'passed', 'passed', 'passed'])), '✓ 5/5 by trained model');
  assert.equal(outcomeLabel(verification(['passed', 'failed', 'passed', 'error', 'failed'])), '✗ 2/5 by trained model');
  assert.equal(outcomeLabel(verification(['passed'], [{ code: 'hardcoded_expected', message: 'm' }])), '✗ 1/1 by trained model (flagged)');
  assert.equal(outcomeLabel(verification([], [{ code: 'parse_error', message: 'm' }])), '✗ flagged by the verifier');
});

test('the streamed completion splits into reasoning and answer as tags arrive', () => {
  assert.deepEqual(splitStream(''), { think: '', answer: '' });
  assert.deepEqual(splitStream('<think>\nLet me'), { think: 'Let me', answer: '' });
  assert.deepEqual(splitStream('<think>\nok</think>\n```python\ndef f'), { think: 'ok', answer: '```python\ndef f' });
  assert.deepEqual(splitStream('reasoning without open</think>code'), { think: 'reasoning without open', answer: 'code' }, 'a template may open the think block');
  assert.deepEqual(splitStream('plain'), { think: 'plain', answer: '' });
});
