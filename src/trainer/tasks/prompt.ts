/**
 * Renders a task as the chat turn of docs/prompt-format.md: a constant system message and a user
 * message with the function's signature + docstring and up to three assert lines taken from the
 * task's VISIBLE tests. Held-out tests are never read. Pure: test sources come from a callback.
 */
import { extractPythonTestAsserts } from './asserts';
import type { Task, TaskLanguage } from './task';

export interface PromptMessage {
  role: 'system' | 'user';
  content: string;
}

/** Text of a workspace file by workspace-relative path, or null when it cannot be read. */
export type ReadWorkspaceFile = (file: string) => string | null;
/** The assert-like lines of one test, given its file's text and its id. */
export type AssertExtractor = (source: string, testId: string) => string[];

interface LanguageStyle {
  name: string;
  fence: string;
  /** Signature plus documentation, as the prompt shows the function. */
  stub: (signature: string, docstring: string | null) => string;
  extractAsserts: AssertExtractor;
}

const indent = (text: string, prefix = '    '): string =>
  text.split('\n').map((line) => (line ? prefix + line : line)).join('\n');

/** Same shape as the tiny model's corpus (rlvr_worker/tiny/exercise.py `render_docstring`). */
function pythonDocstring(doc: string): string {
  const safe = doc.replaceAll('"""', "'''");
  return safe.includes('\n') ? `"""${safe}\n"""` : `"""${safe}"""`;
}

function jsDocComment(doc: string): string {
  const lines = doc.replaceAll('*/', '* /').split('\n');
  return lines.length === 1 ? `/** ${lines[0]} */` : ['/**', ...lines.map((l) => ` * ${l}`.trimEnd()), ' */'].join('\n');
}

const jsStyle = (name: string, fence: string): LanguageStyle => ({
  name,
  fence,
  stub: (signature, doc) => (doc ? `${jsDocComment(doc)}\n${signature}` : signature),
  // JavaScript/TypeScript assert extraction arrives with the JS miner (helper V4): no lines until then.
  extractAsserts: () => [],
});

const STYLES: Record<TaskLanguage, LanguageStyle> = {
  python: {
    name: 'Python',
    fence: 'python',
    stub: (signature, doc) => (doc ? `${signature}\n${indent(pythonDocstring(doc))}` : signature),
    extractAsserts: extractPythonTestAsserts,
  },
  javascript: jsStyle('JavaScript', 'javascript'),
  typescript: jsStyle('TypeScript', 'typescript'),
};

export const PROMPT_LIMITS = {
  maxAsserts: 3,
  /** Longer assert lines cost too many of the tiny model's 1024 positions; they are skipped. */
  maxAssertChars: 160,
  /** Docstrings beyond this are cut (with "...") for the same reason. */
  maxDocstringChars: 600,
};

export function systemMessage(language: TaskLanguage): string {
  const style = STYLES[language];
  return `You are a careful ${style.name} programmer. Think step by step inside <think></think>, then answer with the complete function in one \`\`\`${style.fence} code block.`;
}

const shortName = (symbol: string): string => symbol.slice(symbol.lastIndexOf('.') + 1);
const fileOfTestId = (id: string): string => id.split('::')[0] ?? id;

/**
 * Up to `maxAsserts` distinct assert lines from the task's visible tests, in visible-test order,
 * preferring lines that call the task's function by name (a method's asserts often only call a
 * sibling, e.g. `stack.peek()` in a test of `push`).
 */
export function selectPromptAsserts(task: Task, readFile: ReadWorkspaceFile, limits = PROMPT_LIMITS): string[] {
  const extract = STYLES[task.language].extractAsserts;
  const seen = new Set<string>();
  const candidates: string[] = [];
  for (const testId of task.visibleTests) {
    const source = readFile(fileOfTestId(testId));
    if (source === null) continue;
    for (const line of extract(source, testId)) {
      if (line.length > limits.maxAssertChars || seen.has(line)) continue;
      seen.add(line);
      candidates.push(line);
    }
  }
  const call = new RegExp(`\\b${shortName(task.symbol).replace(/[$]/g, '\\$')}\\s*\\(`);
  const direct = candidates.filter((line) => call.test(line));
  const others = candidates.filter((line) => !call.test(line));
  return [...direct, ...others].slice(0, limits.maxAsserts);
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 3).trimEnd()}...`;
}

/** The instruction line: the task's own prompt for custom tasks, else the standard one. */
function instruction(task: Task): string {
  if (task.prompt !== undefined && task.prompt.trim() !== '') return task.prompt.trim();
  const dot = task.symbol.lastIndexOf('.');
  if (dot < 0) return 'Complete the function so that its tests pass.';
  return `Complete the method \`${task.symbol}\` (of class \`${task.symbol.slice(0, dot)}\`) so that its tests pass.`;
}

/** The user message for `task` with the given assert lines (see `selectPromptAsserts`). */
export function userMessage(task: Task, asserts: readonly string[], limits = PROMPT_LIMITS): string {
  const style = STYLES[task.language];
  const doc = task.docstring === null ? null : clip(task.docstring, limits.maxDocstringChars);
  const parts = [instruction(task), `\`\`\`${style.fence}`, style.stub(task.signature, doc), '```'];
  if (asserts.length > 0) parts.push('Tests:', `\`\`\`${style.fence}`, ...asserts, '```');
  return parts.join('\n');
}

/** System + user messages for `task`; `readFile` reads the visible tests' files (held-out ones are never asked for). */
export function renderTaskPrompt(task: Task, readFile: ReadWorkspaceFile, limits = PROMPT_LIMITS): PromptMessage[] {
  return [
    { role: 'system', content: systemMessage(task.language) },
    { role: 'user', content: userMessage(task, selectPromptAsserts(task, readFile, limits), limits) },
  ];
}
