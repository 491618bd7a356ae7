/**
 * One error class per way talking to the worker can fail. All are RlvrErrors: a message naming
 * what failed and with what input, a stable code, and a hint saying what to do.
 */
import { RlvrError } from '../errors';
import type { ErrorCode, WorkerOp } from '../../shared/protocol/worker-protocol';

/** The worker answered a request with an `error` frame. `code` is the protocol's error code. */
export class WorkerError extends RlvrError {
  declare readonly code: ErrorCode;

  constructor(
    code: ErrorCode,
    message: string,
    /** Machine-readable details from the worker, e.g. `{ path, reason }` for invalid_params. */
    readonly data: Readonly<Record<string, unknown>> | undefined,
    /** The op that failed (undefined when the worker could not tell which request it was). */
    readonly op: WorkerOp | undefined,
  ) {
    super(op ? `worker ${op} failed (${code}): ${message}` : `worker error (${code}): ${message}`, code, hintFor(code));
  }
}

function hintFor(code: ErrorCode): string | undefined {
  switch (code) {
    case 'no_model': return 'send load_policy (or load) before this op';
    case 'out_of_memory': return 'lower micro_batch_size, n, max_new_tokens or the model size';
    case 'invalid_params': return 'this is a bug in the caller: the params break docs/protocol.md';
    case 'internal': return "the worker's stderr has the traceback; please report it";
    default: return undefined;
  }
}

/** The worker process could not be started or did not complete the handshake. */
export class WorkerStartError extends RlvrError {
  constructor(
    message: string,
    hint: string,
    readonly stderrTail: readonly string[] = [],
    code = 'worker_start_failed',
  ) {
    super(withTail(message, stderrTail), code, hint);
  }
}

/** The worker speaks another protocol version than this host. */
export class WorkerVersionError extends WorkerStartError {
  constructor(readonly workerProtocol: unknown, readonly hostProtocol: number, interpreter: string) {
    super(
      `the worker started with ${interpreter} speaks protocol ${JSON.stringify(workerProtocol)}, this host speaks ${hostProtocol}`,
      'the worker sources and the extension come from different versions; reinstall RLVR Studio, or point PYTHONPATH at its own src/trainer/worker',
      [],
      'worker_protocol_mismatch',
    );
  }
}

/** The worker process ended while requests were pending (or a request was made after it ended). */
export class WorkerExitedError extends RlvrError {
  constructor(
    readonly exitCode: number | null,
    readonly signal: NodeJS.Signals | null,
    readonly stderrTail: readonly string[],
    readonly op: WorkerOp | undefined,
  ) {
    const how = signal ? `was killed by ${signal}` : `exited with code ${String(exitCode)}`;
    super(withTail(`the compute worker ${how}${op ? ` during ${op}` : ''}`, stderrTail), 'worker_exited',
      'see the worker output above; out-of-memory kills (SIGKILL) need a smaller batch or model');
  }
}

/** The worker sent something that breaks the protocol (a bug in the worker, or a corrupted stream). */
export class WorkerProtocolError extends RlvrError {
  constructor(message: string, readonly op: WorkerOp | undefined) {
    super(message, 'worker_protocol_violation', 'this is a bug in the worker; please report it with its stderr');
  }
}

function withTail(message: string, tail: readonly string[]): string {
  return tail.length === 0 ? message : `${message}\nlast worker output:\n  ${tail.join('\n  ')}`;
}
