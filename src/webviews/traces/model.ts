/**
 * Pure view logic of the trace list: the filter form → the host's query, the virtual list's
 * window, and group boundaries for "group by prompt". No DOM here (unit-tested in node).
 */
import type { TraceFilter, TraceSortSpec } from '../../shared/webview-messages';
import type { TraceRowVM, TraceSortKey } from '../../shared/view-models';

/** What the filter controls hold, as typed by the user (all strings, '' = no filter). */
export interface FilterForm {
  search: string;
  stepMin: string;
  stepMax: string;
  taskId: string;
  minReward: string;
  maxReward: string;
  /** '', 'passed' or 'failed'. */
  outcome: string;
  finishReason: string;
  /** '', 'train' or 'eval'. */
  kind: string;
  hasAha: boolean;
  flagged: boolean;
}

export const EMPTY_FORM: FilterForm = {
  search: '', stepMin: '', stepMax: '', taskId: '', minReward: '', maxReward: '', outcome: '',
  finishReason: '', kind: '', hasAha: false, flagged: false,
};

export interface FilterResult {
  filter: TraceFilter;
  /** One line per field that could not be read; those fields are left out of the filter. */
  problems: string[];
}

function parseNumber(raw: string, name: string, problems: string[], integer: boolean): number | undefined {
  const trimmed = raw.trim();
  if (trimmed === '') return undefined;
  const value = Number(trimmed);
  const ok = Number.isFinite(value) && (!integer || (Number.isInteger(value) && value >= 0));
  if (!ok) {
    problems.push(`${name}: "${trimmed.slice(0, 20)}" is not ${integer ? 'a whole number ≥ 0' : 'a number'}`);
    return undefined;
  }
  return value;
}

/** Maps the form to the query the host runs; checkboxes filter only when ticked ("has aha", not "has no aha"). */
export function filterFromForm(form: FilterForm, runId: string): FilterResult {
  const problems: string[] = [];
  const filter: TraceFilter = { runId };
  const min = parseNumber(form.stepMin, 'step from', problems, true);
  const max = parseNumber(form.stepMax, 'step to', problems, true);
  if (min !== undefined || max !== undefined) {
    filter.step = {};
    if (min !== undefined) filter.step.min = min;
    if (max !== undefined) filter.step.max = max;
  }
  const minReward = parseNumber(form.minReward, 'min reward', problems, false);
  const maxReward = parseNumber(form.maxReward, 'max reward', problems, false);
  if (minReward !== undefined) filter.minReward = minReward;
  if (maxReward !== undefined) filter.maxReward = maxReward;
  if (min !== undefined && max !== undefined && min > max) problems.push(`step from ${min} is after step to ${max}: nothing can match`);
  if (minReward !== undefined && maxReward !== undefined && minReward > maxReward) problems.push(`min reward ${minReward} is above max reward ${maxReward}: nothing can match`);
  if (form.taskId !== '') filter.taskId = form.taskId;
  if (form.outcome === 'passed' || form.outcome === 'failed') filter.passed = form.outcome === 'passed';
  if (form.finishReason !== '') filter.finishReason = form.finishReason;
  if (form.kind === 'train' || form.kind === 'eval') filter.kind = form.kind;
  if (form.hasAha) filter.hasAha = true;
  if (form.flagged) filter.flagged = true;
  const search = form.search.trim();
  if (search !== '') filter.search = search.slice(0, 500);
  return { filter, problems };
}

/**
 * Grouping by prompt shows siblings next to each other; they are stored together, so insertion
 * order (id) keeps them adjacent on every page without a special query.
 */
export function effectiveSort(sort: TraceSortSpec, groupByPrompt: boolean): TraceSortSpec {
  return groupByPrompt ? { key: 'id', order: sort.order } : sort;
}

export const SORT_LABELS: Record<TraceSortKey, string> = { reward: 'Reward', step: 'Step', length: 'Length', id: 'Newest' };

export interface ListWindow {
  /** First row to render. */
  start: number;
  /** One past the last row to render. */
  end: number;
  /** Pixels from the top of the scroll area to row `start`. */
  offsetY: number;
}

/** The rows to render for a scroll position, plus `overscan` rows on each side. */
export function visibleWindow(scrollTop: number, viewportHeight: number, rowHeight: number, count: number, overscan = 8): ListWindow {
  if (count <= 0 || rowHeight <= 0) return { start: 0, end: 0, offsetY: 0 };
  const first = Math.floor(Math.max(0, scrollTop) / rowHeight);
  const visible = Math.ceil(Math.max(0, viewportHeight) / rowHeight) + 1;
  const start = Math.max(0, Math.min(count - 1, first - overscan));
  const end = Math.min(count, first + visible + overscan);
  return { start, end: Math.max(start, end), offsetY: start * rowHeight };
}

/** The scroll position that brings row `index` into view (unchanged when it already is). */
export function scrollToReveal(index: number, scrollTop: number, viewportHeight: number, rowHeight: number): number {
  const top = index * rowHeight;
  if (top < scrollTop) return top;
  if (top + rowHeight > scrollTop + viewportHeight) return top + rowHeight - viewportHeight;
  return scrollTop;
}

/** Siblings of one GRPO group share run, kind, evaluation, step and group index. */
export function groupKey(row: Pick<TraceRowVM, 'runId' | 'kind' | 'evalLabel' | 'step' | 'groupIndex'>): string {
  return JSON.stringify([row.runId, row.kind, row.evalLabel, row.step, row.groupIndex]);
}

/** True when `row` starts a new group after `previous` (unknown previous rows count as a start). */
export function startsGroup(previous: TraceRowVM | undefined, row: TraceRowVM): boolean {
  return previous === undefined || groupKey(previous) !== groupKey(row);
}
