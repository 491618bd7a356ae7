import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EvaluationVM, StepVM } from '../../src/shared/view-models';
import {
  CHARTS, baseEvaluation, chartData, passAtKCurves, passAtKRegressions, summarizeWarnings, upsertEvaluations, upsertSteps,
} from '../../src/webviews/dashboard/model';

const step = (n: number, metrics: StepVM['metrics'] = {}, warnings: string[] = []): StepVM => ({ step: n, createdAt: n, metrics, warnings });
const evaluation = (label: string, stepNo: number, passAtK: Record<string, number>, regression: boolean | null = null): EvaluationVM =>
  ({ label, step: stepNo, checkpoint: null, n: 8, passAtK, regression, createdAt: stepNo });

test('the dashboard charts every metric the issue asks for', () => {
  const titles = CHARTS.map((c) => c.title.toLowerCase()).join(' | ');
  for (const word of ['reward', 'pass@1', 'zero reward std', 'entropy', 'kl', 'clip', 'length', 'truncation', 'aha', 'fix rate']) {
    assert.ok(titles.includes(word), `no chart for ${word}: ${titles}`);
  }
});

test('chart data puts steps on x and leaves missing or non-finite metrics as gaps', () => {
  const reward = CHARTS.find((c) => c.id === 'reward')!;
  const steps = [step(1, { rewardMean: 0.2, rewardStd: 0.1 }), step(2, { rewardMean: null }), step(3, { rewardMean: Number.NaN, rewardStd: 0.3 })];
  assert.deepEqual(chartData(steps, reward), [[1, 2, 3], [0.2, null, null], [0.1, null, 0.3]]);
  const clip = CHARTS.find((c) => c.id === 'clip')!;
  assert.deepEqual(chartData([step(1, { clipLow: 0.01, clipHigh: 0.02 }), step(2, {})], clip)[1], [0.03, null]);
});

test('live updates replace steps and evaluations by key and stay sorted', () => {
  const steps = upsertSteps([step(1), step(3, { kl: 1 })], [step(2), step(3, { kl: 2 })]);
  assert.deepEqual(steps.map((s) => [s.step, s.metrics.kl]), [[1, undefined], [2, undefined], [3, 2]]);
  const evals = upsertEvaluations([evaluation('step-10', 10, { 1: 0.1 }), evaluation('base', 0, { 1: 0 })], [evaluation('step-10', 10, { 1: 0.2 })]);
  assert.deepEqual(evals.map((e) => [e.label, e.passAtK['1']]), [['base', 0], ['step-10', 0.2]]);
});

test('pass@k curves share the union of k values', () => {
  const { ks, curves } = passAtKCurves([evaluation('base', 0, { 1: 0.2, 4: 0.5, 8: 0.6 }), evaluation('step-20', 20, { 1: 0.3, 8: 0.55, x: 1 })]);
  assert.deepEqual(ks, [1, 4, 8]);
  assert.deepEqual(curves, [{ label: 'base', values: [0.2, 0.5, 0.6] }, { label: 'step-20', values: [0.3, null, 0.55] }]);
});

test('a pass@k regression is pass@1 up while pass@k at the largest shared k goes down', () => {
  const evals = [
    evaluation('base', 0, { 1: 0.2, 4: 0.5, 8: 0.6 }),
    evaluation('step-20', 20, { 1: 0.3, 4: 0.55, 8: 0.55 }), // regression at k=8
    evaluation('step-40', 40, { 1: 0.35, 4: 0.6, 8: 0.7 }), // better everywhere
    evaluation('step-60', 60, { 1: 0.15, 8: 0.5 }), // worse everywhere: not this pattern
    evaluation('step-80', 80, { 1: 0.4, 4: 0.45, 16: 0.2 }), // largest shared k is 4: 0.5 → 0.45
  ];
  assert.deepEqual(passAtKRegressions(evals), [
    { label: 'step-20', baseLabel: 'base', k: 8, pass1: [0.2, 0.3], passK: [0.6, 0.55] },
    { label: 'step-80', baseLabel: 'base', k: 4, pass1: [0.2, 0.4], passK: [0.5, 0.45] },
  ]);
  assert.deepEqual(passAtKRegressions([evaluation('base', 0, { 1: 0.2 }), evaluation('s', 1, { 1: 0.3 })]), [], 'k=1 only');
  assert.deepEqual(passAtKRegressions([]), []);
});

test('without a "base" label the earliest evaluation is the reference', () => {
  assert.equal(baseEvaluation([evaluation('step-50', 50, {}), evaluation('step-0', 0, {})])?.label, 'step-0');
  assert.equal(baseEvaluation([evaluation('step-50', 50, {}), evaluation('base', 60, {})])?.label, 'base');
});

test('warnings are grouped by wording without numbers, newest wording first', () => {
  const summary = summarizeWarnings([
    step(1, {}, ['40% of groups had identical rewards', '10% of completions hit maxNewTokens']),
    step(2, {}, ['55% of groups had identical rewards']),
    step(3, {}, ['no learning signal this step: every sample passed', 'no learning signal this step: every sample passed']),
  ]);
  assert.deepEqual(summary, [
    { text: 'no learning signal this step: every sample passed', lastStep: 3, steps: 1 },
    { text: '55% of groups had identical rewards', lastStep: 2, steps: 2 },
    { text: '10% of completions hit maxNewTokens', lastStep: 1, steps: 1 },
  ]);
});
