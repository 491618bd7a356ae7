/**
 * How long a candidate may run. Scaled from the task's baseline (the original code's test time):
 * a correct candidate may be slower than the original, but not by orders of magnitude, and a
 * loop should cost seconds, not minutes.
 */
import type { Task } from '../tasks/task';

export const MIN_TIMEOUT_S = 2;
export const BASELINE_FACTOR = 20;
/** Fork, splice, import of the spliced module, report: measured in tens of ms; 1 s leaves room under load. */
export const FORK_OVERHEAD_S = 1;
/** After the candidate's own limit the server still has to kill it and reply. */
export const REPLY_GRACE_S = 5;
/** The server's upper bound (rlvr_verify protocol.py MAX_TIMEOUT_S). */
export const MAX_TIMEOUT_S = 600;

export function candidateTimeoutSeconds(task: Pick<Task, 'baselineSeconds'>): number {
  const scaled = Math.max(MIN_TIMEOUT_S, BASELINE_FACTOR * task.baselineSeconds) + FORK_OVERHEAD_S;
  return Math.min(MAX_TIMEOUT_S, Math.round(scaled * 1000) / 1000);
}

/** When the pool stops waiting for a reply and treats the server as hung. */
export function replyDeadlineMs(timeoutSeconds: number): number {
  return Math.ceil((timeoutSeconds + REPLY_GRACE_S) * 1000);
}
