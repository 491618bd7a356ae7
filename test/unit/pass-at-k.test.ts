import { test } from 'node:test';
import assert from 'node:assert/strict';
import { comparePassAtK, isPassAtKRegression, meanPassAtK, passAtK, passAtKCurve } from '../../src/trainer/analysis/pass-at-k';

/** Brute force: the fraction of all k-subsets of n samples that contain at least one correct one. */
function bruteForce(n: number, c: number, k: number): number {
  let hits = 0;
  let total = 0;
  const visit = (start: number, chosen: number[]) => {
    if (chosen.length === k) {
      total++;
      if (chosen.some((i) => i < c)) hits++;
      return;
    }
    for (let i = start; i < n; i++) visit(i + 1, [...chosen, i]);
  };
  visit(0, []);
  return hits / total;
}

test('pass@k equals brute-force enumeration of k-subsets for every n ≤ 8', () => {
  for (let n = 1; n <= 8; n++) {
    for (let c = 0; c <= n; c++) {
      for (let k = 1; k <= n; k++) {
        assert.ok(Math.abs(passAtK(n, c, k) - bruteForce(n, c, k)) < 1e-12, `n=${n} c=${c} k=${k}`);
      }
    }
  }
});

test('worked example and edge cases', () => {
  assert.equal(passAtK(4, 1, 2), 0.5);
  assert.equal(passAtK(10, 0, 5), 0);
  assert.equal(passAtK(10, 10, 1), 1);
  assert.ok(Math.abs(passAtK(10, 3, 1) - 0.3) < 1e-12);
  assert.throws(() => passAtK(4, 5, 1), RangeError);
  assert.throws(() => passAtK(4, 1, 5), RangeError);
});

test('mean over tasks', () => {
  assert.equal(meanPassAtK([{ n: 4, c: 4 }, { n: 4, c: 0 }], 1), 0.5);
  assert.equal(meanPassAtK([], 1), 0);
});

test('regression: pass@1 up and pass@max down is flagged; both up is not', () => {
  const base = { label: 'base', n: 8, passAtK: { '1': 0.2, '8': 0.7 } };
  assert.equal(isPassAtKRegression(base, { label: 't', n: 8, passAtK: { '1': 0.4, '8': 0.5 } }), true);
  assert.equal(isPassAtKRegression(base, { label: 't', n: 8, passAtK: { '1': 0.4, '8': 0.8 } }), false);
  assert.equal(isPassAtKRegression(base, { label: 't', n: 8, passAtK: { '1': 0.1, '8': 0.5 } }), false);
});

test('the curve has pass@k for every k = 1..n, and matches the per-k mean', () => {
  const tasks = [{ n: 8, c: 1 }, { n: 8, c: 0 }, { n: 8, c: 5 }];
  const curve = passAtKCurve(tasks, 8);
  assert.equal(curve.length, 8);
  curve.forEach((v, i) => assert.ok(Math.abs(v - meanPassAtK(tasks, i + 1)) < 1e-12, `k=${i + 1}`));
  assert.ok(curve.every((v, i) => i === 0 || v >= (curve[i - 1] as number)), 'pass@k never falls as k grows');
  assert.deepEqual(passAtKCurve([{ n: 2, c: 1 }, { n: 4, c: 0 }], 4), [0.25, 0.5, 0, 0], 'a task with fewer samples is left out of the larger ks');
});

test('comparing full curves finds the regression at k = n and where the curves cross', () => {
  const base = { label: 'base', n: 8, passAtK: { '1': 0.2, '8': 0.7 }, curve: [0.2, 0.35, 0.45, 0.52, 0.58, 0.63, 0.67, 0.7] };
  const sharpened = { label: 'step-50', n: 8, passAtK: { '1': 0.4, '8': 0.5 }, curve: [0.4, 0.44, 0.46, 0.48, 0.49, 0.5, 0.5, 0.5] };
  assert.deepEqual(comparePassAtK(base, sharpened), { regression: true, k: 8, pass1: [0.2, 0.4], passK: [0.7, 0.5], crossoverK: 4 });
  const better = { ...sharpened, curve: base.curve.map((v) => Math.min(1, v + 0.1)) };
  assert.equal(comparePassAtK(base, better)?.regression, false);
  assert.equal(comparePassAtK(base, better)?.crossoverK, null);
  // The configured ks alone (1, 8) hide a dip at k = 4 that the full curve shows.
  const dip = { label: 't', n: 8, passAtK: { '1': 0.3, '8': 0.75 }, curve: [0.3, 0.4, 0.46, 0.5, 0.6, 0.65, 0.7, 0.75] };
  assert.deepEqual(comparePassAtK(base, dip), { regression: false, k: 8, pass1: [0.2, 0.3], passK: [0.7, 0.75], crossoverK: 4 });
  assert.equal(comparePassAtK({ label: 'b', n: 8, passAtK: { '4': 0.5, '8': 0.6 } }, { label: 't', n: 8, passAtK: { '4': 0.4, '8': 0.5 } }), null, 'no pass@1');
});
