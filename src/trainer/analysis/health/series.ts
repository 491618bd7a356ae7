/**
 * The inputs of the training-health monitors: one point per step (a few of the step's metrics)
 * and the run's settings the advice refers to, plus the small statistics the monitors share.
 */

export interface HealthPoint {
  step: number;
  /** Mean sampling entropy of the step's completions (nats/token); null when there were none. */
  entropy: number | null;
  /** Mean k3 KL to the reference (nats/token); null without a reference model or an update. */
  kl: number | null;
  completionLenMean: number;
  truncationRate: number;
  /** Fraction of candidates flagged for reward hacking. */
  flaggedRate: number;
  /** Fraction of rolled-out groups whose rewards were all equal. */
  fracZeroStd: number;
  /** Groups rolled out, and of those with equal rewards, how many passed / failed every test. */
  groups: number;
  groupsAllPassed: number;
  groupsAllFailed: number;
  samples: number;
  /** An optimizer update happened (some group carried signal). */
  trained: boolean;
}

/** The settings the monitors' thresholds and advice depend on. */
export interface HealthContext {
  maxNewTokens: number;
  /** KL weight: 0 means no reference model, so no KL is measured. */
  beta: number;
  groupSize: number;
  temperature: number;
  dynamicSampling: boolean;
  correctness: 'all_pass' | 'pass_fraction';
}

export const mean = (xs: readonly number[]): number => (xs.length === 0 ? Number.NaN : xs.reduce((a, b) => a + b, 0) / xs.length);

/** Exponential moving average, started at the first value: ema_t = α·x_t + (1 − α)·ema_{t−1}. */
export function ema(xs: readonly number[], alpha: number): number {
  if (xs.length === 0) return Number.NaN;
  return xs.slice(1).reduce((acc, x) => alpha * x + (1 - alpha) * acc, xs[0] as number);
}

/**
 * Least-squares line through (0, y0) … (n−1, y_{n−1}), read at both ends: a trend that one noisy
 * step cannot fake as easily as `last − first`. Example: [1, 3, 2, 4] → {start: 1.3, end: 3.7}.
 */
export function linearFit(ys: readonly number[]): { start: number; end: number } {
  const n = ys.length;
  if (n < 2) return { start: ys[0] ?? Number.NaN, end: ys[0] ?? Number.NaN };
  const xMean = (n - 1) / 2;
  const yMean = mean(ys);
  let sxy = 0;
  let sxx = 0;
  ys.forEach((y, x) => {
    sxy += (x - xMean) * (y - yMean);
    sxx += (x - xMean) ** 2;
  });
  const slope = sxy / sxx;
  return { start: yMean - slope * xMean, end: yMean + slope * xMean };
}

export const pct = (fraction: number): string => `${Math.round(fraction * 100)}%`;
