/** Where the reasoning is: the span of the completion inside `<think>…</think>`. */
import type { ThinkSource } from './types';

export interface ThinkScope {
  /** [start, end) of the think text in the completion (tags excluded). */
  start: number;
  end: number;
  source: ThinkSource;
}

const OPEN = '<think>';
const CLOSE = '</think>';

/**
 * Same reading as the trainer's `parseCompletion`: the first `<think>` up to the next `</think>`; an
 * unclosed think runs to the end (a truncated trace); a close without an open means the prompt
 * template opened it. Unlike the parser, a text without any tag is taken whole: chat templates
 * that pre-fill `<think>` yield completions with neither tag until the model closes it.
 */
export function thinkScope(text: string): ThinkScope {
  const openAt = text.indexOf(OPEN);
  const closeAt = text.indexOf(CLOSE, openAt < 0 ? 0 : openAt);
  if (openAt >= 0 && closeAt >= 0) return { start: openAt + OPEN.length, end: closeAt, source: 'tags' };
  if (openAt >= 0) return { start: openAt + OPEN.length, end: text.length, source: 'unclosed' };
  if (closeAt >= 0) return { start: 0, end: closeAt, source: 'close-only' };
  return { start: 0, end: text.length, source: 'untagged' };
}

/** 0..1 through the think; an empty think puts everything at 0. */
export function positionIn(scope: ThinkScope, charOffset: number): number {
  const length = scope.end - scope.start;
  if (length <= 0) return 0;
  return Math.min(1, Math.max(0, (charOffset - scope.start) / length));
}
