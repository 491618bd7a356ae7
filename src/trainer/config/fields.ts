/**
 * Every training setting, its type, default and meaning — one table. The defaults table in
 * docs/training.md is generated from this list (`rlvr config --defaults`), so the two cannot drift.
 * Defaults follow TRL's GRPOConfig and DAPO unless a comment says why not.
 */

export type FieldKind =
  | { type: 'int'; min?: number; max?: number }
  | { type: 'number'; min?: number; max?: number }
  | { type: 'boolean' }
  | { type: 'string' }
  | { type: 'enum'; values: readonly string[] }
  | { type: 'int[]'; min?: number }
  | { type: 'string[]' };

export interface Field {
  kind: FieldKind;
  default: unknown;
  doc: string;
}

export const TRAIN_FIELDS = {
  seed: { kind: { type: 'int', min: 0 }, default: 0, doc: 'Seed for task sampling, generation and the worker.' },
  steps: { kind: { type: 'int', min: 1 }, default: 100, doc: 'Optimizer steps to run.' },
  tasksPerStep: { kind: { type: 'int', min: 1 }, default: 4, doc: 'Prompts (tasks) per step, B.' },
  groupSize: { kind: { type: 'int', min: 2 }, default: 8, doc: 'Completions per prompt, G (TRL num_generations).' },
  temperature: { kind: { type: 'number', min: 0.01, max: 5 }, default: 1.0, doc: 'Sampling temperature (TRL default 1.0).' },
  topP: { kind: { type: 'number', min: 0.01, max: 1 }, default: 1.0, doc: 'Nucleus sampling threshold.' },
  maxNewTokens: { kind: { type: 'int', min: 8 }, default: 256, doc: 'Completion length cap, L_max (TRL max_completion_length).' },
  lossType: { kind: { type: 'enum', values: ['grpo', 'dapo', 'dr_grpo'] }, default: 'dapo', doc: 'Token-loss aggregation (TRL default dapo).' },
  advantageScaling: { kind: { type: 'enum', values: ['std', 'none'] }, default: 'std', doc: 'Divide group-centred rewards by the group std (none = Dr. GRPO).' },
  epsilonLow: { kind: { type: 'number', min: 0, max: 1 }, default: 0.2, doc: 'Lower clip range ε_low.' },
  epsilonHigh: { kind: { type: 'number', min: 0, max: 1 }, default: 0.28, doc: 'Upper clip range ε_high (DAPO clip-higher).' },
  beta: { kind: { type: 'number', min: 0 }, default: 0.0, doc: 'k3 KL weight; 0 loads no reference model (TRL default).' },
  learningRate: { kind: { type: 'number', min: 0 }, default: 1e-6, doc: 'AdamW learning rate (TRL default; tiny models want ~1e-4).' },
  weightDecay: { kind: { type: 'number', min: 0 }, default: 0.0, doc: 'AdamW weight decay.' },
  warmupSteps: { kind: { type: 'int', min: 0 }, default: 0, doc: 'Linear warm-up steps.' },
  lrSchedule: { kind: { type: 'enum', values: ['constant', 'linear', 'cosine'] }, default: 'linear', doc: 'Learning-rate schedule after warm-up (TRL default linear).' },
  maxGradNorm: { kind: { type: 'number', min: 0 }, default: 1.0, doc: 'Gradient clipping norm.' },
  microBatchSize: { kind: { type: 'int', min: 1 }, default: 8, doc: 'Sequences per forward/backward; gradients accumulate over the step.' },
  correctness: { kind: { type: 'enum', values: ['all_pass', 'pass_fraction'] }, default: 'pass_fraction', doc: 'Correctness reward: 1 only if all tests pass, or the fraction passed.' },
  formatWeight: { kind: { type: 'number', min: 0, max: 1 }, default: 0.1, doc: 'Weight of the format reward (think block + one code block).' },
  overlongBuffer: { kind: { type: 'int', min: 0 }, default: 0, doc: 'DAPO soft overlong buffer L_cache in tokens; 0 disables the shaping.' },
  maskTruncated: { kind: { type: 'boolean' }, default: false, doc: 'Exclude truncated completions from the loss (DAPO overlong filtering).' },
  dynamicSampling: { kind: { type: 'boolean' }, default: true, doc: 'Drop groups whose rewards are all equal and refill (DAPO).' },
  maxRefillRounds: { kind: { type: 'int', min: 0 }, default: 2, doc: 'Extra generation rounds per step to refill dropped groups.' },
  lora: { kind: { type: 'boolean' }, default: true, doc: 'Train a LoRA adapter (false: full fine-tune).' },
  loraRank: { kind: { type: 'int', min: 1 }, default: 16, doc: 'LoRA rank r.' },
  loraAlpha: { kind: { type: 'number', min: 0 }, default: 32, doc: 'LoRA alpha.' },
  loraTargets: { kind: { type: 'string[]' }, default: ['q_proj', 'k_proj', 'v_proj', 'o_proj'], doc: 'Module names LoRA wraps.' },
  gradientCheckpointing: { kind: { type: 'boolean' }, default: false, doc: 'Trade compute for memory (useful on GPUs).' },
  device: { kind: { type: 'enum', values: ['auto', 'cpu', 'cuda'] }, default: 'auto', doc: 'auto = CUDA (bf16) when usable, else CPU (fp32).' },
  cpuThreads: { kind: { type: 'int', min: 0 }, default: 0, doc: 'Torch CPU threads of the worker; 0 = half the cores (the sandboxed verifier needs the rest).' },
  checkpointEvery: { kind: { type: 'int', min: 0 }, default: 10, doc: 'Save a resumable checkpoint every N steps (0: only at the end).' },
  evalEvery: { kind: { type: 'int', min: 0 }, default: 0, doc: 'Evaluate pass@k on held-out tasks every M steps (0: only at start and end).' },
  evalSamples: { kind: { type: 'int', min: 1 }, default: 8, doc: 'Samples per held-out task for pass@k (n).' },
  evalK: { kind: { type: 'int[]', min: 1 }, default: [1, 4, 8], doc: 'k values reported for pass@k.' },
  heldOutFraction: { kind: { type: 'number', min: 0, max: 0.9 }, default: 0.25, doc: 'Fraction of tasks kept out of training for evaluation.' },
  verifierWorkers: { kind: { type: 'int', min: 0 }, default: 0, doc: 'Sandboxed verifier processes (0: one per CPU core).' },
} as const satisfies Record<string, Field>;

export type TrainFieldName = keyof typeof TRAIN_FIELDS;
