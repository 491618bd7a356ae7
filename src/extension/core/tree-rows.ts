/**
 * Labels of the Runs tree (runs → steps → tasks), as pure functions of store records. The tree
 * provider only wraps these in TreeItems.
 */
import type { RunRecord, StepRecord, TraceSummary } from '../../trainer/store';

export interface Row {
  label: string;
  description: string;
  tooltip: string;
}

const fixed = (v: number | null | undefined, digits = 2): string => (v === null || v === undefined || !Number.isFinite(v) ? '–' : v.toFixed(digits));
const percent = (v: number | null | undefined): string => (v === null || v === undefined || !Number.isFinite(v) ? '–' : `${Math.round(v * 100)}%`);

/** The last path segment of a model folder, or the hub id as it is. */
export function modelName(model: string): string {
  const parts = model.split(/[\\/]/).filter((p) => p !== '');
  return model.startsWith('/') || /^[A-Za-z]:\\/.test(model) ? parts[parts.length - 1] ?? model : model;
}

export function runRow(run: RunRecord): Row {
  const when = new Date(run.createdAt).toLocaleString();
  return {
    label: run.id,
    description: `${run.status} · step ${run.lastStep} · ${modelName(run.model)}`,
    tooltip: [`Run ${run.id} (${run.status})`, `Model: ${run.model}`, `Started: ${when}`, `Last step: ${run.lastStep}`,
      `Traces: ${run.traceCount}`, ...(run.error ? [`Error: ${run.error}`] : [])].join('\n'),
  };
}

/** The metrics stepRow shows: the tree reads only these (the store's cost is per value read). */
export const STEP_ROW_METRICS = ['rewardMean', 'rewardStd', 'passRate', 'fracZeroStd', 'entropy', 'kl', 'completionLenMean'] as const;

export function stepRow(step: StepRecord): Row {
  const m = step.metrics;
  return {
    label: `step ${step.step}`,
    description: `reward ${fixed(m.rewardMean)} · pass ${percent(m.passRate)}`,
    tooltip: [`Step ${step.step}`, `Reward ${fixed(m.rewardMean)} ± ${fixed(m.rewardStd)}`, `Pass rate ${percent(m.passRate)}`,
      `Zero-std groups ${percent(m.fracZeroStd)}`, `Entropy ${fixed(m.entropy, 3)}`, `KL ${fixed(m.kl, 4)}`,
      `Mean length ${fixed(m.completionLenMean, 0)} tokens`].join('\n'),
  };
}

export interface StepTask {
  taskId: string;
  passed: number;
  samples: number;
  bestTraceId: number;
  bestReward: number;
}

/** The traces of one step, per task: how many passed and which has the highest reward. */
export function tasksOfStep(traces: readonly TraceSummary[]): StepTask[] {
  const byTask = new Map<string, StepTask>();
  for (const t of traces) {
    const known = byTask.get(t.taskId);
    if (!known) {
      byTask.set(t.taskId, { taskId: t.taskId, passed: t.passed ? 1 : 0, samples: 1, bestTraceId: t.id, bestReward: t.reward.total });
      continue;
    }
    known.samples++;
    if (t.passed) known.passed++;
    if (t.reward.total > known.bestReward) {
      known.bestReward = t.reward.total;
      known.bestTraceId = t.id;
    }
  }
  return [...byTask.values()].sort((a, b) => a.taskId.localeCompare(b.taskId));
}

export function stepTaskRow(task: StepTask, symbol: string | undefined): Row {
  return {
    label: symbol ?? task.taskId,
    description: `${task.passed}/${task.samples} passed · best ${fixed(task.bestReward)}`,
    tooltip: `Task ${task.taskId}${symbol ? ` (${symbol})` : ''}: ${task.passed} of ${task.samples} samples passed; click to open the best one (reward ${fixed(task.bestReward)}).`,
  };
}
