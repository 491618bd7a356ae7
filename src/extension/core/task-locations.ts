/**
 * Where a run's tasks live in the workspace: file and line span of each task function, read from
 * the Task objects the store keeps per run (src/trainer/tasks/task.ts). The store may come from an
 * untrusted workspace, so a task's file must stay inside the workspace folder.
 */
import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { JsonObject, TaskSplit } from '../../trainer/store';
import type { OriginalFunctionVM, SourceLanguage } from '../../shared/view-models';

export interface TaskLocation {
  taskId: string;
  split: TaskSplit;
  /** Workspace-relative, posix separators. */
  file: string;
  symbol: string;
  language: SourceLanguage;
  /** 1-based, inclusive. */
  startLine: number;
  endLine: number;
}

const LANGUAGES: readonly SourceLanguage[] = ['python', 'typescript', 'javascript'];
const positiveInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 1;

/** The location of one stored task, or null when the stored object lacks the fields (an older store). */
export function taskLocation(row: { taskId: string; split: TaskSplit; task: JsonObject }): TaskLocation | null {
  const { file, symbol, language, bodySpan } = row.task;
  if (typeof file !== 'string' || typeof symbol !== 'string') return null;
  if (bodySpan === null || typeof bodySpan !== 'object' || Array.isArray(bodySpan)) return null;
  const { startLine, endLine } = bodySpan;
  if (!positiveInt(startLine) || !positiveInt(endLine) || endLine < startLine) return null;
  const lang = LANGUAGES.find((l) => l === language) ?? 'plain';
  return { taskId: row.taskId, split: row.split, file, symbol, language: lang, startLine, endLine };
}

/** The absolute path of a workspace-relative file, or null when it would leave the workspace. */
export function pathInWorkspace(workspaceRoot: string, file: string): string | null {
  if (file === '' || isAbsolute(file) || file.includes('\0')) return null;
  const root = resolve(workspaceRoot);
  const full = resolve(root, file);
  const rel = relative(root, full);
  if (rel === '' || rel.startsWith(`..${sep}`) || rel === '..' || isAbsolute(rel)) return null;
  return full;
}

/**
 * The task function's current source, cut from the file's text by its span. null when the file has
 * changed so much that the span no longer starts near the function (its name is not in the span).
 */
export function originalFunction(location: TaskLocation, fileText: string): OriginalFunctionVM | null {
  const lines = fileText.split(/\r?\n/);
  if (location.endLine > lines.length) return null;
  const source = lines.slice(location.startLine - 1, location.endLine).join('\n');
  const name = location.symbol.split('.').pop() ?? location.symbol;
  if (!source.includes(name)) return null;
  return { file: location.file, line: definitionLine(lines, location, name), source, language: location.language };
}

/** The span starts at the decorators; the jump target is the line that names the function. */
function definitionLine(lines: string[], location: TaskLocation, name: string): number {
  for (let n = location.startLine; n <= location.endLine; n++) {
    if ((lines[n - 1] ?? '').includes(name)) return n;
  }
  return location.startLine;
}
