/**
 * `npm run bench -- demo [--seeds 1,2,3] [--parallel] [--set KEY=VALUE ...] [--dry] [--keep]`
 *
 * Does the README's main job learn? Runs `rlvr demo` (the built CLI, dist/rlvr.js) once per seed on
 * a fresh copy of examples/python-basics and records, per seed: wall and CPU time of the training
 * (both evaluations included; CPU summed over every process the demo started), held-out pass@k of
 * the base model and of the trained one, and the reward curve read back from the store. The peer is
 * the base model itself, evaluated in the same run on the same held-out tasks.
 * --parallel runs the seeds at the same time: CPU time per run stays comparable, wall time does not.
 * --keep leaves each seed's workspace copy and runs.db in place (their folders are printed) for a closer look.
 * Appends a section to BENCHMARKS.md (unless --dry); the last line printed is the headline.
 */
import { execFileSync, spawn } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openStore } from '../src/trainer/store';
import { DEMO_PRESET } from '../src/trainer/run/demo';
import { machine } from './common/machine';

const ROOT = join(__dirname, '..');
const CLI = join(ROOT, 'dist', 'rlvr.js');
/** The issue's target: held-out pass@1 up by this many points within 10 CPU-minutes. */
const TARGET_POINTS = 15;

interface DemoJson {
  runId: string;
  status: string;
  lastStep: number;
  trainTasks: number;
  evalTasks: number;
  base: { n: number; passAtK: Record<string, number> } | null;
  final: { n: number; passAtK: Record<string, number> } | null;
  wallSeconds: number;
  cpuSeconds: number | null;
}

interface SeedResult {
  seed: number;
  demo: DemoJson;
  rewardCurve: number[];
  passCurve: number[];
  entropyCurve: number[];
  truncationCurve: number[];
  loadStart: number;
  loadEnd: number;
}

function options() {
  const { values } = parseArgs({
    options: { seeds: { type: 'string', default: '1,2,3' }, parallel: { type: 'boolean', default: false }, set: { type: 'string', multiple: true }, dry: { type: 'boolean', default: false }, keep: { type: 'boolean', default: false } },
  });
  const seeds = values.seeds.split(',').map(Number);
  if (seeds.some((s) => !Number.isInteger(s))) throw new Error(`--seeds takes integers, e.g. 1,2,3; got ${values.seeds}`);
  return { seeds, sets: values.set ?? [], dry: values.dry, parallel: values.parallel, keep: values.keep };
}

/** Runs one demo; progress streams to our stderr, the --json summary comes back. */
function runDemo(workspace: string, db: string, seed: number, sets: string[]): Promise<DemoJson> {
  const args = [CLI, 'demo', '--workspace', workspace, '--db', db, '--seed', String(seed), '--json', ...sets.flatMap((s) => ['--set', s])];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => { out += chunk.toString(); });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`rlvr demo --seed ${seed} exited with ${code}`));
      else resolve(JSON.parse(out.trim().split('\n').pop() ?? '') as DemoJson);
    });
  });
}

async function curves(db: string, runId: string): Promise<{ reward: number[]; pass: number[]; entropy: number[]; truncation: number[] }> {
  const store = await openStore(db);
  try {
    const steps = await store.queries.listSteps(runId, { metrics: ['rewardMean', 'passRate', 'entropy', 'truncationRate'] });
    const series = (name: 'rewardMean' | 'passRate' | 'entropy' | 'truncationRate') => steps.map((s) => s.metrics[name] ?? Number.NaN);
    return { reward: series('rewardMean'), pass: series('passRate'), entropy: series('entropy'), truncation: series('truncationRate') };
  } finally {
    await store.close();
  }
}

async function runSeed(seed: number, sets: string[], keep: boolean): Promise<SeedResult> {
  const dir = mkdtempSync(join(tmpdir(), 'rlvr-bench-demo-'));
  try {
    const workspace = join(dir, 'python-basics');
    cpSync(join(ROOT, 'examples', 'python-basics'), workspace, { recursive: true, filter: (p) => !p.includes('.rlvr') && !p.includes('__pycache__') });
    const db = join(dir, 'runs.db');
    const loadStart = loadavg()[0] as number;
    console.error(`seed ${seed}: rlvr demo ...`);
    const demo = await runDemo(workspace, db, seed, sets);
    const c = await curves(db, demo.runId);
    return {
      seed, demo, rewardCurve: c.reward, passCurve: c.pass, entropyCurve: c.entropy, truncationCurve: c.truncation,
      loadStart, loadEnd: loadavg()[0] as number,
    };
  } finally {
    if (keep) console.error(`seed ${seed}: kept ${dir} (workspace and runs.db)`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

const pts = (x: number): string => `${x >= 0 ? '+' : ''}${(100 * x).toFixed(1)}`;
const pct = (x: number | undefined): string => (x === undefined ? '–' : (100 * x).toFixed(1));
const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
const minutes = (s: number | null): string => (s === null ? '–' : (s / 60).toFixed(1));

function delta(r: SeedResult, k: string): number {
  return (r.demo.final?.passAtK[k] ?? Number.NaN) - (r.demo.base?.passAtK[k] ?? Number.NaN);
}

function section(results: SeedResult[], sets: string[], parallel: boolean): string {
  const first = results[0]?.demo;
  const kMax = String(first?.base?.n ?? 8);
  const rows = results.map((r) => `| ${r.seed} | ${r.demo.lastStep} | ${minutes(r.demo.wallSeconds)} | ${minutes(r.demo.cpuSeconds)} | ${r.loadStart.toFixed(1)}→${r.loadEnd.toFixed(1)} | ${pct(r.demo.base?.passAtK['1'])} | ${pct(r.demo.final?.passAtK['1'])} | **${pts(delta(r, '1'))}** | ${pct(r.demo.base?.passAtK[kMax])} | ${pct(r.demo.final?.passAtK[kMax])} |`);
  const line = (xs: number[]) => xs.map((x) => x.toFixed(2)).join(' ');
  const curveRows = results.map((r) => [
    `- seed ${r.seed}, reward mean per step: ${line(r.rewardCurve)}`,
    `  pass rate per step: ${line(r.passCurve)}`,
    `  mean token entropy per step: ${line(r.entropyCurve)}`,
    `  truncated fraction per step: ${line(r.truncationCurve)}`,
  ].join('\n'));
  const preset = Object.entries(DEMO_PRESET).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(', ');
  return [
    '',
    `## demo (does \`npm start\` learn?) — ${new Date().toISOString()}`,
    '',
    `Machine: ${machine()}; shared (1-minute load average per seed below). Command: \`npm run bench -- demo${parallel ? ' --parallel' : ''}\`${sets.length ? ` with ${sets.map((s) => `--set ${s}`).join(' ')}` : ''}.`,
    ...(parallel ? ['The seeds ran at the same time (--parallel): compare CPU minutes, not wall minutes.'] : []),
    `Each seed runs \`rlvr demo --seed S\` on a fresh copy of examples/python-basics: ${first?.trainTasks ?? '?'} training tasks, ${first?.evalTasks ?? '?'} held-out tasks,`,
    `n = ${kMax} samples per held-out task for pass@k (unbiased estimator). The peer is the base model, evaluated in the same run.`,
    `Preset: ${preset}. Time covers mining, the base evaluation, training and the final evaluation (not the one-off model build);`,
    'CPU is summed over every process the demo started (worker, verifier servers, candidates).',
    '',
    `| seed | steps | wall min | CPU min | load | base pass@1 | trained pass@1 | Δ pass@1 (pts) | base pass@${kMax} | trained pass@${kMax} |`,
    '|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|',
    ...rows,
    '',
    ...curveRows,
    '',
    headline(results),
    '',
  ].join('\n');
}

function headline(results: SeedResult[]): string {
  const d1 = mean(results.map((r) => delta(r, '1')));
  const cpu = results.map((r) => r.demo.cpuSeconds).filter((c): c is number => c !== null);
  const wall = mean(results.map((r) => r.demo.wallSeconds));
  return `**Held-out pass@1 ${pts(d1)} points** trained vs base (mean of ${results.length} seed${results.length === 1 ? '' : 's'}; target +${TARGET_POINTS}), ` +
    `${minutes(cpu.length ? mean(cpu) : null)} CPU-min and ${minutes(wall)} wall-min per run.`;
}

async function main(): Promise<void> {
  const o = options();
  console.error('building dist/ and the demo model (reused when already built) ...');
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  execFileSync(process.execPath, [CLI, 'demo', '--build-model-only'], { stdio: 'inherit' });
  const results: SeedResult[] = [];
  if (o.parallel) results.push(...await Promise.all(o.seeds.map((seed) => runSeed(seed, o.sets, o.keep))));
  else for (const seed of o.seeds) results.push(await runSeed(seed, o.sets, o.keep));
  const text = section(results, o.sets, o.parallel);
  const file = join(ROOT, 'BENCHMARKS.md');
  if (!o.dry) {
    if (!existsSync(file)) writeFileSync(file, '# Benchmarks\n\nMeasured numbers, newest last.\n');
    appendFileSync(file, text);
  }
  console.log(text);
  console.log(headline(results));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
