/**
 * What goes into the trace store and what comes out. Inputs are what the training loop has at
 * hand; outputs are plain objects for the CLI and the side panel. Timestamps are Unix milliseconds.
 */

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export type RunStatus = 'running' | 'completed' | 'stopped' | 'failed';
export const RUN_STATUSES: readonly RunStatus[] = ['running', 'completed', 'stopped', 'failed'];

export type TraceKind = 'train' | 'eval';
export type TaskSplit = 'train' | 'eval';

export interface NewRun {
  /** Letters, digits, `.`, `_`, `-`; generated (`r-YYYYMMDD-HHMMSS-xxxx`) when absent. */
  id?: string;
  workspace: string;
  model: string;
  /** The resolved, validated config; stored as JSON. */
  config: object;
  seed: number;
}

export interface RunCheckpoint {
  dir: string;
  step: number;
  /** Whatever else resume needs (e.g. the task sampler's position). */
  state: JsonValue;
}

export interface RunUpdate {
  status?: RunStatus;
  lastStep?: number;
  checkpoint?: RunCheckpoint;
  /** null clears an earlier error (a resumed run). */
  error?: string | null;
}

export interface RunRecord {
  id: string;
  createdAt: number;
  updatedAt: number;
  status: RunStatus;
  workspace: string;
  model: string;
  config: JsonObject;
  seed: number;
  lastStep: number;
  lastCheckpoint: RunCheckpoint | null;
  error: string | null;
  writerPid: number | null;
  writerHost: string | null;
  /** Traces stored for the run (train and eval). */
  traceCount: number;
}

/** Per-step metrics; each is a REAL column of `steps`. Missing ones are stored as NULL. */
export const STEP_METRIC_COLUMNS = {
  rewardMean: 'reward_mean',
  rewardStd: 'reward_std',
  passRate: 'pass_rate',
  fracZeroStd: 'frac_zero_std',
  groupsDropped: 'groups_dropped',
  entropy: 'entropy',
  kl: 'kl',
  clipLow: 'clip_low',
  clipHigh: 'clip_high',
  gradNorm: 'grad_norm',
  loss: 'loss',
  learningRate: 'learning_rate',
  completionLenMean: 'completion_len_mean',
  truncationRate: 'truncation_rate',
  flaggedRate: 'flagged_rate',
  ahaPer1k: 'aha_per_1k',
  fixRate: 'fix_rate',
  tokens: 'tokens',
  tokensPerS: 'tokens_per_s',
  genS: 'gen_s',
  verifyS: 'verify_s',
  trainS: 'train_s',
} as const;

export type StepMetricName = keyof typeof STEP_METRIC_COLUMNS;
export const STEP_METRIC_NAMES = Object.keys(STEP_METRIC_COLUMNS) as StepMetricName[];

/** A training-health warning of a step (src/shared/health.ts); one `step_warnings` row. */
export interface StepWarning {
  /** The monitor's code (`entropy_collapse`, `no_signal`, …). */
  code: string;
  severity: 'warning' | 'critical';
  message: string;
}

export type StepMetricsInput = Partial<Record<StepMetricName, number | null>> & {
  /** Warnings and metrics without a column yet. */
  extra?: JsonObject;
  /** The step's training-health warnings; recording the step again replaces them. */
  health?: readonly StepWarning[];
};

export interface StepRecord {
  step: number;
  createdAt: number;
  /**
   * Every metric asked for (all by default); null when not recorded. NaN comes back as NaN (stored
   * as NULL plus a note in `extra.nonFinite`).
   */
  metrics: Partial<Record<StepMetricName, number | null>>;
  extra: JsonObject;
  /** Training-health warnings, in the order they were raised. */
  health: StepWarning[];
}

export interface RunTaskInput {
  taskId: string;
  split: TaskSplit;
  /** The Task object (src/trainer/tasks/task.ts), stored as JSON. */
  task: object;
}

export interface TestResultInput {
  testId: string;
  outcome: string;
  /** Seconds. */
  duration: number | null;
  message: string | null;
  heldOut: boolean;
}

export interface FlagInput {
  code: string;
  message: string;
}

export type AhaPhase = 'exploration' | 'reflection';
export type AhaConsequence = 'confirm' | 'fix' | 'regress' | 'churn';

export interface AhaEventInput {
  category: string;
  cue: string;
  /** UTF-16 offsets into the completion. */
  charStart: number;
  charEnd: number;
  tokenIndex: number | null;
  /** Where in the completion, 0..1. */
  position: number;
  phase: AhaPhase;
  consequence: AhaConsequence | null;
  entropy: number | null;
  forking: boolean;
}

export type NumberArray = ArrayLike<number>;

/** Per-token statistics of the completion; every array has one entry per completion token. */
export interface TokenStatsInput {
  ids: NumberArray;
  logprobs: NumberArray;
  entropies?: NumberArray | null;
  /** End offset (UTF-16 units) of each token's text in the completion; token i spans [end[i-1], end[i]). */
  offsets?: NumberArray | null;
}

export interface TokenStats {
  ids: Int32Array;
  logprobs: Float32Array;
  entropies: Float32Array | null;
  offsets: Uint32Array | null;
}

export interface RewardParts {
  total: number;
  correctness: number;
  format: number;
  overlong: number;
}

export interface TraceInput {
  runId: string;
  step: number;
  kind: TraceKind;
  /** The evaluation this sample belongs to ("base", "step-50"); null for training samples. */
  evalLabel?: string | null;
  taskId: string;
  /** Index of the group within its step (and evaluation). */
  groupIndex: number;
  sampleIndex: number;
  prompt: string;
  completion: string;
  think: string | null;
  answer: string | null;
  code: string | null;
  reward: RewardParts;
  /** null when the group was not trained on (dropped by dynamic sampling, or evaluation). */
  advantage: number | null;
  promptTokens: number;
  completionTokens: number;
  finishReason: string;
  passed: boolean;
  /** null when nothing was verified (no code). */
  passFraction: number | null;
  tests?: readonly TestResultInput[];
  tokens?: TokenStatsInput | null;
  flags?: readonly FlagInput[];
  ahaEvents?: readonly AhaEventInput[];
  createdAt?: number;
}

/** A light trace row for lists: no texts but a preview, no token arrays. */
export interface TraceSummary {
  id: number;
  runId: string;
  step: number;
  kind: TraceKind;
  evalLabel: string | null;
  taskId: string;
  groupIndex: number;
  sampleIndex: number;
  reward: RewardParts;
  advantage: number | null;
  promptTokens: number;
  completionTokens: number;
  finishReason: string;
  passed: boolean;
  passFraction: number | null;
  flagged: boolean;
  ahaCount: number;
  createdAt: number;
  /** The first 200 characters of the completion. */
  preview: string;
}

export type TestResult = TestResultInput;
export type AhaEvent = AhaEventInput;
export type Flag = FlagInput;

export interface TraceDetail extends Omit<TraceSummary, 'preview'> {
  prompt: string;
  completion: string;
  think: string | null;
  answer: string | null;
  code: string | null;
  tests: TestResult[];
  tokens: TokenStats | null;
  flags: Flag[];
  ahaEvents: AhaEvent[];
}

export interface EvaluationInput {
  runId: string;
  /** Unique within the run ("base", "step-50"); recording a label again replaces it. */
  label: string;
  step: number;
  checkpoint: string | null;
  n: number;
  tasks: readonly { taskId: string; n: number; c: number }[];
  /** pass@k by k, e.g. {"1": 0.31, "4": 0.52}. */
  passAtK: Readonly<Record<string, number>>;
  /** pass@1 rose while pass@max-k fell against the base; null when not compared. */
  regression: boolean | null;
  /** pass@k for every k = 1..n (index k − 1); absent or null when not measured. */
  curve?: readonly number[] | null;
}

export interface EvaluationRecord extends Omit<EvaluationInput, 'tasks' | 'passAtK' | 'curve'> {
  tasks: { taskId: string; n: number; c: number }[];
  passAtK: Record<string, number>;
  /** null for evaluations recorded without it (or before schema version 2). */
  curve: number[] | null;
  createdAt: number;
}

export interface TaskSummary {
  taskId: string;
  kind: TraceKind;
  samples: number;
  passed: number;
  bestTraceId: number;
  bestReward: number;
  lastStep: number;
}
