import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Task } from '../../src/trainer/tasks/task';
import type { ServeReply, TestReport } from '../../src/trainer/verifier/protocol';
import { scoreReply } from '../../src/trainer/verifier/result';
import { candidateTimeoutSeconds, replyDeadlineMs } from '../../src/trainer/verifier/timeouts';
import { buildRequest, newSentinel } from '../../src/trainer/verifier/verify';

const task: Task = {
  id: 'abc123', language: 'python', file: 'pkg/m.py', symbol: 'f', signature: 'def f(x):', docstring: null,
  bodySpan: { startLine: 1, endLine: 2 }, context: '', source: 'mined', baselineSeconds: 0.01,
  tests: ['tests/t.py::a', 'tests/t.py::b', 'tests/t.py::c', 'tests/t.py::d'],
  visibleTests: ['tests/t.py::a', 'tests/t.py::b'], heldOutTests: ['tests/t.py::c', 'tests/t.py::d'],
};
const S = 'test_rlvr_sentinel_00ff';
const t = (id: string, outcome: TestReport['outcome'] = 'passed'): TestReport => ({ id, outcome, duration: 0.001, message: '' });
const reply = (tests: TestReport[], over: Partial<ServeReply> = {}): ServeReply => ({ id: 1, status: 'ok', tests, flags: [], seconds: 0.1, ...over });
const sentinel = t(`tests/t.py::${S}`, 'failed');
const codes = (r: { flags: { code: string }[] }): string[] => r.flags.map((f) => f.code).sort();

test('all pass + failing sentinel: reward 1, passed, held-out marked, sentinel left out', () => {
  const r = scoreReply(task, S, reply([...task.tests.map((id) => t(id)), sentinel]));
  assert.equal(r.reward, 1);
  assert.equal(r.passed, true);
  assert.deepEqual(r.flags, []);
  assert.deepEqual(r.tests.map((x) => [x.id, x.heldOut]), task.tests.map((id) => [id, id.endsWith('c') || id.endsWith('d')]));
});

test('partial pass: reward is the fraction passed, not passed', () => {
  const r = scoreReply(task, S, reply([t('tests/t.py::a'), t('tests/t.py::b', 'failed'), t('tests/t.py::c'), t('tests/t.py::d', 'error'), sentinel]));
  assert.equal(r.reward, 0.5);
  assert.equal(r.passed, false);
  assert.deepEqual(r.flags, []);
});

test('sentinel reported as passed (report patching) → 0 with sentinel_passed', () => {
  const r = scoreReply(task, S, reply([...task.tests.map((id) => t(id)), t(`tests/t.py::${S}`, 'passed')]));
  assert.equal(r.reward, 0);
  assert.deepEqual(codes(r), ['sentinel_passed']);
});

test('missing, extra or duplicated ids, or no sentinel → test_set_mismatch', () => {
  const all = task.tests.map((id) => t(id));
  const cases: TestReport[][] = [
    [...all.slice(1), sentinel],                      // a test missing (e.g. deselected by a hack)
    [...all, t('tests/t.py::zzz'), sentinel],          // an extra test
    [...all, t('tests/t.py::a'), sentinel],            // reported twice
    all,                                              // sentinel missing (run stopped early)
    [...all, sentinel, sentinel],                      // two sentinels
  ];
  for (const tests of cases) {
    const r = scoreReply(task, S, reply(tests));
    assert.equal(r.reward, 0, JSON.stringify(tests.map((x) => x.id)));
    assert.ok(codes(r).includes('test_set_mismatch'));
  }
});

test('an empty report with exit 0 (sys.exit / os._exit) is a mismatch, never a pass', () => {
  const r = scoreReply(task, S, reply([]));
  assert.equal(r.reward, 0);
  assert.deepEqual(codes(r), ['test_set_mismatch']);
});

test('skips and xfails are never passes and are flagged', () => {
  for (const outcome of ['skipped', 'xfailed', 'xpassed'] as const) {
    const r = scoreReply(task, S, reply([t('tests/t.py::a', outcome), ...task.tests.slice(1).map((id) => t(id)), sentinel]));
    assert.equal(r.reward, 0);
    assert.deepEqual(codes(r), ['skipped_not_passed']);
  }
});

test('server flags, timeouts and crashes give 0 with their reason', () => {
  const flagged = scoreReply(task, S, reply([...task.tests.map((id) => t(id)), sentinel], { flags: [{ code: 'always_equal', message: '__eq__ returns True' }] }));
  assert.deepEqual([flagged.reward, flagged.passed, codes(flagged)], [0, false, ['always_equal']]);
  const timeout = scoreReply(task, S, reply([], { status: 'timeout' }));
  assert.deepEqual([timeout.reward, codes(timeout)], [0, ['timeout']]);
  const crashed = scoreReply(task, S, reply([], { status: 'crashed', flags: [{ code: 'crashed', message: 'SIGSEGV' }] }));
  assert.deepEqual(codes(crashed), ['crashed']);
  const rejected = scoreReply(task, S, reply([], { status: 'rejected', flags: [{ code: 'exit_call', message: 'sys.exit' }] }));
  assert.deepEqual(codes(rejected), ['exit_call'], 'a rejected candidate has no tests: no mismatch flag on top');
});

test('sentinel names are random identifiers starting with test_, not named sentinel', () => {
  const a = newSentinel();
  assert.match(a, /^test_[0-9a-f]{16}$/);
  assert.ok(!a.includes('sentinel'), 'a forging candidate must not find it by name');
  assert.notEqual(a, newSentinel());
});

test('timeouts scale with the baseline, with a floor and a ceiling', () => {
  assert.equal(candidateTimeoutSeconds({ baselineSeconds: 0.001 }), 3);
  assert.equal(candidateTimeoutSeconds({ baselineSeconds: 0.5 }), 11);
  assert.equal(candidateTimeoutSeconds({ baselineSeconds: 1000 }), 600);
  assert.equal(replyDeadlineMs(3), 8000);
});

test('the request carries every test (held-out too), the held-out ids, and per-candidate limits', () => {
  const req = buildRequest(task, 'def f(x):\n    return x\n', S);
  assert.deepEqual(req.tests, task.tests);
  assert.deepEqual(req.held_out_tests, task.heldOutTests);
  assert.equal(req.sentinel, S);
  assert.equal(req.limits.cpu_seconds, 3);
});
