/**
 * `npm run bench -- onnx [--reps R] [--max-new-tokens L] [--threads N] [--model DIR] [--onnx DIR] [--dry]`
 *
 * In-editor solving speed: greedy generation of the exported ONNX decoder in onnxruntime-node
 * (`loadOnnxModel` → `generateChat`, src/trainer/inference) vs the peer, the worker's PyTorch
 * `generate` (greedy) through the real worker process and protocol — same model, same chat prompts,
 * same max_new_tokens, same thread count, one prompt at a time as the editor solves them. The model
 * is a random-init tiny model (`make_tiny_model`, pretrain_steps 0) unless --model: a pretrained one
 * often stops after a few tokens, and then the bench would time prompts and overheads, not decoding. Repetitions alternate which side goes first. Both sides
 * must produce identical tokens (greedy; checked and reported). Appends a section to BENCHMARKS.md
 * (unless --dry); the last line printed is the headline ratio.
 */
import { appendFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { exportOnnx } from '../src/trainer/export/onnx-export';
import { loadOnnxModel } from '../src/trainer/inference';
import { systemMessage, type PromptMessage } from '../src/trainer/tasks/prompt';
import { WorkerClient } from '../src/trainer/worker-client';
import { machine } from './common/machine';
import { formatSpread, spread } from './worker/measure';

const ROOT = join(__dirname, '..');

/** Prompts of the training format (docs/prompt-format.md): the system message + a function to complete. */
const TASKS = [
  ['add', 'def add(a: int, b: int) -> int:\n    """Return the sum of a and b."""', 'assert add(2, 3) == 5'],
  ['is_even', 'def is_even(n: int) -> bool:\n    """True when n is divisible by 2."""', 'assert is_even(4)'],
  ['reverse_words', 'def reverse_words(text: str) -> str:\n    """Reverse the order of the words in text."""', 'assert reverse_words("a b") == "b a"'],
  ['count_vowels', 'def count_vowels(s: str) -> int:\n    """Number of vowels (aeiou) in s."""', 'assert count_vowels("hello") == 2'],
  ['flatten', 'def flatten(xs: list[list[int]]) -> list[int]:\n    """Concatenate the inner lists."""', 'assert flatten([[1], [2, 3]]) == [1, 2, 3]'],
  ['clamp', 'def clamp(x: float, lo: float, hi: float) -> float:\n    """x limited to [lo, hi]."""', 'assert clamp(5, 0, 3) == 3'],
].map(([name, stub, test]): PromptMessage[] => [
  { role: 'system', content: systemMessage('python') },
  { role: 'user', content: `Complete \`${name}\`.\n\n\`\`\`python\n${stub}\n\`\`\`\n\nIt must pass:\n\`\`\`python\n${test}\n\`\`\`` },
]);

function options() {
  const { values } = parseArgs({
    options: {
      reps: { type: 'string', default: '3' }, 'max-new-tokens': { type: 'string', default: '128' }, threads: { type: 'string', default: '1' },
      model: { type: 'string' }, onnx: { type: 'string' }, dry: { type: 'boolean', default: false },
    },
  });
  const int = (name: 'reps' | 'max-new-tokens' | 'threads'): number => {
    const n = Number(values[name]);
    if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer, got ${String(values[name])}`);
    return n;
  };
  return { reps: int('reps'), maxNewTokens: int('max-new-tokens'), threads: int('threads'), model: values.model, onnx: values.onnx, dry: values.dry };
}
type Options = ReturnType<typeof options>;

interface Round { tokens: number; seconds: number; sequences: number[][] }

async function onnxRound(model: Awaited<ReturnType<typeof loadOnnxModel>>, o: Options): Promise<Round> {
  const started = performance.now();
  const sequences: number[][] = [];
  for (const messages of TASKS) sequences.push((await model.generateChat(messages, { maxNewTokens: o.maxNewTokens, greedy: true })).tokenIds);
  return { tokens: sequences.reduce((n, s) => n + s.length, 0), seconds: (performance.now() - started) / 1000, sequences };
}

async function workerRound(worker: WorkerClient, o: Options): Promise<Round> {
  const started = performance.now();
  const sequences: number[][] = [];
  for (const messages of TASKS) {
    const result = await worker.request('generate', {
      prompts: [{ messages }], n: 1, temperature: 1, top_p: 1, max_new_tokens: o.maxNewTokens, stop: [], seed: 0, emit_groups: false, greedy: true,
    });
    sequences.push(result.groups[0]?.samples[0]?.token_ids ?? []);
  }
  return { tokens: sequences.reduce((n, s) => n + s.length, 0), seconds: (performance.now() - started) / 1000, sequences };
}

async function main(): Promise<void> {
  const o = options();
  const started = performance.now();
  const startLoad = loadavg();
  const scratch = mkdtempSync(join(tmpdir(), 'rlvr-bench-onnx-'));
  let worker: WorkerClient | undefined;
  try {
    worker = await WorkerClient.start({ python: existsSync(join(ROOT, '.venv', 'bin', 'python')) ? join(ROOT, '.venv', 'bin', 'python') : undefined });
    const modelDir = o.model ?? (await worker.request('make_tiny_model', { dir: join(scratch, 'tiny'), seed: 0, pretrain_steps: 0, cpu_threads: o.threads })).dir;
    let exportSeconds: number | null = null;
    let onnxDir = o.onnx;
    if (!onnxDir) {
      const exported = await exportOnnx({ source: { kind: 'model', dir: modelDir }, out: join(scratch, 'onnx'), log: (l) => console.error(`  ${l}`) });
      onnxDir = exported.dir;
      exportSeconds = exported.seconds;
    }
    const model = await loadOnnxModel(onnxDir, { cpuThreads: o.threads });
    const promptTokens = TASKS.map((messages) => model.tokenizer.encodeChat(messages).length);
    await worker.request('load_policy', {
      model: modelDir, device: 'cpu', dtype: 'float32', attn_implementation: 'sdpa', cpu_threads: o.threads, seed: 0, lora: null,
      gradient_checkpointing: false, beta: 0,
      optimizer: { learning_rate: 1e-4, weight_decay: 0, betas: [0.9, 0.999], eps: 1e-8, schedule: 'constant', warmup_steps: 0, total_steps: 1, max_grad_norm: 1 },
    });
    await onnxRound(model, o); // warm-up: session arenas, JIT, torch's first-call costs
    await workerRound(worker, o);
    const ours: Round[] = [];
    const peer: Round[] = [];
    for (let rep = 0; rep < o.reps; rep++) {
      const steps = [async () => { ours.push(await onnxRound(model, o)); }, async () => { peer.push(await workerRound(worker as WorkerClient, o)); }];
      for (const step of rep % 2 === 0 ? steps : steps.reverse()) await step();
      const a = ours[rep] as Round;
      const b = peer[rep] as Round;
      console.error(`  rep ${rep}: onnxruntime-node ${(a.tokens / a.seconds).toFixed(0)} tok/s (${a.seconds.toFixed(2)} s), worker ${(b.tokens / b.seconds).toFixed(0)} tok/s (${b.seconds.toFixed(2)} s)`);
    }
    await model.dispose();
    report({ o, ours, peer, modelDir: o.model ?? 'random-init make_tiny_model (pretrain_steps 0, default sizes)', promptTokens, exportSeconds, startLoad, wallSeconds: (performance.now() - started) / 1000, provider: model.executionProvider });
  } finally {
    await worker?.close();
    rmSync(scratch, { recursive: true, force: true });
  }
}

interface Result {
  o: Options; ours: Round[]; peer: Round[]; modelDir: string; promptTokens: number[]; exportSeconds: number | null; startLoad: number[]; wallSeconds: number; provider: string;
}

function report(r: Result): void {
  const rate = (x: Round) => x.tokens / x.seconds;
  const ours = spread(r.ours.map(rate));
  const peer = spread(r.peer.map(rate));
  const ratio = spread(r.ours.map((x, i) => rate(x) / rate(r.peer[i] as Round)));
  const identical = r.ours.every((x, i) => JSON.stringify(x.sequences) === JSON.stringify(r.peer[i]?.sequences));
  const load = (xs: number[]): string => xs.map((l) => l.toFixed(1)).join(' / ');
  const headline = `**onnx (tiny, CPU): onnxruntime-node greedy ${ours.mean.toFixed(0)} tokens/s vs the worker's PyTorch greedy generate `
    + `${peer.mean.toFixed(0)} tokens/s = ${ratio.mean.toFixed(2)}x (per-repetition ratio; tokens identical: ${identical ? 'yes' : 'NO'})**`;
  const text = [
    '', `## onnx (tiny model, CPU) — ${new Date().toISOString()}`, '',
    `Machine: ${machine()}; ${r.o.threads} thread(s) on each side (onnxruntime intra-op threads; torch threads). Load average (1/5/15 min)`,
    `at the start ${load(r.startLoad)}, at the end ${load(loadavg())} — shared cores, compare rows of this run only.`,
    `Command: \`npm run bench -- onnx\` (whole bench ${r.wallSeconds.toFixed(0)} s${r.exportSeconds !== null ? `, of which the export with its parity check ${r.exportSeconds.toFixed(0)} s` : ''}).`,
    `Model: ${r.modelDir}, fp32 (a random-init model rarely samples EOS, so rows run to max_new_tokens and decoding dominates).`,
    'Ours: `rlvr export --format onnx` of it, run by',
    `onnxruntime-node (${r.provider} provider) through \`loadOnnxModel\` → \`generateChat\` (chat template + tokenizer in TypeScript, KV-cache decode loop).`,
    'Peer: the compute worker\'s `generate` with greedy=true, one request per prompt, timed on the host around the request (protocol included),',
    'as the editor would otherwise have to call it. Its generate also computes per-token logprobs and entropies; ours does not.',
    `Prompts: ${TASKS.length} chat prompts in the training format (system message + a function to complete; ${formatSpread(spread(r.promptTokens))} tokens), one at a time, greedy,`,
    `max_new_tokens ${r.o.maxNewTokens}; ${r.o.reps} timed repetitions per side after one warm-up round each, alternating which side goes first.`,
    `Generated tokens per round: ours ${r.ours[0]?.tokens}, worker ${r.peer[0]?.tokens}; identical token sequences on both sides: ${identical ? 'yes' : 'NO'}.`, '',
    '| generation (batch 1, greedy) | reps | tokens/s mean ± sd (min–max) |', '|---|---|---|',
    `| onnxruntime-node (\`generateChat\`) | ${ours.n} | ${formatSpread(ours)} |`,
    `| worker PyTorch \`generate\` (through the protocol) | ${peer.n} | ${formatSpread(peer)} |`,
    `| ratio onnxruntime-node / worker, per repetition | ${ratio.n} | ${formatSpread(ratio, 2)} |`, '',
    headline, '',
  ].join('\n');
  if (!r.o.dry) appendFileSync(join(ROOT, 'BENCHMARKS.md'), text);
  console.log(text);
  console.log(headline.replaceAll('**', ''));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
