/**
 * Readers reach the search index (search-index.ts) by attaching its side file read-only, as schema
 * `search`, for the duration of one search, then detaching it: a side file created, rebuilt or moved
 * aside after the reader opened is seen at the next search, and the writer's own connection never
 * holds the side file in its transactions.
 */
import { existsSync } from 'node:fs';
import type { Db } from './sqlite';
import { readOnlyUri, searchIndexPath } from './search-index';

export interface SearchIndexStatus {
  /**
   * `ready`: every stored trace is searched. `behind`: traces after `indexedThrough` are not found
   * yet (normal for the newest batch of a run being written; a file indexed for the first time
   * catches up in the background). `missing`: no usable index yet, so the search found nothing.
   */
  state: 'ready' | 'behind' | 'missing';
  /** Every trace id up to this one is indexed. */
  indexedThrough: number;
  /** The newest trace id in the database. */
  lastTraceId: number;
  /** Why the index is missing, for a user. */
  message?: string;
}

/**
 * One line for a user about a search index that is not `ready` (the CLI's note, the side panel's
 * status line); null when there is nothing to say (no search, or an index that is complete).
 */
export function searchIndexNote(status: SearchIndexStatus | undefined): string | null {
  if (!status || status.state === 'ready') return null;
  if (status.message) return status.message;
  return status.state === 'missing'
    ? 'the search index is not built yet; a training run or `rlvr train --resume` builds it'
    : `the search index is catching up: traces after id ${status.indexedThrough} (of ${status.lastTraceId}) are not searched yet`;
}

interface MetaRow { store: string | null; mark: number | null; token: string | null; last: number | null }

/**
 * Runs `fn` with `search.trace_fts` attached (or with a `missing` status and nothing attached).
 * Must run inside `db.exclusive()`: ATTACH is refused inside a transaction, and one connection can
 * attach the name only once.
 */
export async function withSearchIndex<T>(db: Db, fn: (status: SearchIndexStatus) => Promise<T>): Promise<T> {
  const side = searchIndexPath(db.path);
  const lastTraceId = (await db.get<{ last: number | null }>('SELECT max(id) AS last FROM traces'))?.last ?? 0;
  const missing = (why: string): Promise<T> => fn({
    state: 'missing', indexedThrough: 0, lastTraceId,
    message: `search index not built yet: ${side} ${why}; the next run (or any rlvr command that writes) opening ${db.path} builds it`,
  });
  if (!existsSync(side)) return missing('does not exist');
  try {
    await db.run('ATTACH ? AS search', [readOnlyUri(side)]);
  } catch (err) {
    return missing(`cannot be opened (${err instanceof Error ? err.message : String(err)})`);
  }
  try {
    const meta = await db.get<MetaRow>(
      `SELECT (SELECT value FROM search.search_meta WHERE key = 'store') AS store,
              (SELECT value FROM search.search_meta WHERE key = 'indexed_through') AS mark,
              (SELECT value FROM main.store_meta WHERE key = 'search_token') AS token`).catch(() => undefined);
    if (!meta) return await missing('is not readable as a search index (it will be rebuilt)');
    if (meta.store !== meta.token) return await missing('belongs to another database (it will be rebuilt)');
    const indexedThrough = meta.mark ?? 0;
    return await fn({ state: indexedThrough >= lastTraceId ? 'ready' : 'behind', indexedThrough, lastTraceId });
  } finally {
    await db.run('DETACH search').catch(() => undefined);
  }
}
