/**
 * "RLVR: Start Training": model → task set → preset, then `rlvr train --events` as a child process
 * (TrainingController). Needs a trusted workspace: training runs the workspace's tests and the
 * model's code (in the sandbox).
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as vscode from 'vscode';
import { StateKey } from '../../command-ids';
import { trainArgs } from '../../core/cli-args';
import { settingsToSetFlags, TRAINING_PRESETS, type TrainingPreset } from '../../core/presets';
import { readSettings } from '../../infra/settings';
import { requireTrust } from '../../infra/trust';
import { pickFolder, storePathFor } from '../../infra/workspace';
import type { TrainingController } from '../training-controller';
import type { DemoModelDeps } from './demo-model';
import { pickModel } from './model-picker';

export interface StartTrainingDeps extends DemoModelDeps {
  training: TrainingController;
}

const CUSTOM_TASKS = join('.rlvr', 'tasks.jsonl');

/** Step 2. The CLI trains on every mined task plus the custom ones; editing the custom file is the other choice. */
async function pickTaskSet(folder: vscode.WorkspaceFolder): Promise<boolean> {
  const custom = join(folder.uri.fsPath, CUSTOM_TASKS);
  const hasCustom = existsSync(custom);
  const choice = await vscode.window.showQuickPick([
    { label: '$(checklist) All tasks', detail: `Every function a passing test calls${hasCustom ? `, plus the custom tasks in ${CUSTOM_TASKS}` : ''}`, edit: false },
    { label: `$(edit) ${hasCustom ? 'Edit' : 'Create'} custom tasks (${CUSTOM_TASKS})…`, detail: 'Opens the file instead of training (format: docs/mining.md)', edit: true },
  ], { title: 'RLVR: Start Training (2/3) — tasks', ignoreFocusOut: true });
  if (!choice) return false;
  if (!choice.edit) return true;
  if (!hasCustom) {
    mkdirSync(dirname(custom), { recursive: true });
    writeFileSync(custom, '');
  }
  await vscode.window.showTextDocument(vscode.Uri.file(custom));
  return false;
}

/** Step 3. The last preset used in this workspace comes first. */
async function pickPreset(context: vscode.ExtensionContext, userSettings: Record<string, unknown>): Promise<TrainingPreset | undefined> {
  const last = context.workspaceState.get<string>(StateKey.lastPreset);
  const ordered = [...TRAINING_PRESETS].sort((a, b) => Number(b.id === last) - Number(a.id === last));
  const extra = settingsToSetFlags(userSettings).join(' ');
  const choice = await vscode.window.showQuickPick(ordered.map((preset) => ({
    label: preset.label,
    description: [settingsToSetFlags(preset.settings).join(' '), extra && `+ rlvrStudio.trainSettings: ${extra}`].filter(Boolean).join(' '),
    detail: preset.detail,
    preset,
  })), { title: 'RLVR: Start Training (3/3) — preset', ignoreFocusOut: true, matchOnDescription: true });
  if (choice) await context.workspaceState.update(StateKey.lastPreset, choice.preset.id);
  return choice?.preset;
}

export async function startTraining(deps: StartTrainingDeps): Promise<void> {
  if (deps.training.active) {
    void vscode.window.showWarningMessage(`RLVR: run ${deps.training.state.runId ?? ''} is still training. Stop it first ("RLVR: Stop Training").`);
    return;
  }
  if (!(await requireTrust('Training'))) return;
  const folder = await pickFolder('Training');
  if (!folder) return;
  const model = await pickModel(deps, folder);
  if (!model || !(await pickTaskSet(folder))) return;
  const settings = readSettings(folder);
  const preset = await pickPreset(deps.context, settings.trainSettings);
  if (!preset) return;
  const args = trainArgs({
    workspace: folder.uri.fsPath, db: storePathFor(folder), python: settings.pythonPath, model,
    settings: [preset.settings, settings.trainSettings],
  });
  deps.training.start(args, folder.uri.fsPath);
}
