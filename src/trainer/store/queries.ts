/**
 * The read API for the side panel, CodeLens and the CLI. Every method is one or a few indexed
 * statements; list methods return light rows (no token arrays), `getTrace` the full record.
 */
import type { Db } from './sqlite';
import { StoreError } from './errors';
import { readTraceDetails } from './trace-detail';
import {
  RUN_SELECT, evaluationFromRow, runFromRow, stepFromRow, taskSummaryFromRow, traceFromRow,
  type EvaluationRow, type RunRow, type StepRow, type TaskStatsRow, type TraceRow,
} from './rows';
import { buildTraceQuery, checkSort, cursorAfter, type PageKey, type TraceQuery } from './trace-query';
import { planSearch, type SearchPlan } from './search-plan';
import { ftsQuery } from './fts';
import { withSearchIndex, type SearchIndexStatus } from './search-attach';
import { STEP_METRIC_COLUMNS, STEP_METRIC_NAMES } from './types';
import type {
  EvaluationRecord, JsonObject, RunRecord, StepMetricName, StepRecord, StepWarning, TaskSummary, TraceDetail, TraceKind, TraceSummary, TaskSplit,
} from './types';

export type { TraceQuery, TraceSort, SortOrder } from './trace-query';

export interface TracePage {
  rows: TraceSummary[];
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
  /**
   * With a search: how complete the search index is (docs/store.md, "Search"). Results lag the
   * newest batch by design; `missing` means nothing could be searched yet.
   */
  searchIndex?: SearchIndexStatus;
}

const PREVIEW_CHARS = 200;

export class StoreQueries {
  constructor(private readonly db: Db) {}

  private async runKey(runId: string): Promise<number> {
    const row = await this.db.get<{ key: number }>('SELECT key FROM runs WHERE id = ?', [runId]);
    if (!row) throw new StoreError(`no run "${runId}" in ${this.db.path}`, 'store_not_found', 'List the runs with `rlvr runs`.');
    return row.key;
  }

  /** Newest first. */
  async listRuns(): Promise<RunRecord[]> {
    const rows = await this.db.all<RunRow>(`${RUN_SELECT} ORDER BY created_at DESC, key DESC`);
    return rows.map(runFromRow);
  }

  async getRun(runId: string): Promise<RunRecord | null> {
    const row = await this.db.get<RunRow>(`${RUN_SELECT} WHERE id = ?`, [runId]);
    return row ? runFromRow(row) : null;
  }

  /**
   * Steps in order. A chart should pass the `metrics` it plots: the driver's cost is per value
   * read, and all 22 metrics of a 1000-step run are 22k values.
   */
  async listSteps(runId: string, options: { from?: number; to?: number; metrics?: readonly StepMetricName[] } = {}): Promise<StepRecord[]> {
    const key = await this.runKey(runId);
    const names = options.metrics ?? STEP_METRIC_NAMES;
    const unknown = names.find((n) => !(n in STEP_METRIC_COLUMNS));
    if (unknown !== undefined) throw new StoreError(`unknown step metric "${unknown}"`, 'store_invalid_input', `Known metrics: ${STEP_METRIC_NAMES.join(', ')}.`);
    const columns = ['step', 'created_at', 'extra', ...names.map((n) => STEP_METRIC_COLUMNS[n])].join(', ');
    const range = [key, options.from ?? 0, options.to ?? Number.MAX_SAFE_INTEGER];
    const rows = await this.db.all<StepRow>(
      `SELECT ${columns} FROM steps WHERE run_key = ? AND step >= ? AND step <= ? ORDER BY step`, range);
    // Warnings are sparse: one more indexed range read, attached by step.
    const warnings = await this.db.all<{ step: number; code: string; severity: StepWarning['severity']; message: string }>(
      'SELECT step, code, severity, message FROM step_warnings WHERE run_key = ? AND step >= ? AND step <= ? ORDER BY step, seq', range);
    const byStep = new Map<number, StepWarning[]>();
    for (const w of warnings) {
      const list = byStep.get(w.step) ?? [];
      list.push({ code: w.code, severity: w.severity, message: w.message });
      byStep.set(w.step, list);
    }
    return rows.map((row) => ({ ...stepFromRow(row, names), health: byStep.get(row.step) ?? [] }));
  }

  async listRunTasks(runId: string): Promise<{ taskId: string; split: TaskSplit; task: JsonObject }[]> {
    const key = await this.runKey(runId);
    const rows = await this.db.all<{ task_id: string; split: TaskSplit; task: string }>(
      'SELECT task_id, split, task FROM run_tasks WHERE run_key = ? ORDER BY split DESC, task_id', [key]);
    return rows.map((r) => ({ taskId: r.task_id, split: r.split, task: JSON.parse(r.task) as JsonObject }));
  }

  async listEvaluations(runId: string): Promise<EvaluationRecord[]> {
    const key = await this.runKey(runId);
    const rows = await this.db.all<EvaluationRow>('SELECT * FROM evaluations WHERE run_key = ? ORDER BY step, id', [key]);
    return rows.map((r) => evaluationFromRow(r, runId));
  }

  /** Per task: samples, passed, best trace (for CodeLens); kept current by the writer, so O(tasks). */
  async taskSummaries(runId: string, kind?: TraceKind): Promise<TaskSummary[]> {
    const key = await this.runKey(runId);
    const rows = await this.db.all<TaskStatsRow>(
      'SELECT * FROM task_stats WHERE run_key = ? AND (? IS NULL OR kind = ?) ORDER BY task_id, kind', [key, kind ?? null, kind ?? null]);
    return rows.map(taskSummaryFromRow);
  }

  async queryTraces(query: TraceQuery): Promise<TracePage> {
    const key = await this.runKey(query.runId);
    const { sort } = checkSort(query);
    const match = query.search !== undefined && query.search.trim() !== '' ? ftsQuery(query.search) : undefined;
    if (match === undefined) return this.page(query, await this.pageKeys(query, key, null));
    if (match === null) return this.page(query, await this.pageKeys(query, key, { kind: 'empty' }));
    // The search index is attached for this statement only (search-attach.ts), so the keys are
    // read inside the connection's exclusive section; the rows after.
    const { keys, status } = await this.db.exclusive(() => withSearchIndex(this.db, async (status) => ({
      status,
      keys: status.state === 'missing' ? null : await this.pageKeys(query, key, await planSearch(this.db, key, match, sort === 'id')),
    })));
    return { ...(await this.page(query, keys)), searchIndex: status };
  }

  private async pageKeys(query: TraceQuery, key: number, search: SearchPlan | null): Promise<{ keys: PageKey[]; limit: number } | null> {
    const built = buildTraceQuery(query, key, search);
    if (built.empty) return null;
    return { keys: await this.db.all<PageKey>(built.sql, built.params), limit: built.limit };
  }

  private async page(query: TraceQuery, found: { keys: PageKey[]; limit: number } | null): Promise<TracePage> {
    if (!found) return { rows: [], nextCursor: null };
    const { keys, limit } = found;
    const { sort, order } = checkSort(query);
    const rows = await this.summaries(keys.map((k) => k.id), query.runId);
    const last = keys[keys.length - 1];
    const nextCursor = last && keys.length === limit ? cursorAfter(last, sort, order) : null;
    return { rows, nextCursor };
  }

  /** Light rows with previews for ids chosen by an index-only query, in the order given. */
  private async summaries(ids: readonly number[], runId: string): Promise<TraceSummary[]> {
    if (ids.length === 0) return [];
    const rows = await this.db.all<TraceRow & { preview: string }>(
      `SELECT t.*, substr(b.completion, 1, ${PREVIEW_CHARS}) AS preview FROM traces t JOIN trace_bodies b ON b.trace_id = t.id
       WHERE t.id IN (SELECT value FROM json_each(?))`, [JSON.stringify(ids)]);
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.flatMap((id) => {
      const row = byId.get(id);
      return row ? [{ ...traceFromRow(row, runId), preview: row.preview }] : [];
    });
  }

  /** The other samples of the trace's group (same run, step, kind, evaluation and group), in order, itself included. */
  async groupSiblings(traceId: number): Promise<TraceSummary[]> {
    const rows = await this.db.all<{ id: number; run_id: string }>(
      `SELECT s.id, r.id AS run_id FROM traces t
         JOIN traces s ON s.run_key = t.run_key AND s.step = t.step AND s.kind = t.kind
           AND s.eval_label IS t.eval_label AND s.group_index = t.group_index
         JOIN runs r ON r.key = t.run_key
       WHERE t.id = ? ORDER BY s.sample_index, s.id`, [traceId]);
    const runId = rows[0]?.run_id;
    return runId === undefined ? [] : this.summaries(rows.map((r) => r.id), runId);
  }

  async getTrace(id: number): Promise<TraceDetail | null> {
    return (await readTraceDetails(this.db, [id]))[0] ?? null;
  }

  /** Full records of several traces (exports), in the order of `ids`; unknown ids are skipped. */
  getTraces(ids: readonly number[]): Promise<TraceDetail[]> {
    return readTraceDetails(this.db, ids);
  }
}
