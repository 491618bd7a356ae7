/**
 * The think text, the answer and the code are (almost always) pieces of the completion, so since
 * schema version 3 a trace stores them as spans — start and length in CHARACTERS (Unicode code
 * points) of the completion — and readers cut them out with SQLite's substr() (the `trace_texts`
 * view). Characters, not JS string indexes: substr() on TEXT counts code points, while JS counts
 * UTF-16 units, so an emoji before the think text is 1 for SQLite and 2 for JS.
 *
 * A text that is not a piece of the completion (a parser that rewrote it) is stored as text, as
 * before. So is every text of a completion holding NUL: substr() on TEXT stops at the first NUL.
 */

export type Span = readonly [start: number, length: number];

const SURROGATE = /[\uD800-\uDFFF]/;
const isHigh = (c: number) => c >= 0xd800 && c <= 0xdbff;
const isLow = (c: number) => c >= 0xdc00 && c <= 0xdfff;

/** Index `i` falls between the two halves of a surrogate pair (one character for SQLite). */
function splitsPair(s: string, i: number): boolean {
  return i > 0 && i < s.length && isHigh(s.charCodeAt(i - 1)) && isLow(s.charCodeAt(i));
}

/** Characters in s[from, to): a surrogate pair is one, a lone surrogate (stored as U+FFFD) one. */
function characters(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++, n++) {
    if (isHigh(s.charCodeAt(i)) && i + 1 < to && isLow(s.charCodeAt(i + 1))) i++;
  }
  return n;
}

/** What one completion's texts are cut from; computed once per trace. */
export class SpanSource {
  private readonly usable: boolean;
  private readonly surrogates: boolean;

  constructor(private readonly completion: string) {
    this.usable = !completion.includes('\0');
    this.surrogates = SURROGATE.test(completion);
  }

  /**
   * The span of `text` in the completion, or null when it must be stored as text. Any occurrence
   * will do: substr() gives back the same characters wherever they are cut from.
   */
  spanOf(text: string): Span | null {
    if (!this.usable) return null;
    const at = this.completion.indexOf(text);
    if (at < 0) return null;
    const end = at + text.length;
    if (!this.surrogates) return [at, text.length];
    // A text ending in half of a pair would be stored as U+FFFD; substr() would give the whole emoji.
    if (splitsPair(this.completion, at) || splitsPair(this.completion, end)) return null;
    return [characters(this.completion, 0, at), characters(this.completion, at, end)];
  }
}
