/**
 * Characters ↔ tokens. The worker reports token ids and the decoded text; a caller that decodes
 * each token on its own gets per-token texts, which `spansFromTokenTexts` lines up with the text.
 */
import { RlvrError } from '../../errors';
import type { TokenSpan } from './types';

/** Bad token spans or entropies handed to the detector. */
export class AhaInputError extends RlvrError {
  constructor(message: string, hint: string) {
    super(message, 'bad_input', hint);
  }
}

/** How far ahead to look for the next token when a token's own text is not in the completion. */
const RESYNC_WINDOW = 16;

const isClean = (piece: string): boolean => piece !== '' && !piece.includes('\ufffd');

/**
 * Where to pick up again after a token that is not in the text: the next clean token (not empty,
 * no U+FFFD) found shortly after `cursor`; the end of the text when no clean token follows (a
 * split character or special tokens at the end); null when the tokens do not fit the text.
 */
function findResync(text: string, tokens: readonly string[], from: number, cursor: number): { token: number; at: number } | null {
  let j = from;
  while (j < tokens.length && !isClean(tokens[j] ?? '')) j++;
  if (j >= tokens.length) return { token: tokens.length, at: text.length };
  const at = text.indexOf(tokens[j] ?? '', cursor);
  return at >= 0 && at - cursor <= RESYNC_WINDOW ? { token: j, at } : null;
}

/**
 * Per-token [start, end) spans from per-token decoded texts. Tokens that split a multi-byte
 * character decode to U+FFFD on their own; they get the characters up to the next token that is
 * found again (the last of them holds the span, the others are empty at its start).
 */
export function spansFromTokenTexts(text: string, tokens: readonly string[]): TokenSpan[] {
  const spans: TokenSpan[] = [];
  let cursor = 0;
  let i = 0;
  while (i < tokens.length) {
    const piece = tokens[i] ?? '';
    if (text.startsWith(piece, cursor)) {
      spans.push([cursor, cursor + piece.length]);
      cursor += piece.length;
      i++;
      continue;
    }
    const next = findResync(text, tokens, i + 1, cursor);
    if (!next) {
      throw new AhaInputError(`token ${i} (${JSON.stringify(piece)}) does not line up with the completion text at character ${cursor}`,
        'pass the per-token texts of this very completion, decoded one token at a time, in order');
    }
    for (let j = i; j < next.token; j++) spans.push(j === next.token - 1 ? [cursor, next.at] : [cursor, cursor]);
    cursor = next.at;
    i = next.token;
  }
  return spans;
}

/**
 * Spans from per-token end offsets (what the worker returns: token i is `text.slice(end[i-1], end[i])`).
 * Null when the offsets cannot be this text's: not non-decreasing integers, or past its end.
 * Model output is untrusted and a worker bug must not fail a training step, so this answers null
 * instead of throwing; the caller then detects cues without token statistics.
 */
export function spansFromEndOffsets(textLength: number, ends: readonly number[]): TokenSpan[] | null {
  const spans: TokenSpan[] = [];
  let start = 0;
  for (const end of ends) {
    if (!Number.isInteger(end) || end < start || end > textLength) return null;
    spans.push([start, end]);
    start = end;
  }
  return spans;
}

/** Checks that spans are in order, inside the text, and (with entropies) one entropy per token. */
export function checkTokenInputs(textLength: number, spans: readonly TokenSpan[] | undefined, entropies: readonly number[] | undefined): void {
  if (entropies && !spans) {
    throw new AhaInputError(`got ${entropies.length} token entropies but no token spans`, 'pass tokenSpans (or per-token texts) with the entropies');
  }
  if (!spans) return;
  let previousEnd = 0;
  spans.forEach(([start, end], index) => {
    if (!(Number.isInteger(start) && Number.isInteger(end) && start >= previousEnd && end >= start && end <= textLength)) {
      throw new AhaInputError(`token span ${index} is [${start}, ${end}), after the previous end ${previousEnd}, in a text of ${textLength} characters`,
        'spans must be ordered, non-overlapping, integer [start, end) offsets into the completion text');
    }
    previousEnd = end;
  });
  if (entropies && entropies.length !== spans.length) {
    throw new AhaInputError(`got ${entropies.length} entropies for ${spans.length} tokens`, 'pass exactly one entropy per completion token');
  }
  const bad = entropies?.findIndex((e) => !Number.isFinite(e) || e < 0) ?? -1;
  if (bad >= 0) throw new AhaInputError(`entropy ${bad} is ${entropies?.[bad]}`, 'entropies must be finite and ≥ 0 (nats)');
}

/** Index of the first token whose span ends after `charOffset` (the token holding it); null past the end. */
export function tokenIndexAt(spans: readonly TokenSpan[], charOffset: number): number | null {
  let lo = 0;
  let hi = spans.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((spans[mid]?.[1] ?? 0) <= charOffset) lo = mid + 1;
    else hi = mid;
  }
  return lo < spans.length ? lo : null;
}

/** Tokens overlapping [start, end). */
export function tokensOverlapping(spans: readonly TokenSpan[], start: number, end: number): number {
  return spans.filter(([s, e]) => (e > start && s < end) || (s === e && s >= start && s < end)).length;
}
