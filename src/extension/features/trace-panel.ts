/**
 * The trace panel (E1's `trace` front end): one reusable panel that shows a trace or its group, and
 * comes back after a reload through its serializer (the webview keeps `TracePanelState`).
 */
import * as vscode from 'vscode';
import type { HostToTrace, TracePanelState } from '../../shared/webview-messages';
import { HEATMAP_MODES, type HeatmapMode } from '../../shared/view-models';
import { PanelType, StateKey } from '../command-ids';
import { TraceRouter } from '../core/routers/trace-router';
import type { Logs } from '../infra/logs';
import type { WorkspaceStore } from '../infra/store';
import { webviewOptions } from '../infra/webview-html';
import { connectPanel } from '../infra/webview-load';
import { readWorkspaceFile, revealTask } from './workspace-files';

export interface TracePanelDeps {
  store: WorkspaceStore;
  logs: Logs;
  context: vscode.ExtensionContext;
}

/** What the serializer gets back: trusted for nothing, only a trace id is taken from it. */
function restoredTraceId(state: unknown): number | null {
  const id = (state as Partial<TracePanelState> | undefined)?.traceId;
  return typeof id === 'number' && Number.isInteger(id) && id > 0 ? id : null;
}

export class TracePanels implements vscode.WebviewPanelSerializer, vscode.Disposable {
  private current: { panel: vscode.WebviewPanel; router: TraceRouter } | null = null;

  constructor(private readonly deps: TracePanelDeps) {}

  async open(traceId: number): Promise<void> {
    const shown = this.current ?? this.create(null);
    shown.panel.reveal(undefined, false);
    await shown.router.open(traceId);
  }

  async openGroup(traceId: number): Promise<void> {
    const shown = this.current ?? this.create(traceId);
    shown.panel.reveal(undefined, false);
    await shown.router.showGroup(traceId).catch((e: unknown) => this.deps.logs.line(`trace panel: ${String(e)}`));
  }

  async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    this.current?.panel.dispose();
    this.current = this.attach(panel, restoredTraceId(state));
  }

  private create(traceId: number | null): { panel: vscode.WebviewPanel; router: TraceRouter } {
    const panel = vscode.window.createWebviewPanel(PanelType.trace, 'RLVR Trace', vscode.ViewColumn.Beside, webviewOptions(this.deps.context.extensionUri));
    this.current = this.attach(panel, traceId);
    return this.current;
  }

  private attach(panel: vscode.WebviewPanel, traceId: number | null): { panel: vscode.WebviewPanel; router: TraceRouter } {
    const { context, logs, store } = this.deps;
    panel.webview.options = webviewOptions(context.extensionUri);
    const router = new TraceRouter({
      store: store.queries,
      post: (m: HostToTrace) => void panel.webview.postMessage(m),
      readWorkspaceFile,
      reveal: (location, line) => void revealTask(location, line),
      heatmap: () => savedHeatmap(context.globalState.get(StateKey.heatmap)),
      saveHeatmap: (mode) => void context.globalState.update(StateKey.heatmap, mode),
      shown: (_id, title) => { panel.title = title; },
      log: (line) => logs.line(line),
    }, traceId);
    connectPanel(panel, router, { name: 'trace', title: 'RLVR Trace', what: 'trace panel' }, context.extensionUri, (l) => logs.line(l), () => {
      if (this.current?.panel === panel) this.current = null;
    });
    return { panel, router };
  }

  dispose(): void {
    this.current?.panel.dispose();
  }
}

function savedHeatmap(value: unknown): HeatmapMode {
  return HEATMAP_MODES.find((m) => m === value) ?? 'off';
}

export function registerTracePanels(deps: Omit<TracePanelDeps, 'context'>, context: vscode.ExtensionContext): TracePanels {
  const panels = new TracePanels({ ...deps, context });
  context.subscriptions.push(panels, vscode.window.registerWebviewPanelSerializer(PanelType.trace, panels));
  return panels;
}
