/**
 * The unbiased pass@k estimator (Chen et al. 2021): with n samples of which c are correct,
 *   pass@k = 1 − C(n−c, k) / C(n, k)
 * computed as a running product to stay exact for large n:  C(n−c, k)/C(n, k) = Π_{i=n−c+1..n} (1 − k/i).
 * Example: n = 4, c = 1, k = 2 → 1 − C(3,2)/C(4,2) = 1 − 3/6 = 0.5.
 */
export function passAtK(n: number, c: number, k: number): number {
  if (!Number.isInteger(n) || !Number.isInteger(c) || !Number.isInteger(k) || n < 1 || c < 0 || c > n || k < 1 || k > n) {
    throw new RangeError(`passAtK needs integers 0 ≤ c ≤ n and 1 ≤ k ≤ n, got n=${n}, c=${c}, k=${k}`);
  }
  if (n - c < k) return 1;
  let allWrong = 1;
  for (let i = n - c + 1; i <= n; i++) allWrong *= 1 - k / i;
  return 1 - allWrong;
}

/** Mean pass@k over tasks, each given as (n, c). */
export function meanPassAtK(tasks: readonly { n: number; c: number }[], k: number): number {
  if (tasks.length === 0) return 0;
  return tasks.reduce((sum, t) => sum + passAtK(t.n, t.c, k), 0) / tasks.length;
}

export interface PassAtKCurve {
  label: string;
  n: number;
  passAtK: Record<string, number>;
}

/**
 * "Sharpening, not learning": the trained model's pass@1 rose while its pass@k at the largest k
 * fell compared with the base — RL concentrated probability on answers the base could already
 * reach, and lost coverage.
 */
export function isPassAtKRegression(base: PassAtKCurve, trained: PassAtKCurve, tolerance = 1e-9): boolean {
  const ks = Object.keys(base.passAtK).map(Number).filter((k) => String(k) in trained.passAtK).sort((a, b) => a - b);
  if (ks.length < 2) return false;
  const small = String(ks[0]);
  const large = String(ks[ks.length - 1]);
  const up = (trained.passAtK[small] ?? 0) > (base.passAtK[small] ?? 0) + tolerance;
  const down = (trained.passAtK[large] ?? 0) < (base.passAtK[large] ?? 0) - tolerance;
  return up && down;
}
