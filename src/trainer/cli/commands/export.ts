import { parseArgs } from 'node:util';
import { UsageError } from '../../errors';
import { exportJsonl, exportTrlCompletions, openStoreReader } from '../../store';
import type { Command } from '../command';
import { storePathFor } from '../store-path';

const FORMATS = ['jsonl', 'trl-jsonl', 'trl-csv', 'onnx'] as const;
type Format = (typeof FORMATS)[number];
const ONNX_ONLY = ['model', 'checkpoint', 'tolerance', 'python', 'json'] as const;

const usage = `usage: rlvr export --run ID --out FILE [--format jsonl|trl-jsonl|trl-csv] [--kind train|eval] [--workspace DIR | --db FILE]
       rlvr export --format onnx (--run ID [--checkpoint N|latest] | --model DIR) [--out DIR] [--tolerance X]
                   [--workspace DIR | --db FILE] [--python PATH] [--json]

Exports a run's traces.
  jsonl      one full trace per line (prompt, completion, think, code, rewards, tests, flags, aha events, tokens)
  trl-jsonl  TRL's completions columns: step, prompt, completion, one column per reward, advantage
  trl-csv    the same as CSV (cells that a spreadsheet would evaluate as formulas are quoted)
Or a model, for solving in the editor without Python (docs/onnx.md):
  onnx       a run's checkpoint (LoRA merged; default the latest) or a Hugging Face folder (--model) as an ONNX
             decoder with KV cache + tokenizer + rlvr-onnx.json, into --out (default <workspace>/.rlvr/onnx/RUN/step-N
             or <workspace>/.rlvr/onnx/NAME). The export fails unless onnxruntime-node reproduces PyTorch's logits
             within --tolerance (default 1e-3). --json prints {format, dir, manifest, runId, step, model, parity, seconds}.`;

export const exportCommand: Command = {
  name: 'export',
  summary: 'export a run\'s traces (JSONL, TRL\'s completions table) or its model as ONNX for the editor',
  usage,
  async run(argv, io) {
    const { values } = parseArgs({
      args: argv, strict: true,
      options: {
        run: { type: 'string' }, out: { type: 'string' }, format: { type: 'string' }, kind: { type: 'string' },
        workspace: { type: 'string' }, db: { type: 'string' },
        model: { type: 'string' }, checkpoint: { type: 'string' }, tolerance: { type: 'string' }, python: { type: 'string' },
        json: { type: 'boolean' },
      },
    });
    const format = (values.format ?? 'jsonl') as Format;
    if (!FORMATS.includes(format)) throw new UsageError(`--format expects one of ${FORMATS.join(', ')}, got "${values.format}"`);
    if (format === 'onnx') {
      if (values.kind !== undefined) throw new UsageError('--kind applies to trace exports, not --format onnx', usage);
      // Loaded on demand: it pulls in onnxruntime-node, a native module no other command needs.
      const { runOnnxExport } = await import('./export-onnx.js');
      return runOnnxExport(values, io, usage);
    }
    const onnxFlag = ONNX_ONLY.find((flag) => values[flag] !== undefined);
    if (onnxFlag) throw new UsageError(`--${onnxFlag} applies to --format onnx only`, usage);
    if (!values.run || !values.out) throw new UsageError('--run ID and --out FILE are required', usage);
    if (values.kind !== undefined && values.kind !== 'train' && values.kind !== 'eval') {
      throw new UsageError(`--kind expects train or eval, got "${values.kind}"`);
    }
    const kind = values.kind as 'train' | 'eval' | undefined;
    const reader = await openStoreReader(storePathFor(values));
    try {
      const count = format === 'jsonl'
        ? await exportJsonl(reader.queries, values.run, values.out, kind ? { kind } : {})
        : await exportTrlCompletions(reader.queries, values.run, values.out, { format: format === 'trl-csv' ? 'csv' : 'jsonl', ...(kind ? { kind } : {}) });
      io.stderr(`exported ${count} traces to ${values.out}\n`);
      return 0;
    } finally {
      await reader.close();
    }
  },
};
