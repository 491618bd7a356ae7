/** Host directories an interpreter needs inside the sandbox (bound read-only at their own path). */
import { realpathSync } from 'node:fs';
import { dirname } from 'node:path';
import type { InterpreterInfo } from './describe';

export function interpreterReadOnlyPaths(info: InterpreterInfo): string[] {
  const paths = [info.prefix, info.basePrefix, ...info.pathEntries];
  try {
    // A venv's bin/python is a symlink to the base interpreter, which may live outside both prefixes.
    paths.push(dirname(realpathSync(info.executable)));
  } catch {
    // describeInterpreter just ran it, so this only fails if it vanished since
  }
  return [...new Set(paths)];
}
