/**
 * Collects one step's training groups with DAPO dynamic sampling: groups whose rewards are all
 * equal carry no advantage signal and are dropped; more tasks are rolled out (up to a cap of extra
 * rounds) until the batch is full. Whatever was dropped is counted, because "reward 0, loss 0,
 * nothing learns" is the most common silent failure of GRPO runs.
 */
import { groupAdvantages, isZeroStdGroup, type AdvantageScaling } from '../rl/advantages';
import type { ScoredGroup, RolloutResult } from './rollout';
import type { Task } from '../tasks/task';
import type { TrainSequence } from './ports';

export interface StepBatch {
  /** Groups used for the update. */
  kept: ScoredGroup[];
  /** Every group rolled out this step, kept or not (all are stored as traces). */
  all: ScoredGroup[];
  dropped: { allPassed: number; allFailed: number; otherEqual: number };
  rounds: number;
  generateSeconds: number;
  verifyTailSeconds: number;
}

export interface BatchCollector {
  rollout(tasks: Task[]): Promise<RolloutResult>;
  nextTasks(count: number): Task[];
}

export async function collectStepBatch(
  collector: BatchCollector,
  tasksPerStep: number,
  dynamicSampling: boolean,
  maxRefillRounds: number,
  signal?: AbortSignal,
): Promise<StepBatch> {
  const batch: StepBatch = {
    kept: [], all: [], dropped: { allPassed: 0, allFailed: 0, otherEqual: 0 }, rounds: 0,
    generateSeconds: 0, verifyTailSeconds: 0,
  };
  let wanted = tasksPerStep;
  while (wanted > 0 && batch.rounds <= maxRefillRounds && !signal?.aborted) {
    const result = await collector.rollout(collector.nextTasks(wanted));
    batch.rounds++;
    batch.generateSeconds += result.generateSeconds;
    batch.verifyTailSeconds += result.verifyTailSeconds;
    for (const group of result.groups) {
      batch.all.push(group);
      if (dynamicSampling && isZeroStdGroup(rewardsOf(group))) countDropped(batch, group);
      else batch.kept.push(group);
    }
    if (!dynamicSampling) break;
    wanted = tasksPerStep - batch.kept.length;
  }
  batch.kept = batch.kept.slice(0, tasksPerStep);
  return batch;
}

export const rewardsOf = (group: ScoredGroup): number[] => group.samples.map((s) => s.reward.total);

function countDropped(batch: StepBatch, group: ScoredGroup): void {
  const verdicts = group.samples.map((s) => s.verdict);
  if (verdicts.every((v) => v?.passed)) batch.dropped.allPassed++;
  else if (verdicts.every((v) => !v?.passed)) batch.dropped.allFailed++;
  else batch.dropped.otherEqual++;
}

/** Advantages per sample, in the order of groups and samples. */
export function advantagesFor(groups: readonly ScoredGroup[], scaling: AdvantageScaling): number[][] {
  return groups.map((g) => groupAdvantages(rewardsOf(g), scaling));
}

/**
 * One update per batch (TRL's default num_iterations = 1) means the policy that sampled is the one
 * being updated, so old logprobs are left null and the worker uses its own detached logprobs
 * (ratio exactly 1). Passing the sampler's logprobs would add generation-vs-training numeric noise
 * to every ratio; they are still stored with each trace for analysis.
 */
export function toTrainSequences(groups: readonly ScoredGroup[], advantages: readonly number[][]): TrainSequence[] {
  return groups.flatMap((group, gi) => group.samples.map((sample, si) => ({
    promptTokenIds: group.promptTokenIds,
    completionTokenIds: sample.tokenIds,
    advantage: advantages[gi]?.[si] ?? 0,
    oldLogprobs: null,
    truncated: sample.finishReason === 'length',
  })));
}
