import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildMinedTasks } from '../../src/trainer/mining/build-tasks';
import type { MinedFunction, MinedTest, MinedWorkspace } from '../../src/trainer/mining/mined';
import { taskId } from '../../src/trainer/tasks/task';

const fn = (file: string, symbol: string, startLine: number, kind: MinedFunction['kind'] = 'function'): MinedFunction => ({
  language: 'python', file, symbol, signature: `def ${symbol.split('.').pop()}():`, docstring: null,
  startLine, endLine: startLine + 1, context: '', kind,
});
const t = (id: string, outcome: MinedTest['outcome'] = 'passed', duration = 0.5): MinedTest => ({ id, outcome, duration });

function workspace(): MinedWorkspace {
  return {
    tests: [t('T::a'), t('T::b', 'failed'), t('T::c', 'passed', 0.25), t('T::d', 'skipped'), t('T::e', 'passed', 1)],
    functions: [fn('m.py', 'helper', 20), fn('m.py', 'f', 1), fn('m.py', 'Stack.push', 10, 'method'), fn('m.py', 'broken', 30), fn('a.py', 'g', 5)],
    calls: {
      'T::a': ['m.py::f', 'm.py::Stack.push'],
      'T::b': ['m.py::f', 'm.py::broken'],
      'T::c': ['m.py::f'],
      'T::d': ['m.py::broken'],
      'T::e': ['a.py::g', 'unknown.py::x', 'a.py::g'],
    },
    collectErrors: [],
  };
}

test('a function with a passing mapped test is a task; failing mapped tests are dropped and reported', () => {
  const built = buildMinedTasks(workspace());
  const f = built.tasks.find((x) => x.symbol === 'f');
  assert.ok(f);
  assert.deepEqual(f.tests, ['T::a', 'T::c']);
  assert.equal(f.id, taskId('m.py', 'f', ['T::a', 'T::c']));
  assert.equal(f.baselineSeconds, 0.75);
  assert.equal(f.source, 'mined');
  assert.deepEqual(new Set([...f.visibleTests, ...f.heldOutTests]), new Set(f.tests));
  assert.equal(f.heldOutTests.length, 1);
  assert.deepEqual(built.dropped, [{ taskId: f.id, file: 'm.py', symbol: 'f', tests: [{ id: 'T::b', outcome: 'failed' }] }]);
});

test('methods are tasks; duplicate refs count once; unknown refs are ignored', () => {
  const built = buildMinedTasks(workspace());
  assert.deepEqual(built.tasks.find((x) => x.symbol === 'Stack.push')?.tests, ['T::a']);
  assert.deepEqual(built.tasks.find((x) => x.symbol === 'g')?.tests, ['T::e']);
  assert.equal(built.tasks.length, 3);
});

test('untested functions and functions whose tests all fail are skipped with a reason', () => {
  const { skipped } = buildMinedTasks(workspace());
  assert.deepEqual(skipped, [
    { file: 'm.py', symbol: 'helper', reason: 'no test calls it' },
    { file: 'm.py', symbol: 'broken', reason: 'none of its 2 tests pass at baseline (1 failed, 1 skipped)' },
  ]);
});

test('tasks are ordered by file then line', () => {
  assert.deepEqual(buildMinedTasks(workspace()).tasks.map((x) => `${x.file}:${x.symbol}`), ['a.py:g', 'm.py:f', 'm.py:Stack.push']);
});

test('a symbol defined twice in one file is not a task', () => {
  const w = workspace();
  w.functions.push(fn('m.py', 'f', 40));
  const built = buildMinedTasks(w);
  assert.ok(!built.tasks.some((x) => x.symbol === 'f'));
  assert.equal(built.skipped.filter((s) => s.symbol === 'f').length, 2);
});
