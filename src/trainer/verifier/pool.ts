/**
 * N warm verifier servers behind one bounded queue.
 *
 * - Back-pressure: `submit()` resolves once the job is queued; while the queue is full it waits.
 *   `run()` = submit + await the result.
 * - A server that exits, hangs past the job's deadline, or breaks the protocol is killed and its
 *   slot starts a fresh one; the job is retried once there, then reported as `crashed`.
 *   Queued jobs are untouched by a crash.
 * - Cancelling a running job kills its server (the protocol has no cancel), and the slot restarts.
 * - Servers start lazily, per workspace: a slot whose server belongs to another workspace replaces it.
 */
import { RlvrError } from '../errors';
import type { ServeReply, ServeRequest } from './protocol';
import { ServerFailure, type ServerFactory, type VerifierServer } from './server';

export interface PoolJob {
  workspace: string;
  request: Omit<ServeRequest, 'id'>;
  /** How long to wait for the reply before the server counts as hung (the candidate's wall limit + grace). */
  deadlineMs: number;
  signal?: AbortSignal;
}

export type JobOutcome =
  | { kind: 'reply'; reply: ServeReply; attempts: number }
  | { kind: 'crashed'; message: string; attempts: number }
  | { kind: 'cancelled' };

export interface Ticket {
  result: Promise<JobOutcome>;
}

export interface PoolOptions {
  size: number;
  factory: ServerFactory;
  /** Jobs waiting for a slot before `submit` blocks. Default 2 × size. */
  queueLimit?: number;
  /** Tries per job when servers crash (first run + retries). Default 2. */
  maxAttempts?: number;
}

export interface PoolStats {
  size: number;
  running: number;
  queued: number;
  serversStarted: number;
  serversReplaced: number;
}

interface Entry {
  job: PoolJob;
  resolve: (outcome: JobOutcome) => void;
  reject: (error: unknown) => void;
  /** Drops the entry while it is queued; removed once it starts. */
  onAbort: () => void;
}

interface Slot {
  server: VerifierServer | null;
  busy: boolean;
}

export class VerifierPool {
  private readonly slots: Slot[];
  private readonly queue: Entry[] = [];
  private readonly spaceWaiters: (() => void)[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private readonly queueLimit: number;
  private readonly maxAttempts: number;
  private nextRequestId = 1;
  private closed = false;
  private serversStarted = 0;
  private serversReplaced = 0;

  constructor(private readonly options: PoolOptions) {
    if (!Number.isInteger(options.size) || options.size < 1) throw new RlvrError(`pool size must be a positive integer, got ${options.size}`, 'bad_input');
    this.slots = Array.from({ length: options.size }, () => ({ server: null, busy: false }));
    this.queueLimit = options.queueLimit ?? 2 * options.size;
    this.maxAttempts = options.maxAttempts ?? 2;
  }

  async submit(job: PoolJob): Promise<Ticket> {
    while (!this.closed && this.queue.length >= this.queueLimit && !job.signal?.aborted) {
      await new Promise<void>((resolve) => {
        const wake = (): void => {
          job.signal?.removeEventListener('abort', wake);
          resolve();
        };
        this.spaceWaiters.push(wake);
        job.signal?.addEventListener('abort', wake, { once: true });
      });
    }
    if (this.closed) throw new RlvrError('the verifier pool is closed', 'pool_closed', 'create a new pool');
    if (job.signal?.aborted) return { result: Promise.resolve({ kind: 'cancelled' }) };
    const result = new Promise<JobOutcome>((resolve, reject) => {
      const entry: Entry = { job, resolve, reject, onAbort: () => this.dropQueued(entry) };
      this.queue.push(entry);
      job.signal?.addEventListener('abort', entry.onAbort, { once: true });
    });
    this.dispatch();
    return { result };
  }

  async run(job: PoolJob): Promise<JobOutcome> {
    return (await this.submit(job)).result;
  }

  stats(): PoolStats {
    return {
      size: this.slots.length, running: this.slots.filter((s) => s.busy).length, queued: this.queue.length,
      serversStarted: this.serversStarted, serversReplaced: this.serversReplaced,
    };
  }

  /** Cancels queued jobs, kills every server, and waits for running jobs to settle. */
  async close(): Promise<void> {
    this.closed = true;
    for (const entry of this.queue.splice(0)) entry.resolve({ kind: 'cancelled' });
    for (const wake of this.spaceWaiters.splice(0)) wake();
    for (const slot of this.slots) slot.server?.kill();
    await Promise.allSettled([...this.inFlight]);
    for (const slot of this.slots) {
      slot.server?.kill();
      slot.server = null;
    }
  }

  private dropQueued(entry: Entry): void {
    const index = this.queue.indexOf(entry);
    if (index < 0) return; // already running: the running side handles the abort
    this.queue.splice(index, 1);
    entry.resolve({ kind: 'cancelled' });
    this.wakeOneSubmitter();
  }

  private wakeOneSubmitter(): void {
    this.spaceWaiters.shift()?.();
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (slot.busy || this.closed) continue;
      const entry = this.queue.shift();
      if (!entry) return;
      entry.job.signal?.removeEventListener('abort', entry.onAbort);
      this.wakeOneSubmitter();
      slot.busy = true;
      const running = this.runEntry(slot, entry).finally(() => {
        slot.busy = false;
        this.inFlight.delete(running);
        this.dispatch();
      });
      this.inFlight.add(running);
    }
  }

  private async runEntry(slot: Slot, entry: Entry): Promise<void> {
    try {
      entry.resolve(await this.runJob(slot, entry.job));
    } catch (error) {
      entry.reject(error);
    }
  }

  private async runJob(slot: Slot, job: PoolJob): Promise<JobOutcome> {
    let lastFailure = '';
    for (let attempt = 1; attempt <= this.maxAttempts; attempt++) {
      if (job.signal?.aborted || this.closed) return { kind: 'cancelled' };
      const server = await this.serverFor(slot, job.workspace);
      const onAbort = (): void => server.kill();
      job.signal?.addEventListener('abort', onAbort, { once: true });
      try {
        const reply = await server.request({ ...job.request, id: this.nextRequestId++ }, job.deadlineMs);
        return { kind: 'reply', reply, attempts: attempt };
      } catch (error) {
        if (!(error instanceof ServerFailure)) throw error;
        this.retire(slot, server);
        if (job.signal?.aborted || this.closed) return { kind: 'cancelled' };
        lastFailure = error.message;
      } finally {
        job.signal?.removeEventListener('abort', onAbort);
      }
    }
    return { kind: 'crashed', message: lastFailure, attempts: this.maxAttempts };
  }

  private async serverFor(slot: Slot, workspace: string): Promise<VerifierServer> {
    if (slot.server && slot.server.workspace === workspace) return slot.server;
    if (slot.server) this.retire(slot, slot.server);
    let server: VerifierServer;
    try {
      server = await this.options.factory(workspace);
    } catch (error) {
      if (!(error instanceof ServerFailure)) throw error;
      throw new RlvrError(`the verifier server for ${workspace} could not start: ${error.message}`, 'verifier_start_failed',
        "run the workspace's tests by hand (e.g. `python -m pytest` in it) to check that they are collected without errors");
    }
    this.serversStarted++;
    if (this.closed) {
      server.kill();
      throw new RlvrError('the verifier pool was closed while a server started', 'pool_closed');
    }
    slot.server = server;
    return server;
  }

  private retire(slot: Slot, server: VerifierServer): void {
    server.kill();
    if (slot.server === server) {
      slot.server = null;
      this.serversReplaced++;
    }
  }
}

/** Default pool size: one server per CPU core. */
export function defaultPoolSize(cores: number): number {
  return Math.max(1, cores);
}
