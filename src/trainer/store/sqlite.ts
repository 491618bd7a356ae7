/**
 * A small promise layer over the `sqlite3` package (N-API, callback API). One `Db` is one
 * connection. Writes are serialized through `exclusive()`, because statements of one connection
 * share its transaction: a step row written while a trace batch is open would otherwise commit or
 * roll back with that batch.
 */
import sqlite3 from 'sqlite3';
import { StoreError, translateSqliteError } from './errors';

export type SqlValue = string | number | bigint | Buffer | null;
export type SqlParams = readonly SqlValue[];

export interface RunResult {
  changes: number;
  lastId: number;
}

export interface OpenOptions {
  readOnly?: boolean;
  /** How long SQLite itself waits on another process's lock before giving up, per attempt. */
  busyTimeoutMs?: number;
  /** Attempts at BEGIN IMMEDIATE / COMMIT when SQLite still reports SQLITE_BUSY. */
  busyRetries?: number;
}

/** A prepared statement, reused across calls; finalize it before closing the database. */
export class Stmt {
  constructor(private readonly raw: sqlite3.Statement, private readonly db: Db, readonly sql: string) {}

  run(params: SqlParams = []): Promise<RunResult> {
    return new Promise<RunResult>((resolve, reject) => {
      this.raw.run([...params], function (this: sqlite3.RunResult, err: Error | null) {
        if (err) reject(err);
        else resolve({ changes: this.changes, lastId: this.lastID });
      });
    }).catch((err: unknown) => { throw this.db.translate(err, this.sql); });
  }

  all<Row>(params: SqlParams = []): Promise<Row[]> {
    return new Promise<Row[]>((resolve, reject) => {
      this.raw.all([...params], (err: Error | null, rows: Row[]) => (err ? reject(err) : resolve(rows)));
    }).catch((err: unknown) => { throw this.db.translate(err, this.sql); });
  }

  finalize(): Promise<void> {
    return new Promise((resolve) => this.raw.finalize(() => resolve()));
  }
}

export class Db {
  private closed = false;
  private tail: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly path: string,
    private readonly raw: sqlite3.Database,
    readonly readOnly: boolean,
    private readonly busyRetries: number,
  ) {}

  static open(path: string, options: OpenOptions = {}): Promise<Db> {
    // OPEN_URI lets ATTACH name a file with `file:…?mode=ro` (the search index, search-index.ts);
    // a plain path means what it meant before.
    const mode = (options.readOnly ? sqlite3.OPEN_READONLY : sqlite3.OPEN_READWRITE | sqlite3.OPEN_CREATE) | sqlite3.OPEN_URI;
    return new Promise((resolve, reject) => {
      const raw: sqlite3.Database = new sqlite3.Database(path, mode, (err: Error | null) => {
        if (err) return reject(translateSqliteError(err, path));
        raw.configure('busyTimeout', options.busyTimeoutMs ?? 5000);
        resolve(new Db(path, raw, options.readOnly ?? false, options.busyRetries ?? 6));
      });
    });
  }

  translate(err: unknown, sql?: string): Error {
    return translateSqliteError(err, this.path, sql);
  }

  private check(): void {
    if (this.closed) throw new StoreError(`the trace database ${this.path} is closed`, 'store_closed', 'Open it again with openStore().');
  }

  run(sql: string, params: SqlParams = []): Promise<RunResult> {
    this.check();
    return new Promise<RunResult>((resolve, reject) => {
      this.raw.run(sql, [...params], function (this: sqlite3.RunResult, err: Error | null) {
        if (err) reject(err);
        else resolve({ changes: this.changes, lastId: this.lastID });
      });
    }).catch((err: unknown) => { throw this.translate(err, sql); });
  }

  get<Row>(sql: string, params: SqlParams = []): Promise<Row | undefined> {
    this.check();
    return new Promise<Row | undefined>((resolve, reject) => {
      this.raw.get(sql, [...params], (err: Error | null, row: Row | undefined) => (err ? reject(err) : resolve(row)));
    }).catch((err: unknown) => { throw this.translate(err, sql); });
  }

  all<Row>(sql: string, params: SqlParams = []): Promise<Row[]> {
    this.check();
    return new Promise<Row[]>((resolve, reject) => {
      this.raw.all(sql, [...params], (err: Error | null, rows: Row[]) => (err ? reject(err) : resolve(rows)));
    }).catch((err: unknown) => { throw this.translate(err, sql); });
  }

  /** Runs several `;`-separated statements without parameters (schema scripts only). */
  exec(sql: string): Promise<void> {
    this.check();
    return new Promise<void>((resolve, reject) => {
      this.raw.exec(sql, (err: Error | null) => (err ? reject(err) : resolve()));
    }).catch((err: unknown) => { throw this.translate(err, sql); });
  }

  prepare(sql: string): Promise<Stmt> {
    this.check();
    return new Promise<Stmt>((resolve, reject) => {
      const raw: sqlite3.Statement = this.raw.prepare(sql, (err: Error | null) => (err ? reject(err) : resolve(new Stmt(raw, this, sql))));
    }).catch((err: unknown) => { throw this.translate(err, sql); });
  }

  /** Runs `fn` after every earlier exclusive section of this connection has finished. */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.tail.then(fn, fn);
    this.tail = result.catch(() => undefined);
    return result;
  }

  /**
   * `fn` inside BEGIN IMMEDIATE … COMMIT, serialized with this connection's other writes.
   * IMMEDIATE takes the write lock up front, so two processes never deadlock upgrading a read
   * lock; SQLITE_BUSY after the busy timeout is retried with backoff before giving up.
   */
  transaction<T>(fn: () => Promise<T>): Promise<T> {
    return this.exclusive(async () => {
      await this.retryBusy('BEGIN IMMEDIATE');
      let result: T;
      try {
        result = await fn();
      } catch (err) {
        await this.run('ROLLBACK').catch(() => undefined);
        throw err;
      }
      try {
        await this.retryBusy('COMMIT');
      } catch (err) {
        await this.run('ROLLBACK').catch(() => undefined);
        throw err;
      }
      return result;
    });
  }

  private async retryBusy(sql: string): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await this.run(sql);
        return;
      } catch (err) {
        const busy = err instanceof StoreError && err.code === 'store_busy';
        if (!busy || attempt >= this.busyRetries) throw err;
        // SQLite already waited busy_timeout; back off a little more, with jitter so two
        // waiting writers do not retry in lockstep.
        await new Promise((r) => setTimeout(r, 20 * 2 ** Math.min(attempt, 5) * (0.5 + Math.random())));
      }
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.tail;
    this.closed = true;
    await new Promise<void>((resolve, reject) => this.raw.close((err: Error | null) => (err ? reject(this.translate(err)) : resolve())));
  }
}
