/**
 * `npm run bench -- grpo [--steps K] [--warmup W] [--model DIR] [--pretrain-steps N] [--tasks-per-step B]
 *   [--group-size G] [--max-new-tokens L] [--lr X] [--lora] [--seed S] [--dry]`
 *
 * GRPO step wall time of RLVR Studio (the real `rlvr train` session) against TRL's GRPOTrainer on
 * the same run: same tiny model, same prompts step by step (examples/python-basics), same G, B,
 * lengths, temperature, loss and learning rate, both on CPU with the same thread count, back to
 * back in one invocation. TRL's reward runs a fresh pytest per completion (bench/trl_grpo.py).
 * Appends a section to BENCHMARKS.md (unless --dry); the last line printed is the headline ratio.
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { workerPythonDir } from '../src/trainer/paths';
import { runOurs } from './grpo/ours';
import { headline, headlineLine, section } from './grpo/report';
import { benchSettings } from './grpo/settings';
import { runTrl } from './grpo/trl';

const ROOT = join(__dirname, '..');
const PYTHON = join(ROOT, '.venv', 'bin', 'python');

function options() {
  const { values } = parseArgs({
    options: {
      steps: { type: 'string', default: '5' }, warmup: { type: 'string', default: '1' },
      model: { type: 'string' }, 'pretrain-steps': { type: 'string' }, 'build-threads': { type: 'string', default: '1' },
      'tasks-per-step': { type: 'string', default: '4' }, 'group-size': { type: 'string', default: '8' },
      'max-new-tokens': { type: 'string', default: '256' }, lr: { type: 'string', default: '1e-5' },
      lora: { type: 'boolean', default: false }, seed: { type: 'string', default: '0' }, dry: { type: 'boolean', default: false },
    },
  });
  const int = (name: keyof typeof values): number => {
    const n = Number(values[name]);
    if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a non-negative integer, got ${String(values[name])}`);
    return n;
  };
  const warmup = int('warmup');
  return {
    warmup, model: values.model, pretrainSteps: values['pretrain-steps'] === undefined ? null : int('pretrain-steps'), dry: values.dry,
    buildThreads: int('build-threads'),
    settings: benchSettings({
      seed: int('seed'), steps: warmup + int('steps'), tasksPerStep: int('tasks-per-step'), groupSize: int('group-size'),
      maxNewTokens: int('max-new-tokens'), learningRate: Number(values.lr), lora: values.lora,
    }),
  };
}

/**
 * The tiny model, built once into a cache folder (the builder reuses a build with the same
 * parameters). The time cap is raised so a loaded machine still gets every pretraining step
 * (the tiny README: a capped build solves almost nothing, so its completions would not be realistic).
 * One thread by default: on the shared 2-core machine (load average 9–13) a 2-thread build ran
 * ~17 s per pretraining step, a 1-thread build ~1.2 s (torch's thread pool under oversubscription).
 */
const BUILD = `import json, sys
from rlvr_worker.tiny.build import build_tiny_model
from rlvr_worker.tiny.config import DEFAULT_PRETRAIN_STEPS, TinyParams
steps = DEFAULT_PRETRAIN_STEPS if sys.argv[2] == "default" else int(sys.argv[2])
params = TinyParams(pretrain_steps=steps, max_pretrain_seconds=7200.0, cpu_threads=int(sys.argv[3]))
log = lambda step, total: step % 100 == 0 and print(f"pretrain {step}/{total}", file=sys.stderr, flush=True)
print(json.dumps(build_tiny_model(sys.argv[1], params, log)))`;

function tinyModel(pretrainSteps: number | null, buildThreads: number): { dir: string; note: string } {
  const dir = join(tmpdir(), 'rlvr-bench-grpo-cache', `tiny-${pretrainSteps ?? 'default'}`);
  mkdirSync(join(dir, '..'), { recursive: true });
  console.error(`building or reusing the tiny model in ${dir} ...`);
  const out = execFileSync(PYTHON, ['-c', BUILD, dir, String(pretrainSteps ?? 'default'), String(buildThreads)], {
    env: { ...process.env, PYTHONPATH: workerPythonDir() }, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8',
  });
  const r = JSON.parse(out) as { steps_done: number; parameters: number; pretrain_loss: number | null; hit_time_cap: boolean };
  return { dir, note: `tiny Llama (${(r.parameters / 1e6).toFixed(2)} M parameters) built by rlvr_worker.tiny, ${r.steps_done} pretraining steps, held-out corpus loss ${r.pretrain_loss ?? '–'}${r.hit_time_cap ? ' (hit the time cap)' : ''}` };
}

async function main(): Promise<void> {
  const o = options();
  const s = o.settings;
  const model = o.model ? { dir: o.model, note: 'given with --model' } : tinyModel(o.pretrainSteps, o.buildThreads);
  const dir = mkdtempSync(join(tmpdir(), 'rlvr-bench-grpo-'));
  const workspace = join(dir, 'python-basics');
  cpSync(join(ROOT, 'examples', 'python-basics'), workspace, { recursive: true, filter: (p) => !p.includes('.rlvr') && !p.includes('__pycache__') });
  try {
    const loads = [loadavg()[0] as number];
    console.error(`ours: ${s.steps} steps (${o.warmup} warm-up) ...`);
    const ours = await runOurs(workspace, model.dir, join(dir, 'runs.db'), PYTHON, s);
    loads.push(loadavg()[0] as number);
    console.error(`TRL: ${s.steps} steps (${o.warmup} warm-up) ...`);
    // TRL's reward copies the workspace per completion; give it the pristine one, not ours with .rlvr/.
    const trlWorkspace = join(dir, 'trl-workspace');
    cpSync(join(ROOT, 'examples', 'python-basics'), trlWorkspace, { recursive: true, filter: (p) => !p.includes('.rlvr') && !p.includes('__pycache__') });
    const trl = await runTrl(PYTHON, dir, trlWorkspace, model.dir, s, ours.tasksPerStep);
    loads.push(loadavg()[0] as number);
    const h = headline(ours, trl, o.warmup);
    const taskCount = new Set(ours.tasksPerStep.flat().map((t) => t.id)).size;
    const text = section({ settings: s, warmup: o.warmup, model: model.dir, modelNote: model.note, taskCount, loads }, ours, trl, h);
    const file = join(ROOT, 'BENCHMARKS.md');
    if (!o.dry) {
      if (!existsSync(file)) writeFileSync(file, '# Benchmarks\n\nMeasured numbers, newest last.\n');
      appendFileSync(file, text);
    }
    console.log(text);
    console.log(headlineLine(h));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
