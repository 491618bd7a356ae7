/** The loop's CandidateVerifier over the sandboxed verifier pools (one per task language). */
import type { Task } from '../tasks/task';
import { verifyCandidate, type LanguagePoolsLike } from './verifier-deps';
import type { CandidateVerdict, CandidateVerifier } from './ports';

export class PoolVerifier implements CandidateVerifier {
  constructor(private readonly pools: LanguagePoolsLike, private readonly workspace: string) {}

  async verify(task: Task, code: string, signal?: AbortSignal): Promise<CandidateVerdict> {
    const pool = await this.pools.forTask(task);
    const result = await verifyCandidate(pool, task, code, { workspace: this.workspace, ...(signal ? { signal } : {}) });
    return {
      reward: result.reward,
      passed: result.passed,
      flags: result.flags.map((f) => ({ code: f.code, message: f.message })),
      tests: result.tests.map((t) => ({ id: t.id, outcome: t.outcome, duration: t.duration, message: t.message || null, heldOut: t.heldOut })),
      seconds: result.seconds,
    };
  }
}
