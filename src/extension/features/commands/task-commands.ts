/** Mine Tasks and Check Ground Truth: `rlvr tasks --json` / `rlvr verify --ground-truth --json` with progress and cancel. */
import * as vscode from 'vscode';
import { ViewId } from '../../command-ids';
import { groundTruthArgs, mineTasksArgs } from '../../core/cli-args';
import { describeTasks, parseGroundTruth, parseMinedTasks, type GroundTruthVerdict } from '../../core/cli-json';
import { CancelledError } from '../../core/errors';
import { errorText } from '../../core/store-port';
import type { Cli } from '../../infra/cli';
import type { Logs } from '../../infra/logs';
import { readSettings } from '../../infra/settings';
import { requireTrust } from '../../infra/trust';
import { pickFolder } from '../../infra/workspace';

export interface TaskCommandDeps {
  cli: Cli;
  logs: Logs;
  /** The Testing view, which shows the ground-truth verdicts on the latest run's task items. */
  testing?: { showGroundTruth(verdicts: readonly GroundTruthVerdict[]): Promise<void> };
}

/** Runs `work` under a cancellable notification; errors become one actionable message. */
async function withCancellableProgress<T>(title: string, logs: Logs, work: (signal: AbortSignal, report: (m: string) => void) => Promise<T>): Promise<T | undefined> {
  try {
    return await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (progress, token) => {
      const abort = new AbortController();
      token.onCancellationRequested(() => abort.abort());
      return work(abort.signal, (message) => progress.report({ message }));
    });
  } catch (error) {
    if (error instanceof CancelledError) return undefined;
    const choice = await vscode.window.showErrorMessage(`${title} failed: ${errorText(error)}`, 'Show Logs');
    if (choice) logs.show();
    return undefined;
  }
}

/** The CLI's stderr progress lines, shortened for a notification. */
const progressLine = (report: (m: string) => void) => (line: string) => {
  const text = line.replace(/^rlvr: /, '').trim();
  if (text !== '') report(text.slice(0, 120));
};

export async function mineTasks(deps: TaskCommandDeps): Promise<void> {
  if (!(await requireTrust('Mining tasks'))) return;
  const folder = await pickFolder('Mine Tasks');
  if (!folder) return;
  const args = mineTasksArgs({ workspace: folder.uri.fsPath, python: readSettings(folder).pythonPath });
  const tasks = await withCancellableProgress('RLVR: mining tasks from the tests', deps.logs, async (signal, report) => {
    const result = await deps.cli.run(args, folder.uri.fsPath, { okCodes: [0, 1], signal, onStderrLine: progressLine(report) });
    return parseMinedTasks(args, result.stdout);
  });
  if (!tasks) return;
  await vscode.commands.executeCommand(`${ViewId.runs}.focus`);
  if (tasks.length === 0) {
    const choice = await vscode.window.showWarningMessage(
      `RLVR: no task in ${folder.name}: no function is exercised by a passing test. The logs list what was skipped and why.`, 'Show Logs');
    if (choice) deps.logs.show();
    return;
  }
  void vscode.window.showInformationMessage(`RLVR: mined ${describeTasks(tasks)} in ${folder.name}. "RLVR: Start Training" trains on them.`);
  deps.logs.line(`mined: ${tasks.map((t) => `${t.file}:${t.symbol}`).join(', ')}`);
}

export async function checkGroundTruth(deps: TaskCommandDeps): Promise<void> {
  if (!(await requireTrust('Checking tasks against ground truth'))) return;
  const folder = await pickFolder('Check Ground Truth');
  if (!folder) return;
  const args = groundTruthArgs({ workspace: folder.uri.fsPath, python: readSettings(folder).pythonPath });
  const verdicts = await withCancellableProgress('RLVR: checking every task against its own code and a stub', deps.logs, async (signal, report) => {
    const result = await deps.cli.run(args, folder.uri.fsPath, { okCodes: [0, 1], signal, onStderrLine: progressLine(report) });
    return parseGroundTruth(args, result.stdout);
  });
  if (!verdicts) return;
  await deps.testing?.showGroundTruth(verdicts).catch((e: unknown) => deps.logs.line(`ground truth → Testing view: ${errorText(e)}`));
  const bad = verdicts.filter((v) => !v.ok);
  for (const v of bad) deps.logs.line(`ground truth: ${v.file} ${v.symbol}: ${v.reason ?? 'failed'}`);
  if (bad.length === 0) {
    void vscode.window.showInformationMessage(`RLVR: all ${verdicts.length} tasks pass with their own code and fail with a stub.`);
    return;
  }
  const choice = await vscode.window.showWarningMessage(
    `RLVR: ${bad.length} of ${verdicts.length} tasks fail the ground-truth check and are left out of training (e.g. ${bad[0]?.symbol}: ${bad[0]?.reason}).`, 'Show Logs');
  if (choice) deps.logs.show();
}
