/**
 * Everything a training session needs before its first step: usable tasks (mined, then checked
 * against ground truth), a policy in the worker, and the worker's load parameters from the config.
 */
import { availableParallelism } from 'node:os';
import type { TrainConfig } from '../config/config';
import { RlvrError } from '../errors';
import { mineTasks } from '../mining';
import type { Task } from '../tasks/task';
import { groundTruthCheck } from '../verifier';
import type { LanguagePools } from '../verifier/language-pools';
import { WorkerClient } from '../worker-client';
import type { LoadPolicyParams, LoadPolicyResult } from '../../shared/protocol/worker-protocol.generated';

export interface UsableTasks {
  tasks: Task[];
  excluded: { id: string; symbol: string; reason: string }[];
  mined: number;
}

/** Mines the workspace and keeps the tasks whose original passes and whose stub fails. */
export async function prepareTasks(
  workspace: string,
  pools: LanguagePools,
  options: { python?: string | undefined; unsafeNoSandbox?: boolean | undefined; log: (line: string) => void },
): Promise<UsableTasks> {
  const mined = await mineTasks({
    workspace, ...(options.python ? { python: options.python } : {}), unsafeNoSandbox: options.unsafeNoSandbox ?? false,
  });
  options.log(`mined ${mined.tasks.length} tasks from ${mined.tests.length} tests${mined.fromCache ? ' (cached)' : ''}`);
  const truth = await groundTruthCheck(mined.tasks, pools.forTask, { workspace });
  const excluded = truth.reports.filter((r) => !r.ok).map((r) => ({ id: r.id, symbol: r.symbol, reason: r.reason ?? 'failed ground truth' }));
  for (const e of excluded) options.log(`excluded ${e.symbol} (${e.id}): ${e.reason}`);
  if (truth.passing.length === 0) {
    throw new RlvrError(`no task of ${workspace} passed the ground-truth check`, 'no_tasks',
      'run `rlvr verify --workspace DIR --ground-truth` to see why each task failed');
  }
  return { tasks: truth.passing, excluded, mined: mined.tasks.length };
}

export function loadPolicyParams(model: string, config: TrainConfig): LoadPolicyParams {
  return {
    model,
    device: config.device,
    dtype: 'auto',
    attn_implementation: 'auto',
    cpu_threads: workerThreads(config),
    seed: config.seed,
    lora: config.lora
      ? { rank: config.loraRank, alpha: config.loraAlpha, dropout: 0, target_modules: [...config.loraTargets] }
      : null,
    gradient_checkpointing: config.gradientCheckpointing,
    beta: config.beta,
    optimizer: {
      learning_rate: config.learningRate,
      weight_decay: config.weightDecay,
      betas: [0.9, 0.999],
      eps: 1e-8,
      schedule: config.lrSchedule,
      warmup_steps: config.warmupSteps,
      total_steps: config.steps,
      max_grad_norm: config.maxGradNorm,
    },
  };
}

/**
 * Torch threads for the worker. Taking every core oversubscribes small machines: the verifier's
 * sandboxed test processes run beside the worker, and on 2 busy cores 2 torch threads generated
 * 2–20× slower than 1 (BENCHMARKS.md, grpo and worker notes).
 */
export function workerThreads(config: TrainConfig, cores = availableParallelism()): number {
  return config.cpuThreads > 0 ? config.cpuThreads : Math.max(1, Math.floor(cores / 2));
}

export interface StartedPolicy {
  worker: WorkerClient;
  loaded: LoadPolicyResult;
}

/** Starts the worker and loads the policy; a failed load shuts the worker down again. */
export async function startPolicy(
  model: string,
  config: TrainConfig,
  options: { python?: string | undefined; workspace: string; onStderrLine?: (line: string) => void },
): Promise<StartedPolicy> {
  const worker = await WorkerClient.start({
    python: options.python, workspace: options.workspace,
    ...(options.onStderrLine ? { onStderrLine: options.onStderrLine } : {}),
  });
  try {
    const loaded = await worker.request('load_policy', loadPolicyParams(model, config));
    return { worker, loaded };
  } catch (error) {
    await worker.close().catch(() => undefined);
    throw error;
  }
}
