import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EvaluationVM, StepVM } from '../../src/shared/view-models';
import {
  CHARTS, baseEvaluation, chartData, currentHealth, passAtKCurves, passAtKRegressions, summarizeWarnings, upsertEvaluations, upsertSteps,
} from '../../src/webviews/dashboard/model';
import { HEALTH_CODES, type HealthWarning } from '../../src/shared/health';

const step = (n: number, metrics: StepVM['metrics'] = {}, warnings: string[] = []): StepVM => ({ step: n, createdAt: n, metrics, warnings });
const evaluation = (label: string, stepNo: number, passAtK: Record<string, number>, regression: boolean | null = null): EvaluationVM =>
  ({ label, step: stepNo, checkpoint: null, n: 8, passAtK, regression, createdAt: stepNo });

test('the dashboard charts every metric the issue asks for', () => {
  const titles = CHARTS.map((c) => c.title.toLowerCase()).join(' | ');
  for (const word of ['reward', 'pass@1', 'zero reward std', 'entropy', 'kl', 'clip', 'length', 'truncation', 'aha', 'fix rate', 'reward hacking']) {
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
    { text: 'no learning signal this step: every sample passed', lastStep: 3, steps: 1, severity: 'warning' },
    { text: '55% of groups had identical rewards', lastStep: 2, steps: 2, severity: 'warning' },
    { text: '10% of completions hit maxNewTokens', lastStep: 1, steps: 1, severity: 'warning' },
  ]);
});

const warning = (code: HealthWarning['code'], message: string, severity: HealthWarning['severity'] = 'warning'): HealthWarning => ({ code, severity, message });

test('structured warnings are grouped by monitor code, with their severity, and the newest step is the banner', () => {
  const steps = [
    { ...step(1), health: [warning('entropy_collapse', 'entropy down 71%')] },
    { ...step(2), health: [warning('entropy_collapse', 'entropy down 80%'), warning('no_signal', 'no learning signal at step 2', 'critical')] },
    { ...step(3), health: [] },
  ];
  assert.deepEqual(summarizeWarnings(steps), [
    { text: 'entropy down 80%', lastStep: 2, steps: 2, severity: 'warning' },
    { text: 'no learning signal at step 2', lastStep: 2, steps: 1, severity: 'critical' },
  ]);
  assert.equal(currentHealth(steps), null, 'the newest step is healthy');
  assert.deepEqual(currentHealth(steps.slice(0, 2))?.warnings.map((w) => w.code), ['entropy_collapse', 'no_signal']);
});

test('health warnings become markers on their chart, at the metric\'s value', () => {
  const entropy = CHARTS.find((c) => c.id === 'entropy')!;
  const steps = [step(1, { entropy: 1 }), { ...step(2, { entropy: 0.2 }), health: [warning('entropy_collapse', 'x')] }, { ...step(3, { entropy: 0.1 }), health: [warning('truncation', 'y')] }];
  assert.deepEqual(chartData(steps, entropy), [[1, 2, 3], [1, 0.2, 0.1], [null, 0.2, null]]);
  const marked = CHARTS.flatMap((c) => c.warnings ?? []);
  for (const code of HEALTH_CODES) assert.ok(marked.includes(code), `${code} is marked on some chart`);
  assert.ok(CHARTS.some((c) => c.series.some((s) => s.value({ flaggedRate: 0.5 }) === 0.5)), 'the flagged rate is charted');
});

test('full pass@k curves (k = 1..n) are drawn and compared at k = n', () => {
  const base = { ...evaluation('base', 0, { 1: 0.2, 4: 0.5 }), n: 6, curve: [0.2, 0.3, 0.4, 0.5, 0.55, 0.6] };
  const trained = { ...evaluation('step-20', 20, { 1: 0.3, 4: 0.5 }), n: 6, curve: [0.3, 0.4, 0.45, 0.5, 0.5, 0.5] };
  const { ks, curves } = passAtKCurves([base, trained]);
  assert.deepEqual(ks, [1, 2, 3, 4, 5, 6]);
  assert.deepEqual(curves[1]?.values, [0.3, 0.4, 0.45, 0.5, 0.5, 0.5]);
  assert.deepEqual(passAtKRegressions([base, trained]), [{ label: 'step-20', baseLabel: 'base', k: 6, pass1: [0.2, 0.3], passK: [0.6, 0.5] }],
    'the configured ks alone (1, 4) show no regression');
});
