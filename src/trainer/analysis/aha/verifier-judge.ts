/**
 * A ConsequenceJudge backed by the sandboxed verifier: a snippet passes when it passes every test
 * of the task. Node-only (it drives verifier processes), so it is not exported from `./index`.
 */
import { RlvrError } from '../../errors';
import type { Task } from '../../tasks/task';
import { createPythonPool, FLAG, verifyCandidate, VerifierPool, type VerificationResult } from '../../verifier';
import { jsServerFactory } from '../../verifier/js/js-server';
import type { ConsequenceJudge, Verdict } from './types';

/**
 * pass / fail from a verification. No verdict when the verifier itself gave up (a crash without a
 * single test report, or a cancellation): "unknown" must not turn into a fake `fix` or `regress`.
 */
export function verdictOf(result: VerificationResult): Verdict {
  if (result.passed) return 'pass';
  const infrastructure = result.flags.some((f) => f.code === FLAG.cancelled || f.code === FLAG.crashed);
  if (infrastructure && result.tests.length === 0) return null;
  return 'fail';
}

export interface VerifierJudgeOptions {
  workspace: string;
  signal?: AbortSignal;
}

export function verifierJudge(pool: VerifierPool, task: Task, options: VerifierJudgeOptions): ConsequenceJudge {
  return async (code) => verdictOf(await verifyCandidate(pool, task, code, options));
}

export interface JudgePoolOptions {
  workspace: string;
  python?: string;
  unsafeNoSandbox?: boolean;
}

/** One verifier server is enough here: a trace has a handful of distinct snippets. */
export async function createJudgePool(task: Task, options: JudgePoolOptions): Promise<VerifierPool> {
  if (task.language === 'python') {
    return (await createPythonPool({ workspace: options.workspace, python: options.python, unsafeNoSandbox: options.unsafeNoSandbox, size: 1 })).pool;
  }
  if (task.language === 'javascript' || task.language === 'typescript') {
    return new VerifierPool({ size: 1, factory: jsServerFactory({ unsafeNoSandbox: options.unsafeNoSandbox }) });
  }
  throw new RlvrError(`task ${task.id} has language ${String(task.language)}, which the verifier cannot run`, 'bad_input', 'pick a Python or JavaScript/TypeScript task');
}
