/**
 * Pure dashboard logic: which charts show which step metrics, merging live updates, pass@k curves
 * and the pass@k regression check (pass@1 up while pass@k at the largest k goes down), and the
 * training-health warnings of the steps.
 */
import type { EvaluationVM, StepMetricKey, StepVM } from '../../shared/view-models';
import type { HealthCode, HealthWarning } from '../../shared/health';

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
  /** Training-health warnings marked on this chart (a point on its first series at each step that raised one). */
  warnings?: readonly HealthCode[];
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
  { id: 'zeroStd', title: 'Groups with zero reward std', unit: 'fraction', series: [one('zero-std', 'fracZeroStd', '--vscode-charts-orange')], warnings: ['no_signal', 'zero_std'] },
  { id: 'entropy', title: 'Entropy (nats/token)', series: [one('entropy', 'entropy', '--vscode-charts-yellow')], warnings: ['entropy_collapse'] },
  { id: 'kl', title: 'KL to reference', series: [one('KL', 'kl', '--vscode-charts-red')], warnings: ['kl_drift'] },
  {
    id: 'clip', title: 'Clip fraction', unit: 'fraction',
    series: [{ label: 'clipped', value: sum('clipLow', 'clipHigh'), color: '--vscode-charts-purple' }, one('low', 'clipLow', '--vscode-charts-blue'), one('high', 'clipHigh', '--vscode-charts-orange')],
  },
  { id: 'length', title: 'Mean completion length (tokens)', series: [one('length', 'completionLenMean', '--vscode-charts-blue')], warnings: ['length_growth'] },
  { id: 'truncation', title: 'Truncation rate', unit: 'fraction', series: [one('truncated', 'truncationRate', '--vscode-charts-red')], warnings: ['truncation'] },
  { id: 'flagged', title: 'Flagged candidates (reward hacking)', unit: 'fraction', series: [one('flagged', 'flaggedRate', '--vscode-charts-red')], warnings: ['reward_hacking'] },
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

/**
 * uPlot's column data: steps on x, one (number | null)[] per series, and for a chart with
 * `warnings` one more: the first series' value at steps that raised one of them (the markers).
 */
export function chartData(steps: readonly StepVM[], chart: ChartSpec): [number[], ...(number | null)[][]] {
  const columns = chart.series.map((series) => steps.map((s) => series.value(s.metrics)));
  if (!chart.warnings) return [steps.map((s) => s.step), ...columns];
  const codes = new Set<string>(chart.warnings);
  const markers = steps.map((s, i) => ((s.health ?? []).some((w) => codes.has(w.code)) ? columns[0]?.[i] ?? null : null));
  return [steps.map((s) => s.step), ...columns, markers];
}

/** An evaluation's pass@k by k: its full k = 1..n curve when it has one, and its configured ks. */
export function passAtKPoints(evaluation: EvaluationVM): Record<string, number> {
  const points: Record<string, number> = { ...evaluation.passAtK };
  evaluation.curve?.forEach((v, i) => { points[String(i + 1)] = v; });
  return points;
}

export function ksOf(evaluation: EvaluationVM): number[] {
  return Object.keys(passAtKPoints(evaluation)).map(Number).filter((k) => Number.isInteger(k) && k > 0).sort((a, b) => a - b);
}

/** One curve per evaluation over the union of k values (null where an evaluation lacks a k). */
export function passAtKCurves(evaluations: readonly EvaluationVM[]): { ks: number[]; curves: { label: string; values: (number | null)[] }[] } {
  const ks = [...new Set(evaluations.flatMap(ksOf))].sort((a, b) => a - b);
  const curves = evaluations.map((e) => {
    const points = passAtKPoints(e);
    return { label: e.label, values: ks.map((k) => points[String(k)] ?? null) };
  });
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
  const basePoints = passAtKPoints(base);
  for (const e of evaluations) {
    if (e === base) continue;
    const points = passAtKPoints(e);
    const shared = ksOf(e).filter((k) => basePoints[String(k)] !== undefined);
    const k = shared[shared.length - 1];
    const p1 = [basePoints['1'], points['1']];
    if (k === undefined || k <= 1 || p1[0] === undefined || p1[1] === undefined) continue;
    const pk: [number, number] = [basePoints[String(k)] as number, points[String(k)] as number];
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
  /** The monitor's severity; `warning` for plain-text warnings of older runs. */
  severity: HealthWarning['severity'];
}

/** A step's warnings: the structured ones, else its plain texts (keyed by wording without numbers). */
function warningsOf(step: StepVM): { kind: string; text: string; severity: HealthWarning['severity'] }[] {
  if (step.health && step.health.length > 0) return step.health.map((w) => ({ kind: w.code, text: w.message, severity: w.severity }));
  return [...new Set(step.warnings)].map((text) => ({ kind: text.replace(/\d+(?:\.\d+)?/g, '#'), text, severity: 'warning' as const }));
}

/** Groups the steps' warnings by monitor (or by wording with the numbers taken out), newest first. */
export function summarizeWarnings(steps: readonly StepVM[]): WarningSummary[] {
  const byKind = new Map<string, WarningSummary>();
  for (const step of steps) {
    for (const { kind, text, severity } of warningsOf(step)) {
      const seen = byKind.get(kind);
      if (!seen) byKind.set(kind, { text, lastStep: step.step, steps: 1, severity });
      else if (seen.lastStep !== step.step) {
        seen.steps += 1;
        if (step.step > seen.lastStep) Object.assign(seen, { text, lastStep: step.step, severity });
      }
    }
  }
  return [...byKind.values()].sort((a, b) => b.lastStep - a.lastStep || b.steps - a.steps);
}

/** The newest step's structured warnings (the health banner): what is wrong right now. */
export function currentHealth(steps: readonly StepVM[]): { step: number; warnings: HealthWarning[] } | null {
  const last = steps[steps.length - 1];
  return last && last.health && last.health.length > 0 ? { step: last.step, warnings: last.health } : null;
}
