/**
 * The writer side of the trace store, used by the training loop. Runs, steps, tasks and
 * evaluations are small and written at once; traces go through the group-commit queue.
 *
 *   const store = await openStore('.rlvr/runs.db');
 *   const run = await store.createRun({ workspace, model, config, seed });
 *   const ids = await store.recordTraces(traces);   // resolves after COMMIT
 *   await store.close();
 */
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Db } from './sqlite';
import { StoreError, invalidInput } from './errors';
import { openConnection, type ConnectionOptions } from './open';
import { StoreQueries } from './queries';
import { TraceInserter } from './trace-insert';
import { TraceQueue } from './trace-queue';
import { Checkpointer } from './checkpointer';
import { SearchIndexer, type StoreLog } from './search-index';
import { PayloadArena } from './trace-payload';
import { ahaRows, AHA_COLUMNS, prepareTrace } from './trace-rows';
import { ahaEventsProblem, runIdProblem, traceProblem } from './validate';
import {
  RUN_STATUSES, STEP_METRIC_COLUMNS, STEP_METRIC_NAMES,
  type AhaEventInput, type EvaluationInput, type JsonObject, type NewRun, type RunRecord, type RunTaskInput,
  type RunUpdate, type StepMetricsInput, type TraceInput,
} from './types';

export interface StoreOptions extends ConnectionOptions {
  /** Traces per transaction before a flush starts without waiting (default 1000). */
  batchSize?: number;
  /** How long a trace may wait for more to join its transaction (default 50 ms). */
  flushDelayMs?: number;
  /** Clock for timestamps (tests). */
  now?: () => number;
  /** Where the store reports what it repaired (a rebuilt search index); stderr by default. */
  log?: StoreLog;
}

/** r-YYYYMMDD-HHMMSS-xxxx (UTC): sorts by time, readable in a terminal, unique enough per second. */
function newRunId(now: number): string {
  const stamp = new Date(now).toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `r-${stamp}-${randomBytes(2).toString('hex')}`;
}

const STEP_SQL = `INSERT OR REPLACE INTO steps(run_key, step, created_at, ${STEP_METRIC_NAMES.map((n) => STEP_METRIC_COLUMNS[n]).join(', ')}, extra)
  VALUES (?, ?, ?, ${STEP_METRIC_NAMES.map(() => '?').join(', ')}, ?)`;

export class Store {
  readonly queries: StoreQueries;
  private readonly inserter: TraceInserter;
  private readonly queue: TraceQueue;
  private readonly now: () => number;
  private readonly arena = new PayloadArena();
  private closing: Promise<void> | null = null;

  private constructor(readonly db: Db, private readonly checkpointer: Checkpointer, private readonly indexer: SearchIndexer | null, options: StoreOptions) {
    this.queries = new StoreQueries(db);
    this.inserter = new TraceInserter(db);
    this.queue = new TraceQueue(db, this.inserter, {
      batchSize: options.batchSize ?? 1000,
      flushDelayMs: options.flushDelayMs ?? 50,
      beforeBatch: () => checkpointer.restartIfLarge(),
      afterCommit: () => { checkpointer.afterCommit(); indexer?.afterCommit(); },
    });
    this.now = options.now ?? Date.now;
  }

  static async open(path: string, options: StoreOptions = {}): Promise<Store> {
    const db = await openConnection(path, { ...options, readOnly: false });
    try {
      const checkpointer = await Checkpointer.open(db);
      return new Store(db, checkpointer, await openIndexer(db, options.log ?? logToStderr), options);
    } catch (err) {
      await db.close().catch(() => undefined);
      throw err;
    }
  }

  get path(): string {
    return this.db.path;
  }

  private async runKey(runId: string): Promise<number> {
    const row = await this.db.get<{ key: number }>('SELECT key FROM runs WHERE id = ?', [runId]);
    if (!row) throw new StoreError(`no run "${runId}" in ${this.db.path}`, 'store_not_found', 'Create the run with createRun() first, or check the run id (`rlvr runs`).');
    return row.key;
  }

  private async requireRun(runId: string): Promise<RunRecord> {
    const run = await this.queries.getRun(runId);
    if (!run) throw new StoreError(`no run "${runId}" in ${this.db.path}`, 'store_not_found', 'Check the run id (`rlvr runs`).');
    return run;
  }

  async createRun(run: NewRun): Promise<RunRecord> {
    const now = this.now();
    const id = run.id ?? newRunId(now);
    const problem = runIdProblem(id) ?? (Number.isInteger(run.seed) ? null : `seed must be an integer, got ${run.seed}`);
    if (problem) throw invalidInput('createRun', problem);
    await this.db.exclusive(() => this.db.run(
      `INSERT INTO runs(id, created_at, updated_at, status, workspace, model, config, seed, writer_pid, writer_host)
       VALUES (?, ?, ?, 'running', ?, ?, ?, ?, ?, ?)`,
      [id, now, now, run.workspace, run.model, JSON.stringify(run.config), run.seed, process.pid, hostname()],
    ).catch((err: unknown) => {
      if (err instanceof Error && /UNIQUE constraint failed: runs.id/.test(err.message)) {
        throw new StoreError(`a run "${id}" already exists in ${this.db.path}`, 'store_invalid_input', 'Pick another id, or resume the run instead.');
      }
      throw err;
    }));
    return this.requireRun(id);
  }

  /**
   * Status, last step, checkpoint (dir, step and resume state) and error, each only if given.
   * Setting status "running" (a resume) also records this process as the run's writer.
   */
  async updateRun(runId: string, update: RunUpdate): Promise<RunRecord> {
    if (update.status !== undefined && !RUN_STATUSES.includes(update.status)) {
      throw invalidInput(`updateRun(${runId})`, `status must be one of ${RUN_STATUSES.join(', ')}, got ${String(update.status)}`);
    }
    const sets: string[] = ['updated_at = ?'];
    const params: (string | number | null)[] = [this.now()];
    const set = (column: string, value: string | number | null) => { sets.push(`${column} = ?`); params.push(value); };
    if (update.status !== undefined) set('status', update.status);
    if (update.status === 'running') { set('writer_pid', process.pid); set('writer_host', hostname()); }
    if (update.lastStep !== undefined) set('last_step', update.lastStep);
    if (update.error !== undefined) set('error', update.error);
    if (update.checkpoint !== undefined) {
      set('checkpoint_dir', update.checkpoint.dir);
      set('checkpoint_step', update.checkpoint.step);
      set('checkpoint_state', JSON.stringify(update.checkpoint.state ?? null));
    }
    const result = await this.db.exclusive(() => this.db.run(`UPDATE runs SET ${sets.join(', ')} WHERE id = ?`, [...params, runId]));
    if (result.changes === 0) await this.requireRun(runId);
    return this.requireRun(runId);
  }

  /** Upserts the step's metrics (a resumed step replaces its row) and advances the run's last step. */
  async recordStep(runId: string, step: number, metrics: StepMetricsInput): Promise<void> {
    if (!Number.isInteger(step) || step < 0) throw invalidInput(`recordStep(${runId})`, `step must be an integer >= 0, got ${step}`);
    const extra: JsonObject = { ...(metrics.extra ?? {}) };
    const nonFinite: JsonObject = {};
    const values = STEP_METRIC_NAMES.map((name) => {
      const value = metrics[name];
      if (value === undefined || value === null) return null;
      if (typeof value !== 'number') throw invalidInput(`recordStep(${runId}, ${step})`, `metric ${name} must be a number, got ${typeof value}`);
      if (Number.isNaN(value)) nonFinite[name] = 'NaN';
      return Number.isNaN(value) ? null : value;
    });
    if (Object.keys(nonFinite).length > 0) extra.nonFinite = nonFinite;
    const health = metrics.health ?? [];
    const bad = health.findIndex((w) => typeof w.code !== 'string' || w.code === '' || typeof w.message !== 'string'
      || (w.severity !== 'warning' && w.severity !== 'critical'));
    if (bad >= 0) throw invalidInput(`recordStep(${runId}, ${step})`, `health[${bad}] needs a code, a message and severity "warning" or "critical", got ${JSON.stringify(health[bad])}`);
    await this.db.transaction(async () => {
      const key = await this.runKey(runId);
      const now = this.now();
      await this.db.run(STEP_SQL, [key, step, now, ...values, JSON.stringify(extra)]);
      // Explicit, not left to the REPLACE above: a replaced step must not keep its old warnings.
      await this.db.run('DELETE FROM step_warnings WHERE run_key = ? AND step = ?', [key, step]);
      if (health.length > 0) {
        await this.db.run(`INSERT INTO step_warnings(run_key, step, seq, code, severity, message)
          SELECT ?, ?, key, value->>0, value->>1, value->>2 FROM json_each(?)`,
        [key, step, JSON.stringify(health.map((w) => [w.code, w.severity, w.message]))]);
      }
      await this.db.run('UPDATE runs SET last_step = max(last_step, ?), updated_at = ? WHERE key = ?', [step, now, key]);
    });
  }

  async recordRunTasks(runId: string, tasks: readonly RunTaskInput[]): Promise<void> {
    for (const t of tasks) {
      if (typeof t.taskId !== 'string' || t.taskId === '' || (t.split !== 'train' && t.split !== 'eval')) {
        throw invalidInput(`recordRunTasks(${runId})`, `each task needs a taskId and split "train" or "eval", got ${JSON.stringify({ taskId: t.taskId, split: t.split })}`);
      }
    }
    const rows = JSON.stringify(tasks.map((t) => [t.taskId, t.split, JSON.stringify(t.task)]));
    await this.db.transaction(async () => {
      const key = await this.runKey(runId);
      await this.db.run('INSERT OR REPLACE INTO run_tasks(run_key, task_id, split, task) SELECT ?, value->>0, value->>1, value->>2 FROM json_each(?)', [key, rows]);
    });
  }

  /** Recording the same label again (a resumed run) replaces it. */
  async recordEvaluation(e: EvaluationInput): Promise<void> {
    const badK = Object.entries(e.passAtK).find(([k, v]) => !/^[1-9][0-9]*$/.test(k) || !Number.isFinite(v) || v < 0 || v > 1);
    if (badK) throw invalidInput(`recordEvaluation(${e.runId}, ${e.label})`, `pass@k needs integer keys and values in 0..1, got ${JSON.stringify(badK)}`);
    const curve = e.curve ?? null;
    if (curve && (curve.length !== e.n || curve.some((v) => !Number.isFinite(v) || v < 0 || v > 1))) {
      throw invalidInput(`recordEvaluation(${e.runId}, ${e.label})`, `curve needs n = ${e.n} values in 0..1 (pass@1..pass@n), got ${JSON.stringify(curve)}`);
    }
    await this.db.transaction(async () => {
      const key = await this.runKey(e.runId);
      await this.db.run(
        `INSERT INTO evaluations(run_key, label, step, checkpoint, n, tasks, pass_at_k, regression, curve, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (run_key, label) DO UPDATE SET step = excluded.step, checkpoint = excluded.checkpoint, n = excluded.n,
           tasks = excluded.tasks, pass_at_k = excluded.pass_at_k, regression = excluded.regression, curve = excluded.curve,
           created_at = excluded.created_at`,
        [key, e.label, e.step, e.checkpoint, e.n, JSON.stringify(e.tasks), JSON.stringify(e.passAtK),
          e.regression === null ? null : e.regression ? 1 : 0, curve === null ? null : JSON.stringify(curve), this.now()]);
    });
  }

  /**
   * Queues traces (with their tests, tokens, flags and aha events) for the next group commit.
   * Resolves with their ids, in order, once they are committed: after a crash, every trace whose
   * promise resolved is in the file. A bad trace rejects the call before anything is queued.
   */
  recordTraces(traces: readonly TraceInput[]): Promise<number[]> {
    if (this.closing) return Promise.reject(new StoreError(`the trace store ${this.db.path} is closing`, 'store_closed', 'Record traces before close().'));
    const now = this.now();
    try {
      for (const [i, t] of traces.entries()) {
        const problem = traceProblem(t);
        if (problem) throw invalidInput(`recordTraces: trace ${i} (run ${String(t.runId)}, step ${String(t.step)}, task ${String(t.taskId)})`, problem);
      }
      return this.queue.enqueue(traces.map((t) => prepareTrace(t, now, this.arena)));
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /** Replaces a trace's aha events (the analysis fills them after the fact) and its aha_count. */
  async replaceAhaEvents(traceId: number, events: readonly AhaEventInput[]): Promise<void> {
    const problem = ahaEventsProblem(events);
    if (problem) throw invalidInput(`replaceAhaEvents(${traceId})`, problem);
    const rows = JSON.stringify(ahaRows(events).map((r) => [traceId, ...r]));
    const columns = ['trace_id', ...AHA_COLUMNS];
    await this.db.transaction(async () => {
      const updated = await this.db.run('UPDATE traces SET aha_count = ? WHERE id = ?', [events.length, traceId]);
      if (updated.changes === 0) throw new StoreError(`no trace ${traceId} in ${this.db.path}`, 'store_not_found', 'Check the trace id.');
      await this.db.run('DELETE FROM aha_events WHERE trace_id = ?', [traceId]);
      await this.db.run(`INSERT INTO aha_events(${columns.join(', ')}) SELECT ${columns.map((_, i) => `value->>${i}`).join(', ')} FROM json_each(?)`, [rows]);
    });
  }

  /**
   * Deletes what a run recorded after `step` (traces, steps, evaluations): a resume from the
   * checkpoint at `step` redoes those steps, and would otherwise store them twice.
   */
  async discardAfterStep(runId: string, step: number): Promise<{ traces: number; steps: number; evaluations: number }> {
    await this.flush();
    return this.db.transaction(async () => {
      const key = await this.runKey(runId);
      const traces = await this.db.run('DELETE FROM traces WHERE run_key = ? AND step > ?', [key, step]);
      const steps = await this.db.run('DELETE FROM steps WHERE run_key = ? AND step > ?', [key, step]);
      const evaluations = await this.db.run('DELETE FROM evaluations WHERE run_key = ? AND step > ?', [key, step]);
      await this.rebuildTaskStats(key);
      await this.db.run('UPDATE runs SET last_step = min(last_step, ?), updated_at = ? WHERE key = ?', [step, this.now(), key]);
      return { traces: traces.changes, steps: steps.changes, evaluations: evaluations.changes };
    });
  }

  private async rebuildTaskStats(key: number): Promise<void> {
    await this.db.run('DELETE FROM task_stats WHERE run_key = ?', [key]);
    await this.db.run(
      `INSERT INTO task_stats(run_key, task_id, kind, samples, passed, best_trace_id, best_reward, last_step)
       SELECT a.run_key, a.task_id, a.kind, count(*), sum(a.passed),
         (SELECT b.id FROM traces b WHERE b.run_key = a.run_key AND b.task_id = a.task_id AND b.kind = a.kind
           ORDER BY b.reward_total DESC, b.id DESC LIMIT 1),
         max(a.reward_total), max(a.step)
       FROM traces a WHERE a.run_key = ? GROUP BY a.task_id, a.kind`, [key]);
  }

  /** Deletes a run and everything it recorded (prompts stay: other runs may share them). */
  async deleteRun(runId: string): Promise<void> {
    await this.flush();
    await this.db.transaction(async () => {
      const key = await this.runKey(runId);
      await this.db.run('DELETE FROM runs WHERE key = ?', [key]);
    });
  }

  /** Resolves when every trace recorded before the call is committed (or has failed). */
  flush(): Promise<void> {
    return this.queue.flush();
  }

  /**
   * Resolves when every trace recorded before the call is committed and in the search index
   * (which otherwise lags by about a batch). For tests and tools that search what they just wrote.
   */
  async searchIndexIdle(): Promise<void> {
    await this.queue.flush();
    await this.indexer?.idle();
  }

  /** Flushes, then closes the connection. Safe to call twice. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.queue.flush();
      await this.indexer?.close();
      await this.inserter.finalize();
      await this.checkpointer.close();
      await this.db.close();
    })();
    return this.closing;
  }
}

const logToStderr: StoreLog = (message) => process.stderr.write(`rlvr store: ${message}\n`);

/** The search index of a file database (an in-memory one has no side file, and no search). */
async function openIndexer(db: Db, log: StoreLog): Promise<SearchIndexer | null> {
  if (db.path === ':memory:' || db.path === '') return null;
  const token = await db.get<{ value: string }>("SELECT value FROM store_meta WHERE key = 'search_token'");
  return SearchIndexer.open(db.path, String(token?.value), log);
}

export function openStore(path: string, options: StoreOptions = {}): Promise<Store> {
  return Store.open(path, options);
}

export interface StoreReader {
  readonly path: string;
  readonly queries: StoreQueries;
  close(): Promise<void>;
}

/** A read-only connection for the side panel and `rlvr runs/traces`: never migrates or writes. */
export async function openStoreReader(path: string, options: ConnectionOptions = {}): Promise<StoreReader> {
  const db = await openConnection(path, { ...options, readOnly: true });
  return { path, queries: new StoreQueries(db), close: () => db.close() };
}
