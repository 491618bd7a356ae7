/** A light mark after each task's definition line: "✓ 6/8" in the passed colour, "✗ 0/8" in the failed one. */
import * as vscode from 'vscode';
import { decorationText } from '../../core/task-lens';
import { readSettings } from '../../infra/settings';
import { relativeFile, type TaskAnnotations } from './task-annotations';
import { placeTask } from './task-placement';

function decorationType(color: string): vscode.TextEditorDecorationType {
  return vscode.window.createTextEditorDecorationType({
    after: { margin: '0 0 0 2em', color: new vscode.ThemeColor(color), fontStyle: 'italic' },
    overviewRulerColor: new vscode.ThemeColor(color),
    overviewRulerLane: vscode.OverviewRulerLane.Right,
    rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
  });
}

export class TaskDecorations implements vscode.Disposable {
  private readonly passed = decorationType('testing.iconPassed');
  private readonly failed = decorationType('testing.iconFailed');

  constructor(private readonly annotations: TaskAnnotations) {}

  async update(editors: readonly vscode.TextEditor[] = vscode.window.visibleTextEditors): Promise<void> {
    await Promise.all(editors.map((e) => this.decorate(e)));
  }

  private async decorate(editor: vscode.TextEditor): Promise<void> {
    const file = relativeFile(editor.document.uri);
    const enabled = readSettings(editor.document.uri).decorations;
    const passed: vscode.DecorationOptions[] = [];
    const failed: vscode.DecorationOptions[] = [];
    for (const task of file && enabled ? await this.annotations.inFile(file) : []) {
      const place = task.outcome && placeTask(editor.document, task.location);
      if (!place || !task.outcome) continue;
      const line = editor.document.lineAt(place.definitionLine);
      const options = { range: new vscode.Range(line.range.end, line.range.end), renderOptions: { after: { contentText: decorationText(task.outcome) } } };
      (task.outcome.passed > 0 ? passed : failed).push(options);
    }
    editor.setDecorations(this.passed, passed);
    editor.setDecorations(this.failed, failed);
  }

  dispose(): void {
    this.passed.dispose();
    this.failed.dispose();
  }
}
