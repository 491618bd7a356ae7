/**
 * The demo: a tiny code model built locally (no downloads), trained with GRPO on the bundled
 * Python example on CPU. The preset fits in 10 CPU-minutes (~5.2 measured, evaluations included);
 * BENCHMARKS.md records what it reaches (`npm run bench -- demo`).
 */
import { availableParallelism, homedir } from 'node:os';
import { join } from 'node:path';
import { WorkerClient } from '../worker-client';
import type { MakeTinyModelResult } from '../../shared/protocol/worker-protocol.generated';

/**
 * Settings layered over the defaults for the tiny model (docs/training.md, "The demo preset", gives
 * the measurements behind them). In short: 4 tasks per step at T=1.0 and lr 3e-4 moved nothing
 * (-0.3 pts over 3 seeds); lr 1e-3 and 3e-3 at T=1.0 degenerated into truncated babble; 8 tasks per
 * step at T=0.8 with truncated completions masked learned steadily without losing entropy. With the
 * two-habit model (build version 3): +12.5 pts; 100 steps (+11.8) and lr 3e-4 (+6.9) did no better.
 */
export const DEMO_PRESET: Record<string, unknown> = {
  steps: 60,
  tasksPerStep: 8,
  groupSize: 8,
  maxNewTokens: 160,
  temperature: 0.8,
  lossType: 'dapo',
  learningRate: 2e-4,
  lrSchedule: 'constant',
  lora: false,
  microBatchSize: 16,
  correctness: 'pass_fraction',
  maskTruncated: true,
  dynamicSampling: true,
  maxRefillRounds: 1,
  checkpointEvery: 10,
  evalSamples: 8,
  evalK: [1, 4, 8],
  heldOutFraction: 0.25,
};

export function cacheDir(): string {
  return process.env.RLVR_CACHE_DIR ?? join(homedir(), '.cache', 'rlvr-studio');
}

export const demoModelDir = (): string => join(cacheDir(), 'models', 'tiny-coder');

/** Builds the tiny model (or reuses an identical earlier build) through the worker. */
export async function ensureDemoModel(
  options: { python?: string | undefined; seed?: number; log: (line: string) => void },
): Promise<MakeTinyModelResult> {
  const worker = await WorkerClient.start({ python: options.python });
  try {
    let lastReport = 0;
    const result = await worker.request('make_tiny_model', {
      dir: demoModelDir(), seed: options.seed ?? 0, pretrain_steps: 1400,
      // A fixed step count (no time cap) so the demo model is the same on every machine; slow ones wait longer.
      max_pretrain_seconds: 7200,
      // Half the cores, like the training worker (train-setup.ts workerThreads): on a busy 2-core
      // machine a 2-thread build slowed to ~7 s/step where 1 thread kept ~1 s/step.
      cpu_threads: Math.max(1, Math.floor(availableParallelism() / 2)),
    }, {
      onProgress: (p) => {
        if (Date.now() - lastReport < 5000) return;
        lastReport = Date.now();
        options.log(`building the tiny model: ${p.stage} ${p.done}/${p.total}${p.message ? ` ${p.message}` : ''}`);
      },
    });
    options.log(result.cached
      ? `tiny model: reusing ${result.dir}`
      : `tiny model: built ${result.dir} (${result.parameters} parameters, ${result.steps_done} pretraining steps, ${result.time_s.toFixed(0)} s)`);
    return result;
  } finally {
    await worker.close().catch(() => undefined);
  }
}
