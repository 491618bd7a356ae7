/**
 * Candidate solutions written inside the think: fenced code blocks that define a function, and
 * bare `def` blocks. They mark the exploration → reflection boundary and are the "code before /
 * after" a cue whose verdicts give its consequence.
 */
import { classifyCodeLine, indentOf } from './code-lines';
import type { CodeLine, ThinkLayout } from './layout';

export interface Snippet {
  /** [start, end) in the think text. */
  start: number;
  end: number;
  /** Dedented source. */
  code: string;
}

const CODE_LANGUAGES = new Set(['', 'python', 'py', 'python3', 'js', 'javascript', 'ts', 'typescript']);

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Does the code define `symbol` ("slugify", or "Stack.push" → a `push` definition)? */
export function definesSymbol(code: string, symbol: string): boolean {
  const name = escapeRegExp(symbol.split('.').pop() ?? symbol);
  return new RegExp(String.raw`(?:^|\n)[ \t]*(?:(?:async[ \t]+)?def|(?:export[ \t]+)?(?:async[ \t]+)?function\*?|class|(?:const|let|var))[ \t]+${name}\b`).test(code);
}

function hasDefinition(code: string): boolean {
  return code.split('\n').some((line) => classifyCodeLine(line) === 'definition');
}

export function dedent(code: string): string {
  const lines = code.replace(/\s+$/, '').split('\n');
  while (lines.length > 0 && (lines[0] ?? '').trim() === '') lines.shift();
  const indents = lines.filter((l) => l.trim() !== '').map(indentOf);
  const cut = indents.length > 0 ? Math.min(...indents) : 0;
  return lines.map((l) => l.replace(/\t/g, '    ').slice(cut).replace(/[ \t]+$/, '')).join('\n') + (lines.length > 0 ? '\n' : '');
}

/** Runs of code lines separated only by blank lines. */
function codeLineRuns(think: string, lines: readonly CodeLine[]): CodeLine[][] {
  const runs: CodeLine[][] = [];
  for (const line of lines) {
    const run = runs[runs.length - 1];
    const previous = run?.[run.length - 1];
    if (run && previous && think.slice(previous.end, line.start).trim() === '') run.push(line);
    else runs.push([line]);
  }
  return runs;
}

/** Candidate solutions, in order. With `symbol`, only code that defines it counts. */
export function candidateSnippets(think: string, layout: ThinkLayout, symbol?: string): Snippet[] {
  const snippets: Snippet[] = [];
  for (const fence of layout.fences) {
    if (!CODE_LANGUAGES.has(fence.language)) continue;
    const code = dedent(think.slice(fence.bodyStart, fence.bodyEnd));
    if (hasDefinition(code)) snippets.push({ start: fence.start, end: fence.end, code });
  }
  for (const run of codeLineRuns(think, layout.codeLines)) {
    const first = run.findIndex((line) => line.kind === 'definition');
    const from = run[first];
    const last = run[run.length - 1];
    if (first < 0 || !from || !last) continue;
    snippets.push({ start: from.start, end: last.end, code: dedent(think.slice(from.start, last.end)) });
  }
  return snippets
    .filter((s) => symbol === undefined || definesSymbol(s.code, symbol))
    .sort((a, b) => a.start - b.start);
}

/** Where the first candidate solution starts: a code block, or a `def` / `return` line. */
export function firstSolutionStart(layout: ThinkLayout): number | null {
  const starts = [
    ...layout.fences.filter((f) => CODE_LANGUAGES.has(f.language)).map((f) => f.start),
    ...layout.codeLines.filter((l) => l.kind === 'definition' || l.kind === 'return').map((l) => l.start),
  ];
  return starts.length > 0 ? Math.min(...starts) : null;
}

/** Code compared for "no change": dedented, trailing spaces and blank edges dropped. */
export function normalizeCode(code: string): string {
  return dedent(code).replace(/\n{3,}/g, '\n\n');
}

/** cyrb53: a fast 53-bit string hash (pure, no crypto module), as 14 hex digits. */
export function codeHash(code: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < code.length; i++) {
    const ch = code.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(16).padStart(14, '0');
}
