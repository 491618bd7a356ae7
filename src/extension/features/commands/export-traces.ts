/**
 * Export a run's traces: every full trace as JSONL, or TRL's completions table (JSONL or CSV,
 * formula cells guarded). Uses the store's own exporters (src/trainer/store/export.ts) on a
 * dedicated read-only connection; pages are streamed, so a large run does not fill memory.
 */
import * as vscode from 'vscode';
import { exportJsonl, exportTrlCompletions, openStoreReader } from '../../../trainer/store';
import { errorText } from '../../core/store-port';
import type { WorkspaceStore } from '../../infra/store';
import { pickRun, runIdArgument } from './run-arguments';

type Format = 'jsonl' | 'trl-jsonl' | 'trl-csv';

const FORMATS: (vscode.QuickPickItem & { format: Format; extension: string })[] = [
  { label: 'All traces (JSONL)', detail: 'One full trace per line: texts, tests, rewards, token statistics, flags, aha events', format: 'jsonl', extension: 'jsonl' },
  { label: 'TRL completions table (CSV)', detail: 'step, prompt, completion, correctness, format, overlong, advantage — training samples', format: 'trl-csv', extension: 'csv' },
  { label: 'TRL completions table (JSONL)', detail: 'The same columns, one JSON object per line', format: 'trl-jsonl', extension: 'jsonl' },
];

async function exportRun(dbPath: string, runId: string, format: Format, out: string): Promise<number> {
  const reader = await openStoreReader(dbPath);
  try {
    if (format === 'jsonl') return await exportJsonl(reader.queries, runId, out);
    return await exportTrlCompletions(reader.queries, runId, out, { format: format === 'trl-csv' ? 'csv' : 'jsonl' });
  } finally {
    await reader.close();
  }
}

export async function exportTraces(deps: { store: WorkspaceStore }, arg?: unknown): Promise<void> {
  const runId = runIdArgument(arg) ?? (await pickRun(deps.store, 'Export Traces'))?.id;
  const dbPath = deps.store.path();
  if (!runId || !dbPath) return;
  const format = await vscode.window.showQuickPick(FORMATS, { title: `RLVR: Export run ${runId}` });
  if (!format) return;
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const target = await vscode.window.showSaveDialog({
    title: `Export run ${runId}`,
    defaultUri: folder && vscode.Uri.joinPath(folder, `${runId}${format.format === 'jsonl' ? '' : '-trl'}.${format.extension}`),
    filters: { [format.extension.toUpperCase()]: [format.extension] },
  });
  if (!target) return;
  try {
    const count = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `RLVR: exporting run ${runId}` },
      () => exportRun(dbPath, runId, format.format, target.fsPath));
    const open = 'Open File';
    const choice = await vscode.window.showInformationMessage(`RLVR: exported ${count} traces of ${runId} to ${target.fsPath}.`, open);
    if (choice === open) await vscode.window.showTextDocument(target);
  } catch (error) {
    void vscode.window.showErrorMessage(`RLVR: export of ${runId} to ${target.fsPath} failed: ${errorText(error)}`);
  }
}
