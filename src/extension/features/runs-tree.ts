/**
 * The Runs tree in the side panel: runs → steps → tasks, read from the store on demand and
 * refreshed when the store changes. A task row opens the best trace of that task at that step.
 */
import * as vscode from 'vscode';
import type { RunRecord, RunStatus, StepRecord } from '../../trainer/store';
import { CommandId, ViewId } from '../command-ids';
import { errorText } from '../core/store-port';
import { taskLocation } from '../core/task-locations';
import { runRow, STEP_ROW_METRICS, stepRow, stepTaskRow, tasksOfStep, type Row, type StepTask } from '../core/tree-rows';
import type { Logs } from '../infra/logs';
import type { WorkspaceStore } from '../infra/store';

export type RunsNode =
  | { kind: 'run'; run: RunRecord }
  | { kind: 'step'; runId: string; step: StepRecord }
  | { kind: 'task'; runId: string; step: number; task: StepTask; symbol: string | undefined }
  | { kind: 'message'; text: string; detail: string };

const STATUS_ICONS: Record<RunStatus, [string, string | undefined]> = {
  running: ['sync~spin', undefined],
  completed: ['pass', 'testing.iconPassed'],
  stopped: ['debug-pause', undefined],
  failed: ['error', 'testing.iconFailed'],
};

/** Steps are listed newest first; a run of thousands shows its latest ones. */
const MAX_STEPS_SHOWN = 500;
const REFRESH_DEBOUNCE_MS = 1000;

function item(row: Row, collapsible: vscode.TreeItemCollapsibleState): vscode.TreeItem {
  const treeItem = new vscode.TreeItem(row.label, collapsible);
  treeItem.description = row.description;
  treeItem.tooltip = row.tooltip;
  return treeItem;
}

export class RunsTreeProvider implements vscode.TreeDataProvider<RunsNode> {
  private readonly changes = new vscode.EventEmitter<RunsNode | undefined>();
  readonly onDidChangeTreeData = this.changes.event;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly store: WorkspaceStore, private readonly logs: Logs) {}

  refresh(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.changes.fire(undefined);
    }, REFRESH_DEBOUNCE_MS);
  }

  getTreeItem(node: RunsNode): vscode.TreeItem {
    switch (node.kind) {
      case 'run': {
        const treeItem = item(runRow(node.run), vscode.TreeItemCollapsibleState.Collapsed);
        const [icon, color] = STATUS_ICONS[node.run.status];
        treeItem.iconPath = new vscode.ThemeIcon(icon, color ? new vscode.ThemeColor(color) : undefined);
        treeItem.contextValue = `run.${node.run.status}`;
        treeItem.id = `run:${node.run.id}`;
        return treeItem;
      }
      case 'step': {
        const treeItem = item(stepRow(node.step), vscode.TreeItemCollapsibleState.Collapsed);
        treeItem.id = `step:${node.runId}:${node.step.step}`;
        treeItem.contextValue = 'step';
        return treeItem;
      }
      case 'task': {
        const treeItem = item(stepTaskRow(node.task, node.symbol), vscode.TreeItemCollapsibleState.None);
        treeItem.iconPath = new vscode.ThemeIcon(node.task.passed > 0 ? 'pass' : 'circle-slash');
        treeItem.command = { command: CommandId.openTrace, title: 'Open Best Trace', arguments: [node.task.bestTraceId] };
        treeItem.contextValue = 'task';
        return treeItem;
      }
      case 'message': {
        const treeItem = new vscode.TreeItem(node.text, vscode.TreeItemCollapsibleState.None);
        treeItem.tooltip = node.detail;
        treeItem.iconPath = new vscode.ThemeIcon('info');
        return treeItem;
      }
    }
  }

  async getChildren(node?: RunsNode): Promise<RunsNode[]> {
    try {
      const store = await this.store.queries();
      if (!store) return [];
      if (!node) return (await store.listRuns()).map((run) => ({ kind: 'run', run }));
      if (node.kind === 'run') {
        const steps = await store.listSteps(node.run.id, { metrics: STEP_ROW_METRICS });
        return steps.slice(-MAX_STEPS_SHOWN).reverse().map((step) => ({ kind: 'step', runId: node.run.id, step }));
      }
      if (node.kind === 'step') return await this.tasksOfStep(node.runId, node.step.step);
      return [];
    } catch (error) {
      this.logs.line(`runs view: ${errorText(error)}`);
      return [{ kind: 'message', text: 'Cannot read the trace store', detail: errorText(error) }];
    }
  }

  private async tasksOfStep(runId: string, step: number): Promise<RunsNode[]> {
    const store = await this.store.queries();
    if (!store) return [];
    const [page, tasks] = await Promise.all([
      store.queryTraces({ runId, kind: 'train', step, limit: 1000, sort: 'id', order: 'asc' }),
      store.listRunTasks(runId),
    ]);
    const symbols = new Map(tasks.map((t) => [t.taskId, taskLocation(t)?.symbol]));
    return tasksOfStep(page.rows).map((task) => ({ kind: 'task', runId, step, task, symbol: symbols.get(task.taskId) }));
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.changes.dispose();
  }
}

export function registerRunsTree(deps: { store: WorkspaceStore; logs: Logs }, context: vscode.ExtensionContext): RunsTreeProvider {
  const provider = new RunsTreeProvider(deps.store, deps.logs);
  const view = vscode.window.createTreeView(ViewId.runs, { treeDataProvider: provider, showCollapseAll: true });
  context.subscriptions.push(provider, view, deps.store.onDidChange(() => provider.refresh()));
  return provider;
}
