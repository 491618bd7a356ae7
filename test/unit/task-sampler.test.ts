import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TaskSampler } from '../../src/trainer/run/task-sampler';
import type { Task } from '../../src/trainer/tasks/task';

const tasks = ['a', 'b', 'c', 'd', 'e'].map((id) => ({ id }) as Task);

test('every task is seen once per epoch, in a seeded order', () => {
  const sampler = new TaskSampler(tasks, 7);
  const epoch1 = sampler.take(5).map((t) => t.id);
  const epoch2 = sampler.take(5).map((t) => t.id);
  assert.deepEqual([...epoch1].sort(), ['a', 'b', 'c', 'd', 'e']);
  assert.deepEqual([...epoch2].sort(), ['a', 'b', 'c', 'd', 'e']);
  assert.deepEqual(new TaskSampler(tasks, 7).take(10).map((t) => t.id), [...epoch1, ...epoch2]);
  assert.notDeepEqual(new TaskSampler(tasks, 8).take(10).map((t) => t.id), [...epoch1, ...epoch2]);
});

test('a sampler restored at a position continues the same sequence (resume)', () => {
  const reference = new TaskSampler(tasks, 3).take(12).map((t) => t.id);
  const first = new TaskSampler(tasks, 3);
  first.take(7);
  assert.equal(first.position, 7);
  const resumed = new TaskSampler(tasks, 3, first.position);
  assert.deepEqual(resumed.take(5).map((t) => t.id), reference.slice(7));
});
