/**
 * One read-only connection to the workspace's trace store, opened on first use and kept: SQLite in
 * WAL mode shows a reader every commit of a training process at the start of each read. A missing
 * file is not an error (no run yet); a damaged or too-new store is, with the store's own message.
 */
import { existsSync } from 'node:fs';
import { openStoreReader, type StoreReader } from '../../trainer/store';
import type { ReadQueries } from './store-port';

export type ReaderOpener = (path: string) => Promise<StoreReader>;

export class StoreAccess {
  private current: { path: string; reader: Promise<StoreReader> } | null = null;

  constructor(private readonly path: () => string | null, private readonly open: ReaderOpener = openStoreReader) {}

  /** The store at the current path, or null when there is none (yet). */
  async queries(): Promise<ReadQueries | null> {
    const path = this.path();
    if (path === null || !existsSync(path)) {
      await this.close();
      return null;
    }
    if (this.current?.path !== path) {
      await this.close();
      const reader = this.open(path);
      this.current = { path, reader };
      // A failed open is not cached: the next call tries again (the file may be written meanwhile).
      reader.catch(() => { if (this.current?.reader === reader) this.current = null; });
    }
    return (await this.current.reader).queries;
  }

  async close(): Promise<void> {
    const current = this.current;
    this.current = null;
    if (current) await current.reader.then((r) => r.close(), () => undefined);
  }
}
