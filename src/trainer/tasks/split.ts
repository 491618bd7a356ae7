/**
 * Visible / held-out split of a task's tests.
 *
 * Rule (documented in docs/mining.md):
 * 1. Each test id gets a score: the first 8 hex digits of sha256("rlvr-heldout\0" + id) as a
 *    fraction of 2^32. The score depends on the id alone, so a test has the same status in every
 *    task that maps it, and adding or removing a test does not reshuffle the others.
 * 2. A test is held out when its score is below 1/3.
 * 3. Clamps: a task with >= 2 tests holds out at least 1 and at most max(1, floor(n / 3)) tests, so
 *    at least one test always stays visible; a task with one test holds nothing out. When a clamp
 *    applies, the tests with the lowest scores are the held-out ones (ties broken by id).
 */
import { createHash } from 'node:crypto';

export interface TestSplit {
  visibleTests: string[];
  heldOutTests: string[];
}

const HELD_OUT_FRACTION = 1 / 3;

export function heldOutScore(testId: string): number {
  const hex = createHash('sha256').update(`rlvr-heldout\0${testId}`).digest('hex').slice(0, 8);
  return Number.parseInt(hex, 16) / 2 ** 32;
}

/** The largest number of held-out tests a task with `n` tests may have. */
export function maxHeldOut(n: number): number {
  return n < 2 ? 0 : Math.max(1, Math.floor(n * HELD_OUT_FRACTION));
}

/** Splits `tests` (deduplicated; order of the output follows the input order). */
export function splitTests(tests: readonly string[]): TestSplit {
  const unique = [...new Set(tests)];
  const ranked = unique
    .map((id) => ({ id, score: heldOutScore(id) }))
    .sort((a, b) => a.score - b.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const belowThreshold = ranked.filter((t) => t.score < HELD_OUT_FRACTION).length;
  const upper = maxHeldOut(unique.length);
  const count = Math.min(upper, Math.max(upper > 0 ? 1 : 0, belowThreshold));
  const heldOut = new Set(ranked.slice(0, count).map((t) => t.id));
  return {
    visibleTests: unique.filter((id) => !heldOut.has(id)),
    heldOutTests: unique.filter((id) => heldOut.has(id)),
  };
}
