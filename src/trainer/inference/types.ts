/**
 * In-editor inference of an exported checkpoint (ONNX decoder + tokenizer files) through
 * onnxruntime-node. The extension host uses only this surface; no Python is involved.
 */
import type { PromptMessage } from '../tasks/prompt';

export type ExecutionProvider = 'cpu' | 'cuda';

export interface LoadOnnxModelOptions {
  /** Execution providers to try in order; 'cuda' falls back to 'cpu' when the CUDA provider is not installed. */
  executionProviders?: ExecutionProvider[];
  /** Intra-op threads for the CPU provider (default: half the cores). */
  cpuThreads?: number;
}

export interface GenerateOptions {
  maxNewTokens: number;
  /** true = argmax at every step (token-for-token equal to PyTorch greedy); false = sample. */
  greedy: boolean;
  temperature?: number;
  topP?: number;
  seed?: number;
  signal?: AbortSignal;
  /** Called with each newly decoded piece of text as it is produced (for streaming into a webview). */
  onText?: (delta: string) => void;
}

export interface Generation {
  text: string;
  promptTokenIds: number[];
  tokenIds: number[];
  finishReason: 'stop' | 'length' | 'cancelled';
  tokensPerSecond: number;
}

export interface OnnxModel {
  readonly dir: string;
  /** The provider actually in use. */
  readonly executionProvider: ExecutionProvider;
  /** Why an earlier provider of `executionProviders` was skipped (e.g. no CUDA provider installed); null when none was. */
  readonly fallbackReason?: string | null;
  /** Applies the model's chat template exactly as the worker does (add_generation_prompt), then generates. */
  generateChat(messages: PromptMessage[], options: GenerateOptions): Promise<Generation>;
  dispose(): Promise<void>;
}
