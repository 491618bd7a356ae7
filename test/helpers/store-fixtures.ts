/** Builders for trace-store tests: temporary database files and realistic traces. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCompletion } from '../../src/trainer/rl/completion';
import type { NewRun, TraceInput } from '../../src/trainer/store/types';

/** A fresh folder with a `runs.db` path in it; `cleanup()` removes it. */
export function tempDb(prefix = 'rlvr-store-'): { dir: string; path: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, path: join(dir, 'runs.db'), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function newRun(overrides: Partial<NewRun> = {}): NewRun {
  return {
    workspace: '/ws/python-basics',
    model: 'tiny-qwen',
    config: { groupSize: 4, learningRate: 1e-5, lossType: 'dapo' },
    seed: 7,
    ...overrides,
  };
}

export const PROMPT = 'Implement `slugify(text: str) -> str` so that the tests pass.\n\n```python\ndef slugify(text: str) -> str:\n    ...\n```';

export function completionText(i: number): string {
  return `<think>Lower-case the text, replace spaces with dashes. Wait, check punctuation ${i}.</think>\n` +
    '```python\ndef slugify(text: str) -> str:\n    return "-".join(text.lower().split())\n```\n';
}

/** A complete trace (tests, tokens, flags) whose texts are parsed the way the loop parses them. */
export function makeTrace(overrides: Partial<TraceInput> & { runId: string }, i = 0): TraceInput {
  const completion = overrides.completion ?? completionText(i);
  const parsed = parseCompletion(completion);
  const n = 5 + (i % 7);
  const passed = i % 3 === 0;
  return {
    step: 1,
    kind: 'train',
    evalLabel: null,
    taskId: `task-${i % 4}`,
    groupIndex: Math.floor(i / 4),
    sampleIndex: i % 4,
    prompt: PROMPT,
    completion,
    think: parsed.think,
    answer: parsed.answer,
    code: parsed.code,
    reward: { total: (passed ? 1 : 0.25) + 0.1, correctness: passed ? 1 : 0.25, format: 0.1, overlong: 0 },
    advantage: passed ? 0.8 : -0.4,
    promptTokens: 40,
    completionTokens: n,
    finishReason: i % 5 === 4 ? 'length' : 'stop',
    passed,
    passFraction: passed ? 1 : 0.25,
    tests: [
      { testId: 'tests/test_text.py::test_slugify_basic', outcome: 'passed', duration: 0.002, message: null, heldOut: false },
      { testId: 'tests/test_text.py::test_slugify_punct', outcome: passed ? 'passed' : 'failed', duration: 0.003, message: passed ? null : 'assert "a-b!" == "a-b"', heldOut: true },
    ],
    tokens: {
      ids: Int32Array.from({ length: n }, (_, k) => 1000 + k + i),
      logprobs: Float32Array.from({ length: n }, (_, k) => -0.125 * (k + 1)),
      entropies: Float32Array.from({ length: n }, (_, k) => 0.5 + k / 8),
      offsets: Uint32Array.from({ length: n }, (_, k) => Math.min(completion.length, (k + 1) * 10)),
    },
    flags: [],
    ahaEvents: [],
    ...overrides,
  };
}
