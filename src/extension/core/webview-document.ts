/**
 * The HTML shell of every webview: a strict CSP (nothing but our own scripts, by nonce, and our own
 * styles, images and fonts), the view's stylesheets, an empty `#app` root and the bundle. The
 * content itself is built by the bundle with DOM APIs, never from HTML strings of model text.
 */
import { randomBytes } from 'node:crypto';

export function newNonce(): string {
  return randomBytes(18).toString('base64').replace(/[^A-Za-z0-9]/g, '');
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `style-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
    `img-src ${cspSource} data:`,
    `font-src ${cspSource}`,
  ].join('; ');
}

const escapeAttr = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export interface DocumentParts {
  title: string;
  cspSource: string;
  nonce: string;
  scriptUri: string;
  /** In order; the codicon stylesheet carries the id @vscode-elements looks for. */
  styles: readonly { href: string; id?: string }[];
}

export function webviewDocument(p: DocumentParts): string {
  const links = p.styles.map((s) => `<link rel="stylesheet" href="${escapeAttr(s.href)}"${s.id ? ` id="${escapeAttr(s.id)}"` : ''}>`);
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="UTF-8">',
    `<meta http-equiv="Content-Security-Policy" content="${escapeAttr(contentSecurityPolicy(p.cspSource, p.nonce))}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1.0">',
    ...links,
    `<title>${escapeAttr(p.title)}</title>`,
    '</head>',
    '<body>',
    '<div id="app"></div>',
    `<script nonce="${escapeAttr(p.nonce)}" src="${escapeAttr(p.scriptUri)}"></script>`,
    '</body>',
    '</html>',
  ].join('\n');
}
