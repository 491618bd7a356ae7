/**
 * Evaluate pass@k: `rlvr eval --run ID --checkpoints all --json` scores the run's base model and its
 * checkpoints on its held-out tasks and stores the results in the run (the dashboard's pass@k chart).
 */
import * as vscode from 'vscode';
import { CommandId } from '../../command-ids';
import { evalArgs } from '../../core/cli-args';
import { formatEvaluations, parseEvaluations } from '../../core/cli-json';
import { CancelledError } from '../../core/errors';
import { errorText } from '../../core/store-port';
import type { Cli } from '../../infra/cli';
import type { Logs } from '../../infra/logs';
import { readSettings } from '../../infra/settings';
import type { WorkspaceStore } from '../../infra/store';
import { requireTrust } from '../../infra/trust';
import { pickFolder, storePathFor } from '../../infra/workspace';
import type { TrainingController } from '../training-controller';
import { pickRun, runIdArgument } from './run-arguments';

export interface EvaluateDeps {
  cli: Cli;
  logs: Logs;
  store: WorkspaceStore;
  training: TrainingController;
}

export async function evaluate(deps: EvaluateDeps, arg?: unknown): Promise<void> {
  if (!(await requireTrust('Evaluating pass@k'))) return;
  const folder = await pickFolder('Evaluate pass@k');
  if (!folder) return;
  if (!(await deps.cli.has('eval', folder.uri.fsPath))) {
    void vscode.window.showWarningMessage('RLVR: pass@k evaluation is not available yet: the bundled `rlvr` CLI has no `eval` command.');
    return;
  }
  if (deps.training.active) {
    void vscode.window.showWarningMessage('RLVR: a run is training in this window; evaluate after it ends (both need the CPU/GPU).');
    return;
  }
  const runId = runIdArgument(arg) ?? (await pickRun(deps.store, 'Evaluate pass@k', (r) => r.status !== 'running'))?.id;
  if (!runId) return;
  const args = evalArgs({ workspace: folder.uri.fsPath, db: storePathFor(folder), python: readSettings(folder).pythonPath, runId });
  try {
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `RLVR: pass@k of ${runId}`, cancellable: true },
      (progress, token) => {
        const abort = new AbortController();
        token.onCancellationRequested(() => abort.abort());
        return deps.cli.run(args, folder.uri.fsPath, { signal: abort.signal, onStderrLine: (l) => progress.report({ message: l.slice(0, 100) }) });
      });
    const rows = parseEvaluations(args, result.stdout);
    deps.store.fire({ kind: 'progress', runId });
    const { text, regression } = formatEvaluations(rows);
    const dashboard = 'Open Dashboard';
    const show = regression ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
    const choice = await show(`RLVR: ${runId}: ${text}`, dashboard);
    if (choice === dashboard) await vscode.commands.executeCommand(CommandId.openDashboard, runId);
  } catch (error) {
    if (error instanceof CancelledError) return;
    const choice = await vscode.window.showErrorMessage(`RLVR: pass@k evaluation of ${runId} failed: ${errorText(error)}`, 'Show Logs');
    if (choice) deps.logs.show();
  }
}
