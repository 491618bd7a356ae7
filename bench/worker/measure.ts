/** Small pure helpers of the worker benchmark: statistics, process memory, the training batch. */
import { readFileSync } from 'node:fs';
import type { Group, TrainSequence } from '../../src/shared/protocol/worker-protocol';
import { seededRandom } from '../../src/trainer/run/task-sampler';
import { machine } from '../common/machine';
export { machine };

export interface Spread { mean: number; sd: number; min: number; max: number; n: number }

export function spread(xs: readonly number[]): Spread {
  const n = xs.length;
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  const sd = n > 1 ? Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (n - 1)) : 0;
  return { mean, sd, min: Math.min(...xs), max: Math.max(...xs), n };
}

/** `mean ± sd (min–max)` with `digits` decimals. */
export function formatSpread(s: Spread, digits = 0): string {
  const f = (x: number): string => x.toFixed(digits);
  return `${f(s.mean)} ± ${f(s.sd)} (${f(s.min)}–${f(s.max)})`;
}

export interface ProcMemory { hwmMiB: number; rssMiB: number }

/** VmHWM (peak resident set) and VmRSS of a live process, from /proc (Linux only). */
export function procMemory(pid: number): ProcMemory {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string): number => {
    const match = new RegExp(`^${field}:\\s*(\\d+) kB`, 'm').exec(status);
    if (!match?.[1]) throw new Error(`/proc/${pid}/status has no ${field} line`);
    return Number(match[1]) / 1024;
  };
  return { hwmMiB: kib('VmHWM'), rssMiB: kib('VmRSS') };
}


/** Deterministic [0, 1) stream (the trainer's mulberry32), so reruns train on the same synthetic rewards. */
export const rng = seededRandom;

/**
 * The generated groups as a train_step batch. No verifier runs in this benchmark, so rewards are
 * synthetic (0/1 coin flips); advantages are GRPO's group-centred, std-scaled rewards, and the
 * old logprobs are the ones generate returned, as the controller sends them.
 */
export function trainBatch(groups: readonly Group[], seed: number): TrainSequence[] {
  const coin = rng(seed);
  return groups.flatMap((group) => {
    const rewards = group.samples.map(() => (coin() < 0.5 ? 1 : 0));
    const { mean, sd } = spread(rewards);
    return group.samples.map((sample, i) => ({
      prompt_token_ids: group.prompt_token_ids,
      completion_token_ids: sample.token_ids,
      advantage: ((rewards[i] ?? 0) - mean) / (sd + 1e-4),
      old_logprobs: sample.logprobs,
      truncated: sample.finish_reason === 'length',
    }));
  });
}

/** Generated tokens of a generate result (EOS included, as the worker counts them). */
export function generatedTokens(groups: readonly Group[]): number {
  return groups.reduce((sum, g) => sum + g.samples.reduce((s, x) => s + x.token_ids.length, 0), 0);
}
