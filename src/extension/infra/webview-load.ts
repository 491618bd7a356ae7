/** Sets a webview's HTML, and sets it again while the webview stays silent (core/load-watchdog.ts). */
import type * as vscode from 'vscode';
import { loadUntilHeard } from '../core/load-watchdog';

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
