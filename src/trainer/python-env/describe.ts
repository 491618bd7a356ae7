/**
 * Runs an interpreter once to learn what it really is. `python3` may be a launcher (a pyenv shim is
 * a shell script that execs the real binary) that cannot work inside the sandbox, so the sandbox
 * uses `executable` and binds `prefix`, `basePrefix` and the other `sys.path` roots read-only.
 */
import { execFile } from 'node:child_process';
import { RlvrError } from '../errors';

export interface InterpreterInfo {
  /** `sys.executable`: the real binary (a venv's `bin/python` stays the venv's, so the venv applies). */
  executable: string;
  /** e.g. "3.11.7" */
  version: string;
  prefix: string;
  basePrefix: string;
  /** Existing absolute `sys.path` directories (site-packages, .pth additions), for read-only binds. */
  pathEntries: string[];
  /** pytest's version, or null when `import pytest` failed (`pytestError` says why). */
  pytestVersion: string | null;
  pytestError: string | null;
}

// Kept on one line per statement so it survives `-c` quoting unchanged; prints one JSON object.
const PROBE = [
  'import json, os, sys',
  'v = None; err = None',
  'try:\n import pytest; v = pytest.__version__\nexcept Exception as e:\n err = type(e).__name__ + ": " + str(e)',
  'paths = [p for p in sys.path if os.path.isabs(p) and os.path.isdir(p)]',
  'print(json.dumps({"executable": sys.executable, "version": "%d.%d.%d" % sys.version_info[:3], "prefix": sys.prefix, "basePrefix": sys.base_prefix, "pathEntries": paths, "pytestVersion": v, "pytestError": err}))',
].join('\n');

const PROBE_TIMEOUT_MS = 30_000;

export async function describeInterpreter(path: string): Promise<InterpreterInfo> {
  const stdout = await runProbe(path);
  const info = parseProbe(stdout);
  if (!info) {
    throw new RlvrError(
      `the Python interpreter ${path} printed something unexpected when asked for sys.executable: ${stdout.slice(0, 200)}`,
      'interpreter_failed',
      'check that it is a CPython 3 interpreter (pass another with --python)',
    );
  }
  return info;
}

/** Throws an actionable error when the interpreter cannot import pytest. */
export function requirePytest(info: InterpreterInfo): asserts info is InterpreterInfo & { pytestVersion: string } {
  if (info.pytestVersion !== null) return;
  throw new RlvrError(
    `pytest cannot be imported by ${info.executable} (${info.pytestError ?? 'unknown error'})`,
    'pytest_missing',
    `install it: ${info.executable} -m pip install pytest`,
  );
}

function runProbe(path: string): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    execFile(path, ['-I', '-c', PROBE], { timeout: PROBE_TIMEOUT_MS, encoding: 'utf8' }, (error, stdout, stderr) => {
      if (!error) return resolvePromise(stdout);
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'EACCES') {
        reject(new RlvrError(`the Python interpreter ${path} could not be started (${code})`, 'interpreter_not_found',
          'pass an existing interpreter with --python'));
        return;
      }
      reject(new RlvrError(`the Python interpreter ${path} failed: ${(stderr || error.message).trim().slice(0, 400)}`,
        'interpreter_failed', 'run it by hand to see the problem, or pass another with --python'));
    });
  });
}

export function parseProbe(stdout: string): InterpreterInfo | null {
  let value: unknown;
  try {
    value = JSON.parse(stdout.trim().split('\n').pop() ?? '');
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
  const str = (k: string): string | null => (typeof v[k] === 'string' ? (v[k] as string) : null);
  const executable = str('executable'), version = str('version'), prefix = str('prefix'), basePrefix = str('basePrefix');
  const pathEntries = Array.isArray(v.pathEntries) ? v.pathEntries.filter((p): p is string => typeof p === 'string') : null;
  if (!executable || !version || !prefix || !basePrefix || !pathEntries) return null;
  return { executable, version, prefix, basePrefix, pathEntries, pytestVersion: str('pytestVersion'), pytestError: str('pytestError') };
}
