/**
 * The side panel's trace list as SQL: filters become WHERE terms with bound values (only our own
 * constant fragments are concatenated), sorting uses the (run_key, key) indexes, and paging is by
 * cursor (keyset), so page 1000 costs what page 1 costs. The statement selects the page's ids and
 * sort keys only; the rows are read afterwards by id.
 */
import { StoreError } from './errors';
import type { SearchPlan } from './search-plan';
import type { SqlValue } from './sqlite';
import type { TraceKind } from './types';

export type TraceSort = 'reward' | 'step' | 'length' | 'id';
export type SortOrder = 'asc' | 'desc';

export interface TraceQuery {
  runId: string;
  kind?: TraceKind;
  evalLabel?: string;
  /** One step, or an inclusive range. */
  step?: number | { min?: number; max?: number };
  taskId?: string;
  minReward?: number;
  maxReward?: number;
  passed?: boolean;
  finishReason?: string;
  hasAha?: boolean;
  flagged?: boolean;
  /** Words that must all appear in the completion or the prompt; a trailing * matches a prefix. */
  search?: string;
  sort?: TraceSort;
  order?: SortOrder;
  /** Default 50, at most 1000. */
  limit?: number;
  offset?: number;
  /** `nextCursor` of the previous page (same filters and sort). */
  cursor?: string;
}

const SORT_COLUMNS: Record<TraceSort, string> = {
  reward: 't.reward_total',
  step: 't.step',
  length: 't.completion_tokens',
  id: 't.id',
};

export interface BuiltQuery {
  sql: string;
  params: SqlValue[];
  limit: number;
  sort: TraceSort;
  order: SortOrder;
  /** The search can match nothing: the answer is empty without a query. */
  empty: boolean;
}

export function checkSort(q: TraceQuery): { sort: TraceSort; order: SortOrder } {
  const sort = q.sort ?? 'id';
  const order = q.order ?? 'desc';
  if (!(sort in SORT_COLUMNS)) throw new StoreError(`unknown trace sort "${String(sort)}"`, 'store_invalid_input', `Use one of: ${Object.keys(SORT_COLUMNS).join(', ')}.`);
  if (order !== 'asc' && order !== 'desc') throw new StoreError(`unknown sort order "${String(order)}"`, 'store_invalid_input', 'Use "asc" or "desc".');
  return { sort, order };
}

interface Cursor {
  sort: TraceSort;
  order: SortOrder;
  value: number;
  id: number;
}

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.sort, cursor.order, cursor.value, cursor.id])).toString('base64url');
}

function decodeCursor(text: string, sort: TraceSort, order: SortOrder): Cursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    parsed = null;
  }
  const [s, o, value, id] = Array.isArray(parsed) ? parsed : [];
  if (s !== sort || o !== order || typeof value !== 'number' || !Number.isInteger(id)) {
    throw new StoreError(`invalid trace cursor ${JSON.stringify(text.slice(0, 40))} for sort ${sort} ${order}`, 'store_invalid_input',
      'Pass the nextCursor of the previous page unchanged, with the same sort and order; start again without a cursor after changing them.');
  }
  return { sort, order, value, id: id as number };
}

/** A row of the page query: the trace id and the value it was sorted by. */
export interface PageKey {
  id: number;
  sort_value: number;
}

export function cursorAfter(last: PageKey, sort: TraceSort, order: SortOrder): string {
  return encodeCursor({ sort, order, value: last.sort_value, id: last.id });
}

function stepTerms(step: TraceQuery['step'], where: string[], params: SqlValue[]): void {
  if (step === undefined) return;
  if (typeof step === 'number') {
    where.push('t.step = ?');
    params.push(step);
    return;
  }
  if (step.min !== undefined) { where.push('t.step >= ?'); params.push(step.min); }
  if (step.max !== undefined) { where.push('t.step <= ?'); params.push(step.max); }
}

function filterTerms(q: TraceQuery, sort: TraceSort, where: string[], params: SqlValue[]): void {
  const equal = (column: string, value: SqlValue | undefined) => {
    if (value === undefined) return;
    where.push(`${column} = ?`);
    params.push(value);
  };
  equal('t.kind', q.kind);
  equal('t.eval_label', q.evalLabel);
  stepTerms(q.step, where, params);
  equal('t.task_id', q.taskId);
  // Rewards cluster on a few values, so a reward range keeps most rows: unless the list is sorted
  // by reward, unary + stops SQLite from driving the query by it and sorting everything it keeps.
  const reward = sort === 'reward' ? 't.reward_total' : '+t.reward_total';
  if (q.minReward !== undefined) { where.push(`${reward} >= ?`); params.push(q.minReward); }
  if (q.maxReward !== undefined) { where.push(`${reward} <= ?`); params.push(q.maxReward); }
  equal('t.finish_reason', q.finishReason);
  // Literal constants, not parameters: the partial indexes (flagged = 1, aha_count > 0) are only
  // usable when the query states their condition literally.
  if (q.passed !== undefined) where.push(q.passed ? 't.passed = 1' : 't.passed = 0');
  if (q.flagged !== undefined) where.push(q.flagged ? 't.flagged = 1' : 't.flagged = 0');
  // The partial index on aha_count > 0 pays off in id order; for other sorts traces with aha
  // events are common enough (5–30%) that scanning the sort index fills a page sooner than
  // sorting them all, so the + hides the condition from the partial index.
  if (q.hasAha !== undefined) where.push(q.hasAha ? (sort === 'id' ? 't.aha_count > 0' : '+t.aha_count > 0') : 't.aha_count = 0');
}

/** A page of `traces t` rows matching `q`, for the run `runKey`, with the search already planned. */
export function buildTraceQuery(q: TraceQuery, runKey: number, search: SearchPlan | null): BuiltQuery {
  const { sort, order } = checkSort(q);
  const limit = Number.isFinite(q.limit) ? Math.max(1, Math.min(1000, Math.floor(q.limit as number))) : 50;
  const offset = Number.isFinite(q.offset) ? Math.max(0, Math.floor(q.offset as number)) : 0;
  const where: string[] = ['t.run_key = ?'];
  const params: SqlValue[] = [runKey];
  filterTerms(q, sort, where, params);
  const cursor = q.cursor === undefined ? null : decodeCursor(q.cursor, sort, order);
  const dir = order === 'desc' ? 'DESC' : 'ASC';
  const base = { limit, sort, order };
  if (search?.kind === 'empty') return { ...base, sql: '', params: [], empty: true };
  if (search?.kind === 'fts-order') {
    // Newest (or oldest) first: FTS5 yields matches in rowid order; the cursor narrows its range.
    let { lo, hi } = search;
    if (cursor && order === 'desc') hi = Math.min(hi, cursor.id - 1);
    if (cursor && order === 'asc') lo = Math.max(lo, cursor.id + 1);
    const sql = `SELECT t.id, t.id AS sort_value FROM search.trace_fts f CROSS JOIN traces t ON t.id = f.rowid
      WHERE trace_fts MATCH ? AND f.rowid BETWEEN ? AND ? AND ${where.join(' AND ')} ORDER BY f.rowid ${dir} LIMIT ? OFFSET ?`;
    return { ...base, sql, params: [search.match, lo, hi, ...params, limit, offset], empty: false };
  }
  if (search?.kind === 'filter') {
    where.push(search.sql);
    params.push(...search.params);
  }
  const column = SORT_COLUMNS[sort];
  if (cursor) {
    const cmp = order === 'desc' ? '<' : '>';
    if (sort === 'id') {
      where.push(`t.id ${cmp} ?`);
      params.push(cursor.id);
    } else {
      where.push(`(${column} ${cmp} ? OR (${column} = ? AND t.id ${cmp} ?))`);
      params.push(cursor.value, cursor.value, cursor.id);
    }
  }
  const orderBy = sort === 'id' ? `t.id ${dir}` : `${column} ${dir}, t.id ${dir}`;
  // Only the id and the sort key: SQLite sorts small records, and the page's rows are read after.
  const sql = `SELECT t.id, ${column} AS sort_value FROM traces t WHERE ${where.join(' AND ')} ORDER BY ${orderBy} LIMIT ? OFFSET ?`;
  return { ...base, sql, params: [...params, limit, offset], empty: false };
}
