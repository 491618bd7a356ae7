/** Sets a webview's HTML, and sets it again while the webview stays silent (core/load-watchdog.ts). */
import type * as vscode from 'vscode';
import { loadUntilHeard } from '../core/load-watchdog';
import { webviewHtml, type WebviewName } from './webview-html';

/**
 * `html` is called for each load (a fresh nonce each time, so VS Code sees new content). The
 * returned disposable stops the retries; dispose it with the panel or view.
 */
export function loadWebview(webview: vscode.Webview, html: () => string, what: string, log: (line: string) => void): vscode.Disposable {
  const watchdog = loadUntilHeard(
    () => { webview.html = html(); },
    (attempt) => log(`${what}: the webview did not start (its script never said ready); loading it again, attempt ${attempt}`),
  );
  const listening = webview.onDidReceiveMessage(() => {
    watchdog.heard();
    listening.dispose();
  });
  return { dispose: () => { watchdog.dispose(); listening.dispose(); } };
}

/** What a panel's router must offer: the webview's messages in, and word that the panel was hidden. */
export interface PanelRouter {
  receive(message: unknown): void;
  detached(): void;
}

export interface PanelPage {
  name: WebviewName;
  title: string;
  /** How the logs name it ("trace panel"). */
  what: string;
}

/**
 * The wiring every webview panel shares: messages go to its router, hiding it detaches the router,
 * its HTML loads under the watchdog, and closing it disposes all of that before `onClosed`.
 */
export function connectPanel(
  panel: vscode.WebviewPanel, router: PanelRouter, page: PanelPage, extensionUri: vscode.Uri,
  log: (line: string) => void, onClosed: () => void,
): void {
  const subscriptions = [
    panel.webview.onDidReceiveMessage((m: unknown) => router.receive(m)),
    panel.onDidChangeViewState(() => { if (!panel.visible) router.detached(); }),
  ];
  panel.onDidDispose(() => {
    subscriptions.forEach((s) => s.dispose());
    onClosed();
  });
  subscriptions.push(loadWebview(panel.webview, () => webviewHtml(panel.webview, extensionUri, page.name, page.title), page.what, log));
}
