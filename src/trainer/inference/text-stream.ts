/**
 * Turns a growing list of token ids into text deltas for streaming. A byte-level BPE token can end
 * in the middle of a UTF-8 character (an emoji is often 2–4 tokens); decoding such a prefix yields
 * U+FFFD, so text is held back until the character is complete. Deltas are only ever appended:
 * if a later decode rewrites text already sent (a tokenizer that cleans up spaces), nothing more
 * is streamed until the text again extends what was sent; the final `Generation.text` is
 * authoritative either way.
 */
export class TextStream {
  private readonly ids: number[] = [];
  private sent = '';

  constructor(private readonly decode: (ids: readonly number[]) => string) {}

  /** Adds one token; returns the new text that is safe to show ('' when none). */
  push(id: number): string {
    this.ids.push(id);
    const text = this.decode(this.ids);
    if (text.endsWith('\uFFFD') || !text.startsWith(this.sent)) return '';
    const delta = text.slice(this.sent.length);
    this.sent = text;
    return delta;
  }

  /** What remains at the end (a trailing incomplete character is shown as decoded). */
  flush(): string {
    const text = this.decode(this.ids);
    if (!text.startsWith(this.sent)) return '';
    const delta = text.slice(this.sent.length);
    this.sent = text;
    return delta;
  }
}
