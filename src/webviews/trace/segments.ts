/**
 * Cuts the think text into spans for display: where aha events are (by category) and, with the
 * heatmap on, one span per token with its bucket. Pure; the DOM side makes one <span> per segment.
 * All offsets are UTF-16 units of the completion, as the store keeps them.
 */
import { AHA_CATEGORIES, type AhaEventVM, type HeatmapMode, type TokenStatsVM } from '../../shared/view-models';

export interface TextRange {
  start: number;
  end: number;
}

/** Half-open [start, end) of each completion token. */
export type TokenSpan = readonly [number, number];

export interface Segment {
  start: number;
  end: number;
  /** Index into the events array of the aha event covering the segment. */
  event: number | null;
  /** Completion token covering the segment (only with a heatmap). */
  token: number | null;
  /** Heat bucket 0..HEAT_BUCKETS-1, null without a value. */
  bucket: number | null;
}

export const HEAT_BUCKETS = 10;
/** Fixed scales, so colours mean the same in every trace: entropy in nats, surprisal (−logprob) in nats. */
export const HEAT_SCALE_MAX: Record<Exclude<HeatmapMode, 'off'>, number> = { entropy: 2.5, logprob: 6 };

/** Where the think text lies in the completion; without a think (untagged) the whole completion. */
export function thinkRange(completion: string, think: string | null): { range: TextRange; found: boolean } {
  if (think === null) return { range: { start: 0, end: completion.length }, found: true };
  const at = think === '' ? -1 : completion.indexOf(think);
  return at < 0 ? { range: { start: 0, end: completion.length }, found: false } : { range: { start: at, end: at + think.length }, found: true };
}

/**
 * Token spans from the per-token end offsets, or else from the decoded pieces (their lengths summed;
 * `approximate` when they do not add up to the completion, e.g. a tokenizer that normalises text).
 */
export function tokenSpans(tokens: TokenStatsVM | null, textLength: number): { spans: TokenSpan[]; approximate: boolean } | null {
  if (tokens === null) return null;
  const ends: number[] = [];
  let approximate = false;
  if (tokens.offsets !== null) ends.push(...tokens.offsets);
  else if (tokens.pieces !== null) {
    let sum = 0;
    for (const piece of tokens.pieces) ends.push((sum += piece.length));
    approximate = sum !== textLength;
  } else return null;
  const spans: TokenSpan[] = [];
  let previous = 0;
  for (const raw of ends) {
    const end = Math.min(textLength, Math.max(previous, Number.isFinite(raw) ? Math.floor(raw) : previous));
    spans.push([previous, end]);
    previous = end;
  }
  return { spans, approximate };
}

/** The value the heatmap shows per token: entropy, or surprisal (−logprob) so that "hot" means unsure in both modes. */
export function heatValues(tokens: TokenStatsVM | null, mode: HeatmapMode): number[] | null {
  if (tokens === null || mode === 'off') return null;
  if (mode === 'entropy') return tokens.entropies;
  return tokens.logprobs.map((lp) => -lp);
}

export function heatBucket(value: number | null | undefined, max: number): number | null {
  if (value === null || value === undefined || !Number.isFinite(value)) return null;
  const bucket = Math.floor((value / max) * HEAT_BUCKETS);
  return Math.max(0, Math.min(HEAT_BUCKETS - 1, bucket));
}

/** Index of the token whose span contains `offset` (binary search over ordered spans), or null. */
export function tokenAt(spans: readonly TokenSpan[], offset: number): number | null {
  let lo = 0;
  let hi = spans.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const [start, end] = spans[mid] as TokenSpan;
    if (offset < start) hi = mid - 1;
    else if (offset >= end) lo = mid + 1;
    else return mid;
  }
  return null;
}

/** Of the events covering `offset`, the one starting first (then the longer one). */
function eventAt(events: readonly AhaEventVM[], offset: number): number | null {
  let best: number | null = null;
  events.forEach((e, i) => {
    if (e.charStart > offset || offset >= e.charEnd) return;
    const b = best === null ? null : events[best];
    if (!b || e.charStart < b.charStart || (e.charStart === b.charStart && e.charEnd > b.charEnd)) best = i;
  });
  return best;
}

export interface SegmentInput {
  range: TextRange;
  events: readonly AhaEventVM[];
  /** Token spans and one heat value per token; null without a heatmap. */
  heat: { spans: readonly TokenSpan[]; values: readonly number[]; max: number } | null;
}

export function buildSegments(input: SegmentInput): Segment[] {
  const { range, events, heat } = input;
  const cuts = new Set<number>([range.start, range.end]);
  const inside = (x: number) => x > range.start && x < range.end;
  for (const e of events) for (const x of [e.charStart, e.charEnd]) if (inside(x)) cuts.add(x);
  if (heat) for (const [s, e] of heat.spans) for (const x of [s, e]) if (inside(x)) cuts.add(x);
  const points = [...cuts].sort((a, b) => a - b);
  const segments: Segment[] = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const start = points[i] as number;
    const end = points[i + 1] as number;
    const event = eventAt(events, start);
    const token = heat ? tokenAt(heat.spans, start) : null;
    const bucket = heat && token !== null ? heatBucket(heat.values[token], heat.max) : null;
    const last = segments[segments.length - 1];
    if (last && last.event === event && last.token === token && last.bucket === bucket) last.end = end;
    else segments.push({ start, end, event, token, bucket });
  }
  return segments;
}

/** CSS class for an event's category; categories this build does not know share `aha-other`. */
export function categoryClass(category: string): string {
  return (AHA_CATEGORIES as readonly string[]).includes(category) ? `aha-${category}` : 'aha-other';
}

const CONSEQUENCE_TEXT: Record<string, string> = {
  fix: 'fix — failing code became passing (an aha)',
  confirm: 'confirm — the code stayed the same, or passed before and after',
  regress: 'regress — passing code became failing',
  churn: 'churn — the code changed but did not start passing',
};

/** The hover text of an aha span: what the cue was and what it led to. */
export function describeEvent(event: AhaEventVM): string {
  const lines = [
    `${event.category} cue “${event.cue}” — ${event.phase}, ${Math.round(event.position * 100)}% through the reasoning`,
    `consequence: ${event.consequence === null ? 'not judged (no code on both sides, or no verifier)' : (CONSEQUENCE_TEXT[event.consequence] ?? event.consequence)}`,
  ];
  if (event.entropy !== null) lines.push(`entropy at cue ${event.entropy.toFixed(2)} nats${event.forking ? ' — a forking token (above the trace’s 80th percentile)' : ''}`);
  return lines.join('\n');
}
