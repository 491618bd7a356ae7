/**
 * The node:test miner for JavaScript/TypeScript workspaces. Each test file runs once, alone, in a
 * fresh sandboxed node with the coverage hook (per-test V8 function coverage mapped through source
 * maps); the hits are matched to the top-level functions the TypeScript parser finds in the
 * workspace's source files. Vitest and Jest are detected and refused with an actionable error.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { RlvrError } from '../../errors';
import { requireSandboxSupport, runSandboxed, type SandboxLimits } from '../../sandbox';
import { newNonce, parseChannel } from '../../verifier/js/channel';
import { jsRuntimeDir, nodeTestSpec, resolveNodeRuntime, workspaceRelative, type NodeRuntime } from '../../verifier/js/node-run';
import type { MinedFunction, MinedTest, MinedWorkspace } from '../mined';
import type { LanguageMiner, MineOptions } from '../miner';
import { mapFileRun, type HitResolver } from './call-map';
import { isSourceFile, languageOf, listFunctions, type JsFunction } from './functions';
import { detectJsTests, readPackageJson, unsupportedFramework, type NodeTestSetup } from './package-json';
import { listFiles, resolveTestFiles } from './test-files';

/** Bumped when what this miner reports changes meaning (invalidates every cache). */
const MINER_FORMAT = 1;
/** Per test file: the run is one node process with the inspector attached. */
export const JS_MINING_LIMITS: SandboxLimits = { memoryBytes: 8 * 1024 ** 3, cpuSeconds: 300, nproc: 256, fsizeBytes: 256 * 1024 ** 2, nofile: 1024 };
export const JS_MINING_FILE_TIMEOUT_MS = 5 * 60 * 1000;
/** Test files mined at the same time (each is one process; the machines we target have few cores). */
const PARALLEL_FILES = 2;
/** Folders of generated code: their functions are not the user's to rewrite. */
const GENERATED_DIRS = /(^|\/)(dist|build|out|coverage|\.next|\.turbo)\//;
const MAX_SOURCE_BYTES = 512 * 1024;

const tail = (text: string, n = 800): string => (text.length > n ? `…${text.slice(-n)}` : text).trim();

function nodeTestSetupOf(workspace: string): NodeTestSetup {
  const setup = detectJsTests(readPackageJson(workspace));
  if (setup === null) throw new RlvrError(`${workspace}/package.json declares no test framework`, 'no_tests', 'add a "test" script that runs `node --test`');
  if (setup.framework !== 'node-test') throw unsupportedFramework(setup, workspace);
  return setup;
}

/** Workspace source files whose functions can become tasks: JS/TS, not tests, not generated, not configs. */
export function sourceFilesOf(workspace: string, testFiles: ReadonlySet<string>): string[] {
  return listFiles(workspace).filter((file) => isSourceFile(file) && !testFiles.has(file) && !GENERATED_DIRS.test(file)
    && !/\.config\.[cm]?[jt]s$/.test(file) && statSync(join(workspace, file)).size <= MAX_SOURCE_BYTES);
}

function indexFunctions(workspace: string, files: readonly string[]): Map<string, JsFunction[]> {
  const byFile = new Map<string, JsFunction[]>();
  for (const file of files) byFile.set(file, listFunctions(file, readFileSync(join(workspace, file), 'utf8')));
  return byFile;
}

function resolverFor(workspace: string, functions: ReadonlyMap<string, JsFunction[]>): HitResolver {
  return {
    relative: workspaceRelative(workspace),
    functionsOf: (file) => functions.get(file) ?? [],
    textOf: (file) => {
      try {
        return readFileSync(join(workspace, file), 'utf8');
      } catch {
        return null;
      }
    },
  };
}

interface FileMining {
  tests: MinedTest[];
  calls: Record<string, string[]>;
  errors: string[];
}

async function mineTestFile(workspace: string, file: string, setup: NodeTestSetup, runtime: NodeRuntime,
  resolver: HitResolver, unsafe: boolean): Promise<FileMining> {
  const nonce = newNonce();
  const result = await runSandboxed(nodeTestSpec({
    workspace, setup, runtime, files: [join(workspace, file)], coverage: true, nonce,
    limits: JS_MINING_LIMITS, wallTimeoutMs: JS_MINING_FILE_TIMEOUT_MS, unsafeNoSandbox: unsafe,
  }));
  const report = parseChannel(result.stdout, nonce);
  const mapped = mapFileRun(report, resolver);
  const errors = report.loadErrors.map((e) => `${file}: ${e.message}`);
  if (result.timedOut) errors.push(`${file}: stopped after ${JS_MINING_FILE_TIMEOUT_MS / 1000} s (a hanging test?)`);
  else if (!report.done) {
    const how = result.signal ? `was killed by ${result.signal}` : `exited with code ${result.code}`;
    errors.push(`${file}: the test process ${how} before its tests finished: ${tail(result.stderr) || '(no output)'}`);
  }
  return { tests: mapped.tests, calls: mapped.calls, errors };
}

/** Runs `work` over `items` with at most `limit` at a time, keeping the input order in the output. */
async function mapLimited<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>, signal?: AbortSignal): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      if (signal?.aborted) throw new RlvrError('mining was interrupted', 'cancelled');
      const i = next++;
      out[i] = await work(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

const toMinedFunction = (fn: JsFunction): MinedFunction => ({
  language: languageOf(fn.file), file: fn.file, symbol: fn.symbol, signature: fn.signature, docstring: fn.docstring,
  startLine: fn.startLine, endLine: fn.endLine, context: fn.context, kind: 'function',
});

async function mine(workspace: string, options: MineOptions): Promise<MinedWorkspace> {
  const setup = nodeTestSetupOf(workspace);
  const runtime = await resolveNodeRuntime();
  const unsafe = options.unsafeNoSandbox === true;
  if (!unsafe) await requireSandboxSupport();
  const testFiles = resolveTestFiles(workspace, setup.patterns, setup.usesTsx);
  if (testFiles.length === 0) {
    return { tests: [], functions: [], calls: {}, collectErrors: [`no test files match \`${setup.script}\` (patterns: ${setup.patterns.join(' ') || 'node defaults'})`] };
  }
  const functions = indexFunctions(workspace, sourceFilesOf(workspace, new Set(testFiles)));
  const resolver = resolverFor(workspace, functions);
  const runs = await mapLimited(testFiles, PARALLEL_FILES, (file) => mineTestFile(workspace, file, setup, runtime, resolver, unsafe), options.signal);
  return {
    tests: runs.flatMap((r) => r.tests),
    functions: [...functions.values()].flat().map(toMinedFunction),
    calls: Object.assign({}, ...runs.map((r) => r.calls)) as Record<string, string[]>,
    collectErrors: runs.flatMap((r) => r.errors),
  };
}

function hashOf(parts: unknown): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}

/** Cheap, runs nothing: the node binary on PATH (path, size, mtime), our runtime files, the sandbox mode. */
async function fingerprint(_workspace: string, options: MineOptions): Promise<string> {
  const runtimeDir = jsRuntimeDir();
  const runtimeFiles = readdirSync(runtimeDir).sort().map((f) => [f, hashOf(readFileSync(join(runtimeDir, f), 'utf8'))]);
  const nodeOnPath = (process.env.PATH ?? '').split(':').map((d) => join(d, 'node')).find((p) => {
    try {
      return statSync(p).isFile();
    } catch {
      return false;
    }
  });
  const nodeStat = nodeOnPath ? statSync(nodeOnPath) : null;
  return hashOf({ format: MINER_FORMAT, node: nodeOnPath ?? null, binary: nodeStat ? [nodeStat.size, nodeStat.mtimeMs] : null,
    runtime: runtimeFiles, unsafe: options.unsafeNoSandbox === true });
}

/** Whether package.json declares JavaScript tests (node:test, or Vitest/Jest, which `mine` then refuses with a clear message). */
async function detect(workspace: string): Promise<boolean> {
  try {
    return detectJsTests(readPackageJson(workspace)) !== null;
  } catch (error) {
    if (error instanceof RlvrError) return true; // a broken package.json: `mine` reports it
    throw error;
  }
}

export const nodeTestMiner: LanguageMiner = {
  id: 'js-node-test',
  language: 'typescript',
  frameworks: 'node:test (JavaScript/TypeScript)',
  detect,
  fingerprint,
  mine,
};
