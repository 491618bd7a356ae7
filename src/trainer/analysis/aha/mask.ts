/**
 * Masking: a copy of the think text, same length, where everything that is code is blanked so cue
 * patterns only see prose. Fenced blocks and code lines become spaces (newlines kept, so line and
 * sentence structure survive). Inside prose lines, inline code, string literals and call
 * expressions become `FILLER`, a non-space, non-word character: a masked span still reads as "a
 * word" to the clause-start rules, so "`x` actually …" does not look like a sentence start.
 */
import { scanLayout, type ThinkLayout } from './layout';

export const FILLER = '\u00a4';

export interface MaskedThink {
  /** The original think text. */
  think: string;
  /** Same length as `think`; code blanked. */
  masked: string;
  layout: ThinkLayout;
}

/** Inline code, curly and straight double-quoted strings, and single-quoted literals (not apostrophes). */
const INLINE_CODE = /(`+)([^`\n]+?)\1/g;
const DOUBLE_QUOTED = /"[^"\n]*"|\u201c[^\u201d\n]*\u201d/g;
const SINGLE_QUOTED = /(?<![\w'\u00a4])'[^'\n]*'(?![\w'])/g;
/** `check(x)`, `s.strip()`, `f([1, (2)])`: an identifier glued to its parenthesis (prose puts a space). */
const CALL = /\b[A-Za-z_][\w.]*\((?:[^()\n]|\([^()\n]*\))*\)/g;
/** Inline code that names an error is a cue worth keeping: "this raises `IndexError`". */
const ERROR_NAME = /^(?:[A-Z]\w*(?:Error|Exception)|Traceback|StopIteration)$/;

function blank(chars: string[], start: number, end: number, filler: string): void {
  for (let i = start; i < end; i++) if (chars[i] !== '\n') chars[i] = filler;
}

function maskProseLine(chars: string[], start: number, end: number): void {
  const maskAll = (pattern: RegExp, keep?: (match: RegExpMatchArray) => boolean): void => {
    const line = chars.slice(start, end).join('');
    for (const match of line.matchAll(pattern)) {
      if (keep?.(match)) continue;
      const at = start + (match.index ?? 0);
      blank(chars, at, at + match[0].length, FILLER);
    }
  };
  maskAll(INLINE_CODE, (m) => ERROR_NAME.test((m[2] ?? '').trim()));
  maskAll(DOUBLE_QUOTED);
  maskAll(SINGLE_QUOTED);
  maskAll(CALL);
}

export function maskThink(think: string): MaskedThink {
  const layout = scanLayout(think);
  // One entry per UTF-16 unit, so offsets in the mask are offsets in the text.
  const chars = think.split('');
  for (const fence of layout.fences) blank(chars, fence.start, fence.end, ' ');
  for (const line of layout.codeLines) blank(chars, line.start, line.end, ' ');
  for (const line of layout.proseLines) maskProseLine(chars, line.start, line.end);
  return { think, masked: chars.join(''), layout };
}
