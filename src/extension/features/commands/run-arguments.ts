/**
 * Commands are called from the palette (no argument), from the Runs tree (its node), from CodeLens
 * and webviews (a trace or run id). These read what they need from whichever arrived.
 */
import * as vscode from 'vscode';
import type { RunRecord } from '../../../trainer/store';
import { modelName } from '../../core/tree-rows';
import type { WorkspaceStore } from '../../infra/store';

export function runIdArgument(arg: unknown): string | undefined {
  if (typeof arg === 'string' && arg !== '') return arg;
  if (typeof arg === 'object' && arg !== null) {
    const node = arg as { kind?: unknown; run?: { id?: unknown }; runId?: unknown };
    if (node.kind === 'run' && typeof node.run?.id === 'string') return node.run.id;
    if (typeof node.runId === 'string') return node.runId;
  }
  return undefined;
}

export function traceIdArgument(arg: unknown): number | undefined {
  if (typeof arg === 'number' && Number.isInteger(arg) && arg > 0) return arg;
  if (typeof arg === 'object' && arg !== null) {
    const node = arg as { kind?: unknown; task?: { bestTraceId?: unknown } };
    const id = node.kind === 'task' ? node.task?.bestTraceId : undefined;
    if (typeof id === 'number') return id;
  }
  return undefined;
}

/** A run from the store, picked by the user among those `filter` accepts; undefined when cancelled or none. */
export async function pickRun(store: WorkspaceStore, title: string, filter: (r: RunRecord) => boolean = () => true): Promise<RunRecord | undefined> {
  const queries = await store.queries();
  const runs = queries ? (await queries.listRuns()).filter(filter) : [];
  if (runs.length === 0) {
    void vscode.window.showInformationMessage(`RLVR: no run to choose for "${title}" in this workspace's trace store.`);
    return undefined;
  }
  const choice = await vscode.window.showQuickPick(runs.map((run) => ({
    label: run.id,
    description: `${run.status} · step ${run.lastStep} · ${modelName(run.model)}`,
    detail: new Date(run.createdAt).toLocaleString(),
    run,
  })), { title: `RLVR: ${title}`, placeHolder: 'Which run?' });
  return choice?.run;
}
