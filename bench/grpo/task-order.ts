/**
 * The tasks our run will roll out at each step, known before it starts (TRL's dataset is built up
 * front): the same mining, train split and seeded sampler as train-session.ts. The prediction
 * assumes every mined task passes the ground-truth check; `checkTaskOrder` compares it with what
 * the run stored, so a wrong prediction fails the benchmark instead of skewing it.
 */
import { mineTasks } from '../../src/trainer/mining';
import { TaskSampler } from '../../src/trainer/run/task-sampler';
import { splitTrainEval } from '../../src/trainer/run/train-eval-split';
import type { Task } from '../../src/trainer/tasks/task';

export async function predictTaskOrder(workspace: string, seed: number, steps: number, tasksPerStep: number): Promise<Task[][]> {
  const { tasks } = await mineTasks({ workspace });
  const sampler = new TaskSampler(splitTrainEval(tasks, 0).train, seed);
  return Array.from({ length: steps }, () => sampler.take(tasksPerStep));
}

export function checkTaskOrder(predicted: Task[][], stored: Task[][]): void {
  const ids = (steps: Task[][]) => steps.map((tasks) => tasks.map((t) => t.id).join(',')).join(' | ');
  if (ids(predicted) !== ids(stored)) {
    throw new Error(`TRL got other prompts than our run used (a task failed ground truth?):\n  predicted ${ids(predicted)}\n  stored    ${ids(stored)}`);
  }
}
