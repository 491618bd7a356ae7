/**
 * The training-health monitors: one small function per failure mode, each reading the series of
 * steps so far (the newest last) and returning at most one warning for the newest step. The table
 * at the end is the whole list; thresholds and their reasons are in thresholds.ts.
 */
import type { HealthCode, HealthWarning } from '../../../shared/health';
import { ema, linearFit, mean, pct, type HealthContext, type HealthPoint } from './series';
import { THRESHOLDS as T } from './thresholds';

export type Monitor = (series: readonly HealthPoint[], context: HealthContext) => HealthWarning | null;

const warn = (code: HealthCode, message: string): HealthWarning => ({ code, severity: 'warning', message });
const critical = (code: HealthCode, message: string): HealthWarning => ({ code, severity: 'critical', message });
const fmt = (x: number, digits = 2): string => x.toFixed(digits);

/** What to change, by which way the equal-reward groups went. */
function signalAdvice(last: HealthPoint, context: HealthContext): string {
  const otherEqual = Math.max(0, Math.round(last.fracZeroStd * last.groups) - last.groupsAllPassed - last.groupsAllFailed);
  if (last.groupsAllPassed > last.groupsAllFailed && last.groupsAllPassed >= otherEqual) {
    return 'the tasks are too easy for this model: train on harder tasks (ones the base model sometimes fails), since a larger groupSize or temperature rarely breaks an all-pass group';
  }
  if (last.groupsAllFailed >= otherEqual) {
    const hints = [
      context.correctness === 'all_pass' ? 'correctness pass_fraction (partial credit)' : null,
      `a larger groupSize (${context.groupSize} → ${context.groupSize * 2}: more chances for one success)`,
      `a higher temperature (now ${context.temperature})`,
      last.truncationRate >= T.truncation.rate ? `a larger maxNewTokens (${pct(last.truncationRate)} were cut off)` : null,
      'easier tasks, or a stronger base model',
    ].filter((h): h is string => h !== null);
    return `the tasks are too hard for this model: try ${hints.join(', ')}`;
  }
  return `samples of a group scored the same partial credit: raise temperature (now ${context.temperature}) or groupSize (now ${context.groupSize}) for more varied answers`;
}

const groupBreakdown = (p: HealthPoint): string => `${p.groupsAllPassed} all passed, ${p.groupsAllFailed} all failed`;

/** No update at all: every group had equal rewards. Says which way they went and what to change. */
export const noSignal: Monitor = (series, context) => {
  const last = series[series.length - 1];
  if (!last || last.trained || last.groups === 0) return null;
  return critical('no_signal', `no learning signal at step ${last.step}: all ${last.groups} groups had identical rewards (${groupBreakdown(last)}), so nothing was trained; ${signalAdvice(last, context)}.`);
};

/** Many groups with equal rewards (an update still happened). */
export const zeroStd: Monitor = (series, context) => {
  const last = series[series.length - 1];
  if (!last || !last.trained || last.fracZeroStd < T.zeroStd.fraction) return null;
  const cost = context.dynamicSampling
    ? 'dynamic sampling refilled the batch, at the cost of extra generation'
    : 'they added nothing to the update (dynamicSampling would replace them)';
  return warn('zero_std', `${pct(last.fracZeroStd)} of groups had identical rewards (${groupBreakdown(last)}); ${cost}. Likely cause: ${signalAdvice(last, context)}.`);
};

/** Sampling entropy far below where it started: the policy stopped exploring. */
export const entropyCollapse: Monitor = (series) => {
  const values = series.map((p) => p.entropy).filter((e): e is number => e !== null && Number.isFinite(e));
  const { baselineSteps, minSteps, emaAlpha, collapseFraction, floor } = T.entropy;
  if (values.length < minSteps) return null;
  const baseline = mean(values.slice(0, baselineSteps));
  if (baseline < floor) return null;
  const smoothed = ema(values, emaAlpha);
  if (smoothed >= collapseFraction * baseline) return null;
  return warn('entropy_collapse', `entropy collapse: sampling entropy is down to ${fmt(smoothed, 3)} nats/token (smoothed), ${pct(1 - smoothed / baseline)} below the first steps (${fmt(baseline, 3)}); the policy has stopped exploring and gains usually stall here. Raise epsilonHigh (DAPO clip-higher, 0.28) or temperature, lower learningRate, and compare pass@k with the base (rlvr eval).`);
};

/** Completions growing into maxNewTokens. */
export const lengthGrowth: Monitor = (series, context) => {
  const { window, growth, capFraction, truncationRise } = T.length;
  if (series.length < window) return null;
  const recent = series.slice(-window);
  const length = linearFit(recent.map((p) => p.completionLenMean));
  if (length.start <= 0 || (length.end - length.start) / length.start < growth) return null;
  const truncation = linearFit(recent.map((p) => p.truncationRate));
  const nearCap = length.end >= capFraction * context.maxNewTokens;
  if (!nearCap && truncation.end - truncation.start < truncationRise) return null;
  const t = (x: number) => pct(Math.min(1, Math.max(0, x)));
  return warn('length_growth', `completions are growing toward the cap: mean length ${Math.round(length.start)} → ${Math.round(length.end)} tokens over the last ${window} steps (maxNewTokens ${context.maxNewTokens}), truncation ${t(truncation.start)} → ${t(truncation.end)}. Longer reasoning is fine in itself, but cut-off answers score as failures: raise maxNewTokens, or set overlongBuffer (DAPO soft overlong penalty) or maskTruncated.`);
};

/** A sizeable share of completions cut off at maxNewTokens. */
export const truncation: Monitor = (series, context) => {
  const recent = series.slice(-T.truncation.window);
  const rate = mean(recent.map((p) => p.truncationRate));
  if (recent.length === 0 || !(rate >= T.truncation.rate)) return null;
  return warn('truncation', `${pct(rate)} of completions hit maxNewTokens (${context.maxNewTokens}) over the last ${recent.length} step${recent.length > 1 ? 's' : ''}: their rewards judge unfinished answers. Raise maxNewTokens, or set overlongBuffer / maskTruncated (DAPO).`);
};

/** Candidates flagged for gaming the verifier. */
export const rewardHacking: Monitor = (series) => {
  const last = series[series.length - 1];
  if (!last || !(last.flaggedRate > 0)) return null;
  const count = Math.round(last.flaggedRate * last.samples);
  const message = `${pct(last.flaggedRate)} of candidates (${count} of ${last.samples}) were flagged for reward hacking at step ${last.step}; they score 0, but look at them (rlvr traces --flagged) before trusting the reward curve.`;
  return last.flaggedRate >= T.flagged.critical ? critical('reward_hacking', message) : warn('reward_hacking', message);
};

/** KL to the reference high, or rising step after step. */
export const klDrift: Monitor = (series, context) => {
  if (context.beta <= 0) return null;
  const kls = series.map((p) => p.kl).filter((k): k is number => k !== null && Number.isFinite(k));
  if (kls.length === 0) return null;
  const recent = mean(kls.slice(-T.kl.window));
  const steps = kls.slice(-(T.kl.risingSteps + 1));
  const rising = steps.length === T.kl.risingSteps + 1 && steps.every((k, i) => i === 0 || k > (steps[i - 1] as number));
  const last = kls[kls.length - 1] as number;
  if (recent < T.kl.high && !(rising && last >= T.kl.risingMin)) return null;
  const trend = rising ? `, and it rose in each of the last ${T.kl.risingSteps} steps` : '';
  return warn('kl_drift', `KL to the reference is ${fmt(recent, 3)} nats/token (mean of the last ${Math.min(T.kl.window, kls.length)} steps)${trend}: the policy is drifting from the base model faster than beta ${context.beta} holds it. Raise beta or lower learningRate, or set beta 0 if the drift is wanted (DAPO drops the KL term).`);
};

/** Every monitor, in the order their warnings are shown. */
export const MONITORS: readonly Monitor[] = [noSignal, zeroStd, rewardHacking, entropyCollapse, klDrift, lengthGrowth, truncation];
