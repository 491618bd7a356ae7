/**
 * How a node:test run is started in the sandbox, for mining and for verification alike: which
 * `node`, which preloads (the workspace's `--import tsx`, resolved from the workspace's own
 * node_modules or else from RLVR Studio's), our runtime modules, limits and environment.
 *
 * One process runs all the given test files (`runtime/run-files.mjs`) instead of `node --test`'s
 * runner plus a process per file: about half the cost per candidate. Why the flags:
 * - `--disable-wasm-trap-handler`: tsx uses WebAssembly, whose trap handler reserves ~10 GiB of
 *   address space per memory; without it node runs under an RLIMIT_AS of 2–3 GiB.
 * - `--max-old-space-size`: a clean V8 out-of-memory instead of a kill by the address-space limit.
 * - `ESBUILD_WORKER_THREADS=0`: tsx's CommonJS hook calls esbuild's transformSync, which otherwise
 *   starts a worker thread; a second V8 isolate cannot reserve its code range under an address-space
 *   limit below ~16 GiB and aborts ("Failed to reserve virtual memory for CodeRange"). Without the
 *   worker, esbuild runs as a child process per transform (measured: works under 2 GiB).
 */
import { execFile } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { RlvrError } from '../../errors';
import { studioRoot } from '../../paths';
import { findTool } from '../../sandbox/host';
import type { SandboxBind, SandboxLimits, SandboxSpec } from '../../sandbox';
import type { NodeTestSetup } from '../../mining/js/package-json';
import { CHANNEL_NONCE_ENV } from './channel';

export interface NodeRuntime {
  /** Absolute path of the node binary (real path). */
  node: string;
  version: string;
  /** Folders the sandbox must bind read-only for this node to run. */
  readOnlyPaths: string[];
  supportsWasmFlag: boolean;
}

const MIN_NODE_MAJOR = 20;
const MIN_NODE_MINOR = 17;

/** In-sandbox JavaScript of ours (reporter, coverage hook, runner, channel). */
export const jsRuntimeDir = (): string => join(studioRoot(), 'src', 'trainer', 'verifier', 'js', 'runtime');

const runtimeFile = (name: string): string => join(jsRuntimeDir(), name);

function checkVersion(version: string, node: string): void {
  const [major = 0, minor = 0] = version.replace(/^v/, '').split('.').map(Number);
  if (major < MIN_NODE_MAJOR || (major === MIN_NODE_MAJOR && minor < MIN_NODE_MINOR)) {
    throw new RlvrError(`${node} is Node ${version}; JavaScript workspaces need Node ${MIN_NODE_MAJOR}.${MIN_NODE_MINOR} or newer`,
      'node_too_old', 'install a newer Node.js (https://nodejs.org) and put it first on PATH');
  }
}

/** The `node` on PATH, its version, and what to bind. Runs `node` once (outside the sandbox: it is the user's own tool). */
export async function resolveNodeRuntime(pathEnv: string = process.env.PATH ?? ''): Promise<NodeRuntime> {
  const found = findTool('node', pathEnv);
  if (found === null) {
    throw new RlvrError('no `node` executable on PATH; the workspace\'s JavaScript tests need one', 'node_not_found',
      'install Node.js 20.17 or newer and make sure `node` is on PATH');
  }
  const node = realpathSync(found);
  const probe = 'process.stdout.write(JSON.stringify([process.version, process.allowedNodeEnvironmentFlags.has("--disable-wasm-trap-handler")]))';
  const { stdout } = await promisify(execFile)(node, ['-e', probe], { timeout: 20_000 });
  const [version, supportsWasmFlag] = JSON.parse(stdout) as [string, boolean];
  checkVersion(version, node);
  const prefix = dirname(dirname(node));
  return { node, version, readOnlyPaths: prefix === '/usr' ? [] : [prefix], supportsWasmFlag };
}

/**
 * Workspace-relative posix path of a file a test process reported, or null outside the workspace.
 * Node reports real paths (ESM resolves links); the workspace may have been named through a link.
 */
export function workspaceRelative(workspace: string): (file: string) => string | null {
  let real = workspace;
  try {
    real = realpathSync(workspace);
  } catch {
    // a missing workspace fails elsewhere, with a better message
  }
  return (file) => {
    for (const root of [workspace, real]) {
      if (file.startsWith(`${root}/`)) return relative(root, file).split('\\').join('/');
    }
    return null;
  };
}

/** Preload specifiers that name tsx, e.g. "tsx", "tsx/esm", "tsx/cjs". */
const isTsxSpecifier = (spec: string): boolean => spec === 'tsx' || spec.startsWith('tsx/');

/**
 * The workspace's node flags with tsx preloads pointed at RLVR Studio's tsx when the workspace has
 * none of its own (a workspace's own node_modules always wins), plus the folder that then needs binding.
 */
export function resolvePreloads(setup: NodeTestSetup, workspace: string, studioDir: string = studioRoot()): { args: string[]; binds: string[] } {
  const ownTsx = existsSync(join(workspace, 'node_modules', 'tsx', 'package.json'));
  const args: string[] = [];
  let usesStudioTsx = false;
  for (let i = 0; i < setup.nodeArgs.length; i++) {
    const arg = setup.nodeArgs[i] as string;
    const value = setup.nodeArgs[i + 1];
    const takesModule = arg === '--import' || arg === '--require' || arg === '--loader' || arg === '--experimental-loader';
    if (takesModule && value !== undefined && isTsxSpecifier(value) && !ownTsx) {
      const resolved = require.resolve(value, { paths: [studioDir] });
      args.push(arg, arg === '--require' ? resolved : pathToFileURL(resolved).href);
      usesStudioTsx = true;
      i++;
    } else {
      args.push(arg);
    }
  }
  return { args, binds: usesStudioTsx ? [join(studioDir, 'node_modules')] : [] };
}

export interface NodeTestRun {
  workspace: string;
  setup: NodeTestSetup;
  runtime: NodeRuntime;
  /** Absolute paths (as seen in the sandbox) of the test files, run in this order in one process. */
  files: string[];
  /** Load the coverage hook (mining). */
  coverage: boolean;
  nonce: string;
  limits: SandboxLimits;
  wallTimeoutMs: number;
  /** Extra read-only binds: a spliced candidate over its file, the sentinel's folder. */
  overlays?: SandboxBind[];
  unsafeNoSandbox?: boolean;
}

/** Address space V8 reserves beyond its heap (code range, stacks, guard regions); measured need ~1.75 GiB. */
export const ADDRESS_SPACE_EXTRA = 2 * 1024 ** 3;

/** The V8 heap cap: the address-space limit minus what V8 reserves besides the heap. */
const heapMegabytes = (limits: SandboxLimits): number => Math.max(256, Math.floor((limits.memoryBytes - ADDRESS_SPACE_EXTRA) / 1024 ** 2));

export function nodeTestSpec(run: NodeTestRun): SandboxSpec {
  const preloads = resolvePreloads(run.setup, run.workspace);
  const command = [
    run.runtime.node,
    ...(run.runtime.supportsWasmFlag ? ['--disable-wasm-trap-handler'] : []),
    `--max-old-space-size=${heapMegabytes(run.limits)}`,
    ...preloads.args,
    ...(run.coverage ? ['--import', pathToFileURL(runtimeFile('coverage-hook.mjs')).href] : []),
    `--test-reporter=${runtimeFile('reporter.mjs')}`,
    '--test-reporter-destination=stdout',
    runtimeFile('run-files.mjs'),
    ...run.files,
  ];
  return {
    workspace: run.workspace,
    readOnlyPaths: [...run.runtime.readOnlyPaths, ...preloads.binds, jsRuntimeDir()],
    overlays: run.overlays ?? [],
    command,
    cwd: run.workspace,
    env: { [CHANNEL_NONCE_ENV]: run.nonce, NO_COLOR: '1', FORCE_COLOR: '0', ESBUILD_WORKER_THREADS: '0' },
    limits: run.limits,
    wallTimeoutMs: run.wallTimeoutMs,
    unsafeNoSandbox: run.unsafeNoSandbox === true,
  };
}
