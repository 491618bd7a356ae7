import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveConfig } from '../../src/trainer/config/config';
import type {
  CandidateVerdict, CandidateVerifier, GeneratedGroup, GenerationSettings, PolicyEngine, TrainSequence,
} from '../../src/trainer/run/ports';
import type { PromptMessage } from '../../src/trainer/tasks/prompt';
import type { Task } from '../../src/trainer/tasks/task';
import { TaskSampler } from '../../src/trainer/run/task-sampler';
import { runTrainingLoop, type RunRecorder } from '../../src/trainer/run/training-loop';
import type { StepMetrics } from '../../src/trainer/run/step-metrics';
import type { ScoredGroup } from '../../src/trainer/run/rollout';
import type { HealthWarning } from '../../src/shared/health';
import { HealthTracker, healthContextOf, healthPointOf } from '../../src/trainer/run/health-tracker';

function task(symbol: string): Task {
  return {
    id: symbol, language: 'python', file: 'm.py', symbol, signature: `def ${symbol}():`, docstring: null,
    bodySpan: { startLine: 1, endLine: 2 }, context: '', tests: ['t1', 't2'], visibleTests: ['t1'],
    heldOutTests: ['t2'], baselineSeconds: 0.01, source: 'mined',
  };
}

/** Completion text that the fake verifier scores: "pass" or "fail" inside the code block. */
const completion = (verdict: 'pass' | 'fail') => `<think>x</think>\n\`\`\`python\ndef f():\n    return "${verdict}"\n\`\`\``;

/** Per task: how many of the G samples pass. 'always' tasks pass all, 'never' none, 'half' half. */
const behaviour: Record<string, 'always' | 'never' | 'half'> = { easy: 'always', hard: 'never', mid: 'half', mid2: 'half' };

class FakePolicy implements PolicyEngine {
  trained: TrainSequence[][] = [];
  saved: string[] = [];
  generateCalls = 0;
  constructor(private readonly symbols: string[][]) {}
  async generate(prompts: PromptMessage[][], s: GenerationSettings, onGroup: (g: GeneratedGroup) => void) {
    const symbols = this.symbols[this.generateCalls++] ?? [];
    const groups = prompts.map((_, i): GeneratedGroup => {
      const kind = behaviour[symbols[i] ?? ''] ?? 'never';
      const samples = Array.from({ length: s.n }, (_, j) => {
        const pass = kind === 'always' || (kind === 'half' && j % 2 === 0);
        return { tokenIds: [1, 2, 3], text: completion(pass ? 'pass' : 'fail'), logprobs: [-1, -1, -1], entropies: [0.5, 0.5, 0.5], finishReason: 'stop' as const };
      });
      return { promptIndex: i, promptTokenIds: [9], samples };
    });
    groups.forEach(onGroup);
    return groups;
  }
  async trainStep(sequences: TrainSequence[]) {
    this.trained.push(sequences);
    return { step: this.trained.length, loss: 0.1, policyLoss: 0.1, kl: 0, clipFractionLow: 0, clipFractionHigh: 0, entropy: 0.5, gradNorm: 1, tokens: 3, learningRate: 1e-4, seconds: 0 };
  }
  async save(dir: string) { this.saved.push(dir); return { step: 0 }; }
  async load() { return { step: 0 }; }
}

const verifier: CandidateVerifier = {
  async verify(_task, code): Promise<CandidateVerdict> {
    const passed = code.includes('"pass"');
    return { reward: passed ? 1 : 0, passed, flags: [], tests: [], seconds: 0 };
  },
};

class MemoryRecorder implements RunRecorder {
  steps: StepMetrics[] = [];
  health: (readonly HealthWarning[])[] = [];
  groups: ScoredGroup[] = [];
  checkpoints: number[] = [];
  async recordGroups(_step: number, groups: readonly ScoredGroup[]) { this.groups.push(...groups); }
  async recordStep(_step: number, metrics: StepMetrics, health: readonly HealthWarning[]) { this.steps.push(metrics); this.health.push(health); }
  async recordCheckpoint(step: number) { this.checkpoints.push(step); }
  async recordEvaluation() {}
}

/** A sampler over a fixed order: the tasks come out in exactly the given sequence. */
function samplerOf(order: string[]): TaskSampler {
  const sampler = new TaskSampler([task('x')], 0);
  let i = 0;
  sampler.take = (count: number) => Array.from({ length: count }, () => task(order[i++ % order.length] as string));
  return sampler;
}

const config = (values: Record<string, unknown>) => resolveConfig([{ source: 'test', values: { groupSize: 4, tasksPerStep: 2, ...values } }]);

test('dynamic sampling drops all-pass and all-fail groups, counts why, and refills', async () => {
  const order = ['easy', 'hard', 'mid', 'mid2'];
  const policy = new FakePolicy([['easy', 'hard'], ['mid', 'mid2']]);
  const recorder = new MemoryRecorder();
  const deps = { policy, verifier, recorder, sampler: samplerOf(order), promptFor: () => [], checkpointDir: (s: number) => `ck/${s}` };
  const outcome = await runTrainingLoop(config({ steps: 1 }), deps, 0, new AbortController().signal);
  assert.deepEqual(outcome, { lastStep: 1, stopped: false });
  const m = recorder.steps[0] as StepMetrics;
  assert.equal(m.groupsAllPassed, 1);
  assert.equal(m.groupsAllFailed, 1);
  assert.equal(m.groupsDropped, 2);
  assert.equal(m.fracZeroStd, 0.5);
  assert.equal(recorder.groups.length, 4, 'dropped groups are still recorded as traces');
  assert.equal(policy.trained.length, 1);
  const advantages = (policy.trained[0] as TrainSequence[]).map((s) => s.advantage);
  assert.equal(advantages.length, 8, 'two kept groups of four');
  assert.ok(advantages.every((a) => Math.abs(Math.abs(a) - 0.866) < 1e-2), `half-pass groups give ±0.866: ${advantages}`);
});

test('without dynamic sampling every group trains, including zero-advantage ones', async () => {
  const policy = new FakePolicy([['easy', 'mid']]);
  const recorder = new MemoryRecorder();
  const deps = { policy, verifier, recorder, sampler: samplerOf(['easy', 'mid']), promptFor: () => [], checkpointDir: (s: number) => `ck/${s}` };
  await runTrainingLoop(config({ steps: 1, dynamicSampling: false }), deps, 0, new AbortController().signal);
  assert.equal((policy.trained[0] as TrainSequence[]).length, 8);
  assert.equal(recorder.steps[0]?.groupsDropped, 0);
});

test('a step where every group is all-fail skips the update and says so', async () => {
  const policy = new FakePolicy([['hard', 'hard'], ['hard', 'hard'], ['hard', 'hard']]);
  const recorder = new MemoryRecorder();
  const deps = { policy, verifier, recorder, sampler: samplerOf(['hard']), promptFor: () => [], checkpointDir: (s: number) => `ck/${s}` };
  await runTrainingLoop(config({ steps: 1, maxRefillRounds: 2 }), deps, 0, new AbortController().signal);
  assert.equal(policy.trained.length, 0);
  assert.equal(policy.generateCalls, 3, 'one round plus two refill rounds');
  assert.equal(recorder.steps[0]?.train, null);
  assert.equal(recorder.steps[0]?.groupsAllFailed, 6);
});

test('each step\'s health warnings reach the recorder and onStep: an all-fail step is a critical no_signal', async () => {
  const policy = new FakePolicy([['hard', 'hard'], ['hard', 'hard'], ['hard', 'hard'], ['mid', 'mid2']]);
  const recorder = new MemoryRecorder();
  const seen: string[][] = [];
  const deps = {
    policy, verifier, recorder, sampler: samplerOf(['hard', 'hard', 'hard', 'hard', 'hard', 'hard', 'mid', 'mid2']), promptFor: () => [],
    checkpointDir: (s: number) => `ck/${s}`, onStep: (_s: number, _m: StepMetrics, health: readonly HealthWarning[]) => { seen.push(health.map((w) => w.code)); },
  };
  await runTrainingLoop(config({ steps: 2, maxRefillRounds: 2, checkpointEvery: 0 }), deps, 0, new AbortController().signal);
  const first = recorder.health[0]?.[0];
  assert.equal(first?.code, 'no_signal');
  assert.equal(first?.severity, 'critical');
  assert.match(first?.message ?? '', /0 all passed, 6 all failed.*too hard/);
  assert.deepEqual(recorder.health[1], [], 'the half-pass step is healthy');
  assert.deepEqual(seen, [['no_signal'], []]);
});

test('a resumed run\'s health tracker keeps the entropy baseline of its stored steps', () => {
  const context = healthContextOf(config({}));
  const metrics = (entropy: number): StepMetrics => ({
    rewardMean: 0.5, rewardStd: 0.5, passRate: 0.5, fracZeroStd: 0, groupsDropped: 0, groups: 2, groupsAllPassed: 0, groupsAllFailed: 0,
    completionLenMean: 3, truncationRate: 0, flaggedRate: 0, ahaPer1k: 0, fixRate: 0, entropy, samples: 8, generatedTokens: 24,
    tokensPerSecond: 1, generateSeconds: 1, verifyTailSeconds: 0, trainSeconds: 0, train: null,
  });
  const stored = [1, 2, 3, 4, 5, 6, 7].map((step) => healthPointOf(step, metrics(step <= 3 ? 1 : 0.1)));
  const resumed = new HealthTracker(context, stored);
  assert.ok(resumed.observe(8, metrics(0.05)).some((w) => w.code === 'entropy_collapse'), 'baseline from the stored first steps');
  const fresh = new HealthTracker(context);
  assert.ok(!fresh.observe(8, metrics(0.05)).some((w) => w.code === 'entropy_collapse'), 'a fresh tracker has no baseline yet');
});

test('checkpoints every N steps and at the end; a stop finishes the step and checkpoints it', async () => {
  const rounds = Array.from({ length: 10 }, () => ['mid', 'mid2']);
  const policy = new FakePolicy(rounds);
  const recorder = new MemoryRecorder();
  const stop = new AbortController();
  const deps = {
    policy, verifier, recorder, sampler: samplerOf(['mid', 'mid2']), promptFor: () => [],
    checkpointDir: (s: number) => `ck/${s}`,
    onStep: (step: number) => { if (step === 3) stop.abort(); },
  };
  const outcome = await runTrainingLoop(config({ steps: 10, checkpointEvery: 2 }), deps, 0, stop.signal);
  assert.deepEqual(outcome, { lastStep: 3, stopped: true });
  assert.deepEqual(recorder.checkpoints, [2, 3]);
  assert.deepEqual(policy.saved, ['ck/2', 'ck/3']);
});

test('resuming from a step continues the count and ends at config.steps', async () => {
  const policy = new FakePolicy(Array.from({ length: 5 }, () => ['mid', 'mid2']));
  const recorder = new MemoryRecorder();
  const deps = { policy, verifier, recorder, sampler: samplerOf(['mid', 'mid2']), promptFor: () => [], checkpointDir: (s: number) => `ck/${s}` };
  const outcome = await runTrainingLoop(config({ steps: 5, checkpointEvery: 0 }), deps, 3, new AbortController().signal);
  assert.deepEqual(outcome, { lastStep: 5, stopped: false });
  assert.equal(recorder.steps.length, 2);
  assert.deepEqual(recorder.checkpoints, [5]);
});
