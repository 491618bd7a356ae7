/**
 * Pure dashboard logic: which charts show which step metrics, merging live updates, pass@k curves
 * and the pass@k regression check (pass@1 up while pass@k at the largest k goes down), and the
 * training-health warnings of the steps.
 */
import type { EvaluationVM, StepMetricKey, StepVM } from '../../shared/view-models';

export interface SeriesSpec {
  label: string;
  /** A metric, or a value derived from several (clip fraction = low + high). */
  value: (m: StepVM['metrics']) => number | null;
  /** A VS Code chart colour variable name. */
  color: string;
}

export interface ChartSpec {
  id: string;
  title: string;
  series: SeriesSpec[];
  /** Fraction-valued charts are drawn on 0..1. */
  unit?: 'fraction';
}

const metric = (key: StepMetricKey) => (m: StepVM['metrics']) => {
  const v = m[key];
  return v === undefined || v === null || !Number.isFinite(v) ? null : v;
};

function sum(...keys: StepMetricKey[]) {
  return (m: StepVM['metrics']) => {
    const values = keys.map((k) => metric(k)(m));
    return values.every((v) => v === null) ? null : values.reduce<number>((a, v) => a + (v ?? 0), 0);
  };
}

const one = (label: string, key: StepMetricKey, color: string): SeriesSpec => ({ label, value: metric(key), color });

export const CHARTS: readonly ChartSpec[] = [
  { id: 'reward', title: 'Reward (mean, std)', series: [one('mean', 'rewardMean', '--vscode-charts-blue'), one('std', 'rewardStd', '--vscode-charts-purple')] },
  { id: 'pass1', title: 'pass@1 (training samples)', unit: 'fraction', series: [one('pass@1', 'passRate', '--vscode-charts-green')] },
  { id: 'zeroStd', title: 'Groups with zero reward std', unit: 'fraction', series: [one('zero-std', 'fracZeroStd', '--vscode-charts-orange')] },
  { id: 'entropy', title: 'Entropy (nats/token)', series: [one('entropy', 'entropy', '--vscode-charts-yellow')] },
  { id: 'kl', title: 'KL to reference', series: [one('KL', 'kl', '--vscode-charts-red')] },
  {
    id: 'clip', title: 'Clip fraction', unit: 'fraction',
    series: [{ label: 'clipped', value: sum('clipLow', 'clipHigh'), color: '--vscode-charts-purple' }, one('low', 'clipLow', '--vscode-charts-blue'), one('high', 'clipHigh', '--vscode-charts-orange')],
  },
  { id: 'length', title: 'Mean completion length (tokens)', series: [one('length', 'completionLenMean', '--vscode-charts-blue')] },
  { id: 'truncation', title: 'Truncation rate', unit: 'fraction', series: [one('truncated', 'truncationRate', '--vscode-charts-red')] },
  { id: 'aha', title: 'Aha cues per 1k tokens', series: [one('cues/1k', 'ahaPer1k', '--vscode-charts-purple')] },
  { id: 'fix', title: 'Fix rate (cues that fixed failing code)', unit: 'fraction', series: [one('fix rate', 'fixRate', '--vscode-charts-green')] },
];

/** Adds or replaces steps by step number; the result is sorted by step. */
export function upsertSteps(existing: readonly StepVM[], incoming: readonly StepVM[]): StepVM[] {
  const byStep = new Map(existing.map((s) => [s.step, s]));
  for (const step of incoming) byStep.set(step.step, step);
  return [...byStep.values()].sort((a, b) => a.step - b.step);
}

/** Adds or replaces evaluations by label; sorted by step, then label. */
export function upsertEvaluations(existing: readonly EvaluationVM[], incoming: readonly EvaluationVM[]): EvaluationVM[] {
  const byLabel = new Map(existing.map((e) => [e.label, e]));
  for (const evaluation of incoming) byLabel.set(evaluation.label, evaluation);
  return [...byLabel.values()].sort((a, b) => a.step - b.step || a.label.localeCompare(b.label));
}

/** uPlot's column data: steps on x, one (number | null)[] per series. */
export function chartData(steps: readonly StepVM[], chart: ChartSpec): [number[], ...(number | null)[][]] {
  return [steps.map((s) => s.step), ...chart.series.map((series) => steps.map((s) => series.value(s.metrics)))];
}

export function ksOf(evaluation: EvaluationVM): number[] {
  return Object.keys(evaluation.passAtK).map(Number).filter((k) => Number.isInteger(k) && k > 0).sort((a, b) => a - b);
}

/** One curve per evaluation over the union of k values (null where an evaluation lacks a k). */
export function passAtKCurves(evaluations: readonly EvaluationVM[]): { ks: number[]; curves: { label: string; values: (number | null)[] }[] } {
  const ks = [...new Set(evaluations.flatMap(ksOf))].sort((a, b) => a - b);
  const curves = evaluations.map((e) => ({ label: e.label, values: ks.map((k) => e.passAtK[String(k)] ?? null) }));
  return { ks, curves };
}

export interface PassAtKRegression {
  label: string;
  baseLabel: string;
  k: number;
  pass1: [before: number, after: number];
  passK: [before: number, after: number];
}

/** The reference evaluation: the one labelled "base", else the earliest. */
export function baseEvaluation(evaluations: readonly EvaluationVM[]): EvaluationVM | undefined {
  return evaluations.find((e) => e.label === 'base') ?? [...evaluations].sort((a, b) => a.step - b.step)[0];
}

/**
 * Checkpoints whose pass@1 rose while pass@k at the largest k both share fell, against the base:
 * the sign that RL sharpened the distribution onto fewer solutions (Yue et al. 2025).
 */
export function passAtKRegressions(evaluations: readonly EvaluationVM[]): PassAtKRegression[] {
  const base = baseEvaluation(evaluations);
  if (!base) return [];
  const out: PassAtKRegression[] = [];
  for (const e of evaluations) {
    if (e === base) continue;
    const shared = ksOf(e).filter((k) => base.passAtK[String(k)] !== undefined);
    const k = shared[shared.length - 1];
    const p1 = [base.passAtK['1'], e.passAtK['1']];
    if (k === undefined || k <= 1 || p1[0] === undefined || p1[1] === undefined) continue;
    const pk: [number, number] = [base.passAtK[String(k)] as number, e.passAtK[String(k)] as number];
    if (p1[1] > p1[0] && pk[1] < pk[0]) out.push({ label: e.label, baseLabel: base.label, k, pass1: [p1[0], p1[1]], passK: pk });
  }
  return out;
}

export interface WarningSummary {
  /** The latest wording of this warning. */
  text: string;
  lastStep: number;
  /** Steps that raised it. */
  steps: number;
}

/** Groups the steps' warnings by wording with the numbers taken out, newest first. */
export function summarizeWarnings(steps: readonly StepVM[]): WarningSummary[] {
  const byKind = new Map<string, WarningSummary>();
  for (const step of steps) {
    for (const text of new Set(step.warnings)) {
      const kind = text.replace(/\d+(?:\.\d+)?/g, '#');
      const seen = byKind.get(kind);
      if (!seen) byKind.set(kind, { text, lastStep: step.step, steps: 1 });
      else {
        seen.steps += 1;
        if (step.step >= seen.lastStep) Object.assign(seen, { text, lastStep: step.step });
      }
    }
  }
  return [...byKind.values()].sort((a, b) => b.lastStep - a.lastStep || b.steps - a.steps);
}
