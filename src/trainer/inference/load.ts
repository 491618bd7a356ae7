/**
 * `loadOnnxModel(dir)`: an exported folder (docs/onnx.md) → an OnnxModel that tokenises chats as
 * the worker does and generates through onnxruntime-node. One generation at a time per model: the
 * calls are queued, because onnxruntime sessions are not meant for overlapping runs that would
 * each grow their own cache on the same threads.
 */
import { ChatTokenizer } from './chat-tokenizer';
import { OnnxDecoder } from './decoder-session';
import { generateFromPrompt } from './generate';
import { readManifest, type OnnxManifest } from './manifest';
import type { GenerateOptions, Generation, LoadOnnxModelOptions, OnnxModel } from './types';
import type { PromptMessage } from '../tasks/prompt';
import { RlvrError } from '../errors';

class LoadedOnnxModel implements OnnxModel {
  private queue: Promise<unknown> = Promise.resolve();
  private disposed = false;

  constructor(
    readonly dir: string,
    readonly manifest: OnnxManifest,
    private readonly decoder: OnnxDecoder,
    readonly tokenizer: ChatTokenizer,
  ) {}

  get executionProvider() {
    return this.decoder.executionProvider;
  }

  get fallbackReason() {
    return this.decoder.fallbackReason;
  }

  generateChat(messages: PromptMessage[], options: GenerateOptions): Promise<Generation> {
    // Tokenise first: a bad prompt fails at once instead of after queued generations.
    const promptTokenIds = this.tokenizer.encodeChat(messages);
    return this.generateTokens(promptTokenIds, options);
  }

  generateTokens(promptTokenIds: readonly number[], options: GenerateOptions): Promise<Generation> {
    if (this.disposed) return Promise.reject(new RlvrError(`the ONNX model in ${this.dir} was disposed`, 'model_disposed', 'load it again'));
    const run = () => generateFromPrompt({
      decoder: this.decoder,
      decode: (ids) => this.tokenizer.decode(ids),
      eosTokenIds: new Set(this.manifest.tokens.eos_token_ids),
      maxPositions: this.manifest.model.max_position_embeddings,
    }, promptTokenIds, options);
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return result;
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await this.queue;
    await this.decoder.release();
  }
}

export async function loadOnnxModel(dir: string, options: LoadOnnxModelOptions = {}): Promise<LoadedOnnxModel> {
  const manifest = await readManifest(dir);
  const tokenizer = await ChatTokenizer.load(dir, manifest.tokenizer);
  const decoder = await OnnxDecoder.create(dir, manifest, options);
  return new LoadedOnnxModel(dir, manifest, decoder, tokenizer);
}

export type { LoadedOnnxModel };
