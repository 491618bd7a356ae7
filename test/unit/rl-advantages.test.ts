import { test } from 'node:test';
import assert from 'node:assert/strict';
import { groupAdvantages, isZeroStdGroup, sampleStd } from '../../src/trainer/rl/advantages';

const close = (a: number[], b: number[], tol = 1e-6) =>
  a.forEach((v, i) => assert.ok(Math.abs(v - (b[i] as number)) < tol, `${v} vs ${b[i]} at ${i}`));

test('grpo advantages: (r - mean) / (Bessel std + eps), computed by hand', () => {
  // mean 0.25; Bessel std = sqrt((0.5625 + 3 * 0.0625) / 3) = 0.5
  close(groupAdvantages([1, 0, 0, 0], 'std', 0), [1.5, -0.5, -0.5, -0.5]);
  close(groupAdvantages([1, 0, 0, 0], 'std'), [0.75 / 0.5001, -0.25 / 0.5001, -0.25 / 0.5001, -0.25 / 0.5001]);
});

test('dr_grpo advantages are only centred', () => {
  close(groupAdvantages([1, 0.5, 0], 'none'), [0.5, 0, -0.5]);
});

test('a zero-std group gives zero advantages and is detected', () => {
  close(groupAdvantages([0.3, 0.3, 0.3], 'std'), [0, 0, 0]);
  assert.equal(isZeroStdGroup([0.3, 0.3, 0.3]), true);
  assert.equal(isZeroStdGroup([0.3, 0.3, 0.31]), false);
});

test('advantages sum to zero within a group', () => {
  const adv = groupAdvantages([0.1, 0.9, 0.4, 0.4, 1], 'std');
  assert.ok(Math.abs(adv.reduce((a, b) => a + b, 0)) < 1e-9);
});

test('sampleStd of one value is 0 and of [2, 4] is sqrt(2)', () => {
  assert.equal(sampleStd([5]), 0);
  assert.ok(Math.abs(sampleStd([2, 4]) - Math.SQRT2) < 1e-12);
});
