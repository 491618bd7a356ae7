/**
 * The layout of a think text, line by line: fenced code blocks and code-looking lines (with the
 * indented blocks they open). Offsets are relative to the think string.
 */
import { classifyCodeLine, indentOf, opensBlock, type CodeLineKind } from './code-lines';

export interface Fence {
  /** [start, end) of the whole fence, marker lines included. */
  start: number;
  end: number;
  /** [bodyStart, bodyEnd) of the lines between the markers. */
  bodyStart: number;
  bodyEnd: number;
  /** The info string after the opening marker, lower-cased ("python", "" …). */
  language: string;
}

export interface CodeLine {
  /** [start, end) of the line, its newline excluded. */
  start: number;
  end: number;
  kind: CodeLineKind;
}

export interface ThinkLayout {
  fences: Fence[];
  codeLines: CodeLine[];
  /** Prose lines (neither fenced nor code), the ones whose words may hold cues. */
  proseLines: { start: number; end: number }[];
}

interface Line {
  start: number;
  end: number;
  text: string;
}

function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  let start = 0;
  for (;;) {
    const newline = text.indexOf('\n', start);
    const end = newline < 0 ? text.length : newline;
    lines.push({ start, end, text: text.slice(start, end) });
    if (newline < 0) return lines;
    start = newline + 1;
  }
}

const FENCE_MARKER = /^[ \t]*(`{3,}|~{3,})[ \t]*([^\s`]*)/;

/** Scans the think once. An unclosed fence runs to the end (truncated traces are common). */
export function scanLayout(think: string): ThinkLayout {
  const layout: ThinkLayout = { fences: [], codeLines: [], proseLines: [] };
  const lines = splitLines(think);
  let open: { start: number; bodyStart: number; marker: string; language: string } | null = null;
  let blockIndent: number | null = null;
  for (const line of lines) {
    const match = FENCE_MARKER.exec(line.text);
    const marker = match?.[1] ?? null;
    if (open) {
      // A closing marker is the same character, at least as long.
      if (marker?.startsWith(open.marker)) {
        layout.fences.push({ start: open.start, end: line.end, bodyStart: open.bodyStart, bodyEnd: line.start, language: open.language });
        open = null;
      }
      continue;
    }
    // "```x = 1```" on one line is inline code, not an opening fence.
    if (marker && !line.text.trim().slice(marker.length).includes(marker)) {
      open = { start: line.start, bodyStart: Math.min(line.end + 1, think.length), marker, language: (match?.[2] ?? '').toLowerCase() };
      blockIndent = null;
      continue;
    }
    blockIndent = classifyLine(line, blockIndent, layout);
  }
  if (open) layout.fences.push({ start: open.start, end: think.length, bodyStart: open.bodyStart, bodyEnd: think.length, language: open.language });
  return layout;
}

/** Classifies one line outside fences; returns the indentation of the code block still open, if any. */
function classifyLine(line: Line, blockIndent: number | null, layout: ThinkLayout): number | null {
  if (line.text.trim() === '') return blockIndent;
  const indent = indentOf(line.text);
  const kind = classifyCodeLine(line.text);
  if (blockIndent !== null && indent > blockIndent) {
    layout.codeLines.push({ start: line.start, end: line.end, kind: kind ?? 'statement' });
    return blockIndent;
  }
  if (kind === null) {
    layout.proseLines.push({ start: line.start, end: line.end });
    return null;
  }
  layout.codeLines.push({ start: line.start, end: line.end, kind });
  return opensBlock(line.text) ? indent : null;
}
