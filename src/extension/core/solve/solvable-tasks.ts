/**
 * Which task functions can be solved: the latest run's stored tasks (the Task objects training
 * rendered its prompts from), with their locations. The store may come from anywhere, so each
 * stored task is checked field by field before use, and one that fails is left out. Also how a
 * run's settings become the generation options. Pure.
 */
import type { GenerateOptions } from '../../../trainer/inference/types';
import type { JsonObject, TaskSplit } from '../../../trainer/store';
import { taskProblem, type Task } from '../../../trainer/tasks/task';
import { taskLocation, type TaskLocation } from '../task-locations';

export interface SolvableTask {
  task: Task;
  location: TaskLocation;
}

export function solvableTasks(rows: readonly { taskId: string; split: TaskSplit; task: JsonObject }[]): SolvableTask[] {
  return rows.flatMap((row) => {
    if (taskProblem(row.task) !== null || row.task.id !== row.taskId) return [];
    const location = taskLocation(row);
    return location ? [{ task: row.task as unknown as Task, location }] : [];
  });
}

/** The task whose span holds `line` (1-based) in `file`; the innermost when spans nest (a method in a class). */
export function taskAtLine(tasks: readonly SolvableTask[], file: string, line: number): SolvableTask | null {
  const holding = tasks.filter((t) => t.location.file === file && t.location.startLine <= line && line <= t.location.endLine);
  holding.sort((a, b) => (a.location.endLine - a.location.startLine) - (b.location.endLine - b.location.startLine));
  return holding[0] ?? null;
}

/** When the run's config has no usable value (a folder chosen without a run). */
export const DEFAULT_SOLVE_MAX_NEW_TOKENS = 512;

/**
 * Greedy decoding (the answer the model is most sure of, the same every time) with the run's own
 * completion budget, so the model gets the room it had in training.
 */
export function generationOptions(runConfig: JsonObject | null): Omit<GenerateOptions, 'signal' | 'onText'> {
  const configured = runConfig?.maxNewTokens;
  const maxNewTokens = typeof configured === 'number' && Number.isInteger(configured) && configured >= 8 ? configured : DEFAULT_SOLVE_MAX_NEW_TOKENS;
  return { maxNewTokens, greedy: true };
}

/** The task id a CodeLens or another command passed (`{taskId}` or the id itself). */
export function taskIdArgument(arg: unknown): string | undefined {
  if (typeof arg === 'string' && arg !== '') return arg;
  const id = (arg as { taskId?: unknown } | null | undefined)?.taskId;
  return typeof id === 'string' && id !== '' ? id : undefined;
}

/** What the Accept confirmation says about the verification: "It passed all 5 tests". */
export function verdictText(v: { passed: boolean; tests: readonly { outcome: string }[]; flags: readonly { code: string }[] }): string {
  const total = v.tests.length;
  const passed = v.tests.filter((t) => t.outcome === 'passed').length;
  if (v.passed) return `It passed all ${total} test${total === 1 ? '' : 's'}`;
  const flags = v.flags.length > 0 ? ` and was flagged (${v.flags.map((f) => f.code).join(', ')})` : '';
  return `It did NOT pass: ${passed} of ${total} tests passed${flags}`;
}
