/**
 * `npm run bench -- grpo [--steps K] [--warmup W] [--model DIR] [--pretrain-steps N] [--build-threads N]
 *   [--tasks-per-step B] [--group-size G] [--max-new-tokens L] [--lr X] [--lora] [--seed S] [--torch-threads N] [--dry]`
 *
 * GRPO step wall time of RLVR Studio (the real `rlvr train` session) against TRL's GRPOTrainer on
 * the same run: same tiny model, same prompts step by step (examples/python-basics), same G, B,
 * lengths, temperature, loss and learning rate, both on CPU with the same thread count, alternating
 * step by step in one invocation (grpo/lockstep.ts) so the shared machine's load hits both alike.
 * TRL's reward runs a fresh pytest per completion (bench/trl_grpo.py).
 * Appends a section to BENCHMARKS.md (unless --dry); the last line printed is the headline ratio.
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { workerPythonDir } from '../src/trainer/paths';
import { lockstep } from './grpo/lockstep';
import { runOurs } from './grpo/ours';
import { headline, headlineLine, section } from './grpo/report';
import { benchSettings } from './grpo/settings';
import { checkTaskOrder, predictTaskOrder } from './grpo/task-order';
import { startTrl, trlRows } from './grpo/trl';

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
      'torch-threads': { type: 'string' },
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
      torchThreads: values['torch-threads'] === undefined ? null : int('torch-threads'),
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

/** Our worker always takes every core; bench/grpo/torch-threads/sitecustomize.py caps it (what-if runs only). */
function capWorkerThreads(threads: number): void {
  process.env.RLVR_BENCH_TORCH_THREADS = String(threads);
  process.env.PYTHONPATH = [join(__dirname, 'grpo', 'torch-threads'), process.env.PYTHONPATH].filter(Boolean).join(':');
}

async function main(): Promise<void> {
  const o = options();
  const s = o.settings;
  const model = o.model ? { dir: o.model, note: 'given with --model' } : tinyModel(o.pretrainSteps, o.buildThreads);
  const dir = mkdtempSync(join(tmpdir(), 'rlvr-bench-grpo-'));
  const copyExample = (to: string) => cpSync(join(ROOT, 'examples', 'python-basics'), to, { recursive: true, filter: (p) => !p.includes('.rlvr') && !p.includes('__pycache__') });
  const workspace = join(dir, 'python-basics');
  // TRL's reward copies its workspace per completion: give it a pristine one, not ours with .rlvr/.
  const trlWorkspace = join(dir, 'trl-workspace');
  copyExample(workspace);
  copyExample(trlWorkspace);
  if (s.threads < s.workers) capWorkerThreads(s.threads);
  const lockstepDir = join(dir, 'lockstep');
  mkdirSync(lockstepDir);
  let trl: ReturnType<typeof startTrl> | null = null;
  try {
    const order = await predictTaskOrder(workspace, s.seed, s.steps, s.tasksPerStep);
    const loadBefore = loadavg()[0] as number;
    console.error(`ours and TRL, alternating step by step: ${s.steps} steps each (${o.warmup} warm-up) ...`);
    trl = startTrl(PYTHON, dir, trlWorkspace, model.dir, s, trlRows(trlWorkspace, order), lockstepDir);
    const ours = await runOurs(workspace, model.dir, join(dir, 'runs.db'), PYTHON, s, lockstep(lockstepDir, trl.pid));
    const trlRun = await trl.result;
    checkTaskOrder(order, ours.tasksPerStep);
    const h = headline(ours, trlRun, o.warmup);
    const taskCount = new Set(order.flat().map((t) => t.id)).size;
    const text = section({ settings: s, warmup: o.warmup, model: model.dir, modelNote: model.note, taskCount, loadBefore }, ours, trlRun, h);
    const file = join(ROOT, 'BENCHMARKS.md');
    if (!o.dry) {
      if (!existsSync(file)) writeFileSync(file, '# Benchmarks\n\nMeasured numbers, newest last.\n');
      appendFileSync(file, text);
    }
    console.log(text);
    console.log(headlineLine(h));
  } finally {
    trl?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
