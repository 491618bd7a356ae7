/** Open Trace (by id, from a view or a CodeLens) and Open Dashboard. */
import * as vscode from 'vscode';
import type { TraceSummary } from '../../../trainer/store';
import { errorText } from '../../core/store-port';
import type { WorkspaceStore } from '../../infra/store';
import type { DashboardPanel } from '../dashboard-panel';
import type { TracePanels } from '../trace-panel';
import { runIdArgument, traceIdArgument } from './run-arguments';

export interface TraceCommandDeps {
  store: WorkspaceStore;
  tracePanels: TracePanels;
  dashboard: DashboardPanel;
}

type TraceItem = vscode.QuickPickItem & { traceId: number };

const TOP_TRACES = 50;

function traceItem(t: TraceSummary): TraceItem {
  return {
    label: `#${t.id}`,
    description: `${t.passed ? '✓' : '✗'} reward ${t.reward.total.toFixed(2)} · step ${t.step} · task ${t.taskId}${t.ahaCount > 0 ? ` · ${t.ahaCount} aha` : ''}`,
    // Model text, shown as plain text by the quick pick.
    detail: t.preview.replace(/\s+/g, ' ').slice(0, 120),
    traceId: t.id,
  };
}

/** The newest run's best traces to pick from; typing a number offers that trace id. */
async function pickTraceId(store: WorkspaceStore): Promise<number | undefined> {
  const queries = await store.queries();
  const run = queries ? (await queries.listRuns())[0] : undefined;
  const best = queries && run ? (await queries.queryTraces({ runId: run.id, sort: 'reward', order: 'desc', limit: TOP_TRACES })).rows : [];
  const base = best.map(traceItem);
  const pick = vscode.window.createQuickPick<TraceItem>();
  pick.title = 'RLVR: Open Trace';
  pick.placeholder = run ? `Type a trace id, or pick one of the best of run ${run.id}` : 'Type a trace id';
  pick.items = base;
  pick.matchOnDescription = true;
  pick.onDidChangeValue((value) => {
    const id = Number(value.trim().replace(/^#/, ''));
    const typed: TraceItem[] = Number.isInteger(id) && id > 0 && !base.some((b) => b.traceId === id)
      ? [{ label: `#${id}`, description: 'open this trace id', traceId: id, alwaysShow: true }] : [];
    pick.items = [...typed, ...base];
  });
  return new Promise((resolve) => {
    pick.onDidAccept(() => {
      resolve(pick.selectedItems[0]?.traceId);
      pick.hide();
    });
    pick.onDidHide(() => {
      resolve(undefined);
      pick.dispose();
    });
    pick.show();
  });
}

export async function openTrace(deps: TraceCommandDeps, arg?: unknown): Promise<void> {
  try {
    const traceId = traceIdArgument(arg) ?? await pickTraceId(deps.store);
    if (traceId !== undefined) await deps.tracePanels.open(traceId);
  } catch (error) {
    void vscode.window.showErrorMessage(`RLVR: cannot open the trace: ${errorText(error)}`);
  }
}

export async function openDashboard(deps: TraceCommandDeps, arg?: unknown): Promise<void> {
  await deps.dashboard.open(runIdArgument(arg));
}
