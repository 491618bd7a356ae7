/**
 * The one-line progress report printed after every step, and the plain-language warnings that
 * explain the classic silent failures (no learning signal, truncation, reward hacking).
 */
import type { StepMetrics } from './step-metrics';

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h > 0 ? `${h}h${String(m).padStart(2, '0')}m` : `${m}m${String(s % 60).padStart(2, '0')}s`;
}

export function progressLine(step: number, totalSteps: number, metrics: StepMetrics, secondsPerStep: number): string {
  const bar = progressBar(step / totalSteps, 20);
  const eta = formatDuration((totalSteps - step) * secondsPerStep);
  const parts = [
    `${bar} step ${step}/${totalSteps}`,
    `reward ${metrics.rewardMean.toFixed(3)}`,
    `pass@1 ${(metrics.passRate * 100).toFixed(1)}%`,
    `${metrics.tokensPerSecond.toFixed(0)} tok/s`,
    metrics.train ? `loss ${metrics.train.loss.toFixed(4)}` : 'no update',
    `ETA ${eta}`,
  ];
  return parts.join(' · ');
}

function progressBar(fraction: number, width: number): string {
  const filled = Math.round(Math.min(Math.max(fraction, 0), 1) * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
}

/** Warnings for this step, each one sentence saying what happened and what to change. */
export function stepWarnings(metrics: StepMetrics): string[] {
  const warnings: string[] = [];
  if (metrics.train === null) {
    const why = metrics.groupsAllPassed > metrics.groupsAllFailed
      ? 'every sampled group passed all tests (tasks too easy: use harder tasks or all_pass correctness)'
      : 'every sampled group failed (tasks too hard for this model: raise maxNewTokens, use pass_fraction correctness, an easier task set, or a stronger base model)';
    warnings.push(`no learning signal this step: ${why}`);
  } else if (metrics.fracZeroStd >= 0.75) {
    warnings.push(`${Math.round(metrics.fracZeroStd * 100)}% of groups had identical rewards (little learning signal); consider a larger groupSize or dynamicSampling`);
  }
  if (metrics.truncationRate >= 0.5) {
    warnings.push(`${Math.round(metrics.truncationRate * 100)}% of completions hit maxNewTokens; raise it or add overlongBuffer shaping`);
  }
  if (metrics.flaggedRate > 0) {
    warnings.push(`${Math.round(metrics.flaggedRate * 100)}% of candidates were flagged for reward hacking (see flags in the traces)`);
  }
  return warnings;
}
