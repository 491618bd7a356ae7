/** What a sandboxed command may see and use. Shared by the one-shot runner and long-lived servers. */

export interface SandboxLimits {
  /** RLIMIT_AS per process (address space). */
  memoryBytes: number;
  /** RLIMIT_CPU per process. Long-lived servers get a large value; per-candidate limits are set inside. */
  cpuSeconds: number;
  /** Processes in the sandbox (RLIMIT_NPROC, applied inside the sandbox's user namespace). */
  nproc: number;
  /** RLIMIT_FSIZE: largest file a process may write. */
  fsizeBytes: number;
  /** RLIMIT_NOFILE. */
  nofile: number;
}

export interface SandboxBind {
  hostPath: string;
  sandboxPath: string;
}

export interface SandboxSpec {
  /**
   * Bound read-only at the SAME absolute path inside the sandbox (not /ws): tracebacks, pytest node
   * ids and `__file__` then look exactly as they do outside, and the unsandboxed mode needs no
   * path translation.
   */
  workspace: string;
  /** Extra read-only binds, applied after the workspace (so they may cover files in it). */
  overlays?: SandboxBind[];
  /** Host directories bound read-only at their own path (the interpreter's prefixes, sys.path roots). */
  readOnlyPaths?: string[];
  command: string[];
  /** Defaults to the workspace. */
  cwd?: string;
  /** Added to the minimal environment (PATH, HOME=/tmp, LANG, PYTHONDONTWRITEBYTECODE, PYTHONHASHSEED). */
  env?: Record<string, string>;
  limits: SandboxLimits;
  /** The whole process tree is killed after this long; 0 or Infinity: no wall limit (servers). */
  wallTimeoutMs: number;
  /** Size of the private /tmp (tmpfs). Default 64 MiB. */
  tmpfsBytes?: number;
  /** No namespaces: rlimits only, workspace writable, network open. For machines without bwrap. */
  unsafeNoSandbox?: boolean;
}

export interface ExitInfo {
  code: number | null;
  signal: string | null;
  /** True when the wall timeout killed it. */
  timedOut: boolean;
  ms: number;
}

export interface RunResult extends ExitInfo {
  stdout: string;
  stderr: string;
}

export type SandboxSupport = { ok: true } | { ok: false; reason: string; fix: string };

export const DEFAULT_TMPFS_BYTES = 64 * 1024 * 1024;
