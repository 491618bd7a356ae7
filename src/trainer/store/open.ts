/**
 * Opening a trace database: connection settings, then the schema check or migration. A file that
 * SQLite cannot read is reported (StoreError `store_corrupt`, naming it) and never recreated.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Db, type OpenOptions } from './sqlite';
import { checkReadable, migrate } from './schema';
import { invalidInput } from './errors';

const MMAP_BYTES = 2 ** 30;

export interface ConnectionOptions extends OpenOptions {
  /** Page cache per connection, in MiB. */
  cacheMiB?: number;
  /**
   * Page size of a NEW file, in bytes (an existing file keeps its own); SQLite's 4096 by default.
   * 16384 took 11% less ingest CPU at 200k traces (docs/store.md, "Ingest"), but each commit
   * rewrites every index page it touches, and at 1M traces those pages would be 4× larger: not
   * measured there, so not the default. The benchmark compares with `--page-size`.
   */
  pageSize?: number;
}

function checkPageSize(size: number): void {
  if (!Number.isInteger(size) || size < 512 || size > 65536 || (size & (size - 1)) !== 0) {
    throw invalidInput('openStore', `pageSize must be a power of two from 512 to 65536, got ${size}`);
  }
}

/**
 * WAL lets the side panel read while a run writes, and lets two runs write one file (one writer
 * at a time; the other waits busy_timeout and retries). synchronous=NORMAL: a commit survives a
 * killed process (kill -9); only a power loss or OS crash may lose the last commits.
 */
async function configure(db: Db, options: ConnectionOptions): Promise<void> {
  if (!db.readOnly && options.pageSize !== undefined) {
    checkPageSize(options.pageSize);
    await db.run(`PRAGMA page_size = ${options.pageSize}`); // must precede WAL, which creates the file
  }
  if (!db.readOnly) await db.run('PRAGMA journal_mode = WAL');
  await db.run('PRAGMA synchronous = NORMAL');
  await db.run('PRAGMA foreign_keys = ON');
  await db.run(`PRAGMA cache_size = -${Math.round((options.cacheMiB ?? 64) * 1024)}`);
  await db.run('PRAGMA temp_store = MEMORY');
  // Reads map the file instead of copying each page out of the OS cache with pread(): list
  // queries touch thousands of pages of a multi-GB file, and FTS5 merges re-read whole segments.
  await db.run(`PRAGMA mmap_size = ${MMAP_BYTES}`);
}

export async function openConnection(path: string, options: ConnectionOptions = {}): Promise<Db> {
  if (!options.readOnly && path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = await Db.open(path, options);
  try {
    await configure(db, options);
    if (db.readOnly) await checkReadable(db);
    else await migrate(db);
    return db;
  } catch (err) {
    await db.close().catch(() => undefined);
    throw err;
  }
}
