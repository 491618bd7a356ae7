import { parseArgs } from 'node:util';
import { join, resolve } from 'node:path';
import { UsageError } from '../../errors';
import { formatPassAtK, train, type TrainSummary } from '../../run/train-session';
import { progressLine, stepWarnings } from '../../run/progress-line';
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
      },
    });
    if (!values.workspace) throw new UsageError('--workspace is required', usage);
    if (!values.model && !values.resume) throw new UsageError('give --model for a new run or --resume RUN', usage);
    if (values['unsafe-no-sandbox']) io.stderr('rlvr: WARNING: --unsafe-no-sandbox: model-written code runs WITHOUT the sandbox\n');
    const summary = await runTraining({
      workspace: values.workspace, model: values.model, resume: values.resume, db: values.db,
      layers: configLayers(values.workspace, values.config, values.set ?? []), python: values.python,
      unsafeNoSandbox: values['unsafe-no-sandbox'] ?? false,
    }, io, values.json ?? false);
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

/** Runs a session with progress lines on stderr (stdout stays clean for --json). */
export async function runTraining(request: TrainingRequest, io: CommandIO, json: boolean): Promise<TrainSummary> {
  const log = (line: string) => io.stderr(`${line}\n`);
  const started = Date.now();
  let firstStep: number | null = null;
  const summary = await train({
    workspace: request.workspace,
    ...(request.model ? { model: request.model } : {}),
    ...(request.resume ? { resume: request.resume } : {}),
    ...(request.python ? { python: request.python } : {}),
    configLayers: request.layers,
    db: request.db ?? join(resolve(request.workspace), '.rlvr', 'runs.db'),
    unsafeNoSandbox: request.unsafeNoSandbox,
    stop: io.signal,
    log,
    onStep: (step, total, metrics) => {
      firstStep ??= step - 1;
      const perStep = (Date.now() - started) / 1000 / Math.max(1, step - firstStep);
      log(progressLine(step, total, metrics, perStep));
      for (const warning of stepWarnings(metrics)) log(`  ⚠ ${warning}`);
    },
  });
  if (json) io.stdout(`${JSON.stringify(summaryJson(summary))}\n`);
  else printSummary(summary, request, log);
  return summary;
}

function summaryJson(s: TrainSummary) {
  const curve = (e: TrainSummary['base']) => e && { label: e.label, n: e.n, passAtK: e.passAtK };
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
