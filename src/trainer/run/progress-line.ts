/**
 * The one-line progress report printed after every step, ending with the codes of the step's
 * training-health warnings, and the warnings themselves as the lines below it.
 */
import type { HealthWarning } from '../../shared/health';
import type { StepMetrics } from './step-metrics';

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h > 0 ? `${h}h${String(m).padStart(2, '0')}m` : `${m}m${String(s % 60).padStart(2, '0')}s`;
}

export function progressLine(
  step: number, totalSteps: number, metrics: StepMetrics, secondsPerStep: number, health: readonly HealthWarning[] = [],
): string {
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
  if (health.length > 0) parts.push(`${health.some((w) => w.severity === 'critical') ? '‼' : '⚠'} ${health.map((w) => w.code).join(', ')}`);
  return parts.join(' · ');
}

function progressBar(fraction: number, width: number): string {
  const filled = Math.round(Math.min(Math.max(fraction, 0), 1) * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
}

/**
 * The step's training-health warnings as lines under the progress line (src/trainer/analysis/health):
 * `‼` for critical ones (nothing learned, reward gamed), `⚠` for trends to act on.
 */
export function warningLines(health: readonly HealthWarning[]): string[] {
  return health.map((w) => `  ${w.severity === 'critical' ? '‼' : '⚠'} ${w.message}`);
}
