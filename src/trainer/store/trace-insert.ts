/**
 * Bulk inserts of prepared traces, inside the caller's transaction. Each table gets ONE statement
 * per chunk: `INSERT … SELECT … FROM jsonb_each(?)` over a JSON array of rows, so SQLite parses the
 * rows in C instead of the driver crossing into JS once per row (the per-call cost of the
 * `sqlite3` package is what limits row-at-a-time inserts, and binding each value as its own
 * parameter costs ~0.6 µs a value in that package, more than the JSON). The bodies' texts and
 * token arrays travel as one BLOB parameter (trace-payload.ts) that each row slices with substr().
 */
import type { Db, Stmt } from './sqlite';
import { packPayloads } from './trace-payload';
import { AHA_COLUMNS, BODY_FIELDS, SPAN_COLUMNS, TRACE_COLUMNS, type PreparedTrace } from './trace-rows';

type Cell = string | number | null;

export interface ResolvedTrace {
  trace: PreparedTrace;
  id: number;
  runKey: number;
  promptId: number;
}

/** Keeps JSON parameters to a few MB however large the batch. */
const CHUNK = 1000;

function jsonInsertSql(table: string, columns: readonly string[]): string {
  const values = columns.map((_, i) => `value->>${i}`).join(', ');
  return `INSERT INTO ${table}(${columns.join(', ')}) SELECT ${values} FROM jsonb_each(?)`;
}

/** trace_id, token_count and the SPAN_COLUMNS come first in a body row. */
const BODY_LEAD = 2 + SPAN_COLUMNS.length;

/**
 * A body row is `[trace_id, token_count, ...spans, offset, length, offset, length, …]`: one pair
 * per BODY_FIELDS entry, 1-based in the chunk blob ?2. A NULL pair makes substr() NULL, a NULL
 * column. Texts are cast back from bytes to TEXT (the bytes are UTF-8, the file's encoding).
 */
function bodyColumn(k: number, type: 'TEXT' | 'BLOB'): string {
  const bytes = `substr(?2, value->>${BODY_LEAD + 2 * k}, value->>${BODY_LEAD + 1 + 2 * k})`;
  return type === 'TEXT' ? `CAST(${bytes} AS TEXT)` : bytes;
}

const BODIES_SQL = `INSERT INTO trace_bodies(trace_id, token_count, ${SPAN_COLUMNS.join(', ')}, ${BODY_FIELDS.map((f) => f.column).join(', ')})
  SELECT ${Array.from({ length: BODY_LEAD }, (_, i) => `value->>${i}`).join(', ')}, ${BODY_FIELDS.map((f, k) => bodyColumn(k, f.type)).join(', ')}
  FROM jsonb_each(?1)`;

const TASK_STATS_SQL = `INSERT INTO task_stats(run_key, task_id, kind, samples, passed, best_trace_id, best_reward, last_step)
  SELECT value->>0, value->>1, value->>2, value->>3, value->>4, value->>5, value->>6, value->>7 FROM jsonb_each(?) WHERE true
  ON CONFLICT (run_key, task_id, kind) DO UPDATE SET
    samples = samples + excluded.samples,
    passed = passed + excluded.passed,
    best_trace_id = iif(excluded.best_reward >= best_reward, excluded.best_trace_id, best_trace_id),
    best_reward = max(best_reward, excluded.best_reward),
    last_step = max(last_step, excluded.last_step)`;

const STATEMENTS = {
  traces: jsonInsertSql('traces', ['id', 'run_key', 'prompt_id', ...TRACE_COLUMNS]),
  bodies: BODIES_SQL,
  flags: jsonInsertSql('flags', ['trace_id', 'seq', 'code', 'message']),
  aha: jsonInsertSql('aha_events', ['trace_id', ...AHA_COLUMNS]),
  taskStats: TASK_STATS_SQL,
} as const;

type StatementName = keyof typeof STATEMENTS;

/** One task_stats row per (run, task, kind) of the chunk; traces arrive in id order. */
function taskStatsRows(chunk: readonly ResolvedTrace[]): Cell[][] {
  const rows = new Map<string, [number, string, string, number, number, number, number, number]>();
  for (const { trace, id, runKey } of chunk) {
    const key = `${runKey}\0${trace.taskId}\0${trace.kind}`;
    const row = rows.get(key);
    if (!row) {
      rows.set(key, [runKey, trace.taskId, trace.kind, 1, trace.passed ? 1 : 0, id, trace.reward, trace.step]);
      continue;
    }
    row[3] += 1;
    row[4] += trace.passed ? 1 : 0;
    if (trace.reward >= row[6]) { row[5] = id; row[6] = trace.reward; }
    row[7] = Math.max(row[7], trace.step);
  }
  return [...rows.values()];
}

export class TraceInserter {
  private readonly statements = new Map<StatementName, Stmt>();

  constructor(private readonly db: Db) {}

  private async statement(name: StatementName): Promise<Stmt> {
    let stmt = this.statements.get(name);
    if (!stmt) {
      stmt = await this.db.prepare(STATEMENTS[name]);
      this.statements.set(name, stmt);
    }
    return stmt;
  }

  private async run(name: StatementName, json: string, blob?: Buffer): Promise<void> {
    await (await this.statement(name)).run(blob ? [json, blob] : [json]);
  }

  /** Must run inside a write transaction; ids are already assigned, in ascending order. */
  async insert(traces: readonly ResolvedTrace[]): Promise<void> {
    for (let start = 0; start < traces.length; start += CHUNK) {
      await this.insertChunk(traces.slice(start, start + CHUNK));
    }
  }

  private async insertChunk(chunk: readonly ResolvedTrace[]): Promise<void> {
    await this.run('traces', `[${chunk.map((r) => `[${r.id},${r.runKey},${r.promptId},${r.trace.rowJson}]`).join(',')}]`);
    const { blob, fields } = packPayloads(chunk.map((r) => r.trace.body));
    await this.run('bodies', `[${chunk.map((r, i) => `[${r.id},${r.trace.tokenCount},${r.trace.spansJson},${fields[i]}]`).join(',')}]`, blob);
    const flags = chunk.flatMap((r) => r.trace.flags.map((f) => [r.id, ...f]));
    if (flags.length > 0) await this.run('flags', JSON.stringify(flags));
    const aha = chunk.flatMap((r) => r.trace.aha.map((a) => [r.id, ...a]));
    if (aha.length > 0) await this.run('aha', JSON.stringify(aha));
    await this.run('taskStats', JSON.stringify(taskStatsRows(chunk)));
  }

  async finalize(): Promise<void> {
    for (const stmt of this.statements.values()) await stmt.finalize();
    this.statements.clear();
  }
}
