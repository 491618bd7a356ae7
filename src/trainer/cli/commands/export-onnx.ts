/** `rlvr export --format onnx`: flags → exportOnnx (src/trainer/export/onnx-export.ts) → report. */
import { UsageError } from '../../errors';
import { exportOnnx, type OnnxExportSource } from '../../export/onnx-export';
import { openStoreReader } from '../../store';
import type { CommandIO } from '../command';
import { storePathFor } from '../store-path';

export interface OnnxExportFlags {
  run?: string | undefined;
  model?: string | undefined;
  checkpoint?: string | undefined;
  out?: string | undefined;
  tolerance?: string | undefined;
  workspace?: string | undefined;
  db?: string | undefined;
  python?: string | undefined;
  json?: boolean | undefined;
}

export async function runOnnxExport(flags: OnnxExportFlags, io: CommandIO, usage: string): Promise<number> {
  if (!flags.run === !flags.model) throw new UsageError('--format onnx needs exactly one of --run ID or --model DIR', usage);
  if (flags.model && flags.checkpoint !== undefined) throw new UsageError('--checkpoint applies to --run, not --model', usage);
  const tolerance = flags.tolerance === undefined ? undefined : Number(flags.tolerance);
  if (tolerance !== undefined && !(tolerance > 0)) throw new UsageError(`--tolerance expects a number > 0, got "${flags.tolerance}"`);
  const source = flags.run ? await runSource(flags.run, flags) : { kind: 'model' as const, dir: flags.model as string };
  const result = await exportOnnx({
    source, out: flags.out, workspace: flags.workspace, python: flags.python, signal: io.signal,
    ...(tolerance !== undefined ? { tolerance } : {}),
    log: (line) => io.stderr(`${line}\n`),
  });
  if (flags.json) {
    io.stdout(`${JSON.stringify({
      format: 'onnx', dir: result.dir, manifest: result.manifest, runId: result.runId, step: result.step, model: result.model,
      parity: { maxAbsDiff: result.parity.maxAbsDiff, tolerance: result.parity.tolerance, passed: result.parity.passed, cases: result.parity.cases },
      seconds: result.seconds,
    })}\n`);
  } else {
    io.stdout(`exported ${result.runId ? `${result.runId} step ${result.step}` : result.model} to ${result.dir}\n`
      + `onnxruntime-node reproduces PyTorch's logits within ${result.parity.maxAbsDiff.toExponential(2)} (tolerance ${result.parity.tolerance.toExponential(2)})\n`);
  }
  return 0;
}

async function runSource(runId: string, flags: OnnxExportFlags): Promise<OnnxExportSource> {
  const checkpoint = parseCheckpoint(flags.checkpoint);
  const path = storePathFor(flags);
  const reader = await openStoreReader(path);
  try {
    const run = await reader.queries.getRun(runId);
    if (!run) throw new UsageError(`no run "${runId}" in ${path} (list runs with \`rlvr runs\`)`);
    return { kind: 'run', run, checkpoint };
  } finally {
    await reader.close();
  }
}

function parseCheckpoint(value: string | undefined): number | 'latest' {
  if (value === undefined || value === 'latest') return 'latest';
  const step = Number(value);
  if (!Number.isInteger(step) || step < 0) throw new UsageError(`--checkpoint expects a step number or "latest", got "${value}"`);
  return step;
}
