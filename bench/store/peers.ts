/**
 * The peers the store benchmark compares against, on the same schema and the same traces:
 * - ingest: the textbook way with the `sqlite3` package — one prepared statement per table and
 *   one `stmt.run()` call per row, either in transactions of the same batch size as ours or one
 *   transaction per trace;
 * - queries: the same read API on the same file after dropping our indexes.
 */
import type { Db, Stmt } from '../../src/trainer/store/sqlite';
import { encodeFloat32, encodeInt32, encodeUint32 } from '../../src/trainer/store/codec';
import { ahaRows, promptSha, traceRowJson } from '../../src/trainer/store/trace-rows';
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

  private async promptId(prompt: string): Promise<number> {
    const sha = promptSha(prompt);
    const known = this.promptIds.get(sha);
    if (known !== undefined) return known;
    await this.db.run('INSERT INTO prompts(sha, text) VALUES (?, ?) ON CONFLICT(sha) DO NOTHING', [sha, prompt]);
    const row = await this.db.get<{ id: number }>('SELECT id FROM prompts WHERE sha = ?', [sha]);
    this.promptIds.set(sha, row?.id as number);
    return row?.id as number;
  }

  /** Every value bound as a statement parameter: texts as strings, token arrays as their own buffers. */
  private async insertOne(t: TraceInput): Promise<void> {
    const [traces, bodies, flags, aha, stats] = this.statements as [Stmt, Stmt, Stmt, Stmt, Stmt];
    const id = this.nextId++;
    const row = JSON.parse(`[${traceRowJson(t, Date.now())}]`) as Cell[];
    await traces.run([id, this.runKey, await this.promptId(t.prompt), ...(row as (string | number | null)[])]);
    const tests = JSON.stringify((t.tests ?? []).map((r) => [r.testId, r.outcome, r.duration, r.message, r.heldOut ? 1 : 0]));
    const tok = t.tokens && t.tokens.ids.length > 0 ? t.tokens : null;
    await bodies.run([id, t.completion, t.think, t.answer, t.code, tests, tok?.ids.length ?? 0,
      tok ? encodeInt32(tok.ids) : null, tok ? encodeFloat32(tok.logprobs) : null,
      tok?.entropies ? encodeFloat32(tok.entropies) : null, tok?.offsets ? encodeUint32(tok.offsets) : null]);
    for (const [seq, f] of (t.flags ?? []).entries()) await flags.run([id, seq, f.code, f.message]);
    for (const a of ahaRows(t.ahaEvents)) await aha.run([id, ...a]);
    await stats.run([this.runKey, t.taskId, t.kind, t.passed ? 1 : 0, id, t.reward.total, t.step]);
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
