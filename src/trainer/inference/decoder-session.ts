/**
 * One onnxruntime-node session over the exported decoder graph (docs/onnx.md#graph), and the KV
 * cache that travels between its calls. `step(tokens, cache)` is prefill when the cache is empty
 * and decode otherwise: the graph is the same, only the shapes differ.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { RlvrError } from '../errors';
import type { OnnxManifest } from './manifest';
import type { ExecutionProvider, LoadOnnxModelOptions } from './types';

/** Keys and values of every layer for the tokens seen so far (batch 1), in the graph's input order. */
export interface KvCache {
  readonly tensors: readonly ort.Tensor[];
  /** Tokens the cache holds (= the next token's position). */
  readonly length: number;
}

export interface StepResult {
  /** Next-token logits [V] after the last fed token. */
  logits: Float32Array;
  cache: KvCache;
}

export class OnnxDecoder {
  private constructor(
    private readonly session: ort.InferenceSession,
    private readonly manifest: OnnxManifest,
    readonly executionProvider: ExecutionProvider,
    /** Why an earlier provider in the list was not used (null when the first one loaded). */
    readonly fallbackReason: string | null,
  ) {}

  /** Tries each provider in order (default cpu); 'cuda' fails over when onnxruntime-node has no CUDA provider. */
  static async create(dir: string, manifest: OnnxManifest, options: LoadOnnxModelOptions = {}): Promise<OnnxDecoder> {
    const providers = options.executionProviders?.length ? options.executionProviders : ['cpu' as const];
    const threads = options.cpuThreads ?? Math.max(1, Math.floor(availableParallelism() / 2));
    if (!Number.isInteger(threads) || threads < 1) throw new RlvrError(`cpuThreads must be an integer ≥ 1, got ${threads}`, 'bad_input');
    const path = join(dir, manifest.graph.file);
    const failures: string[] = [];
    for (const provider of providers) {
      const missing = provider === 'cuda' ? missingCudaProvider() : null;
      if (missing) { failures.push(`cuda: ${missing}`); continue; }
      try {
        const session = await ort.InferenceSession.create(path, {
          executionProviders: [provider], intraOpNumThreads: threads, interOpNumThreads: 1, graphOptimizationLevel: 'all',
        });
        checkGraphNames(dir, session, manifest);
        return new OnnxDecoder(session, manifest, provider, failures.length > 0 ? failures.join('; ') : null);
      } catch (error) {
        if (error instanceof RlvrError) throw error;
        failures.push(`${provider}: ${(error as Error).message.split('\n')[0]}`);
      }
    }
    throw new RlvrError(`onnxruntime-node could not load ${path} (${failures.join('; ')})`, 'onnx_load_failed',
      'check that the folder is a complete `rlvr export --format onnx` output; the CUDA provider needs onnxruntime-node installed with its CUDA libraries (docs/onnx.md#cuda)');
  }

  /** The cache before any token: every layer's keys and values with 0 positions. */
  emptyCache(): KvCache {
    const { num_key_value_heads: heads, head_dim: dim, num_layers: layers } = this.manifest.model;
    const empty = () => new ort.Tensor('float32', new Float32Array(0), [1, heads, 0, dim]);
    return { tensors: Array.from({ length: 2 * layers }, empty), length: 0 };
  }

  /** Feeds `tokens` after `cache`; returns the next-token logits and the grown cache. */
  async step(tokens: readonly number[], cache: KvCache): Promise<StepResult> {
    if (tokens.length === 0) throw new Error('OnnxDecoder.step needs at least one token');
    const total = cache.length + tokens.length;
    const { inputs, outputs } = this.manifest.graph;
    const feeds: Record<string, ort.Tensor> = {
      [inputs[0] as string]: int64([1, tokens.length], tokens),
      [inputs[1] as string]: int64([1, total], new Array<number>(total).fill(1)),
      [inputs[2] as string]: int64([1, tokens.length], tokens.map((_, i) => cache.length + i)),
    };
    cache.tensors.forEach((tensor, i) => { feeds[inputs[3 + i] as string] = tensor; });
    const result = await this.session.run(feeds);
    const logits = result[outputs[0] as string];
    if (!logits || !(logits.data instanceof Float32Array)) throw new Error(`the graph returned no float32 ${outputs[0]}`);
    return {
      logits: logits.data.subarray(logits.data.length - this.manifest.model.vocab_size),
      cache: { tensors: outputs.slice(1).map((name) => result[name] as ort.Tensor), length: total },
    };
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}

/**
 * Why onnxruntime-node cannot use CUDA here, when that is visible without trying: its npm package
 * ships the CPU provider only, and the CUDA provider libraries come from its install script, which
 * this project's .npmrc skips. (Trying anyway works too, but onnxruntime prints an error to the
 * terminal before failing.) Null = the library is there, or the platform is not Linux: try it.
 */
function missingCudaProvider(): string | null {
  if (process.platform !== 'linux') return null;
  const bin = join(dirname(require.resolve('onnxruntime-node')), '..', 'bin', 'napi-v6', 'linux', process.arch);
  const library = join(bin, 'libonnxruntime_providers_cuda.so');
  return existsSync(library) ? null : `onnxruntime-node has no CUDA provider (${library} is missing; docs/onnx.md#cuda says how to install it)`;
}

function int64(dims: number[], values: readonly number[]): ort.Tensor {
  return new ort.Tensor('int64', BigInt64Array.from(values, (v) => BigInt(v)), dims);
}

function checkGraphNames(dir: string, session: ort.InferenceSession, manifest: OnnxManifest): void {
  const missing = [
    ...manifest.graph.inputs.filter((n) => !session.inputNames.includes(n)),
    ...manifest.graph.outputs.filter((n) => !session.outputNames.includes(n)),
  ];
  if (missing.length > 0) {
    throw new RlvrError(`the graph in ${dir} lacks ${missing.length} input/output name(s) its manifest lists, e.g. ${missing.slice(0, 3).join(', ')}`,
      'bad_onnx_export', 'the graph and manifest come from different exports; export again');
  }
}
