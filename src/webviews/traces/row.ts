/** Fills one recycled list row with a trace summary; all model text goes in through textContent. */
import { fmt, h, replaceChildren, signed } from '../common/dom';
import type { TraceRowVM } from '../../shared/view-models';

export interface RowActions {
  openGroup(traceId: number): void;
}

/** The preview on one line: newlines and runs of spaces collapse so the row height stays fixed. */
export function previewLine(preview: string): string {
  return preview.replace(/\s+/g, ' ').trim();
}

function badges(row: TraceRowVM): HTMLElement[] {
  const out: HTMLElement[] = [];
  if (row.ahaCount > 0) out.push(h('span', { class: 'badge badge-aha', text: `aha ${row.ahaCount}`, title: `${row.ahaCount} aha / backtracking cue(s)` }));
  if (row.flagged) out.push(h('span', { class: 'badge badge-flag', text: 'flagged', title: 'Flagged for possible reward hacking' }));
  if (row.finishReason !== 'stop') out.push(h('span', { class: 'badge badge-finish', text: row.finishReason, title: 'Finish reason' }));
  if (row.kind === 'eval') out.push(h('span', { class: 'badge', text: row.evalLabel ?? 'eval', title: 'Evaluation sample' }));
  return out;
}

export function renderTraceRow(element: HTMLElement, row: TraceRowVM | undefined, groupStart: boolean, actions: RowActions): void {
  element.classList.toggle('loading', row === undefined);
  element.classList.toggle('group-start', row !== undefined && groupStart);
  element.classList.toggle('passed', row?.passed === true);
  element.classList.toggle('failed', row?.passed === false);
  if (row === undefined) {
    replaceChildren(element, h('div', { class: 'row-line muted', text: 'loading…' }));
    element.removeAttribute('title');
    return;
  }
  element.title = `Trace ${row.id} · ${row.taskId} · step ${row.step} · group ${row.groupIndex} sample ${row.sampleIndex}`;
  const group = h('button', { class: 'row-action', text: 'group', title: `Show the ${row.taskId} group of step ${row.step} side by side` });
  group.addEventListener('click', () => actions.openGroup(row.id));
  replaceChildren(element,
    h('div', { class: 'row-line' },
      h('span', { class: `status ${row.passed ? 'status-pass' : 'status-fail'}`, text: row.passed ? '✓' : '✗', title: row.passed ? 'passed' : 'failed' }),
      h('span', { class: 'reward', text: fmt(row.reward.total), title: 'Reward' }),
      h('span', { class: 'advantage', text: signed(row.advantage), title: 'Advantage' }),
      h('span', { class: 'task', text: row.taskId }),
      h('span', { class: 'step', text: `s${row.step}·g${row.groupIndex}·#${row.sampleIndex}` }),
      ...badges(row),
      h('span', { class: 'spacer' }),
      group),
    h('div', { class: 'row-line preview', text: previewLine(row.preview) }));
}
