/**
 * Keeps the run's series of step health points and asks the monitors about each new step. A
 * resumed run starts from its stored steps, so baselines (first-steps entropy) and windows span
 * the whole run, not just this process.
 */
import { checkHealth, type HealthContext, type HealthPoint } from '../analysis/health';
import type { HealthWarning } from '../../shared/health';
import type { TrainConfig } from '../config/config';
import type { StepRecord } from '../store';
import type { StepMetrics } from './step-metrics';

export function healthContextOf(config: TrainConfig): HealthContext {
  return {
    maxNewTokens: config.maxNewTokens, beta: config.beta, groupSize: config.groupSize,
    temperature: config.temperature, dynamicSampling: config.dynamicSampling, correctness: config.correctness,
  };
}

export function healthPointOf(step: number, m: StepMetrics): HealthPoint {
  return {
    step, entropy: m.samples > 0 ? m.entropy : null, kl: m.train?.kl ?? null,
    completionLenMean: m.completionLenMean, truncationRate: m.truncationRate, flaggedRate: m.flaggedRate,
    fracZeroStd: m.fracZeroStd, groups: m.groups, groupsAllPassed: m.groupsAllPassed, groupsAllFailed: m.groupsAllFailed,
    samples: m.samples, trained: m.train !== null,
  };
}

/** The stored metrics `healthPointFromRecord` reads (listSteps reads only these). */
export const HEALTH_METRICS = ['entropy', 'kl', 'completionLenMean', 'truncationRate', 'flaggedRate', 'fracZeroStd', 'loss'] as const;

const num = (v: unknown, fallback: number): number => (typeof v === 'number' && Number.isFinite(v) ? v : fallback);

/** A stored step as a health point (store-recorder.ts writes the counts into `extra`). */
export function healthPointFromRecord(r: StepRecord): HealthPoint {
  const m = r.metrics;
  return {
    step: r.step, entropy: m.entropy ?? null, kl: m.kl ?? null,
    completionLenMean: num(m.completionLenMean, 0), truncationRate: num(m.truncationRate, 0), flaggedRate: num(m.flaggedRate, 0),
    fracZeroStd: num(m.fracZeroStd, 0), groups: num(r.extra.groups, 0), groupsAllPassed: num(r.extra.groupsAllPassed, 0),
    groupsAllFailed: num(r.extra.groupsAllFailed, 0), samples: num(r.extra.samples, 0), trained: m.loss !== null && m.loss !== undefined,
  };
}

export class HealthTracker {
  private readonly series: HealthPoint[];

  constructor(private readonly context: HealthContext, history: readonly HealthPoint[] = []) {
    this.series = [...history];
  }

  /** Adds the step (replacing a stored one with the same number) and returns its warnings. */
  observe(step: number, metrics: StepMetrics): HealthWarning[] {
    while (this.series.length > 0 && (this.series[this.series.length - 1] as HealthPoint).step >= step) this.series.pop();
    this.series.push(healthPointOf(step, metrics));
    return checkHealth(this.series, this.context);
  }
}
