import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { RlvrError, UsageError } from '../../errors';
import { mineTasks } from '../../mining';
import type { Task } from '../../tasks/task';
import { groundTruthCheck } from '../../verifier/ground-truth';
import { LanguagePools } from '../../verifier/language-pools';
import type { VerificationResult } from '../../verifier/result';
import { verifyCandidate } from '../../verifier/verify';
import type { Command, CommandIO } from '../command';
import { formatGroundTruth, formatVerification } from './verify-format';

const usage = `usage: rlvr verify --workspace DIR --task ID --candidate FILE [--json] [--python P] [--jobs N] [--unsafe-no-sandbox]
       rlvr verify --workspace DIR --ground-truth [--json] [--python P] [--jobs N] [--unsafe-no-sandbox]

Runs a candidate function against its task's tests (visible and held-out) in the sandbox and prints
the reward, the per-test outcomes and any flags (docs/verifier.md). With --ground-truth, checks every
task instead: its original code must pass and a body that only raises must fail; tasks that do not
are reported and left out of training.
  --workspace DIR       the workspace (default: the current folder)
  --task ID             a task id from \`rlvr tasks\` (a unique prefix is enough)
  --candidate FILE      the candidate definition (a whole def), or - for stdin
  --ground-truth        check every task against its original code and a stub
  --json                print JSON only on stdout (one object; with --ground-truth, an array)
  --python P            interpreter that runs the tests (default: DIR/.venv, RLVR Studio's .venv, python3)
  --jobs N              verifier servers (default: one per CPU core)
  --unsafe-no-sandbox   run candidates WITHOUT bubblewrap: they can read and write your files and use
                        the network. Only for a throwaway machine where the sandbox cannot work.
exit code: 0 the candidate passed / every task passed ground truth, 1 it did not, 2 usage error`;

interface VerifyArgs {
  workspace: string;
  task?: string;
  candidate?: string;
  groundTruth: boolean;
  json: boolean;
  python?: string;
  jobs?: number;
  unsafeNoSandbox: boolean;
}

function parse(argv: string[]): VerifyArgs {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv, strict: true, allowPositionals: false,
      options: {
        workspace: { type: 'string' }, task: { type: 'string' }, candidate: { type: 'string' },
        'ground-truth': { type: 'boolean' }, json: { type: 'boolean' }, python: { type: 'string' },
        jobs: { type: 'string' }, 'unsafe-no-sandbox': { type: 'boolean' },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message, usage);
  }
  const groundTruth = values['ground-truth'] === true;
  if (groundTruth && (values.task || values.candidate)) throw new UsageError('--ground-truth checks every task: drop --task and --candidate', usage);
  if (!groundTruth && (!values.task || !values.candidate)) throw new UsageError('pass --task ID and --candidate FILE, or --ground-truth', usage);
  const jobs = values.jobs === undefined ? undefined : Number(values.jobs);
  if (jobs !== undefined && !(Number.isInteger(jobs) && jobs >= 1)) throw new UsageError(`--jobs must be a positive integer, got \`${values.jobs}\``, usage);
  return {
    workspace: resolve(values.workspace ?? process.cwd()), task: values.task, candidate: values.candidate, groundTruth,
    json: values.json === true, python: values.python, jobs, unsafeNoSandbox: values['unsafe-no-sandbox'] === true,
  };
}

export const UNSAFE_WARNING = [
  '!!! WARNING: --unsafe-no-sandbox: candidates run WITHOUT the sandbox. Model-written code can read and',
  '!!! write your files, use the network and leave processes behind. Only rlimits apply.',
].join('\n');

/** Exact id, or a unique prefix of one. */
export function findTask(tasks: readonly Task[], id: string, workspace: string): Task {
  const exact = tasks.find((t) => t.id === id);
  if (exact) return exact;
  const matches = tasks.filter((t) => t.id.startsWith(id));
  if (matches.length === 1 && matches[0]) return matches[0];
  const why = matches.length > 1 ? `is a prefix of ${matches.length} task ids` : 'matches no task';
  throw new RlvrError(`the task id \`${id}\` ${why} in ${workspace}`, 'task_not_found', `list the tasks with \`rlvr tasks --workspace ${workspace}\``);
}

function readCandidate(path: string): string {
  try {
    return readFileSync(path === '-' ? 0 : path, 'utf8');
  } catch (error) {
    throw new RlvrError(`cannot read the candidate ${path}: ${(error as Error).message}`, 'bad_input', 'pass a file holding one def, or - to read stdin');
  }
}

async function verifyOne(args: VerifyArgs, pools: LanguagePools, tasks: Task[], io: CommandIO): Promise<number> {
  const task = findTask(tasks, args.task ?? '', args.workspace);
  const candidate = readCandidate(args.candidate ?? '-');
  const result: VerificationResult = await verifyCandidate(await pools.forTask(task), task, candidate, { workspace: args.workspace, signal: io.signal });
  io.stdout(args.json ? `${JSON.stringify(result, null, 2)}\n` : formatVerification(task, result));
  return result.passed ? 0 : 1;
}

async function groundTruth(args: VerifyArgs, pools: LanguagePools, tasks: Task[], io: CommandIO): Promise<number> {
  if (!args.json) io.stderr(`checking ${tasks.length} task(s): original code and a raising stub each…\n`);
  const { reports } = await groundTruthCheck(tasks, pools.forTask, { workspace: args.workspace, signal: io.signal });
  io.stdout(args.json ? `${JSON.stringify(reports, null, 2)}\n` : formatGroundTruth(reports));
  return reports.every((r) => r.ok) ? 0 : 1;
}

export const verifyCommand: Command = {
  name: 'verify',
  summary: 'score a candidate against a task\'s tests in the sandbox, or check every task (--ground-truth)',
  usage,
  async run(argv, io) {
    const args = parse(argv);
    if (args.unsafeNoSandbox) io.stderr(`${UNSAFE_WARNING}\n`);
    const mined = await mineTasks({ workspace: args.workspace, python: args.python, unsafeNoSandbox: args.unsafeNoSandbox });
    const pools = new LanguagePools({ workspace: args.workspace, python: args.python, size: args.jobs, unsafeNoSandbox: args.unsafeNoSandbox });
    try {
      return args.groundTruth ? await groundTruth(args, pools, mined.tasks, io) : await verifyOne(args, pools, mined.tasks, io);
    } finally {
      await pools.close();
    }
  },
};
