/** The managed venv's folder for this extension (global storage or `rlvrStudio.venvPath`), read fresh on every use. */
import { homedir } from 'node:os';
import type * as vscode from 'vscode';
import { managedVenvDir } from '../core/studio-venv';
import { readSettings } from './settings';

export function studioVenv(context: Pick<vscode.ExtensionContext, 'globalStorageUri'>): string {
  return managedVenvDir(context.globalStorageUri.fsPath, readSettings().venvPath, homedir());
}
