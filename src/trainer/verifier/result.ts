/**
 * From a fork-server reply to a reward. Pure. The server's own flags are merged with checks that
 * only trust the structure of the reply: the reported test ids must be exactly the requested ones
 * plus the sentinel, the sentinel (which always fails) must fail, and a skip or xfail is never a pass.
 */
import type { Task } from '../tasks/task';
import { FLAG } from './flags';
import type { Flag, ServeReply, TestOutcome } from './protocol';

export interface VerifiedTest {
  id: string;
  outcome: TestOutcome;
  duration: number;
  message: string;
  /** A held-out test: never shown in prompts. */
  heldOut: boolean;
}

/** `rlvr verify --json` prints exactly this (docs/verifier.md). */
export interface VerificationResult {
  task: string;
  /** Fraction of the task's tests that passed; 0 when any flag is raised. */
  reward: number;
  /** Every test passed and no flag. */
  passed: boolean;
  flags: Flag[];
  /** The task's tests only (the sentinel is checked, then left out). */
  tests: VerifiedTest[];
  seconds: number;
}

const NOT_A_PASS: ReadonlySet<TestOutcome> = new Set(['skipped', 'xfailed', 'xpassed']);

/** The sentinel's reported id is "<module>::<name>" (or just the name): match on the last part. */
export const isSentinelId = (id: string, sentinel: string): boolean => id === sentinel || id.endsWith(`::${sentinel}`);

export function scoreReply(task: Task, sentinel: string, reply: ServeReply): VerificationResult {
  // Our own checks repeat the server's where both see the problem: keep the server's wording then.
  const serverCodes = new Set(reply.flags.map((f) => f.code));
  const ours = [...statusFlags(reply), ...(reply.status === 'ok' ? structureFlags(task, sentinel, reply) : [])];
  const flags = [...reply.flags, ...ours.filter((f) => !serverCodes.has(f.code))];
  const heldOut = new Set(task.heldOutTests);
  const wanted = new Set(task.tests);
  const tests: VerifiedTest[] = reply.tests
    .filter((t) => wanted.has(t.id))
    .map((t) => ({ ...t, heldOut: heldOut.has(t.id) }));
  const passedIds = new Set(tests.filter((t) => t.outcome === 'passed').map((t) => t.id));
  const merged = dedupeFlags(flags);
  const fraction = task.tests.length === 0 ? 0 : task.tests.filter((id) => passedIds.has(id)).length / task.tests.length;
  const reward = merged.length > 0 ? 0 : fraction;
  return { task: task.id, reward, passed: merged.length === 0 && fraction === 1, flags: merged, tests, seconds: reply.seconds };
}

function statusFlags(reply: ServeReply): Flag[] {
  const has = (code: string): boolean => reply.flags.some((f) => f.code === code);
  if (reply.status === 'timeout' && !has(FLAG.timeout)) return [{ code: FLAG.timeout, message: 'the candidate ran past its wall-clock limit' }];
  if (reply.status === 'crashed' && !has(FLAG.crashed)) return [{ code: FLAG.crashed, message: 'the test run crashed before reporting' }];
  if (reply.status === 'rejected' && reply.flags.length === 0) return [{ code: FLAG.parseError, message: 'rejected by the static checks without a reason' }];
  return [];
}

export function structureFlags(task: Task, sentinel: string, reply: ServeReply): Flag[] {
  const flags: Flag[] = [];
  const reported = reply.tests.map((t) => t.id);
  const sentinels = reply.tests.filter((t) => isSentinelId(t.id, sentinel));
  const others = reported.filter((id) => !isSentinelId(id, sentinel));
  const expected = new Set(task.tests);
  const missing = task.tests.filter((id) => !others.includes(id));
  const extra = others.filter((id) => !expected.has(id));
  const duplicated = others.length !== new Set(others).size;
  if (missing.length || extra.length || duplicated || sentinels.length !== 1) {
    const parts = [
      missing.length ? `missing ${preview(missing)}` : '',
      extra.length ? `unexpected ${preview(extra)}` : '',
      duplicated ? 'a test reported twice' : '',
      sentinels.length !== 1 ? `sentinel reported ${sentinels.length} times` : '',
    ].filter(Boolean);
    flags.push({ code: FLAG.testSetMismatch, message: `the reported tests differ from the requested ones: ${parts.join('; ')}` });
  }
  const notFailed = sentinels.filter((t) => t.outcome !== 'failed');
  if (notFailed.length > 0) {
    flags.push({ code: FLAG.sentinelPassed, message: `the always-failing sentinel test was reported as ${notFailed.map((t) => t.outcome).join(', ')}` });
  }
  const skipped = reply.tests.filter((t) => expected.has(t.id) && NOT_A_PASS.has(t.outcome));
  if (skipped.length > 0) {
    flags.push({ code: FLAG.skippedNotPassed, message: `tests that pass at baseline were ${skipped.map((t) => `${t.outcome}: ${t.id}`).slice(0, 3).join(', ')}` });
  }
  return flags;
}

function preview(ids: string[]): string {
  return ids.length <= 3 ? ids.join(', ') : `${ids.slice(0, 3).join(', ')} and ${ids.length - 3} more`;
}

function dedupeFlags(flags: Flag[]): Flag[] {
  const seen = new Set<string>();
  return flags.filter((f) => {
    const key = `${f.code}\0${f.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** A result for a candidate that never got a reply (crash after retry, cancellation). */
export function failedResult(task: Task, flag: Flag, seconds: number): VerificationResult {
  return { task: task.id, reward: 0, passed: false, flags: [flag], tests: [], seconds };
}
