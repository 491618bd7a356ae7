/**
 * `npm run bench -- worker [--reps R] [--train-reps T] [--prompts P] [--group-size G]
 *   [--max-new-tokens L] [--threads N] [--lora] [--dry]`
 *
 * The compute worker with the tiny model on CPU, through the real worker process and protocol
 * (`WorkerClient` → make_tiny_model, load_policy, generate, train_step): generation tokens/s,
 * train_step tokens/s at micro-batch sizes 8 and 16, and the worker's peak memory (VmHWM). The peer,
 * in the same run: plain Hugging Face `model.generate` (bench/hf_generate.py) on the same model,
 * prompts, settings and thread count, repetitions interleaved with ours.
 * Appends a section to BENCHMARKS.md (unless --dry); the last line printed is the headline ratio.
 */
import { appendFileSync, cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { GenerateResult, Prompt } from '../src/shared/protocol/worker-protocol';
import { defaultConfig } from '../src/trainer/config/config';
import { mineTasks } from '../src/trainer/mining';
import { loadPolicyParams } from '../src/trainer/run/train-setup';
import { renderTaskPrompt } from '../src/trainer/tasks/prompt';
import { WorkerClient } from '../src/trainer/worker-client';
import { HfPeer } from './worker/hf-peer';
import { generatedTokens, procMemory, spread, trainBatch } from './worker/measure';
import { headline, section, type GenRep, type PeerRep, type TrainRep, type WorkerBenchResult } from './worker/report';

const ROOT = join(__dirname, '..');
const PYTHON = join(ROOT, '.venv', 'bin', 'python');
const MICRO_BATCHES = [8, 16];
const WARMUP_SEED = 1000;
/** The untimed warm-up train step uses a slice of the batch: it only has to create the optimizer
 * state and touch every code path. (Generation warms up at full length: in trial runs the first
 * full-length generate was up to 2x slower than the next ones after a short warm-up.) */
const WARMUP_TRAIN_SEQUENCES = 16;
/**
 * One torch thread by default: on this shared 2-core machine (load average ~5–8) two intra-op
 * threads wait on each other in OpenMP barriers, and a side check measured HF generate 2–5x slower
 * with 2 threads than with 1. `--threads N` sets another count (for both sides).
 */
const DEFAULT_THREADS = 1;

function options() {
  const { values } = parseArgs({
    options: {
      reps: { type: 'string', default: '3' }, 'train-reps': { type: 'string', default: '2' },
      prompts: { type: 'string', default: '8' }, 'group-size': { type: 'string', default: '8' },
      'max-new-tokens': { type: 'string', default: '128' }, threads: { type: 'string', default: String(DEFAULT_THREADS) },
      lora: { type: 'boolean', default: false }, dry: { type: 'boolean', default: false },
    },
  });
  const int = (name: 'reps' | 'train-reps' | 'prompts' | 'group-size' | 'max-new-tokens' | 'threads'): number => {
    const n = Number(values[name]);
    if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer, got ${String(values[name])}`);
    return n;
  };
  return {
    reps: int('reps'), trainReps: int('train-reps'), prompts: int('prompts'), n: int('group-size'),
    maxNewTokens: int('max-new-tokens'), threads: int('threads'), lora: values.lora, dry: values.dry,
    temperature: 1.0, topP: 1.0,
  };
}
type Options = ReturnType<typeof options>;

/** `count` real task prompts, evenly spread over the tasks mined from a copy of examples/python-basics. */
async function taskPrompts(scratch: string, count: number): Promise<{ prompts: Prompt[]; symbols: string[] }> {
  const workspace = join(scratch, 'python-basics');
  cpSync(join(ROOT, 'examples', 'python-basics'), workspace, { recursive: true, filter: (s) => !s.includes('.rlvr') && !s.includes('__pycache__') });
  const { tasks } = await mineTasks({ workspace });
  if (tasks.length < count) throw new Error(`examples/python-basics has ${tasks.length} tasks; --prompts ${count} needs that many`);
  const picked = Array.from({ length: count }, (_, i) => tasks[Math.floor((i * tasks.length) / count)]!);
  const read = (file: string): string | null => {
    try { return readFileSync(join(workspace, file), 'utf8'); } catch { return null; }
  };
  return { prompts: picked.map((t) => ({ messages: renderTaskPrompt(t, read) })), symbols: picked.map((t) => t.symbol) };
}

async function timedGenerate(worker: WorkerClient, prompts: Prompt[], o: Options, seed: number): Promise<{ result: GenerateResult; hostSeconds: number }> {
  const t0 = performance.now();
  const result = await worker.request('generate', {
    prompts, n: o.n, temperature: o.temperature, top_p: o.topP, max_new_tokens: o.maxNewTokens,
    stop: [], seed, emit_groups: true,
  }, { onGroup: () => undefined });
  return { result, hostSeconds: (performance.now() - t0) / 1000 };
}

/** Repetitions of ours and the peer, alternating which goes first so load drift hits both alike. */
async function generation(worker: WorkerClient, peer: HfPeer, prompts: Prompt[], o: Options): Promise<{ ours: GenRep[]; peer: PeerRep[]; last: GenerateResult }> {
  const ours: GenRep[] = [];
  const theirs: PeerRep[] = [];
  let last: GenerateResult | undefined;
  for (let rep = 0; rep < o.reps; rep++) {
    const runOurs = async (): Promise<void> => {
      const { result, hostSeconds } = await timedGenerate(worker, prompts, o, rep);
      const stoppedRows = result.groups.flatMap((g) => g.samples).filter((x) => x.finish_reason === 'stop').length;
      ours.push({ tokens: generatedTokens(result.groups), hostSeconds, workerSeconds: result.time_s, stoppedRows });
      last = result;
    };
    const runPeer = async (): Promise<void> => {
      const r = await peer.run(rep);
      theirs.push({ tokens: r.tokens, seconds: r.seconds, stoppedRows: r.stoppedRows });
    };
    for (const step of rep % 2 === 0 ? [runOurs, runPeer] : [runPeer, runOurs]) await step();
    const a = ours[ours.length - 1]!;
    const b = theirs[theirs.length - 1]!;
    console.error(`  rep ${rep}: ours ${(a.tokens / a.hostSeconds).toFixed(0)} tok/s (${a.hostSeconds.toFixed(2)} s), HF ${(b.tokens / b.seconds).toFixed(0)} tok/s (${b.seconds.toFixed(2)} s)`);
  }
  return { ours, peer: theirs, last: last! };
}

async function training(worker: WorkerClient, last: GenerateResult, o: Options): Promise<TrainRep[]> {
  const sequences = trainBatch(last.groups, 7);
  const d = defaultConfig();
  const step = async (microBatch: number, batch = sequences): Promise<TrainRep> => {
    const t0 = performance.now();
    const r = await worker.request('train_step', {
      sequences: batch, loss_type: 'dapo', epsilon_low: d.epsilonLow, epsilon_high: d.epsilonHigh, beta: 0,
      mask_truncated: d.maskTruncated, micro_batch_size: microBatch, temperature: o.temperature, max_completion_length: o.maxNewTokens,
    });
    const allTokens = batch.reduce((n, x) => n + x.prompt_token_ids.length + x.completion_token_ids.length, 0);
    const rep = { microBatch, completionTokens: r.tokens, allTokens, hostSeconds: (performance.now() - t0) / 1000, workerSeconds: r.time_s };
    console.error(`  train_step mb ${microBatch}: ${(r.tokens / r.time_s).toFixed(0)} completion tok/s (${r.time_s.toFixed(2)} s, loss ${r.loss.toFixed(4)})`);
    return rep;
  };
  await step(MICRO_BATCHES[0]!, sequences.slice(0, WARMUP_TRAIN_SEQUENCES)); // warm-up: optimizer state, allocator
  const reps: TrainRep[] = [];
  for (let i = 0; i < o.trainReps; i++) {
    for (const mb of i % 2 === 0 ? MICRO_BATCHES : [...MICRO_BATCHES].reverse()) reps.push(await step(mb));
  }
  return reps;
}

async function main(): Promise<void> {
  const o = options();
  const started = performance.now();
  const startLoad = loadavg();
  const scratch = mkdtempSync(join(tmpdir(), 'rlvr-bench-worker-'));
  let worker: WorkerClient | undefined;
  let peer: HfPeer | undefined;
  try {
    const { prompts, symbols } = await taskPrompts(scratch, o.prompts);
    worker = await WorkerClient.start({ python: existsSync(PYTHON) ? PYTHON : undefined, onStderrLine: (l) => console.error(`  [worker] ${l}`) });
    const built = await worker.request('make_tiny_model', { dir: join(scratch, 'tiny'), seed: 0, pretrain_steps: 0, cpu_threads: o.threads });
    const config = { ...defaultConfig(), device: 'cpu' as const, lora: o.lora };
    const loaded = await worker.request('load_policy', { ...loadPolicyParams(built.dir, config), cpu_threads: o.threads });
    const pid = worker.pid!;
    const afterLoad = procMemory(pid);
    console.error(`  model ${built.parameters} params built in ${built.time_s.toFixed(1)} s; worker RSS peak ${afterLoad.hwmMiB.toFixed(0)} MiB`);
    const warm = await timedGenerate(worker, prompts, o, WARMUP_SEED);
    const promptIds = warm.result.groups.map((g) => g.prompt_token_ids);
    peer = await HfPeer.start({ python: worker.interpreter.path, model: built.dir, promptIds, threads: o.threads, n: o.n,
      maxNewTokens: o.maxNewTokens, temperature: o.temperature, topP: o.topP, eos: loaded.eos_token_ids, pad: loaded.pad_token_id ?? loaded.eos_token_ids[0]! }, scratch);
    await peer.run(WARMUP_SEED);
    const gen = await generation(worker, peer, prompts, o);
    const peerMemory = procMemory(peer.pid);
    await peer.close();
    const afterGenerate = procMemory(pid);
    const train = await training(worker, gen.last, o);
    const result: WorkerBenchResult = {
      settings: { prompts: o.prompts, n: o.n, maxNewTokens: o.maxNewTokens, temperature: o.temperature, topP: o.topP, threads: o.threads, lora: o.lora, reps: o.reps, trainReps: o.trainReps },
      model: { parameters: built.parameters, vocab: built.vocab_size, buildSeconds: built.time_s, trainable: loaded.trainable_params },
      promptTokens: spread(promptIds.map((p) => p.length)), taskSymbols: symbols,
      ours: gen.ours, peer: gen.peer, train,
      memory: { afterLoad, afterGenerate, afterTrain: procMemory(pid), peer: peerMemory },
      loadavg: { start: startLoad, end: loadavg() }, wallSeconds: (performance.now() - started) / 1000,
    };
    report(result, o.dry);
  } finally {
    await peer?.close();
    await worker?.close();
    rmSync(scratch, { recursive: true, force: true });
  }
}

function report(result: WorkerBenchResult, dry: boolean): void {
  const text = section(result);
  const file = join(ROOT, 'BENCHMARKS.md');
  if (!dry) {
    if (!existsSync(file)) writeFileSync(file, '# Benchmarks\n\nMeasured numbers, newest last. Figures from a shared 2-core machine: compare rows of one run, not runs.\n');
    appendFileSync(file, text);
  }
  console.log(text);
  console.log(headline(result).replaceAll('**', ''));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
