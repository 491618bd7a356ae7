import { test } from 'node:test';
import assert from 'node:assert/strict';
import { splitTrainEval } from '../../src/trainer/run/train-eval-split';
import type { Task } from '../../src/trainer/tasks/task';

const tasks = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `task${i}` }) as Task);

test('the split is a partition with the requested fraction kept out', () => {
  const { train, evaluation } = splitTrainEval(tasks(40), 0.25);
  assert.equal(evaluation.length, 10);
  assert.equal(train.length, 30);
  assert.equal(new Set([...train, ...evaluation].map((t) => t.id)).size, 40);
});

test('the split depends only on ids: stable under reordering and under adding tasks', () => {
  const a = splitTrainEval(tasks(20), 0.25).evaluation.map((t) => t.id).sort();
  const b = splitTrainEval([...tasks(20)].reverse(), 0.25).evaluation.map((t) => t.id).sort();
  assert.deepEqual(a, b);
});

test('at least one training task always remains; a single task is never held out', () => {
  assert.equal(splitTrainEval(tasks(1), 0.9).train.length, 1);
  assert.equal(splitTrainEval(tasks(3), 0.9).train.length, 1);
  assert.equal(splitTrainEval(tasks(10), 0).evaluation.length, 0);
});
