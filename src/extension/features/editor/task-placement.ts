/** Where a task's annotations go in an open document: its span, if the function is still there. */
import * as vscode from 'vscode';
import { originalFunction, type TaskLocation } from '../../core/task-locations';

export interface Placement {
  /** The whole span (decorators included). */
  span: vscode.Range;
  /** The definition line (where the name is). */
  definitionLine: number;
}

/** null when the file changed so much that the span no longer holds the function. */
export function placeTask(document: vscode.TextDocument, location: TaskLocation): Placement | null {
  const found = originalFunction(location, document.getText());
  if (!found) return null;
  const start = location.startLine - 1;
  const end = Math.min(location.endLine - 1, document.lineCount - 1);
  return { span: new vscode.Range(start, 0, end, document.lineAt(end).text.length), definitionLine: found.line - 1 };
}
