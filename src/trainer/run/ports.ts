/**
 * What the training loop needs from the outside world, as narrow interfaces. The real
 * implementations wrap the Python worker, the sandboxed verifier pool and the SQLite store
 * (see adapters.ts); tests pass fakes, so the loop's logic is tested without processes.
 */
import type { Task } from '../tasks/task';
import type { PromptMessage } from '../tasks/prompt';

export interface GenerationSettings {
  n: number;
  temperature: number;
  topP: number;
  maxNewTokens: number;
  seed: number | null;
}

export interface GeneratedSample {
  tokenIds: number[];
  text: string;
  /** Per completion token, under the temperature-scaled sampling distribution. */
  logprobs: number[];
  entropies: number[];
  /**
   * Per completion token, its end offset in `text` (UTF-16 units): token i is
   * `text.slice(end[i-1], end[i])`. Null or absent when the producer could not tell.
   */
  tokenOffsets?: number[] | null;
  finishReason: 'stop' | 'length';
}

export interface GeneratedGroup {
  promptIndex: number;
  promptTokenIds: number[];
  samples: GeneratedSample[];
}

export interface TrainSequence {
  promptTokenIds: number[];
  completionTokenIds: number[];
  advantage: number;
  oldLogprobs: number[] | null;
  truncated: boolean;
}

export interface TrainSettings {
  lossType: 'grpo' | 'dapo' | 'dr_grpo';
  epsilonLow: number;
  epsilonHigh: number;
  beta: number;
  maskTruncated: boolean;
  microBatchSize: number;
  temperature: number;
  maxCompletionLength: number;
}

export interface TrainStepMetrics {
  step: number;
  loss: number;
  policyLoss: number;
  kl: number;
  clipFractionLow: number;
  clipFractionHigh: number;
  entropy: number;
  gradNorm: number;
  tokens: number;
  learningRate: number;
  seconds: number;
}

/** The policy: the compute worker, seen from the loop. */
export interface PolicyEngine {
  /** Calls onGroup as each prompt's samples are complete (verification can start early). */
  generate(
    prompts: PromptMessage[][],
    settings: GenerationSettings,
    onGroup: (group: GeneratedGroup) => void,
    signal?: AbortSignal,
  ): Promise<GeneratedGroup[]>;
  trainStep(sequences: TrainSequence[], settings: TrainSettings, signal?: AbortSignal): Promise<TrainStepMetrics>;
  save(dir: string): Promise<{ step: number }>;
  load(dir: string): Promise<{ step: number }>;
}

export interface CandidateTestResult {
  id: string;
  outcome: string;
  duration: number;
  message: string | null;
  heldOut: boolean;
}

export interface CandidateVerdict {
  /** Fraction of the task's tests passed; 0 when flagged. */
  reward: number;
  passed: boolean;
  flags: { code: string; message: string }[];
  tests: CandidateTestResult[];
  seconds: number;
}

/** The sandboxed verifier, seen from the loop. */
export interface CandidateVerifier {
  verify(task: Task, code: string, signal?: AbortSignal): Promise<CandidateVerdict>;
}
