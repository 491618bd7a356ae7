/**
 * The consequence of a cue: what happened to the code across it. "Illusion of insight" (arXiv
 * 2601.00514) found mid-trace shifts rarely change the answer, so a cue only counts as an aha when
 * failing code became passing code (`fix`).
 */
import { codeHash, normalizeCode } from './snippets';
import type { Consequence, ConsequenceJudge, Verdict } from './types';

/** Label from the code on both sides and their verdicts; null when either side has no code. */
export function labelConsequence(before: string | null, after: string | null, verdictBefore: Verdict, verdictAfter: Verdict): Consequence | null {
  if (before === null || after === null) return null;
  if (normalizeCode(before) === normalizeCode(after)) return 'confirm';
  if (verdictBefore === 'fail' && verdictAfter === 'pass') return 'fix';
  if (verdictBefore === 'pass' && verdictAfter === 'fail') return 'regress';
  if (verdictBefore === 'pass' && verdictAfter === 'pass') return 'confirm';
  return 'churn';
}

/**
 * Wraps a judge so each distinct snippet (by hash of its normalised code) is judged once; the
 * cache holds promises, so concurrent asks for the same code share one verification.
 */
export function cachedJudge(judge: ConsequenceJudge, cache: Map<string, Promise<Verdict>> = new Map()): ConsequenceJudge {
  return (code) => {
    const normalized = normalizeCode(code);
    const key = codeHash(normalized);
    let verdict = cache.get(key);
    if (!verdict) {
      verdict = judge(normalized);
      cache.set(key, verdict);
    }
    return verdict;
  };
}

/** The consequence of one cue, judging only what the label needs (no judge call for unchanged code). */
export async function judgeConsequence(before: string | null, after: string | null, judge: ConsequenceJudge): Promise<Consequence | null> {
  if (before === null || after === null) return null;
  if (normalizeCode(before) === normalizeCode(after)) return 'confirm';
  const [verdictBefore, verdictAfter] = await Promise.all([judge(before), judge(after)]);
  return labelConsequence(before, after, verdictBefore, verdictAfter);
}
