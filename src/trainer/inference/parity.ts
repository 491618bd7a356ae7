/**
 * Replays the exporter's reference sequence (`parity.json`, rlvr_worker/onnx_parity.py) through
 * onnxruntime-node — the runtime the editor uses — and measures how far its logits are from
 * PyTorch's: a prefill from an empty cache, then decode steps that feed this runtime's own cache
 * back, so both the graph and the cache plumbing are checked.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RlvrError } from '../errors';
import type { KvCache, OnnxDecoder } from './decoder-session';
import type { OnnxManifest } from './manifest';
import { argmax } from './sampling';

/** Float32 logits of two exact float32 computations differ by ~1e-5; this leaves room for deep models. */
export const DEFAULT_PARITY_TOLERANCE = 1e-3;

export interface ParityCase {
  name: string;
  inputIds: number[];
  pastLength: number;
  /** PyTorch's next-token logits [V]. */
  logits: Float32Array;
}

export interface ParityReport {
  maxAbsDiff: number;
  tolerance: number;
  passed: boolean;
  cases: { name: string; maxAbsDiff: number; argmaxAgrees: boolean }[];
}

export class OnnxParityError extends RlvrError {
  constructor(readonly report: ParityReport, dir: string) {
    const worst = report.cases.reduce((a, b) => (b.maxAbsDiff > a.maxAbsDiff ? b : a));
    super(`the ONNX graph in ${dir} does not reproduce PyTorch: max |logit difference| ${report.maxAbsDiff.toExponential(2)} `
      + `(step "${worst.name}") exceeds the tolerance ${report.tolerance.toExponential(2)}`, 'onnx_parity_failed',
    'the folder is kept for inspection (manifest renamed rlvr-onnx.failed.json) but must not be used; report the model type and versions (its "exporter"), '
      + 'or raise --tolerance only if the difference is expected (e.g. a very deep model)');
  }
}

export async function readParityCases(dir: string, manifest: OnnxManifest): Promise<ParityCase[]> {
  const path = join(dir, manifest.parity_file);
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new RlvrError(`cannot read ${path}: ${(error as Error).message}`, 'bad_onnx_export', 'export again');
  }
  const cases = (parsed as { cases?: unknown }).cases;
  if (!Array.isArray(cases) || cases.length === 0) throw new RlvrError(`${path} has no cases`, 'bad_onnx_export', 'export again');
  return cases.map((c: Record<string, unknown>, i) => {
    const ids = c.input_ids;
    if (!Array.isArray(ids) || ids.length === 0 || !ids.every((t) => Number.isInteger(t) && t >= 0) || !Number.isInteger(c.past_length) || typeof c.logits !== 'string') {
      throw new RlvrError(`${path}: case ${i} is malformed`, 'bad_onnx_export', 'export again');
    }
    const bytes = Buffer.from(c.logits, 'base64');
    const logits = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    if (logits.length !== manifest.model.vocab_size) throw new RlvrError(`${path}: case ${i} has ${logits.length} logits, not vocab_size ${manifest.model.vocab_size}`, 'bad_onnx_export', 'export again');
    return { name: String(c.name ?? `case ${i}`), inputIds: ids as number[], pastLength: c.past_length as number, logits };
  });
}

/** Runs the cases in order on `decoder`; never throws for a mismatch (see `passed`). */
export async function measureParity(decoder: Pick<OnnxDecoder, 'emptyCache' | 'step'>, cases: readonly ParityCase[], tolerance = DEFAULT_PARITY_TOLERANCE): Promise<ParityReport> {
  let cache: KvCache = decoder.emptyCache();
  const results: ParityReport['cases'] = [];
  for (const c of cases) {
    if (c.pastLength !== cache.length) throw new RlvrError(`parity case "${c.name}" expects ${c.pastLength} cached tokens, the replay has ${cache.length}`, 'bad_onnx_export', 'export again');
    const step = await decoder.step(c.inputIds, cache);
    cache = step.cache;
    results.push({ name: c.name, maxAbsDiff: maxAbsDiff(step.logits, c.logits), argmaxAgrees: argmax(step.logits) === argmax(c.logits) });
  }
  const worst = Math.max(...results.map((r) => r.maxAbsDiff));
  return { maxAbsDiff: worst, tolerance, passed: worst <= tolerance, cases: results };
}

/** NaN anywhere counts as an infinite difference. */
export function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return Infinity;
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs((a[i] as number) - (b[i] as number));
    if (!(d <= worst)) worst = Number.isNaN(d) ? Infinity : d;
  }
  return worst;
}
