import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isPassAtKRegression, meanPassAtK, passAtK } from '../../src/trainer/analysis/pass-at-k';

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
