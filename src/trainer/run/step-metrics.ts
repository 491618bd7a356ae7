/** Per-step metrics, named after TRL's logged metrics where one exists. */
import { sampleStd, isZeroStdGroup } from '../rl/advantages';
import type { StepBatch } from './step-batch';
import { rewardsOf } from './step-batch';
import { REWARD_HACKING_FLAGS } from '../rl/flags';
import type { TrainStepMetrics } from './ports';

export interface StepMetrics {
  rewardMean: number;
  rewardStd: number;
  /** Fraction of sampled completions that passed every test (pass@1 estimate on training tasks). */
  passRate: number;
  /** Fraction of rolled-out groups whose rewards were all equal (TRL frac_reward_zero_std). */
  fracZeroStd: number;
  groupsDropped: number;
  /** Groups rolled out this step (refill rounds included). */
  groups: number;
  /** Of the groups with equal rewards, those whose samples all passed / all failed (with or without dynamic sampling). */
  groupsAllPassed: number;
  groupsAllFailed: number;
  completionLenMean: number;
  truncationRate: number;
  /** Fraction of completions flagged for reward hacking (REWARD_HACKING_FLAGS). */
  flaggedRate: number;
  /** Backtracking / verification cues per 1,000 characters of think text. */
  ahaPer1k: number;
  /** Of the completions with at least one cue, the fraction whose code went from failing to passing after one. */
  fixRate: number;
  /** Mean per-token entropy of the sampled completions. */
  entropy: number;
  samples: number;
  generatedTokens: number;
  tokensPerSecond: number;
  generateSeconds: number;
  verifyTailSeconds: number;
  trainSeconds: number;
  train: TrainStepMetrics | null;
}

const isHacking = (flags: readonly { code: string }[] | undefined) => (flags ?? []).some((f) => REWARD_HACKING_FLAGS.has(f.code));

const mean = (xs: readonly number[]) => (xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length);

export function computeStepMetrics(batch: StepBatch, train: TrainStepMetrics | null, trainSeconds: number): StepMetrics {
  const samples = batch.all.flatMap((g) => g.samples);
  const rewards = batch.all.flatMap(rewardsOf);
  const lengths = samples.map((s) => s.tokenIds.length);
  const tokenEntropies = samples.flatMap((s) => s.entropies);
  const generatedTokens = lengths.reduce((a, b) => a + b, 0);
  const zeroStdGroups = batch.all.filter((g) => isZeroStdGroup(rewardsOf(g)));
  const { allPassed, allFailed, otherEqual } = batch.dropped;
  const cues = samples.reduce((n, s) => n + s.aha.summary.total, 0);
  const thinkChars = samples.reduce((n, s) => n + s.aha.summary.thinkChars, 0);
  const withCues = samples.filter((s) => s.aha.summary.total > 0);
  return {
    rewardMean: mean(rewards),
    rewardStd: sampleStd(rewards),
    passRate: mean(samples.map((s) => (s.verdict?.passed ? 1 : 0))),
    fracZeroStd: batch.all.length === 0 ? 0 : zeroStdGroups.length / batch.all.length,
    groupsDropped: allPassed + allFailed + otherEqual,
    groups: batch.all.length,
    groupsAllPassed: zeroStdGroups.filter((g) => g.samples.every((s) => s.verdict?.passed)).length,
    groupsAllFailed: zeroStdGroups.filter((g) => g.samples.every((s) => !s.verdict?.passed)).length,
    completionLenMean: mean(lengths),
    truncationRate: mean(samples.map((s) => (s.finishReason === 'length' ? 1 : 0))),
    flaggedRate: mean(samples.map((s) => (isHacking(s.verdict?.flags) ? 1 : 0))),
    ahaPer1k: thinkChars > 0 ? (cues / thinkChars) * 1000 : 0,
    fixRate: mean(withCues.map((s) => ((s.aha.summary.fixTransitions ?? 0) > 0 ? 1 : 0))),
    entropy: mean(tokenEntropies),
    samples: samples.length,
    generatedTokens,
    tokensPerSecond: batch.generateSeconds > 0 ? generatedTokens / batch.generateSeconds : 0,
    generateSeconds: batch.generateSeconds,
    verifyTailSeconds: batch.verifyTailSeconds,
    trainSeconds,
    train,
  };
}
