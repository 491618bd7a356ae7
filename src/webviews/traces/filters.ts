/** The filter bar of the trace list: run, search, sort, group-by-prompt and the filter fields. */
import { button, checkbox, labelled, select, textfield, type Choice } from '../common/controls';
import { h } from '../common/dom';
import type { TraceFacets, TraceSortSpec } from '../../shared/webview-messages';
import { TRACE_SORT_KEYS, type RunVM, type TraceSortKey } from '../../shared/view-models';
import { SORT_LABELS, type FilterForm } from './model';

export interface FilterBarState {
  runId: string;
  form: FilterForm;
  sort: TraceSortSpec;
  groupByPrompt: boolean;
}

export interface FilterBar {
  element: HTMLElement;
  read(): FilterBarState;
  setRuns(runs: readonly RunVM[], runId: string): void;
  setFacets(facets: TraceFacets): void;
}

type Changed = (what: 'run' | 'query') => void;

const anyChoice = (label: string): Choice => ({ value: '', label });
const runChoice = (run: RunVM): Choice => ({ value: run.id, label: `${run.id} · ${run.status} · step ${run.lastStep}` });

/** Text fields apply after the user stops typing; selects and checkboxes at once. */
function debounced(fn: () => void, ms: number): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return () => {
    clearTimeout(timer);
    timer = setTimeout(fn, ms);
  };
}

export function createFilterBar(initial: FilterBarState, onChange: Changed): FilterBar {
  const f = initial.form;
  const run = select([], initial.runId, 'Run');
  const search = textfield(f.search, 'Search traces (words, prefix*)', 'Full-text search');
  const sortKey = select(TRACE_SORT_KEYS.map((k) => ({ value: k, label: SORT_LABELS[k] })), initial.sort.key, 'Sort by');
  let order = initial.sort.order;
  const orderButton = button(order === 'desc' ? '↓' : '↑', () => {
    order = order === 'desc' ? 'asc' : 'desc';
    orderButton.textContent = order === 'desc' ? '↓' : '↑';
    onChange('query');
  }, true);
  orderButton.title = 'Sort order';
  const group = checkbox(initial.groupByPrompt, 'Group by prompt');
  const fields = {
    stepMin: textfield(f.stepMin, 'from', 'Step from'), stepMax: textfield(f.stepMax, 'to', 'Step to'),
    minReward: textfield(f.minReward, 'min', 'Min reward'), maxReward: textfield(f.maxReward, 'max', 'Max reward'),
  };
  const task = select([anyChoice('any task')], f.taskId, 'Task');
  const finish = select([anyChoice('any finish')], f.finishReason, 'Finish reason');
  const outcome = select([anyChoice('passed or failed'), { value: 'passed', label: 'passed' }, { value: 'failed', label: 'failed' }], f.outcome, 'Outcome');
  const kind = select([anyChoice('train and eval'), { value: 'train', label: 'train' }, { value: 'eval', label: 'eval' }], f.kind, 'Kind');
  const hasAha = checkbox(f.hasAha, 'has aha');
  const flagged = checkbox(f.flagged, 'flagged');

  const query = () => onChange('query');
  const typed = debounced(query, 300);
  run.onChange(() => onChange('run'));
  for (const control of [sortKey, task, finish, outcome, kind]) control.onChange(query);
  for (const control of [group, hasAha, flagged]) control.addEventListener('change', query);
  for (const control of [search, ...Object.values(fields)]) control.addEventListener('input', typed);

  const more = document.createElement('vscode-collapsible');
  more.heading = 'Filters';
  more.open = Object.entries(f).some(([key, value]) => key !== 'search' && value !== '' && value !== false);
  more.appendChild(h('div', { class: 'filter-grid' },
    labelled('Steps', h('span', { class: 'pair' }, fields.stepMin, fields.stepMax)),
    labelled('Reward', h('span', { class: 'pair' }, fields.minReward, fields.maxReward)),
    labelled('Task', task.element), labelled('Outcome', outcome.element), labelled('Finish', finish.element), labelled('Kind', kind.element),
    h('span', { class: 'checks' }, hasAha, flagged)));

  const element = h('div', { class: 'filter-bar' },
    h('div', { class: 'toolbar' }, run.element),
    h('div', { class: 'toolbar' }, search),
    h('div', { class: 'toolbar' }, sortKey.element, orderButton, group),
    more);

  return {
    element,
    read: () => ({
      runId: run.value,
      sort: { key: sortKey.value as TraceSortKey, order },
      groupByPrompt: group.checked,
      form: {
        search: search.value, stepMin: fields.stepMin.value, stepMax: fields.stepMax.value, taskId: task.value,
        minReward: fields.minReward.value, maxReward: fields.maxReward.value, outcome: outcome.value,
        finishReason: finish.value, kind: kind.value, hasAha: hasAha.checked, flagged: flagged.checked,
      },
    }),
    setRuns: (runs, runId) => run.setChoices(runs.map(runChoice), runId),
    setFacets: (facets) => {
      task.setChoices([anyChoice('any task'), ...facets.taskIds.map((id) => ({ value: id, label: id }))], task.value);
      finish.setChoices([anyChoice('any finish'), ...facets.finishReasons.map((r) => ({ value: r, label: r }))], finish.value);
    },
  };
}
