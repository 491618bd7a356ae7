/**
 * What the editor shows above a task function (CodeLens), beside it (decoration) and in the Testing
 * view, from the latest run's results: how many of the samples at the task's latest step passed.
 */
import type { TaskSummary, TraceKind } from '../../trainer/store';

export interface TaskOutcome {
  taskId: string;
  /** Training samples, or the held-out evaluation for tasks kept out of training. */
  kind: TraceKind;
  step: number;
  passed: number;
  samples: number;
  /** The run's best-rewarded trace of the task (any step). */
  bestTraceId: number;
}

/** Per task, the summary to show: the training one when the task was trained on, else its evaluation. */
export function summariesByTask(summaries: readonly TaskSummary[]): Map<string, TaskSummary> {
  const byTask = new Map<string, TaskSummary>();
  for (const s of summaries) {
    const known = byTask.get(s.taskId);
    if (!known || (known.kind === 'eval' && s.kind === 'train')) byTask.set(s.taskId, s);
  }
  return byTask;
}

/** Counts the samples of the summary's latest step (`rows` = that step's traces of the task). */
export function outcomeAtLatestStep(summary: TaskSummary, rows: readonly { passed: boolean; step: number }[]): TaskOutcome {
  const atStep = rows.filter((r) => r.step === summary.lastStep);
  return {
    taskId: summary.taskId, kind: summary.kind, step: summary.lastStep,
    passed: atStep.filter((r) => r.passed).length, samples: atStep.length, bestTraceId: summary.bestTraceId,
  };
}

const mark = (o: TaskOutcome): string => (o.passed > 0 ? '✓' : '✗');

/** "RLVR ✓ 6/8 verified · step 40 · best trace"; held-out tasks say so. */
export function lensTitle(o: TaskOutcome): string {
  const heldOut = o.kind === 'eval' ? ' held-out' : '';
  return `RLVR${heldOut} ${mark(o)} ${o.passed}/${o.samples} verified · step ${o.step} · best trace`;
}

export function lensTooltip(o: TaskOutcome): string {
  const what = o.kind === 'eval' ? 'held-out evaluation samples' : 'training samples';
  return `${o.passed} of ${o.samples} ${what} passed this function's tests at step ${o.step}. Click to open the best-rewarded trace.`;
}

/** The short text after the definition line. */
export function decorationText(o: TaskOutcome): string {
  return `${mark(o)} ${o.passed}/${o.samples}`;
}

/** The Testing view's message for a task whose samples all failed. */
export function failureMessage(o: TaskOutcome): string {
  return `no ${o.kind === 'eval' ? 'held-out evaluation' : 'training'} sample passed at step ${o.step} (0/${o.samples})`;
}
