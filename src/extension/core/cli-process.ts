/**
 * Child processes of the extension host: the bundled `rlvr` CLI, the setup script, the worker's
 * tiny-model builder. The host's `process.execPath` is Electron (VS Code) or Node (code-server);
 * ELECTRON_RUN_AS_NODE makes either run a script as plain Node, so training never runs inside the
 * extension host. The spawner is injectable so tests can run stand-in scripts.
 */
import { spawn as nodeSpawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { LineSplitter } from './line-splitter';
import { CancelledError, CliProcessError } from './errors';

export type Spawner = (command: string, args: readonly string[], options: SpawnOptions) => ChildProcess;

export interface CliLocation {
  /** The Node-capable executable (the extension host's `process.execPath`). */
  nodePath: string;
  /** Absolute path of `dist/rlvr.js`. */
  cliPath: string;
  /** Environment of the child, or a function read at each start (settings can change); ELECTRON_RUN_AS_NODE is added. */
  env: NodeJS.ProcessEnv | (() => NodeJS.ProcessEnv);
  spawn?: Spawner;
}

export interface ProcessSpec {
  command: string;
  args: readonly string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  spawn?: Spawner;
  /**
   * Start it in its own process group and signal the whole group: for a shell script, whose
   * children (pip) would otherwise keep running after the script itself was stopped.
   */
  ownGroup?: boolean;
}

export interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface LineHandlers {
  onStdoutLine?: (line: string) => void;
  onStderrLine?: (line: string) => void;
}

export interface ChildHandle {
  readonly pid: number | undefined;
  /** Resolves when the process has exited and its output has been read to the end. */
  readonly exited: Promise<ExitStatus>;
  /** The polite stop (Ctrl-C): the CLI finishes the current step and exits. */
  interrupt(): void;
  /** Ends the process at once. */
  kill(): void;
}

export function startProcess(spec: ProcessSpec, handlers: LineHandlers): ChildHandle {
  const spawn = spec.spawn ?? nodeSpawn;
  const child = spawn(spec.command, spec.args, { cwd: spec.cwd, env: spec.env, stdio: ['ignore', 'pipe', 'pipe'], ...(spec.ownGroup ? { detached: true } : {}) });
  const stdout = new LineSplitter((l) => handlers.onStdoutLine?.(l));
  const stderr = new LineSplitter((l) => handlers.onStderrLine?.(l));
  child.stdout?.setEncoding('utf8').on('data', (c: string) => stdout.push(c));
  child.stderr?.setEncoding('utf8').on('data', (c: string) => stderr.push(c));
  const exited = new Promise<ExitStatus>((resolve) => {
    // 'close' (not 'exit') fires after both pipes are drained, so no last line is lost.
    child.once('close', (code, signal) => {
      stdout.flush();
      stderr.flush();
      resolve({ code, signal });
    });
    child.once('error', (error) => {
      handlers.onStderrLine?.(`could not start ${spec.command}: ${error.message}`);
      resolve({ code: null, signal: null });
    });
  });
  const running = () => child.exitCode === null && child.signalCode === null;
  const signal = (sig: NodeJS.Signals) => {
    if (!running()) return;
    if (spec.ownGroup && child.pid !== undefined) {
      try {
        process.kill(-child.pid, sig);
        return;
      } catch {
        // The group is gone already; fall back to the process itself.
      }
    }
    child.kill(sig);
  };
  return {
    pid: child.pid,
    exited,
    interrupt: () => signal('SIGINT'),
    kill: () => signal('SIGKILL'),
  };
}

/** `rlvr ARGS` as a process spec. */
export function cliSpec(location: CliLocation, args: readonly string[], cwd: string): ProcessSpec {
  return {
    command: location.nodePath, args: [location.cliPath, ...args], cwd,
    env: { ...(typeof location.env === 'function' ? location.env() : location.env), ELECTRON_RUN_AS_NODE: '1' }, spawn: location.spawn,
  };
}

export function startCli(location: CliLocation, args: readonly string[], cwd: string, handlers: LineHandlers): ChildHandle {
  return startProcess(cliSpec(location, args, cwd), handlers);
}

export interface ProcessResult {
  stdout: string;
  stderr: string;
  status: ExitStatus;
}

export interface RunOptions {
  /** Exit codes that are answers (e.g. `rlvr tasks` exits 1 when it found no task). Default [0]. */
  okCodes?: readonly number[];
  signal?: AbortSignal;
  onStderrLine?: (line: string) => void;
  onStdoutLine?: (line: string) => void;
}

const STDERR_TAIL_CHARS = 8000;
/** After a cancel, how long the process gets to stop at a safe point before it is killed. */
export const CANCEL_GRACE_MS = 5000;

/**
 * Runs a process to the end and collects its output. An exit code outside `okCodes` rejects with
 * CliProcessError. Aborting `signal` interrupts the process, kills it after CANCEL_GRACE_MS and
 * rejects with CancelledError.
 */
export async function runProcess(spec: ProcessSpec, options: RunOptions = {}, label: readonly string[] = spec.args): Promise<ProcessResult> {
  const out: string[] = [];
  let err = '';
  const child = startProcess(spec, {
    onStdoutLine: (l) => { out.push(l); options.onStdoutLine?.(l); },
    onStderrLine: (l) => {
      err = (err + l + '\n').slice(-STDERR_TAIL_CHARS);
      options.onStderrLine?.(l);
    },
  });
  let timer: NodeJS.Timeout | undefined;
  const onAbort = () => {
    child.interrupt();
    timer = setTimeout(() => child.kill(), CANCEL_GRACE_MS);
  };
  if (options.signal?.aborted) onAbort();
  else options.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const status = await child.exited;
    if (options.signal?.aborted) throw new CancelledError(`\`${label.join(' ')}\``);
    if (status.code === null || !(options.okCodes ?? [0]).includes(status.code)) {
      throw new CliProcessError(label, status.code, status.signal, err);
    }
    return { stdout: out.join('\n'), stderr: err, status };
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    if (timer) clearTimeout(timer);
  }
}

/** Runs `rlvr ARGS` to the end (see runProcess). */
export function runCli(location: CliLocation, args: readonly string[], cwd: string, options: RunOptions = {}): Promise<ProcessResult> {
  return runProcess(cliSpec(location, args, cwd), options, ['rlvr', ...args]);
}
