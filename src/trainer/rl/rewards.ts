/**
 * The scalar reward of one completion, from its parts. Correctness comes from the verifier;
 * format from the parser; the overlong penalty is DAPO's soft length shaping.
 */
import { formatScore, type CompletionFormat } from './completion';

export type CorrectnessMode = 'all_pass' | 'pass_fraction';

export interface RewardConfig {
  correctness: CorrectnessMode;
  /** Weight of the format score (0..1 before weighting). Small: passing tests must dominate. */
  formatWeight: number;
  /** DAPO soft overlong punishment; null disables it. */
  overlong: { maxTokens: number; bufferTokens: number } | null;
}

export interface VerificationSummary {
  /** Fraction of mapped tests passed, already 0 when a tamper flag was raised. */
  passFraction: number;
  /** All tests passed and no flags. */
  passed: boolean;
  /** Any flag (rejected, timed out, or reward hacking): no correctness reward. */
  flagged: boolean;
  /** A reward-hacking flag: no format reward either, so gaming the verifier never pays. */
  hacking: boolean;
}

export interface RewardBreakdown {
  correctness: number;
  format: number;
  overlong: number;
  total: number;
}

export function computeReward(
  verification: VerificationSummary | null,
  format: CompletionFormat,
  completionTokens: number,
  config: RewardConfig,
): RewardBreakdown {
  // No code, or a flagged candidate, earns nothing for correctness.
  const correctness = verification === null || verification.flagged
    ? 0
    : config.correctness === 'all_pass' ? (verification.passed ? 1 : 0) : verification.passFraction;
  // A reward-hacking candidate must not be paid for looking tidy either. Code that merely fails to
  // parse keeps its format credit: for a weak model that is the first signal it can climb.
  const formatPart = verification?.hacking ? 0 : config.formatWeight * formatScore(format);
  const overlong = config.overlong ? overlongPenalty(completionTokens, config.overlong.maxTokens, config.overlong.bufferTokens) : 0;
  return { correctness, format: formatPart, overlong, total: correctness + formatPart + overlong };
}

/**
 * DAPO's soft overlong punishment: 0 up to (max − buffer) tokens, then a linear ramp down to −1 at
 * max, and −1 beyond. Example: max 512, buffer 128 → 384 tokens: 0; 448: −0.5; 512: −1.
 */
export function overlongPenalty(length: number, maxTokens: number, bufferTokens: number): number {
  const safe = maxTokens - bufferTokens;
  if (length <= safe) return 0;
  if (length > maxTokens) return -1;
  return (safe - length) / bufferTokens;
}
