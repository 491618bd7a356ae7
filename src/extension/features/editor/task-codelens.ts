/** "RLVR ✓ 6/8 verified · step 40 · best trace" above each task function; a click opens that trace. */
import * as vscode from 'vscode';
import { CommandId } from '../../command-ids';
import { lensTitle, lensTooltip } from '../../core/task-lens';
import { readSettings } from '../../infra/settings';
import { relativeFile, type TaskAnnotations } from './task-annotations';
import { placeTask } from './task-placement';

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

  async provideCodeLenses(document: vscode.TextDocument): Promise<vscode.CodeLens[]> {
    if (!readSettings(document.uri).codeLens) return [];
    const file = relativeFile(document.uri);
    if (!file) return [];
    const lenses: vscode.CodeLens[] = [];
    for (const task of await this.annotations.inFile(file)) {
      const place = placeTask(document, task.location);
      if (!place) continue;
      const range = new vscode.Range(place.span.start, place.span.start);
      lenses.push(new vscode.CodeLens(range, task.outcome
        ? { title: lensTitle(task.outcome), tooltip: lensTooltip(task.outcome), command: CommandId.openTrace, arguments: [task.outcome.bestTraceId] }
        : { title: 'RLVR task · no samples yet', tooltip: 'This function is a task of the latest run; it has not been sampled yet.', command: '' }));
    }
    return lenses;
  }

  dispose(): void {
    this.changes.dispose();
  }
}
