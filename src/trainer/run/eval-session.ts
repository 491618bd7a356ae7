/**
 * `rlvr eval`: pass@k of a base model and of a run's checkpoints on held-out tasks, measured with
 * the same sampling settings, verifier and tasks, so the curves can be compared. Results are
 * stored as evaluations of the run when one is given.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { TrainConfig } from '../config/config';
import { RlvrError } from '../errors';
import { workspaceFileReader } from '../mining/workspace-reader';
import { renderTaskPrompt, type PromptMessage } from '../tasks/prompt';
import { isTask, type Task } from '../tasks/task';
import { LanguagePools } from '../verifier/language-pools';
import { evaluatePassAtK, type EvaluationResult } from './evaluate';
import { PoolVerifier } from './pool-verifier';
import { startPolicy } from './train-setup';
import { rewardConfigOf } from './training-loop';
import { WorkerPolicy } from './worker-policy';

export interface EvalTarget {
  label: string;
  model: string;
  /** A checkpoint saved by `rlvr train` to load over the model (adapter or full weights). */
  checkpoint: string | null;
}

export interface EvalRequest {
  workspace: string;
  tasks: Task[];
  config: TrainConfig;
  targets: EvalTarget[];
  n: number;
  ks: number[];
  python?: string | undefined;
  unsafeNoSandbox?: boolean;
  log: (line: string) => void;
}

export async function evaluateTargets(request: EvalRequest): Promise<EvaluationResult[]> {
  if (request.tasks.length === 0) throw new RlvrError('no held-out tasks to evaluate', 'bad_input', 'use --tasks all, or a run with heldOutFraction > 0');
  const badK = request.ks.find((k) => !Number.isInteger(k) || k < 1 || k > request.n);
  if (badK !== undefined) throw new RlvrError(`--k values must be integers between 1 and n (${request.n}), got ${badK}`, 'bad_input');
  const workspace = resolve(request.workspace);
  const pools = new LanguagePools({ workspace, ...(request.python ? { python: request.python } : {}), unsafeNoSandbox: request.unsafeNoSandbox ?? false });
  const readFile = workspaceFileReader(workspace);
  const prompts = new Map(request.tasks.map((t) => [t.id, renderTaskPrompt(t, readFile)]));
  const promptFor = (task: Task): PromptMessage[] => prompts.get(task.id) ?? renderTaskPrompt(task, readFile);
  const results: EvaluationResult[] = [];
  try {
    for (const target of request.targets) {
      const started = await startPolicy(target.model, request.config, { python: request.python, workspace });
      try {
        const policy = new WorkerPolicy(started.worker);
        if (target.checkpoint) await policy.load(target.checkpoint);
        const result = await evaluatePassAtK(request.tasks, promptFor, policy, new PoolVerifier(pools, workspace), rewardConfigOf(request.config), {
          label: target.label, n: request.n, ks: request.ks, temperature: request.config.temperature, topP: request.config.topP,
          maxNewTokens: request.config.maxNewTokens, seed: request.config.seed + 7919, chunkSize: 8,
        });
        request.log(`${target.label}: ${Object.entries(result.passAtK).map(([k, v]) => `pass@${k} ${(v * 100).toFixed(1)}%`).join(', ')}`);
        results.push(result);
      } finally {
        await started.worker.close().catch(() => undefined);
      }
    }
  } finally {
    await pools.close();
  }
  return results;
}

/** The checkpoints `rlvr train` saved for a run, oldest first: `<ws>/.rlvr/checkpoints/<run>/step-N`. */
export function runCheckpoints(workspace: string, runId: string): { step: number; dir: string }[] {
  const root = join(resolve(workspace), '.rlvr', 'checkpoints', runId);
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .map((name) => ({ name, m: /^step-(\d+)$/.exec(name) }))
    .filter((e): e is { name: string; m: RegExpExecArray } => e.m !== null)
    .map((e) => ({ step: Number(e.m[1]), dir: join(root, e.name) }))
    .sort((a, b) => a.step - b.step);
}

/** Tasks stored with a run (re-validated: the store is input like any other). */
export function storedTasks(rows: { split: string; task: unknown }[], split: 'train' | 'eval' | 'all'): Task[] {
  return rows.filter((r) => split === 'all' || r.split === split).map((r) => {
    if (!isTask(r.task)) throw new RlvrError('a task stored with this run is malformed', 'bad_input', 'the store may be from an incompatible version');
    return r.task;
  });
}
