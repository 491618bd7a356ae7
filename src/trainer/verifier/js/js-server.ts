/**
 * The verifier "server" for JavaScript/TypeScript workspaces. It speaks the same request/reply
 * types as the Python fork-server, so it slots into the same `VerifierPool` and `scoreReply`; but
 * there is no warm process: each candidate gets one fresh sandboxed node process, with the spliced
 * file bound read-only over the original and a sentinel test file beside the task's test files.
 */
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { RlvrError } from '../../errors';
import { detectJsTests, readPackageJson, unsupportedFramework, type NodeTestSetup } from '../../mining/js/package-json';
import { requireSandboxSupport, spawnSandboxed, type SandboxSpec, type SandboxedProcess } from '../../sandbox';
import { FLAG } from '../flags';
import type { ServeReply, ServeRequest } from '../protocol';
import type { ServerFactory, VerifierServer } from '../server';
import { newNonce, parseChannel } from './channel';
import { ADDRESS_SPACE_EXTRA, nodeTestSpec, resolveNodeRuntime, workspaceRelative, type NodeRuntime } from './node-run';
import { replyFromRun } from './reply';
import { checkAndSplice } from './splice';

/** Node's own start (tsx, esbuild, imports) on top of the candidate's time limit; the pool's grace is 5 s. */
export const NODE_STARTUP_S = 3;
const MAX_OUTPUT_BYTES = 8 * 1024 * 1024;

export interface JsServerOptions {
  runtime: NodeRuntime;
  setup: NodeTestSetup;
  unsafeNoSandbox?: boolean;
  /** Injectable for tests. */
  spawn?: (spec: SandboxSpec) => Promise<SandboxedProcess>;
}

/** The node:test setup of a workspace, or the actionable error for one we cannot verify. */
export function requireNodeTestSetup(workspace: string): NodeTestSetup {
  const setup = detectJsTests(readPackageJson(workspace));
  if (setup === null) {
    throw new RlvrError(`${workspace} has no package.json "test" script or test framework RLVR Studio recognises`, 'no_tests',
      'add a "test" script such as `node --import tsx --test test/*.test.ts` to package.json');
  }
  if (setup.framework !== 'node-test') throw unsupportedFramework(setup, workspace);
  return setup;
}

const SENTINEL_SOURCE = (name: string): string =>
  `import { test } from 'node:test';\ntest(${JSON.stringify(name)}, () => { throw new Error('RLVR sentinel: this test always fails'); });\n`;

const isSafeRelative = (path: string): boolean => path !== '' && !path.startsWith('/') && !path.split('/').includes('..');

/** The task's test files, workspace-relative, in first-mention order. */
export function testFilesOf(testIds: readonly string[]): string[] {
  const files = testIds.map((id) => id.split('::')[0] ?? '');
  return [...new Set(files)];
}

async function collect(proc: SandboxedProcess): Promise<{ stdout: string; stderr: string; exit: Awaited<SandboxedProcess['exited']> }> {
  const read = (stream: NodeJS.ReadableStream): (() => string) => {
    const chunks: Buffer[] = [];
    let size = 0;
    stream.on('data', (chunk: Buffer) => {
      if (size < MAX_OUTPUT_BYTES) chunks.push(chunk);
      size += chunk.length;
    });
    return () => Buffer.concat(chunks).toString('utf8');
  };
  const stdout = read(proc.stdout);
  const stderr = read(proc.stderr);
  proc.stdin.end();
  const exit = await proc.exited;
  return { stdout: stdout(), stderr: stderr(), exit };
}

export class JsVerifierServer implements VerifierServer {
  private current: SandboxedProcess | null = null;
  private killed = false;

  constructor(readonly workspace: string, private readonly options: JsServerOptions) {}

  async request(request: ServeRequest, _deadlineMs: number): Promise<ServeReply> {
    const started = Date.now();
    const seconds = (): number => (Date.now() - started) / 1000;
    const rejected = (code: string, message: string): ServeReply => ({ id: request.id, status: 'rejected', tests: [], flags: [{ code, message }], seconds: seconds() });
    const files = testFilesOf(request.tests);
    if (!isSafeRelative(request.file) || !files.every(isSafeRelative)) return rejected(FLAG.testSetMismatch, 'the request names a file outside the workspace');
    let original: string;
    try {
      original = readFileSync(join(this.workspace, request.file), 'utf8');
    } catch {
      return rejected(FLAG.wrongSymbol, `${request.file} is missing from the workspace; run \`rlvr tasks\` again`);
    }
    let checked;
    try {
      checked = checkAndSplice(request.file, original, request.symbol, request.candidate);
    } catch (error) {
      if (error instanceof RlvrError) return rejected(FLAG.wrongSymbol, error.message);
      throw error;
    }
    if (checked.spliced === null) {
      return { id: request.id, status: 'rejected', tests: [], flags: checked.flags.map(({ code, message }) => ({ code, message })), seconds: seconds() };
    }
    const scratch = mkdtempSync(join(tmpdir(), 'rlvr-js-'));
    try {
      return await this.runCandidate(request, files, checked.spliced, scratch, seconds);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  }

  private async runCandidate(request: ServeRequest, files: string[], spliced: string, scratch: string, seconds: () => number): Promise<ServeReply> {
    // The sandbox may run as another uid (root drops privileges): the scratch files must be readable.
    chmodSync(scratch, 0o755);
    const splicedPath = join(scratch, basename(request.file));
    const sentinelPath = join(scratch, `${request.sentinel}.test.mjs`);
    writeFileSync(splicedPath, spliced, { mode: 0o644 });
    writeFileSync(sentinelPath, SENTINEL_SOURCE(request.sentinel), { mode: 0o644 });
    const nonce = newNonce();
    const spec = nodeTestSpec({
      workspace: this.workspace, setup: this.options.setup, runtime: this.options.runtime,
      files: [...files.map((f) => join(this.workspace, f)), sentinelPath],
      coverage: false, nonce,
      limits: {
        // The request's memory becomes the V8 heap cap; the address-space limit adds V8's reservations.
        memoryBytes: request.limits.memory_bytes + ADDRESS_SPACE_EXTRA,
        // A backstop above the wall timeout: a busy loop must end as `timeout` (wall clock), not as
        // a SIGKILL from the CPU limit racing it on an idle machine (reported as a crash).
        cpuSeconds: Math.ceil(Math.max(request.limits.cpu_seconds, request.timeout_s) + NODE_STARTUP_S) + 2,
        nproc: Math.max(request.limits.nproc, 128), // node and esbuild threads count as processes
        fsizeBytes: request.limits.fsize_bytes,
        nofile: 256,
      },
      wallTimeoutMs: Math.ceil((request.timeout_s + NODE_STARTUP_S) * 1000),
      overlays: [{ hostPath: splicedPath, sandboxPath: join(this.workspace, request.file) }, { hostPath: scratch, sandboxPath: scratch }],
      unsafeNoSandbox: false,
    });
    if (this.killed) throw new RlvrError('the JavaScript verifier was stopped', 'cancelled');
    const proc = await (this.options.spawn ?? spawnSandboxed)(spec);
    this.current = proc;
    try {
      const { stdout, stderr, exit } = await collect(proc);
      const inWorkspace = workspaceRelative(this.workspace);
      const relative = (file: string): string => inWorkspace(file) ?? file;
      const report = parseChannel(stdout, nonce);
      return replyFromRun(request.id, request.tests, request.sentinel, report, { ...exit, stderr }, relative, seconds());
    } finally {
      this.current = null;
    }
  }

  kill(): void {
    this.killed = true;
    this.current?.kill();
  }
}

/**
 * A pool factory for JavaScript/TypeScript workspaces. Each candidate is a fresh sandboxed process,
 * so "starting a server" only resolves node and reads package.json.
 */
export function jsServerFactory(options: { unsafeNoSandbox?: boolean; runtime?: NodeRuntime } = {}): ServerFactory {
  if (options.unsafeNoSandbox) {
    throw new RlvrError('verifying JavaScript/TypeScript candidates without the sandbox is not supported',
      'unsafe_unsupported', 'JavaScript candidates are spliced in by a read-only bind mount, which needs bubblewrap; drop --unsafe-no-sandbox');
  }
  let sandboxChecked: Promise<void> | null = null;
  let runtime: Promise<NodeRuntime> | null = options.runtime ? Promise.resolve(options.runtime) : null;
  return async (workspace) => {
    const setup = requireNodeTestSetup(workspace);
    sandboxChecked ??= requireSandboxSupport();
    await sandboxChecked;
    runtime ??= resolveNodeRuntime();
    return new JsVerifierServer(workspace, { runtime: await runtime, setup });
  };
}
