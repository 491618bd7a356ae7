/**
 * Pulls `assert` lines out of a Python test function's source, for the "Tests:" part of a prompt.
 * Pure text work (no Python parser): good enough for the one-line and bracketed multi-line asserts
 * that unit tests are made of; anything it cannot read confidently is left out, never guessed.
 */

/** The parts of a pytest node id: "tests/test_x.py::TestA::test_b[1-2]". */
export interface PytestId {
  file: string;
  classes: string[];
  name: string;
}

export function parsePytestId(id: string): PytestId | null {
  // Parameters ("[1-a::b]") may contain anything, "::" included: cut them off first.
  const bracket = id.indexOf('[');
  const parts = (bracket >= 0 && id.endsWith(']') ? id.slice(0, bracket) : id).split('::');
  const file = parts[0];
  const last = parts[parts.length - 1];
  if (parts.length < 2 || !file || !last) return null;
  if (!/^[A-Za-z_]\w*$/.test(last)) return null;
  return { file, classes: parts.slice(1, -1), name: last };
}

const indentOf = (line: string): number => line.length - line.trimStart().length;
const isBlankOrComment = (line: string): boolean => /^\s*(#.*)?$/.test(line);

/** Index of the first line in `[start, end)` at exactly `indent` that matches `pattern`, or -1. */
function findHeader(lines: string[], start: number, end: number, indent: number, pattern: RegExp): number {
  for (let i = start; i < end; i++) {
    const line = lines[i] ?? '';
    if (indentOf(line) === indent && pattern.test(line)) return i;
  }
  return -1;
}

/** Indent of the first code line in `[start, end)`: the indent of a block's body. */
function bodyIndent(lines: string[], start: number, end: number): number {
  for (let i = start; i < end; i++) {
    const line = lines[i] ?? '';
    if (!isBlankOrComment(line)) return indentOf(line);
  }
  return -1;
}

/**
 * End (exclusive) of the block whose header is at `header`: the first later code line not indented
 * deeper. Lines inside open brackets or multi-line strings are never a block end.
 */
function blockEnd(lines: string[], header: number): number {
  const base = indentOf(lines[header] ?? '');
  let state = scanLine(lines[header] ?? '', null);
  let depth = state.depth;
  for (let i = header + 1; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const continued = depth > 0 || state.quote !== null;
    if (!continued && !isBlankOrComment(line) && indentOf(line) <= base) return i;
    state = scanLine(line, state.quote);
    depth = Math.max(0, depth + state.depth);
  }
  return lines.length;
}

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The lines of test function `id.name` (inside `id.classes`), or null when it cannot be found. */
export function findTestFunctionLines(source: string, id: PytestId): string[] | null {
  const lines = source.split(/\r?\n/);
  let start = 0;
  let end = lines.length;
  let indent = 0; // a test is a module-level def, or a def directly in its (nested) class
  for (const cls of id.classes) {
    const header = findHeader(lines, start, end, indent, new RegExp(`^\\s*class\\s+${escapeRe(cls)}\\b`));
    if (header < 0) return null;
    start = header + 1;
    end = blockEnd(lines, header);
    indent = bodyIndent(lines, start, end);
  }
  const def = findHeader(lines, start, end, indent, new RegExp(`^\\s*(async\\s+)?def\\s+${escapeRe(id.name)}\\s*\\(`));
  if (def < 0) return null;
  return lines.slice(def, blockEnd(lines, def));
}

/**
 * Scans one line of Python, starting inside string `quote` (a triple quote left open by an earlier
 * line) or outside any. Returns the bracket depth change, the offset of a trailing comment (or -1)
 * and the string still open at the end of the line (null when none).
 */
function scanLine(line: string, quote: string | null): { depth: number; commentAt: number; quote: string | null } {
  let depth = 0;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i] as string;
    if (quote) {
      if (ch === '\\') i++;
      else if (line.startsWith(quote, i)) {
        i += quote.length - 1;
        quote = null;
      }
    } else if (ch === '#') {
      return { depth, commentAt: i, quote: null };
    } else if (ch === '"' || ch === "'") {
      quote = line.startsWith(ch.repeat(3), i) ? ch.repeat(3) : ch;
      i += quote.length - 1;
    } else if ('([{'.includes(ch)) depth++;
    else if (')]}'.includes(ch)) depth--;
  }
  // A one-quote string cannot span lines (without a backslash, which tests do not use): close it.
  return { depth, commentAt: -1, quote: quote && quote.length === 3 ? quote : null };
}

const MAX_CONTINUATION_LINES = 6;

/** Joins `parts` of one logical line, without a space after an opening or before a closing bracket. */
function joinLogical(parts: string[]): string {
  return parts.reduce((acc, part) => (acc === '' || /[([{]$/.test(acc) || /^[)\]}]/.test(part) ? acc + part : `${acc} ${part}`), '');
}

/**
 * Every `assert` statement in `lines`, each as one logical line without its trailing comment.
 * Asserts that contain a multi-line string are skipped (they would not read well in a prompt).
 */
export function extractAssertStatements(lines: readonly string[]): string[] {
  const found: string[] = [];
  let quote: string | null = null; // a multi-line string open since an earlier line
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (quote !== null || !/^\s*assert\b/.test(line)) {
      quote = scanLine(line, quote).quote;
      continue;
    }
    const statement = readStatement(lines, i);
    if (statement.text !== null) found.push(statement.text);
    quote = statement.quote;
    i = statement.last;
  }
  return found;
}

/** The logical line starting at `start`: its text (null if unusable), last line index and any open string. */
function readStatement(lines: readonly string[], start: number): { text: string | null; last: number; quote: string | null } {
  const parts: string[] = [];
  let depth = 0;
  for (let j = start; j < lines.length && j < start + MAX_CONTINUATION_LINES; j++) {
    const raw = lines[j] ?? '';
    const scan = scanLine(raw, null);
    if (scan.quote !== null) return { text: null, last: j, quote: scan.quote };
    let code = (scan.commentAt >= 0 ? raw.slice(0, scan.commentAt) : raw).trim();
    depth += scan.depth;
    const backslash = code.endsWith('\\');
    if (backslash) code = code.slice(0, -1).trimEnd();
    parts.push(code);
    if (depth <= 0 && !backslash) return { text: depth === 0 ? joinLogical(parts) : null, last: j, quote: null };
  }
  return { text: null, last: start, quote: null };
}

/** The assert statements of test `testId` found in `source` (the test file's text). */
export function extractPythonTestAsserts(source: string, testId: string): string[] {
  const id = parsePytestId(testId);
  if (!id) return [];
  const lines = findTestFunctionLines(source, id);
  return lines ? extractAssertStatements(lines) : [];
}
