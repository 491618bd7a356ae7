/**
 * From "the file now" and "the file with the function replaced" (the trainer's splice) to the one
 * edit Accept applies: the smallest run of whole lines that differs, as character offsets. Keeping
 * the edit to the changed lines leaves the rest of the document (markers, folding, other
 * annotations) alone. Pure.
 */

export interface TextReplacement {
  /** Offsets into the current text: [start, end) is replaced by `text`. */
  start: number;
  end: number;
  text: string;
}

/** Lines with their terminators, so joining them gives the text back exactly. */
function linesOf(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

/**
 * `after` with the line endings of `before`: the splice writes "\n" (Python reads with universal
 * newlines), and a CRLF file must not look as if every line changed.
 */
export function matchLineEndings(before: string, after: string): string {
  const crlf = before.includes('\r\n');
  const lf = after.replace(/\r\n/g, '\n');
  return crlf ? lf.replace(/\n/g, '\r\n') : lf;
}

/** The minimal whole-line replacement turning `before` into `after`; null when they are equal. */
export function lineReplacement(before: string, after: string): TextReplacement | null {
  if (before === after) return null;
  const a = linesOf(before);
  const b = linesOf(after);
  let prefix = 0;
  while (prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix++;
  let suffix = 0;
  while (suffix < a.length - prefix && suffix < b.length - prefix && a[a.length - 1 - suffix] === b[b.length - 1 - suffix]) suffix++;
  const length = (lines: string[]) => lines.reduce((n, l) => n + l.length, 0);
  const start = length(a.slice(0, prefix));
  const end = before.length - length(a.slice(a.length - suffix));
  const text = b.slice(prefix, b.length - suffix).join('');
  return { start, end, text };
}

export function applyReplacement(text: string, edit: TextReplacement | null): string {
  return edit === null ? text : text.slice(0, edit.start) + edit.text + text.slice(edit.end);
}

/** 0-based [first, last] lines of `text` covered by [start, end), for messages ("lines 12–18"). */
export function lineSpan(text: string, edit: TextReplacement): { first: number; last: number } {
  const lineAt = (offset: number) => (text.slice(0, offset).match(/\n/g) ?? []).length;
  return { first: lineAt(edit.start), last: Math.max(lineAt(edit.start), lineAt(Math.max(edit.start, edit.end - 1))) };
}
