/** What every per-task CodeLens provider does first: find the file's tasks and where their defs are now. */
import * as vscode from 'vscode';
import type { TaskLocation } from '../../core/task-locations';
import { readSettings } from '../../infra/settings';
import { relativeFile } from './task-annotations';
import { placeTask } from './task-placement';

/**
 * The lenses `lensesAt` gives for each task of `document`'s file, placed on the line where the
 * task's function starts in the document as it is now (edits move it); none when CodeLens is off
 * or the file is outside the workspace.
 */
export async function lensesForTasks<T extends { location: TaskLocation }>(
  document: vscode.TextDocument,
  tasksInFile: (relativePath: string) => Promise<readonly T[]>,
  lensesAt: (task: T, range: vscode.Range) => vscode.CodeLens[],
): Promise<vscode.CodeLens[]> {
  if (!readSettings(document.uri).codeLens) return [];
  const file = relativeFile(document.uri);
  if (!file) return [];
  const lenses: vscode.CodeLens[] = [];
  for (const task of await tasksInFile(file)) {
    const place = placeTask(document, task.location);
    if (place) lenses.push(...lensesAt(task, new vscode.Range(place.span.start, place.span.start)));
  }
  return lenses;
}
