/**
 * `rlvr train`: one training session from start (or resume) to a stored, resumable end state.
 * Owns the lifetimes of the store, the verifier pools and the worker; the loop itself is pure
 * orchestration over ports (training-loop.ts).
 */
import { join, resolve } from 'node:path';
import { hostname } from 'node:os';
import type { TrainConfig } from '../config/config';
import { resolveConfig } from '../config/config';
import { RlvrError } from '../errors';
import { openStore, type Store, type RunRecord } from '../store';
import { renderTaskPrompt, type PromptMessage } from '../tasks/prompt';
import { workspaceFileReader } from '../mining/workspace-reader';
import type { Task } from '../tasks/task';
import { LanguagePools } from '../verifier/language-pools';
import { evaluatePassAtK, type EvaluationResult } from './evaluate';
import { PoolVerifier } from './pool-verifier';
import { StoreRecorder } from './store-recorder';
import { TaskSampler } from './task-sampler';
import { splitTrainEval } from './train-eval-split';
import { prepareTasks, startPolicy } from './train-setup';
import { rewardConfigOf, runTrainingLoop } from './training-loop';
import { WorkerPolicy } from './worker-policy';
import type { StepMetrics } from './step-metrics';
import type { HealthWarning } from '../../shared/health';
import { isPassAtKRegression } from '../analysis/pass-at-k';
import { HEALTH_METRICS, HealthTracker, healthContextOf, healthPointFromRecord } from './health-tracker';

export interface TrainOptions {
  workspace: string;
  /** Required for a new run; a resumed run uses its stored model. */
  model?: string;
  configLayers: { source: string; values: Record<string, unknown> }[];
  db: string;
  resume?: string;
  python?: string;
  unsafeNoSandbox?: boolean;
  stop: AbortSignal;
  log: (line: string) => void;
  onStep?: (step: number, total: number, metrics: StepMetrics, health: readonly HealthWarning[]) => void;
  onWorkerLog?: (line: string) => void;
  onStarted?: (runId: string, totalSteps: number, startStep: number) => void;
  /** `regression`: pass@k regression against the base (null for the base itself, or without one). */
  onEvaluation?: (runId: string, result: EvaluationResult, step: number, regression: boolean | null) => void;
}

export interface TrainSummary {
  runId: string;
  status: 'completed' | 'stopped';
  lastStep: number;
  base: EvaluationResult | null;
  final: EvaluationResult | null;
  trainTasks: number;
  evalTasks: number;
}

interface RunStart {
  run: RunRecord;
  config: TrainConfig;
  startStep: number;
}

export async function train(options: TrainOptions): Promise<TrainSummary> {
  const workspace = resolve(options.workspace);
  const store = await openStore(options.db);
  try {
    const start = options.resume ? await resumeRun(store, options.resume) : await newRun(store, workspace, options);
    options.onStarted?.(start.run.id, start.config.steps, start.startStep);
    return await trainRun(store, workspace, start, options);
  } finally {
    await store.close();
  }
}

async function newRun(store: Store, workspace: string, options: TrainOptions): Promise<RunStart> {
  if (!options.model) throw new RlvrError('--model is required for a new run', 'bad_input', 'pass --model DIR|HF_ID, or --resume RUN');
  const config = resolveConfig(options.configLayers);
  const run = await store.createRun({ workspace, model: options.model, config, seed: config.seed });
  return { run, config, startStep: 0 };
}

async function resumeRun(store: Store, runId: string): Promise<RunStart> {
  const run = await store.queries.getRun(runId);
  if (!run) throw new RlvrError(`no run "${runId}" in ${store.db.path}`, 'bad_input', 'list runs with `rlvr runs`');
  if (run.status === 'completed') throw new RlvrError(`run ${runId} already completed`, 'bad_input', 'start a new run instead');
  if (run.status === 'running' && run.writerHost === hostname() && run.writerPid !== null && run.writerPid !== process.pid && processAlive(run.writerPid)) {
    throw new RlvrError(`run ${runId} is still being trained by process ${run.writerPid}`, 'bad_input',
      'stop that process first (Ctrl-C stops it after the current step), then resume');
  }
  // The stored config is re-validated: a store edited by hand must not smuggle bad settings in.
  const config = resolveConfig([{ source: `run ${runId} (stored config)`, values: run.config }]);
  const startStep = run.lastCheckpoint?.step ?? 0;
  // Steps after the last checkpoint are trained again, so their traces would be duplicates.
  await store.discardAfterStep(runId, startStep);
  await store.updateRun(runId, { status: 'running', error: null, lastStep: startStep });
  return { run, config, startStep };
}

async function trainRun(store: Store, workspace: string, start: RunStart, options: TrainOptions): Promise<TrainSummary> {
  const { run, config } = start;
  const pools = new LanguagePools({
    workspace, ...(options.python ? { python: options.python } : {}), unsafeNoSandbox: options.unsafeNoSandbox ?? false,
    ...(config.verifierWorkers > 0 ? { size: config.verifierWorkers } : {}),
  });
  let policy: Awaited<ReturnType<typeof startPolicy>> | null = null;
  try {
    const usable = await prepareTasks(workspace, pools, { python: options.python, unsafeNoSandbox: options.unsafeNoSandbox, log: options.log });
    const split = splitTrainEval(usable.tasks, config.heldOutFraction);
    if (start.startStep === 0) {
      await store.recordRunTasks(run.id, [
        ...split.train.map((task) => ({ taskId: task.id, split: 'train' as const, task })),
        ...split.evaluation.map((task) => ({ taskId: task.id, split: 'eval' as const, task })),
      ]);
    }
    options.log(`run ${run.id}: ${split.train.length} training tasks, ${split.evaluation.length} held-out tasks`);
    policy = await startPolicy(run.model, config, { python: options.python, workspace, ...(options.onWorkerLog ? { onStderrLine: options.onWorkerLog } : {}) });
    options.log(`policy ${run.model} on ${policy.loaded.device} (${policy.loaded.dtype}), ${policy.loaded.trainable_params} trainable parameters`);
    const engine = new WorkerPolicy(policy.worker);
    if (run.lastCheckpoint && start.startStep > 0) {
      await engine.load(run.lastCheckpoint.dir);
      options.log(`resumed from ${run.lastCheckpoint.dir} (step ${start.startStep})`);
    }
    return await loop(store, workspace, start, split, engine, new PoolVerifier(pools, workspace), options);
  } catch (error) {
    await store.updateRun(run.id, { status: 'failed', error: error instanceof Error ? error.message : String(error) });
    throw error;
  } finally {
    await policy?.worker.close().catch(() => undefined);
    await pools.close();
  }
}

async function loop(
  store: Store, workspace: string, start: RunStart, split: { train: Task[]; evaluation: Task[] },
  engine: WorkerPolicy, verifier: PoolVerifier, options: TrainOptions,
): Promise<TrainSummary> {
  const { run, config } = start;
  const recorder = new StoreRecorder(store, run.id);
  const prompts = new Map<string, PromptMessage[]>();
  const readFile = workspaceFileReader(workspace);
  const promptFor = (task: Task): PromptMessage[] => {
    let prompt = prompts.get(task.id);
    if (!prompt) prompts.set(task.id, (prompt = renderTaskPrompt(task, readFile)));
    return prompt;
  };
  const evaluate = split.evaluation.length === 0 ? undefined : (step: number, label = `step-${step}`) => evaluatePassAtK(
    split.evaluation, promptFor, engine, verifier, rewardConfigOf(config), {
      label, n: config.evalSamples, ks: config.evalK, temperature: config.temperature, topP: config.topP,
      maxNewTokens: config.maxNewTokens, seed: config.seed + 7919, chunkSize: 8,
    });
  let base: EvaluationResult | null = null;
  if (evaluate) {
    const existing = (await store.queries.listEvaluations(run.id)).find((e) => e.label === 'base');
    base = existing ? { ...existing, label: 'base', groups: [] } : await evaluate(0, 'base');
    if (!existing) {
      await recorder.recordEvaluation(0, base);
      options.onEvaluation?.(run.id, base, 0, null);
    }
    recorder.baseEvaluation = base;
    options.log(`base pass@k on held-out tasks: ${formatPassAtK(base.passAtK)}`);
  }
  const samplerPosition = samplerPositionOf(run);
  const checkpointRoot = join(workspace, '.rlvr', 'checkpoints', run.id);
  const outcome = await runTrainingLoop(config, {
    policy: engine, verifier, recorder,
    sampler: new TaskSampler(split.train, config.seed, start.startStep > 0 ? samplerPosition : 0),
    promptFor, checkpointDir: (step) => join(checkpointRoot, `step-${step}`),
    ...(evaluate ? { evaluate } : {}),
    onStep: (step, metrics, health) => options.onStep?.(step, config.steps, metrics, health),
    health: await healthTracker(store, run.id, config, start.startStep),
  }, start.startStep, options.stop);
  let final: EvaluationResult | null = null;
  if (evaluate && !outcome.stopped) {
    final = await evaluate(outcome.lastStep);
    await recorder.recordEvaluation(outcome.lastStep, final, join(checkpointRoot, `step-${outcome.lastStep}`));
    options.onEvaluation?.(run.id, final, outcome.lastStep, base ? isPassAtKRegression(base, final) : null);
  }
  const status = outcome.stopped ? 'stopped' : 'completed';
  await store.updateRun(run.id, { status, lastStep: outcome.lastStep });
  return { runId: run.id, status, lastStep: outcome.lastStep, base, final, trainTasks: split.train.length, evalTasks: split.evaluation.length };
}

/** Health monitors that remember the run's earlier steps (a resumed run keeps its entropy baseline). */
async function healthTracker(store: Store, runId: string, config: TrainConfig, startStep: number): Promise<HealthTracker> {
  const stored = startStep === 0 ? [] : await store.queries.listSteps(runId, { to: startStep, metrics: HEALTH_METRICS });
  return new HealthTracker(healthContextOf(config), stored.map(healthPointFromRecord));
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function samplerPositionOf(run: RunRecord): number {
  const state = run.lastCheckpoint?.state;
  if (state && typeof state === 'object' && !Array.isArray(state) && typeof state.samplerPosition === 'number') return state.samplerPosition;
  return 0;
}

export function formatPassAtK(passAtK: Record<string, number>): string {
  return Object.entries(passAtK).map(([k, v]) => `pass@${k} ${(v * 100).toFixed(1)}%`).join(', ');
}
