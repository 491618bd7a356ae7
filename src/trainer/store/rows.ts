/** Database rows → the public record types of types.ts (the one place that knows column names). */
import type {
  EvaluationRecord, JsonObject, JsonValue, RunRecord, RunStatus, StepMetricName, StepRecord, TaskSummary,
  TraceKind, TraceSummary,
} from './types';
import { STEP_METRIC_COLUMNS, STEP_METRIC_NAMES } from './types';

export interface RunRow {
  key: number;
  id: string;
  created_at: number;
  updated_at: number;
  status: RunStatus;
  workspace: string;
  model: string;
  config: string;
  seed: number;
  last_step: number;
  checkpoint_dir: string | null;
  checkpoint_step: number | null;
  checkpoint_state: string | null;
  error: string | null;
  writer_pid: number | null;
  writer_host: string | null;
  trace_count: number;
}

export interface TraceRow {
  id: number;
  step: number;
  kind: TraceKind;
  eval_label: string | null;
  task_id: string;
  group_index: number;
  sample_index: number;
  reward_total: number;
  reward_correctness: number;
  reward_format: number;
  reward_overlong: number;
  advantage: number | null;
  prompt_tokens: number;
  completion_tokens: number;
  finish_reason: string;
  passed: number;
  pass_fraction: number | null;
  flagged: number;
  aha_count: number;
  created_at: number;
}

const parseJson = (text: string | null): JsonValue => (text === null ? null : (JSON.parse(text) as JsonValue));
const asObject = (value: JsonValue): JsonObject =>
  (value !== null && typeof value === 'object' && !Array.isArray(value) ? value : {});

export const RUN_SELECT = `SELECT runs.*,
  coalesce((SELECT sum(samples) FROM task_stats s WHERE s.run_key = runs.key), 0) AS trace_count FROM runs`;

export function runFromRow(row: RunRow): RunRecord {
  return {
    id: row.id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    status: row.status,
    workspace: row.workspace,
    model: row.model,
    config: asObject(parseJson(row.config)),
    seed: row.seed,
    lastStep: row.last_step,
    lastCheckpoint: row.checkpoint_dir === null || row.checkpoint_step === null
      ? null
      : { dir: row.checkpoint_dir, step: row.checkpoint_step, state: parseJson(row.checkpoint_state) },
    error: row.error,
    writerPid: row.writer_pid,
    writerHost: row.writer_host,
    traceCount: row.trace_count,
  };
}

export function traceFromRow(row: TraceRow, runId: string): Omit<TraceSummary, 'preview'> {
  return {
    id: row.id,
    runId,
    step: row.step,
    kind: row.kind,
    evalLabel: row.eval_label,
    taskId: row.task_id,
    groupIndex: row.group_index,
    sampleIndex: row.sample_index,
    reward: { total: row.reward_total, correctness: row.reward_correctness, format: row.reward_format, overlong: row.reward_overlong },
    advantage: row.advantage,
    promptTokens: row.prompt_tokens,
    completionTokens: row.completion_tokens,
    finishReason: row.finish_reason,
    passed: row.passed === 1,
    passFraction: row.pass_fraction,
    flagged: row.flagged === 1,
    ahaCount: row.aha_count,
    createdAt: row.created_at,
  };
}

export type StepRow = { step: number; created_at: number; extra: string } & Record<string, number | string | null>;

/** NaN cannot be stored in SQLite (it becomes NULL); the writer notes it in extra.nonFinite. */
export function stepFromRow(row: StepRow, names: readonly StepMetricName[] = STEP_METRIC_NAMES): StepRecord {
  const extra = row.extra === '{}' ? {} : asObject(parseJson(row.extra));
  const nonFinite = asObject(extra.nonFinite ?? null);
  const metrics: Partial<Record<StepMetricName, number | null>> = {};
  for (const name of names) {
    const value = row[STEP_METRIC_COLUMNS[name]];
    metrics[name] = typeof value === 'number' ? value : nonFinite[name] === 'NaN' ? Number.NaN : null;
  }
  return { step: row.step, createdAt: row.created_at, metrics, extra, health: [] };
}

export interface EvaluationRow {
  label: string;
  step: number;
  checkpoint: string | null;
  n: number;
  tasks: string;
  pass_at_k: string;
  regression: number | null;
  curve: string | null;
  created_at: number;
}

export function evaluationFromRow(row: EvaluationRow, runId: string): EvaluationRecord {
  return {
    runId,
    label: row.label,
    step: row.step,
    checkpoint: row.checkpoint,
    n: row.n,
    tasks: JSON.parse(row.tasks) as EvaluationRecord['tasks'],
    passAtK: JSON.parse(row.pass_at_k) as Record<string, number>,
    regression: row.regression === null ? null : row.regression === 1,
    curve: row.curve === null ? null : JSON.parse(row.curve) as number[],
    createdAt: row.created_at,
  };
}

export interface TaskStatsRow {
  task_id: string;
  kind: TraceKind;
  samples: number;
  passed: number;
  best_trace_id: number;
  best_reward: number;
  last_step: number;
}

export function taskSummaryFromRow(row: TaskStatsRow): TaskSummary {
  return {
    taskId: row.task_id, kind: row.kind, samples: row.samples, passed: row.passed,
    bestTraceId: row.best_trace_id, bestReward: row.best_reward, lastStep: row.last_step,
  };
}
