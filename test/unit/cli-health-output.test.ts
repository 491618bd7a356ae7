// What the CLI prints about health and pass@k: the progress line's warning marker and lines, the
// `rlvr eval` text with the whole k = 1..n curve and a regression, and the --events step event.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { progressLine, warningLines } from '../../src/trainer/run/progress-line';
import { compareWithBase, evaluationRows, evaluationText } from '../../src/trainer/cli/commands/eval';
import { comparePassAtK } from '../../src/trainer/analysis/pass-at-k';
import { parseTrainEvent } from '../../src/shared/train-events';
import type { StepMetrics } from '../../src/trainer/run/step-metrics';
import type { HealthWarning } from '../../src/shared/health';

const metrics: StepMetrics = {
  rewardMean: 0.25, rewardStd: 0.4, passRate: 0.2, fracZeroStd: 1, groupsDropped: 4, groups: 4, groupsAllPassed: 0, groupsAllFailed: 4,
  completionLenMean: 100, truncationRate: 0, flaggedRate: 0, ahaPer1k: 0, fixRate: 0, entropy: 1, samples: 32, generatedTokens: 3200,
  tokensPerSecond: 320, generateSeconds: 10, verifyTailSeconds: 1, trainSeconds: 0, train: null,
};
const health: HealthWarning[] = [
  { code: 'no_signal', severity: 'critical', message: 'no learning signal at step 3: all 4 groups had identical rewards' },
  { code: 'entropy_collapse', severity: 'warning', message: 'entropy collapse: down 75%' },
];

test('the progress line names the step\'s warnings; the lines below give each one, critical ones marked ‼', () => {
  const line = progressLine(3, 10, metrics, 12, health);
  assert.match(line, /^\[######\.+\] step 3\/10 · .* · ‼ no_signal, entropy_collapse$/);
  assert.doesNotMatch(progressLine(3, 10, metrics, 12, []), /‼|⚠/);
  assert.deepEqual(warningLines(health), [`  ‼ ${health[0]?.message}`, `  ⚠ ${health[1]?.message}`]);
});

test('rlvr eval prints the configured ks, the whole curve 8 ks a line, and a regression with the crossing k', () => {
  const base = { label: 'base', n: 10, passAtK: { '1': 0.2, '10': 0.8 }, curve: [0.2, 0.3, 0.4, 0.5, 0.6, 0.65, 0.7, 0.74, 0.77, 0.8] };
  const trained = { label: 'step-50', n: 10, passAtK: { '1': 0.4, '10': 0.6 }, curve: [0.4, 0.45, 0.48, 0.5, 0.52, 0.55, 0.57, 0.58, 0.59, 0.6] };
  const text = evaluationText(trained, comparePassAtK(base, trained));
  const lines = text.trimEnd().split('\n');
  assert.equal(lines[0], 'step-50      n=10  pass@1 40.0%  pass@10 60.0%');
  assert.match(lines[1] ?? '', /^ {2}pass@k, k = {3}1: 40\.0% {3}2: 45\.0% .* {2}8: 58\.0%$/);
  assert.match(lines[2] ?? '', /^ +9: 59\.0% {2}10: 60\.0%$/);
  assert.equal(lines[3], '  ⚠ pass@k regression vs base: pass@1 20.0% → 40.0% but pass@10 80.0% → 60.0%; below the base from k = 5: sharpening, not new solutions', 'equal at k = 4 is not below');
  assert.equal(evaluationText(base, null).split('\n').length, 4, 'no regression line for the base');
});

test('a step event carries the structured warnings next to their messages, and parses back', () => {
  const line = JSON.stringify({ type: 'step', runId: 'r', step: 3, totalSteps: 10, metrics: {}, warnings: health.map((w) => w.message), health });
  const event = parseTrainEvent(line);
  assert.equal(event?.type, 'step');
  assert.deepEqual(event?.type === 'step' ? event.health : null, health);
});

test('rlvr eval --json keeps label, n and passAtK, adds the curve, and with --run the regression and crossing k', () => {
  const result = (label: string, curve: number[]) => ({ label, n: 4, passAtK: { '1': curve[0] as number, '4': curve[3] as number }, curve, tasks: [], groups: [] });
  const results = [result('base', [0.2, 0.4, 0.5, 0.6]), result('step-10', [0.3, 0.4, 0.45, 0.5]), result('step-20', [0.3, 0.5, 0.6, 0.7])];
  const rows = evaluationRows(results, compareWithBase(results, true), true);
  assert.deepEqual(rows, [
    { label: 'base', n: 4, passAtK: { '1': 0.2, '4': 0.6 }, curve: [0.2, 0.4, 0.5, 0.6], regression: null, crossoverK: null },
    { label: 'step-10', n: 4, passAtK: { '1': 0.3, '4': 0.5 }, curve: [0.3, 0.4, 0.45, 0.5], regression: true, crossoverK: 3 },
    { label: 'step-20', n: 4, passAtK: { '1': 0.3, '4': 0.7 }, curve: [0.3, 0.5, 0.6, 0.7], regression: false, crossoverK: null },
  ]);
  const single = evaluationRows(results.slice(0, 1), compareWithBase(results.slice(0, 1), false), false);
  assert.deepEqual(Object.keys(single[0] ?? {}), ['label', 'n', 'passAtK', 'curve'], '--model: nothing to compare with');
});
