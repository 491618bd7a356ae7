/**
 * The side panel's trace list as one SQL statement: filters become WHERE terms with bound values
 * (only our own constant fragments are concatenated), sorting uses the (run_key, key) indexes, and
 * paging is by cursor (keyset), so page 1000 costs what page 1 costs.
 */
import { StoreError } from './errors';
import { ftsQuery } from './fts';
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

const TRACE_FIELDS: Record<TraceSort, 'reward_total' | 'step' | 'completion_tokens' | 'id'> = {
  reward: 'reward_total', step: 'step', length: 'completion_tokens', id: 'id',
};

export interface BuiltQuery {
  sql: string;
  params: SqlValue[];
  limit: number;
  sort: TraceSort;
  order: SortOrder;
  /** The search matched nothing searchable (only punctuation): the answer is empty. */
  empty: boolean;
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

export function cursorAfter(row: Record<'reward_total' | 'step' | 'completion_tokens' | 'id', number>, sort: TraceSort, order: SortOrder): string {
  return encodeCursor({ sort, order, value: row[TRACE_FIELDS[sort]], id: row.id });
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

function filterTerms(q: TraceQuery, where: string[], params: SqlValue[]): void {
  const equal = (column: string, value: SqlValue | undefined) => {
    if (value === undefined) return;
    where.push(`${column} = ?`);
    params.push(value);
  };
  equal('t.kind', q.kind);
  equal('t.eval_label', q.evalLabel);
  stepTerms(q.step, where, params);
  equal('t.task_id', q.taskId);
  if (q.minReward !== undefined) { where.push('t.reward_total >= ?'); params.push(q.minReward); }
  if (q.maxReward !== undefined) { where.push('t.reward_total <= ?'); params.push(q.maxReward); }
  equal('t.finish_reason', q.finishReason);
  // Literal constants, not parameters: the partial indexes (flagged = 1, aha_count > 0) are only
  // usable when the query states their condition literally.
  if (q.passed !== undefined) where.push(q.passed ? 't.passed = 1' : 't.passed = 0');
  if (q.flagged !== undefined) where.push(q.flagged ? 't.flagged = 1' : 't.flagged = 0');
  if (q.hasAha !== undefined) where.push(q.hasAha ? 't.aha_count > 0' : 't.aha_count = 0');
}

/** A page of `traces t` rows matching `q`; the caller binds the run key first. */
export function buildTraceQuery(q: TraceQuery, runKey: number): BuiltQuery {
  const sort = q.sort ?? 'id';
  const order = q.order ?? 'desc';
  if (!(sort in SORT_COLUMNS)) throw new StoreError(`unknown trace sort "${String(sort)}"`, 'store_invalid_input', `Use one of: ${Object.keys(SORT_COLUMNS).join(', ')}.`);
  if (order !== 'asc' && order !== 'desc') throw new StoreError(`unknown sort order "${String(order)}"`, 'store_invalid_input', 'Use "asc" or "desc".');
  const limit = Number.isFinite(q.limit) ? Math.max(1, Math.min(1000, Math.floor(q.limit as number))) : 50;
  const where: string[] = ['t.run_key = ?'];
  const params: SqlValue[] = [runKey];
  filterTerms(q, where, params);
  let empty = false;
  if (q.search !== undefined && q.search.trim() !== '') {
    const match = ftsQuery(q.search);
    if (match === null) empty = true;
    else {
      where.push('(t.id IN (SELECT rowid FROM trace_fts WHERE trace_fts MATCH ?) OR t.prompt_id IN (SELECT rowid FROM prompt_fts WHERE prompt_fts MATCH ?))');
      params.push(match, match);
    }
  }
  const column = SORT_COLUMNS[sort];
  const dir = order === 'desc' ? 'DESC' : 'ASC';
  if (q.cursor !== undefined) {
    const cursor = decodeCursor(q.cursor, sort, order);
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
  const offset = Number.isFinite(q.offset) ? Math.max(0, Math.floor(q.offset as number)) : 0;
  const sql = `SELECT t.* FROM traces t WHERE ${where.join(' AND ')} ORDER BY ${orderBy} LIMIT ? OFFSET ?`;
  return { sql, params: [...params, limit, offset], limit, sort, order, empty };
}
