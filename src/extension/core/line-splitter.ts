/**
 * Cuts a byte stream into lines. A child's stdout arrives in arbitrary chunks (a JSON event can be
 * split across two), so lines are only handed on once their newline has arrived.
 */
export class LineSplitter {
  private pending = '';

  constructor(private readonly onLine: (line: string) => void) {}

  push(chunk: string): void {
    const parts = (this.pending + chunk).split('\n');
    this.pending = parts.pop() ?? '';
    for (const part of parts) this.onLine(part.endsWith('\r') ? part.slice(0, -1) : part);
  }

  /** Hands on a last line that had no newline (the process ended mid-line). */
  flush(): void {
    if (this.pending === '') return;
    const rest = this.pending;
    this.pending = '';
    this.onLine(rest);
  }
}
