/**
 * Extension entry point. `activate` reads as a table of contents: each feature registers itself
 * with its dependencies passed explicitly, and every registration goes into context.subscriptions.
 */
import type * as vscode from 'vscode';

export function activate(_context: vscode.ExtensionContext): void {
  // Features are registered here as they land (see docs/architecture.md).
}

export function deactivate(): void {}
