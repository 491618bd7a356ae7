/**
 * The Traces view in the side panel: a filter bar over a virtual list of trace rows. The host
 * pages rows with offset/limit; this view only asks for the pages in sight.
 */
import '../common/elements';
import { connect } from '../common/vscode-api';
import { h, replaceChildren } from '../common/dom';
import {
  WEBVIEW_PROTOCOL_VERSION, type HostToTraces, type TraceFacets, type TracesToHost,
} from '../../shared/webview-messages';
import type { RunVM } from '../../shared/view-models';
import { createFilterBar, type FilterBar, type FilterBarState } from './filters';
import { EMPTY_FORM, effectiveSort, filterFromForm, startsGroup } from './model';
import { PageCache } from './page-cache';
import { renderTraceRow } from './row';
import { VirtualList } from './virtual-list';

const ROW_HEIGHT = 44; // must match .vlist-row in media/traces.css
const PAGE_SIZE = 200;

interface TracesState extends FilterBarState {
  scrollTop: number;
}

const channel = connect<TracesToHost, HostToTraces, TracesState>();
const app = document.getElementById('app') ?? document.body;
const cache = new PageCache(PAGE_SIZE);
let bar: FilterBar | null = null;
let list: VirtualList | null = null;
let current: FilterBarState | null = null;
/** The saved scroll position, applied once the first page has sized the list. */
let restoreScroll: number | null = null;
const status = h('div', { class: 'status-line', attrs: { role: 'status' } });
/** The host's note on the latest page of a text search whose index is still catching up. */
let searchNote: string | null = null;

function saveState(): void {
  if (current && list) channel.setState({ ...current, scrollTop: list.scrollTop });
}

function renderStatus(problems: readonly string[] = []): void {
  const count = cache.count();
  const summary = cache.isLoading() && count === 0 ? 'loading…'
    : cache.isCounted() ? `${count.toLocaleString()} trace${count === 1 ? '' : 's'}`
    : `${count.toLocaleString()}+ traces`;
  const note = searchNote === null ? [] : [h('span', { class: 'note', text: searchNote })];
  replaceChildren(status, h('span', { text: summary }), ...problems.map((p) => h('span', { class: 'problem', text: p })), ...note);
}

/** Starts a fresh query from the filter bar (new filter, sort or run). */
function requery(): void {
  if (!bar || !list) return;
  current = bar.read();
  cache.reset();
  searchNote = null;
  list.setCount(0);
  list.scrollTop = 0;
  renderStatus(current.runId === '' ? ['no run selected'] : filterFromForm(current.form, current.runId).problems);
  if (current.runId !== '') fetchWindow(0, PAGE_SIZE);
  saveState();
}

function fetchWindow(start: number, end: number): void {
  if (!current || current.runId === '') return;
  const { filter } = filterFromForm(current.form, current.runId);
  const sort = effectiveSort(current.sort, current.groupByPrompt);
  for (const page of cache.request(start, end)) {
    channel.post({ type: 'queryTraces', requestId: page.requestId, filter, sort, offset: page.offset, limit: page.limit });
  }
}

function build(runs: readonly RunVM[], runId: string | null, facets: TraceFacets): void {
  if (bar && list) {
    // A second `init` (the host reconnected): keep the controls, refresh their choices and rows.
    bar.setRuns(runs, current?.runId || runId || runs[0]?.id || '');
    bar.setFacets(facets);
    requery();
    return;
  }
  const saved = channel.getState();
  const initialRun = saved && runs.some((r) => r.id === saved.runId) ? saved.runId : (runId ?? runs[0]?.id ?? '');
  const initial: FilterBarState = saved ?? { runId: initialRun, form: EMPTY_FORM, sort: { key: 'id', order: 'desc' }, groupByPrompt: false };
  bar = createFilterBar({ ...initial, runId: initialRun }, (what) => {
    if (what === 'run' && bar) channel.post({ type: 'selectRun', runId: bar.read().runId });
    requery();
  });
  bar.setRuns(runs, initialRun);
  bar.setFacets(facets);
  list = new VirtualList({
    rowHeight: ROW_HEIGHT,
    renderRow: (element, index) => {
      const row = cache.rowAt(index);
      const grouped = current?.groupByPrompt === true && row !== undefined && startsGroup(cache.rowAt(index - 1), row);
      renderTraceRow(element, row, grouped, { openGroup: (traceId) => channel.post({ type: 'openGroup', traceId }) });
    },
    onWindow: (window) => {
      fetchWindow(window.start, window.end);
      saveState();
    },
    onActivate: (index) => {
      const row = cache.rowAt(index);
      if (row) channel.post({ type: 'openTrace', traceId: row.id });
    },
  });
  replaceChildren(app, bar.element, status, list.element);
  requery();
  restoreScroll = saved && saved.scrollTop > 0 ? saved.scrollTop : null;
}

function onMessage(message: HostToTraces): void {
  switch (message.type) {
    case 'init':
      if (message.version !== WEBVIEW_PROTOCOL_VERSION) {
        replaceChildren(app, h('p', { class: 'error', text: `This view expects protocol ${WEBVIEW_PROTOCOL_VERSION}, the extension speaks ${message.version}: reload the window.` }));
        return;
      }
      build(message.runs, message.runId, message.facets);
      return;
    case 'runs': {
      // '' means "no run yet": the first run that appears becomes the selection and is queried.
      const keep = current?.runId || message.runs[0]?.id || '';
      bar?.setRuns(message.runs, keep);
      if (current?.runId === '' && keep !== '') requery();
      return;
    }
    case 'facets':
      if (message.runId === current?.runId) bar?.setFacets(message.facets);
      return;
    case 'traces':
      if (cache.accept(message)) {
        searchNote = message.searchNote ?? null;
        list?.setCount(cache.count());
        if (list && restoreScroll !== null) {
          list.scrollTop = restoreScroll;
          restoreScroll = null;
        }
        list?.refresh();
        renderStatus(current ? filterFromForm(current.form, current.runId).problems : []);
      }
      return;
    case 'invalidate':
      if (message.runId === current?.runId) {
        cache.invalidate();
        list?.refresh();
      }
      return;
    case 'error':
      if (message.requestId !== undefined) cache.fail(message.requestId);
      replaceChildren(status, h('span', { class: 'problem', text: message.message }));
      return;
  }
}

channel.onMessage(onMessage);
replaceChildren(app, h('p', { class: 'muted', text: 'Waiting for the extension…' }));
channel.post({ type: 'ready', version: WEBVIEW_PROTOCOL_VERSION });
