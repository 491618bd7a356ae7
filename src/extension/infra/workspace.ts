/** Which workspace folder a command works on, and where its trace store is. */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { readSettings } from './settings';

/** The folder of the active editor, else the first folder. */
export function primaryFolder(): vscode.WorkspaceFolder | undefined {
  const active = vscode.window.activeTextEditor?.document.uri;
  return (active && vscode.workspace.getWorkspaceFolder(active)) ?? vscode.workspace.workspaceFolders?.[0];
}

/** One folder: it; several: the user picks; none: explains and returns undefined. */
export async function pickFolder(purpose: string): Promise<vscode.WorkspaceFolder | undefined> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (folders.length === 0) {
    void vscode.window.showWarningMessage(`${purpose} needs a workspace folder with tests: open one (File → Open Folder…) and try again.`);
    return undefined;
  }
  if (folders.length === 1) return folders[0];
  return vscode.window.showWorkspaceFolderPick({ placeHolder: `${purpose}: which workspace folder?` });
}

/** `rlvrStudio.storePath` (relative to the folder) or `<folder>/.rlvr/runs.db`. */
export function storePathFor(folder: vscode.WorkspaceFolder): string {
  const configured = readSettings(folder).storePath;
  if (configured) return path.resolve(folder.uri.fsPath, configured);
  return path.join(folder.uri.fsPath, '.rlvr', 'runs.db');
}
