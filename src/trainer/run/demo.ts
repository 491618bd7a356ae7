/**
 * The demo: a tiny code model built locally (no downloads), trained with GRPO on the bundled
 * Python example on CPU. The preset is sized for ~10 CPU-minutes on 2 cores; BENCHMARKS.md
 * records what it reaches.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { WorkerClient } from '../worker-client';
import type { MakeTinyModelResult } from '../../shared/protocol/worker-protocol.generated';

/** Settings layered over the defaults for the tiny model (docs/training.md explains each). */
export const DEMO_PRESET: Record<string, unknown> = {
  steps: 30,
  tasksPerStep: 4,
  groupSize: 8,
  maxNewTokens: 160,
  temperature: 1.0,
  lossType: 'dapo',
  learningRate: 3e-4,
  lrSchedule: 'constant',
  lora: false,
  microBatchSize: 16,
  correctness: 'pass_fraction',
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
