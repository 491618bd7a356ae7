/**
 * The `rlvr` command line. Sub-commands are a table (name → module); each parses its own flags with
 * `node:util` parseArgs. Exit codes: 0 ok, 1 the work failed (e.g. a task failed ground truth),
 * 2 usage or input error, 130 interrupted.
 */
import { RlvrError, UsageError } from '../errors';
import type { Command, CommandIO } from './command';
import { commands } from './commands';

function helpText(): string {
  const rows = commands.map((c) => `  ${c.name.padEnd(10)} ${c.summary}`);
  return ['usage: rlvr <command> [flags]', '', 'commands:', ...rows, '', 'rlvr help <command> for its flags'].join('\n');
}

function findCommand(name: string): Command {
  const command = commands.find((c) => c.name === name);
  if (!command) throw new UsageError(`unknown command \`${name}\``, `run \`rlvr help\` to list commands`);
  return command;
}

export async function main(argv: string[], io: CommandIO): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    const topic = rest[0];
    io.stdout(`${topic ? findCommand(topic).usage : helpText()}\n`);
    return 0;
  }
  const command = findCommand(name);
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(`${command.usage}\n`);
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    throw asUsageError(error, name) ?? error;
  }
}

/** node:util parseArgs rejects unknown or malformed flags with a plain TypeError; say it as a usage error. */
function asUsageError(error: unknown, commandName: string): UsageError | null {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !code.startsWith('ERR_PARSE_ARGS_')) return null;
  const reason = error instanceof Error ? error.message.split('\n')[0] ?? error.message : String(error);
  return new UsageError(reason, `run \`rlvr help ${commandName}\` for its flags`);
}

function reportError(error: unknown, io: CommandIO): number {
  if (error instanceof RlvrError) {
    io.stderr(`rlvr: ${error.message}\n`);
    if (error.hint) io.stderr(`  → ${error.hint}\n`);
    return error instanceof UsageError || error.code === 'bad_input' ? 2 : 1;
  }
  io.stderr(`rlvr: internal error (please report): ${error instanceof Error ? error.stack : String(error)}\n`);
  return 1;
}

if (require.main === module) {
  const controller = new AbortController();
  process.once('SIGINT', () => {
    process.stderr.write('\nrlvr: stopping at the next safe point (Ctrl-C again to force)\n');
    controller.abort();
    process.once('SIGINT', () => process.exit(130));
  });
  const io: CommandIO = {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    signal: controller.signal,
  };
  main(process.argv.slice(2), io)
    .catch((error: unknown) => reportError(error, io))
    .then((code) => { process.exitCode = code; });
}
