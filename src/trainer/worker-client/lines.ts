import { StringDecoder } from 'node:string_decoder';

/** Splits a byte stream into lines; a UTF-8 character split across chunks is kept whole. */
export class LineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private pending = '';

  push(chunk: Buffer | string): string[] {
    this.pending += typeof chunk === 'string' ? chunk : this.decoder.write(chunk);
    const parts = this.pending.split('\n');
    this.pending = parts.pop() ?? '';
    return parts.map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
  }

  /** The unterminated last line, if any. */
  end(): string[] {
    const rest = this.pending + this.decoder.end();
    this.pending = '';
    return rest.length > 0 ? [rest] : [];
  }
}

/** The last `limit` lines seen (the worker's stderr, for error messages). */
export class TailBuffer {
  private readonly lines: string[] = [];

  constructor(private readonly limit: number) {}

  add(line: string): void {
    this.lines.push(line);
    if (this.lines.length > this.limit) this.lines.shift();
  }

  snapshot(): string[] {
    return [...this.lines];
  }
}
