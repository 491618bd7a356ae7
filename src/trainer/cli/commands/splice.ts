import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { RlvrError, UsageError } from '../../errors';
import { mineTasks } from '../../mining';
import { spliceCandidate } from '../../verifier/splice-candidate';
import type { Command } from '../command';
import { findTask, UNSAFE_WARNING } from './verify';

const usage = `usage: rlvr splice --workspace DIR --task ID --candidate FILE [--source FILE] [--json] [--python P] [--unsafe-no-sandbox]

Prints the task's file with the candidate function in place of the original, spliced exactly as
the verifier splices it before running the tests (decorators, indentation and imports handled the
same way). Nothing is run and nothing is written: this is for showing an answer as a change.
  --workspace DIR       the workspace (default: the current folder)
  --task ID             a task id from \`rlvr tasks\` (a unique prefix is enough)
  --candidate FILE      the candidate definition (a whole def), or - for stdin
  --source FILE         splice into this text instead of the task's file on disk (e.g. an editor's unsaved text)
  --json                print {task, file, spliced, flags} instead of the spliced file
  --python P            interpreter of the Python parse (default: DIR/.venv, RLVR Studio's .venv, python3)
  --unsafe-no-sandbox   parse the candidate without bubblewrap
exit code: 0 spliced, 1 the candidate could not be spliced (the flags say why), 2 usage error`;

interface SpliceArgs {
  workspace: string;
  task: string;
  candidate: string;
  source?: string;
  json: boolean;
  python?: string;
  unsafeNoSandbox: boolean;
}

function parse(argv: string[]): SpliceArgs {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv, strict: true, allowPositionals: false,
      options: {
        workspace: { type: 'string' }, task: { type: 'string' }, candidate: { type: 'string' }, source: { type: 'string' },
        json: { type: 'boolean' }, python: { type: 'string' }, 'unsafe-no-sandbox': { type: 'boolean' },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message, usage);
  }
  if (!values.task || !values.candidate) throw new UsageError('pass --task ID and --candidate FILE', usage);
  if (values.candidate === '-' && values.source === '-') throw new UsageError('only one of --candidate and --source can be read from stdin', usage);
  return {
    workspace: resolve(values.workspace ?? process.cwd()), task: values.task, candidate: values.candidate, source: values.source,
    json: values.json === true, python: values.python, unsafeNoSandbox: values['unsafe-no-sandbox'] === true,
  };
}

function readText(path: string, what: string): string {
  try {
    return readFileSync(path === '-' ? 0 : path, 'utf8');
  } catch (error) {
    throw new RlvrError(`cannot read the ${what} ${path}: ${(error as Error).message}`, 'bad_input', `pass a readable file for the ${what}, or - to read stdin`);
  }
}

export const spliceCommand: Command = {
  name: 'splice',
  summary: 'print a task\'s file with a candidate spliced in, as the verifier splices it (nothing is run)',
  usage,
  async run(argv, io) {
    const args = parse(argv);
    if (args.unsafeNoSandbox) io.stderr(`${UNSAFE_WARNING}\n`);
    const mined = await mineTasks({ workspace: args.workspace, python: args.python, unsafeNoSandbox: args.unsafeNoSandbox });
    const task = findTask(mined.tasks, args.task, args.workspace);
    const candidate = readText(args.candidate, 'candidate');
    const source = args.source === undefined ? readText(resolve(args.workspace, task.file), 'task file') : readText(args.source, 'source');
    const result = await spliceCandidate(task, candidate, {
      source, workspace: args.workspace, python: args.python, unsafeNoSandbox: args.unsafeNoSandbox,
    });
    if (args.json) io.stdout(`${JSON.stringify(result, null, 2)}\n`);
    else if (result.spliced !== null) io.stdout(result.spliced);
    if (!args.json) for (const flag of result.flags) io.stderr(`${flag.code}: ${flag.message}\n`);
    return result.spliced !== null ? 0 : 1;
  },
};
