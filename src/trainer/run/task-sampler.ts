/**
 * Seeded task sampling: tasks are visited in shuffled epochs so every training task is seen
 * equally often, and a resumed run that restores `position` continues the same sequence.
 */
import type { Task } from '../tasks/task';

/** mulberry32: tiny, fast, good enough for shuffling; deterministic across platforms. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

export class TaskSampler {
  private order: Task[] = [];
  private epoch = -1;
  private index = 0;

  constructor(private readonly tasks: readonly Task[], private readonly seed: number, position = 0) {
    if (tasks.length === 0) throw new Error('TaskSampler needs at least one task');
    for (let i = 0; i < position; i++) this.next();
  }

  /** How many tasks have been drawn so far (store it to resume). */
  get position(): number {
    return Math.max(this.epoch, 0) * this.tasks.length + this.index;
  }

  next(): Task {
    if (this.epoch < 0 || this.index >= this.order.length) {
      this.epoch++;
      this.order = shuffled(this.tasks, seededRandom(this.seed * 1000003 + this.epoch));
      this.index = 0;
    }
    return this.order[this.index++] as Task;
  }

  take(count: number): Task[] {
    return Array.from({ length: count }, () => this.next());
  }
}
