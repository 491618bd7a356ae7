import { parseArgs } from 'node:util';
import { UsageError } from '../../errors';
import { openStoreReader, searchIndexNote, type TraceQuery, type TraceSort, type TraceSummary } from '../../store';
import type { Command } from '../command';
import { storePathFor } from '../store-path';

const usage = `usage: rlvr traces --run ID [--workspace DIR | --db FILE] [filters] [--json]

Lists a run's traces, newest first unless --sort says otherwise.
filters:
  --step N | --steps A..B   one step or a range        --task ID          one task
  --passed | --failed       verification outcome       --kind train|eval
  --min-reward X --max-reward Y                        --finish stop|length
  --has-aha                 with backtracking cues     --flagged          reward-hacking flags
  --search TEXT             full-text search of prompt and completion (words; trailing * = prefix)
  --sort reward|step|length|id  --asc  --limit N (default 50, max 1000)  --cursor C (next page)
  --show ID                 print one trace in full (with tests, flags, aha events)
--json prints {traces: [...], nextCursor} (or the trace object for --show; docs/cli.md).`;

const SORTS: readonly TraceSort[] = ['reward', 'step', 'length', 'id'];

export const tracesCommand: Command = {
  name: 'traces',
  summary: 'list, filter, search or show a run\'s traces',
  usage,
  async run(argv, io) {
    const { values } = parseArgs({
      args: argv, strict: true,
      options: {
        run: { type: 'string' }, workspace: { type: 'string' }, db: { type: 'string' }, json: { type: 'boolean' },
        step: { type: 'string' }, steps: { type: 'string' }, task: { type: 'string' }, passed: { type: 'boolean' },
        failed: { type: 'boolean' }, kind: { type: 'string' }, 'min-reward': { type: 'string' }, 'max-reward': { type: 'string' },
        finish: { type: 'string' }, 'has-aha': { type: 'boolean' }, flagged: { type: 'boolean' }, search: { type: 'string' },
        sort: { type: 'string' }, asc: { type: 'boolean' }, limit: { type: 'string' }, cursor: { type: 'string' }, show: { type: 'string' },
      },
    });
    const reader = await openStoreReader(storePathFor(values));
    try {
      if (values.show) return await showTrace(reader.queries, values.show, values.json ?? false, io.stdout);
      if (!values.run) throw new UsageError('--run ID is required (list runs with `rlvr runs`)', usage);
      const page = await reader.queries.queryTraces(buildQuery(values.run, values));
      if (values.json) {
        io.stdout(`${JSON.stringify({ traces: page.rows, nextCursor: page.nextCursor, ...(page.searchIndex ? { searchIndex: page.searchIndex } : {}) })}\n`);
      } else {
        io.stdout(`${tracesTable(page.rows)}${page.nextCursor ? `\nmore: --cursor ${page.nextCursor}` : ''}\n`);
        // The search index is derived and may trail the newest traces (docs/store.md, "Search").
        const note = searchIndexNote(page.searchIndex);
        if (note) io.stderr(`note: ${note}\n`);
      }
      return 0;
    } finally {
      await reader.close();
    }
  },
};

type Flags = Record<string, string | boolean | undefined>;

function number(name: string, text: string | boolean | undefined): number | undefined {
  if (text === undefined || typeof text === 'boolean') return undefined;
  const value = Number(text);
  if (!Number.isFinite(value)) throw new UsageError(`--${name} expects a number, got "${text}"`);
  return value;
}

export function buildQuery(runId: string, v: Flags): TraceQuery {
  const query: TraceQuery = { runId };
  const step = number('step', v.step);
  if (step !== undefined) query.step = step;
  if (typeof v.steps === 'string') {
    const m = /^(\d*)\.\.(\d*)$/.exec(v.steps);
    if (!m) throw new UsageError(`--steps expects A..B (either side may be empty), got "${v.steps}"`);
    query.step = { ...(m[1] ? { min: Number(m[1]) } : {}), ...(m[2] ? { max: Number(m[2]) } : {}) };
  }
  if (typeof v.task === 'string') query.taskId = v.task;
  if (v.passed && v.failed) throw new UsageError('--passed and --failed exclude each other');
  if (v.passed) query.passed = true;
  if (v.failed) query.passed = false;
  if (typeof v.kind === 'string') {
    if (v.kind !== 'train' && v.kind !== 'eval') throw new UsageError(`--kind expects train or eval, got "${v.kind}"`);
    query.kind = v.kind;
  }
  const min = number('min-reward', v['min-reward']);
  const max = number('max-reward', v['max-reward']);
  if (min !== undefined) query.minReward = min;
  if (max !== undefined) query.maxReward = max;
  if (typeof v.finish === 'string') query.finishReason = v.finish;
  if (v['has-aha']) query.hasAha = true;
  if (v.flagged) query.flagged = true;
  if (typeof v.search === 'string') query.search = v.search;
  if (typeof v.sort === 'string') {
    if (!SORTS.includes(v.sort as TraceSort)) throw new UsageError(`--sort expects one of ${SORTS.join(', ')}, got "${v.sort}"`);
    query.sort = v.sort as TraceSort;
  }
  query.order = v.asc ? 'asc' : 'desc';
  const limit = number('limit', v.limit);
  if (limit !== undefined) query.limit = limit;
  if (typeof v.cursor === 'string') query.cursor = v.cursor;
  return query;
}

async function showTrace(queries: Awaited<ReturnType<typeof openStoreReader>>['queries'], idText: string, json: boolean, out: (t: string) => void): Promise<number> {
  const id = Number(idText);
  if (!Number.isInteger(id)) throw new UsageError(`--show expects a trace id (an integer), got "${idText}"`);
  const trace = await queries.getTrace(id);
  if (!trace) throw new UsageError(`no trace ${id} in this store`);
  if (json) {
    const tokens = trace.tokens && { ids: [...trace.tokens.ids], logprobs: [...trace.tokens.logprobs], entropies: trace.tokens.entropies ? [...trace.tokens.entropies] : null };
    out(`${JSON.stringify({ ...trace, tokens })}\n`);
    return 0;
  }
  const lines = [
    `trace ${trace.id} · run ${trace.runId} · step ${trace.step} · task ${trace.taskId} · ${trace.passed ? 'PASSED' : 'failed'} · reward ${trace.reward.total.toFixed(3)} (correctness ${trace.reward.correctness.toFixed(3)}, format ${trace.reward.format.toFixed(3)}, overlong ${trace.reward.overlong.toFixed(3)}) · advantage ${trace.advantage?.toFixed(3) ?? '-'}`,
    '', '--- prompt', trace.prompt, '', '--- completion', trace.completion, '',
    '--- tests', ...trace.tests.map((t) => `${t.outcome.padEnd(8)} ${t.heldOut ? '[held-out] ' : ''}${t.testId}${t.message ? ` — ${t.message.split('\n')[0]}` : ''}`),
    ...(trace.flags.length ? ['', '--- flags', ...trace.flags.map((f) => `${f.code}: ${f.message}`)] : []),
    ...(trace.ahaEvents.length ? ['', '--- aha events', ...trace.ahaEvents.map((e) => `${e.category.padEnd(10)} "${e.cue}" at ${(e.position * 100).toFixed(0)}% (${e.phase}) → ${e.consequence ?? 'no consequence'}`)] : []),
  ];
  out(`${lines.join('\n')}\n`);
  return 0;
}

function tracesTable(rows: TraceSummary[]): string {
  if (rows.length === 0) return 'no traces match';
  const cell = (t: TraceSummary) => [String(t.id), String(t.step), t.kind, t.taskId, t.passed ? 'pass' : 'fail', t.reward.total.toFixed(3),
    t.advantage === null ? '-' : t.advantage.toFixed(2), String(t.completionTokens), t.finishReason, t.flagged ? 'FLAG' : '', t.ahaCount ? `aha×${t.ahaCount}` : ''];
  const header = ['id', 'step', 'kind', 'task', 'ok', 'reward', 'adv', 'tokens', 'finish', '', ''];
  const rowsText = rows.map(cell);
  const widths = header.map((h, i) => Math.max(h.length, ...rowsText.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return [line(header), ...rowsText.map(line)].join('\n');
}
