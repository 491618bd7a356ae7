/** The BENCHMARKS.md section of the worker benchmark and its one-line headline. */
import { formatSpread, machine, spread, type ProcMemory, type Spread } from './measure';

export interface GenRep { tokens: number; hostSeconds: number; workerSeconds: number; stoppedRows: number }
export interface PeerRep { tokens: number; seconds: number; stoppedRows: number }
export interface TrainRep { microBatch: number; completionTokens: number; allTokens: number; hostSeconds: number; workerSeconds: number }

export interface WorkerBenchResult {
  settings: { prompts: number; n: number; maxNewTokens: number; temperature: number; topP: number; threads: number; lora: boolean; reps: number; trainReps: number };
  model: { parameters: number; vocab: number; buildSeconds: number; trainable: number };
  promptTokens: Spread;
  taskSymbols: string[];
  ours: GenRep[];
  peer: PeerRep[];
  train: TrainRep[];
  memory: { afterLoad: ProcMemory; afterGenerate: ProcMemory; afterTrain: ProcMemory; peer: ProcMemory };
  loadavg: { start: number[]; end: number[] };
  wallSeconds: number;
}

const perSecond = (tokens: number, seconds: number): number => tokens / seconds;
const mib = (m: ProcMemory): string => `${m.hwmMiB.toFixed(0)} MiB`;

function rates(r: WorkerBenchResult) {
  const ourHost = spread(r.ours.map((x) => perSecond(x.tokens, x.hostSeconds)));
  const ourWorker = spread(r.ours.map((x) => perSecond(x.tokens, x.workerSeconds)));
  const peer = spread(r.peer.map((x) => perSecond(x.tokens, x.seconds)));
  // Per-repetition ratios (ours and the peer's run back to back) cancel slow load drift.
  const ratio = spread(r.ours.map((x, i) => perSecond(x.tokens, x.hostSeconds) / perSecond(r.peer[i]?.tokens ?? NaN, r.peer[i]?.seconds ?? NaN)));
  return { ourHost, ourWorker, peer, ratio };
}

const microBatchSizes = (r: WorkerBenchResult): number[] => [...new Set(r.train.map((t) => t.microBatch))].sort((a, b) => a - b);

function trainRows(r: WorkerBenchResult): string[] {
  return microBatchSizes(r).map((mb) => {
    const reps = r.train.filter((t) => t.microBatch === mb);
    const completion = spread(reps.map((t) => perSecond(t.completionTokens, t.workerSeconds)));
    const all = spread(reps.map((t) => perSecond(t.allTokens, t.workerSeconds)));
    const worker = spread(reps.map((t) => t.workerSeconds));
    const gap = spread(reps.map((t) => t.hostSeconds - t.workerSeconds));
    return `| train_step, micro_batch_size ${mb} | ${reps.length} | ${formatSpread(completion)} | ${formatSpread(all)} | ${formatSpread(worker, 2)} | ${formatSpread(gap, 2)} |`;
  });
}

export function section(r: WorkerBenchResult): string {
  const s = r.settings;
  const { ourHost, ourWorker, peer, ratio } = rates(r);
  const load = (xs: number[]): string => xs.map((l) => l.toFixed(1)).join(' / ');
  const stopped = (xs: { stoppedRows: number }[]): number => xs.reduce((a, x) => a + x.stoppedRows, 0);
  const batchTokens = r.train[0] ? `${r.train[0].completionTokens} completion / ${r.train[0].allTokens} total tokens` : 'none';
  return [
    '', `## worker (tiny model, CPU) — ${new Date().toISOString()}`, '',
    `Machine: ${machine()}; ${s.threads} torch thread${s.threads === 1 ? '' : 's'} on both sides (see --threads). Load average (1/5/15 min) at the start ${load(r.loadavg.start)},`,
    `at the end ${load(r.loadavg.end)} — the 2 cores were shared with other jobs, so absolute rates are low and noisy; compare rows of this run.`,
    `Command: \`npm run bench -- worker\` (whole bench ${r.wallSeconds.toFixed(0)} s).`,
    `Model: \`make_tiny_model\` random init (pretrain_steps 0, default sizes: ${r.model.parameters.toLocaleString('en-US')} parameters, vocab ${r.model.vocab}, built in ${r.model.buildSeconds.toFixed(1)} s),`,
    `loaded fp32 on CPU, ${s.lora ? `LoRA (product defaults, ${r.model.trainable.toLocaleString('en-US')} trainable)` : 'full fine-tune (no LoRA, so both sides sample the identical plain model)'}.`,
    `Prompts: ${s.prompts} real task prompts (docs/prompt-format.md) mined from examples/python-basics (${r.taskSymbols.join(', ')}),`,
    `${formatSpread(r.promptTokens)} prompt tokens; n=${s.n} samples each (${s.prompts * s.n} rows), temperature ${s.temperature}, top_p ${s.topP}, no top-k, max_new_tokens ${s.maxNewTokens}.`,
    'A random-init model rarely samples EOS, so nearly every row runs to max_new_tokens '
      + `(rows that stopped early, over all repetitions: ours ${stopped(r.ours)}, HF ${stopped(r.peer)}).`,
    `Generation: ${s.reps} timed repetitions per side after one full-length warm-up each, ours and HF alternating (seed = repetition).`,
    'Ours goes through the real worker process and protocol (`WorkerClient` → `generate`, emit_groups on, as the controller calls it),',
    'timed on the host around the request (so it includes JSON framing); our generate also returns per-token logprobs and entropies,',
    'HF\'s `model.generate` (bench/hf_generate.py: sampling, same batch via num_return_sequences, KV cache, SDPA) returns neither.', '',
    '| generation | reps | tokens/s mean ± sd (min–max) |', '|---|---|---|',
    `| ours, host wall time (through the protocol) | ${ourHost.n} | ${formatSpread(ourHost)} |`,
    `| ours, worker's own time_s | ${ourWorker.n} | ${formatSpread(ourWorker)} |`,
    `| HF \`model.generate\` | ${peer.n} | ${formatSpread(peer)} |`,
    `| ratio ours (host) / HF, per repetition | ${ratio.n} | ${formatSpread(ratio, 2)} |`, '',
    `Training: \`train_step\` on the ${s.prompts * s.n} sequences the last timed generate produced (${batchTokens}), loss dapo,`,
    'synthetic 0/1 rewards → group-normalised advantages, old logprobs from generate, product defaults otherwise (ε 0.2/0.28, β 0);',
    `one untimed warm-up step (16 sequences), then ${s.trainReps} steps per micro-batch size, alternating. Tokens/s from the worker's time_s;`,
    'the host − worker column is the time around the op: framing, request validation, queueing.', '',
    '| training | steps | completion tokens/s | all tokens/s (prompt + completion) | worker s/step | host − worker s/step |', '|---|---|---|---|---|---|',
    ...trainRows(r), '',
    `Peak memory (VmHWM of the worker process): ${mib(r.memory.afterLoad)} after load_policy, ${mib(r.memory.afterGenerate)} after generation,`,
    `**${mib(r.memory.afterTrain)}** after training (RSS then ${r.memory.afterTrain.rssMiB.toFixed(0)} MiB). HF peer process: ${mib(r.memory.peer)}.`, '',
    headline(r), '',
  ].join('\n');
}

export function headline(r: WorkerBenchResult): string {
  const { ourHost, peer, ratio } = rates(r);
  const train = microBatchSizes(r).map((mb) => {
    const reps = r.train.filter((t) => t.microBatch === mb);
    return `${spread(reps.map((t) => t.completionTokens / t.workerSeconds)).mean.toFixed(0)} (mb ${mb})`;
  });
  return `**worker (tiny, CPU): generate ${ourHost.mean.toFixed(0)} tokens/s vs HF model.generate ${peer.mean.toFixed(0)} tokens/s = `
    + `${ratio.mean.toFixed(2)}x (ours also computes per-token logprobs + entropies, HF's does not); `
    + `train_step ${train.join(' / ')} completion tokens/s; worker peak RSS ${mib(r.memory.afterTrain)}**`;
}
