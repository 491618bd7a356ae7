/** The one set of run settings both trainers get (mapped onto our config keys and TRL's GRPOConfig). */
import { availableParallelism } from 'node:os';
import { defaultConfig } from '../../src/trainer/config/config';

export interface BenchSettings {
  seed: number;
  /** Warm-up step(s) plus measured steps. */
  steps: number;
  warmupSteps: 0;
  tasksPerStep: number;
  groupSize: number;
  temperature: number;
  topP: number;
  maxNewTokens: number;
  lossType: 'grpo' | 'dapo' | 'dr_grpo';
  advantageScaling: 'std' | 'none';
  epsilonLow: number;
  epsilonHigh: number;
  learningRate: number;
  weightDecay: number;
  lrSchedule: 'constant' | 'linear' | 'cosine';
  maxGradNorm: number;
  formatWeight: number;
  lora: { rank: number; alpha: number; targets: string[] } | null;
  /** torch threads of both trainers. */
  threads: number;
  /** Our verifier pool size and TRL's reward thread pool. */
  workers: number;
}

export interface SettingsArgs {
  seed: number; steps: number; tasksPerStep: number; groupSize: number; maxNewTokens: number; learningRate: number; lora: boolean;
  /** null: every core, which is what our worker takes by default. */
  torchThreads: number | null;
}

/** Our defaults (which follow TRL's) for everything the command line does not set. */
export function benchSettings(args: SettingsArgs): BenchSettings {
  const d = defaultConfig();
  return {
    seed: args.seed, steps: args.steps, warmupSteps: 0, tasksPerStep: args.tasksPerStep, groupSize: args.groupSize,
    temperature: d.temperature, topP: d.topP, maxNewTokens: args.maxNewTokens, lossType: d.lossType,
    advantageScaling: d.advantageScaling, epsilonLow: d.epsilonLow, epsilonHigh: d.epsilonHigh,
    learningRate: args.learningRate, weightDecay: d.weightDecay, lrSchedule: d.lrSchedule, maxGradNorm: d.maxGradNorm,
    formatWeight: d.formatWeight,
    lora: args.lora ? { rank: d.loraRank, alpha: d.loraAlpha, targets: [...d.loraTargets] } : null,
    threads: args.torchThreads ?? availableParallelism(),
    workers: availableParallelism(),
  };
}

/** snake_case for bench/trl_grpo.py. */
export function trlSettings(s: BenchSettings): Record<string, unknown> {
  return {
    tasks_per_step: s.tasksPerStep, group_size: s.groupSize, max_new_tokens: s.maxNewTokens,
    temperature: s.temperature, top_p: s.topP, loss_type: s.lossType, advantage_scaling: s.advantageScaling,
    epsilon_low: s.epsilonLow, epsilon_high: s.epsilonHigh, learning_rate: s.learningRate,
    lr_schedule: s.lrSchedule, warmup_steps: s.warmupSteps, weight_decay: s.weightDecay,
    max_grad_norm: s.maxGradNorm, format_weight: s.formatWeight, lora: s.lora,
  };
}
