/**
 * The task model: one function of the user's workspace, the tests that exercise it, and how they are
 * split into tests a prompt may show and tests kept back. Every part of the trainer imports this
 * type; its shape is fixed by docs/verifier.md ("Task").
 */
import { createHash } from 'node:crypto';

export type TaskLanguage = 'python' | 'javascript' | 'typescript';
export const TASK_LANGUAGES: readonly TaskLanguage[] = ['python', 'javascript', 'typescript'];

export interface Task {
  /** `taskId(file, symbol, tests)`: stable while the function and its test set are unchanged. */
  id: string;
  language: TaskLanguage;
  /** Workspace-relative, posix separators. */
  file: string;
  /** Qualified name: "slugify" or "Stack.push". */
  symbol: string;
  /** The def line(s), e.g. "def slugify(text: str, sep: str = '-') -> str:". */
  signature: string;
  docstring: string | null;
  /** 1-based, inclusive; the whole def including decorators. */
  bodySpan: { startLine: number; endLine: number };
  /** Surrounding source for prompts (imports, constants, class header); never other bodies. */
  context: string;
  /** All mapped test ids that pass at baseline (pytest node ids / "file::name" for JS). */
  tests: string[];
  /** May be shown in prompts. */
  visibleTests: string[];
  /** Never shown; used against hard-coding and for evaluation. */
  heldOutTests: string[];
  /** Sum of the mapped tests' baseline durations. */
  baselineSeconds: number;
  source: 'mined' | 'custom';
  /** Custom tasks may bring their own instruction for the prompt. */
  prompt?: string;
}

/** sha256(file + "\0" + symbol + "\0" + sorted test ids joined by "\0"), first 16 hex digits. */
export function taskId(file: string, symbol: string, tests: readonly string[]): string {
  const sorted = [...tests].sort();
  return createHash('sha256').update([file, symbol, ...sorted].join('\0')).digest('hex').slice(0, 16);
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === 'string');
const isPositiveInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 1;

/**
 * Why `value` is not a Task, or null when it is one. Used where tasks come back from JSON (the
 * mining cache, `rlvr tasks --json` consumers, stored runs), so a stale or hand-edited file fails
 * with a message that names the field instead of crashing later.
 */
export function taskProblem(value: unknown): string | null {
  if (!isRecord(value)) return 'a task must be a JSON object';
  const stringFields = ['id', 'file', 'symbol', 'signature', 'context'] as const;
  for (const field of stringFields) {
    if (typeof value[field] !== 'string') return `field "${field}" must be a string`;
  }
  if (!TASK_LANGUAGES.includes(value.language as TaskLanguage)) {
    return `field "language" must be one of ${TASK_LANGUAGES.join(', ')}`;
  }
  if (value.docstring !== null && typeof value.docstring !== 'string') return 'field "docstring" must be a string or null';
  const span = value.bodySpan;
  if (!isRecord(span) || !isPositiveInt(span.startLine) || !isPositiveInt(span.endLine) || span.endLine < span.startLine) {
    return 'field "bodySpan" must be {startLine, endLine} with 1 <= startLine <= endLine';
  }
  for (const field of ['tests', 'visibleTests', 'heldOutTests'] as const) {
    if (!isStringArray(value[field])) return `field "${field}" must be an array of test ids`;
  }
  if (typeof value.baselineSeconds !== 'number' || !(value.baselineSeconds >= 0)) {
    return 'field "baselineSeconds" must be a number >= 0';
  }
  if (value.source !== 'mined' && value.source !== 'custom') return 'field "source" must be "mined" or "custom"';
  if (value.prompt !== undefined && typeof value.prompt !== 'string') return 'field "prompt" must be a string';
  return null;
}

export function isTask(value: unknown): value is Task {
  return taskProblem(value) === null;
}
