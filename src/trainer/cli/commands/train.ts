import { parseArgs } from 'node:util';
import { join, resolve } from 'node:path';
import { RlvrError, UsageError } from '../../errors';
import { TRAIN_EVENTS_VERSION, type StepEventMetrics, type TrainEvent } from '../../../shared/train-events';
import type { StepMetrics } from '../../run/step-metrics';
import { formatPassAtK, train, type TrainSummary } from '../../run/train-session';
import { progressLine, warningLines } from '../../run/progress-line';
import { isPassAtKRegression } from '../../analysis/pass-at-k';
import type { Command, CommandIO } from '../command';
import { configLayers } from './config';

const usage = `usage: rlvr train --workspace DIR --model ID|DIR [--config FILE] [--set KEY=VALUE ...] [--db FILE] [--json]
       rlvr train --workspace DIR --resume RUN [--db FILE] [--json]

Trains the model with GRPO on tasks mined from DIR's tests (see docs/training.md).
  --model ID|DIR        a local Hugging Face model folder or a hub id
  --config FILE         settings file (default: DIR/.rlvr/config.json when it exists)
  --set KEY=VALUE       override one setting, e.g. --set steps=50 --set lossType=grpo
  --db FILE             trace store (default: DIR/.rlvr/runs.db)
  --resume RUN          continue a stopped or killed run from its last checkpoint, same config
  --python PATH         interpreter for the workspace's tests and the worker
  --unsafe-no-sandbox   run candidates WITHOUT the bubblewrap sandbox (dangerous; never automatic)
  --json                print the final summary as JSON (progress goes to stderr)
  --events              print NDJSON events on stdout instead (src/shared/train-events.ts, docs/cli.md)
Ctrl-C stops after the current step and leaves a resumable run.`;

export const trainCommand: Command = {
  name: 'train',
  summary: 'train a model with GRPO on the workspace tasks',
  usage,
  async run(argv, io) {
    const { values } = parseArgs({
      args: argv, strict: true,
      options: {
        workspace: { type: 'string' }, model: { type: 'string' }, config: { type: 'string' },
        set: { type: 'string', multiple: true }, db: { type: 'string' }, resume: { type: 'string' },
        python: { type: 'string' }, 'unsafe-no-sandbox': { type: 'boolean' }, json: { type: 'boolean' },
        events: { type: 'boolean' },
      },
    });
    if (!values.workspace) throw new UsageError('--workspace is required', usage);
    if (!values.model && !values.resume) throw new UsageError('give --model for a new run or --resume RUN', usage);
    if (values['unsafe-no-sandbox']) io.stderr('rlvr: WARNING: --unsafe-no-sandbox: model-written code runs WITHOUT the sandbox\n');
    const summary = await runTraining({
      workspace: values.workspace, model: values.model, resume: values.resume, db: values.db,
      layers: configLayers(values.workspace, values.config, values.set ?? []), python: values.python,
      unsafeNoSandbox: values['unsafe-no-sandbox'] ?? false,
    }, io, values.events ? 'events' : values.json ? 'json' : 'text');
    return summary.status === 'completed' || summary.status === 'stopped' ? 0 : 1;
  },
};

export interface TrainingRequest {
  workspace: string;
  model: string | undefined;
  resume: string | undefined;
  db: string | undefined;
  layers: ReturnType<typeof configLayers>;
  python: string | undefined;
  unsafeNoSandbox: boolean;
}

export type TrainOutput = 'text' | 'json' | 'events';

/** Runs a session: progress on stderr (stdout stays clean for --json), or NDJSON events on stdout. */
export async function runTraining(
  request: TrainingRequest, io: CommandIO, output: TrainOutput,
  /** Extra fields for the --json summary, computed when it is printed (the demo adds its timings). */
  extraJson: () => Record<string, unknown> = () => ({}),
): Promise<TrainSummary> {
  const emit = (event: TrainEvent) => io.stdout(`${JSON.stringify(event)}\n`);
  const log = output === 'events' ? (line: string) => emit({ type: 'log', line }) : (line: string) => io.stderr(`${line}\n`);
  const db = request.db ?? join(resolve(request.workspace), '.rlvr', 'runs.db');
  let runId: string | null = null;
  try {
    const summary = await trainWithProgress(request, io, db, log, output === 'events' ? emit : null, (id) => { runId = id; });
    if (output === 'events') emit({ type: 'finished', runId: summary.runId, status: summary.status, lastStep: summary.lastStep });
    else if (output === 'json') io.stdout(`${JSON.stringify({ ...summaryJson(summary), ...extraJson() })}\n`);
    else printSummary(summary, request, log);
    return summary;
  } catch (error) {
    if (output === 'events') {
      emit({ type: 'failed', runId, message: error instanceof Error ? error.message : String(error), hint: error instanceof RlvrError ? error.hint ?? null : null });
    }
    throw error;
  }
}

async function trainWithProgress(
  request: TrainingRequest, io: CommandIO, db: string, log: (line: string) => void,
  emit: ((event: TrainEvent) => void) | null, onRunId: (id: string) => void,
): Promise<TrainSummary> {
  const started = Date.now();
  let firstStep: number | null = null;
  let runId = '';
  const runIdOf = () => runId;
  return train({
    workspace: request.workspace,
    ...(request.model ? { model: request.model } : {}),
    ...(request.resume ? { resume: request.resume } : {}),
    ...(request.python ? { python: request.python } : {}),
    configLayers: request.layers,
    db,
    unsafeNoSandbox: request.unsafeNoSandbox,
    stop: io.signal,
    log,
    onStep: (step, total, metrics, health) => {
      firstStep ??= step - 1;
      const perStep = (Date.now() - started) / 1000 / Math.max(1, step - firstStep);
      if (emit) {
        emit({ type: 'step', runId: runIdOf(), step, totalSteps: total, metrics: eventMetrics(metrics), warnings: health.map((w) => w.message), health: [...health] });
      } else {
        log(progressLine(step, total, metrics, perStep, health));
        for (const line of warningLines(health)) log(line);
      }
    },
    onStarted: (id, totalSteps, startStep) => {
      runId = id;
      onRunId(id);
      emit?.({ type: 'started', version: TRAIN_EVENTS_VERSION, runId: id, db, totalSteps, startStep });
    },
    onEvaluation: (id, result, step, regression) => emit?.({
      type: 'evaluation', runId: id, label: result.label, step, passAtK: result.passAtK, curve: result.curve, regression,
    }),
  });
}

function eventMetrics(m: StepMetrics): StepEventMetrics {
  return {
    rewardMean: m.rewardMean, rewardStd: m.rewardStd, passRate: m.passRate, fracZeroStd: m.fracZeroStd,
    groupsDropped: m.groupsDropped, completionLenMean: m.completionLenMean, truncationRate: m.truncationRate,
    flaggedRate: m.flaggedRate, entropy: m.entropy, tokensPerSecond: m.tokensPerSecond,
    loss: m.train?.loss ?? null, kl: m.train?.kl ?? null,
  };
}

function summaryJson(s: TrainSummary) {
  const curve = (e: TrainSummary['base']) => e && { label: e.label, n: e.n, passAtK: e.passAtK, curve: e.curve };
  return { runId: s.runId, status: s.status, lastStep: s.lastStep, trainTasks: s.trainTasks, evalTasks: s.evalTasks, base: curve(s.base), final: curve(s.final) };
}

function printSummary(s: TrainSummary, request: TrainingRequest, log: (line: string) => void): void {
  log(`run ${s.runId} ${s.status} at step ${s.lastStep}`);
  if (s.base) log(`  base    (held-out, ${s.evalTasks} tasks): ${formatPassAtK(s.base.passAtK)}`);
  if (s.final) log(`  trained (held-out, ${s.evalTasks} tasks): ${formatPassAtK(s.final.passAtK)}`);
  if (s.base && s.final && isPassAtKRegression(s.base, s.final)) {
    log('  ⚠ pass@1 rose but pass@k at the largest k fell: RL sharpened the base distribution rather than teaching new solutions');
  }
  if (s.status === 'stopped') log(`  resume with: rlvr train --workspace ${request.workspace} --resume ${s.runId}`);
}
