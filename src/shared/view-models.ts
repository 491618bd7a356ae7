/**
 * Plain-JSON shapes the extension host sends to the webviews. They mirror the trace store's
 * records (src/trainer/store/types.ts) but live here because webviews may not import trainer code;
 * the host maps store objects to these (typed arrays become number[], so they survive
 * `postMessage` and `setState`). test/unit/webview-view-models.test.ts keeps the metric names in
 * step with the store.
 */
import type { HealthWarning } from './health';

export type TraceKindVM = 'train' | 'eval';
export type TraceSortKey = 'reward' | 'step' | 'length' | 'id';
export type SortOrderVM = 'asc' | 'desc';
export type HeatmapMode = 'off' | 'entropy' | 'logprob';
export const HEATMAP_MODES: readonly HeatmapMode[] = ['off', 'entropy', 'logprob'];
export const TRACE_SORT_KEYS: readonly TraceSortKey[] = ['reward', 'step', 'length', 'id'];

/** Detector cue families (src/trainer/analysis/aha/types.ts `CueCategory`); unknown ones render as `other`. */
export const AHA_CATEGORIES = ['pause', 'verify', 'backtrack', 'reconsider', 'code'] as const;
export type AhaCategoryVM = (typeof AHA_CATEGORIES)[number];
export type AhaConsequenceVM = 'confirm' | 'fix' | 'regress' | 'churn';

export interface RewardPartsVM {
  total: number;
  correctness: number;
  format: number;
  overlong: number;
}

export interface RunVM {
  id: string;
  status: 'running' | 'completed' | 'stopped' | 'failed';
  model: string;
  lastStep: number;
  traceCount: number;
  createdAt: number;
}

/** One row of the trace list (the store's `TraceSummary`). */
export interface TraceRowVM {
  id: number;
  runId: string;
  step: number;
  kind: TraceKindVM;
  evalLabel: string | null;
  taskId: string;
  groupIndex: number;
  sampleIndex: number;
  reward: RewardPartsVM;
  /** null when the group was not trained on. */
  advantage: number | null;
  promptTokens: number;
  completionTokens: number;
  finishReason: string;
  passed: boolean;
  passFraction: number | null;
  flagged: boolean;
  ahaCount: number;
  createdAt: number;
  /** The first ~200 characters of the completion. Untrusted model text. */
  preview: string;
}

export interface TestResultVM {
  testId: string;
  outcome: string;
  /** Seconds. */
  duration: number | null;
  message: string | null;
  heldOut: boolean;
}

export interface FlagVM {
  code: string;
  message: string;
}

export interface AhaEventVM {
  /** Normally an `AhaCategoryVM`; kept as string so a newer detector's categories still arrive. */
  category: string;
  cue: string;
  /** [charStart, charEnd) in UTF-16 units of the completion. */
  charStart: number;
  charEnd: number;
  tokenIndex: number | null;
  /** 0..1 through the think text. */
  position: number;
  phase: 'exploration' | 'reflection';
  consequence: AhaConsequenceVM | null;
  entropy: number | null;
  forking: boolean | null;
}

/** Per-token statistics of the completion, one entry per token in every array. */
export interface TokenStatsVM {
  logprobs: number[];
  entropies: number[] | null;
  /** End offset (UTF-16 units) of each token in the completion: token i spans [offsets[i-1], offsets[i]). */
  offsets: number[] | null;
  /** Decoded token texts, used for the heatmap when `offsets` is missing. Untrusted. */
  pieces: string[] | null;
}

export type SourceLanguage = 'python' | 'typescript' | 'javascript' | 'plain';

/** The task's function as it is in the workspace: the diff's left side and the jump target. */
export interface OriginalFunctionVM {
  /** Workspace-relative path, for display only. */
  file: string;
  /** 1-based line of the function's definition. */
  line: number;
  source: string;
  language: SourceLanguage;
}

/** Everything the trace panel shows (the store's `TraceDetail` plus the original function). */
export interface TraceDetailVM extends Omit<TraceRowVM, 'preview'> {
  prompt: string;
  completion: string;
  think: string | null;
  answer: string | null;
  code: string | null;
  tests: TestResultVM[];
  tokens: TokenStatsVM | null;
  flags: FlagVM[];
  ahaEvents: AhaEventVM[];
  /** null when the task's function could not be located (deleted file, other workspace). */
  original: OriginalFunctionVM | null;
}

/** One sample of a GRPO group, for the side-by-side group view. */
export interface GroupMemberVM extends TraceRowVM {
  /** The extracted code answer; null when there was none. Untrusted. */
  code: string | null;
}

/** Per-step metric names, the same as the store's `StepMetricName`. */
export const STEP_METRIC_KEYS = [
  'rewardMean', 'rewardStd', 'passRate', 'fracZeroStd', 'groupsDropped', 'entropy', 'kl', 'clipLow',
  'clipHigh', 'gradNorm', 'loss', 'learningRate', 'completionLenMean', 'truncationRate', 'flaggedRate',
  'ahaPer1k', 'fixRate', 'tokens', 'tokensPerS', 'genS', 'verifyS', 'trainS',
] as const;
export type StepMetricKey = (typeof STEP_METRIC_KEYS)[number];

export interface StepVM {
  step: number;
  createdAt: number;
  /** Missing or NaN metrics are null. */
  metrics: Partial<Record<StepMetricKey, number | null>>;
  /** The step's `extra.warnings` (plain-language training-health warnings). */
  warnings: string[];
  /** The same warnings with their monitor code and severity (src/shared/health.ts); absent from older hosts. */
  health?: HealthWarning[];
}

export interface EvaluationVM {
  /** "base", "step-50", ... */
  label: string;
  step: number;
  checkpoint: string | null;
  n: number;
  /** pass@k by k, e.g. {"1": 0.31, "4": 0.52}. */
  passAtK: Record<string, number>;
  /** Set by the trainer: pass@1 rose while pass@max-k fell against the base; null when not compared. */
  regression: boolean | null;
  /** pass@k for every k = 1..n (index k − 1); null or absent when not measured. */
  curve?: number[] | null;
  createdAt: number;
}
