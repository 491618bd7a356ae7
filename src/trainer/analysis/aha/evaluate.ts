/**
 * Scoring the detector on the hand-labelled set (test/fixtures/aha/labelled.jsonl, docs/analysis.md).
 * A labelled cue is located in the text (its words, nearest its labelled position); a detection
 * matches it when the category is the same and the spans overlap ("I'll double-check" matches a
 * label "double-check"). Each labelled cue matches at most one detection, nearest first.
 */
import { positionIn, thinkScope } from './scope';
import { AhaInputError } from './tokens';
import { CUE_CATEGORIES, type AhaEvent, type AhaReport, type CueCategory } from './types';

/** How far a label's position may be from where its text really is. */
export const POSITION_TOLERANCE = 0.1;

export interface LabelledCue {
  category: CueCategory;
  cue: string;
  /** Approximate 0..1 position in the think. */
  position: number;
}

/** `dev`: written before the detector was tuned on it; `fresh`: written after, never tuned on. */
export type LabelledSplit = 'dev' | 'fresh';

export interface LabelledSnippet {
  id: string;
  split: LabelledSplit;
  note: string;
  text: string;
  expected: LabelledCue[];
}

export interface CategoryScore {
  tp: number;
  fp: number;
  fn: number;
  /** null when nothing was detected (resp. nothing labelled) in this category. */
  precision: number | null;
  recall: number | null;
}

export interface EvalMistake {
  id: string;
  category: CueCategory;
  cue: string;
  position: number;
}

export interface EvalResult {
  snippets: number;
  byCategory: Record<CueCategory, CategoryScore>;
  /** Micro-averaged over categories. */
  overall: CategoryScore;
  /** Labelled cues the detector missed. */
  misses: EvalMistake[];
  /** Detections that match no labelled cue. */
  falseAlarms: EvalMistake[];
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function labelledCue(value: unknown, where: string): LabelledCue {
  if (!isRecord(value) || !CUE_CATEGORIES.includes(value.category as CueCategory) || typeof value.cue !== 'string'
    || typeof value.position !== 'number' || value.position < 0 || value.position > 1) {
    throw new AhaInputError(`${where}: an expected cue needs {category: one of ${CUE_CATEGORIES.join('/')}, cue: string, position: 0..1}`,
      'fix the entry in the labelled set');
  }
  return { category: value.category as CueCategory, cue: value.cue, position: value.position };
}

/** One JSONL line of the labelled set; throws AhaInputError naming the line and the field. */
export function parseLabelledLine(line: string, lineNumber: number): LabelledSnippet {
  const where = `labelled set line ${lineNumber}`;
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    throw new AhaInputError(`${where} is not JSON: ${(error as Error).message}`, 'each line must be one JSON object');
  }
  if (!isRecord(value) || typeof value.id !== 'string' || (value.split !== 'dev' && value.split !== 'fresh')
    || typeof value.note !== 'string' || typeof value.text !== 'string' || !Array.isArray(value.expected)) {
    throw new AhaInputError(`${where}: needs {id, split: "dev"|"fresh", note, text, expected: [...]}`, 'fix the entry in the labelled set');
  }
  const expected = value.expected.map((cue, i) => labelledCue(cue, `${where} (${value.id}) expected[${i}]`));
  return { id: value.id, split: value.split, note: value.note, text: value.text, expected };
}

export function parseLabelledSet(jsonl: string): LabelledSnippet[] {
  return jsonl.split('\n').flatMap((line, i) => (line.trim() === '' ? [] : [parseLabelledLine(line, i + 1)]));
}

interface Span {
  start: number;
  end: number;
}

/**
 * Where a labelled cue is in the text: the occurrence of its text (any case) nearest to its
 * labelled position. A label whose text is absent, or is nowhere near its position, is a broken label.
 */
export function locateCue(snippet: Pick<LabelledSnippet, 'id' | 'text'>, cue: LabelledCue): Span {
  const scope = thinkScope(snippet.text);
  const haystack = snippet.text.toLowerCase();
  const needle = cue.cue.toLowerCase();
  let best: { span: Span; distance: number } | null = null;
  for (let at = haystack.indexOf(needle, scope.start); at >= 0 && at < scope.end; at = haystack.indexOf(needle, at + 1)) {
    const distance = Math.abs(positionIn(scope, at) - cue.position);
    if (!best || distance < best.distance) best = { span: { start: at, end: at + needle.length }, distance };
  }
  if (!best || best.distance > POSITION_TOLERANCE) {
    throw new AhaInputError(`labelled cue ${JSON.stringify(cue.cue)} of ${snippet.id} is not in its think text near position ${cue.position}`,
      'the cue must be copied from the text, and its position must be within 0.1 of where it is');
  }
  return best.span;
}

const overlaps = (span: Span, event: AhaEvent): boolean => event.charStart < span.end && span.start < event.charEnd;

/** Pairs labelled cues with detections (same category, overlapping text); returns the unmatched ones on each side. */
export function matchCues(snippet: Pick<LabelledSnippet, 'id' | 'text' | 'expected'>, events: readonly AhaEvent[]): { matched: LabelledCue[]; missed: LabelledCue[]; extra: AhaEvent[] } {
  const free = new Set(events.map((_, i) => i));
  const matched: LabelledCue[] = [];
  const missed: LabelledCue[] = [];
  for (const cue of snippet.expected) {
    const span = locateCue(snippet, cue);
    const candidates = [...free].filter((i) => events[i]?.category === cue.category && overlaps(span, events[i] as AhaEvent));
    const distance = (i: number): number => Math.abs((events[i]?.charStart ?? 0) - span.start);
    const best = candidates.sort((i, j) => distance(i) - distance(j))[0];
    if (best === undefined) {
      missed.push(cue);
    } else {
      free.delete(best);
      matched.push(cue);
    }
  }
  return { matched, missed, extra: [...free].map((i) => events[i] as AhaEvent) };
}

function score(tp: number, fp: number, fn: number): CategoryScore {
  return { tp, fp, fn, precision: tp + fp > 0 ? tp / (tp + fp) : null, recall: tp + fn > 0 ? tp / (tp + fn) : null };
}

/** Runs `detect` on every snippet and scores it per category. */
export function evaluateDetector(snippets: readonly LabelledSnippet[], detect: (text: string) => AhaReport): EvalResult {
  const counts = Object.fromEntries(CUE_CATEGORIES.map((c) => [c, { tp: 0, fp: 0, fn: 0 }])) as Record<CueCategory, { tp: number; fp: number; fn: number }>;
  const misses: EvalMistake[] = [];
  const falseAlarms: EvalMistake[] = [];
  for (const snippet of snippets) {
    const { matched, missed, extra } = matchCues(snippet, detect(snippet.text).events);
    for (const cue of matched) counts[cue.category].tp += 1;
    for (const cue of missed) {
      counts[cue.category].fn += 1;
      misses.push({ id: snippet.id, category: cue.category, cue: cue.cue, position: cue.position });
    }
    for (const event of extra) {
      counts[event.category].fp += 1;
      falseAlarms.push({ id: snippet.id, category: event.category, cue: event.cue, position: event.position });
    }
  }
  const byCategory = Object.fromEntries(CUE_CATEGORIES.map((c) => [c, score(counts[c].tp, counts[c].fp, counts[c].fn)])) as Record<CueCategory, CategoryScore>;
  const total = (key: 'tp' | 'fp' | 'fn'): number => CUE_CATEGORIES.reduce((sum, c) => sum + counts[c][key], 0);
  return { snippets: snippets.length, byCategory, overall: score(total('tp'), total('fp'), total('fn')), misses, falseAlarms };
}
