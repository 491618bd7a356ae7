/** The run-state reducer over the CLI's event stream, and the status-bar text it drives. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { StepEventMetrics, TrainEvent } from '../../src/shared/train-events';
import { IDLE_RUN, isActive, reduceRun, type RunAction, type RunState } from '../../src/extension/core/run-state';
import { statusText } from '../../src/extension/core/status-text';

const metrics = (rewardMean: number): StepEventMetrics => ({
  rewardMean, rewardStd: 0.2, passRate: 0.5, fracZeroStd: 0.25, groupsDropped: 0, completionLenMean: 90,
  truncationRate: 0, flaggedRate: 0, entropy: 0.7, tokensPerSecond: 100, loss: 0.1, kl: null,
});
const event = (e: TrainEvent): RunAction => ({ type: 'event', event: e });
const fold = (actions: RunAction[], from: RunState = IDLE_RUN) => actions.reduce(reduceRun, from);

const started = event({ type: 'started', version: 1, runId: 'r-1', db: '/ws/.rlvr/runs.db', totalSteps: 10, startStep: 0 });

test('a run goes starting → running → completed, keeping the last step\'s metrics', () => {
  const launched = fold([{ type: 'launched' }]);
  assert.equal(launched.phase, 'starting');
  const running = fold([started, event({ type: 'step', runId: 'r-1', step: 1, totalSteps: 10, metrics: metrics(0.4), warnings: ['all groups zero-std'] })], launched);
  assert.equal(running.phase, 'running');
  assert.equal(running.step, 1);
  assert.equal(running.db, '/ws/.rlvr/runs.db');
  assert.deepEqual(running.warnings, ['all groups zero-std']);
  assert.ok(isActive(running));
  const done = fold([event({ type: 'finished', runId: 'r-1', status: 'completed', lastStep: 10 }), { type: 'exited', code: 0, signal: null }], running);
  assert.equal(done.phase, 'completed');
  assert.equal(done.step, 10);
  assert.equal(done.metrics?.rewardMean, 0.4);
  assert.equal(done.error, null, 'a clean exit after finished is not a failure');
});

test('Stop: stopping until the CLI reports a stopped run', () => {
  const s = fold([{ type: 'launched' }, started, { type: 'stopRequested' }]);
  assert.equal(s.phase, 'stopping');
  const stopped = fold([event({ type: 'finished', runId: 'r-1', status: 'stopped', lastStep: 3 }), { type: 'exited', code: 0, signal: null }], s);
  assert.equal(stopped.phase, 'stopped');
  assert.equal(stopped.step, 3);
  assert.equal(reduceRun(stopped, { type: 'stopRequested' }), stopped, 'stop after the end changes nothing');
});

test('a failed event keeps the CLI\'s message and hint', () => {
  const s = fold([{ type: 'launched' }, started, event({ type: 'failed', runId: 'r-1', message: 'bwrap: setting up uid map: Permission denied', hint: 'see docs/verifier.md' })]);
  assert.equal(s.phase, 'failed');
  assert.deepEqual(s.error, { message: 'bwrap: setting up uid map: Permission denied', hint: 'see docs/verifier.md' });
  assert.equal(reduceRun(s, { type: 'exited', code: 1, signal: null }).error?.message, s.error?.message, 'the exit does not overwrite the reason');
});

test('a process that dies without an end event is a failure that offers Resume for its run', () => {
  const s = fold([{ type: 'launched' }, started, { type: 'exited', code: null, signal: 'SIGKILL' }]);
  assert.equal(s.phase, 'failed');
  assert.match(s.error?.message ?? '', /killed by SIGKILL before it reported the end/);
  assert.match(s.error?.hint ?? '', /Resume Training.*r-1/);
  const early = fold([{ type: 'launched' }, { type: 'exited', code: 2, signal: null }]);
  assert.match(early.error?.message ?? '', /exited with code 2/);
  assert.doesNotMatch(early.error?.hint ?? '', /Resume/, 'no run to resume before `started`');
});

test('evaluations are kept per label, a repeated label replaces the earlier result', () => {
  const s = fold([{ type: 'launched' }, started,
    event({ type: 'evaluation', runId: 'r-1', label: 'base', step: 0, passAtK: { 1: 0.2 } }),
    event({ type: 'evaluation', runId: 'r-1', label: 'final', step: 10, passAtK: { 1: 0.3 } }),
    event({ type: 'evaluation', runId: 'r-1', label: 'base', step: 0, passAtK: { 1: 0.25 } })]);
  assert.deepEqual(s.evaluations.map((e) => [e.label, e.passAtK['1']]), [['final', 0.3], ['base', 0.25]]);
});

test('status bar: step and reward while running, a spinner, and NaN shown as a dash', () => {
  const running = fold([{ type: 'launched' }, started, event({ type: 'step', runId: 'r-1', step: 4, totalSteps: 10, metrics: metrics(0.4256), warnings: [] })]);
  assert.equal(statusText(running).text, '$(sync~spin) RLVR 4/10 · reward 0.43');
  assert.match(statusText(running).tooltip, /Run r-1[\s\S]*pass rate 50%/);
  const nan = reduceRun(running, event({ type: 'step', runId: 'r-1', step: 5, totalSteps: 10, metrics: metrics(Number.NaN), warnings: [] }));
  assert.equal(statusText(nan).text, '$(sync~spin) RLVR 5/10 · reward –');
  assert.equal(statusText(IDLE_RUN).text, '$(beaker) RLVR');
  const failed = fold([{ type: 'exited', code: 1, signal: null }], running);
  assert.equal(statusText(failed).text, '$(error) RLVR failed');
});
