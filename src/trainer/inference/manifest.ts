/**
 * `rlvr-onnx.json`, the manifest the worker's exporter writes beside the graph
 * (rlvr_worker/onnx_export.py, docs/onnx.md#manifest). The folder may come from anywhere, so the
 * manifest is checked field by field before anything trusts it.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RlvrError } from '../errors';

export const MANIFEST_FILE = 'rlvr-onnx.json';
export const MANIFEST_FORMAT = 'rlvr-onnx';
export const MANIFEST_VERSION = 1;

export interface ParityRecord {
  passed: boolean;
  maxAbsDiff: number;
  tolerance: number;
  runtime: string;
  checkedAt: number;
}

export interface OnnxManifest {
  format: typeof MANIFEST_FORMAT;
  version: number;
  graph: { file: string; weights_file: string | null; opset: number; dtype: 'float32'; inputs: string[]; outputs: string[]; logits: 'last_position' };
  model: {
    model_type: string; architectures: string[]; num_layers: number; num_attention_heads: number;
    num_key_value_heads: number; head_dim: number; hidden_size: number; vocab_size: number; max_position_embeddings: number | null;
  };
  tokens: { eos_token_ids: number[]; pad_token_id: number; bos_token_id: number | null };
  tokenizer: { files: string[]; chat_template: string | null; template_variables: Record<string, string> };
  weights_sha256: string;
  files: Record<string, { bytes: number; sha256: string }>;
  parity_file: string;
  /** Set by `rlvr export` once onnxruntime-node reproduced the reference logits. */
  parity: ParityRecord | null;
  source: Record<string, unknown>;
  exporter: Record<string, string | null>;
}

export class OnnxManifestError extends RlvrError {
  constructor(readonly dir: string, problem: string) {
    super(`${join(dir, MANIFEST_FILE)}: ${problem}`, 'bad_onnx_export',
      'export the model again with `rlvr export --run ID --format onnx` (or --model DIR); docs/onnx.md describes the folder');
  }
}

type Check = (value: unknown) => boolean;
const isInt = (min: number): Check => (v) => Number.isInteger(v) && (v as number) >= min;
const isString: Check = (v) => typeof v === 'string';
const isFileName: Check = (v) => typeof v === 'string' && v !== '' && !v.includes('/') && !v.includes('\\') && v !== '..';
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isArrayOf = (item: Check): Check => (v) => Array.isArray(v) && v.every(item);
const orNull = (check: Check): Check => (v) => v === null || check(v);

// Path → check. Only what the runtime reads is checked; extra fields are allowed (forward compatible).
const FIELDS: [string, Check, string][] = [
  ['graph.file', isFileName, 'a file name in the folder'],
  ['graph.weights_file', orNull(isFileName), 'a file name or null'],
  ['graph.dtype', (v) => v === 'float32', '"float32"'],
  ['graph.inputs', isArrayOf(isString), 'a list of input names'],
  ['graph.outputs', isArrayOf(isString), 'a list of output names'],
  ['graph.logits', (v) => v === 'last_position', '"last_position"'],
  ['model.num_layers', isInt(1), 'an integer ≥ 1'],
  ['model.num_key_value_heads', isInt(1), 'an integer ≥ 1'],
  ['model.head_dim', isInt(1), 'an integer ≥ 1'],
  ['model.vocab_size', isInt(1), 'an integer ≥ 1'],
  ['model.max_position_embeddings', orNull(isInt(1)), 'an integer ≥ 1 or null'],
  ['tokens.eos_token_ids', isArrayOf(isInt(0)), 'a list of token ids'],
  ['tokens.pad_token_id', isInt(0), 'a token id'],
  ['tokenizer.files', isArrayOf(isFileName), 'a list of file names'],
  ['tokenizer.chat_template', orNull(isString), 'a string or null'],
  ['tokenizer.template_variables', (v) => isObject(v) && Object.values(v).every(isString), 'an object of strings'],
  ['parity_file', isFileName, 'a file name in the folder'],
];

function at(value: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((v, key) => (isObject(v) ? v[key] : undefined), value);
}

/** Checks a parsed manifest; throws OnnxManifestError naming the first bad field. */
export function checkManifest(dir: string, value: unknown): OnnxManifest {
  if (!isObject(value) || value.format !== MANIFEST_FORMAT) throw new OnnxManifestError(dir, `not an ${MANIFEST_FORMAT} manifest (format is ${JSON.stringify(isObject(value) ? value.format : value)})`);
  if (value.version !== MANIFEST_VERSION) throw new OnnxManifestError(dir, `manifest version ${JSON.stringify(value.version)} is not ${MANIFEST_VERSION}; this RLVR Studio reads version ${MANIFEST_VERSION}`);
  for (const [path, check, expected] of FIELDS) {
    const found = at(value, path);
    if (!check(found)) throw new OnnxManifestError(dir, `${path} should be ${expected}, got ${JSON.stringify(found)?.slice(0, 80)}`);
  }
  const manifest = value as unknown as OnnxManifest;
  const layers = manifest.model.num_layers;
  if (manifest.graph.inputs.length !== 3 + 2 * layers || manifest.graph.outputs.length !== 1 + 2 * layers) {
    throw new OnnxManifestError(dir, `graph.inputs/outputs do not match ${layers} layers (3 + 2·layers inputs, 1 + 2·layers outputs)`);
  }
  return manifest;
}

export async function readManifest(dir: string): Promise<OnnxManifest> {
  let text: string;
  try {
    text = await readFile(join(dir, MANIFEST_FILE), 'utf8');
  } catch (error) {
    throw new OnnxManifestError(dir, `cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)}); is this an ONNX export folder?`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new OnnxManifestError(dir, `is not JSON (${(error as Error).message})`);
  }
  return checkManifest(dir, parsed);
}
