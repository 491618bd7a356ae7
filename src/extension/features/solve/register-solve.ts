/**
 * Solve with Trained Model: the panel, the CodeLens, the diff documents and the command's
 * controller, wired together. The ONNX loader is passed in, so this feature depends only on the
 * inference interface (src/trainer/inference/types.ts), not on onnxruntime.
 */
import * as vscode from 'vscode';
import { SOLVE_PROPOSAL_SCHEME } from '../../command-ids';
import { ModelCache, type OnnxLoader } from '../../core/solve/model-cache';
import type { Cli } from '../../infra/cli';
import type { Logs } from '../../infra/logs';
import type { WorkspaceStore } from '../../infra/store';
import { TASK_LANGUAGES } from '../editor/task-codelens';
import { AnswerProposals } from './answer-proposals';
import { SolveCodeLensProvider } from './solve-codelens';
import { SolveController } from './solve-controller';
import { SolveOutcomes } from './solve-outcomes';
import { SolvePanel } from './solve-panel';
import { SolveTasks } from './solve-tasks';

export interface SolveFeatureDeps {
  cli: Cli;
  logs: Logs;
  store: WorkspaceStore;
  loadModel: OnnxLoader;
}

export function registerSolve(deps: SolveFeatureDeps, context: vscode.ExtensionContext): SolveController {
  const tasks = new SolveTasks(deps.store, deps.logs);
  const outcomes = new SolveOutcomes();
  const proposals = new AnswerProposals();
  const models = new ModelCache(deps.loadModel);
  const lenses = new SolveCodeLensProvider(tasks, outcomes);
  // The panel reports decisions to the controller, which drives the panel; the closures run only
  // after both exist (on webview messages).
  const panel: SolvePanel = new SolvePanel({ context, logs: deps.logs, decide: (d, id) => controller.decide(d, id), onClosed: () => controller.panelClosed() });
  const controller: SolveController = new SolveController({ cli: deps.cli, logs: deps.logs, context, store: deps.store, tasks, outcomes, proposals, models, panel });
  context.subscriptions.push(
    tasks, outcomes, proposals, lenses, panel,
    { dispose: () => void models.dispose() },
    vscode.workspace.registerTextDocumentContentProvider(SOLVE_PROPOSAL_SCHEME, proposals),
    vscode.languages.registerCodeLensProvider(TASK_LANGUAGES, lenses),
    deps.store.onDidChange(() => tasks.storeChanged()),
    tasks.onDidChange(() => lenses.refresh()),
    outcomes.onDidChange(() => lenses.refresh()),
    vscode.workspace.onDidChangeConfiguration((e) => { if (e.affectsConfiguration('rlvrStudio.codeLens')) lenses.refresh(); }),
  );
  return controller;
}
