/** Stop and Resume of training runs. */
import * as vscode from 'vscode';
import { resumeArgs } from '../../core/cli-args';
import type { WorkspaceStore } from '../../infra/store';
import { readSettings } from '../../infra/settings';
import { requireTrust } from '../../infra/trust';
import { pickFolder, storePathFor } from '../../infra/workspace';
import type { TrainingController } from '../training-controller';
import { pickRun, runIdArgument } from './run-arguments';

export interface RunCommandDeps {
  training: TrainingController;
  store: WorkspaceStore;
}

export function stopTraining(deps: RunCommandDeps): void {
  const state = deps.training.state;
  const wasStopping = state.phase === 'stopping';
  if (!deps.training.stop()) {
    void vscode.window.showInformationMessage('RLVR: no training run is going in this window.');
    return;
  }
  void vscode.window.showInformationMessage(wasStopping
    ? 'RLVR: the training process was killed. The run resumes from its last checkpoint ("RLVR: Resume Training").'
    : 'RLVR: stopping after the current step; the run stays resumable. Stop again to kill it now.');
}

export async function resumeTraining(deps: RunCommandDeps, arg?: unknown): Promise<void> {
  if (deps.training.active) {
    void vscode.window.showWarningMessage('RLVR: a run is training in this window; stop it before resuming another.');
    return;
  }
  if (!(await requireTrust('Resuming training'))) return;
  const folder = await pickFolder('Resume Training');
  if (!folder) return;
  const runId = runIdArgument(arg)
    ?? (await pickRun(deps.store, 'Resume Training', (r) => r.status === 'stopped' || r.status === 'failed' || r.status === 'running'))?.id;
  if (!runId) return;
  const args = resumeArgs({ workspace: folder.uri.fsPath, db: storePathFor(folder), python: readSettings(folder).pythonPath, runId });
  deps.training.start(args, folder.uri.fsPath);
}
