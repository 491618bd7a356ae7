/**
 * The command table: one handler per CommandId. Its type requires an entry for every id, and
 * test/unit/extension-ids.test.ts checks the ids against package.json. No VS Code import here, so
 * the test can build the table with stand-in handlers.
 */
import { CommandId, type CommandName } from './command-ids';

export type CommandHandler = (...args: unknown[]) => unknown;
export type CommandTable = Record<CommandName, CommandHandler>;

/** [id, handler] pairs in CommandId order. */
export function commandEntries(table: CommandTable): [string, CommandHandler][] {
  return (Object.keys(CommandId) as CommandName[]).map((name) => [CommandId[name], table[name]]);
}
