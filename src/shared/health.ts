/**
 * Training-health warnings as they cross process boundaries: the trainer computes them
 * (src/trainer/analysis/health), the store keeps them (`step_warnings`), `rlvr train --events`
 * emits them, and the dashboard marks them on its charts. Pure: no environment APIs.
 */

/** One code per monitor (docs/analysis.md "Training health"). New codes may be added. */
export const HEALTH_CODES = [
  'no_signal', 'zero_std', 'entropy_collapse', 'length_growth', 'truncation', 'reward_hacking', 'kl_drift',
] as const;
export type HealthCode = (typeof HEALTH_CODES)[number];

/** `critical`: the step taught nothing or the reward is being gamed; `warning`: a trend to act on. */
export type HealthSeverity = 'warning' | 'critical';

export interface HealthWarning {
  code: HealthCode;
  severity: HealthSeverity;
  /** One or two sentences: what happened, with the numbers, and what to change. */
  message: string;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const CODES = new Set<string>(HEALTH_CODES);

/** The well-formed warnings of an untrusted list (a store row, an event line); others are dropped. */
export function parseHealthWarnings(value: unknown): HealthWarning[] {
  if (!Array.isArray(value)) return [];
  return value.filter((w): w is HealthWarning => isRecord(w) && typeof w.code === 'string' && CODES.has(w.code)
    && (w.severity === 'warning' || w.severity === 'critical') && typeof w.message === 'string')
    .map((w) => ({ code: w.code, severity: w.severity, message: w.message }));
}
