/**
 * `mineTasks`: detect the workspace's test frameworks, mine them (or answer from the cache), and
 * build the task list, custom tasks from `.rlvr/tasks.jsonl` included.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { RlvrError } from '../errors';
import type { Task } from '../tasks/task';
import { buildMinedTasks, type DroppedTests, type SkippedFunction } from './build-tasks';
import { CACHE_FORMAT, decideCache, loadMiningCache, saveMiningCache, type MiningCache } from './cache';
import { buildCustomTasks, CUSTOM_TASKS_FILE, mergeTasks, parseCustomTasks } from './custom-tasks';
import { hashWorkspaceFiles } from './file-hashes';
import type { MinedTest, MinedWorkspace } from './mined';
import type { LanguageMiner, MineOptions } from './miner';
import { defaultMiners } from './miners';

export interface MineTasksOptions extends MineOptions {
  workspace: string;
  /** false: mine even when the cache is current (the fresh report is still stored). Default true. */
  useCache?: boolean;
  /** Injectable for tests; default `defaultMiners()`. */
  miners?: readonly LanguageMiner[];
}

export interface MineTasksResult {
  workspace: string;
  tasks: Task[];
  tests: MinedTest[];
  /** Workspace functions that are not tasks, with the reason. */
  skipped: SkippedFunction[];
  /** Mapped tests left out of a task because they do not pass at baseline. */
  dropped: DroppedTests[];
  collectErrors: string[];
  warnings: string[];
  fromCache: boolean;
  /** Files that changed since the cached report (empty on a hit or without a cache). */
  changedFiles: string[];
}

export const NEEDS_TESTS = 'RLVR Studio needs pytest or node:test tests that exercise your functions (vitest and jest are detected but not supported yet)';

function noTests(workspace: string, why: string): RlvrError {
  return new RlvrError(`no tests found in ${workspace}: ${why}; ${NEEDS_TESTS}`, 'no_tests',
    'add tests (e.g. tests/test_<module>.py with pytest test functions) and run `rlvr tasks` again');
}

function checkWorkspace(workspace: string): void {
  if (!existsSync(workspace) || !statSync(workspace).isDirectory()) {
    throw new RlvrError(`the workspace ${workspace} is not a folder`, 'bad_input', 'pass an existing folder with --workspace');
  }
}

export function mergeMined(reports: readonly MinedWorkspace[]): MinedWorkspace {
  return {
    tests: reports.flatMap((r) => r.tests),
    functions: reports.flatMap((r) => r.functions),
    calls: Object.assign({}, ...reports.map((r) => r.calls)) as Record<string, string[]>,
    collectErrors: reports.flatMap((r) => r.collectErrors),
  };
}

async function runMiners(workspace: string, miners: readonly LanguageMiner[], options: MineOptions): Promise<Record<string, MinedWorkspace>> {
  const mined: Record<string, MinedWorkspace> = {};
  for (const miner of miners) {
    // One at a time: each runs a whole test suite, and the machines we target have few cores.
    mined[miner.id] = await miner.mine(workspace, options);
  }
  return mined;
}

function readCustomSpecs(workspace: string): ReturnType<typeof parseCustomTasks> {
  const path = join(workspace, CUSTOM_TASKS_FILE);
  return existsSync(path) ? parseCustomTasks(readFileSync(path, 'utf8')) : [];
}

export async function mineTasks(options: MineTasksOptions): Promise<MineTasksResult> {
  const workspace = resolve(options.workspace);
  checkWorkspace(workspace);
  const all = options.miners ?? defaultMiners();
  const detected = (await Promise.all(all.map(async (m) => ((await m.detect(workspace)) ? m : null)))).filter((m) => m !== null);
  if (detected.length === 0) throw noTests(workspace, `no ${all.map((m) => m.frameworks).join(' or ')} tests were detected`);
  // Parse custom tasks first: a typo there should fail before a long mining run.
  const customSpecs = readCustomSpecs(workspace);
  const files = hashWorkspaceFiles(workspace);
  const fingerprints: Record<string, string> = {};
  for (const miner of detected) fingerprints[miner.id] = await miner.fingerprint(workspace, options);
  const decision = options.useCache === false
    ? { hit: false as const, reason: 'cache disabled', changedFiles: [] }
    : decideCache(loadMiningCache(workspace), files, fingerprints);
  const reports = decision.hit ? decision.mined : await runMiners(workspace, detected, options);
  const mined = mergeMined(detected.map((m) => reports[m.id] as MinedWorkspace));
  if (mined.tests.length === 0) {
    const why = mined.collectErrors.length > 0 ? `collection failed: ${mined.collectErrors[0]}` : 'the test run collected none';
    throw noTests(workspace, why);
  }
  if (!decision.hit) saveMiningCache(workspace, cacheOf(files, fingerprints, detected, reports));
  const built = buildMinedTasks(mined);
  const custom = buildCustomTasks(customSpecs, mined);
  return {
    workspace,
    tasks: mergeTasks(built.tasks, custom.tasks),
    tests: mined.tests,
    skipped: built.skipped,
    dropped: built.dropped,
    collectErrors: mined.collectErrors,
    warnings: custom.warnings,
    fromCache: decision.hit,
    changedFiles: decision.hit ? [] : decision.changedFiles,
  };
}

function cacheOf(files: MiningCache['files'], fingerprints: Record<string, string>, miners: readonly LanguageMiner[],
  reports: Record<string, MinedWorkspace>): MiningCache {
  const entries: MiningCache['miners'] = {};
  for (const m of miners) entries[m.id] = { fingerprint: fingerprints[m.id] ?? '', language: m.language, mined: reports[m.id] as MinedWorkspace };
  return { format: CACHE_FORMAT, files, miners: entries };
}
