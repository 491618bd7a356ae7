/**
 * `rlvr export --format onnx`: a run's checkpoint (LoRA merged) or a HF model folder → an ONNX
 * decoder folder the editor loads (docs/onnx.md). The worker writes the graph and PyTorch's
 * reference logits into a staging folder; this side replays them through onnxruntime-node, the
 * runtime the editor uses, and only a folder that reproduces them within the tolerance replaces
 * `out`. A failed check leaves the staging folder for inspection (its manifest renamed, so nothing
 * loads it) and `out` untouched.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import * as ort from 'onnxruntime-node';
import { resolveConfig } from '../config/config';
import { RlvrError, UsageError } from '../errors';
import { OnnxDecoder } from '../inference/decoder-session';
import { MANIFEST_FILE, readManifest, type ParityRecord } from '../inference/manifest';
import { DEFAULT_PARITY_TOLERANCE, measureParity, OnnxParityError, readParityCases, type ParityReport } from '../inference/parity';
import { runCheckpoints } from '../run/eval-session';
import { loadPolicyParams } from '../run/train-setup';
import type { RunRecord } from '../store/types';
import { WorkerClient } from '../worker-client';
import type { ExportOnnxParams } from '../../shared/protocol/worker-protocol.generated';

/** The manifest of an export that failed its parity check is renamed to this. */
export const FAILED_MANIFEST_FILE = 'rlvr-onnx.failed.json';

export type OnnxExportSource =
  | { kind: 'run'; run: RunRecord; checkpoint: number | 'latest' }
  | { kind: 'model'; dir: string };

export interface OnnxExportRequest {
  source: OnnxExportSource;
  /** Default: <workspace>/.rlvr/onnx/<run>/step-<N>, or <workspace>/.rlvr/onnx/<model folder name>. */
  out?: string | undefined;
  /** Where the default `out` goes for a model folder (default: the current directory). */
  workspace?: string | undefined;
  tolerance?: number;
  python?: string | undefined;
  log: (line: string) => void;
  signal?: AbortSignal;
  /** Writes the export into the staging folder; default: the compute worker (tests inject a copy). */
  writeStaging?: (staging: string) => Promise<void>;
}

export interface OnnxExportResult {
  dir: string;
  manifest: string;
  runId: string | null;
  step: number | null;
  model: string;
  parity: ParityReport;
  seconds: number;
}

interface Plan {
  model: string;
  /** A training checkpoint to load over `model` first (null: export `model` itself). */
  checkpoint: { dir: string; step: number } | null;
  out: string;
  runId: string | null;
  run: RunRecord | null;
}

export async function exportOnnx(request: OnnxExportRequest): Promise<OnnxExportResult> {
  const started = Date.now();
  const tolerance = request.tolerance ?? DEFAULT_PARITY_TOLERANCE;
  if (!(tolerance > 0)) throw new UsageError(`--tolerance expects a number > 0, got ${tolerance}`);
  const plan = planExport(request);
  checkOutFolder(plan.out);
  const staging = `${plan.out}.partial-${process.pid}`;
  await rm(staging, { recursive: true, force: true });

  let parity: ParityReport;
  try {
    await (request.writeStaging ? request.writeStaging(staging) : writeWithWorker(plan, staging, request));
    request.log('checking the graph against PyTorch\'s logits in onnxruntime-node');
    parity = await checkParity(staging, tolerance);
  } catch (error) {
    await rm(staging, { recursive: true, force: true }); // cancelled or failed half-way: nothing worth keeping
    throw error;
  }
  await recordParityAndSource(staging, parity, plan);
  if (!parity.passed) {
    // Kept for inspection, under a manifest name nothing loads or lists as an export.
    await rename(join(staging, MANIFEST_FILE), join(staging, FAILED_MANIFEST_FILE));
    throw new OnnxParityError(parity, staging);
  }
  await rm(plan.out, { recursive: true, force: true }); // an earlier export of the same checkpoint (checked above)
  await rename(staging, plan.out);
  return {
    dir: plan.out, manifest: join(plan.out, MANIFEST_FILE), runId: plan.runId, step: plan.checkpoint?.step ?? null,
    model: plan.model, parity, seconds: (Date.now() - started) / 1000,
  };
}

function planExport(request: OnnxExportRequest): Plan {
  const { source } = request;
  if (source.kind === 'model') {
    const dir = resolve(source.dir);
    if (!existsSync(join(dir, 'config.json'))) {
      throw new UsageError(`--model ${source.dir} is not a Hugging Face model folder (no config.json)`, 'give a folder with config.json, weights and tokenizer.json');
    }
    const out = resolve(request.out ?? join(resolve(request.workspace ?? '.'), '.rlvr', 'onnx', basename(dir)));
    return { model: dir, checkpoint: null, out, runId: null, run: null };
  }
  const { run } = source;
  const checkpoints = runCheckpoints(run.workspace, run.id);
  if (checkpoints.length === 0) {
    throw new RlvrError(`run ${run.id} has no checkpoint under ${join(run.workspace, '.rlvr', 'checkpoints', run.id)}`, 'no_checkpoint',
      'checkpoints are saved every checkpointEvery steps and when a run stops; export the base model with --model instead');
  }
  const checkpoint = source.checkpoint === 'latest' ? checkpoints[checkpoints.length - 1] : checkpoints.find((c) => c.step === source.checkpoint);
  if (!checkpoint) {
    throw new UsageError(`run ${run.id} has no checkpoint at step ${source.checkpoint}`, `its checkpoints: ${checkpoints.map((c) => c.step).join(', ')} (or --checkpoint latest)`);
  }
  const out = resolve(request.out ?? join(run.workspace, '.rlvr', 'onnx', run.id, `step-${checkpoint.step}`));
  return { model: run.model, checkpoint, out, runId: run.id, run };
}

/** `out` may be new, empty, or an earlier ONNX export (replaced); anything else is refused. */
function checkOutFolder(out: string): void {
  if (!existsSync(out)) return;
  if (!statSync(out).isDirectory()) throw new UsageError(`--out ${out} is a file`, 'give a folder path');
  const entries = readdirSync(out);
  if (entries.length > 0 && !entries.includes(MANIFEST_FILE)) {
    throw new UsageError(`--out ${out} exists and is not an ONNX export (no ${MANIFEST_FILE}); it is left alone`, 'choose a new or empty folder');
  }
}

async function writeWithWorker(plan: Plan, staging: string, request: OnnxExportRequest): Promise<void> {
  const worker = await WorkerClient.start({ python: request.python, workspace: plan.run?.workspace ?? request.workspace });
  const options = {
    ...(request.signal ? { signal: request.signal } : {}),
    onProgress: (p: { stage: string; message?: string | undefined }) => { if (p.message) request.log(`${p.stage}: ${p.message}`); },
  };
  try {
    const params: ExportOnnxParams = { dir: staging };
    if (plan.run && plan.checkpoint) {
      const config = resolveConfig([{ source: `run ${plan.run.id} (stored config)`, values: plan.run.config }]);
      request.log(`loading ${plan.model} with the checkpoint of step ${plan.checkpoint.step}`);
      // beta 0: the export needs no frozen reference copy of the weights.
      await worker.request('load_policy', { ...loadPolicyParams(plan.model, config), beta: 0 }, options);
      await worker.request('load', { dir: plan.checkpoint.dir }, options);
    } else {
      params.model = plan.model;
    }
    request.log(`exporting to ONNX (a few seconds for a tiny model, minutes for a large one)`);
    await worker.request('export_onnx', params, options);
  } finally {
    await worker.close().catch(() => undefined);
  }
}

async function checkParity(dir: string, tolerance: number): Promise<ParityReport> {
  const manifest = await readManifest(dir);
  const decoder = await OnnxDecoder.create(dir, manifest, { executionProviders: ['cpu'] });
  try {
    return await measureParity(decoder, await readParityCases(dir, manifest), tolerance);
  } finally {
    await decoder.release();
  }
}

async function recordParityAndSource(dir: string, parity: ParityReport, plan: Plan): Promise<void> {
  const path = join(dir, MANIFEST_FILE);
  const manifest = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
  const record: ParityRecord = {
    passed: parity.passed, maxAbsDiff: parity.maxAbsDiff, tolerance: parity.tolerance, runtime: `onnxruntime-node ${ort.env.versions.node ?? 'unknown'}`, checkedAt: Date.now(),
  };
  manifest.parity = record;
  manifest.source = {
    ...(manifest.source as Record<string, unknown>),
    model: plan.model,
    ...(plan.runId ? { runId: plan.runId, step: plan.checkpoint?.step ?? null, checkpoint: plan.checkpoint?.dir ?? null } : {}),
  };
  await writeFile(path, `${JSON.stringify(manifest, null, 2)}\n`);
}
