/**
 * The messages between the extension host and its webviews (traces list, trace panel, dashboard,
 * solve panel). Version 1. Handshake: each webview posts `ready {version}` first; the host answers
 * `init` and only then sends anything else. Messages coming FROM a webview are untrusted (the
 * webview renders model text) and must go through `parse*Message` before use; messages from the
 * host are typed but not re-validated by the webviews.
 */
import {
  MessageShapeError, bool, finite, integer, isRecord, oneOf, optional, record, text, type Fields,
} from './message-guards';
import {
  HEATMAP_MODES, TRACE_SORT_KEYS,
  type EvaluationVM, type GroupMemberVM, type HeatmapMode, type RunVM, type SortOrderVM, type StepVM,
  type TraceDetailVM, type TraceKindVM, type TraceRowVM, type TraceSortKey,
} from './view-models';
import type { SolveEvent, SolveState } from './solve-state';

export const WEBVIEW_PROTOCOL_VERSION = 1;

/** Largest page the host serves (the store caps a page at 1000 rows). */
export const MAX_PAGE_ROWS = 1000;
const MAX_ID = Number.MAX_SAFE_INTEGER;
const MAX_NAME = 512;
const MAX_SEARCH = 500;

export type ReadyMessage = { type: 'ready'; version: number };
export type ErrorMessage = { type: 'error'; message: string; requestId?: number };

// ---------------------------------------------------------------- traces list (WebviewView)

/** Maps one to one onto the store's `TraceQuery` (without paging). */
export interface TraceFilter {
  runId: string;
  kind?: TraceKindVM;
  evalLabel?: string;
  step?: { min?: number; max?: number };
  taskId?: string;
  minReward?: number;
  maxReward?: number;
  passed?: boolean;
  finishReason?: string;
  hasAha?: boolean;
  flagged?: boolean;
  /** Full-text search (FTS5 on the host): words that must all appear; a trailing * matches a prefix. */
  search?: string;
}

export interface TraceSortSpec {
  key: TraceSortKey;
  order: SortOrderVM;
}

/** Values for the filter drop-downs of one run. */
export interface TraceFacets {
  taskIds: string[];
  finishReasons: string[];
}

export type TracesToHost =
  | ReadyMessage
  | { type: 'queryTraces'; requestId: number; filter: TraceFilter; sort: TraceSortSpec; offset: number; limit: number }
  | { type: 'openTrace'; traceId: number }
  | { type: 'openGroup'; traceId: number }
  /** The user picked another run: the host answers with `facets`. */
  | { type: 'selectRun'; runId: string };

export type HostToTraces =
  | { type: 'init'; version: number; runs: RunVM[]; runId: string | null; facets: TraceFacets }
  /** The run list changed (a run started or finished). */
  | { type: 'runs'; runs: RunVM[] }
  | { type: 'facets'; runId: string; facets: TraceFacets }
  /**
   * One page for `queryTraces`. `total` is the number of matching rows when the host counted them,
   * else null and `hasMore` says whether rows follow this page. `searchNote`, only for a text
   * search whose index is not complete yet, says what the search could not see.
   */
  | { type: 'traces'; requestId: number; offset: number; rows: TraceRowVM[]; total: number | null; hasMore: boolean; searchNote?: string }
  /** New traces were stored for this run: pages already shown may be stale. */
  | { type: 'invalidate'; runId: string }
  | ErrorMessage;

// ---------------------------------------------------------------- trace panel (WebviewPanel)

export type TraceToHost =
  | ReadyMessage
  | { type: 'openTrace'; traceId: number }
  | { type: 'openGroup'; traceId: number }
  /**
   * Jump to the trace's task function in the editor. Carries the trace id, not a path: the host
   * looks the location up itself, so a compromised webview cannot open arbitrary files.
   */
  | { type: 'revealFunction'; traceId: number }
  /** The user changed the heatmap mode; the host may remember it as the default. */
  | { type: 'setHeatmap'; mode: HeatmapMode };

export type HostToTrace =
  | { type: 'init'; version: number; heatmap: HeatmapMode }
  | { type: 'trace'; detail: TraceDetailVM }
  | { type: 'group'; traceId: number; members: GroupMemberVM[] }
  | ErrorMessage;

/** What the trace panel keeps in `setState`, so the host's serializer can reopen the same trace. */
export interface TracePanelState {
  traceId: number | null;
  heatmap: HeatmapMode;
  tab: string;
}

// ---------------------------------------------------------------- dashboard (WebviewPanel)

export type DashboardToHost =
  | ReadyMessage
  | { type: 'selectRun'; runId: string }
  | { type: 'exportRun'; runId: string };

export type HostToDashboard =
  | { type: 'init'; version: number; runs: RunVM[]; runId: string | null; steps: StepVM[]; evaluations: EvaluationVM[] }
  /** Steps and evaluations to add to (or replace in, by step / label) what the dashboard shows for `runId`. */
  | { type: 'runUpdate'; runId: string; steps: StepVM[]; evaluations: EvaluationVM[] }
  | { type: 'runs'; runs: RunVM[] }
  | ErrorMessage;

// ---------------------------------------------------------------- solve panel (WebviewPanel)

/**
 * The user's decisions on one solve. Each names the solve it is about, so a click on a panel that
 * still shows an older solve cannot act on the newer one; the host holds the code, the webview
 * never sends any.
 */
export type SolveToHost =
  | ReadyMessage
  | { type: 'cancel'; solveId: number }
  | { type: 'showDiff'; solveId: number }
  | { type: 'accept'; solveId: number }
  | { type: 'discard'; solveId: number };

export type HostToSolve =
  /** The whole state after `ready` (null: nothing solved in this panel yet), then events. */
  | { type: 'init'; version: number; state: SolveState | null }
  | SolveEvent
  | ErrorMessage;

// ---------------------------------------------------------------- guards for webview → host

export type Parsed<T> = { ok: true; message: T } | { ok: false; error: string };

type FieldParsers<T extends { type: string }> = { [K in T['type']]: (m: Fields) => Extract<T, { type: K }> };

function parseWith<T extends { type: string }>(value: unknown, parsers: FieldParsers<T>, view: string): Parsed<T> {
  if (!isRecord(value) || typeof value.type !== 'string') {
    return { ok: false, error: `${view} webview sent a message without a string \`type\`; ignored` };
  }
  const type = value.type;
  if (!Object.hasOwn(parsers, type)) {
    return { ok: false, error: `${view} webview sent an unknown message type ${JSON.stringify(type.slice(0, 40))}; ignored` };
  }
  try {
    return { ok: true, message: parsers[type as T['type']](value) };
  } catch (error) {
    if (error instanceof MessageShapeError) return { ok: false, error: `${view} webview sent a bad \`${type}\`: ${error.message}; ignored` };
    throw error;
  }
}

const traceId = (m: Fields) => integer(m.traceId, 'traceId', 1, MAX_ID);
const runId = (m: Fields) => text(m.runId, 'runId', MAX_NAME);
const ready = (m: Fields): ReadyMessage => ({ type: 'ready', version: integer(m.version, 'version', 0, MAX_ID) });
// The side panel and the trace panel both open traces and groups.
const openTrace = (m: Fields) => ({ type: 'openTrace' as const, traceId: traceId(m) });
const openGroup = (m: Fields) => ({ type: 'openGroup' as const, traceId: traceId(m) });

function parseStepRange(value: unknown): { min?: number; max?: number } {
  const r = record(value, 'filter.step');
  const range: { min?: number; max?: number } = {};
  const min = optional(r.min, (v) => integer(v, 'filter.step.min', 0, MAX_ID));
  const max = optional(r.max, (v) => integer(v, 'filter.step.max', 0, MAX_ID));
  if (min !== undefined) range.min = min;
  if (max !== undefined) range.max = max;
  return range;
}

/** Rebuilds the filter from known fields only, so nothing unexpected reaches the query builder. */
export function parseTraceFilter(value: unknown): TraceFilter {
  const f = record(value, 'filter');
  const filter: TraceFilter = { runId: text(f.runId, 'filter.runId', MAX_NAME) };
  const set = <K extends keyof TraceFilter>(key: K, v: TraceFilter[K] | undefined) => { if (v !== undefined) filter[key] = v; };
  set('kind', optional(f.kind, (v) => oneOf(v, 'filter.kind', ['train', 'eval'] as const)));
  set('evalLabel', optional(f.evalLabel, (v) => text(v, 'filter.evalLabel', MAX_NAME)));
  set('step', optional(f.step, parseStepRange));
  set('taskId', optional(f.taskId, (v) => text(v, 'filter.taskId', MAX_NAME)));
  set('minReward', optional(f.minReward, (v) => finite(v, 'filter.minReward')));
  set('maxReward', optional(f.maxReward, (v) => finite(v, 'filter.maxReward')));
  set('passed', optional(f.passed, (v) => bool(v, 'filter.passed')));
  set('finishReason', optional(f.finishReason, (v) => text(v, 'filter.finishReason', MAX_NAME)));
  set('hasAha', optional(f.hasAha, (v) => bool(v, 'filter.hasAha')));
  set('flagged', optional(f.flagged, (v) => bool(v, 'filter.flagged')));
  set('search', optional(f.search, (v) => text(v, 'filter.search', MAX_SEARCH)));
  return filter;
}

function parseSort(value: unknown): TraceSortSpec {
  const s = record(value, 'sort');
  return { key: oneOf(s.key, 'sort.key', TRACE_SORT_KEYS), order: oneOf(s.order, 'sort.order', ['asc', 'desc'] as const) };
}

const TRACES_PARSERS: FieldParsers<TracesToHost> = {
  ready,
  queryTraces: (m) => ({
    type: 'queryTraces',
    requestId: integer(m.requestId, 'requestId', 0, MAX_ID),
    filter: parseTraceFilter(m.filter),
    sort: parseSort(m.sort),
    offset: integer(m.offset, 'offset', 0, MAX_ID),
    limit: integer(m.limit, 'limit', 1, MAX_PAGE_ROWS),
  }),
  openTrace,
  openGroup,
  selectRun: (m) => ({ type: 'selectRun', runId: runId(m) }),
};

const TRACE_PARSERS: FieldParsers<TraceToHost> = {
  ready,
  openTrace,
  openGroup,
  revealFunction: (m) => ({ type: 'revealFunction', traceId: traceId(m) }),
  setHeatmap: (m) => ({ type: 'setHeatmap', mode: oneOf(m.mode, 'mode', HEATMAP_MODES) }),
};

const DASHBOARD_PARSERS: FieldParsers<DashboardToHost> = {
  ready,
  selectRun: (m) => ({ type: 'selectRun', runId: runId(m) }),
  exportRun: (m) => ({ type: 'exportRun', runId: runId(m) }),
};

const solveId = (m: Fields) => integer(m.solveId, 'solveId', 1, MAX_ID);

const SOLVE_PARSERS: FieldParsers<SolveToHost> = {
  ready,
  cancel: (m) => ({ type: 'cancel', solveId: solveId(m) }),
  showDiff: (m) => ({ type: 'showDiff', solveId: solveId(m) }),
  accept: (m) => ({ type: 'accept', solveId: solveId(m) }),
  discard: (m) => ({ type: 'discard', solveId: solveId(m) }),
};

export const parseTracesMessage = (value: unknown): Parsed<TracesToHost> => parseWith(value, TRACES_PARSERS, 'traces');
export const parseTraceMessage = (value: unknown): Parsed<TraceToHost> => parseWith(value, TRACE_PARSERS, 'trace');
export const parseDashboardMessage = (value: unknown): Parsed<DashboardToHost> => parseWith(value, DASHBOARD_PARSERS, 'dashboard');
export const parseSolveMessage = (value: unknown): Parsed<SolveToHost> => parseWith(value, SOLVE_PARSERS, 'solve');

/** For the host: a `ready` from an older or newer bundle means the webview must be reloaded. */
export function versionMismatch(message: ReadyMessage): string | null {
  return message.version === WEBVIEW_PROTOCOL_VERSION ? null
    : `webview protocol ${message.version} does not match the extension's ${WEBVIEW_PROTOCOL_VERSION}; run "Developer: Reload Window"`;
}
