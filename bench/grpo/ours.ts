/**
 * Our side of the GRPO benchmark: the real `rlvr train` session (train-session.ts, in process),
 * timed per step at the loop's onStep callback, with the breakdown the store records per step.
 */
import { loadavg } from 'node:os';
import sqlite3 from 'sqlite3';
import { train } from '../../src/trainer/run/train-session';
import type { Task } from '../../src/trainer/tasks/task';
import type { BenchSettings } from './settings';

export interface OurStep {
  step: number;
  /** Wall time from the end of the previous step, or of TRL's step in between in lockstep (for
   * step 1: from the policy being loaded). */
  seconds: number;
  /** 1-minute load average when the step ended. */
  load: number;
  genS: number;
  verifyTailS: number;
  trainS: number;
  completionLenMean: number;
  rewardMean: number;
}

export interface OurRun {
  runId: string;
  /** From calling train() to the policy being loaded (mining, ground truth, pools, worker). */
  setupSeconds: number;
  steps: OurStep[];
  /** Task ids in the order each step rolled them out. */
  tasksPerStep: Task[][];
}

/** `afterStep` runs synchronously at the end of each step, outside the step's timing. */
export async function runOurs(
  workspace: string, model: string, db: string, python: string, s: BenchSettings, afterStep: (step: number) => void,
): Promise<OurRun> {
  const started = performance.now();
  let policyLoadedAt = NaN;
  const stepEnds: number[] = [];
  const resumedAt: number[] = [];
  const loads: number[] = [];
  const summary = await train({
    workspace, model, db, python,
    configLayers: [{ source: 'bench/grpo.ts', values: ourConfig(s) }],
    stop: new AbortController().signal,
    onWorkerLog: (line) => { if (line.startsWith('bench:')) console.error(`  [worker] ${line}`); },
    log: (line) => {
      if (line.startsWith('policy ')) policyLoadedAt = performance.now();
      console.error(`  [ours] ${line}`);
    },
    onStep: (step, total, m) => {
      stepEnds.push(performance.now());
      loads.push(loadavg()[0] as number);
      console.error(`  [ours] step ${step}/${total}: gen ${m.generateSeconds.toFixed(1)} s, verify tail ${m.verifyTailSeconds.toFixed(1)} s, train ${m.trainSeconds.toFixed(1)} s, reward ${m.rewardMean.toFixed(3)}, len ${m.completionLenMean.toFixed(0)}`);
      afterStep(step);
      resumedAt.push(performance.now());
    },
  });
  if (summary.status !== 'completed') throw new Error(`our run ${summary.runId} ended ${summary.status}, not completed`);
  const stored = await readRun(db, summary.runId);
  const steps = stored.steps.map((row, i) => ({
    step: row.step,
    seconds: ((stepEnds[i] ?? NaN) - (i === 0 ? policyLoadedAt : (resumedAt[i - 1] ?? NaN))) / 1000,
    load: loads[i] ?? NaN,
    genS: row.gen_s, verifyTailS: row.verify_s, trainS: row.train_s,
    completionLenMean: row.completion_len_mean, rewardMean: row.reward_mean,
  }));
  return { runId: summary.runId, setupSeconds: (policyLoadedAt - started) / 1000, steps, tasksPerStep: stored.tasksPerStep };
}

/** Settings mapped onto our config keys; everything not named here is the product default. */
function ourConfig(s: BenchSettings): Record<string, unknown> {
  return {
    seed: s.seed, steps: s.steps, tasksPerStep: s.tasksPerStep, groupSize: s.groupSize,
    temperature: s.temperature, topP: s.topP, maxNewTokens: s.maxNewTokens, lossType: s.lossType,
    advantageScaling: s.advantageScaling, epsilonLow: s.epsilonLow, epsilonHigh: s.epsilonHigh, beta: 0,
    learningRate: s.learningRate, weightDecay: s.weightDecay, warmupSteps: s.warmupSteps, lrSchedule: s.lrSchedule,
    maxGradNorm: s.maxGradNorm, formatWeight: s.formatWeight, correctness: 'pass_fraction',
    // TRL has neither dynamic sampling nor overlong shaping: one generation round per step, like TRL's.
    dynamicSampling: false, overlongBuffer: 0, maskTruncated: false,
    lora: s.lora !== null, ...(s.lora ? { loraRank: s.lora.rank, loraAlpha: s.lora.alpha, loraTargets: s.lora.targets } : {}),
    // One forward/backward over the whole step, as TRL does with per_device_train_batch_size = B×G.
    microBatchSize: s.tasksPerStep * s.groupSize,
    device: 'cpu', heldOutFraction: 0, checkpointEvery: 0, verifierWorkers: s.workers,
  };
}

interface StepRow { step: number; gen_s: number; verify_s: number; train_s: number; completion_len_mean: number; reward_mean: number }

async function readRun(db: string, runId: string): Promise<{ steps: StepRow[]; tasksPerStep: Task[][] }> {
  const conn = await new Promise<sqlite3.Database>((resolve, reject) => {
    const d = new sqlite3.Database(db, sqlite3.OPEN_READONLY, (err) => (err ? reject(err) : resolve(d)));
  });
  const all = <T>(sql: string, params: unknown[]) => new Promise<T[]>((resolve, reject) => {
    conn.all(sql, params, (err: Error | null, rows: T[]) => (err ? reject(err) : resolve(rows)));
  });
  try {
    const steps = await all<StepRow>(
      'SELECT s.step, s.gen_s, s.verify_s, s.train_s, s.completion_len_mean, s.reward_mean FROM steps s JOIN runs r ON r.key = s.run_key WHERE r.id = ? ORDER BY s.step',
      [runId]);
    const tasks = new Map((await all<{ task_id: string; task: string }>(
      'SELECT t.task_id, t.task FROM run_tasks t JOIN runs r ON r.key = t.run_key WHERE r.id = ?', [runId]))
      .map((row) => [row.task_id, JSON.parse(row.task) as Task]));
    const groups = await all<{ step: number; task_id: string }>(
      `SELECT t.step, t.task_id FROM traces t JOIN runs r ON r.key = t.run_key
        WHERE r.id = ? AND t.kind = 'train' GROUP BY t.step, t.group_index ORDER BY t.step, t.group_index`, [runId]);
    const tasksPerStep = steps.map((row) => groups.filter((g) => g.step === row.step).map((g) => {
      const task = tasks.get(g.task_id);
      if (!task) throw new Error(`run ${runId}: trace of unknown task ${g.task_id}`);
      return task;
    }));
    return { steps, tasksPerStep };
  } finally {
    await new Promise<void>((resolve) => conn.close(() => resolve()));
  }
}
