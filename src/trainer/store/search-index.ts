/**
 * The full-text index of trace completions, kept in a side file beside the database
 * (`runs.db.search`) and written by its own connection, so that tokenizing completions and merging
 * FTS5 segments run on another thread than the writer's transaction (docs/store.md, "Search").
 *
 * The database stays the truth: the side file holds derived data and its high-water mark (every
 * trace id up to `indexed_through` is indexed). After each committed batch the writer's indexer
 * reads the new bodies back from `trace_bodies` (the main file, attached read-only) by id above
 * the mark, in chunks, one side transaction per chunk; on open it does the same, so a writer
 * killed between its commit and the index's catches up on the next open, and a file from before
 * schema version 4 gets its index built in the background. Ids are assigned in commit order and
 * never reused, so "id > mark" is exactly what is missing. Two writers' indexers take turns on the
 * side file's write lock; whichever comes first indexes both writers' traces.
 *
 * A side file that SQLite cannot read, that is not ours, or that belongs to another database
 * (a deleted and recreated runs.db: `store_meta.search_token` differs) is moved aside and rebuilt,
 * with a line in the log; no failure of the index ever fails the run — searches then say the index
 * is missing or behind.
 */
import { existsSync, renameSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Db } from './sqlite';
import { StoreError } from './errors';

/** "RLVS": marks our search-index side files. */
export const SEARCH_APPLICATION_ID = 0x524c5653;
/** Format of the side file (PRAGMA user_version); another format is rebuilt, not migrated. */
export const SEARCH_FORMAT = 1;
/** Traces per side transaction while catching up (a chunk holds a read snapshot of the main file). */
const CHUNK = 5000;
/** How long close() keeps indexing a backlog before leaving the rest to the next writer. */
const CLOSE_DRAIN_MS = 2000;
/**
 * A side file that could not be opened (another writer creating it at the same moment, a full
 * disk…) is tried again after a commit at most this often, so a long run still gets its index.
 */
export const RECONNECT_MS = 1000;
const MMAP_BYTES = 2 ** 30;

const SIDE_SCHEMA = `
CREATE TABLE search_meta (key TEXT PRIMARY KEY, value ANY) STRICT, WITHOUT ROWID;
CREATE VIRTUAL TABLE trace_fts USING fts5(completion, content='');
`;

export type StoreLog = (message: string) => void;

export function searchIndexPath(dbPath: string): string {
  return `${dbPath}.search`;
}

/** ATTACH needs the URI form to open a file read-only from a read-write connection. */
export function readOnlyUri(path: string): string {
  return `${pathToFileURL(resolve(path)).href}?mode=ro`;
}

/** The newest trace id of the main file, deleted ones included (ids are never reused). */
const LAST_ASSIGNED_SQL = `SELECT max(coalesce((SELECT seq FROM src.sqlite_sequence WHERE name = 'traces'), 0),
  coalesce((SELECT max(id) FROM src.traces), 0)) AS last`;

/** Why an existing side file cannot be used as it is; null when it can. */
async function sideProblem(db: Db, token: string): Promise<string | null> {
  const app = (await db.get<{ application_id: number }>('PRAGMA application_id'))?.application_id ?? 0;
  const tables = (await db.get<{ n: number }>("SELECT count(*) AS n FROM sqlite_schema WHERE type = 'table'"))?.n ?? 0;
  if (app === 0 && tables === 0) {
    await db.exec(SIDE_SCHEMA);
    await db.run(`PRAGMA application_id = ${SEARCH_APPLICATION_ID}`);
    await db.run(`PRAGMA user_version = ${SEARCH_FORMAT}`);
    await db.run("INSERT INTO search_meta(key, value) VALUES ('store', ?), ('indexed_through', 0)", [token]);
    return null;
  }
  if (app !== SEARCH_APPLICATION_ID) return `is not an RLVR Studio search index (application_id ${app})`;
  const format = (await db.get<{ user_version: number }>('PRAGMA user_version'))?.user_version ?? 0;
  if (format !== SEARCH_FORMAT) return `has format ${format}, this version writes ${SEARCH_FORMAT}`;
  const meta = await db.get<{ store: string | null; mark: number | null }>(
    "SELECT (SELECT value FROM search_meta WHERE key = 'store') AS store, (SELECT value FROM search_meta WHERE key = 'indexed_through') AS mark");
  if (meta?.store !== token) return 'belongs to another database (its token differs)';
  const last = (await db.get<{ last: number }>(LAST_ASSIGNED_SQL))?.last ?? 0;
  if ((meta.mark ?? 0) > last) return `is ahead of the database (indexed through trace ${meta.mark}, the newest trace is ${last})`;
  return null;
}

export class SearchIndexer {
  private db: Db | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopping = false;
  private lastFailure = '';
  /** While the side file is not open: the earliest time a commit may try to open it again. */
  private reconnectAt = 0;

  private constructor(readonly path: string, private readonly mainPath: string, private readonly token: string, private readonly log: StoreLog) {}

  /** Opens (or creates, or rebuilds) the side file and starts catching up. Never throws. */
  static async open(mainPath: string, token: string, log: StoreLog): Promise<SearchIndexer> {
    const indexer = new SearchIndexer(searchIndexPath(mainPath), mainPath, token, log);
    await indexer.connect();
    indexer.afterCommit();
    return indexer;
  }

  private async connect(): Promise<void> {
    this.reconnectAt = Date.now() + RECONNECT_MS;
    for (let attempt = 0; attempt < 2 && !this.db; attempt++) {
      try {
        const problem = await this.openSide();
        if (problem) this.moveAside(problem, 'stale');
      } catch (err) {
        if (err instanceof StoreError && err.code === 'store_corrupt') {
          this.moveAside(`cannot be read (${err.message})`, 'damaged');
        } else {
          this.report(`cannot open the search index ${this.path}: ${err instanceof Error ? err.message : String(err)}; searches will say the index is missing or behind until it opens (retried after later batches)`);
          break;
        }
      }
    }
  }

  /** Returns why the file must be rebuilt, or null with `this.db` set. */
  private async openSide(): Promise<string | null> {
    const db = await Db.open(this.path);
    try {
      await db.run('PRAGMA journal_mode = WAL');
      await db.run('PRAGMA synchronous = NORMAL');
      await db.run(`PRAGMA mmap_size = ${MMAP_BYTES}`);
      await db.run('ATTACH ? AS src', [readOnlyUri(this.mainPath)]);
      await db.run(`PRAGMA src.mmap_size = ${MMAP_BYTES}`);
      const problem = await db.transaction(() => sideProblem(db, this.token));
      if (problem) {
        await db.close();
        return problem;
      }
      this.db = db;
      return null;
    } catch (err) {
      await db.close().catch(() => undefined);
      throw err;
    }
  }

  /** Renames the side file (and its WAL) aside; the next connect() starts an empty one. */
  private moveAside(why: string, tag: string): void {
    const aside = `${this.path}.${tag}-${Date.now()}`;
    try {
      renameSync(this.path, aside);
      for (const suffix of ['-wal', '-shm']) {
        if (existsSync(this.path + suffix)) renameSync(this.path + suffix, aside + suffix);
      }
      this.log(`search index ${this.path} ${why}: moved to ${aside}; rebuilding it from ${this.mainPath} (searches find older traces first, as it catches up)`);
    } catch (err) {
      this.report(`search index ${this.path} ${why}, and could not be moved aside: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  /** Logs a failure once (a failing index would otherwise log after every batch). */
  private report(message: string): void {
    if (message === this.lastFailure) return;
    this.lastFailure = message;
    this.log(message);
  }

  /** Called after each commit of the writer; returns at once. */
  afterCommit(): void {
    if (this.stopping || (!this.db && Date.now() < this.reconnectAt)) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.pass().finally(() => {
      this.running = null;
      if (this.again) {
        this.again = false;
        this.afterCommit();
      }
    });
  }

  /** Opens the side file first if an earlier open failed, then catches up. */
  private async pass(): Promise<void> {
    if (!this.db) {
      await this.connect();
      if (!this.db) return;
      this.log(`search index ${this.path} opened; catching up`);
      this.lastFailure = '';
    }
    await this.catchUp();
  }

  private async catchUp(): Promise<void> {
    try {
      while (!this.stopping && (await this.indexChunk()));
      this.lastFailure = '';
    } catch (err) {
      await this.failed(err);
    }
  }

  /** Indexes the next chunk of bodies above the mark, in one side transaction; false when none is left. */
  private indexChunk(): Promise<boolean> {
    const db = this.db as Db;
    return db.transaction(async () => {
      const mark = (await db.get<{ v: number }>("SELECT value AS v FROM search_meta WHERE key = 'indexed_through'"))?.v ?? 0;
      const hi = (await db.get<{ hi: number | null }>(
        'SELECT max(trace_id) AS hi FROM (SELECT trace_id FROM src.trace_bodies WHERE trace_id > ? ORDER BY trace_id LIMIT ?)', [mark, CHUNK]))?.hi ?? null;
      if (hi === null) return false;
      await db.run('INSERT INTO trace_fts(rowid, completion) SELECT trace_id, completion FROM src.trace_bodies WHERE trace_id > ? AND trace_id <= ?', [mark, hi]);
      await db.run("UPDATE search_meta SET value = ? WHERE key = 'indexed_through'", [hi]);
      return true;
    });
  }

  private async failed(err: unknown): Promise<void> {
    if (err instanceof StoreError && err.code === 'store_corrupt') {
      await this.db?.close().catch(() => undefined);
      this.db = null;
      this.moveAside(`is damaged (${err.message})`, 'damaged');
      await this.connect();
      this.again = true; // rebuild from the start, after this pass ends
      return;
    }
    // Busy (another writer's indexer held the lock ~30 s), disk full, …: the next commit retries.
    this.report(`search index ${this.path} could not be updated (${err instanceof Error ? err.message : String(err)}); it will catch up after the next batch`);
  }

  /** Resolves when every trace committed before the call is indexed (or indexing failed). */
  async idle(): Promise<void> {
    this.afterCommit();
    while (this.running) await this.running;
  }

  /**
   * Indexes what is left for up to CLOSE_DRAIN_MS (normally one batch), then closes; a larger
   * backlog (a file being indexed for the first time) is left to the next writer, which resumes
   * from the mark.
   */
  async close(): Promise<void> {
    const timer = setTimeout(() => { this.stopping = true; }, CLOSE_DRAIN_MS);
    try {
      await this.idle();
    } finally {
      clearTimeout(timer);
      this.stopping = true;
    }
    await this.db?.close().catch(() => undefined);
    this.db = null;
  }
}
