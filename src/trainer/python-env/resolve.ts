/**
 * Which Python runs the workspace's tests. Order: an explicit choice (flag or setting) → the
 * workspace's own `.venv` → RLVR Studio's venv (`$RLVR_STUDIO_VENV`, then `<root>/.venv`; see
 * studio-venv.ts) → `python3` on PATH. An explicit choice that does not exist is an error, never a
 * silent fall-through: the user asked for that interpreter.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import { RlvrError } from '../errors';
import { studioVenvDirs } from './studio-venv';

export type InterpreterSource = 'explicit' | 'workspace-venv' | 'studio-venv' | 'path';

export interface ResolvedInterpreter {
  /** What to exec. May still be a launcher (pyenv shim); `describeInterpreter` finds the real one. */
  path: string;
  source: InterpreterSource;
}

export interface ResolveOptions {
  /** `--python` flag or the `rlvrStudio.pythonPath` setting; empty string counts as unset. */
  explicit?: string | undefined;
  workspace: string;
  /** Injectable for tests. */
  studioDir?: string;
  /** Read for RLVR_STUDIO_VENV (default: process.env). */
  env?: NodeJS.ProcessEnv;
  pathEnv?: string;
  isExecutable?: (path: string) => boolean;
}

export function resolveTestInterpreter(options: ResolveOptions): ResolvedInterpreter {
  const isExecutable = options.isExecutable ?? isExecutableFile;
  const pathEnv = options.pathEnv ?? process.env.PATH ?? '';
  const explicit = options.explicit?.trim();
  if (explicit) {
    const found = lookUp(explicit, pathEnv, isExecutable);
    if (found) return { path: found, source: 'explicit' };
    throw new RlvrError(
      `the Python interpreter \`${explicit}\` was not found or is not executable`,
      'interpreter_not_found',
      'pass an existing interpreter with --python (or the rlvrStudio.pythonPath setting), or leave it empty to use the workspace .venv',
    );
  }
  const studioVenvs = studioVenvDirs({ env: options.env, studioDir: options.studioDir });
  const candidates: [string, InterpreterSource][] = [
    [venvPython(resolve(options.workspace)), 'workspace-venv'],
    ...studioVenvs.map((dir): [string, InterpreterSource] => [join(dir, 'bin', 'python'), 'studio-venv']),
  ];
  for (const [path, source] of candidates) if (isExecutable(path)) return { path, source };
  const onPath = lookUp('python3', pathEnv, isExecutable);
  if (onPath) return { path: onPath, source: 'path' };
  throw new RlvrError(
    `no Python interpreter found for the workspace ${options.workspace} (tried ${candidates.map(([p]) => p).join(', ')} and python3 on PATH)`,
    'interpreter_not_found',
    'create one with `python3 -m venv .venv && .venv/bin/pip install pytest` in the workspace, or pass --python',
  );
}

const venvPython = (root: string): string => join(root, '.venv', 'bin', 'python');

/** An absolute or relative path is taken as is; a bare name is searched on PATH like a shell would. */
function lookUp(name: string, pathEnv: string, isExecutable: (p: string) => boolean): string | undefined {
  if (name.includes('/')) {
    const path = isAbsolute(name) ? name : resolve(name);
    return isExecutable(path) ? path : undefined;
  }
  for (const dir of pathEnv.split(delimiter)) {
    if (!dir) continue;
    const path = join(dir, name);
    if (isExecutable(path)) return path;
  }
  return undefined;
}

function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
