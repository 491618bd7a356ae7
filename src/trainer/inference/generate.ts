/**
 * The decode loop, gpt-fast style: prefill → (choose → record → decode one token)* until EOS,
 * the token budget, the model's context length or an abort. Batch 1: the editor solves one
 * task at a time, and a single row needs no padding or row pruning.
 */
import { seededRandom } from '../run/task-sampler';
import { RlvrError } from '../errors';
import type { KvCache, OnnxDecoder } from './decoder-session';
import { argmax, sampleToken } from './sampling';
import { TextStream } from './text-stream';
import type { GenerateOptions, Generation } from './types';

export interface DecodeContext {
  decoder: Pick<OnnxDecoder, 'emptyCache' | 'step'>;
  decode: (ids: readonly number[]) => string;
  eosTokenIds: ReadonlySet<number>;
  /** Positions the model was trained for (RoPE tables); null = unbounded. */
  maxPositions: number | null;
  now?: () => number;
}

export function checkGenerateOptions(options: GenerateOptions): void {
  const { maxNewTokens, temperature = 1, topP = 1, seed } = options;
  if (!Number.isInteger(maxNewTokens) || maxNewTokens < 1) throw new RlvrError(`maxNewTokens must be an integer ≥ 1, got ${maxNewTokens}`, 'bad_input');
  if (!options.greedy && !(temperature > 0)) throw new RlvrError(`temperature must be > 0 when sampling, got ${temperature}`, 'bad_input', 'use greedy: true for argmax decoding');
  if (!(topP > 0 && topP <= 1)) throw new RlvrError(`topP must be in (0, 1], got ${topP}`, 'bad_input');
  if (seed !== undefined && !Number.isInteger(seed)) throw new RlvrError(`seed must be an integer, got ${seed}`, 'bad_input');
}

export async function generateFromPrompt(ctx: DecodeContext, promptTokenIds: readonly number[], options: GenerateOptions): Promise<Generation> {
  checkGenerateOptions(options);
  const now = ctx.now ?? (() => performance.now());
  if (ctx.maxPositions !== null && promptTokenIds.length > ctx.maxPositions) {
    throw new RlvrError(`the prompt has ${promptTokenIds.length} tokens; the model's context is ${ctx.maxPositions}`, 'prompt_too_long',
      'shorten the prompt (fewer or shorter test asserts, a shorter docstring)');
  }
  const started = now();
  const random = seededRandom(options.seed ?? Math.floor(Math.random() * 2 ** 32));
  const choose = (logits: Float32Array) => (options.greedy ? argmax(logits) : sampleToken(logits, options.temperature ?? 1, options.topP ?? 1, random));
  const stream = new TextStream(ctx.decode);
  const tokenIds: number[] = [];
  let finishReason: Generation['finishReason'] = 'length';

  if (options.signal?.aborted) finishReason = 'cancelled';
  else {
    let { logits, cache }: { logits: Float32Array; cache: KvCache } = await ctx.decoder.step(promptTokenIds, ctx.decoder.emptyCache());
    for (;;) {
      if (options.signal?.aborted) { finishReason = 'cancelled'; break; }
      const token = choose(logits);
      tokenIds.push(token);
      const delta = stream.push(token);
      if (delta) options.onText?.(delta);
      if (ctx.eosTokenIds.has(token)) { finishReason = 'stop'; break; }
      if (tokenIds.length >= options.maxNewTokens) break;
      if (ctx.maxPositions !== null && cache.length >= ctx.maxPositions) break; // 'length': no position left to feed it at
      ({ logits, cache } = await ctx.decoder.step([token], cache));
    }
  }
  const rest = stream.flush();
  if (rest) options.onText?.(rest);
  const seconds = (now() - started) / 1000;
  return {
    text: ctx.decode(tokenIds),
    promptTokenIds: [...promptTokenIds],
    tokenIds,
    finishReason,
    tokensPerSecond: seconds > 0 ? tokenIds.length / seconds : 0,
  };
}
