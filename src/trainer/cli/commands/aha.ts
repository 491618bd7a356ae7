import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { detectAha, detectCues, type AhaReport, type ConsequenceJudge, type DetectOptions } from '../../analysis/aha';
import { formatAhaReport } from '../../analysis/aha/report-text';
import { parseTokenInputs } from '../../analysis/aha/token-file';
import { createJudgePool, verifierJudge } from '../../analysis/aha/verifier-judge';
import { RlvrError, UsageError } from '../../errors';
import { mineTasks } from '../../mining';
import type { Task } from '../../tasks/task';
import type { Command } from '../command';

const usage = `usage: rlvr aha --file TRACE.txt [--json] [--entropies FILE] [--workspace DIR --task ID [--python P] [--unsafe-no-sandbox]]

Finds "aha" cues (wait, let me check, actually, another approach, edge case …) in the <think> part of
a completion, with their position, phase (before/after the first candidate solution) and, when a
workspace and task are given, their consequence: the code before and after each cue is verified
against the task's tests, and a cue is a fix (aha) only when failing code became passing code.
  --file TRACE.txt      the completion text (think + answer)
  --json                print {version, events, summary} (docs/analysis.md) and nothing else on stdout
  --entropies FILE      JSON {"entropies": [...], "tokens": [...]} (or "spans": [[start, end], ...]):
                        adds token indices, per-cue entropy and forking, and rates per 1k tokens
  --workspace DIR       the workspace whose tests verify the code (with --task)
  --task ID             the task id, or a unique prefix of it (see \`rlvr tasks\`)
  --python P            interpreter that runs the tests (default: DIR/.venv, RLVR Studio's .venv, python3)
  --unsafe-no-sandbox   run the tests without bubblewrap (only for a machine and workspace you trust)`;

interface AhaArgs {
  file: string;
  json: boolean;
  entropies?: string;
  workspace?: string;
  task?: string;
  python?: string;
  unsafeNoSandbox: boolean;
}

function parse(argv: string[]): AhaArgs {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv, strict: true, allowPositionals: false,
      options: {
        file: { type: 'string' }, json: { type: 'boolean' }, entropies: { type: 'string' }, workspace: { type: 'string' },
        task: { type: 'string' }, python: { type: 'string' }, 'unsafe-no-sandbox': { type: 'boolean' },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message, usage);
  }
  if (values.file === undefined) throw new UsageError('missing --file TRACE.txt', usage);
  if ((values.workspace === undefined) !== (values.task === undefined)) {
    throw new UsageError('--workspace and --task go together: consequences need both the tests and the task they verify', usage);
  }
  return {
    file: values.file, json: values.json === true, entropies: values.entropies, workspace: values.workspace, task: values.task,
    python: values.python, unsafeNoSandbox: values['unsafe-no-sandbox'] === true,
  };
}

function readInput(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new RlvrError(`cannot read ${what} ${path}: ${(error as Error).message}`, 'bad_input', `check the path given to --${what === 'trace' ? 'file' : 'entropies'}`);
  }
}

/** A task by exact id or unique prefix. */
export function findTask(tasks: readonly Task[], id: string, workspace: string): Task {
  const exact = tasks.find((t) => t.id === id);
  if (exact) return exact;
  const matches = tasks.filter((t) => t.id.startsWith(id));
  if (matches.length === 1 && matches[0]) return matches[0];
  const why = matches.length === 0 ? 'no task has this id' : `${matches.length} tasks start with it (${matches.map((t) => t.id).join(', ')})`;
  throw new RlvrError(`task \`${id}\` in ${workspace}: ${why}`, 'bad_input', `run \`rlvr tasks --workspace ${workspace}\` to list the task ids`);
}

/** The judge and the function it verifies; `close` stops the verifier servers. */
export interface OpenedJudge {
  judge: ConsequenceJudge;
  symbol: string;
  close(): Promise<void>;
}

export type JudgeOpener = (args: Required<Pick<AhaArgs, 'workspace' | 'task'>> & AhaArgs, signal: AbortSignal) => Promise<OpenedJudge>;

const openVerifierJudge: JudgeOpener = async (args, signal) => {
  const workspace = resolve(args.workspace);
  const { tasks } = await mineTasks({ workspace, python: args.python, unsafeNoSandbox: args.unsafeNoSandbox, signal });
  const task = findTask(tasks, args.task, workspace);
  const pool = await createJudgePool(task, { workspace, python: args.python, unsafeNoSandbox: args.unsafeNoSandbox });
  return { judge: verifierJudge(pool, task, { workspace, signal }), symbol: task.symbol, close: () => pool.close() };
};

async function analyse(args: AhaArgs, openJudge: JudgeOpener, signal: AbortSignal): Promise<AhaReport> {
  const text = readInput(args.file, 'trace');
  const options: DetectOptions = args.entropies ? parseTokenInputs(readInput(args.entropies, 'entropies'), text, args.entropies) : {};
  if (args.workspace === undefined || args.task === undefined) return detectCues(text, options);
  const opened = await openJudge({ ...args, workspace: args.workspace, task: args.task }, signal);
  try {
    return await detectAha(text, { ...options, judge: opened.judge, solutionSymbol: opened.symbol });
  } finally {
    await opened.close();
  }
}

/** The command with an injectable judge (tests pass a fake one; the real one drives the verifier). */
export function makeAhaCommand(openJudge: JudgeOpener = openVerifierJudge): Command {
  return {
    name: 'aha',
    summary: 'find aha/backtracking cues in a completion, with their consequence (table or --json)',
    usage,
    async run(argv, io) {
      const args = parse(argv);
      const report = await analyse(args, openJudge, io.signal);
      io.stdout(args.json ? `${JSON.stringify(report, null, 2)}\n` : formatAhaReport(report));
      return 0;
    },
  };
}

export const ahaCommand = makeAhaCommand();
