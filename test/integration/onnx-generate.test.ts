// `rlvr export --format onnx` on the tiny test model, then generation in onnxruntime-node: greedy
// decoding equals the worker's PyTorch greedy decoding token for token (same prompt ids, same
// tokens, same text, same finish reason); the parity check catches a wrong reference or wrong
// weights; sampling is seeded; streaming, abort and the EP fallback behave.
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync, closeSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  loadOnnxModel, measureParity, OnnxDecoder, OnnxManifestError, OnnxParityError, readManifest, readParityCases,
  type LoadedOnnxModel,
} from '../../src/trainer/inference';
import type { GenerateResult } from '../../src/shared/protocol/worker-protocol.generated';
import { systemMessage, type PromptMessage } from '../../src/trainer/tasks/prompt';
import { resolveConfig } from '../../src/trainer/config/config';
import { loadPolicyParams } from '../../src/trainer/run/train-setup';
import { openStore } from '../../src/trainer/store';
import { WorkerClient } from '../../src/trainer/worker-client';
import { exportOnnx, FAILED_MANIFEST_FILE } from '../../src/trainer/export/onnx-export';
import { runCli } from '../helpers/rlvr-cli';
import { testModelDir } from '../helpers/tiny-model';

const chat = (content: string): PromptMessage[] => [{ role: 'system', content: systemMessage('python') }, { role: 'user', content }];
const PROMPTS = [
  chat('Complete the Python function below.\n\n```python\ndef add(a, b):\n    """Return the sum of a and b."""\n```'),
  chat('def reverse_words(text):'),
  chat('Write `is_even(n)`. Ünïcödé 👋 <think>'),
];
const MAX_NEW_TOKENS = 40;

describe('ONNX export of the tiny model, solved in onnxruntime-node', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'rlvr-onnx-gen-'));
  const out = join(scratch, 'onnx');
  let exported: { dir: string; manifest: string; runId: string | null; step: number | null; parity: { maxAbsDiff: number; passed: boolean; cases: unknown[] } };
  let model: LoadedOnnxModel;

  before(async () => {
    const result = await runCli(['export', '--format', 'onnx', '--model', testModelDir(), '--out', out, '--json']);
    assert.equal(result.code, 0, result.stderr.slice(-2000));
    exported = JSON.parse(result.stdout) as typeof exported;
    model = await loadOnnxModel(out, { cpuThreads: 1 });
  });
  after(async () => {
    await model?.dispose();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('reports the export and its passed parity check (--json), and records it in the manifest', async () => {
    assert.equal(exported.dir, out);
    assert.equal(exported.runId, null);
    assert.ok(exported.parity.passed && exported.parity.maxAbsDiff < 1e-3 && exported.parity.cases.length === 4);
    const manifest = await readManifest(out);
    assert.equal(manifest.parity?.maxAbsDiff, exported.parity.maxAbsDiff);
    assert.match(manifest.parity?.runtime ?? '', /^onnxruntime-node \d/);
    assert.equal(statSync(`${out}.partial-${process.pid}`, { throwIfNoEntry: false }), undefined);
  });

  it('greedy decoding equals the worker\'s PyTorch greedy decoding, token for token', async () => {
    const worker = await WorkerClient.start({});
    let expected: GenerateResult;
    try {
      await worker.request('load_policy', {
        model: testModelDir(), device: 'cpu', dtype: 'float32', attn_implementation: 'sdpa', cpu_threads: 1, seed: 0, lora: null,
        gradient_checkpointing: false, beta: 0,
        optimizer: { learning_rate: 1e-4, weight_decay: 0, betas: [0.9, 0.999], eps: 1e-8, schedule: 'constant', warmup_steps: 0, total_steps: 1, max_grad_norm: 1 },
      });
      expected = await worker.request('generate', {
        prompts: PROMPTS.map((messages) => ({ messages })), n: 1, temperature: 1, top_p: 1, max_new_tokens: MAX_NEW_TOKENS,
        stop: [], seed: 0, emit_groups: false, greedy: true,
      });
    } finally {
      await worker.close();
    }
    const reasons = new Set<string>();
    for (const [i, messages] of PROMPTS.entries()) {
      const want = expected.groups.find((g) => g.prompt_index === i);
      const sample = want?.samples[0];
      assert.ok(want && sample);
      const got = await model.generateChat(messages, { maxNewTokens: MAX_NEW_TOKENS, greedy: true });
      assert.deepEqual(got.promptTokenIds, want.prompt_token_ids, `prompt ${i}: prompt token ids`);
      assert.deepEqual(got.tokenIds, sample.token_ids, `prompt ${i}: generated tokens`);
      assert.equal(got.text, sample.text, `prompt ${i}: text`);
      assert.equal(got.finishReason, sample.finish_reason, `prompt ${i}: finish reason`);
      reasons.add(got.finishReason);
      assert.ok(new Set(got.tokenIds).size >= 4, `precondition: prompt ${i} generates varied tokens`);
    }
    assert.deepEqual([...reasons].sort(), ['length', 'stop'], 'precondition: both an EOS stop and the token budget are exercised');
  });

  it('samples reproducibly from a seed, and differently from other seeds', async () => {
    const sample = (seed: number) => model.generateChat(PROMPTS[1] as PromptMessage[], { maxNewTokens: 24, greedy: false, temperature: 1.2, topP: 0.95, seed });
    const first = await sample(11);
    assert.deepEqual((await sample(11)).tokenIds, first.tokenIds);
    const others = await Promise.all([12, 13, 14].map(sample)); // queued: one generation at a time
    assert.ok(others.some((o) => JSON.stringify(o.tokenIds) !== JSON.stringify(first.tokenIds)), 'other seeds give other samples');
  });

  it('streams text whose pieces add up to the final text, and stops on abort', async () => {
    let streamed = '';
    const whole = await model.generateChat(PROMPTS[0] as PromptMessage[], { maxNewTokens: 30, greedy: true, onText: (d) => { streamed += d; } });
    assert.equal(streamed, whole.text);
    assert.ok(whole.text.length > 0);

    const controller = new AbortController();
    let deltas = 0;
    const cut = await model.generateChat(PROMPTS[0] as PromptMessage[], {
      maxNewTokens: 30, greedy: true, signal: controller.signal, onText: () => { if (++deltas === 2) controller.abort(); },
    });
    assert.equal(cut.finishReason, 'cancelled');
    assert.ok(cut.tokenIds.length < whole.tokenIds.length);
    assert.deepEqual(cut.tokenIds, whole.tokenIds.slice(0, cut.tokenIds.length));
  });

  it('`rlvr generate --onnx` gives the library\'s greedy generation for a messages file', async () => {
    const file = join(scratch, 'prompt.json');
    writeFileSync(file, JSON.stringify(PROMPTS[2]));
    const result = await runCli(['generate', '--onnx', out, '--prompt-file', file, '--max-new-tokens', '20', '--threads', '1', '--json']);
    assert.equal(result.code, 0, result.stderr);
    const cli = JSON.parse(result.stdout) as { tokenIds: number[]; text: string; finishReason: string; executionProvider: string };
    const lib = await model.generateChat(PROMPTS[2] as PromptMessage[], { maxNewTokens: 20, greedy: true });
    assert.deepEqual([cli.tokenIds, cli.text, cli.finishReason, cli.executionProvider], [lib.tokenIds, lib.text, lib.finishReason, 'cpu']);
  });

  it('fails the parity check for a reference that is off, or for damaged weights', async () => {
    const manifest = await readManifest(out);
    const check = async (dir: string) => {
      const decoder = await OnnxDecoder.create(dir, manifest, { cpuThreads: 1 });
      try {
        return await measureParity(decoder, await readParityCases(dir, manifest));
      } finally {
        await decoder.release();
      }
    };
    const offReference = join(scratch, 'off-reference');
    cpSync(out, offReference, { recursive: true });
    const parity = JSON.parse(readFileSync(join(offReference, 'parity.json'), 'utf8')) as { cases: { logits: string }[] };
    const logits = new Float32Array(Buffer.from(parity.cases[2]?.logits ?? '', 'base64').buffer.slice(0));
    logits[7] = (logits[7] ?? 0) + 0.01;
    (parity.cases[2] as { logits: string }).logits = Buffer.from(logits.buffer).toString('base64');
    writeFileSync(join(offReference, 'parity.json'), JSON.stringify(parity));
    const report = await check(offReference);
    assert.equal(report.passed, false);
    assert.ok(Math.abs(report.maxAbsDiff - 0.01) < 1e-3, `max diff ${report.maxAbsDiff}`);
    assert.match(new OnnxParityError(report, offReference).message, /decode 2.*exceeds the tolerance/);

    const damaged = join(scratch, 'damaged');
    cpSync(out, damaged, { recursive: true });
    const weights = join(damaged, 'model.onnx.data');
    const fd = openSync(weights, 'r+');
    writeSync(fd, Buffer.alloc(64 * 1024, 0x3f), 0, 64 * 1024, Math.floor(statSync(weights).size / 2));
    closeSync(fd);
    assert.equal((await check(damaged)).passed, false);
  });

  it('an export that fails the check does not replace --out and cannot be loaded; a failed write leaves nothing', async () => {
    const target = join(scratch, 'target');
    cpSync(out, target, { recursive: true }); // an earlier good export that must survive
    const offByOne = async (staging: string) => {
      cpSync(out, staging, { recursive: true });
      const parity = JSON.parse(readFileSync(join(staging, 'parity.json'), 'utf8')) as { cases: { logits: string }[] };
      const logits = new Float32Array(Buffer.from(parity.cases[0]?.logits ?? '', 'base64').buffer.slice(0));
      logits[0] = (logits[0] ?? 0) + 1;
      (parity.cases[0] as { logits: string }).logits = Buffer.from(logits.buffer).toString('base64');
      writeFileSync(join(staging, 'parity.json'), JSON.stringify(parity));
    };
    const request = { source: { kind: 'model' as const, dir: testModelDir() }, out: target, log: () => undefined };
    await assert.rejects(exportOnnx({ ...request, writeStaging: offByOne }), (e: unknown) => e instanceof OnnxParityError && /prefill/.test(e.message));
    const staging = `${target}.partial-${process.pid}`;
    assert.equal(JSON.parse(readFileSync(join(staging, FAILED_MANIFEST_FILE), 'utf8')).parity.passed, false);
    await assert.rejects(loadOnnxModel(staging), OnnxManifestError);
    assert.equal((await readManifest(target)).parity?.passed, true, 'the earlier export is untouched');

    await assert.rejects(exportOnnx({ ...request, writeStaging: async (dir) => { mkdirSync(dir); throw new Error('worker died'); } }), /worker died/);
    assert.equal(statSync(staging, { throwIfNoEntry: false }), undefined);
  });

  it('refuses an --out folder that holds something else, and a folder that is no export', async () => {
    const busy = join(scratch, 'busy');
    mkdirSync(busy);
    writeFileSync(join(busy, 'notes.txt'), 'mine');
    const refused = await runCli(['export', '--format', 'onnx', '--model', testModelDir(), '--out', busy]);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /not an ONNX export/);
    assert.equal(readFileSync(join(busy, 'notes.txt'), 'utf8'), 'mine');
    await assert.rejects(loadOnnxModel(busy), (e: unknown) => e instanceof OnnxManifestError && /rlvr-onnx\.json/.test(e.message));
  });

  it('exports a run\'s LoRA checkpoint merged: greedy decoding equals the trained policy\'s, not the base model\'s logits', async () => {
    // A run in a store and a checkpoint `rlvr train` would have saved: the tiny model + a LoRA adapter after one update.
    const workspace = join(scratch, 'ws');
    mkdirSync(join(workspace, '.rlvr'), { recursive: true });
    const values = { device: 'cpu', lora: true, loraRank: 4, loraAlpha: 8, learningRate: 0.02, cpuThreads: 1 };
    const store = await openStore(join(workspace, '.rlvr', 'runs.db'));
    const run = await store.createRun({ workspace, model: testModelDir(), config: values, seed: 0 });
    await store.close();
    const checkpoint = join(workspace, '.rlvr', 'checkpoints', run.id, 'step-3');
    const prompt = PROMPTS[0] as PromptMessage[];
    const worker = await WorkerClient.start({});
    let trained: number[];
    try {
      await worker.request('load_policy', loadPolicyParams(testModelDir(), resolveConfig([{ source: 'test', values }])));
      const greedy = { prompts: [{ messages: prompt }], n: 1, temperature: 1, top_p: 1, max_new_tokens: 24, stop: [], seed: 0, emit_groups: false, greedy: true };
      const sampled = await worker.request('generate', { ...greedy, n: 4, greedy: false });
      const group = sampled.groups[0];
      assert.ok(group);
      await worker.request('train_step', {
        sequences: group.samples.map((x, i) => ({ prompt_token_ids: group.prompt_token_ids, completion_token_ids: x.token_ids, advantage: i % 2 ? -1 : 1, old_logprobs: null, truncated: false })),
        loss_type: 'grpo', epsilon_low: 0.2, epsilon_high: 0.28, beta: 0, mask_truncated: false, micro_batch_size: 4, temperature: 1, max_completion_length: 24,
      });
      await worker.request('save', { dir: checkpoint });
      trained = (await worker.request('generate', greedy)).groups[0]?.samples[0]?.token_ids ?? [];
    } finally {
      await worker.close();
    }

    const result = await runCli(['export', '--run', run.id, '--format', 'onnx', '--workspace', workspace, '--json']);
    assert.equal(result.code, 0, result.stderr.slice(-2000));
    const report = JSON.parse(result.stdout) as { dir: string; runId: string; step: number };
    assert.deepEqual([report.dir, report.runId, report.step], [join(workspace, '.rlvr', 'onnx', run.id, 'step-3'), run.id, 3]);
    const manifest = await readManifest(report.dir);
    assert.deepEqual([manifest.source.runId, manifest.source.step, manifest.source.checkpoint], [run.id, 3, checkpoint]);

    const fromRun = await loadOnnxModel(report.dir, { cpuThreads: 1 });
    try {
      assert.deepEqual((await fromRun.generateChat(prompt, { maxNewTokens: 24, greedy: true })).tokenIds, trained);
      const ids = fromRun.tokenizer.encodeChat(prompt);
      const logits = async (dir: string) => {
        const decoder = await OnnxDecoder.create(dir, await readManifest(dir), { cpuThreads: 1 });
        try { return (await decoder.step(ids, decoder.emptyCache())).logits.slice(); } finally { await decoder.release(); }
      };
      const [merged, base] = [await logits(report.dir), await logits(out)];
      assert.ok(merged.some((x, i) => Math.abs(x - (base[i] as number)) > 1e-3), 'the LoRA update reached the exported weights');
    } finally {
      await fromRun.dispose();
    }
  });

  it('falls back to the CPU when the CUDA provider is not installed', async () => {
    const manifest = await readManifest(out);
    const decoder = await OnnxDecoder.create(out, manifest, { executionProviders: ['cuda', 'cpu'], cpuThreads: 1 });
    try {
      if (decoder.executionProvider === 'cpu') assert.match(decoder.fallbackReason ?? '', /^cuda: /);
      else assert.equal(decoder.fallbackReason, null); // a machine with onnxruntime-node's CUDA libraries
    } finally {
      await decoder.release();
    }
  });
});
