/**
 * Finding exported ONNX models and offering them. An export is a folder holding `rlvr-onnx.json`
 * (docs/onnx.md), whose `source` names the run and checkpoint it came from. Exports are found by
 * looking under the workspace's `.rlvr` folder (`rlvr export --format onnx` writes to
 * `.rlvr/onnx/<run>/step-<N>` by default) to a small depth, so exports made with `--out` somewhere
 * under `.rlvr` are found too. No VS Code.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';

export const ONNX_MANIFEST = 'rlvr-onnx.json';
const MAX_DEPTH = 5;
const MAX_DIRS = 2000;
const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
/** Big folders that never hold an export. */
const SKIPPED = new Set(['cache', 'node_modules', '.git']);
/** A failed export's staging folder (`<out>.partial-<pid>`), kept for inspection: not a model. */
const STAGING = /\.partial-\d+$/;

export interface OnnxExport {
  dir: string;
  /** From the manifest's `source`, when it names a run. */
  runId: string | null;
  step: number | null;
  /** The manifest's modification time (ms). */
  exportedAt: number;
}

/** The run and step a manifest's `source` names (`{run, step}`, `{runId, checkpoint: {step}}` …). */
export function manifestSource(manifest: unknown): { runId: string | null; step: number | null } {
  const source = (manifest as { source?: unknown } | null)?.source;
  if (typeof source !== 'object' || source === null) return { runId: null, step: null };
  const s = source as Record<string, unknown>;
  const runId = [s.runId, s.run].find((v): v is string => typeof v === 'string' && v !== '') ?? null;
  const checkpoint = s.checkpoint as Record<string, unknown> | undefined;
  const step = [s.step, typeof checkpoint === 'object' && checkpoint !== null ? checkpoint.step : undefined]
    .find((v): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0) ?? null;
  return { runId, step };
}

/** The export in `dir`, or null when `dir` has no readable `rlvr-onnx.json` of the right format. */
export async function readOnnxExport(dir: string): Promise<OnnxExport | null> {
  const path = join(dir, ONNX_MANIFEST);
  try {
    const info = await stat(path);
    if (!info.isFile() || info.size > MAX_MANIFEST_BYTES) return null;
    const manifest = JSON.parse(await readFile(path, 'utf8')) as { format?: unknown };
    if (manifest.format !== 'rlvr-onnx') return null;
    return { dir, ...manifestSource(manifest), exportedAt: info.mtimeMs };
  } catch {
    return null;
  }
}

/** Every export under `root` (breadth-first, bounded), newest first. */
export async function findOnnxExports(root: string): Promise<OnnxExport[]> {
  const found: OnnxExport[] = [];
  let level = [root];
  let visited = 0;
  for (let depth = 0; depth <= MAX_DEPTH && level.length > 0 && visited < MAX_DIRS; depth++) {
    const next: string[] = [];
    for (const dir of level) {
      if (++visited > MAX_DIRS) break;
      const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
      if (entries.some((e) => e.isFile() && e.name === ONNX_MANIFEST)) {
        const exported = await readOnnxExport(dir);
        if (exported) found.push(exported);
        continue; // an export folder holds no other export
      }
      for (const e of entries) if (e.isDirectory() && !SKIPPED.has(e.name) && !STAGING.test(e.name)) next.push(join(dir, e.name));
    }
    level = next;
  }
  return found.sort((a, b) => b.exportedAt - a.exportedAt);
}

export interface RunWithCheckpoint {
  id: string;
  status: string;
  lastCheckpoint: { dir: string; step: number } | null;
}

export type ModelChoice =
  | { kind: 'onnx'; dir: string; runId: string | null; step: number | null }
  /** The run has a checkpoint but no ONNX export of it: offer to export. */
  | { kind: 'export'; runId: string; step: number }
  | { kind: 'browse' };

/**
 * What the model picker offers, in order: exports of `preferRun` (the run the task comes from), then
 * the other exports and the recent folders, then an export for each run whose latest checkpoint has
 * none, then "choose a folder".
 */
export function modelChoices(exports: readonly OnnxExport[], runs: readonly RunWithCheckpoint[], preferRun: string | null): ModelChoice[] {
  const rank = (e: OnnxExport) => (e.runId !== null && e.runId === preferRun ? 0 : 1);
  const onnx = [...exports].sort((a, b) => rank(a) - rank(b) || b.exportedAt - a.exportedAt)
    .map((e): ModelChoice => ({ kind: 'onnx', dir: e.dir, runId: e.runId, step: e.step }));
  const exported = new Set(exports.map((e) => `${e.runId}\0${e.step}`));
  const offers = runs
    .filter((r) => r.lastCheckpoint !== null && r.status !== 'running' && !exported.has(`${r.id}\0${r.lastCheckpoint.step}`))
    .sort((a, b) => (a.id === preferRun ? -1 : b.id === preferRun ? 1 : 0))
    .map((r): ModelChoice => ({ kind: 'export', runId: r.id, step: r.lastCheckpoint?.step ?? 0 }));
  return [...onnx, ...offers, { kind: 'browse' }];
}
