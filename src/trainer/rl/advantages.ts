/**
 * Group-relative advantages. For the G completions of one prompt with rewards r_i:
 *   grpo:    A_i = (r_i − mean(r)) / (std(r) + eps)     (std with Bessel's correction, as TRL)
 *   dr_grpo: A_i =  r_i − mean(r)                       (Dr. GRPO drops the std: it over-weights
 *                                                        groups that are almost all right or wrong)
 * Example: r = [1, 0, 0, 0] → mean 0.25, std 0.5 → grpo A = [1.5, −0.5, −0.5, −0.5] (eps aside).
 */
export type AdvantageScaling = 'std' | 'none';

export const ADVANTAGE_EPS = 1e-4; // TRL's value

export function groupAdvantages(rewards: readonly number[], scaling: AdvantageScaling, eps = ADVANTAGE_EPS): number[] {
  if (rewards.length === 0) return [];
  const mean = rewards.reduce((a, b) => a + b, 0) / rewards.length;
  const centred = rewards.map((r) => r - mean);
  if (scaling === 'none') return centred;
  const std = sampleStd(rewards, mean);
  return centred.map((c) => c / (std + eps));
}

/** Standard deviation with Bessel's correction; 0 for a single value. */
export function sampleStd(values: readonly number[], mean = values.reduce((a, b) => a + b, 0) / values.length): number {
  if (values.length < 2) return 0;
  const squares = values.reduce((acc, v) => acc + (v - mean) ** 2, 0);
  return Math.sqrt(squares / (values.length - 1));
}

/** A group carries no learning signal when all its rewards are equal (every advantage is 0). */
export function isZeroStdGroup(rewards: readonly number[], tolerance = 1e-9): boolean {
  if (rewards.length === 0) return true;
  const first = rewards[0] as number;
  return rewards.every((r) => Math.abs(r - first) <= tolerance);
}
