/**
 * Ground truth: a task is only trainable if its tests can tell right from wrong. The function's
 * original body must pass every mapped test, and a body that raises NotImplementedError must not.
 * Tasks that fail either check are reported and left out of training.
 */
import { setMaxListeners } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Task } from '../tasks/task';
import type { VerifierPool } from './pool';
import type { VerificationResult } from './result';
import { verifyCandidate } from './verify';

export interface GroundTruthReport {
  id: string;
  file: string;
  symbol: string;
  /** original passed and stub did not. */
  ok: boolean;
  /** Why not ok, in one sentence; null when ok. */
  reason: string | null;
  original: VerificationResult;
  stub: VerificationResult;
}

export interface GroundTruthResult {
  passing: Task[];
  reports: GroundTruthReport[];
}

/** The original def (decorators included) exactly as it is in the workspace. */
export function originalSource(workspace: string, task: Task): string {
  const lines = readFileSync(join(workspace, task.file), 'utf8').split('\n');
  return `${lines.slice(task.bodySpan.startLine - 1, task.bodySpan.endLine).join('\n')}\n`;
}

/** The task's signature with a body that only raises: every test should fail. */
export function stubSource(task: Task): string {
  if (task.language === 'python') {
    const indent = /^[ \t]*/.exec(task.signature)?.[0] ?? '';
    return `${task.signature}\n${indent}    raise NotImplementedError\n`;
  }
  return `${task.signature} {\n  throw new Error('not implemented');\n}\n`;
}

export function groundTruthVerdict(original: VerificationResult, stub: VerificationResult): string | null {
  if (!original.passed) {
    const why = original.flags.length > 0
      ? `flagged ${original.flags.map((f) => `${f.code} (${f.message})`).join(', ')}`
      : `passed ${original.tests.filter((t) => t.outcome === 'passed').length}/${original.tests.length} tests`;
    return `the original code does not pass its own tests in the verifier: ${why}`;
  }
  if (stub.passed) return 'a body that only raises NotImplementedError passes every test: the tests do not check this function';
  return null;
}

export interface GroundTruthOptions {
  workspace: string;
  signal?: AbortSignal;
  /** Called as each task finishes (for progress output). */
  onReport?: (report: GroundTruthReport) => void;
}

/** A pool, or how to find the pool for a task (mixed-language workspaces: `LanguagePools.forTask`). */
export type PoolSource = VerifierPool | ((task: Task) => Promise<VerifierPool>);

/** Checks every task (submitted with the pool's back-pressure) and returns the passing set. */
export async function groundTruthCheck(tasks: readonly Task[], pools: PoolSource, options: GroundTruthOptions): Promise<GroundTruthResult> {
  // One private signal for the many jobs in flight (each listens while queued), linked to the caller's.
  const controller = new AbortController();
  setMaxListeners(0, controller.signal);
  const forward = (): void => controller.abort();
  options.signal?.addEventListener('abort', forward, { once: true });
  if (options.signal?.aborted) controller.abort();
  const verifyOptions = { workspace: options.workspace, signal: controller.signal };
  try {
    return await checkAll(tasks, pools, verifyOptions, options.onReport);
  } finally {
    options.signal?.removeEventListener('abort', forward);
  }
}

async function checkAll(tasks: readonly Task[], pools: PoolSource, options: { workspace: string; signal: AbortSignal },
  onReport?: (report: GroundTruthReport) => void): Promise<GroundTruthResult> {
  const reports = await Promise.all(tasks.map(async (task) => {
    const pool = typeof pools === 'function' ? await pools(task) : pools;
    const [original, stub] = await Promise.all([
      verifyCandidate(pool, task, originalSource(options.workspace, task), options),
      verifyCandidate(pool, task, stubSource(task), options),
    ]);
    const reason = groundTruthVerdict(original, stub);
    const report: GroundTruthReport = { id: task.id, file: task.file, symbol: task.symbol, ok: reason === null, reason, original, stub };
    onReport?.(report);
    return report;
  }));
  const ok = new Set(reports.filter((r) => r.ok).map((r) => r.id));
  return { passing: tasks.filter((t) => ok.has(t.id)), reports };
}
