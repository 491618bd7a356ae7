/** In-editor inference of `rlvr export --format onnx` folders through onnxruntime-node (docs/onnx.md). */
export { loadOnnxModel, type LoadedOnnxModel } from './load';
export { ChatTokenizer } from './chat-tokenizer';
export { OnnxDecoder, type KvCache } from './decoder-session';
export { MANIFEST_FILE, OnnxManifestError, readManifest, type OnnxManifest, type ParityRecord } from './manifest';
export { DEFAULT_PARITY_TOLERANCE, measureParity, OnnxParityError, readParityCases, type ParityReport } from './parity';
export type { ExecutionProvider, GenerateOptions, Generation, LoadOnnxModelOptions, OnnxModel } from './types';
