/** Verifying one candidate for one task: request → pool → reply → VerificationResult. */
import { randomBytes } from 'node:crypto';
import type { Task } from '../tasks/task';
import { FLAG } from './flags';
import type { VerifierPool } from './pool';
import type { RequestLimits, ServeRequest } from './protocol';
import { failedResult, scoreReply, type VerificationResult } from './result';
import { candidateTimeoutSeconds, replyDeadlineMs } from './timeouts';

/** Per-candidate limits (the server applies them in the forked child, on top of its own size). */
export const CANDIDATE_LIMITS: Omit<RequestLimits, 'cpu_seconds'> = {
  memory_bytes: 1024 ** 3,
  nproc: 64,
  fsize_bytes: 64 * 1024 ** 2,
};

/**
 * A fresh, unguessable test name per request, so a candidate cannot special-case the sentinel.
 * Deliberately without the word "sentinel": a report-forging candidate could filter on it.
 */
export function newSentinel(): string {
  return `test_${randomBytes(8).toString('hex')}`;
}

export function buildRequest(task: Task, candidate: string, sentinel: string): Omit<ServeRequest, 'id'> {
  const timeout = candidateTimeoutSeconds(task);
  return {
    file: task.file,
    symbol: task.symbol,
    candidate,
    tests: [...task.tests],
    sentinel,
    timeout_s: timeout,
    limits: { ...CANDIDATE_LIMITS, cpu_seconds: Math.ceil(timeout) },
    held_out_tests: [...task.heldOutTests],
  };
}

export interface VerifyOptions {
  workspace: string;
  signal?: AbortSignal;
}

export async function verifyCandidate(pool: VerifierPool, task: Task, candidate: string, options: VerifyOptions): Promise<VerificationResult> {
  const started = Date.now();
  const sentinel = newSentinel();
  const request = buildRequest(task, candidate, sentinel);
  const outcome = await pool.run({
    workspace: options.workspace, request, deadlineMs: replyDeadlineMs(request.timeout_s), signal: options.signal,
  });
  const seconds = (Date.now() - started) / 1000;
  switch (outcome.kind) {
    case 'reply':
      return scoreReply(task, sentinel, outcome.reply);
    case 'crashed':
      return failedResult(task, { code: FLAG.crashed, message: `the verifier server failed ${outcome.attempts} times: ${outcome.message}` }, seconds);
    case 'cancelled':
      return failedResult(task, { code: FLAG.cancelled, message: 'verification was cancelled' }, seconds);
  }
}
