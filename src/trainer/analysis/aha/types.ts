/**
 * Shapes of the aha / backtracking detector (docs/analysis.md). Pure types: the detector core runs
 * without Node or VS Code, so webviews can reuse it.
 */

/** Cue families, after Gandhi et al. 2025's behaviours plus code-specific cues. */
export type CueCategory = 'pause' | 'verify' | 'backtrack' | 'reconsider' | 'code';
export const CUE_CATEGORIES: readonly CueCategory[] = ['pause', 'verify', 'backtrack', 'reconsider', 'code'];

/** Before the first candidate solution in the think (`exploration`) or after it (`reflection`). */
export type Phase = 'exploration' | 'reflection';

/**
 * What the code did across the cue:
 * - `confirm`: the same code before and after, or both pass;
 * - `fix`: failing before, passing after (the only "aha");
 * - `regress`: passing before, failing after;
 * - `churn`: the code changed and the outcome did not (both fail) or is unknown.
 */
export type Consequence = 'confirm' | 'fix' | 'regress' | 'churn';

/** A judge's verdict on one code snippet; null when it could not tell (verifier crash, cancelled). */
export type Verdict = 'pass' | 'fail' | null;

/** Verifies one snippet, e.g. against the task's tests. Called at most once per distinct snippet. */
export type ConsequenceJudge = (code: string) => Promise<Verdict>;

/** Half-open [start, end) character span in the completion text, one per completion token. */
export type TokenSpan = readonly [start: number, end: number];

export interface CueEntropy {
  /** Entropy of the token the cue starts in. */
  atCue: number;
  /** Max entropy over the (up to) 3 tokens after the cue's first token; null at the end of the trace. */
  nextMax: number | null;
  /** 80th percentile of the trace's token entropies. */
  p80: number;
}

/** One cue in the reasoning. `rlvr aha --json` prints exactly these fields (docs/analysis.md). */
export interface AhaEvent {
  category: CueCategory;
  /** The cue as written, e.g. "Wait" or "let me double-check". */
  cue: string;
  /** [charStart, charEnd) in the completion text. */
  charStart: number;
  charEnd: number;
  /** Index of the completion token holding charStart; null without token offsets. */
  tokenIndex: number | null;
  /** 0..1 through the think text. */
  position: number;
  phase: Phase;
  /** null without a judge, or without code on both sides of the cue. */
  consequence: Consequence | null;
  /** null without per-token entropies. */
  entropy: CueEntropy | null;
  /** The cue or the 3 tokens after it reach the trace's 80th-percentile entropy; null without entropies. */
  forking: boolean | null;
}

/** Where the think text came from. `untagged`: no tags, the whole completion is taken as the think. */
export type ThinkSource = 'tags' | 'unclosed' | 'close-only' | 'untagged';

export interface AhaSummary {
  thinkSource: ThinkSource;
  thinkChars: number;
  /** Completion tokens overlapping the think; null without token offsets. */
  thinkTokens: number | null;
  /** What `cuesPer1k` is normalised by. */
  rateUnit: 'think_tokens' | 'think_chars';
  /** Cues per 1,000 think tokens (or think characters when no tokens were given). */
  cuesPer1k: number;
  total: number;
  byCategory: Record<CueCategory, number>;
  byPhase: Record<Phase, number>;
  /** 0..1 position of the first candidate solution in the think; null when the think has none. */
  firstSolutionPosition: number | null;
  /** Counts per consequence (`unknown`: no code on one side); null without a judge. */
  consequences: Record<Consequence | 'unknown', number> | null;
  /** Cues whose consequence is `fix`; null without a judge. */
  fixes: number | null;
  /**
   * Distinct failing → passing changes of the code (several cues between the same two snippets
   * share one): the number of aha moments. null without a judge.
   */
  fixTransitions: number | null;
  /** Cues marked `forking`; null without entropies. */
  forkingCues: number | null;
}

/** `rlvr aha --json` output. `version` changes only when a field changes meaning or is removed. */
export interface AhaReport {
  version: 1;
  events: AhaEvent[];
  summary: AhaSummary;
}

export interface DetectOptions {
  /** Per completion token, its [start, end) span in the text (see `spansFromTokenTexts`). */
  tokenSpans?: readonly TokenSpan[];
  /** Per completion token, the sampling entropy (same length as tokenSpans). */
  entropies?: readonly number[];
  /** Only code that defines this function counts as a candidate ("slugify" or "Stack.push"). */
  solutionSymbol?: string;
}

export interface ConsequenceOptions extends DetectOptions {
  judge: ConsequenceJudge;
  /** Verdicts by code hash; pass one map to share verdicts across traces of the same task. */
  verdictCache?: Map<string, Promise<Verdict>>;
}
