/** Start Training, step 1: which model — a recent one, a hub id, a local folder, or the tiny demo model. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { StateKey } from '../../command-ids';
import { hubIdProblem, readRecentModels, rememberModel } from '../../core/recent-models';
import { modelName } from '../../core/tree-rows';
import { ensureDemoModel, type DemoModelDeps } from './demo-model';

type ModelItem = vscode.QuickPickItem & { pick: 'recent' | 'demo' | 'hub' | 'folder'; model?: string };

function items(recent: readonly string[]): ModelItem[] {
  const recents: ModelItem[] = recent.map((m) => ({ label: `$(history) ${modelName(m)}`, description: m, pick: 'recent', model: m }));
  return [
    ...(recents.length > 0 ? [{ label: 'Recent', kind: vscode.QuickPickItemKind.Separator, pick: 'recent' } as ModelItem, ...recents] : []),
    { label: 'Choose', kind: vscode.QuickPickItemKind.Separator, pick: 'recent' },
    { label: '$(beaker) Tiny demo model', detail: 'Built offline on first use (about a minute on a CPU); for trying the whole loop without a GPU', pick: 'demo' },
    { label: '$(cloud-download) Hugging Face model id…', detail: 'e.g. Qwen/Qwen2.5-0.5B-Instruct (downloaded by the worker on first use)', pick: 'hub' },
    { label: '$(folder-opened) Local model folder…', detail: 'A folder with config.json, tokenizer and weights (safetensors)', pick: 'folder' },
  ];
}

async function pickFolderModel(): Promise<string | undefined> {
  const picked = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, canSelectMany: false, openLabel: 'Use This Model' });
  const dir = picked?.[0]?.fsPath;
  if (!dir) return undefined;
  if (!existsSync(join(dir, 'config.json'))) {
    void vscode.window.showErrorMessage(`RLVR: ${dir} has no config.json, so it is not a Hugging Face model folder. Pick the folder that holds config.json and the weights.`);
    return undefined;
  }
  return dir;
}

function askHubId(): Thenable<string | undefined> {
  return vscode.window.showInputBox({
    title: 'Hugging Face model id', prompt: 'The worker downloads it on first use (needs network access).',
    placeHolder: 'Qwen/Qwen2.5-0.5B-Instruct', ignoreFocusOut: true, validateInput: hubIdProblem,
  }).then((id) => id?.trim());
}

/** The chosen model (hub id or folder path), remembered as recent; undefined when cancelled. */
export async function pickModel(deps: DemoModelDeps, folder: vscode.WorkspaceFolder): Promise<string | undefined> {
  const recent = readRecentModels(deps.context.globalState.get(StateKey.recentModels));
  const choice = await vscode.window.showQuickPick(items(recent), { title: 'RLVR: Start Training (1/3) — model', placeHolder: 'Which model to train?', ignoreFocusOut: true });
  if (!choice) return undefined;
  let model: string | undefined;
  switch (choice.pick) {
    case 'recent': model = choice.model; break;
    case 'hub': model = await askHubId(); break;
    case 'folder': model = await pickFolderModel(); break;
    case 'demo': model = await ensureDemoModel(deps, folder); break;
  }
  if (model) await deps.context.globalState.update(StateKey.recentModels, rememberModel(recent, model));
  return model;
}
