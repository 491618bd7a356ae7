/**
 * Next-token choice from a logits row, the worker's rules (rlvr_worker/sampling.py) in plain JS:
 * greedy is argmax (the first index among ties, as torch.argmax); sampling draws from
 * softmax(logits / T) restricted to the top-p nucleus. The random stream is a seeded mulberry32,
 * so a seed replays the same tokens here, though not the worker's (torch has its own generator).
 */

/** Index of the largest logit; the first one among equal maxima. */
export function argmax(logits: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < logits.length; i++) if ((logits[i] as number) > (logits[best] as number)) best = i;
  return best;
}

/**
 * Draws an index ∝ softmax(logits / temperature), keeping only the smallest set of most likely
 * tokens whose mass reaches `topP` (the most likely token is always kept).
 * Example: probabilities [0.5, 0.3, 0.2], topP 0.7 → draws from {0, 1} with odds 5 : 3.
 */
export function sampleToken(logits: ArrayLike<number>, temperature: number, topP: number, random: () => number): number {
  if (!(temperature > 0)) throw new RangeError(`temperature must be > 0, got ${temperature}`);
  if (!(topP > 0 && topP <= 1)) throw new RangeError(`topP must be in (0, 1], got ${topP}`);
  const weights = softmaxWeights(logits, temperature);
  const kept = topP < 1 ? nucleus(weights, topP) : null;
  const mass = kept ? kept.reduce((sum, i) => sum + (weights[i] as number), 0) : weights.reduce((a, b) => a + b, 0);
  let target = random() * mass;
  const order = kept ?? weights.keys();
  let last = 0;
  for (const i of order) {
    last = i;
    target -= weights[i] as number;
    if (target < 0) return i;
  }
  return last; // rounding left a sliver of mass: the last candidate
}

/** Unnormalised exp((l − max) / T), in float64 so a 150k-entry row sums without overflow. */
function softmaxWeights(logits: ArrayLike<number>, temperature: number): Float64Array {
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) max = Math.max(max, logits[i] as number);
  const weights = new Float64Array(logits.length);
  for (let i = 0; i < logits.length; i++) weights[i] = Math.exp(((logits[i] as number) - max) / temperature);
  return weights;
}

/** Indices of the top-p nucleus, most likely first: a token stays while the mass above it is < topP. */
function nucleus(weights: Float64Array, topP: number): number[] {
  const total = weights.reduce((a, b) => a + b, 0);
  const order = Array.from(weights.keys()).sort((a, b) => (weights[b] as number) - (weights[a] as number));
  const kept: number[] = [];
  let above = 0;
  for (const i of order) {
    if (above >= topP * total) break;
    kept.push(i);
    above += weights[i] as number;
  }
  return kept;
}
