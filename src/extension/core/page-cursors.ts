/**
 * The traces list asks for rows by offset (it is virtualised: it jumps to any position), while the
 * store pages fastest by cursor (keyset: page 1000 costs what page 1 costs). This remembers, per
 * filter and sort, the cursor that continues after each page already served, so scrolling down
 * uses cursors and only a jump far ahead falls back to OFFSET.
 */

const MAX_KEYS = 16;
const MAX_CURSORS_PER_KEY = 4096;

export class PageCursors {
  /** Insertion order doubles as recency: a key is re-inserted when used. */
  private readonly byKey = new Map<string, Map<number, string>>();

  static keyOf(runId: string, filterAndSort: unknown): string {
    return `${runId}\0${JSON.stringify(filterAndSort)}`;
  }

  get(key: string, offset: number): string | undefined {
    const cursors = this.byKey.get(key);
    if (!cursors) return undefined;
    this.byKey.delete(key);
    this.byKey.set(key, cursors);
    return cursors.get(offset);
  }

  set(key: string, offset: number, cursor: string): void {
    let cursors = this.byKey.get(key);
    if (!cursors) {
      cursors = new Map();
      this.byKey.set(key, cursors);
      const oldest = this.byKey.keys().next().value;
      if (this.byKey.size > MAX_KEYS && oldest !== undefined) this.byKey.delete(oldest);
    }
    if (cursors.size < MAX_CURSORS_PER_KEY) cursors.set(offset, cursor);
  }

  /** New rows were stored for the run: earlier positions no longer hold. */
  clearRun(runId: string): void {
    for (const key of [...this.byKey.keys()]) if (key.startsWith(`${runId}\0`)) this.byKey.delete(key);
  }
}
