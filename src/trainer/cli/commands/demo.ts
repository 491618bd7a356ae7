import { parseArgs } from 'node:util';
import { join, relative } from 'node:path';
import { studioRoot } from '../../paths';
import { DEMO_PRESET, demoModelDir, ensureDemoModel } from '../../run/demo';
import { parseOverride } from '../../config/config';
import { cpuSecondsBetween, sampleCpu } from '../../run/process-cpu';
import type { Command } from '../command';
import { runTraining } from './train';

const usage = `usage: rlvr demo [--workspace DIR] [--seed N] [--set KEY=VALUE ...] [--db FILE] [--json]
       rlvr demo --print-model-path
       rlvr demo --build-model-only

Builds (or reuses) a tiny code model locally — nothing is downloaded — and trains it with GRPO on
the bundled Python example (or DIR) on CPU, then prints base vs trained pass@k on held-out tasks.
The model lives in $RLVR_CACHE_DIR/models/tiny-coder (default ~/.cache/rlvr-studio).
Reports the wall time and the CPU time of the training (this process and every process it started);
--json adds them to \`rlvr train --json\`'s summary as wallSeconds and cpuSeconds.`;

export const demoCommand: Command = {
  name: 'demo',
  summary: 'build the tiny model and train it on the bundled example (the README\'s main job)',
  usage,
  async run(argv, io) {
    const { values } = parseArgs({
      args: argv, strict: true,
      options: {
        workspace: { type: 'string' }, seed: { type: 'string' }, set: { type: 'string', multiple: true },
        json: { type: 'boolean' }, python: { type: 'string' }, 'print-model-path': { type: 'boolean' },
        'build-model-only': { type: 'boolean' }, db: { type: 'string' },
      },
    });
    if (values['print-model-path']) {
      io.stdout(`${demoModelDir()}\n`);
      return 0;
    }
    const log = (line: string) => io.stderr(`${line}\n`);
    const model = await ensureDemoModel({ python: values.python, log });
    if (values['build-model-only']) return 0;
    const workspace = values.workspace ?? join(studioRoot(), 'examples', 'python-basics');
    const seed = values.seed === undefined ? 0 : Number(values.seed);
    const overrides = Object.fromEntries((values.set ?? []).map(parseOverride));
    // Timed from here: the model build above is a one-off cost, not part of the training budget.
    const started = { wall: Date.now(), cpu: sampleCpu() };
    const timings = () => ({
      wallSeconds: Math.round((Date.now() - started.wall) / 100) / 10,
      cpuSeconds: roundOrNull(cpuSecondsBetween(started.cpu, sampleCpu())),
    });
    const summary = await runTraining({
      workspace, model: model.dir, resume: undefined, db: values.db, python: values.python, unsafeNoSandbox: false,
      layers: [{ source: 'demo preset', values: { ...DEMO_PRESET, seed } }, { source: '--set', values: overrides }],
    }, io, values.json ? 'json' : 'text', timings);
    if (!values.json) {
      const { wallSeconds, cpuSeconds } = timings();
      log(`  took ${minutes(wallSeconds)} wall, ${cpuSeconds === null ? 'CPU time unknown' : `${minutes(cpuSeconds)} of CPU`} (training + both evaluations, all processes)`);
      const shown = relative(process.cwd(), workspace) || '.';
      log('');
      log(`See what the model learned in VS Code: open ${shown} (code ${shown}), then run "RLVR: Open Dashboard"`);
      log(`or from here: rlvr runs --workspace ${shown}; rlvr traces --workspace ${shown} --run ${summary.runId} --has-aha`);
    }
    return 0;
  },
};

const roundOrNull = (x: number | null): number | null => (x === null ? null : Math.round(x * 10) / 10);
const minutes = (seconds: number): string => `${(seconds / 60).toFixed(1)} min`;
