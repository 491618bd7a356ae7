/**
 * The Traces view in the side panel (E1's `traces` front end): a WebviewView whose list pages come
 * from the store through TracesRouter. Not retained when hidden: the webview keeps its own state
 * (getState/setState) and says `ready` again when it comes back.
 */
import * as vscode from 'vscode';
import type { HostToTraces } from '../../shared/webview-messages';
import { ViewId } from '../command-ids';
import { TracesRouter } from '../core/routers/traces-router';
import type { Logs } from '../infra/logs';
import type { StoreChange, WorkspaceStore } from '../infra/store';
import { webviewHtml, webviewOptions } from '../infra/webview-html';
import { loadWebview } from '../infra/webview-load';
import type { TracePanels } from './trace-panel';
import type { TrainingController } from './training-controller';

export interface TracesViewDeps {
  store: WorkspaceStore;
  logs: Logs;
  training: TrainingController;
  tracePanels: TracePanels;
  context: vscode.ExtensionContext;
}

export class TracesViewProvider implements vscode.WebviewViewProvider {
  private router: TracesRouter | null = null;

  constructor(private readonly deps: TracesViewDeps) {}

  resolveWebviewView(view: vscode.WebviewView): void {
    const { context, logs, store, tracePanels } = this.deps;
    view.webview.options = webviewOptions(context.extensionUri);
    const router = new TracesRouter({
      store: store.queries,
      post: (m: HostToTraces) => void view.webview.postMessage(m),
      openTrace: (id) => void tracePanels.open(id),
      openGroup: (id) => void tracePanels.openGroup(id),
      preferredRunId: this.deps.training.preferredRunId,
      log: (line) => logs.line(line),
    });
    this.router = router;
    const subscriptions = [
      view.webview.onDidReceiveMessage((m: unknown) => router.receive(m)),
      view.onDidChangeVisibility(() => { if (!view.visible) router.detached(); }),
    ];
    view.onDidDispose(() => {
      subscriptions.forEach((s) => s.dispose());
      if (this.router === router) this.router = null;
    });
    subscriptions.push(loadWebview(view.webview, () => webviewHtml(view.webview, context.extensionUri, 'traces', 'RLVR Traces'), 'traces view', (l) => logs.line(l)));
  }

  async storeChanged(change: StoreChange): Promise<void> {
    const router = this.router;
    if (!router) return;
    if (change.kind === 'progress') router.tracesAdded(change.runId);
    else await router.runsChanged().catch((e: unknown) => this.deps.logs.line(`traces view: ${String(e)}`));
  }
}

export function registerTracesView(deps: Omit<TracesViewDeps, 'context'>, context: vscode.ExtensionContext): void {
  const provider = new TracesViewProvider({ ...deps, context });
  context.subscriptions.push(
    vscode.window.registerWebviewViewProvider(ViewId.traces, provider),
    deps.store.onDidChange((change) => void provider.storeChanged(change)),
  );
}
