/**
 * Registers the command table (command-table.ts) with VS Code. A handler that throws shows one
 * actionable error (message and hint) with a way to the logs, instead of VS Code's generic
 * "command resulted in an error"; a cancelled one says nothing.
 */
import * as vscode from 'vscode';
import { commandEntries, type CommandHandler, type CommandTable } from './command-table';
import { CancelledError } from './core/errors';
import { errorText } from './core/store-port';
import type { Logs } from './infra/logs';

function reporting(id: string, handler: CommandHandler, logs: Logs): CommandHandler {
  return async (...args: unknown[]) => {
    try {
      return await handler(...args);
    } catch (error) {
      if (error instanceof CancelledError) return undefined;
      logs.line(`${id} failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
      const choice = await vscode.window.showErrorMessage(`RLVR: ${errorText(error)}`, 'Show Logs');
      if (choice) logs.show();
      return undefined;
    }
  };
}

export function registerCommands(table: CommandTable, deps: { logs: Logs }, context: vscode.ExtensionContext): void {
  for (const [id, handler] of commandEntries(table)) {
    context.subscriptions.push(vscode.commands.registerCommand(id, reporting(id, handler, deps.logs)));
  }
}
