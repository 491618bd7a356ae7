/**
 * Reading and revealing task files named by a store. The store may come from anywhere, so a file
 * is only read or opened when it resolves inside one of the open workspace folders.
 */
import * as vscode from 'vscode';
import { pathInWorkspace, type TaskLocation } from '../core/task-locations';

/** The file's URI in the first workspace folder that has it, or null. */
export async function workspaceFileUri(file: string): Promise<vscode.Uri | null> {
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    const full = pathInWorkspace(folder.uri.fsPath, file);
    if (!full) continue;
    const uri = vscode.Uri.file(full);
    try {
      await vscode.workspace.fs.stat(uri);
      return uri;
    } catch {
      // not in this folder
    }
  }
  return null;
}

/** The text of a workspace-relative file (open editors' unsaved text included), or null. */
export async function readWorkspaceFile(file: string): Promise<string | null> {
  const uri = await workspaceFileUri(file);
  if (!uri) return null;
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (open) return open.getText();
  return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
}

/** Opens the task's file with the cursor on `line` (1-based). */
export async function revealTask(location: TaskLocation, line: number): Promise<void> {
  const uri = await workspaceFileUri(location.file);
  if (!uri) {
    void vscode.window.showWarningMessage(`RLVR: ${location.file} is not in the open workspace folders.`);
    return;
  }
  const position = new vscode.Position(Math.max(0, line - 1), 0);
  await vscode.window.showTextDocument(uri, { selection: new vscode.Range(position, position), viewColumn: vscode.ViewColumn.One });
}
