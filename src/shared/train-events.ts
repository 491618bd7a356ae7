/**
 * `rlvr train --events`: one JSON object per stdout line, so the VS Code extension (or any tool)
 * can follow a training process without scraping its human-readable log. Version 1; fields are
 * only ever added. Documented in docs/cli.md.
 */
import type { HealthWarning } from './health';

export const TRAIN_EVENTS_VERSION = 1;

export interface StepEventMetrics {
  rewardMean: number;
  rewardStd: number;
  passRate: number;
  fracZeroStd: number;
  groupsDropped: number;
  completionLenMean: number;
  truncationRate: number;
  flaggedRate: number;
  entropy: number;
  tokensPerSecond: number;
  loss: number | null;
  kl: number | null;
}

export type TrainEvent =
  | { type: 'started'; version: number; runId: string; db: string; totalSteps: number; startStep: number }
  | { type: 'log'; line: string }
  /** `warnings`: the messages of `health` (kept for consumers of the first events). */
  | { type: 'step'; runId: string; step: number; totalSteps: number; metrics: StepEventMetrics; warnings: string[]; health?: HealthWarning[] }
  /** `curve`: pass@k for every k = 1..n; `regression`: against the base (null for the base). Both absent from older producers. */
  | { type: 'evaluation'; runId: string; label: string; step: number; passAtK: Record<string, number>; curve?: number[] | null; regression?: boolean | null }
  | { type: 'finished'; runId: string; status: 'completed' | 'stopped'; lastStep: number }
  | { type: 'failed'; runId: string | null; message: string; hint: string | null };

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const REQUIRED: Record<TrainEvent['type'], readonly [string, 'string' | 'number' | 'object'][]> = {
  started: [['runId', 'string'], ['db', 'string'], ['totalSteps', 'number'], ['startStep', 'number']],
  log: [['line', 'string']],
  step: [['runId', 'string'], ['step', 'number'], ['totalSteps', 'number'], ['metrics', 'object'], ['warnings', 'object']],
  evaluation: [['runId', 'string'], ['label', 'string'], ['step', 'number'], ['passAtK', 'object']],
  finished: [['runId', 'string'], ['status', 'string'], ['lastStep', 'number']],
  failed: [['message', 'string']],
};

/** Parses one line of the event stream; null for anything that is not a well-formed known event. */
export function parseTrainEvent(line: string): TrainEvent | null {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return null;
  }
  if (!isRecord(value) || typeof value.type !== 'string' || !(value.type in REQUIRED)) return null;
  const fields = REQUIRED[value.type as TrainEvent['type']];
  const ok = fields.every(([name, kind]) => kind === 'object' ? isRecord(value[name]) || Array.isArray(value[name]) : typeof value[name] === kind);
  return ok ? (value as unknown as TrainEvent) : null;
}
