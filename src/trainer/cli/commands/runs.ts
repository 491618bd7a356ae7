import { parseArgs } from 'node:util';
import { openStoreReader, type RunRecord } from '../../store';
import type { Command } from '../command';
import { storePathFor } from '../store-path';

const usage = `usage: rlvr runs [--workspace DIR | --db FILE] [--json]

Lists the training runs in a trace store (default DIR/.rlvr/runs.db, DIR = current folder).
--json prints an array of {id, status, workspace, model, seed, createdAt, updatedAt, lastStep,
lastCheckpoint: {dir, step} | null, traceCount, error} (times in Unix ms; docs/cli.md).`;

export const runsCommand: Command = {
  name: 'runs',
  summary: 'list training runs in the trace store',
  usage,
  async run(argv, io) {
    const { values } = parseArgs({ args: argv, strict: true, options: { workspace: { type: 'string' }, db: { type: 'string' }, json: { type: 'boolean' } } });
    const reader = await openStoreReader(storePathFor(values));
    try {
      const runs = await reader.queries.listRuns();
      io.stdout(values.json ? `${JSON.stringify(runs.map(runJson))}\n` : `${runsTable(runs)}\n`);
      return 0;
    } finally {
      await reader.close();
    }
  },
};

export function runJson(r: RunRecord) {
  return {
    id: r.id, status: r.status, workspace: r.workspace, model: r.model, seed: r.seed,
    createdAt: r.createdAt, updatedAt: r.updatedAt, lastStep: r.lastStep,
    lastCheckpoint: r.lastCheckpoint ? { dir: r.lastCheckpoint.dir, step: r.lastCheckpoint.step } : null,
    traceCount: r.traceCount, error: r.error,
  };
}

function runsTable(runs: RunRecord[]): string {
  if (runs.length === 0) return 'no runs yet';
  const rows = runs.map((r) => [r.id, r.status, String(r.lastStep), String(r.traceCount), new Date(r.createdAt).toISOString().slice(0, 19), r.model]);
  const header = ['run', 'status', 'step', 'traces', 'created (UTC)', 'model'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}
