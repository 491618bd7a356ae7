/** The status-bar item's text and tooltip for a run state (codicons in `$(name)` form). */
import type { RunState } from './run-state';

export interface StatusText {
  text: string;
  tooltip: string;
}

export const num = (v: number | null | undefined, digits = 2): string => (v === null || v === undefined || !Number.isFinite(v) ? '–' : v.toFixed(digits));
export const pct = (v: number | null | undefined): string => (v === null || v === undefined || !Number.isFinite(v) ? '–' : `${Math.round(v * 100)}%`);

/** "12/100 · reward 0.42" */
export function progress(s: RunState): string {
  const reward = s.metrics ? ` · reward ${num(s.metrics.rewardMean)}` : '';
  return `${s.step}/${s.totalSteps}${reward}`;
}

function detailLines(s: RunState): string[] {
  const lines = s.runId ? [`Run ${s.runId}`] : [];
  if (s.metrics) {
    lines.push(`Step ${s.step} of ${s.totalSteps}: reward ${num(s.metrics.rewardMean)} ± ${num(s.metrics.rewardStd)}, ` +
      `pass rate ${pct(s.metrics.passRate)}, zero-std groups ${pct(s.metrics.fracZeroStd)}`);
  }
  lines.push(...s.warnings.map((w) => `⚠ ${w}`));
  return lines;
}

export function statusText(s: RunState): StatusText {
  const open = 'Click to open the RLVR dashboard.';
  const tip = (head: string) => [head, ...detailLines(s), open].join('\n');
  switch (s.phase) {
    case 'idle':
      return { text: '$(beaker) RLVR', tooltip: `No training run started in this window. ${open}` };
    case 'starting':
      return { text: '$(loading~spin) RLVR starting…', tooltip: tip('Starting the training process (loading the model, mining tasks).') };
    case 'running':
      return { text: `$(sync~spin) RLVR ${progress(s)}`, tooltip: tip('Training.') };
    case 'stopping':
      return { text: `$(debug-pause) RLVR stopping… ${progress(s)}`, tooltip: tip('Stopping after the current step.') };
    case 'completed':
      return { text: `$(pass) RLVR done ${progress(s)}`, tooltip: tip('The run completed.') };
    case 'stopped':
      return { text: `$(debug-stop) RLVR stopped ${progress(s)}`, tooltip: tip('Stopped; "RLVR: Resume Training" continues it.') };
    case 'failed':
      return { text: '$(error) RLVR failed', tooltip: tip(`Failed: ${s.error?.message ?? 'unknown error'}`) };
  }
}
