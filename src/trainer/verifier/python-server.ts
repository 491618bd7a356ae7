/** Starting `python -m rlvr_verify serve` inside the sandbox, one per pool slot. */
import { availableParallelism } from 'node:os';
import { verifierPythonDir } from '../paths';
import { describeInterpreter, interpreterReadOnlyPaths, requirePytest, resolveTestInterpreter, type InterpreterInfo } from '../python-env';
import { requireSandboxSupport, spawnSandboxed, type SandboxLimits, type SandboxSpec } from '../sandbox';
import { defaultPoolSize, VerifierPool } from './pool';
import { NdjsonServer, type ServerFactory } from './server';

/**
 * Limits of the server's sandbox (the ceiling for every candidate child, which lowers its own).
 * CPU is per process and the server lives for a whole run, so it gets a day; each candidate child
 * gets its request's `cpu_seconds`. Address space is generous for workspaces importing numpy/torch.
 */
export const SERVER_LIMITS: SandboxLimits = {
  memoryBytes: 8 * 1024 ** 3,
  cpuSeconds: 24 * 3600,
  nproc: 128,
  fsizeBytes: 64 * 1024 ** 2,
  nofile: 1024,
};
/** Collecting a big test suite can take a while. */
export const SERVER_START_TIMEOUT_MS = 120_000;

export interface PythonServerOptions {
  interpreter: InterpreterInfo;
  unsafeNoSandbox?: boolean;
  startTimeoutMs?: number;
}

export function serveSpec(workspace: string, options: PythonServerOptions): SandboxSpec {
  const verifier = verifierPythonDir();
  const unsafe = options.unsafeNoSandbox === true;
  // --reap-namespace kills every other process after each candidate: only sound in a private PID namespace.
  const reap = unsafe ? [] : ['--reap-namespace'];
  return {
    workspace,
    readOnlyPaths: [...interpreterReadOnlyPaths(options.interpreter), verifier],
    command: [options.interpreter.executable, '-m', 'rlvr_verify', 'serve', ...reap],
    cwd: workspace,
    env: { PYTHONPATH: verifier },
    limits: SERVER_LIMITS,
    wallTimeoutMs: 0,
    unsafeNoSandbox: unsafe,
  };
}

export function pythonServerFactory(options: PythonServerOptions): ServerFactory {
  return async (workspace) => {
    // A missing sandbox surfaces as the RlvrError spawnSandboxed throws (with its install hint).
    const proc = await spawnSandboxed(serveSpec(workspace, options));
    const { server } = await NdjsonServer.start(workspace, proc, options.startTimeoutMs ?? SERVER_START_TIMEOUT_MS);
    return server;
  };
}

export interface PythonPoolOptions {
  workspace: string;
  /** `--python` / the `rlvrStudio.pythonPath` setting. */
  python?: string;
  /** Default: one server per CPU core. */
  size?: number;
  unsafeNoSandbox?: boolean;
}

/**
 * A pool for a Python workspace, after checking what it needs: an interpreter that imports pytest
 * and (unless knowingly turned off) a working sandbox. Throws RlvrErrors with the fix.
 */
export async function createPythonPool(options: PythonPoolOptions): Promise<{ pool: VerifierPool; interpreter: InterpreterInfo }> {
  const interpreter = await describeInterpreter(resolveTestInterpreter({ explicit: options.python, workspace: options.workspace }).path);
  requirePytest(interpreter);
  if (!options.unsafeNoSandbox) await requireSandboxSupport();
  const factory = pythonServerFactory({ interpreter, unsafeNoSandbox: options.unsafeNoSandbox });
  return { pool: new VerifierPool({ size: options.size ?? defaultPoolSize(availableParallelism()), factory }), interpreter };
}
