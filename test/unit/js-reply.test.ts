/** From a node:test run's records to the verifier reply, scored by the shared `scoreReply`. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Task } from '../../src/trainer/tasks/task';
import { scoreReply } from '../../src/trainer/verifier/result';
import type { ChannelReport, TestRecord } from '../../src/trainer/verifier/js/channel';
import { replyFromRun, type RunExit } from '../../src/trainer/verifier/js/reply';
import { testFilesOf } from '../../src/trainer/verifier/js/js-server';

const SENTINEL = 'test_rlvr_sentinel_0123';
const TASK: Task = {
  id: 't1', language: 'typescript', file: 'src/a.ts', symbol: 'f', signature: 'export function f()', docstring: null,
  bodySpan: { startLine: 1, endLine: 3 }, context: '', tests: ['test/a.test.ts::f > one', 'test/a.test.ts::f > two'],
  visibleTests: ['test/a.test.ts::f > one'], heldOutTests: ['test/a.test.ts::f > two'], baselineSeconds: 0.01, source: 'mined',
};
const CLEAN: RunExit = { code: 0, signal: null, timedOut: false, stderr: '' };
const relative = (file: string): string => file.replace('/ws/', '');

const rec = (name: string, outcome: TestRecord['outcome'], file = '/ws/test/a.test.ts'): TestRecord =>
  ({ t: 'test', file, name, outcome, ms: 2, message: outcome === 'failed' ? 'boom' : '' });
const sentinel = (outcome: TestRecord['outcome'] = 'failed'): TestRecord => rec(SENTINEL, outcome, '/tmp/rlvr-js-x/s.test.mjs');
const report = (tests: TestRecord[], extra: Partial<ChannelReport> = {}): ChannelReport =>
  ({ tests, calls: [], loadErrors: [], done: true, malformed: 0, ...extra });

const score = (r: ChannelReport, exit: RunExit = CLEAN) =>
  scoreReply(TASK, SENTINEL, replyFromRun(7, TASK.tests, SENTINEL, r, exit, relative, 0.5));
const codes = (result: ReturnType<typeof score>): string[] => result.flags.map((f) => f.code);

test('all task tests pass and the sentinel fails: reward 1; other tests of the file are ignored', () => {
  const result = score(report([rec('f > one', 'passed'), rec('g > unrelated', 'failed'), rec('f > two', 'passed'), sentinel()]));
  assert.equal(result.reward, 1);
  assert.equal(result.passed, true);
  assert.deepEqual(result.tests.map((t) => [t.id, t.heldOut]), [['test/a.test.ts::f > one', false], ['test/a.test.ts::f > two', true]]);
});

test('half the tests: reward 0.5, not passed, failure message kept', () => {
  const result = score(report([rec('f > one', 'passed'), rec('f > two', 'failed'), sentinel()]));
  assert.equal(result.reward, 0.5);
  assert.equal(result.passed, false);
  assert.equal(result.tests[1]?.message, 'boom');
});

test('a sentinel that passes or is missing zeroes the reward', () => {
  assert.deepEqual(codes(score(report([rec('f > one', 'passed'), rec('f > two', 'passed'), sentinel('passed')]))), ['sentinel_passed']);
  const missing = score(report([rec('f > one', 'passed'), rec('f > two', 'passed')]));
  assert.deepEqual(codes(missing), ['test_set_mismatch']);
  assert.equal(missing.reward, 0);
});

test('a run cut short (exit before the reporter finished) is a crash, whatever the exit code', () => {
  const result = score(report([rec('f > one', 'passed'), rec('f > two', 'passed')], { done: false }), { ...CLEAN, code: 0 });
  assert.equal(result.reward, 0);
  assert.ok(codes(result).includes('crashed'));
});

test('timeouts and resource limits', () => {
  assert.deepEqual(codes(score(report([], { done: false }), { ...CLEAN, code: null, signal: 'SIGKILL', timedOut: true })), ['timeout']);
  assert.ok(codes(score(report([], { done: false }), { ...CLEAN, code: null, signal: 'SIGXCPU' })).includes('resource_limit'));
  assert.ok(codes(score(report([], { done: false }), { ...CLEAN, code: 134, stderr: 'FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory' })).includes('resource_limit'));
});

test('todo and skipped are not passes', () => {
  const result = score(report([rec('f > one', 'passed'), rec('f > two', 'todo'), sentinel()]));
  assert.equal(result.reward, 0);
  assert.deepEqual(codes(result), ['skipped_not_passed']);
});

test('a test file that fails to load makes its tests errors (score 0), not a test-set mismatch', () => {
  const result = score(report([sentinel()], { loadErrors: [{ t: 'load_error', file: '/ws/test/a.test.ts', message: 'SyntaxError: x' }] }));
  assert.deepEqual(codes(result), []);
  assert.equal(result.reward, 0);
  assert.deepEqual(result.tests.map((t) => t.outcome), ['error', 'error']);
  assert.match(result.tests[0]?.message ?? '', /did not load: SyntaxError/);
});

test('a repeated test name becomes "#2" (not mapped, so ignored); malformed channel records are flagged', () => {
  const repeated = score(report([rec('f > one', 'passed'), rec('f > one', 'failed'), rec('f > two', 'passed'), sentinel()]));
  assert.equal(repeated.reward, 1);
  assert.deepEqual(repeated.tests.map((t) => t.id), TASK.tests);
  assert.deepEqual(codes(score(report([rec('f > one', 'passed'), rec('f > two', 'passed'), sentinel()], { malformed: 1 }))), ['test_set_mismatch']);
});

test('test files of a task, in order of first mention', () => {
  assert.deepEqual(testFilesOf(['test/b.test.ts::x', 'test/a.test.ts::y', 'test/b.test.ts::z']), ['test/b.test.ts', 'test/a.test.ts']);
});
