// The pure parts of in-editor inference: token choice, streaming text, the decode loop's stopping
// rules (with a scripted decoder, no onnxruntime), manifest checks and the parity distance.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KvCache } from '../../src/trainer/inference/decoder-session';
import { generateFromPrompt, type DecodeContext } from '../../src/trainer/inference/generate';
import { checkManifest, OnnxManifestError } from '../../src/trainer/inference/manifest';
import { maxAbsDiff } from '../../src/trainer/inference/parity';
import { argmax, sampleToken } from '../../src/trainer/inference/sampling';
import { TextStream } from '../../src/trainer/inference/text-stream';
import { seededRandom } from '../../src/trainer/run/task-sampler';

describe('token choice', () => {
  it('argmax takes the first of equal maxima, as torch.argmax does', () => {
    assert.equal(argmax([0.1, 3, -1, 3]), 1);
    assert.equal(argmax(new Float32Array([-5, -2, -9])), 1);
  });

  it('top-p keeps the smallest most-likely set reaching p (the docstring example) and draws in proportion', () => {
    const logits = [Math.log(0.5), Math.log(0.3), Math.log(0.2)];
    const counts = [0, 0, 0];
    const random = seededRandom(1);
    for (let i = 0; i < 4000; i++) counts[sampleToken(logits, 1, 0.7, random)]! += 1;
    assert.equal(counts[2], 0, 'the tail outside the nucleus is never drawn');
    assert.ok(Math.abs((counts[0] as number) / 4000 - 5 / 8) < 0.03, `odds 5:3 within the nucleus, got ${counts}`);
  });

  it('temperature sharpens, and a seed replays the same draws', () => {
    const logits = [1, 0.5, 0];
    const draw = (t: number, seed: number) => Array.from({ length: 200 }, ((r) => () => sampleToken(logits, t, 1, r))(seededRandom(seed)));
    const cold = draw(0.05, 3).filter((x) => x === 0).length;
    const warm = draw(2, 3).filter((x) => x === 0).length;
    assert.ok(cold > 190 && warm < 120, `cold ${cold}, warm ${warm}`);
    assert.deepEqual(draw(1, 9), draw(1, 9));
  });

  it('rejects a temperature or top-p out of range', () => {
    assert.throws(() => sampleToken([1, 2], 0, 1, Math.random), /temperature must be > 0/);
    assert.throws(() => sampleToken([1, 2], 1, 1.5, Math.random), /topP must be in \(0, 1\]/);
  });
});

describe('TextStream', () => {
  // A byte-level decoder: each id is one UTF-8 byte, so an emoji arrives in four pieces.
  const bytes = [...Buffer.from('ok 👋!', 'utf8')];
  const decode = (ids: readonly number[]) => Buffer.from(ids.map((i) => bytes[i] as number)).toString('utf8');

  it('holds back an incomplete character and never sends U+FFFD', () => {
    const stream = new TextStream(decode);
    const deltas = bytes.map((_, i) => stream.push(i));
    assert.deepEqual(deltas, ['o', 'k', ' ', '', '', '', '👋', '!']);
    assert.equal(stream.flush(), '');
  });

  it('flushes a trailing incomplete character as decoded', () => {
    const stream = new TextStream(decode);
    for (const i of [0, 1, 3, 4]) stream.push(i);
    assert.equal(stream.flush(), decode([0, 1, 3, 4]).slice(2));
  });
});

/** A decoder that returns scripted logits (one-hot on the next scripted token) and counts its steps. */
function scripted(tokens: number[], vocab = 10): { ctx: DecodeContext; steps: number[][] } {
  const steps: number[][] = [];
  const logitsFor = (i: number) => Float32Array.from({ length: vocab }, (_, v) => (v === tokens[i] ? 5 : 0));
  const ctx: DecodeContext = {
    decoder: {
      emptyCache: () => ({ tensors: [], length: 0 }),
      step: async (fed: readonly number[], cache: KvCache) => {
        steps.push([...fed]);
        return { logits: logitsFor(steps.length - 1), cache: { tensors: [], length: cache.length + fed.length } };
      },
    },
    decode: (ids) => ids.filter((i) => i !== 9).map((i) => String.fromCharCode(97 + i)).join(''),
    eosTokenIds: new Set([9]),
    maxPositions: null,
    now: (() => { let t = 0; return () => (t += 100); })(),
  };
  return { ctx, steps };
}

describe('generateFromPrompt (decode loop)', () => {
  it('stops at EOS, keeps the EOS id in tokenIds but not in text, and feeds each chosen token back', async () => {
    const { ctx, steps } = scripted([1, 2, 9, 4]);
    const streamed: string[] = [];
    const out = await generateFromPrompt(ctx, [7, 7], { maxNewTokens: 10, greedy: true, onText: (d) => streamed.push(d) });
    assert.deepEqual(out.tokenIds, [1, 2, 9]);
    assert.equal(out.text, 'bc');
    assert.equal(streamed.join(''), 'bc');
    assert.equal(out.finishReason, 'stop');
    assert.deepEqual(steps, [[7, 7], [1], [2]], 'prefill, then one token per step; nothing is fed after EOS');
    assert.deepEqual(out.promptTokenIds, [7, 7]);
  });

  it('stops at maxNewTokens ("length") without an extra forward pass', async () => {
    const { ctx, steps } = scripted([1, 2, 3, 4, 5]);
    const out = await generateFromPrompt(ctx, [0], { maxNewTokens: 3, greedy: true });
    assert.deepEqual([out.tokenIds, out.finishReason, steps.length], [[1, 2, 3], 'length', 3]);
    assert.ok(out.tokensPerSecond > 0);
  });

  it('stops when the model\'s positions run out, and refuses a prompt longer than them', async () => {
    const { ctx } = scripted([1, 2, 3, 4, 5]);
    const out = await generateFromPrompt({ ...ctx, maxPositions: 4 }, [0, 0], { maxNewTokens: 10, greedy: true });
    assert.deepEqual([out.tokenIds, out.finishReason], [[1, 2, 3], 'length'], 'positions 0-3 hold the prompt and two fed tokens');
    await assert.rejects(generateFromPrompt({ ...ctx, maxPositions: 4 }, [0, 0, 0, 0, 0], { maxNewTokens: 1, greedy: true }), /prompt has 5 tokens; the model's context is 4/);
  });

  it('ends as "cancelled" between tokens when the signal aborts, and at once when already aborted', async () => {
    const { ctx, steps } = scripted([1, 2, 3, 4, 5]);
    const controller = new AbortController();
    const out = await generateFromPrompt(ctx, [0], { maxNewTokens: 10, greedy: true, signal: controller.signal, onText: (d) => { if (d === 'c') controller.abort(); } });
    assert.deepEqual([out.tokenIds, out.finishReason], [[1, 2], 'cancelled']);
    const before = steps.length;
    const none = await generateFromPrompt(ctx, [0], { maxNewTokens: 10, greedy: true, signal: AbortSignal.abort() });
    assert.deepEqual([none.tokenIds, none.finishReason, steps.length], [[], 'cancelled', before]);
  });

  it('rejects bad options with the value named', async () => {
    const { ctx } = scripted([1]);
    await assert.rejects(generateFromPrompt(ctx, [0], { maxNewTokens: 0, greedy: true }), /maxNewTokens must be an integer ≥ 1, got 0/);
    await assert.rejects(generateFromPrompt(ctx, [0], { maxNewTokens: 1, greedy: false, temperature: 0 }), /temperature must be > 0 when sampling, got 0/);
  });
});

describe('manifest and parity checks', () => {
  const layers = 2;
  const valid = () => ({
    format: 'rlvr-onnx', version: 1,
    graph: {
      file: 'model.onnx', weights_file: 'model.onnx.data', opset: 18, dtype: 'float32', logits: 'last_position',
      inputs: ['input_ids', 'attention_mask', 'position_ids', ...Array.from({ length: layers }, (_, i) => [`past_key_values.${i}.key`, `past_key_values.${i}.value`]).flat()],
      outputs: ['logits', ...Array.from({ length: layers }, (_, i) => [`present.${i}.key`, `present.${i}.value`]).flat()],
    },
    model: { model_type: 'llama', architectures: [], num_layers: layers, num_attention_heads: 4, num_key_value_heads: 2, head_dim: 16, hidden_size: 64, vocab_size: 320, max_position_embeddings: 256 },
    tokens: { eos_token_ids: [1], pad_token_id: 0, bos_token_id: null },
    tokenizer: { files: ['tokenizer.json', 'tokenizer_config.json'], chat_template: null, template_variables: { eos_token: '<|end|>' } },
    weights_sha256: 'x', files: {}, parity_file: 'parity.json', parity: null, source: {}, exporter: {},
  });

  it('accepts a well-formed manifest', () => {
    assert.equal(checkManifest('/x', valid()).model.num_layers, 2);
  });

  it('names the bad field, and refuses file names that leave the folder', () => {
    const bad = (edit: (m: ReturnType<typeof valid>) => void, pattern: RegExp) => {
      const m = valid();
      edit(m);
      assert.throws(() => checkManifest('/x', m), (e: unknown) => e instanceof OnnxManifestError && pattern.test(e.message));
    };
    bad((m) => { m.format = 'other'; }, /rlvr-onnx\.json: not an rlvr-onnx manifest/);
    bad((m) => { m.version = 2; }, /manifest version 2 is not 1/);
    bad((m) => { m.graph.file = '../../etc/passwd'; }, /graph\.file should be a file name/);
    bad((m) => { (m.tokens as { eos_token_ids: unknown }).eos_token_ids = ['1']; }, /tokens\.eos_token_ids/);
    bad((m) => { m.graph.inputs.pop(); }, /do not match 2 layers/);
  });

  it('measures the largest logit difference, NaN as infinite', () => {
    assert.equal(maxAbsDiff(Float32Array.from([1, 2, 3]), Float32Array.from([1, 2.5, 2])), 1);
    assert.equal(maxAbsDiff(Float32Array.from([1, NaN]), Float32Array.from([1, 2])), Infinity);
    assert.equal(maxAbsDiff(Float32Array.from([1]), Float32Array.from([1, 2])), Infinity);
  });
});
