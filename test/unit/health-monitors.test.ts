// Training-health monitors on synthetic series: each fires on a series that should trigger it and
// stays quiet on a healthy run (and on the near misses that its smoothing is there to ignore).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkHealth, MONITORS, THRESHOLDS, type HealthContext, type HealthPoint } from '../../src/trainer/analysis/health';
import {
  entropyCollapse, klDrift, lengthGrowth, noSignal, rewardHacking, truncation, zeroStd,
} from '../../src/trainer/analysis/health/monitors';
import { ema, linearFit } from '../../src/trainer/analysis/health/series';

const context: HealthContext = { maxNewTokens: 512, beta: 0.04, groupSize: 8, temperature: 1, dynamicSampling: true, correctness: 'pass_fraction' };

/** A healthy step: some signal, moderate length, nothing truncated or flagged. */
function point(step: number, overrides: Partial<HealthPoint> = {}): HealthPoint {
  return {
    step, entropy: 1.0, kl: 0.01, completionLenMean: 200, truncationRate: 0, flaggedRate: 0, fracZeroStd: 0.25,
    groups: 8, groupsAllPassed: 1, groupsAllFailed: 1, samples: 64, trained: true, ...overrides,
  };
}

/** n steps; `f(i)` overrides step i (0-based). */
const series = (n: number, f: (i: number) => Partial<HealthPoint> = () => ({})): HealthPoint[] =>
  Array.from({ length: n }, (_, i) => point(i + 1, f(i)));

/** Deterministic noise in [-1, 1] (no Math.random: the tests must not flake). */
const wobble = (i: number) => Math.sin(i * 2.3) * Math.cos(i * 0.7);

test('a healthy 40-step run raises no warning at any step', () => {
  const run = series(40, (i) => ({
    entropy: 0.9 + 0.15 * wobble(i), kl: 0.02 + 0.005 * wobble(i + 3),
    completionLenMean: 200 + 15 * wobble(i + 1), truncationRate: 0.03 * Math.abs(wobble(i + 2)), fracZeroStd: 0.3 + 0.1 * wobble(i),
  }));
  for (let n = 1; n <= run.length; n++) assert.deepEqual(checkHealth(run.slice(0, n), context), [], `step ${n}`);
});

test('no signal: all-fail and all-pass steps are told apart, with advice for each', () => {
  const failed = noSignal([point(1, { trained: false, fracZeroStd: 1, groupsAllPassed: 0, groupsAllFailed: 8 })], context);
  assert.equal(failed?.severity, 'critical');
  assert.match(failed?.message ?? '', /0 all passed, 8 all failed/);
  assert.match(failed?.message ?? '', /too hard.*larger groupSize \(8 → 16.*higher temperature/);
  const passed = noSignal([point(1, { trained: false, fracZeroStd: 1, groupsAllPassed: 7, groupsAllFailed: 1 })], context);
  assert.match(passed?.message ?? '', /7 all passed, 1 all failed.*too easy.*harder tasks/);
  const allPass = noSignal([point(1, { trained: false, fracZeroStd: 1, groupsAllPassed: 0, groupsAllFailed: 8 })], { ...context, correctness: 'all_pass' });
  assert.match(allPass?.message ?? '', /correctness pass_fraction/, 'all_pass correctness suggests partial credit');
  const partial = noSignal([point(1, { trained: false, fracZeroStd: 1, groupsAllPassed: 1, groupsAllFailed: 1 })], context);
  assert.match(partial?.message ?? '', /same partial credit/, '6 of 8 groups equal on partial credit');
  assert.equal(noSignal([point(1)], context), null, 'a step that trained');
});

test('zero-std groups: fires at half the groups, names the cost with and without dynamic sampling', () => {
  const many = [point(1, { fracZeroStd: 0.75, groupsAllPassed: 5, groupsAllFailed: 1 })];
  assert.match(zeroStd(many, context)?.message ?? '', /^75% of groups had identical rewards \(5 all passed, 1 all failed\); dynamic sampling refilled/);
  assert.match(zeroStd(many, { ...context, dynamicSampling: false })?.message ?? '', /added nothing to the update/);
  assert.equal(zeroStd([point(1, { fracZeroStd: THRESHOLDS.zeroStd.fraction - 0.01 })], context), null);
  assert.equal(zeroStd([point(1, { fracZeroStd: 1, trained: false })], context), null, 'no_signal covers a step without update');
});

test('entropy collapse: an exponential decay fires once the smoothed entropy is below 30% of the start', () => {
  const decay = series(30, (i) => ({ entropy: 1.2 * Math.exp(-i / 6) }));
  const firstFiring = decay.findIndex((_, i) => entropyCollapse(decay.slice(0, i + 1), context) !== null);
  assert.ok(firstFiring > 0, 'it fires');
  // The raw entropy crosses 30% at step ~8 (e^{-7.2/6}); the EMA lags a few steps behind.
  assert.ok(firstFiring >= 7 && firstFiring <= 14, `fires at step ${firstFiring + 1}`);
  assert.match(entropyCollapse(decay, context)?.message ?? '', /below the first steps \(1\.0\d\d\).*epsilonHigh/);
});

test('entropy collapse ignores a single low step, a slow drift, a short run and an already-deterministic policy', () => {
  assert.equal(entropyCollapse(series(10, (i) => ({ entropy: i === 9 ? 0.05 : 1 })), context), null, 'one outlier');
  assert.equal(entropyCollapse(series(40, (i) => ({ entropy: 1 - i * 0.012 })), context), null, 'a 47% drift');
  assert.equal(entropyCollapse(series(5, (i) => ({ entropy: i < 3 ? 1 : 0.01 })), context), null, 'too few steps to judge');
  assert.equal(entropyCollapse(series(10, () => ({ entropy: 0.001 })), context), null, 'nothing left to collapse');
  assert.equal(entropyCollapse(series(10, () => ({ entropy: null })), context), null, 'no samples');
});

test('length growth fires when length heads into the cap, not for growth far below it', () => {
  const intoCap = series(8, (i) => ({ completionLenMean: 220 + i * 20, truncationRate: 0.02 * i }));
  assert.match(lengthGrowth(intoCap, context)?.message ?? '', /mean length 220 → 360 tokens over the last 8 steps \(maxNewTokens 512\)/);
  const truncRising = series(8, (i) => ({ completionLenMean: 100 + i * 10, truncationRate: 0.03 * i }));
  assert.ok(lengthGrowth(truncRising, context), 'short completions, but truncation rose 21 points');
  const farBelow = series(8, (i) => ({ completionLenMean: 100 + i * 10, truncationRate: 0 }));
  assert.equal(lengthGrowth(farBelow, context), null, 'growing but 170 of 512 tokens, nothing truncated');
  const flat = series(8, (i) => ({ completionLenMean: 400 + 10 * wobble(i), truncationRate: 0.1 }));
  assert.equal(lengthGrowth(flat, context), null, 'long but not growing');
  assert.equal(lengthGrowth(intoCap.slice(0, 7), context), null, 'needs a full window');
});

test('truncation fires on the 3-step mean, so one bad step does not', () => {
  assert.match(truncation(series(5, () => ({ truncationRate: 0.4 })), context)?.message ?? '', /^40% of completions hit maxNewTokens \(512\) over the last 3 steps/);
  assert.equal(truncation(series(5, (i) => ({ truncationRate: i === 4 ? 0.6 : 0 })), context), null, 'mean 20%');
  assert.ok(truncation([point(1, { truncationRate: 0.5 })], context), 'the first step alone when it is all there is');
});

test('reward hacking: any flagged candidate warns, 10% is critical', () => {
  const some = rewardHacking([point(3, { flaggedRate: 2 / 64 })], context);
  assert.equal(some?.severity, 'warning');
  assert.match(some?.message ?? '', /\(2 of 64\).*step 3/);
  assert.equal(rewardHacking([point(3, { flaggedRate: 0.125 })], context)?.severity, 'critical');
  assert.equal(rewardHacking([point(3)], context), null);
});

test('KL drift: high, or rising five steps in a row; never without a reference model', () => {
  const high = series(6, () => ({ kl: 0.15 }));
  assert.match(klDrift(high, context)?.message ?? '', /0\.150 nats\/token \(mean of the last 3 steps\)/);
  const rising = series(8, (i) => ({ kl: 0.01 + i * 0.008 }));
  assert.match(klDrift(rising, context)?.message ?? '', /rose in each of the last 5 steps/);
  assert.equal(klDrift(series(8, (i) => ({ kl: 0.005 + i * 0.001 })), context), null, 'rising but tiny');
  assert.equal(klDrift(series(8, (i) => ({ kl: 0.03 + 0.01 * wobble(i) })), context), null, 'noisy, flat');
  assert.equal(klDrift(high, { ...context, beta: 0 }), null, 'beta 0: no reference, nothing to drift from');
});

test('checkHealth returns each firing monitor once, in table order', () => {
  const bad = [...series(7, (i) => ({ entropy: 1.2 * Math.exp(-i), kl: 0.2 })), point(8, { entropy: 0.001, kl: 0.2, flaggedRate: 0.5, truncationRate: 0.9, fracZeroStd: 0.9 })];
  const codes = checkHealth(bad, context).map((w) => w.code);
  assert.deepEqual(codes, ['zero_std', 'reward_hacking', 'entropy_collapse', 'kl_drift', 'truncation']);
  assert.equal(MONITORS.length, 7);
});

test('statistics: EMA and the least-squares ends', () => {
  assert.equal(ema([1, 0], 0.3), 0.7);
  const fit = linearFit([1, 3, 2, 4]);
  assert.ok(Math.abs(fit.start - 1.3) < 1e-12 && Math.abs(fit.end - 3.7) < 1e-12, JSON.stringify(fit));
});
