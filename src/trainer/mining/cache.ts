/**
 * The mining cache, `<workspace>/.rlvr/cache/mining.json`.
 *
 * Rule: the cache holds, per language miner, the raw mined report and the miner's fingerprint
 * (interpreter, verifier code, sandbox mode), plus the content hash of every workspace file
 * (see file-hashes.ts for what is skipped). On `rlvr tasks`:
 * - every file hash and every fingerprint equal → the stored reports are used and nothing runs;
 * - anything differs → the workspace is mined again in full. The test→function call map can
 *   change with any edit (a changed constant in one module changes what a test of another calls
 *   and whether it passes), so a partial re-run could not be trusted.
 * Tasks are always rebuilt from the report (cheap), so `.rlvr/tasks.jsonl` edits apply at once.
 * This is the only file RLVR Studio writes in a workspace, besides `.rlvr/.gitignore`.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TaskLanguage } from '../tasks/task';
import { changedFiles, type FileHashes } from './file-hashes';
import { checkMinedWorkspace, type MinedWorkspace } from './mined';

export const CACHE_FORMAT = 1;
export const CACHE_RELATIVE_PATH = '.rlvr/cache/mining.json';

export interface MinerCacheEntry {
  fingerprint: string;
  language: TaskLanguage;
  mined: MinedWorkspace;
}

export interface MiningCache {
  format: typeof CACHE_FORMAT;
  files: FileHashes;
  /** Miner id → its last report. */
  miners: Record<string, MinerCacheEntry>;
}

export type CacheDecision =
  | { hit: true; mined: Record<string, MinedWorkspace> }
  | { hit: false; reason: string; changedFiles: string[] };

/** Whether `cache` can answer for a workspace with these files and these miners' fingerprints. */
export function decideCache(cache: MiningCache | null, files: FileHashes, fingerprints: Record<string, string>): CacheDecision {
  if (!cache) return { hit: false, reason: 'no cache yet', changedFiles: [] };
  const changed = changedFiles(cache.files, files);
  if (changed.length > 0) return { hit: false, reason: `${changed.length} file(s) changed`, changedFiles: changed };
  const wanted = Object.keys(fingerprints).sort();
  const stored = Object.keys(cache.miners).sort();
  if (wanted.join('\0') !== stored.join('\0')) {
    return { hit: false, reason: 'the set of languages in the workspace changed', changedFiles: [] };
  }
  const stale = wanted.find((id) => cache.miners[id]?.fingerprint !== fingerprints[id]);
  if (stale !== undefined) return { hit: false, reason: `the ${stale} setup (interpreter or verifier) changed`, changedFiles: [] };
  const mined: Record<string, MinedWorkspace> = {};
  for (const id of wanted) mined[id] = (cache.miners[id] as MinerCacheEntry).mined;
  return { hit: true, mined };
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Checks a parsed cache file; anything unexpected (old format, hand edits) means no cache. */
export function readMiningCache(value: unknown): MiningCache | null {
  if (!isRecord(value) || value.format !== CACHE_FORMAT || !isRecord(value.files) || !isRecord(value.miners)) return null;
  const files: FileHashes = {};
  for (const [path, hash] of Object.entries(value.files)) {
    if (typeof hash !== 'string') return null;
    files[path] = hash;
  }
  const miners: Record<string, MinerCacheEntry> = {};
  for (const [id, entry] of Object.entries(value.miners)) {
    if (!isRecord(entry) || typeof entry.fingerprint !== 'string') return null;
    if (entry.language !== 'python' && entry.language !== 'javascript' && entry.language !== 'typescript') return null;
    const mined = checkMinedWorkspace(entry.mined, entry.language);
    if (typeof mined === 'string') return null;
    miners[id] = { fingerprint: entry.fingerprint, language: entry.language, mined };
  }
  return { format: CACHE_FORMAT, files, miners };
}

export function loadMiningCache(workspace: string): MiningCache | null {
  try {
    return readMiningCache(JSON.parse(readFileSync(join(workspace, CACHE_RELATIVE_PATH), 'utf8')));
  } catch {
    return null; // missing or unreadable: mine again
  }
}

/**
 * Creates `<workspace>/.rlvr/` with a `.gitignore` that ignores everything RLVR Studio writes but
 * keeps the user's own `tasks.jsonl` trackable. An existing `.gitignore` is left alone.
 */
export function ensureStateDir(workspace: string): string {
  const dir = join(workspace, '.rlvr');
  mkdirSync(dir, { recursive: true });
  const gitignore = join(dir, '.gitignore');
  if (!existsSync(gitignore)) writeFileSync(gitignore, '# Written by RLVR Studio: its state is not versioned.\n*\n!.gitignore\n!tasks.jsonl\n');
  return dir;
}

/** Writes the cache atomically (temp file + rename), so a crash never leaves half a file. */
export function saveMiningCache(workspace: string, cache: MiningCache): void {
  const dir = join(ensureStateDir(workspace), 'cache');
  mkdirSync(dir, { recursive: true });
  const target = join(workspace, CACHE_RELATIVE_PATH);
  const temp = `${target}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify(cache)}\n`);
  renameSync(temp, target);
}
