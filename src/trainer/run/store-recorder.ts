/**
 * The loop's RunRecorder over the SQLite store: scored groups become trace rows (with per-test
 * results, token statistics and flags), step metrics become a `steps` row.
 */
import type { Store, TraceInput } from '../store';
import type { ScoredGroup, ScoredSample } from './rollout';
import type { RunRecorder } from './training-loop';
import type { StepMetrics } from './step-metrics';
import type { EvaluationResult } from './evaluate';
import type { HealthWarning } from '../../shared/health';
import { isPassAtKRegression } from '../analysis/pass-at-k';

export class StoreRecorder implements RunRecorder {
  /** The base model's evaluation, to flag pass@k regressions of later ones. */
  baseEvaluation: EvaluationResult | null = null;

  constructor(private readonly store: Store, private readonly runId: string) {}

  async recordGroups(step: number, groups: readonly ScoredGroup[], advantages: ReadonlyMap<ScoredGroup, number[]>): Promise<void> {
    const traces = groups.flatMap((group, groupIndex) => group.samples.map((sample, sampleIndex) =>
      traceInput(this.runId, step, 'train', null, group, groupIndex, sample, sampleIndex, advantages.get(group)?.[sampleIndex] ?? null)));
    await this.store.recordTraces(traces);
  }

  async recordStep(step: number, m: StepMetrics, health: readonly HealthWarning[]): Promise<void> {
    await this.store.recordStep(this.runId, step, {
      rewardMean: m.rewardMean, rewardStd: m.rewardStd, passRate: m.passRate, fracZeroStd: m.fracZeroStd,
      groupsDropped: m.groupsDropped, entropy: m.entropy, kl: m.train?.kl ?? null,
      clipLow: m.train?.clipFractionLow ?? null, clipHigh: m.train?.clipFractionHigh ?? null,
      gradNorm: m.train?.gradNorm ?? null, loss: m.train?.loss ?? null, learningRate: m.train?.learningRate ?? null,
      ahaPer1k: m.ahaPer1k, fixRate: m.fixRate, completionLenMean: m.completionLenMean, truncationRate: m.truncationRate, flaggedRate: m.flaggedRate,
      tokens: m.generatedTokens, tokensPerS: m.tokensPerSecond, genS: m.generateSeconds,
      verifyS: m.verifyTailSeconds, trainS: m.trainSeconds,
      extra: {
        // The messages stay in extra.warnings for readers of the first schema version.
        warnings: health.map((w) => w.message), groups: m.groups, groupsAllPassed: m.groupsAllPassed, groupsAllFailed: m.groupsAllFailed,
        samples: m.samples, policyLoss: m.train?.policyLoss ?? null, trainEntropy: m.train?.entropy ?? null,
      },
      health,
    });
    await this.store.updateRun(this.runId, { lastStep: step });
  }

  async recordCheckpoint(step: number, dir: string, samplerPosition: number): Promise<void> {
    await this.store.updateRun(this.runId, { checkpoint: { dir, step, state: { samplerPosition } } });
  }

  async recordEvaluation(step: number, result: EvaluationResult, checkpoint: string | null = null): Promise<void> {
    const traces = result.groups.flatMap((group, groupIndex) => group.samples.map((sample, sampleIndex) =>
      traceInput(this.runId, step, 'eval', result.label, group, groupIndex, sample, sampleIndex, null)));
    await this.store.recordTraces(traces);
    const regression = this.baseEvaluation && result.label !== this.baseEvaluation.label
      ? isPassAtKRegression(this.baseEvaluation, result)
      : null;
    await this.store.recordEvaluation({
      runId: this.runId, label: result.label, step, checkpoint, n: result.n, tasks: result.tasks,
      passAtK: result.passAtK, regression, curve: result.curve,
    });
  }
}

function traceInput(
  runId: string, step: number, kind: 'train' | 'eval', evalLabel: string | null,
  group: ScoredGroup, groupIndex: number, sample: ScoredSample, sampleIndex: number, advantage: number | null,
): TraceInput {
  const verdict = sample.verdict;
  return {
    runId, step, kind, evalLabel, taskId: group.task.id, groupIndex, sampleIndex,
    prompt: group.prompt.find((m) => m.role === 'user')?.content ?? '',
    completion: sample.text,
    think: sample.parsed.think,
    answer: sample.parsed.answer,
    code: sample.parsed.code,
    reward: sample.reward,
    advantage,
    promptTokens: group.promptTokenIds.length,
    completionTokens: sample.tokenIds.length,
    finishReason: sample.finishReason,
    passed: verdict?.passed ?? false,
    passFraction: verdict ? verdict.reward : null,
    tests: (verdict?.tests ?? []).map((t) => ({ testId: t.id, outcome: t.outcome, duration: t.duration, message: t.message, heldOut: t.heldOut })),
    tokens: { ids: sample.tokenIds, logprobs: sample.logprobs, entropies: sample.entropies, offsets: sample.tokenOffsets ?? null },
    flags: verdict?.flags ?? [],
    ahaEvents: sample.aha.events.map((e) => ({
      category: e.category, cue: e.cue, charStart: e.charStart, charEnd: e.charEnd, tokenIndex: e.tokenIndex,
      position: e.position, phase: e.phase, consequence: e.consequence, entropy: e.entropy?.atCue ?? null,
      forking: e.forking ?? false,
    })),
  };
}
