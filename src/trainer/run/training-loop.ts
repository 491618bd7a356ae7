/**
 * The GRPO loop: sample tasks → rollout (generate + verify, overlapped) → dynamic sampling →
 * advantages → train_step → record → checkpoint → evaluate. Stopping (Ctrl-C, the Stop command)
 * takes effect between steps and always leaves a checkpoint, so every stop is resumable.
 */
import type { TrainConfig } from '../config/config';
import type { RewardConfig } from '../rl/rewards';
import type { Task } from '../tasks/task';
import type { PromptMessage } from '../tasks/prompt';
import type { CandidateVerifier, PolicyEngine, TrainStepMetrics } from './ports';
import { rollout, type ScoredGroup } from './rollout';
import { advantagesFor, collectStepBatch, toTrainSequences } from './step-batch';
import { computeStepMetrics, type StepMetrics } from './step-metrics';
import type { TaskSampler } from './task-sampler';
import type { EvaluationResult } from './evaluate';
import type { HealthWarning } from '../../shared/health';
import { HealthTracker, healthContextOf } from './health-tracker';

/** Where the loop's results go (the SQLite store in production). */
export interface RunRecorder {
  recordGroups(step: number, groups: readonly ScoredGroup[], advantages: ReadonlyMap<ScoredGroup, number[]>): Promise<void>;
  recordStep(step: number, metrics: StepMetrics, health: readonly HealthWarning[]): Promise<void>;
  recordCheckpoint(step: number, dir: string, samplerPosition: number): Promise<void>;
  recordEvaluation(step: number, result: EvaluationResult): Promise<void>;
}

export interface LoopDeps {
  policy: PolicyEngine;
  verifier: CandidateVerifier;
  recorder: RunRecorder;
  sampler: TaskSampler;
  promptFor: (task: Task) => PromptMessage[];
  checkpointDir: (step: number) => string;
  /** Runs pass@k on held-out tasks; omitted when there are none. */
  evaluate?: (step: number) => Promise<EvaluationResult>;
  onStep?: (step: number, metrics: StepMetrics, health: readonly HealthWarning[]) => void;
  /** Training-health monitors; a resumed run passes one seeded with its stored steps. */
  health?: HealthTracker;
}

export interface LoopOutcome {
  lastStep: number;
  stopped: boolean;
}

export function rewardConfigOf(config: TrainConfig): RewardConfig {
  return {
    correctness: config.correctness,
    formatWeight: config.formatWeight,
    overlong: config.overlongBuffer > 0 ? { maxTokens: config.maxNewTokens, bufferTokens: config.overlongBuffer } : null,
  };
}

export async function runTrainingLoop(
  config: TrainConfig,
  deps: LoopDeps,
  startStep: number,
  stop: AbortSignal,
): Promise<LoopOutcome> {
  let step = startStep;
  const health = deps.health ?? new HealthTracker(healthContextOf(config));
  while (step < config.steps) {
    if (stop.aborted) break;
    step++;
    const metrics = await trainOneStep(config, deps, step);
    const warnings = health.observe(step, metrics);
    await deps.recorder.recordStep(step, metrics, warnings);
    deps.onStep?.(step, metrics, warnings);
    const last = step === config.steps;
    if (last || stop.aborted || (config.checkpointEvery > 0 && step % config.checkpointEvery === 0)) {
      await checkpoint(deps, step);
    }
    if (deps.evaluate && config.evalEvery > 0 && step % config.evalEvery === 0 && !last) {
      await deps.recorder.recordEvaluation(step, await deps.evaluate(step));
    }
  }
  return { lastStep: step, stopped: step < config.steps };
}

async function trainOneStep(config: TrainConfig, deps: LoopDeps, step: number): Promise<StepMetrics> {
  const rewards = rewardConfigOf(config);
  const generation = {
    n: config.groupSize, temperature: config.temperature, topP: config.topP,
    maxNewTokens: config.maxNewTokens, seed: config.seed * 100003 + step,
  };
  const batch = await collectStepBatch({
    nextTasks: (count) => deps.sampler.take(count),
    rollout: (tasks) => rollout(tasks, tasks.map(deps.promptFor), deps.policy, deps.verifier, generation, rewards),
  }, config.tasksPerStep, config.dynamicSampling, config.maxRefillRounds);

  const advantages = new Map<ScoredGroup, number[]>();
  advantagesFor(batch.kept, config.advantageScaling).forEach((a, i) => advantages.set(batch.kept[i] as ScoredGroup, a));
  let train: TrainStepMetrics | null = null;
  const started = Date.now();
  if (batch.kept.length > 0) {
    // Without any group carrying signal there is nothing to learn from: skip the update (the
    // metrics' groupsAllPassed/AllFailed say why) instead of stepping the optimizer on zeros.
    const sequences = toTrainSequences(batch.kept, batch.kept.map((g) => advantages.get(g) ?? []));
    train = await deps.policy.trainStep(sequences, {
      lossType: config.lossType, epsilonLow: config.epsilonLow, epsilonHigh: config.epsilonHigh,
      beta: config.beta, maskTruncated: config.maskTruncated, microBatchSize: config.microBatchSize,
      temperature: config.temperature, maxCompletionLength: config.maxNewTokens,
    });
  }
  const metrics = computeStepMetrics(batch, train, (Date.now() - started) / 1000);
  await deps.recorder.recordGroups(step, batch.all, advantages);
  return metrics;
}

async function checkpoint(deps: LoopDeps, step: number): Promise<void> {
  const dir = deps.checkpointDir(step);
  await deps.policy.save(dir);
  await deps.recorder.recordCheckpoint(step, dir, deps.sampler.position);
}
