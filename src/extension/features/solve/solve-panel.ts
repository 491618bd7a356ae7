/**
 * The one solve panel: created on the first solve, revealed by later ones, its router replaying the
 * state into the webview whenever it is rebuilt (hidden and shown again). Closing it cancels the
 * solve in progress (`onClosed`).
 */
import * as vscode from 'vscode';
import type { SolveEvent } from '../../../shared/solve-state';
import type { HostToSolve } from '../../../shared/webview-messages';
import { SOLVE_PANEL_TYPE } from '../../command-ids';
import { SolveRouter, type SolveDecision } from '../../core/routers/solve-router';
import type { Logs } from '../../infra/logs';
import { webviewOptions } from '../../infra/webview-html';
import { connectPanel } from '../../infra/webview-load';

export interface SolvePanelDeps {
  context: vscode.ExtensionContext;
  logs: Logs;
  decide: (decision: SolveDecision, solveId: number) => void | Promise<void>;
  onClosed: () => void;
}

export class SolvePanel implements vscode.Disposable {
  private current: { panel: vscode.WebviewPanel; router: SolveRouter } | null = null;

  constructor(private readonly deps: SolvePanelDeps) {}

  /** Shows the panel (creating it when needed) without taking the focus from the editor. */
  show(): void {
    if (this.current) {
      this.current.panel.reveal(undefined, true);
      return;
    }
    const { context, logs } = this.deps;
    const panel = vscode.window.createWebviewPanel(SOLVE_PANEL_TYPE, 'RLVR Solve', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      webviewOptions(context.extensionUri));
    const router = new SolveRouter({
      post: (m: HostToSolve) => void panel.webview.postMessage(m),
      decide: (decision, solveId) => this.deps.decide(decision, solveId),
      log: (line) => logs.line(line),
    });
    connectPanel(panel, router, { name: 'solve', title: 'RLVR Solve', what: 'solve panel' }, context.extensionUri, (l) => logs.line(l), () => {
      if (this.current?.panel === panel) this.current = null;
      this.deps.onClosed();
    });
    this.current = { panel, router };
  }

  emit(event: SolveEvent): void {
    if (event.type === 'session' && this.current) this.current.panel.title = `RLVR Solve · ${event.task.symbol}`;
    this.current?.router.emit(event);
  }

  error(message: string): void {
    this.current?.router.error(message);
  }

  dispose(): void {
    this.current?.panel.dispose();
  }
}
