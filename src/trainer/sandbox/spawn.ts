/**
 * Starting sandboxed processes. `spawnSandboxed` for long-lived servers (the caller talks over
 * stdin/stdout), `runSandboxed` for one-shot commands. Killing the outer process (bwrap) tears down
 * its PID namespace, so every descendant dies too, setsid daemons included.
 */
import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { buildSandboxArgv, baseEnv, type HostLayout } from './argv';
import { detectHost, requireTools, type HostTools } from './host';
import type { ExitInfo, RunResult, SandboxSpec } from './types';
import { openDropNamespace, SANDBOX_GID, SANDBOX_UID, type DropNamespace } from './userns';

export interface SandboxedProcess {
  readonly pid: number;
  readonly stdin: Writable;
  readonly stdout: Readable;
  readonly stderr: Readable;
  /** Resolves once the process tree is gone. Never rejects. */
  readonly exited: Promise<ExitInfo>;
  /** SIGKILL to the whole tree. Safe to call repeatedly and after exit. */
  kill(): void;
}

export interface SpawnOptions {
  /** Injectable for tests; defaults to the real machine. */
  host?: HostTools;
}

const PIPE_DRAIN_MS = 500;

/** The fd number bwrap reads the root-mode user namespace from (after stdin, stdout, stderr). */
const USERNS_FD = 3;

export async function spawnSandboxed(spec: SandboxSpec, options: SpawnOptions = {}): Promise<SandboxedProcess> {
  const tools = requireTools(options.host ?? detectHost(), spec.unsafeNoSandbox === true);
  const dropNs = !spec.unsafeNoSandbox && tools.isRoot ? await openDropNamespace(tools.unshare) : undefined;
  const layout: HostLayout = {
    bwrap: tools.bwrap, prlimit: tools.prlimit, setpriv: tools.setpriv, rootEntries: tools.rootEntries,
    rootDrop: dropNs ? { userNsFd: USERNS_FD, uid: SANDBOX_UID, gid: SANDBOX_GID } : undefined,
  };
  const { file, args } = buildSandboxArgv(spec, layout);
  const stdio: StdioOptions = dropNs ? ['pipe', 'pipe', 'pipe', dropNs.fd] : ['pipe', 'pipe', 'pipe'];
  const started = Date.now();
  let child: ChildProcess;
  try {
    child = spawn(file, args, {
      stdio,
      // Own process group: a terminal's Ctrl-C reaches the CLI, which then stops servers in order.
      detached: true,
      // Unsandboxed runs get the same minimal environment; bwrap gets it through --setenv instead.
      env: spec.unsafeNoSandbox ? { ...baseEnv(), ...spec.env } : {},
      cwd: spec.unsafeNoSandbox ? spec.cwd ?? spec.workspace : undefined,
    });
  } finally {
    // bwrap has its own copy of the namespace fd once spawned (or spawning failed).
    if (dropNs) releaseAfterStart(dropNs);
  }
  return wrap(child, spec.wallTimeoutMs, started);
}

function releaseAfterStart(ns: DropNamespace): void {
  // The holder may only go once bwrap has joined the namespace; holding our fd copy keeps it alive
  // until then anyway, so closing both right away is safe (the fd in bwrap pins the namespace).
  ns.close();
}

function wrap(child: ChildProcess, wallTimeoutMs: number, started: number): SandboxedProcess {
  const pid = child.pid ?? -1;
  let timedOut = false;
  const kill = (): void => {
    if (pid <= 0 || child.exitCode !== null || child.signalCode !== null) return;
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      child.kill('SIGKILL');
    }
  };
  const timer = Number.isFinite(wallTimeoutMs) && wallTimeoutMs > 0
    ? setTimeout(() => { timedOut = true; kill(); }, wallTimeoutMs)
    : undefined;
  const exited = new Promise<ExitInfo>((resolve) => {
    const done = (code: number | null, signal: string | null): void => {
      if (timer) clearTimeout(timer);
      resolve({ code, signal, timedOut, ms: Date.now() - started });
    };
    child.once('error', () => done(null, null));
    child.once('close', (code, signal) => done(code, signal));
    // Unsandboxed, a daemon that escaped the process group can hold our pipes open forever: once
    // the process itself has exited, give the pipes a moment to drain, then stop waiting for them.
    child.once('exit', (code, signal) => {
      setTimeout(() => {
        child.stdout?.destroy();
        child.stderr?.destroy();
        done(code, signal);
      }, PIPE_DRAIN_MS).unref();
    });
  });
  if (!child.stdin || !child.stdout || !child.stderr) throw new Error('sandboxed process spawned without pipes');
  child.stdin.on('error', () => undefined); // EPIPE when the process died first is reported via `exited`
  return { pid, stdin: child.stdin, stdout: child.stdout, stderr: child.stderr, exited, kill };
}

/** Output beyond this is dropped (a candidate printing in a loop must not fill our memory). */
const MAX_CAPTURE_BYTES = 8 * 1024 * 1024;

export async function runSandboxed(spec: SandboxSpec, stdin?: string, options: SpawnOptions = {}): Promise<RunResult> {
  const proc = await spawnSandboxed(spec, options);
  const stdout = capture(proc.stdout);
  const stderr = capture(proc.stderr);
  proc.stdin.end(stdin ?? '');
  const exit = await proc.exited;
  return { ...exit, stdout: stdout(), stderr: stderr() };
}

function capture(stream: Readable): () => string {
  const chunks: Buffer[] = [];
  let size = 0;
  stream.on('data', (chunk: Buffer) => {
    if (size >= MAX_CAPTURE_BYTES) return;
    chunks.push(chunk);
    size += chunk.length;
  });
  return () => Buffer.concat(chunks).toString('utf8');
}
