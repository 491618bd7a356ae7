/**
 * Solve, step 1: which exported model. ONNX exports found under `.rlvr` and recently chosen folders,
 * an offer to export a run's latest checkpoint (`rlvr export --format onnx` as a child process, with
 * progress and Cancel; the export never runs in the extension host), or a folder of the user's.
 */
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { RunRecord } from '../../../trainer/store';
import { StateKey } from '../../command-ids';
import { onnxExportArgs } from '../../core/cli-args';
import { findOnnxExports, modelChoices, ONNX_MANIFEST, readOnnxExport, type ModelChoice, type OnnxExport } from '../../core/solve/onnx-exports';
import type { Cli } from '../../infra/cli';
import { readSettings } from '../../infra/settings';
import { storePathFor } from '../../infra/workspace';

export interface PickedModel {
  dir: string;
  label: string;
}

export interface SolveModelDeps {
  cli: Cli;
  context: vscode.ExtensionContext;
}

const MAX_RECENT = 5;

type Item = vscode.QuickPickItem & { choice?: ModelChoice };

function exportLabel(e: { runId: string | null; step: number | null; dir: string }): string {
  if (e.runId) return `${e.runId}${e.step !== null ? ` · step ${e.step}` : ''}`;
  return e.dir.split(/[\\/]/).filter(Boolean).pop() ?? e.dir;
}

function item(choice: ModelChoice, folder: vscode.WorkspaceFolder): Item {
  switch (choice.kind) {
    case 'onnx':
      return { label: `$(package) ${exportLabel(choice)}`, description: vscode.workspace.asRelativePath(choice.dir), detail: 'Exported ONNX model', choice };
    case 'export':
      return { label: `$(export) Export ${choice.runId} · step ${choice.step} to ONNX…`, detail: 'Runs `rlvr export --format onnx` (a few seconds for the tiny model; minutes for larger ones)', choice };
    case 'browse':
      return { label: '$(folder-opened) Choose an ONNX model folder…', detail: `A folder with ${ONNX_MANIFEST} (made by \`rlvr export --format onnx\`) — ${folder.name}`, choice };
  }
}

async function recentExports(context: vscode.ExtensionContext): Promise<OnnxExport[]> {
  const dirs = context.globalState.get<unknown>(StateKey.recentOnnxModels);
  const list = Array.isArray(dirs) ? dirs.filter((d): d is string => typeof d === 'string') : [];
  return (await Promise.all(list.map(readOnnxExport))).filter((e): e is OnnxExport => e !== null);
}

async function remember(context: vscode.ExtensionContext, dir: string): Promise<void> {
  const dirs = context.globalState.get<unknown>(StateKey.recentOnnxModels);
  const list = Array.isArray(dirs) ? dirs.filter((d): d is string => typeof d === 'string' && d !== dir) : [];
  await context.globalState.update(StateKey.recentOnnxModels, [dir, ...list].slice(0, MAX_RECENT));
}

async function browse(): Promise<OnnxExport | undefined> {
  const picked = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, canSelectMany: false, openLabel: 'Use This Model' });
  const dir = picked?.[0]?.fsPath;
  if (!dir) return undefined;
  const found = await readOnnxExport(dir);
  if (!found) {
    void vscode.window.showErrorMessage(`RLVR: ${dir} has no ${ONNX_MANIFEST}, so it is not an exported ONNX model. Export one with \`rlvr export --run RUN --format onnx\` (or "Export … to ONNX" in this list) and pick its folder.`);
  }
  return found ?? undefined;
}

/** `rlvr export --run ID --format onnx` with a cancellable progress notification; the new export. */
async function exportRun(deps: SolveModelDeps, folder: vscode.WorkspaceFolder, runId: string, step: number): Promise<OnnxExport | undefined> {
  const workspace = folder.uri.fsPath;
  const args = onnxExportArgs({ workspace, db: storePathFor(folder), python: readSettings(folder).pythonPath, runId });
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `RLVR: exporting ${runId} (step ${step}) to ONNX`, cancellable: true },
    (progress, token) => {
      const abort = new AbortController();
      token.onCancellationRequested(() => abort.abort());
      return deps.cli.run(args, workspace, { signal: abort.signal, onStderrLine: (l) => progress.report({ message: l.slice(0, 100) }) });
    });
  const named = exportedDir(result.stdout);
  const fresh = named ? await readOnnxExport(named) : null;
  if (fresh) return fresh;
  // The CLI did not name the folder: take the newest export of that run.
  return (await findOnnxExports(join(workspace, '.rlvr'))).find((e) => e.runId === runId);
}

/** The folder `rlvr export --format onnx --json` reports (`{dir}`), when it does. */
function exportedDir(stdout: string): string | null {
  try {
    const value = JSON.parse(stdout) as { dir?: unknown };
    return typeof value.dir === 'string' ? value.dir : null;
  } catch {
    return null;
  }
}

export async function pickSolveModel(deps: SolveModelDeps, folder: vscode.WorkspaceFolder, runs: readonly RunRecord[], preferRun: string | null): Promise<PickedModel | undefined> {
  const found = await findOnnxExports(join(folder.uri.fsPath, '.rlvr'));
  const known = new Set(found.map((e) => e.dir));
  const exports = [...found, ...(await recentExports(deps.context)).filter((e) => !known.has(e.dir))];
  const choices = modelChoices(exports, runs, preferRun);
  const picked = await vscode.window.showQuickPick(choices.map((c) => item(c, folder)),
    { title: 'RLVR: Solve with Trained Model — model', placeHolder: 'Which exported model should answer?', ignoreFocusOut: true });
  const choice = picked?.choice;
  if (!choice) return undefined;
  let chosen: OnnxExport | undefined;
  if (choice.kind === 'onnx') chosen = exports.find((e) => e.dir === choice.dir);
  else if (choice.kind === 'browse') chosen = await browse();
  else {
    chosen = await exportRun(deps, folder, choice.runId, choice.step);
    if (!chosen) throw new Error(`the export of ${choice.runId} finished, but no folder with ${ONNX_MANIFEST} for it was found under ${join(folder.uri.fsPath, '.rlvr')}`);
  }
  if (!chosen) return undefined;
  await remember(deps.context, chosen.dir);
  return { dir: chosen.dir, label: `${exportLabel(chosen)} (ONNX)` };
}
