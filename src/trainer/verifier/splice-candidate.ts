/**
 * The verifier's splice, on its own: the task's file with the candidate in place of the function,
 * computed by the same code that builds the module the tests import (Python: `rlvr_verify check`,
 * JS/TS: `checkAndSplice`), and nothing run. For showing a model's answer as a change to the file.
 * The source is passed in (the editor's current text, saved or not); the Python check parses
 * untrusted candidate text, so it runs in the sandbox, over a scratch copy of just that file.
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { RlvrError } from '../errors';
import { verifierPythonDir } from '../paths';
import { describeInterpreter, interpreterReadOnlyPaths, resolveTestInterpreter } from '../python-env';
import { requireSandboxSupport, runSandboxed, type SandboxLimits } from '../sandbox';
import type { Task } from '../tasks/task';
import { checkAndSplice } from './js/splice';
import type { Flag } from './protocol';

/** `rlvr splice --json` prints exactly this (docs/cli.md). */
export interface SpliceResult {
  task: string;
  /** Workspace-relative path of the task's file. */
  file: string;
  /** The whole file with the candidate spliced in; null when the candidate could not be spliced. */
  spliced: string | null;
  /** Why it could not be spliced, or the static checks' findings (which verification would flag too). */
  flags: Flag[];
}

export interface SpliceOptions {
  /** The current text of the task's file. */
  source: string;
  python?: string;
  workspace: string;
  unsafeNoSandbox?: boolean;
}

/** Parsing a function is quick; the limits only stop a pathological candidate. */
const CHECK_LIMITS: SandboxLimits = { memoryBytes: 1024 ** 3, cpuSeconds: 30, nproc: 16, fsizeBytes: 64 * 1024 ** 2, nofile: 256 };
const CHECK_WALL_MS = 60_000;

export async function spliceCandidate(task: Task, candidate: string, options: SpliceOptions): Promise<SpliceResult> {
  if (task.language !== 'python') {
    const checked = checkAndSplice(task.file, options.source, task.symbol, candidate);
    return { task: task.id, file: task.file, spliced: checked.spliced, flags: checked.flags.map((f) => ({ code: f.code, message: f.message })) };
  }
  return splicePython(task, candidate, options);
}

interface CheckOutput {
  spliced: string | null;
  flags: Flag[];
  error?: string;
}

function parseCheckOutput(stdout: string): CheckOutput | null {
  try {
    const value = JSON.parse(stdout.trim().split('\n').pop() ?? '') as Record<string, unknown>;
    const flags = Array.isArray(value.flags) ? value.flags : null;
    if ((value.spliced !== null && typeof value.spliced !== 'string') || flags === null) return null;
    const clean = flags.flatMap((f: unknown) => {
      const o = f as Record<string, unknown>;
      return typeof o?.code === 'string' && typeof o.message === 'string' ? [{ code: o.code, message: o.message }] : [];
    });
    return { spliced: value.spliced as string | null, flags: clean, ...(typeof value.error === 'string' ? { error: value.error } : {}) };
  } catch {
    return null;
  }
}

async function splicePython(task: Task, candidate: string, options: SpliceOptions): Promise<SpliceResult> {
  const interpreter = await describeInterpreter(resolveTestInterpreter({ explicit: options.python, workspace: options.workspace }).path);
  const unsafe = options.unsafeNoSandbox === true;
  if (!unsafe) await requireSandboxSupport();
  // A scratch root holding only the target file: the check sees nothing else of the workspace.
  const scratch = mkdtempSync(join(tmpdir(), 'rlvr-splice-'));
  try {
    // The sandbox may run as another uid (root drops privileges): the scratch files must be readable.
    chmodSync(scratch, 0o755);
    const target = join(scratch, task.file);
    mkdirSync(dirname(target), { recursive: true, mode: 0o755 });
    writeFileSync(target, options.source, { mode: 0o644 });
    const candidateFile = join(scratch, '.rlvr-candidate.py');
    writeFileSync(candidateFile, candidate, { mode: 0o644 });
    const verifier = verifierPythonDir();
    const result = await runSandboxed({
      workspace: scratch,
      readOnlyPaths: [...interpreterReadOnlyPaths(interpreter), verifier],
      command: [interpreter.executable, '-m', 'rlvr_verify', 'check', '--file', task.file, '--symbol', task.symbol, '--candidate-file', candidateFile],
      cwd: scratch,
      env: { PYTHONPATH: verifier },
      limits: CHECK_LIMITS,
      wallTimeoutMs: CHECK_WALL_MS,
      unsafeNoSandbox: unsafe,
    });
    const output = parseCheckOutput(result.stdout);
    if (output === null || (result.code !== 0 && output.error === undefined)) {
      const how = result.timedOut ? 'ran out of time' : `exited with code ${result.code}${result.signal ? ` (${result.signal})` : ''}`;
      throw new RlvrError(`\`rlvr_verify check\` for ${task.file}:${task.symbol} ${how}: ${result.stderr.trim().slice(-600) || '(no output)'}`,
        'splice_failed', 'check that the interpreter runs (`rlvr verify` uses the same one) and that the candidate is a single function');
    }
    if (output.error !== undefined) {
      throw new RlvrError(`cannot splice into ${task.file}: ${output.error}`, 'task_stale',
        `the function \`${task.symbol}\` may have been renamed or the file no longer parses; fix the file or mine the tasks again`);
    }
    return { task: task.id, file: task.file, spliced: output.spliced, flags: output.flags };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
