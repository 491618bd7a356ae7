/**
 * One warm verifier server: a sandboxed process speaking the NDJSON protocol on stdin/stdout.
 * It serves one request at a time. Anything unexpected on stdout, an exit, or silence past the
 * deadline is a `ServerFailure`: the pool then kills the server and starts a fresh one.
 */
import type { Readable, Writable } from 'node:stream';
import { RlvrError } from '../errors';
import { parseReady, parseReply, parseServeError, type ServeReady, type ServeReply, type ServeRequest } from './protocol';

export type ServerFailureKind = 'start' | 'exited' | 'hung' | 'protocol';

export class ServerFailure extends Error {
  constructor(readonly kind: ServerFailureKind, message: string) {
    super(message);
    this.name = 'ServerFailure';
  }
}

/** What the pool needs from a server; fakes implement it in unit tests. */
export interface VerifierServer {
  readonly workspace: string;
  /** Rejects with ServerFailure; resolves with the validated reply to exactly this request. */
  request(request: ServeRequest, deadlineMs: number): Promise<ServeReply>;
  /** Kills the whole process tree. Idempotent. */
  kill(): void;
}

export type ServerFactory = (workspace: string) => Promise<VerifierServer>;

/** The process side of a server: what `spawnSandboxed` returns. */
export interface ServerProcess {
  readonly stdin: Writable;
  readonly stdout: Readable;
  readonly stderr: Readable;
  readonly exited: Promise<{ code: number | null; signal: string | null }>;
  kill(): void;
}

/** A broken server could print without end; one line longer than this is a protocol error. */
const MAX_LINE_BYTES = 16 * 1024 * 1024;
const STDERR_TAIL_BYTES = 8 * 1024;

type Waiter = { resolve: (line: unknown) => void; reject: (error: ServerFailure) => void };

export class NdjsonServer implements VerifierServer {
  private buffer = '';
  private stderrTail = '';
  private waiter: Waiter | null = null;
  private dead: ServerFailure | null = null;
  private busy = false;

  private constructor(readonly workspace: string, private readonly proc: ServerProcess) {
    proc.stdout.setEncoding('utf8');
    proc.stdout.on('data', (chunk: string) => this.onData(chunk));
    proc.stderr.setEncoding('utf8');
    proc.stderr.on('data', (chunk: string) => { this.stderrTail = (this.stderrTail + chunk).slice(-STDERR_TAIL_BYTES); });
    void proc.exited.then((exit) => {
      const how = exit.signal ? `killed by ${exit.signal}` : `exited with code ${exit.code}`;
      this.fail(new ServerFailure('exited', `the verifier server ${how}${this.stderrHint()}`));
    });
  }

  /** Starts talking to `proc` and waits for its `ready` line. */
  static async start(workspace: string, proc: ServerProcess, startTimeoutMs: number): Promise<{ server: NdjsonServer; ready: ServeReady }> {
    const server = new NdjsonServer(workspace, proc);
    try {
      const line = await server.nextLine(startTimeoutMs, 'start');
      const ready = parseReady(line);
      if (typeof ready === 'string') throw new ServerFailure('start', `the verifier server did not start: ${ready}${server.stderrHint()}`);
      return { server, ready };
    } catch (error) {
      server.kill();
      if (error instanceof ServerFailure) throw new ServerFailure('start', error.message);
      throw error;
    }
  }

  async request(request: ServeRequest, deadlineMs: number): Promise<ServeReply> {
    if (this.busy) throw new Error('NdjsonServer.request called while a request is in flight (the pool serialises them)');
    if (this.dead) throw this.dead;
    this.busy = true;
    try {
      this.proc.stdin.write(`${JSON.stringify(request)}\n`);
      const line = await this.nextLine(deadlineMs, 'hung');
      const refused = parseServeError(line);
      if (refused && (refused.id === request.id || refused.id === null)) {
        throw new RlvrError(`the verifier server refused request ${request.id} for ${request.file}::${request.symbol}: ${refused.message}`,
          'verifier_request_error', 'this is a bug in RLVR Studio or a stale task list: run `rlvr tasks --no-cache` and retry, then report it');
      }
      const reply = parseReply(line);
      if (typeof reply === 'string') throw this.fail(new ServerFailure('protocol', `bad reply from the verifier server: ${reply}`));
      if (reply.id !== request.id) {
        throw this.fail(new ServerFailure('protocol', `the verifier server answered request ${reply.id} while ${request.id} was asked`));
      }
      return reply;
    } finally {
      this.busy = false;
    }
  }

  kill(): void {
    this.fail(new ServerFailure('exited', 'the verifier server was stopped'));
    this.proc.kill();
  }

  private nextLine(timeoutMs: number, onTimeout: 'start' | 'hung'): Promise<unknown> {
    if (this.dead) return Promise.reject(this.dead);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const what = onTimeout === 'start' ? 'did not say ready' : 'did not reply';
        this.fail(new ServerFailure(onTimeout, `the verifier server ${what} within ${timeoutMs} ms${this.stderrHint()}`));
      }, timeoutMs);
      this.waiter = {
        resolve: (line) => { clearTimeout(timer); resolve(line); },
        reject: (error) => { clearTimeout(timer); reject(error); },
      };
      this.drainLines();
    });
  }

  private onData(chunk: string): void {
    this.buffer += chunk;
    if (this.buffer.length > MAX_LINE_BYTES && !this.buffer.includes('\n')) {
      this.fail(new ServerFailure('protocol', `the verifier server printed a line longer than ${MAX_LINE_BYTES} bytes`));
      return;
    }
    this.drainLines();
  }

  private drainLines(): void {
    let newline = this.buffer.indexOf('\n');
    while (newline >= 0 && !this.dead) {
      const line = this.buffer.slice(0, newline).trim();
      this.buffer = this.buffer.slice(newline + 1);
      if (line) this.deliver(line);
      newline = this.buffer.indexOf('\n');
    }
  }

  private deliver(line: string): void {
    const waiter = this.waiter;
    if (!waiter) {
      // Nobody asked: a line out of turn can only be forged or a bug. Either way, stop trusting it.
      this.fail(new ServerFailure('protocol', `the verifier server printed an unrequested line: ${line.slice(0, 200)}`));
      return;
    }
    this.waiter = null;
    try {
      waiter.resolve(JSON.parse(line));
    } catch {
      this.fail(new ServerFailure('protocol', `the verifier server printed a line that is not JSON: ${line.slice(0, 200)}`), waiter);
    }
  }

  /** Marks the server dead, rejects whoever waits, kills the process; returns the failure. */
  private fail(failure: ServerFailure, waiter: Waiter | null = this.waiter): ServerFailure {
    if (!this.dead) this.dead = failure;
    this.waiter = null;
    waiter?.reject(this.dead);
    this.proc.kill();
    return this.dead;
  }

  private stderrHint(): string {
    const tail = this.stderrTail.trim().split('\n').slice(-8).join('\n');
    return tail ? `; its last output:\n${tail}` : '';
  }
}
