/**
 * The host end of the worker protocol (docs/protocol.md): spawns `python -m rlvr_worker`, waits for
 * its `hello`, refuses another protocol version, and pairs typed requests with their replies by
 * id. Every frame from the worker is checked against the shared schema before anyone sees it.
 */
import { spawn as nodeSpawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { delimiter, join } from 'node:path';
import {
  checkResult,
  encodeHostFrame,
  parseWorkerFrame,
  PROTOCOL_VERSION,
  type Capabilities,
  type GroupFrame,
  type HelloFrame,
  type HostToWorkerFrame,
  type ProgressFrame,
  type WorkerOp,
  type WorkerOps,
  type WorkerToHostFrame,
} from '../../shared/protocol/worker-protocol';
import { studioRoot, workerPythonDir } from '../paths';
import { WorkerError, WorkerExitedError, WorkerProtocolError, WorkerStartError, WorkerVersionError } from './errors';
import { LineSplitter, TailBuffer } from './lines';
import { findPythonInterpreter, type Interpreter } from './python';

export type SpawnFn = (command: string, args: readonly string[], options: SpawnOptions) => ChildProcess;

export interface WorkerStartOptions {
  /** Interpreter path; default: `findPythonInterpreter({ workspace })`. */
  readonly python?: string | undefined;
  readonly workspace?: string | undefined;
  readonly cwd?: string;
  /** Extra environment (PYTHONPATH and RLVR_PROTOCOL_SCHEMA are always set). */
  readonly env?: NodeJS.ProcessEnv;
  /** How long to wait for `hello` (importing torch can take a minute on a cold disk). */
  readonly helloTimeoutMs?: number;
  readonly onStderrLine?: (line: string) => void;
  /** Frames that cannot be paired with a request (never expected; worth logging). */
  readonly onProtocolError?: (error: WorkerProtocolError) => void;
  readonly spawn?: SpawnFn;
}

export interface RequestOptions {
  readonly onProgress?: (frame: ProgressFrame) => void;
  readonly onGroup?: (frame: GroupFrame) => void;
  /** Aborting sends `cancel`; the request then rejects with WorkerError code `cancelled`, unless the
   * op had already finished, in which case it resolves with the result (its effects happened). */
  readonly signal?: AbortSignal;
}

interface Pending {
  readonly op: WorkerOp;
  readonly options: RequestOptions;
  readonly resolve: (result: unknown) => void;
  readonly reject: (error: Error) => void;
}

const STDERR_TAIL_LINES = 40;

export class WorkerClient {
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  private readonly exited: Promise<number | null>;

  private constructor(
    private readonly child: ChildProcess,
    readonly hello: HelloFrame,
    readonly interpreter: Interpreter,
    private readonly stderrTail: TailBuffer,
    private readonly onProtocolError: (error: WorkerProtocolError) => void,
  ) {
    this.exited = new Promise((resolve) => {
      child.once('close', (code, signal) => {
        this.exit = { code, signal };
        this.failAll((op) => new WorkerExitedError(code, signal, this.stderrTail.snapshot(), op));
        resolve(code);
      });
    });
    child.stdin?.on('error', () => { /* EPIPE after the worker died: 'close' reports it */ });
  }

  /** Spawns the worker and resolves once it has said hello with our protocol version. */
  static async start(options: WorkerStartOptions = {}): Promise<WorkerClient> {
    const interpreter: Interpreter = options.python
      ? { path: options.python, source: 'explicit' }
      : findPythonInterpreter({ workspace: options.workspace });
    const child = (options.spawn ?? nodeSpawn)(interpreter.path, ['-m', 'rlvr_worker'], {
      cwd: options.cwd ?? studioRoot(),
      env: workerEnv(options.env),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const tail = new TailBuffer(STDERR_TAIL_LINES);
    const stderrLines = new LineSplitter();
    child.stderr?.on('data', (chunk: Buffer) => {
      for (const line of stderrLines.push(chunk)) {
        tail.add(line);
        options.onStderrLine?.(line);
      }
    });
    const onProtocolError = options.onProtocolError ?? (() => undefined);
    const stdoutLines = new LineSplitter();
    const { hello, rest } = await awaitHello(child, stdoutLines, interpreter, tail, options.helloTimeoutMs ?? 120_000);
    const client = new WorkerClient(child, hello, interpreter, tail, onProtocolError);
    client.listen(stdoutLines, rest);
    return client;
  }

  get capabilities(): Capabilities {
    return this.hello.capabilities;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get isRunning(): boolean {
    return this.exit === undefined;
  }

  /** Runs `op` on the worker. Ops run one at a time, in the order requested. */
  request<Op extends WorkerOp>(op: Op, params: WorkerOps[Op]['params'], options: RequestOptions = {}): Promise<WorkerOps[Op]['result']> {
    if (this.exit) {
      return Promise.reject(new WorkerExitedError(this.exit.code, this.exit.signal, this.stderrTail.snapshot(), op));
    }
    if (options.signal?.aborted) {
      return Promise.reject(new WorkerError('cancelled', 'aborted before it was sent', undefined, op));
    }
    const id = this.nextId++;
    return new Promise<WorkerOps[Op]['result']>((resolve, reject) => {
      const onAbort = (): void => this.send({ type: 'cancel', id });
      const settle = <T>(fn: (value: T) => void) => (value: T): void => {
        options.signal?.removeEventListener('abort', onAbort);
        fn(value);
      };
      this.pending.set(id, { op, options, resolve: settle(resolve as (r: unknown) => void), reject: settle(reject) });
      options.signal?.addEventListener('abort', onAbort, { once: true });
      this.send({ type: 'request', id, op, params: params as Record<string, unknown> });
    });
  }

  /**
   * Asks the worker to finish: cancels what is pending, sends `shutdown`, and kills the process if
   * it has not exited after `timeoutMs`. Resolves with the exit code.
   */
  async close(timeoutMs = 10_000): Promise<number | null> {
    if (this.exit) return this.exit.code;
    for (const id of this.pending.keys()) this.send({ type: 'cancel', id });
    this.request('shutdown', {}).catch(() => undefined); // its result is the exit itself
    this.child.stdin?.end();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Ends the worker now (SIGKILL by default); pending requests reject with WorkerExitedError. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<number | null> {
    if (!this.exit) this.child.kill(signal);
    return this.exited;
  }

  private send(frame: HostToWorkerFrame): void {
    if (this.exit || !this.child.stdin?.writable) return;
    this.child.stdin.write(encodeHostFrame(frame));
  }

  private listen(lines: LineSplitter, alreadyRead: readonly string[]): void {
    for (const line of alreadyRead) this.onLine(line);
    this.child.stdout?.on('data', (chunk: Buffer) => {
      for (const line of lines.push(chunk)) this.onLine(line);
    });
  }

  private onLine(line: string): void {
    if (line.trim() === '') return;
    const parsed = parseWorkerFrame(line);
    if (!parsed.ok) {
      this.protocolError(`the worker sent an invalid line: ${parsed.reason}`, pendingIdOf(line));
      return;
    }
    this.onFrame(parsed.frame);
  }

  private onFrame(frame: WorkerToHostFrame): void {
    if (frame.type === 'hello') {
      this.protocolError('the worker said hello twice', undefined);
      return;
    }
    const pending = frame.id === null ? undefined : this.pending.get(frame.id);
    if (!pending || frame.id === null) {
      this.protocolError(`the worker sent a ${frame.type} frame for ${frame.id === null ? 'no request' : `unknown request ${frame.id}`}: `
        + (frame.type === 'error' ? `${frame.error.code}: ${frame.error.message}` : JSON.stringify(frame).slice(0, 200)), undefined);
      return;
    }
    const id = frame.id;
    try {
      if (frame.type === 'progress') pending.options.onProgress?.(frame);
      else if (frame.type === 'group') pending.options.onGroup?.(frame);
      else this.finish(id, pending, frame.type === 'result' ? { result: frame.result } : { error: frame.error });
    } catch (error) {
      // A throwing progress/group callback ends its own request, not the client.
      this.pending.delete(id);
      this.send({ type: 'cancel', id });
      pending.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

  private finish(id: number, pending: Pending, reply: { result: unknown } | { error: { code: WorkerError['code']; message: string; data?: Record<string, unknown> } }): void {
    this.pending.delete(id);
    if ('error' in reply) {
      pending.reject(new WorkerError(reply.error.code, reply.error.message, reply.error.data, pending.op));
      return;
    }
    try {
      pending.resolve(checkResult(pending.op, reply.result));
    } catch (error) {
      pending.reject(new WorkerProtocolError((error as Error).message, pending.op));
    }
  }

  private protocolError(message: string, id: number | undefined): void {
    const pending = id === undefined ? undefined : this.pending.get(id);
    const error = new WorkerProtocolError(message, pending?.op);
    if (pending && id !== undefined) {
      this.pending.delete(id);
      pending.reject(error);
    } else {
      this.onProtocolError(error);
    }
  }

  private failAll(makeError: (op: WorkerOp) => Error): void {
    const all = [...this.pending.values()];
    this.pending.clear();
    for (const p of all) p.reject(makeError(p.op));
  }
}

function workerEnv(extra: NodeJS.ProcessEnv | undefined): NodeJS.ProcessEnv {
  const base = { ...process.env, ...extra };
  const pythonPath = [workerPythonDir(), base['PYTHONPATH']].filter((p): p is string => !!p).join(delimiter);
  return {
    ...base,
    PYTHONPATH: pythonPath,
    PYTHONUNBUFFERED: '1',
    PYTHONIOENCODING: 'utf-8',
    RLVR_PROTOCOL_SCHEMA: join(studioRoot(), 'src', 'shared', 'protocol', 'worker-protocol.schema.json'),
  };
}

/** The id of a frame that failed validation, when it still has a usable one. */
function pendingIdOf(line: string): number | undefined {
  try {
    const value: unknown = JSON.parse(line);
    const id = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)['id'] : undefined;
    return typeof id === 'number' ? id : undefined;
  } catch {
    return undefined;
  }
}

/** Resolves with the first frame if it is a `hello` of our protocol version (and any lines read
 * after it in the same chunk); rejects otherwise. */
function awaitHello(child: ChildProcess, lines: LineSplitter, interpreter: Interpreter, tail: TailBuffer, timeoutMs: number):
Promise<{ hello: HelloFrame; rest: string[] }> {
  return new Promise((resolve, reject) => {
    const who = `${interpreter.path} -m rlvr_worker (${interpreter.source})`;
    const fail = (error: Error): void => {
      cleanup();
      child.kill('SIGKILL');
      reject(error);
    };
    const onData = (chunk: Buffer): void => {
      const [first, ...rest] = lines.push(chunk);
      if (first === undefined) return;
      cleanup();
      const hello = checkHello(first, who, tail);
      if (hello instanceof Error) fail(hello);
      else resolve({ hello, rest });
    };
    const onError = (error: NodeJS.ErrnoException): void => fail(new WorkerStartError(
      `cannot start ${who}: ${error.code === 'ENOENT' ? 'interpreter not found' : error.message}`,
      'install Python ≥ 3.10 and run `npm run setup`, or set rlvrStudio.pythonPath / --python to an interpreter with the worker requirements'));
    const onClose = (code: number | null, signal: NodeJS.Signals | null): void => fail(new WorkerStartError(
      `${who} exited before saying hello (${signal ?? `code ${String(code)}`})`,
      'run `npm run setup`, or check the interpreter with diagnosePython / `rlvr doctor`', tail.snapshot()));
    const timer = setTimeout(() => fail(new WorkerStartError(
      `${who} did not say hello within ${timeoutMs} ms`, 'the machine may be overloaded; retry, or raise helloTimeoutMs', tail.snapshot())), timeoutMs);
    function cleanup(): void {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.off('error', onError);
      child.off('close', onClose);
    }
    child.stdout?.on('data', onData);
    child.on('error', onError);
    child.on('close', onClose);
  });
}

function checkHello(line: string, who: string, tail: TailBuffer): HelloFrame | Error {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return new WorkerStartError(`${who} wrote something other than a hello frame: ${line.slice(0, 200)}`,
      'something in the worker prints to stdout; that is a worker bug', tail.snapshot());
  }
  // Version first: a worker of another version may not match this schema at all.
  const protocol = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)['protocol'] : undefined;
  if (protocol !== PROTOCOL_VERSION) return new WorkerVersionError(protocol, PROTOCOL_VERSION, who);
  const parsed = parseWorkerFrame(line);
  if (!parsed.ok || parsed.frame.type !== 'hello') {
    return new WorkerStartError(`${who} sent a malformed hello: ${parsed.ok ? `a ${parsed.frame.type} frame` : parsed.reason}`,
      'the worker and host disagree about the protocol; this is a bug', tail.snapshot());
  }
  return parsed.frame;
}
