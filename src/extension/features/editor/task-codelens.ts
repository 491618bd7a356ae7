/** "RLVR ✓ 6/8 verified · step 40 · best trace" above each task function; a click opens that trace. */
import * as vscode from 'vscode';
import { CommandId } from '../../command-ids';
import { lensTitle, lensTooltip } from '../../core/task-lens';
import type { TaskAnnotations } from './task-annotations';
import { lensesForTasks } from './task-lenses';

export const TASK_LANGUAGES: vscode.DocumentSelector = [
  { scheme: 'file', language: 'python' },
  { scheme: 'file', language: 'typescript' },
  { scheme: 'file', language: 'javascript' },
];

export class TaskCodeLensProvider implements vscode.CodeLensProvider {
  private readonly changes = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changes.event;

  constructor(private readonly annotations: TaskAnnotations) {}

  refresh(): void {
    this.changes.fire();
  }

  provideCodeLenses(document: vscode.TextDocument): Promise<vscode.CodeLens[]> {
    return lensesForTasks(document, (file) => this.annotations.inFile(file), (task, range) => [new vscode.CodeLens(range, task.outcome
      ? { title: lensTitle(task.outcome), tooltip: lensTooltip(task.outcome), command: CommandId.openTrace, arguments: [task.outcome.bestTraceId] }
      : { title: 'RLVR task · no samples yet', tooltip: 'This function is a task of the latest run; it has not been sampled yet.', command: '' })]);
  }

  dispose(): void {
    this.changes.dispose();
  }
}
