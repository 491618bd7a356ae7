import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { isTask, taskId, taskProblem, type Task } from '../../src/trainer/tasks/task';

test('taskId is sha256(file \\0 symbol \\0 sorted tests), first 16 hex digits', () => {
  const expected = createHash('sha256').update('basics/strings.py\0slugify\0t::a\0t::b').digest('hex').slice(0, 16);
  assert.equal(taskId('basics/strings.py', 'slugify', ['t::b', 't::a']), expected);
  assert.match(expected, /^[0-9a-f]{16}$/);
});

test('taskId does not depend on test order and does not mutate its input', () => {
  const tests = ['z::1', 'a::2', 'm::3'];
  const id = taskId('f.py', 'g', tests);
  assert.equal(taskId('f.py', 'g', ['m::3', 'z::1', 'a::2']), id);
  assert.deepEqual(tests, ['z::1', 'a::2', 'm::3']);
});

test('taskId changes with the file, the symbol and the test set', () => {
  const base = taskId('f.py', 'g', ['t::a']);
  assert.notEqual(taskId('f2.py', 'g', ['t::a']), base);
  assert.notEqual(taskId('f.py', 'h', ['t::a']), base);
  assert.notEqual(taskId('f.py', 'g', ['t::a', 't::b']), base);
  // The separators keep "ab"+"c" and "a"+"bc" apart.
  assert.notEqual(taskId('ab', 'c', []), taskId('a', 'bc', []));
});

const sample = (): Task => ({
  id: '0123456789abcdef', language: 'python', file: 'basics/strings.py', symbol: 'slugify',
  signature: 'def slugify(s: str) -> str:', docstring: null, bodySpan: { startLine: 3, endLine: 5 },
  context: 'import re', tests: ['t::a'], visibleTests: ['t::a'], heldOutTests: [], baselineSeconds: 0.01, source: 'mined',
});

test('isTask accepts a task and its JSON round trip', () => {
  assert.equal(isTask(sample()), true);
  assert.equal(isTask(JSON.parse(JSON.stringify({ ...sample(), prompt: 'p' }))), true);
});

test('taskProblem names the bad field', () => {
  assert.equal(taskProblem(null), 'a task must be a JSON object');
  assert.match(taskProblem({ ...sample(), language: 'rust' }) ?? '', /"language"/);
  assert.match(taskProblem({ ...sample(), bodySpan: { startLine: 5, endLine: 3 } }) ?? '', /"bodySpan"/);
  assert.match(taskProblem({ ...sample(), tests: 'x' }) ?? '', /"tests"/);
  assert.match(taskProblem({ ...sample(), heldOutTests: [1] }) ?? '', /"heldOutTests"/);
  assert.match(taskProblem({ ...sample(), baselineSeconds: -1 }) ?? '', /"baselineSeconds"/);
  assert.match(taskProblem({ ...sample(), source: 'other' }) ?? '', /"source"/);
  assert.match(taskProblem({ ...sample(), docstring: 3 }) ?? '', /"docstring"/);
  const { symbol: _drop, ...noSymbol } = sample();
  assert.match(taskProblem(noSymbol) ?? '', /"symbol"/);
});
