import { parseArgs } from 'node:util';
import { UsageError } from '../../errors';
import { exportJsonl, exportTrlCompletions, openStoreReader } from '../../store';
import type { Command } from '../command';
import { storePathFor } from '../store-path';

const FORMATS = ['jsonl', 'trl-jsonl', 'trl-csv'] as const;
type Format = (typeof FORMATS)[number];

const usage = `usage: rlvr export --run ID --out FILE [--format jsonl|trl-jsonl|trl-csv] [--kind train|eval] [--workspace DIR | --db FILE]

Exports a run's traces.
  jsonl      one full trace per line (prompt, completion, think, code, rewards, tests, flags, aha events, tokens)
  trl-jsonl  TRL's completions columns: step, prompt, completion, one column per reward, advantage
  trl-csv    the same as CSV (cells that a spreadsheet would evaluate as formulas are quoted)`;

export const exportCommand: Command = {
  name: 'export',
  summary: 'export a run\'s traces as JSONL or TRL\'s completions table',
  usage,
  async run(argv, io) {
    const { values } = parseArgs({
      args: argv, strict: true,
      options: {
        run: { type: 'string' }, out: { type: 'string' }, format: { type: 'string' }, kind: { type: 'string' },
        workspace: { type: 'string' }, db: { type: 'string' },
      },
    });
    if (!values.run || !values.out) throw new UsageError('--run ID and --out FILE are required', usage);
    const format = (values.format ?? 'jsonl') as Format;
    if (!FORMATS.includes(format)) throw new UsageError(`--format expects one of ${FORMATS.join(', ')}, got "${values.format}"`);
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
