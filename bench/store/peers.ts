/**
 * The peers the store benchmark compares against, on the same schema and the same traces:
 * - ingest: the textbook way with the `sqlite3` package — one prepared statement per table and
 *   one `stmt.run()` call per row, either in transactions of the same batch size as ours or one
 *   transaction per trace;
 * - queries: the same read API on the same file after dropping our indexes.
 */
import type { Db, Stmt } from '../../src/trainer/store/sqlite';
import { prepareTrace, type PreparedTrace } from '../../src/trainer/store/trace-rows';
import type { TraceInput } from '../../src/trainer/store/types';

const TRACE_SQL = `INSERT INTO traces(id, run_key, prompt_id, step, kind, eval_label, task_id, group_index, sample_index,
  reward_total, reward_correctness, reward_format, reward_overlong, advantage, prompt_tokens, completion_tokens,
  finish_reason, passed, pass_fraction, flagged, aha_count, created_at) VALUES (${Array(22).fill('?').join(', ')})`;
const BODY_SQL = `INSERT INTO trace_bodies(trace_id, completion, think, answer, code, tests, token_count, token_ids, logprobs, entropies, offsets)
  VALUES (${Array(11).fill('?').join(', ')})`;
const FLAG_SQL = 'INSERT INTO flags(trace_id, seq, code, message) VALUES (?, ?, ?, ?)';
const AHA_SQL = `INSERT INTO aha_events(trace_id, seq, category, cue, char_start, char_end, token_index, position, phase, consequence, entropy, forking)
  VALUES (${Array(12).fill('?').join(', ')})`;
const STATS_SQL = `INSERT INTO task_stats(run_key, task_id, kind, samples, passed, best_trace_id, best_reward, last_step)
  VALUES (?, ?, ?, 1, ?, ?, ?, ?) ON CONFLICT (run_key, task_id, kind) DO UPDATE SET samples = samples + 1, passed = passed + excluded.passed,
  best_trace_id = iif(excluded.best_reward >= best_reward, excluded.best_trace_id, best_trace_id),
  best_reward = max(best_reward, excluded.best_reward), last_step = max(last_step, excluded.last_step)`;

type Cell = string | number | null | Buffer;

export class RowAtATimeWriter {
  private statements: Stmt[] = [];
  private nextId = 1;

  private constructor(private readonly db: Db, private readonly runKey: number, private readonly promptIds: Map<string, number>) {}

  static async open(db: Db, runKey: number): Promise<RowAtATimeWriter> {
    const writer = new RowAtATimeWriter(db, runKey, new Map());
    writer.statements = await Promise.all([TRACE_SQL, BODY_SQL, FLAG_SQL, AHA_SQL, STATS_SQL].map((sql) => db.prepare(sql)));
    const last = await db.get<{ last: number | null }>('SELECT max(id) AS last FROM traces');
    writer.nextId = (last?.last ?? 0) + 1;
    return writer;
  }

  private async promptId(trace: PreparedTrace): Promise<number> {
    const known = this.promptIds.get(trace.promptSha);
    if (known !== undefined) return known;
    await this.db.run('INSERT INTO prompts(sha, text) VALUES (?, ?) ON CONFLICT(sha) DO NOTHING', [trace.promptSha, trace.prompt]);
    const row = await this.db.get<{ id: number }>('SELECT id FROM prompts WHERE sha = ?', [trace.promptSha]);
    this.promptIds.set(trace.promptSha, row?.id as number);
    return row?.id as number;
  }

  private async insertOne(input: TraceInput): Promise<void> {
    const [traces, bodies, flags, aha, stats] = this.statements as [Stmt, Stmt, Stmt, Stmt, Stmt];
    const t = prepareTrace(input, Date.now());
    const id = this.nextId++;
    const row = JSON.parse(`[${t.rowJson}]`) as Cell[];
    await traces.run([id, this.runKey, await this.promptId(t), ...(row as (string | number | null)[])]);
    const body = JSON.parse(`[${t.bodyJson}]`) as (string | null)[];
    const tok = t.tokens;
    await bodies.run([id, ...body, tok?.count ?? 0, tok?.ids ?? null, tok?.logprobs ?? null, tok?.entropies ?? null, tok?.offsets ?? null]);
    for (const f of t.flags) await flags.run([id, ...f]);
    for (const a of t.aha) await aha.run([id, ...a]);
    await stats.run([this.runKey, t.taskId, t.kind, t.passed ? 1 : 0, id, t.reward, t.step]);
  }

  /** `perTransaction` traces per BEGIN…COMMIT. */
  async write(traces: readonly TraceInput[], perTransaction: number): Promise<void> {
    for (let start = 0; start < traces.length; start += perTransaction) {
      await this.db.run('BEGIN IMMEDIATE');
      for (const t of traces.slice(start, start + perTransaction)) await this.insertOne(t);
      await this.db.run('COMMIT');
    }
  }

  async close(): Promise<void> {
    for (const s of this.statements) await s.finalize();
  }
}

export const OUR_INDEXES = [
  'traces_by_run', 'traces_by_step', 'traces_by_reward', 'traces_by_length', 'traces_by_task', 'traces_flagged', 'traces_with_aha',
];
