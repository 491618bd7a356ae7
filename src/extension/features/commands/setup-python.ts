/**
 * "RLVR: Set Up Python Environment": runs scripts/setup.sh into RLVR Studio's managed venv (in the
 * extension's global storage, or `rlvrStudio.venvPath`; an existing one is reused) with progress
 * and cancel, checks that the worker's modules import, and reports the PyTorch build, whether CUDA
 * is usable (and why not), and what is missing. The CLI finds that venv through RLVR_STUDIO_VENV.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import * as vscode from 'vscode';
import { diagnosePython, findPythonInterpreter } from '../../../trainer/worker-client/python';
import { runProcess } from '../../core/cli-process';
import { CancelledError } from '../../core/errors';
import { formatSetupReport, parseSetupOutput } from '../../core/setup-report';
import { errorText } from '../../core/store-port';
import { cliEnvironment, interpreterNote, setupEnvironment, setupProgress, venvPython } from '../../core/studio-venv';
import type { Logs } from '../../infra/logs';
import { readSettings } from '../../infra/settings';
import { studioVenv } from '../../infra/studio-venv';

export interface SetupDeps {
  logs: Logs;
  context: vscode.ExtensionContext;
}

/** Runs the script; every line goes to the logs, progress lines also to the notification. */
async function runSetupScript(deps: SetupDeps, script: string, venv: string, report: (m: string) => void, signal: AbortSignal): Promise<{ lines: string[]; code: number | null }> {
  const lines: string[] = [];
  const onLine = (line: string) => {
    lines.push(line);
    deps.logs.line(line);
    const shown = setupProgress(line);
    if (shown) report(shown);
  };
  const root = deps.context.extensionUri.fsPath;
  deps.logs.line(`$ RLVR_VENV=${venv} bash ${script}`);
  try {
    // Its own process group: a cancel must stop pip too, not only the shell running it.
    const result = await runProcess({ command: 'bash', args: [script], cwd: root, env: setupEnvironment(process.env, venv), ownGroup: true },
      { signal, okCodes: [0, 1, 2], onStdoutLine: onLine, onStderrLine: onLine }, ['bash', script]);
    return { lines, code: result.status.code };
  } catch (error) {
    if (error instanceof CancelledError) throw error;
    onLine(`setup: could not run the setup script: ${errorText(error)}`);
    return { lines, code: null };
  }
}

interface SetupSummary {
  text: string;
  ok: boolean;
}

async function setUp(deps: SetupDeps, script: string, venv: string, report: (m: string) => void, signal: AbortSignal): Promise<SetupSummary> {
  const studioRoot = deps.context.extensionUri.fsPath;
  mkdirSync(dirname(venv), { recursive: true });
  const { lines, code } = await runSetupScript(deps, script, venv, report, signal);
  const setup = parseSetupOutput(lines, code);
  report('checking the worker\'s packages…');
  const managed = venvPython(venv);
  const diagnosis = await diagnosePython(managed, { studioRoot });
  if (diagnosis.problem) setup.problems.push(diagnosis.problem);
  // What the CLI will really run for this workspace: the setting or a workspace .venv come first.
  const folder = vscode.workspace.workspaceFolders?.[0];
  const used = findPythonInterpreter({ explicit: readSettings(folder).pythonPath, workspace: folder?.uri.fsPath, studioRoot, env: cliEnvironment(process.env, venv) });
  const usable = used.path === managed ? diagnosis.ok : (await diagnosePython(used.path, { studioRoot })).ok;
  const note = interpreterNote(used, managed, usable);
  if (note && !usable) setup.problems.push(note);
  const text = formatSetupReport(setup) + (note && usable ? ` Note: ${note}.` : '');
  return { text, ok: setup.problems.length === 0 };
}

export async function setUpPython(deps: SetupDeps): Promise<void> {
  const script = deps.context.asAbsolutePath('scripts/setup.sh');
  if (!existsSync(script)) {
    void vscode.window.showErrorMessage(`RLVR: the setup script ${script} is missing from this installation; reinstall the extension.`);
    return;
  }
  const venv = studioVenv(deps.context);
  try {
    const summary = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'RLVR: setting up Python', cancellable: true },
      async (progress, token) => {
        const abort = new AbortController();
        token.onCancellationRequested(() => abort.abort());
        return setUp(deps, script, venv, (message) => progress.report({ message }), abort.signal);
      });
    deps.logs.line(`setup report: ${summary.text}`);
    const logs = 'Show Logs';
    const choice = await (summary.ok ? vscode.window.showInformationMessage : vscode.window.showWarningMessage)(`RLVR: ${summary.text}`, logs);
    if (choice) deps.logs.show();
  } catch (error) {
    if (error instanceof CancelledError) {
      void vscode.window.showInformationMessage(`RLVR: Python setup cancelled. Running it again reuses what was installed in ${venv}.`);
      return;
    }
    void vscode.window.showErrorMessage(`RLVR: Python setup failed: ${errorText(error)}`);
  }
}
