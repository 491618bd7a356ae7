/** The reasoning with aha cues highlighted by category and an optional token heatmap. */
import { h, replaceChildren } from '../common/dom';
import { select } from '../common/controls';
import { AHA_CATEGORIES, HEATMAP_MODES, type HeatmapMode, type TraceDetailVM } from '../../shared/view-models';
import {
  HEAT_BUCKETS, HEAT_SCALE_MAX, buildSegments, categoryClass, describeEvent, heatValues, thinkRange, tokenSpans,
  type Segment, type SegmentInput,
} from './segments';

const HEATMAP_LABELS: Record<HeatmapMode, string> = { off: 'No heatmap', entropy: 'Heatmap: entropy', logprob: 'Heatmap: −logprob' };

export interface ThinkView {
  element: HTMLElement;
  show(detail: TraceDetailVM, mode: HeatmapMode): void;
}

function legend(detail: TraceDetailVM, mode: HeatmapMode): HTMLElement {
  const present = new Set(detail.ahaEvents.map((e) => categoryClass(e.category)));
  const categories = [...AHA_CATEGORIES.map((c) => `aha-${c}`), 'aha-other'].filter((c) => present.has(c));
  const items = categories.map((c) => h('span', { class: `legend-item ${c}`, text: c.slice(4) }));
  const consequences = new Set(detail.ahaEvents.map((e) => e.consequence));
  if (consequences.has('fix')) items.push(h('span', { class: 'legend-item consequence-fix', text: 'led to a fix', title: 'Failing code before the cue, passing after' }));
  if (consequences.has('regress')) items.push(h('span', { class: 'legend-item consequence-regress', text: 'led to a regression', title: 'Passing code before the cue, failing after' }));
  if (mode !== 'off') {
    const max = HEAT_SCALE_MAX[mode];
    const scale = h('span', { class: 'heat-scale', title: `0 … ${max} nats, ${HEAT_BUCKETS} steps` },
      h('span', { text: mode === 'entropy' ? 'entropy 0' : 'surprisal 0' }),
      ...Array.from({ length: HEAT_BUCKETS }, (_, b) => h('span', { class: `heat-swatch heat-${b}` })),
      h('span', { text: `≥${max}` }));
    items.push(scale);
  }
  return h('div', { class: 'legend' }, items.length > 0 ? h('span', { class: 'muted', text: 'Legend:' }) : null, ...items);
}

function tokenTitle(detail: TraceDetailVM, token: number): string {
  const t = detail.tokens;
  if (!t) return '';
  const parts = [`token ${token}`, `logprob ${(t.logprobs[token] ?? NaN).toFixed(3)}`];
  const entropy = t.entropies?.[token];
  if (entropy !== undefined) parts.push(`entropy ${entropy.toFixed(3)}`);
  return parts.join(' · ');
}

function segmentElement(detail: TraceDetailVM, segment: Segment): Node {
  const text = detail.completion.slice(segment.start, segment.end);
  if (segment.event === null && segment.bucket === null) return document.createTextNode(text);
  const classes: string[] = [];
  const titles: string[] = [];
  const event = segment.event === null ? undefined : detail.ahaEvents[segment.event];
  if (event) {
    classes.push('aha', categoryClass(event.category));
    if (event.consequence) classes.push(`consequence-${event.consequence}`);
    titles.push(describeEvent(event));
  }
  if (segment.bucket !== null) classes.push(`heat heat-${segment.bucket}`);
  if (segment.token !== null && segment.bucket !== null) titles.push(tokenTitle(detail, segment.token));
  return h(event ? 'mark' : 'span', { class: classes.join(' '), text, title: titles.join('\n') });
}

function heatFor(detail: TraceDetailVM, mode: HeatmapMode): { heat: SegmentInput['heat']; note: string | null } {
  if (mode === 'off') return { heat: null, note: null };
  const spans = tokenSpans(detail.tokens, detail.completion.length);
  const values = heatValues(detail.tokens, mode);
  if (!spans || !values) return { heat: null, note: `No per-token ${mode === 'entropy' ? 'entropies' : 'log-probabilities'} or token positions stored for this trace.` };
  return {
    heat: { spans: spans.spans, values, max: HEAT_SCALE_MAX[mode] },
    note: spans.approximate ? 'Token positions come from decoded pieces that do not add up to the text exactly; the heatmap may drift.' : null,
  };
}

export function createThinkView(initialMode: HeatmapMode, onMode: (mode: HeatmapMode) => void): ThinkView {
  const modeSelect = select(HEATMAP_MODES.map((m) => ({ value: m, label: HEATMAP_LABELS[m] })), initialMode, 'Token heatmap');
  const legendSlot = h('div');
  const notes = h('div', { class: 'notes' });
  const body = h('pre', { class: 'think', attrs: { tabindex: '0' } });
  const element = h('section', { class: 'think-view' }, h('div', { class: 'toolbar' }, modeSelect.element, legendSlot), notes, body);
  let shown: TraceDetailVM | null = null;
  const render = (detail: TraceDetailVM, mode: HeatmapMode) => {
    shown = detail;
    const { range, found } = thinkRange(detail.completion, detail.think);
    const { heat, note } = heatFor(detail, mode);
    const segments = buildSegments({ range, events: detail.ahaEvents, heat });
    const fragment = document.createDocumentFragment();
    for (const segment of segments) fragment.appendChild(segmentElement(detail, segment));
    replaceChildren(body, fragment);
    replaceChildren(legendSlot, legend(detail, mode));
    replaceChildren(notes,
      found ? null : h('p', { class: 'muted', text: 'The think text was not found in the completion; showing the whole completion.' }),
      detail.think === null ? h('p', { class: 'muted', text: 'No <think> tags: the whole completion is shown as the reasoning.' }) : null,
      note ? h('p', { class: 'muted', text: note }) : null);
  };
  modeSelect.onChange((value) => {
    const mode = value as HeatmapMode;
    onMode(mode);
    if (shown) render(shown, mode);
  });
  return { element, show: (detail, mode) => { modeSelect.setValue(mode); render(detail, mode); } };
}
