// The rollout hands the worker's token offsets and entropies to the aha detector, so training
// traces get each cue's token and its forking-cue entropy; bad or missing offsets fall back to
// text-only detection instead of failing the step.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { rollout } from '../../src/trainer/run/rollout';
import type { CandidateVerifier, GeneratedGroup, GeneratedSample, PolicyEngine } from '../../src/trainer/run/ports';
import type { Task } from '../../src/trainer/tasks/task';

const task: Task = {
  id: 'f', language: 'python', file: 'm.py', symbol: 'f', signature: 'def f():', docstring: null,
  bodySpan: { startLine: 1, endLine: 2 }, context: '', tests: ['t1'], visibleTests: ['t1'], heldOutTests: [], baselineSeconds: 0.01, source: 'mined',
};

// Token pieces as the worker decoded them; "Wait" is the high-entropy (forking) token.
const PIECES = ['<think>', 'Plan', ' it', '.', ' Wait', ',', ' no', '.', '</think>', '\n```python\ndef f():\n    return 1\n```'];
const ENTROPIES = [0.1, 0.2, 0.1, 0.1, 2.5, 0.3, 0.2, 0.1, 0.1, 0.2];
const TEXT = PIECES.join('');
const ENDS = PIECES.reduce<number[]>((ends, piece) => [...ends, (ends[ends.length - 1] ?? 0) + piece.length], []);

function policyReturning(sample: Partial<GeneratedSample>): PolicyEngine {
  const full: GeneratedSample = { tokenIds: PIECES.map((_, i) => i + 10), text: TEXT, logprobs: PIECES.map(() => -1), entropies: ENTROPIES, finishReason: 'stop', ...sample };
  return {
    async generate(_prompts, _settings, onGroup) {
      const group: GeneratedGroup = { promptIndex: 0, promptTokenIds: [1], samples: [full] };
      onGroup(group);
      return [group];
    },
    trainStep: () => Promise.reject(new Error('not used')),
    save: () => Promise.reject(new Error('not used')),
    load: () => Promise.reject(new Error('not used')),
  };
}

const verifier: CandidateVerifier = { verify: async () => ({ reward: 1, passed: true, flags: [], tests: [], seconds: 0 }) };
const settings = { n: 1, temperature: 1, topP: 1, maxNewTokens: 64, seed: 0 };
const rewards = { correctness: 'pass_fraction' as const, formatWeight: 0, overlong: null };

async function cueOf(sample: Partial<GeneratedSample>) {
  const { groups } = await rollout([task], [[{ role: 'user', content: 'x' }]], policyReturning(sample), verifier, settings, rewards);
  const aha = groups[0]?.samples[0]?.aha;
  assert.ok(aha);
  const wait = aha.events.find((e) => e.cue === 'Wait');
  assert.ok(wait, 'the cue is found by text in every case');
  return { wait, summary: aha.summary };
}

test('with token offsets, a training cue gets its token index and forking-cue entropy', async () => {
  const { wait, summary } = await cueOf({ tokenOffsets: ENDS });
  assert.equal(wait.tokenIndex, 4);
  assert.equal(wait.entropy?.atCue, 2.5);
  assert.equal(wait.forking, true);
  assert.equal(summary.forkingCues, 1);
  assert.equal(summary.rateUnit, 'think_tokens');
});

test('without offsets, or with offsets that cannot be this text\'s, cues carry no token statistics', async () => {
  for (const tokenOffsets of [undefined, null, ENDS.slice(1), ENDS.map((e) => e + 1), [...ENDS.slice(0, 3), 2, ...ENDS.slice(4)]]) {
    const { wait, summary } = await cueOf({ tokenOffsets });
    assert.deepEqual([wait.tokenIndex, wait.entropy, wait.forking, summary.forkingCues], [null, null, null, null], JSON.stringify(tokenOffsets));
  }
});
