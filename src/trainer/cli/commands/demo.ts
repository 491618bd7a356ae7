import { parseArgs } from 'node:util';
import { join, relative } from 'node:path';
import { studioRoot } from '../../paths';
import { DEMO_PRESET, demoModelDir, ensureDemoModel } from '../../run/demo';
import { parseOverride } from '../../config/config';
import type { Command } from '../command';
import { runTraining } from './train';

const usage = `usage: rlvr demo [--workspace DIR] [--seed N] [--set KEY=VALUE ...] [--json]
       rlvr demo --print-model-path
       rlvr demo --build-model-only

Builds (or reuses) a tiny code model locally — nothing is downloaded — and trains it with GRPO on
the bundled Python example (or DIR) on CPU, then prints base vs trained pass@k on held-out tasks.
The model lives in $RLVR_CACHE_DIR/models/tiny-coder (default ~/.cache/rlvr-studio).`;

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
        'build-model-only': { type: 'boolean' },
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
    const summary = await runTraining({
      workspace, model: model.dir, resume: undefined, db: undefined, python: values.python, unsafeNoSandbox: false,
      layers: [{ source: 'demo preset', values: { ...DEMO_PRESET, seed } }, { source: '--set', values: overrides }],
    }, io, values.json ? 'json' : 'text');
    if (!values.json) {
      const shown = relative(process.cwd(), workspace) || '.';
      log('');
      log(`See what the model learned in VS Code: open ${shown} (code ${shown}), then run "RLVR: Open Dashboard"`);
      log(`or from here: rlvr runs --workspace ${shown}; rlvr traces --workspace ${shown} --run ${summary.runId} --has-aha`);
    }
    return 0;
  },
};
