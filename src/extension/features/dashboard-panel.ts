/**
 * The dashboard (E1's `dashboard` front end): one panel with the charts of a run, live while it
 * trains, restored after a reload by its serializer.
 */
import * as vscode from 'vscode';
import type { HostToDashboard } from '../../shared/webview-messages';
import { CommandId, PanelType } from '../command-ids';
import { DashboardRouter } from '../core/routers/dashboard-router';
import type { Logs } from '../infra/logs';
import type { StoreChange, WorkspaceStore } from '../infra/store';
import { webviewOptions } from '../infra/webview-html';
import { connectPanel } from '../infra/webview-load';
import type { TrainingController } from './training-controller';

export interface DashboardDeps {
  store: WorkspaceStore;
  logs: Logs;
  training: TrainingController;
  context: vscode.ExtensionContext;
}

function restoredRunId(state: unknown): string | null {
  const id = (state as { runId?: unknown } | undefined)?.runId;
  return typeof id === 'string' && id.length <= 512 ? id : null;
}

export class DashboardPanel implements vscode.WebviewPanelSerializer, vscode.Disposable {
  private current: { panel: vscode.WebviewPanel; router: DashboardRouter } | null = null;

  constructor(private readonly deps: DashboardDeps) {}

  /** Opens (or reveals) the dashboard on `runId`, else on the run training now, else the newest. */
  async open(runId?: string): Promise<void> {
    if (!this.current) {
      const panel = vscode.window.createWebviewPanel(PanelType.dashboard, 'RLVR Dashboard', vscode.ViewColumn.Active,
        webviewOptions(this.deps.context.extensionUri));
      this.current = this.attach(panel, runId ?? this.deps.training.preferredRunId());
      return;
    }
    this.current.panel.reveal();
    if (runId !== undefined && runId !== this.current.router.currentRunId) await this.current.router.show(runId);
  }

  async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    this.current?.panel.dispose();
    this.current = this.attach(panel, restoredRunId(state));
  }

  /** Keeps the shown run current; a run started in this window takes over the dashboard. */
  async storeChanged(change: StoreChange): Promise<void> {
    const router = this.current?.router;
    if (!router) return;
    if (change.kind === 'progress') return router.progress(change.runId);
    await router.runsChanged().catch((e: unknown) => this.deps.logs.line(`dashboard: ${String(e)}`));
    const training = this.deps.training.preferredRunId();
    if (change.kind === 'runs' && this.deps.training.active && training && training !== router.currentRunId) await router.show(training);
    if (change.kind === 'external' && router.currentRunId) await router.progress(router.currentRunId);
  }

  private attach(panel: vscode.WebviewPanel, runId: string | null): { panel: vscode.WebviewPanel; router: DashboardRouter } {
    const { context, logs } = this.deps;
    panel.webview.options = webviewOptions(context.extensionUri);
    const router = new DashboardRouter({
      store: this.deps.store.queries,
      post: (m: HostToDashboard) => void panel.webview.postMessage(m),
      preferredRunId: this.deps.training.preferredRunId,
      exportRun: (id) => void vscode.commands.executeCommand(CommandId.exportTraces, id),
      shown: (id) => { panel.title = id ? `RLVR Dashboard · ${id}` : 'RLVR Dashboard'; },
      log: (line) => logs.line(line),
    }, runId);
    connectPanel(panel, router, { name: 'dashboard', title: 'RLVR Dashboard', what: 'dashboard' }, context.extensionUri, (l) => logs.line(l), () => {
      if (this.current?.panel === panel) this.current = null;
    });
    return { panel, router };
  }

  dispose(): void {
    this.current?.panel.dispose();
  }
}

export function registerDashboard(deps: Omit<DashboardDeps, 'context'>, context: vscode.ExtensionContext): DashboardPanel {
  const dashboard = new DashboardPanel({ ...deps, context });
  context.subscriptions.push(
    dashboard,
    vscode.window.registerWebviewPanelSerializer(PanelType.dashboard, dashboard),
    deps.store.onDidChange((change) => void dashboard.storeChanged(change)),
  );
  return dashboard;
}
