/**
 * Group commit for traces. `enqueue` returns at once with a promise; traces wait until the batch is
 * full or a short delay has passed, then every waiting call is written in ONE transaction and its
 * promise resolves with its trace ids only after COMMIT. While a batch commits, new calls gather
 * into the next one, so a busy writer makes big batches and an idle one still commits quickly.
 */
import type { Db } from './sqlite';
import { StoreError } from './errors';
import type { PreparedTrace } from './trace-rows';
import type { ResolvedTrace, TraceInserter } from './trace-insert';

export interface QueueOptions {
  /** Flush as soon as this many traces are waiting. */
  batchSize: number;
  /** Otherwise flush this long after the first waiting trace arrived. */
  flushDelayMs: number;
  /** Runs before each batch, between transactions, with the connection to itself. */
  beforeBatch?: () => Promise<void>;
  /** Runs after each commit. */
  afterCommit?: () => void;
}

interface Entry {
  traces: PreparedTrace[];
  resolve(ids: number[]): void;
  reject(error: Error): void;
}

interface BatchKeys {
  runKeys: Map<string, number>;
  promptIds: Map<string, number>;
}

export class TraceQueue {
  private pending: Entry[] = [];
  private pendingCount = 0;
  private timer: NodeJS.Timeout | null = null;
  private draining: Promise<void> | null = null;
  // Caches filled only after COMMIT: an id seen inside a rolled-back transaction is not real.
  private readonly runKeys = new Map<string, number>();
  private readonly promptIds = new Map<string, number>();

  constructor(private readonly db: Db, private readonly inserter: TraceInserter, private readonly options: QueueOptions) {}

  enqueue(traces: PreparedTrace[]): Promise<number[]> {
    if (traces.length === 0) return Promise.resolve([]);
    return new Promise((resolve, reject) => {
      this.pending.push({ traces, resolve, reject });
      this.pendingCount += traces.length;
      this.schedule();
    });
  }

  /** Resolves when everything enqueued before the call is committed (or has failed). */
  async flush(): Promise<void> {
    this.kick();
    while (this.draining) await this.draining;
  }

  get waiting(): number {
    return this.pendingCount;
  }

  private schedule(): void {
    if (this.pendingCount >= this.options.batchSize) this.kick();
    else if (!this.timer && !this.draining) this.timer = setTimeout(() => this.kick(), this.options.flushDelayMs);
  }

  private kick(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.draining || this.pending.length === 0) return;
    this.draining = this.drain().finally(() => {
      this.draining = null;
      if (this.pending.length > 0) this.schedule();
    });
  }

  private async drain(): Promise<void> {
    while (this.pending.length > 0) {
      const batch: Entry[] = [];
      let count = 0;
      while (this.pending.length > 0 && (batch.length === 0 || count < this.options.batchSize)) {
        const entry = this.pending.shift() as Entry;
        batch.push(entry);
        count += entry.traces.length;
      }
      this.pendingCount -= count;
      await this.writeBatch(batch);
    }
  }

  private async writeBatch(batch: Entry[]): Promise<void> {
    let outcome: { written: [Entry, number[]][]; unknownRuns: Entry[]; keys: BatchKeys };
    try {
      const { beforeBatch } = this.options;
      if (beforeBatch) await this.db.exclusive(beforeBatch);
      outcome = await this.db.transaction(() => this.insert(batch));
      this.options.afterCommit?.();
    } catch (err) {
      const error = err instanceof Error ? err : new Error(String(err));
      for (const entry of batch) entry.reject(error);
      return;
    }
    for (const [id, key] of outcome.keys.runKeys) this.runKeys.set(id, key);
    for (const [sha, id] of outcome.keys.promptIds) this.promptIds.set(sha, id);
    for (const [entry, ids] of outcome.written) entry.resolve(ids);
    for (const entry of outcome.unknownRuns) {
      const runId = entry.traces.find((t) => !outcome.keys.runKeys.has(t.runId))?.runId;
      entry.reject(new StoreError(`no run "${runId}" in ${this.db.path}`, 'store_not_found', 'Create the run with createRun() before recording its traces.'));
    }
  }

  private async insert(batch: Entry[]): Promise<{ written: [Entry, number[]][]; unknownRuns: Entry[]; keys: BatchKeys }> {
    const traces = batch.flatMap((e) => e.traces);
    const runKeys = await this.lookupRunKeys(traces);
    const known = batch.filter((e) => e.traces.every((t) => runKeys.has(t.runId)));
    const unknownRuns = batch.filter((e) => !e.traces.every((t) => runKeys.has(t.runId)));
    const promptIds = await this.lookupPromptIds(known.flatMap((e) => e.traces));
    let nextId = await this.lastTraceId();
    const resolved: ResolvedTrace[] = [];
    const written: [Entry, number[]][] = known.map((entry) => [entry, entry.traces.map((trace) => {
      const id = ++nextId;
      resolved.push({ trace, id, runKey: runKeys.get(trace.runId) as number, promptId: promptIds.get(trace.promptSha) as number });
      return id;
    })]);
    await this.inserter.insert(resolved);
    return { written, unknownRuns, keys: { runKeys, promptIds } };
  }

  private async lookupRunKeys(traces: readonly PreparedTrace[]): Promise<Map<string, number>> {
    const keys = new Map<string, number>();
    const missing = new Set<string>();
    for (const t of traces) {
      const key = this.runKeys.get(t.runId);
      if (key === undefined) missing.add(t.runId);
      else keys.set(t.runId, key);
    }
    if (missing.size > 0) {
      const rows = await this.db.all<{ key: number; id: string }>(
        'SELECT key, id FROM runs WHERE id IN (SELECT value FROM json_each(?))', [JSON.stringify([...missing])]);
      for (const row of rows) keys.set(row.id, row.key);
    }
    return keys;
  }

  /** Prompts are stored once (G samples and later steps share them); returns sha → id. */
  private async lookupPromptIds(traces: readonly PreparedTrace[]): Promise<Map<string, number>> {
    const ids = new Map<string, number>();
    const missing = new Map<string, string>();
    for (const t of traces) {
      const id = this.promptIds.get(t.promptSha);
      if (id === undefined) missing.set(t.promptSha, t.prompt);
      else ids.set(t.promptSha, id);
    }
    if (missing.size > 0) {
      const json = JSON.stringify([...missing]);
      // `WHERE true` resolves the parser ambiguity between a join's ON and the upsert's ON CONFLICT.
      await this.db.run('INSERT INTO prompts(sha, text) SELECT value->>0, value->>1 FROM json_each(?) WHERE true ON CONFLICT(sha) DO NOTHING', [json]);
      const rows = await this.db.all<{ id: number; sha: string }>(
        'SELECT id, sha FROM prompts WHERE sha IN (SELECT value->>0 FROM json_each(?))', [json]);
      for (const row of rows) ids.set(row.sha, row.id);
    }
    return ids;
  }

  /** Under the write lock, so explicit ids cannot collide with another process's. */
  private async lastTraceId(): Promise<number> {
    const row = await this.db.get<{ last: number }>(
      "SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'traces'), 0), coalesce((SELECT max(id) FROM traces), 0)) AS last");
    return row?.last ?? 0;
  }
}
