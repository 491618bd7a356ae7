/**
 * Reads workspace files for prompt rendering (the visible tests' sources). Paths come from mined
 * test ids, which a workspace's test run produced, so they are confined: nothing outside the
 * workspace (after resolving links) and nothing large is read.
 */
import { readFileSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import type { ReadWorkspaceFile } from '../tasks/prompt';

const MAX_FILE_BYTES = 1024 * 1024;

export function workspaceFileReader(workspace: string): ReadWorkspaceFile {
  const root = realpathSync(workspace);
  const cache = new Map<string, string | null>();
  const read = (file: string): string | null => {
    try {
      const real = realpathSync(resolve(root, file));
      const rel = relative(root, real);
      if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return null;
      if (!statSync(real).isFile() || statSync(real).size > MAX_FILE_BYTES) return null;
      return readFileSync(real, 'utf8');
    } catch {
      return null;
    }
  };
  return (file) => {
    if (!cache.has(file)) cache.set(file, read(file));
    return cache.get(file) ?? null;
  };
}
