/**
 * Webview options and HTML for the front ends (src/webviews/<name>/main.ts, bundled to
 * dist/webviews/<name>.js). Resources load only from the bundles, media/ and the two UI packages.
 */
import { existsSync } from 'node:fs';
import * as vscode from 'vscode';
import { newNonce, webviewDocument } from '../core/webview-document';

export type WebviewName = 'traces' | 'trace' | 'dashboard' | 'solve';

export function localResourceRoots(extensionUri: vscode.Uri): vscode.Uri[] {
  return [
    vscode.Uri.joinPath(extensionUri, 'dist', 'webviews'),
    vscode.Uri.joinPath(extensionUri, 'media'),
    vscode.Uri.joinPath(extensionUri, 'node_modules', '@vscode-elements'),
    vscode.Uri.joinPath(extensionUri, 'node_modules', '@vscode', 'codicons'),
  ];
}

export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return { enableScripts: true, enableCommandUris: false, localResourceRoots: localResourceRoots(extensionUri) };
}

/**
 * The codicons (for @vscode-elements), then whichever exist of: the bundle's own CSS (libraries'
 * stylesheets imported by the front end), media/webview.css (shared) and media/<name>.css.
 */
function stylesheets(webview: vscode.Webview, extensionUri: vscode.Uri, name: WebviewName): { href: string; id?: string }[] {
  const candidates = [['dist', 'webviews', `${name}.css`], ['media', 'webview.css'], ['media', `${name}.css`]];
  const own = candidates
    .map((parts) => vscode.Uri.joinPath(extensionUri, ...parts))
    .filter((uri) => existsSync(uri.fsPath))
    .map((uri) => ({ href: webview.asWebviewUri(uri).toString() }));
  const codicons = vscode.Uri.joinPath(extensionUri, 'node_modules', '@vscode', 'codicons', 'dist', 'codicon.css');
  return [{ href: webview.asWebviewUri(codicons).toString(), id: 'vscode-codicon-stylesheet' }, ...own];
}

export function webviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, name: WebviewName, title: string): string {
  return webviewDocument({
    title,
    cspSource: webview.cspSource,
    nonce: newNonce(),
    scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webviews', `${name}.js`)).toString(),
    styles: stylesheets(webview, extensionUri, name),
  });
}
