/**
 * Extension entry point. `activate` reads as a table of contents: infrastructure first (logs, the
 * CLI, the store), then each feature registers itself with its dependencies passed explicitly.
 * Every registration goes into context.subscriptions; nothing lives in module-level state.
 */
import * as vscode from 'vscode';
import { registerCommands } from './commands';
import { checkGroundTruth, mineTasks } from './features/commands/task-commands';
import { evaluate } from './features/commands/evaluate';
import { exportTraces } from './features/commands/export-traces';
import { resumeTraining, stopTraining } from './features/commands/run-commands';
import { setUpPython } from './features/commands/setup-python';
import { startTraining } from './features/commands/start-training';
import { openDashboard, openTrace } from './features/commands/trace-commands';
import { registerDashboard } from './features/dashboard-panel';
import { registerTaskAnnotations } from './features/editor/register-editor';
import { registerRunsTree } from './features/runs-tree';
import { registerSolve } from './features/solve/register-solve';
import { registerStatusBar } from './features/status-bar';
import { registerTracePanels } from './features/trace-panel';
import { registerTracesView } from './features/traces-view';
import { registerTraining } from './features/training-controller';
import { Cli } from './infra/cli';
import { registerLogs } from './infra/logs';
import { loadOnnxModel } from './infra/onnx-loader';
import { registerStore } from './infra/store';
import { studioVenv } from './infra/studio-venv';

export function activate(context: vscode.ExtensionContext): void {
  const logs = registerLogs(context);
  const cli = Cli.forExtension(context, logs, () => studioVenv(context));
  const store = registerStore(context);
  const training = registerTraining({ cli, logs, store }, context);

  registerStatusBar({ training }, context);
  const tracePanels = registerTracePanels({ store, logs }, context);
  const dashboard = registerDashboard({ store, logs, training }, context);
  const runsTree = registerRunsTree({ store, logs }, context);
  registerTracesView({ store, logs, training, tracePanels }, context);
  const testing = registerTaskAnnotations({ store, logs, cli }, context);
  const solve = registerSolve({ cli, logs, store, loadModel: loadOnnxModel }, context);

  registerCommands({
    startTraining: () => startTraining({ cli, logs, context, training }),
    stopTraining: () => stopTraining({ training, store }),
    resumeTraining: (arg) => resumeTraining({ training, store }, arg),
    mineTasks: () => mineTasks({ cli, logs }),
    checkGroundTruth: () => checkGroundTruth({ cli, logs, testing }),
    evaluate: (arg) => evaluate({ cli, logs, store, training }, arg),
    openDashboard: (arg) => openDashboard({ store, tracePanels, dashboard }, arg),
    openTrace: (arg) => openTrace({ store, tracePanels, dashboard }, arg),
    exportTraces: (arg) => exportTraces({ store }, arg),
    setUpPython: () => setUpPython({ logs, context }),
    showLogs: () => logs.show(),
    refreshRuns: () => runsTree.refresh(),
    solveWithTrainedModel: (arg) => solve.solve(arg),
  }, { logs }, context);
}

export function deactivate(): void {}
