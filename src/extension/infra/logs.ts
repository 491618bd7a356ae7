/** "RLVR: Show Logs": one output channel with every child process's output, prefixed by a timestamp. */
import * as vscode from 'vscode';

export interface Logs {
  line(text: string): void;
  show(): void;
}

export function registerLogs(context: vscode.ExtensionContext): Logs {
  const channel = vscode.window.createOutputChannel('RLVR Studio');
  context.subscriptions.push(channel);
  return {
    line: (text) => channel.appendLine(`[${new Date().toISOString().slice(11, 19)}] ${text}`),
    show: () => channel.show(true),
  };
}
