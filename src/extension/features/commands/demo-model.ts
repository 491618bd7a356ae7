/**
 * The tiny demo model: a small code model the worker builds offline (nothing is downloaded), so the
 * whole loop can be tried on a CPU. `rlvr demo --print-model-path` says where it lives and
 * `rlvr demo --build-model-only` builds it there once; `rlvrStudio.demoModelPath` points elsewhere.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { CliOutputError } from '../../core/errors';
import type { Cli } from '../../infra/cli';
import type { Logs } from '../../infra/logs';
import { readSettings } from '../../infra/settings';

export interface DemoModelDeps {
  cli: Cli;
  logs: Logs;
  context: vscode.ExtensionContext;
}

const isModelDir = (dir: string): boolean => existsSync(join(dir, 'config.json'));

/** The demo model's folder, built first (with progress and cancel) when it is not there yet. */
export async function ensureDemoModel(deps: DemoModelDeps, folder: vscode.WorkspaceFolder): Promise<string | undefined> {
  const settings = readSettings(folder);
  if (settings.demoModelPath) {
    if (isModelDir(settings.demoModelPath)) return settings.demoModelPath;
    void vscode.window.showErrorMessage(`RLVR: rlvrStudio.demoModelPath is ${settings.demoModelPath}, which has no config.json. Clear the setting to build the demo model in the default place.`);
    return undefined;
  }
  const cwd = folder.uri.fsPath;
  const printed = await deps.cli.run(['demo', '--print-model-path'], cwd);
  const dir = printed.stdout.trim().split('\n').pop()?.trim();
  if (!dir) throw new CliOutputError(['demo', '--print-model-path'], 'no path on stdout');
  if (isModelDir(dir)) return dir;
  const python = settings.pythonPath ? ['--python', settings.pythonPath] : [];
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'RLVR: building the tiny demo model (once)', cancellable: true },
    async (progress, token) => {
      const abort = new AbortController();
      token.onCancellationRequested(() => abort.abort());
      await deps.cli.run(['demo', '--build-model-only', ...python], cwd, {
        signal: abort.signal,
        onStderrLine: (line) => progress.report({ message: line.replace(/^building the tiny model: /, '').slice(0, 100) }),
      });
      if (!isModelDir(dir)) throw new CliOutputError(['demo', '--build-model-only'], `no config.json in ${dir} after the build`);
      return dir;
    });
}
