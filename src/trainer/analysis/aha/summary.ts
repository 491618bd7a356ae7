/** Per-trace totals: counts by category and phase, the cue rate, consequences and forking cues. */
import type { ThinkScope } from './scope';
import { tokensOverlapping } from './tokens';
import { CUE_CATEGORIES, type AhaEvent, type AhaSummary, type Consequence, type CueCategory, type TokenSpan } from './types';

export interface SummaryInputs {
  events: readonly AhaEvent[];
  scope: ThinkScope;
  tokenSpans: readonly TokenSpan[] | undefined;
  firstSolutionPosition: number | null;
  /** Distinct failing → passing code changes (null without a judge). */
  fixTransitions: number | null;
  withEntropies: boolean;
}

function countBy<K extends string>(keys: readonly K[], values: readonly K[]): Record<K, number> {
  const counts = Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;
  for (const value of values) counts[value] += 1;
  return counts;
}

const CONSEQUENCE_KEYS: readonly (Consequence | 'unknown')[] = ['confirm', 'fix', 'regress', 'churn', 'unknown'];

export function summarize(inputs: SummaryInputs): AhaSummary {
  const { events, scope, tokenSpans } = inputs;
  const thinkChars = scope.end - scope.start;
  const thinkTokens = tokenSpans ? tokensOverlapping(tokenSpans, scope.start, scope.end) : null;
  const denominator = thinkTokens ?? thinkChars;
  const consequences = inputs.fixTransitions !== null ? countBy(CONSEQUENCE_KEYS, events.map((e) => e.consequence ?? 'unknown')) : null;
  return {
    thinkSource: scope.source,
    thinkChars,
    thinkTokens,
    rateUnit: thinkTokens === null ? 'think_chars' : 'think_tokens',
    cuesPer1k: denominator > 0 ? (1000 * events.length) / denominator : 0,
    total: events.length,
    byCategory: countBy<CueCategory>(CUE_CATEGORIES, events.map((e) => e.category)),
    byPhase: countBy(['exploration', 'reflection'], events.map((e) => e.phase)),
    firstSolutionPosition: inputs.firstSolutionPosition,
    consequences,
    fixes: consequences ? consequences.fix : null,
    fixTransitions: inputs.fixTransitions,
    forkingCues: inputs.withEntropies ? events.filter((e) => e.forking === true).length : null,
  };
}
