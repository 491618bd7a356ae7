/**
 * Content hashes of a workspace's files, the basis of the mining cache. Skipped: our own state
 * (`.rlvr/`), version control, dependency and virtual-environment folders, and caches that tools
 * rewrite on their own (hashing them would invalidate the cache for nothing).
 */
import { createHash } from 'node:crypto';
import { lstatSync, readFileSync, readdirSync, readlinkSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const SKIPPED_DIRS: ReadonlySet<string> = new Set([
  '.rlvr', '.git', '.hg', '.svn', 'node_modules', '.venv', '__pycache__',
  '.pytest_cache', '.mypy_cache', '.ruff_cache', '.tox', '.nox',
]);

/** Workspace-relative posix path → sha256 hex of the content (of the target path, for a symlink). */
export type FileHashes = Record<string, string>;

export function hashWorkspaceFiles(workspace: string): FileHashes {
  const hashes: FileHashes = {};
  const walk = (dir: string, prefix: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
      const abs = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name)) walk(abs, rel);
      } else if (entry.isSymbolicLink()) {
        hashes[rel] = hashLink(abs);
      } else if (entry.isFile() && !entry.name.endsWith('.pyc')) {
        hashes[rel] = sha256(readFileSync(abs));
      }
    }
  };
  if (lstatSync(workspace).isDirectory()) walk(workspace, '');
  return hashes;
}

/** A link to a file counts with its target's content; other links (folders, dangling) by their target path only, so walks never loop. */
function hashLink(abs: string): string {
  const target = readlinkSync(abs);
  try {
    if (statSync(abs).isFile()) return sha256(Buffer.concat([Buffer.from(`symlink:${target}\0`), readFileSync(abs)]));
  } catch {
    // Dangling link: its target path is all there is.
  }
  return sha256(`symlink:${target}`);
}

export const sha256 = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');

/** Paths added, removed or changed between two hash sets, sorted. */
export function changedFiles(before: FileHashes, after: FileHashes): string[] {
  const paths = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...paths].filter((p) => before[p] !== after[p]).sort();
}
