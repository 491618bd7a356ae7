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
  /** pass@k at the configured ks, e.g. {"1": 0.31, "4": 0.52}. */
  passAtK: Record<string, number>;
  /** pass@k for every k = 1..n (index k − 1), when measured. */
  curve?: readonly number[] | null;
}

/** pass@k for every k = 1..n over tasks given as (n, c); a task with fewer than k samples is left out of that k. */
export function passAtKCurve(tasks: readonly { n: number; c: number }[], n: number): number[] {
  return Array.from({ length: n }, (_, i) => {
    const usable = tasks.filter((t) => t.n >= i + 1);
    return usable.length === 0 ? 0 : meanPassAtK(usable, i + 1);
  });
}

export interface PassAtKComparison {
  /** pass@1 rose while pass@k at the largest k fell. */
  regression: boolean;
  /** The largest k both evaluations measured. */
  k: number;
  pass1: [base: number, trained: number];
  passK: [base: number, trained: number];
  /** With pass@1 up: the first k at which the trained model falls below the base (where the curves cross); else null. */
  crossoverK: number | null;
}

/** Points of a curve by k: the full curve where there is one, plus the configured ks. */
function pointsOf(e: PassAtKCurve): Map<number, number> {
  const points = new Map<number, number>();
  for (const [k, v] of Object.entries(e.passAtK)) points.set(Number(k), v);
  e.curve?.forEach((v, i) => points.set(i + 1, v));
  return points;
}

/**
 * "Sharpening, not learning" (Yue et al. 2025): compares the trained model's pass@k with the base
 * at every k both measured (all k = 1..n when both have full curves). A regression is pass@1 up
 * while pass@k at the largest k is down — RL concentrated probability on answers the base could
 * already reach, and lost coverage. Null when they share fewer than two ks (or not k = 1).
 */
export function comparePassAtK(base: PassAtKCurve, trained: PassAtKCurve, tolerance = 1e-9): PassAtKComparison | null {
  const b = pointsOf(base);
  const t = pointsOf(trained);
  const ks = [...b.keys()].filter((k) => t.has(k)).sort((x, y) => x - y);
  if (ks.length < 2 || ks[0] !== 1) return null;
  const at = (m: Map<number, number>, k: number) => m.get(k) as number;
  const k = ks[ks.length - 1] as number;
  const up = at(t, 1) > at(b, 1) + tolerance;
  const down = at(t, k) < at(b, k) - tolerance;
  const crossoverK = up ? ks.find((x) => at(t, x) < at(b, x) - tolerance) ?? null : null;
  return { regression: up && down, k, pass1: [at(b, 1), at(t, 1)], passK: [at(b, k), at(t, k)], crossoverK };
}

export function isPassAtKRegression(base: PassAtKCurve, trained: PassAtKCurve, tolerance = 1e-9): boolean {
  return comparePassAtK(base, trained, tolerance)?.regression ?? false;
}
