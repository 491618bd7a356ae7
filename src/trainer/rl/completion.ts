/**
 * Parsing of model completions: `<think>…</think>` then one fenced code block holding the function.
 * Model output is untrusted and often malformed, so parsing is tolerant and never throws; what was
 * missing is reported in `format` and priced by the small format reward.
 */

export interface ParsedCompletion {
  /** Text inside the first `<think>…</think>` (or after an unclosed `<think>`), trimmed; null if absent. */
  think: string | null;
  /** Everything after `</think>` (the whole text when there is no closed think block). */
  answer: string;
  /** The extracted function source, or null when no code could be found. */
  code: string | null;
  format: CompletionFormat;
}

export interface CompletionFormat {
  /** The completion opens with `<think>` (leading whitespace allowed). */
  thinkOpened: boolean;
  thinkClosed: boolean;
  /** Number of fenced code blocks in the answer. */
  codeBlocks: number;
  /** Code came from a ```python (or unlabelled) fence rather than a bare `def` fallback. */
  fencedCode: boolean;
}

const THINK_OPEN = '<think>';
const THINK_CLOSE = '</think>';
const FENCE = /```[ \t]*([A-Za-z0-9_+-]*)[ \t]*\r?\n([\s\S]*?)```/g;
const CODE_LANGUAGES = new Set(['', 'python', 'py', 'python3', 'ts', 'typescript', 'js', 'javascript']);

export function parseCompletion(text: string): ParsedCompletion {
  const trimmedStart = text.trimStart();
  const thinkOpened = trimmedStart.startsWith(THINK_OPEN);
  const openAt = text.indexOf(THINK_OPEN);
  const closeAt = text.indexOf(THINK_CLOSE, openAt < 0 ? 0 : openAt);
  const thinkClosed = closeAt >= 0;

  let think: string | null = null;
  let answer = text;
  if (openAt >= 0 && thinkClosed) {
    think = text.slice(openAt + THINK_OPEN.length, closeAt).trim();
    answer = text.slice(closeAt + THINK_CLOSE.length);
  } else if (openAt >= 0) {
    // Unclosed think: the model never got to an answer (usually truncated).
    think = text.slice(openAt + THINK_OPEN.length).trim();
    answer = '';
  } else if (thinkClosed) {
    // A close without an open (the template may have opened it): everything before is the think.
    think = text.slice(0, closeAt).trim();
    answer = text.slice(closeAt + THINK_CLOSE.length);
  }

  const blocks = fencedBlocks(answer);
  const codeBlock = blocks.find((b) => CODE_LANGUAGES.has(b.language.toLowerCase()));
  const code = codeBlock ? codeBlock.body : bareDefinition(answer);
  return {
    think,
    answer: answer.trim(),
    code: code === null || code.trim() === '' ? null : code.replace(/\s+$/, '') + '\n',
    format: { thinkOpened, thinkClosed, codeBlocks: blocks.length, fencedCode: codeBlock !== undefined },
  };
}

function fencedBlocks(text: string): { language: string; body: string }[] {
  return [...text.matchAll(FENCE)].map((m) => ({ language: m[1] ?? '', body: m[2] ?? '' }));
}

/** Fallback for answers without a fence: from the first line starting a definition to the end. */
function bareDefinition(text: string): string | null {
  const match = /^(?:async\s+)?(?:def|function|export\s+function)\s/m.exec(text);
  return match ? text.slice(match.index) : null;
}

/**
 * Format score in [0, 1]: half for a well-formed think block, half for exactly one fenced code
 * block. The trainer multiplies it by a small weight (`formatWeight`) so it can shape early
 * behaviour without ever outweighing passing tests.
 */
export function formatScore(format: CompletionFormat): number {
  const think = format.thinkOpened && format.thinkClosed ? 0.5 : 0;
  const code = format.codeBlocks === 1 && format.fencedCode ? 0.5 : 0;
  return think + code;
}
