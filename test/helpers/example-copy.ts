/**
 * Copies of the bundled example workspaces for tests that mine, verify or train on them. The
 * examples stay pristine; a developer's local state in them (git-ignored `.rlvr` caches and
 * stores, a venv, Python caches) is left behind, so every test starts from what a fresh clone has.
 */
import { chmodSync, cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { studioRoot } from '../../src/trainer/paths';

export type Example = 'python-basics' | 'ts-basics';

/** Folder names that are local state, never part of an example as committed. */
const LOCAL_STATE = new Set(['.rlvr', '.venv', '__pycache__', '.pytest_cache', 'node_modules']);

export const examplePath = (example: Example): string => join(studioRoot(), 'examples', example);

/** True for a path (relative to the example, `/`-separated) that `copyExample` copies. */
export const isCommittedPath = (relative: string): boolean => !relative.split('/').some((part) => LOCAL_STATE.has(part));

/** Copies `example` to `dest` (created) and returns `dest`. */
export function copyExample(example: Example, dest: string): string {
  cpSync(examplePath(example), dest, { recursive: true, filter: (src) => !LOCAL_STATE.has(basename(src)) });
  return dest;
}

/**
 * Copies `example` into a fresh temporary folder (named after `prefix`) and returns it. The folder
 * is made world-readable: the sandbox drops root to another uid, and mkdtemp folders are 0700.
 */
export function copyExampleToTemp(example: Example, prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  copyExample(example, dir);
  chmodSync(dir, 0o755);
  return dir;
}
