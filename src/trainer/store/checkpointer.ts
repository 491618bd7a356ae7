/**
 * WAL checkpoints off the writer's thread. By default SQLite checkpoints inside the COMMIT that
 * pushes the WAL past 1000 pages, so the writer stops to copy pages into the database file (a
 * fifth of its time at full ingest speed). Here the writer never checkpoints on commit; a second
 * connection (its own thread in the `sqlite3` package) runs PASSIVE checkpoints concurrently with
 * the writer's next batch. A PASSIVE checkpoint that runs alongside a busy writer never finishes
 * the whole log, and an unfinished log is never restarted, so once the log is large the writer
 * itself finishes the small remainder between batches, which lets the next commit restart it.
 */
import { Db } from './sqlite';

/** Frames (pages) of WAL after which the writer finishes the checkpoint itself (~64 MiB at 4 KiB pages). */
const RESTART_FRAMES = 16_384;

interface CheckpointRow {
  busy: number;
  log: number;
  checkpointed: number;
}

export class Checkpointer {
  private running: Promise<void> | null = null;
  private lastLog = 0;

  private constructor(private readonly writer: Db, private readonly reader: Db) {}

  static async open(writer: Db): Promise<Checkpointer> {
    await writer.run('PRAGMA wal_autocheckpoint = 0');
    const reader = await Db.open(writer.path);
    return new Checkpointer(writer, reader);
  }

  /** Called after each commit; returns at once. */
  afterCommit(): void {
    this.running ??= this.reader.get<CheckpointRow>('PRAGMA wal_checkpoint(PASSIVE)')
      .then((row) => { this.lastLog = row?.log ?? 0; })
      .catch(() => undefined) // a failed background checkpoint only delays the copy to the next one
      .finally(() => { this.running = null; });
  }

  /** To be called by the writer between transactions (inside its exclusive section). */
  async restartIfLarge(): Promise<void> {
    if (this.lastLog < RESTART_FRAMES) return;
    await this.running;
    // Opportunistic: if it cannot run now (another process checkpoints), the next batch tries again.
    const row = await this.writer.get<CheckpointRow>('PRAGMA wal_checkpoint(PASSIVE)').catch(() => undefined);
    if (row) this.lastLog = row.log;
  }

  /** Copies everything and truncates the log (at close, when the writer is done). */
  async close(): Promise<void> {
    await this.running;
    await this.reader.close();
    await this.writer.run('PRAGMA wal_checkpoint(TRUNCATE)').catch(() => undefined);
  }
}
