/**
 * Which tasks train and which are kept out for pass@k evaluation. The split depends only on task
 * ids (a hash order), not on the seed, so different runs on one workspace are evaluated on the
 * same held-out tasks and their numbers can be compared.
 */
import { createHash } from 'node:crypto';
import type { Task } from '../tasks/task';

export interface TaskSplit {
  train: Task[];
  evaluation: Task[];
}

export function splitTrainEval(tasks: readonly Task[], evalFraction: number): TaskSplit {
  const ranked = [...tasks].sort((a, b) => rank(a.id).localeCompare(rank(b.id)));
  const evalCount = tasks.length < 2 ? 0 : Math.min(tasks.length - 1, Math.round(tasks.length * evalFraction));
  const evalIds = new Set(ranked.slice(0, evalCount).map((t) => t.id));
  return {
    train: tasks.filter((t) => !evalIds.has(t.id)),
    evaluation: tasks.filter((t) => evalIds.has(t.id)),
  };
}

const rank = (id: string): string => createHash('sha256').update(`rlvr-eval-split\0${id}`).digest('hex');
