/**
 * "Forking" cues: high-entropy tokens (the top ~20% of a trace, arXiv 2506.01939) are where a
 * trace can branch. A cue is forking when its token, or one of the 3 tokens after it, reaches the
 * trace's 80th-percentile entropy.
 */
import type { CueEntropy } from './types';

export const FORKING_PERCENTILE = 0.8;
/** Tokens after the cue's first token that may carry the fork ("Wait" → "," → " the"). */
export const FORKING_LOOKAHEAD = 3;

/** Linear-interpolated percentile (numpy's default), q in [0, 1]. */
export function percentile(values: readonly number[], q: number): number {
  if (values.length === 0) throw new RangeError('percentile of an empty list');
  const sorted = [...values].sort((a, b) => a - b);
  const rank = q * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  const low = sorted[lo] ?? 0;
  return low + ((sorted[hi] ?? low) - low) * (rank - lo);
}

export interface EntropyContext {
  entropies: readonly number[];
  p80: number;
  /** All entropies equal: nothing stands out, so no cue is forking. */
  flat: boolean;
}

export function entropyContext(entropies: readonly number[]): EntropyContext | null {
  if (entropies.length === 0) return null;
  const p80 = percentile(entropies, FORKING_PERCENTILE);
  return { entropies, p80, flat: entropies.every((e) => e === entropies[0]) };
}

export function cueEntropy(context: EntropyContext, tokenIndex: number): { entropy: CueEntropy; forking: boolean } | null {
  const atCue = context.entropies[tokenIndex];
  if (atCue === undefined) return null;
  const next = context.entropies.slice(tokenIndex + 1, tokenIndex + 1 + FORKING_LOOKAHEAD);
  const nextMax = next.length > 0 ? Math.max(...next) : null;
  const peak = Math.max(atCue, nextMax ?? atCue);
  return { entropy: { atCue, nextMax, p80: context.p80 }, forking: !context.flat && peak >= context.p80 };
}
