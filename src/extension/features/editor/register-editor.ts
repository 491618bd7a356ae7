/** The editor features over the latest run: CodeLens, decorations and the Testing view. */
import * as vscode from 'vscode';
import type { Cli } from '../../infra/cli';
import type { Logs } from '../../infra/logs';
import type { WorkspaceStore } from '../../infra/store';
import { TaskAnnotations } from './task-annotations';
import { TASK_LANGUAGES, TaskCodeLensProvider } from './task-codelens';
import { TaskDecorations } from './task-decorations';
import { TaskTesting } from './task-testing';

/** Returns the Testing view's controller, which other commands publish results to. */
export function registerTaskAnnotations(deps: { store: WorkspaceStore; logs: Logs; cli: Cli }, context: vscode.ExtensionContext): TaskTesting {
  const annotations = new TaskAnnotations(deps.store, deps.logs);
  const lenses = new TaskCodeLensProvider(annotations);
  const decorations = new TaskDecorations(annotations);
  const testing = new TaskTesting({ annotations, cli: deps.cli });
  context.subscriptions.push(
    annotations, lenses, decorations, testing,
    vscode.languages.registerCodeLensProvider(TASK_LANGUAGES, lenses),
    deps.store.onDidChange((change) => annotations.storeChanged(change)),
    annotations.onDidChange(({ runEnded }) => {
      lenses.refresh();
      void decorations.update();
      void testing.sync(runEnded);
    }),
    vscode.window.onDidChangeVisibleTextEditors((editors) => void decorations.update(editors)),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration('rlvrStudio')) return;
      lenses.refresh();
      void decorations.update();
    }),
  );
  void testing.sync(true);
  void decorations.update();
  return testing;
}
