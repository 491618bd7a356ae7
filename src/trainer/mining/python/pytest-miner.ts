/**
 * The Python/pytest miner: runs `python -m rlvr_verify mine` once inside the sandbox (workspace and
 * interpreter read-only, no network, rlimits) and checks the JSON report it prints.
 */
import { readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { RlvrError } from '../../errors';
import { verifierPythonDir } from '../../paths';
import { describeInterpreter, requirePytest, resolveTestInterpreter, type InterpreterInfo } from '../../python-env';
import { requireSandboxSupport, runSandboxed, type SandboxLimits, type SandboxSpec } from '../../sandbox';
import { sha256 } from '../file-hashes';
import { parseMineOutput, type MinedWorkspace } from '../mined';
import type { LanguageMiner, MineOptions } from '../miner';
import { detectPytest } from './detect';

/** Bumped when what this miner reports changes meaning (invalidates every cache). */
const MINER_FORMAT = 1;

/**
 * The whole test suite runs once under these limits. Address space is generous because imports such
 * as numpy or torch reserve a lot of it; CPU and wall time bound a hanging or looping test.
 */
export const MINING_LIMITS: SandboxLimits = {
  memoryBytes: 8 * 1024 ** 3,
  cpuSeconds: 600,
  nproc: 256,
  fsizeBytes: 256 * 1024 ** 2,
  nofile: 1024,
};
export const MINING_WALL_TIMEOUT_MS = 10 * 60 * 1000;

/** Hash of the in-sandbox Python code: a new rlvr_verify can map tests differently. */
function verifierSourceHash(): string {
  const root = join(verifierPythonDir(), 'rlvr_verify');
  const files = readdirSync(root).filter((f) => f.endsWith('.py')).sort();
  return sha256(files.map((f) => `${f}\0${sha256(readFileSync(join(root, f)))}`).join('\n'));
}

/** Read-only paths the interpreter needs inside the sandbox (the sandbox dedupes nested ones). */
export function interpreterPaths(info: InterpreterInfo): string[] {
  return [info.prefix, info.basePrefix, dirname(info.executable), ...info.pathEntries];
}

export function mineCommandSpec(workspace: string, info: InterpreterInfo, unsafeNoSandbox: boolean): SandboxSpec {
  const verifier = verifierPythonDir();
  return {
    workspace,
    // Bound at its own path, so the same PYTHONPATH works with and without the sandbox.
    readOnlyPaths: [...interpreterPaths(info), verifier],
    command: [info.executable, '-m', 'rlvr_verify', 'mine'],
    cwd: workspace,
    env: { PYTHONPATH: verifier },
    limits: MINING_LIMITS,
    wallTimeoutMs: MINING_WALL_TIMEOUT_MS,
    unsafeNoSandbox,
  };
}

const tail = (text: string, n = 1500): string => (text.length > n ? `…${text.slice(-n)}` : text).trim();

async function mine(workspace: string, options: MineOptions): Promise<MinedWorkspace> {
  const interpreter = resolveTestInterpreter({ explicit: options.python, workspace });
  const info = await describeInterpreter(interpreter.path);
  requirePytest(info);
  const unsafe = options.unsafeNoSandbox === true;
  if (!unsafe) await requireSandboxSupport();
  const result = await runSandboxed(mineCommandSpec(workspace, info, unsafe));
  const what = `\`python -m rlvr_verify mine\` in ${workspace}`;
  if (result.timedOut) {
    throw new RlvrError(`${what} ran longer than ${MINING_WALL_TIMEOUT_MS / 1000} s and was stopped`, 'mining_timeout',
      'find the slow or hanging test (run pytest --durations=10) and speed it up or deselect it');
  }
  if (result.code !== 0) {
    const how = result.signal ? `was killed by ${result.signal}` : `exited with code ${result.code}`;
    throw new RlvrError(`${what} ${how}: ${tail(result.stderr) || '(no output)'}`, 'mining_failed',
      'run the tests with pytest in that folder to see whether they start; a signal can mean a resource limit was hit');
  }
  return parseMineOutput(result.stdout, 'python', what);
}

async function fingerprint(workspace: string, options: MineOptions): Promise<string> {
  const interpreter = resolveTestInterpreter({ explicit: options.python, workspace });
  const real = realpathSync(interpreter.path);
  const stat = statSync(real);
  return sha256(JSON.stringify({
    format: MINER_FORMAT,
    interpreter: interpreter.path,
    real,
    binary: [stat.size, stat.mtimeMs],
    verifier: verifierSourceHash(),
    unsafe: options.unsafeNoSandbox === true,
  }));
}

export const pytestMiner: LanguageMiner = {
  id: 'python-pytest',
  language: 'python',
  frameworks: 'pytest',
  detect: async (workspace) => detectPytest(workspace),
  fingerprint,
  mine,
};
