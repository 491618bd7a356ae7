/**
 * The detector: think scope → masked prose → cues → events with position, phase, token index,
 * entropy and (with a judge) consequence. `detectCues` is synchronous and judges nothing;
 * `detectAha` adds consequences by verifying the code before and after each cue.
 */
import { parseCompletion } from '../../rl/completion';
import { cachedJudge, judgeConsequence } from './consequence';
import { cueEntropy, entropyContext, type EntropyContext } from './entropy';
import { maskThink } from './mask';
import { findCues, type CueMatch } from './match';
import { positionIn, thinkScope, type ThinkScope } from './scope';
import { candidateSnippets, firstSolutionStart, type Snippet } from './snippets';
import { summarize } from './summary';
import { checkTokenInputs, tokenIndexAt } from './tokens';
import type { AhaEvent, AhaReport, ConsequenceOptions, DetectOptions } from './types';

interface Analysis {
  scope: ThinkScope;
  matches: CueMatch[];
  /** In think-local offsets. */
  snippets: Snippet[];
  firstSolution: number | null;
  /** The final answer's code, as the trainer extracts it; null when there is no answer after a `</think>`. */
  finalCode: string | null;
  entropy: EntropyContext | null;
}

function analyse(text: string, options: DetectOptions): Analysis {
  checkTokenInputs(text.length, options.tokenSpans, options.entropies);
  const scope = thinkScope(text);
  const think = text.slice(scope.start, scope.end);
  const { masked, layout } = maskThink(think);
  const firstLocal = firstSolutionStart(layout);
  return {
    scope,
    matches: findCues(masked),
    snippets: candidateSnippets(think, layout, options.solutionSymbol),
    firstSolution: firstLocal === null ? null : scope.start + firstLocal,
    finalCode: scope.source === 'tags' || scope.source === 'close-only' ? parseCompletion(text).code : null,
    entropy: options.entropies ? entropyContext(options.entropies) : null,
  };
}

function toEvent(text: string, analysis: Analysis, match: CueMatch, options: DetectOptions): AhaEvent {
  const charStart = analysis.scope.start + match.start;
  const charEnd = analysis.scope.start + match.end;
  const tokenIndex = options.tokenSpans ? tokenIndexAt(options.tokenSpans, charStart) : null;
  const entropy = analysis.entropy && tokenIndex !== null ? cueEntropy(analysis.entropy, tokenIndex) : null;
  return {
    category: match.category,
    cue: text.slice(charStart, charEnd),
    charStart,
    charEnd,
    tokenIndex,
    position: positionIn(analysis.scope, charStart),
    phase: analysis.firstSolution !== null && charStart >= analysis.firstSolution ? 'reflection' : 'exploration',
    consequence: null,
    entropy: entropy?.entropy ?? null,
    forking: entropy ? entropy.forking : null,
  };
}

function report(analysis: Analysis, events: AhaEvent[], options: DetectOptions, fixTransitions: number | null): AhaReport {
  const summary = summarize({
    events,
    scope: analysis.scope,
    tokenSpans: options.tokenSpans,
    firstSolutionPosition: analysis.firstSolution === null ? null : positionIn(analysis.scope, analysis.firstSolution),
    fixTransitions,
    withEntropies: options.entropies !== undefined,
  });
  return { version: 1, events, summary };
}

/** Cues of one completion, without consequences. Throws AhaInputError on malformed token inputs. */
export function detectCues(text: string, options: DetectOptions = {}): AhaReport {
  const analysis = analyse(text, options);
  return report(analysis, analysis.matches.map((m) => toEvent(text, analysis, m, options)), options, null);
}

/**
 * The code a cue is judged on: the last candidate before it, and the next one after it (or the
 * answer's code). `gap` names the pair: cues between the same two snippets share it.
 */
export function codeAround(analysis: Pick<Analysis, 'snippets' | 'finalCode'>, match: Pick<CueMatch, 'start' | 'end'>): { before: string | null; after: string | null; gap: string } {
  const before = analysis.snippets.filter((s) => s.end <= match.start).pop() ?? null;
  const after = analysis.snippets.find((s) => s.start >= match.end) ?? null;
  return { before: before?.code ?? null, after: after?.code ?? analysis.finalCode, gap: `${before?.start ?? 'none'}→${after?.start ?? 'answer'}` };
}

/** Cues with consequences: each distinct snippet is judged once (cached by code hash). */
export async function detectAha(text: string, options: ConsequenceOptions): Promise<AhaReport> {
  const analysis = analyse(text, options);
  const judge = cachedJudge(options.judge, options.verdictCache);
  const fixGaps = new Set<string>();
  const events = await Promise.all(analysis.matches.map(async (match) => {
    const { before, after, gap } = codeAround(analysis, match);
    const consequence = await judgeConsequence(before, after, judge);
    if (consequence === 'fix') fixGaps.add(gap);
    return { ...toEvent(text, analysis, match, options), consequence };
  }));
  return report(analysis, events, options, fixGaps.size);
}
