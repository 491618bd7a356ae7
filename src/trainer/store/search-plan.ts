/**
 * How a search joins the trace list, chosen per query from two cheap probes, because no single SQL
 * shape is fast for both a rare and a common word at 1M traces:
 * - newest first (sort by id): FTS5 walks its matches in rowid order inside the run's id range
 *   and stops at the page size — fast whatever the word's frequency;
 * - a rare word (fewer than DENSE_MATCHES in the run): look the matches up by primary key and
 *   sort them;
 * - a common word: scan the sort index and keep rows whose id is in the match set (SQLite builds
 *   that set once), so the page fills after a few hundred rows instead of sorting all matches.
 * The prompt index is consulted separately: prompts are few, and a match there keeps every trace of
 * those prompts. The completions' index is the side file attached as `search` (search-attach.ts).
 */
import type { Db, SqlValue } from './sqlite';

const DENSE_MATCHES = 2000;

export type SearchPlan =
  | { kind: 'empty' }
  /** Drive the query from trace_fts in rowid order, within [lo, hi]. */
  | { kind: 'fts-order'; match: string; lo: number; hi: number }
  /** A WHERE term over `traces t`. */
  | { kind: 'filter'; sql: string; params: SqlValue[] };

export async function planSearch(db: Db, runKey: number, match: string, sortById: boolean): Promise<SearchPlan> {
  // Two index seeks; min() and max() in one SELECT would scan the whole run instead.
  const range = await db.get<{ lo: number | null; hi: number | null }>(
    `SELECT (SELECT id FROM traces WHERE run_key = ?1 ORDER BY id LIMIT 1) AS lo,
            (SELECT id FROM traces WHERE run_key = ?1 ORDER BY id DESC LIMIT 1) AS hi`, [runKey]);
  if (!range || range.lo === null || range.hi === null) return { kind: 'empty' };
  const { lo, hi } = range;
  const prompts = await db.all<{ id: number }>('SELECT rowid AS id FROM prompt_fts WHERE prompt_fts MATCH ?', [match]);
  if (sortById && prompts.length === 0) return { kind: 'fts-order', match, lo, hi };
  const counted = await db.get<{ n: number }>(
    'SELECT count(*) AS n FROM (SELECT 1 FROM search.trace_fts WHERE trace_fts MATCH ? AND rowid BETWEEN ? AND ? LIMIT ?)',
    [match, lo, hi, DENSE_MATCHES]);
  const matches = counted?.n ?? 0;
  if (matches === 0 && prompts.length === 0) return { kind: 'empty' };
  // Unary + keeps SQLite from using the id list to look rows up by primary key, so it scans the
  // sort index instead and tests membership (see the module comment).
  const id = matches >= DENSE_MATCHES ? '+t.id' : 't.id';
  const inTraces = `${id} IN (SELECT rowid FROM search.trace_fts WHERE trace_fts MATCH ? AND rowid BETWEEN ? AND ?)`;
  if (prompts.length === 0) return { kind: 'filter', sql: inTraces, params: [match, lo, hi] };
  return {
    kind: 'filter',
    sql: `(${inTraces} OR t.prompt_id IN (SELECT value FROM json_each(?)))`,
    params: [match, lo, hi, JSON.stringify(prompts.map((p) => p.id))],
  };
}
