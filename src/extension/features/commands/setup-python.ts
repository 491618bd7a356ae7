/**
 * "RLVR: Set Up Python Environment": runs scripts/setup.sh (creates RLVR Studio's .venv with PyTorch
 * and the worker's packages) with progress, then checks that the worker's modules import, and
 * reports the PyTorch build, whether CUDA is usable and what is missing.
 */
import { existsSync } from 'node:fs';
import * as vscode from 'vscode';
import { findPythonInterpreter, diagnosePython } from '../../../trainer/worker-client/python';
import { runProcess } from '../../core/cli-process';
import { CancelledError } from '../../core/errors';
import { formatSetupReport, parseSetupOutput } from '../../core/setup-report';
import { errorText } from '../../core/store-port';
import type { Logs } from '../../infra/logs';

export interface SetupDeps {
  logs: Logs;
  context: vscode.ExtensionContext;
}

/** Runs the script; every line goes to the logs, `setup:` lines also to the notification. */
async function runSetupScript(deps: SetupDeps, script: string, report: (m: string) => void, signal: AbortSignal): Promise<{ lines: string[]; code: number | null }> {
  const lines: string[] = [];
  const onLine = (line: string) => {
    lines.push(line);
    deps.logs.line(line);
    if (line.startsWith('setup: ')) report(line.slice('setup: '.length, 120));
  };
  const root = deps.context.extensionUri.fsPath;
  deps.logs.line(`$ bash ${script}`);
  try {
    const result = await runProcess({ command: 'bash', args: [script], cwd: root, env: process.env },
      { signal, okCodes: [0, 1, 2], onStdoutLine: onLine, onStderrLine: onLine }, ['bash', script]);
    return { lines, code: result.status.code };
  } catch (error) {
    if (error instanceof CancelledError) throw error;
    onLine(`setup: could not run the setup script: ${errorText(error)}`);
    return { lines, code: null };
  }
}

export async function setUpPython(deps: SetupDeps): Promise<void> {
  const script = deps.context.asAbsolutePath('scripts/setup.sh');
  if (!existsSync(script)) {
    void vscode.window.showErrorMessage(`RLVR: the setup script ${script} is missing from this installation; reinstall the extension.`);
    return;
  }
  try {
    const summary = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'RLVR: setting up Python', cancellable: true },
      async (progress, token) => {
        const abort = new AbortController();
        token.onCancellationRequested(() => abort.abort());
        const report = (message: string) => progress.report({ message });
        const { lines, code } = await runSetupScript(deps, script, report, abort.signal);
        const setup = parseSetupOutput(lines, code);
        report('checking the worker\'s packages…');
        const python = findPythonInterpreter({ studioRoot: deps.context.extensionUri.fsPath });
        const diagnosis = await diagnosePython(python.path, { studioRoot: deps.context.extensionUri.fsPath });
        if (diagnosis.problem) setup.problems.push(diagnosis.problem);
        return { text: formatSetupReport(setup), ok: setup.problems.length === 0 };
      });
    const logs = 'Show Logs';
    const choice = await (summary.ok ? vscode.window.showInformationMessage : vscode.window.showWarningMessage)(`RLVR: ${summary.text}`, logs);
    if (choice) deps.logs.show();
  } catch (error) {
    if (!(error instanceof CancelledError)) void vscode.window.showErrorMessage(`RLVR: Python setup failed: ${errorText(error)}`);
  }
}
