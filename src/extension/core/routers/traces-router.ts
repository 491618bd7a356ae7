/**
 * The host side of the Traces side-panel view: answers the webview's validated messages from the
 * store. It sends nothing before the webview's `ready` (the handshake), and pages by cursor where
 * it can (see PageCursors).
 */
import { searchIndexNote, type TraceQuery } from '../../../trainer/store';
import {
  parseTracesMessage, versionMismatch, WEBVIEW_PROTOCOL_VERSION,
  type HostToTraces, type TraceFacets, type TraceFilter, type TraceSortSpec, type TracesToHost,
} from '../../../shared/webview-messages';
import { PageCursors } from '../page-cursors';
import { errorText, requireStore, type ReadQueries, type StoreSource } from '../store-port';
import { runVM, traceRowVM } from '../view-models';

/** The worker's finish reasons (src/shared/protocol: Sample.finish_reason). */
export const FINISH_REASONS = ['stop', 'length'] as const;

export interface TracesRouterDeps {
  store: StoreSource;
  post: (message: HostToTraces) => void;
  openTrace: (traceId: number) => void;
  openGroup: (traceId: number) => void;
  /** The run to show first (the one training now), if any. */
  preferredRunId: () => string | null;
  log: (line: string) => void;
}

type QueryMessage = Extract<TracesToHost, { type: 'queryTraces' }>;

export function storeQuery(filter: TraceFilter, sort: TraceSortSpec, limit: number): TraceQuery {
  const { step, ...rest } = filter;
  const query: TraceQuery = { ...rest, sort: sort.key, order: sort.order, limit };
  if (step) query.step = { ...step };
  return query;
}

/** Only the run is chosen: the run's trace count is the total. */
const unfiltered = (filter: TraceFilter): boolean => Object.keys(filter).every((k) => k === 'runId');

export class TracesRouter {
  private ready = false;
  private readonly cursors = new PageCursors();

  constructor(private readonly deps: TracesRouterDeps) {}

  /** Handles one raw message from the webview; invalid ones are logged and dropped. */
  async receive(raw: unknown): Promise<void> {
    const parsed = parseTracesMessage(raw);
    if (!parsed.ok) {
      this.deps.log(parsed.error);
      return;
    }
    const message = parsed.message;
    try {
      await this.dispatch(message);
    } catch (error) {
      this.deps.post({ type: 'error', message: errorText(error), ...(message.type === 'queryTraces' ? { requestId: message.requestId } : {}) });
    }
  }

  private async dispatch(message: TracesToHost): Promise<void> {
    switch (message.type) {
      case 'ready': return this.init(message);
      case 'queryTraces': return this.query(message);
      case 'openTrace': return this.deps.openTrace(message.traceId);
      case 'openGroup': return this.deps.openGroup(message.traceId);
      case 'selectRun': return this.selectRun(message.runId);
    }
  }

  /** The webview (re)loaded: it gets the runs and the facets of the run to show. */
  private async init(message: Extract<TracesToHost, { type: 'ready' }>): Promise<void> {
    const mismatch = versionMismatch(message);
    if (mismatch) {
      this.deps.post({ type: 'error', message: mismatch });
      return;
    }
    this.ready = true;
    const store = await this.deps.store();
    const runs = store ? await store.listRuns() : [];
    const preferred = this.deps.preferredRunId();
    const runId = runs.find((r) => r.id === preferred)?.id ?? runs[0]?.id ?? null;
    const facets = store && runId ? await this.facets(store, runId) : { taskIds: [], finishReasons: [...FINISH_REASONS] };
    this.deps.post({ type: 'init', version: WEBVIEW_PROTOCOL_VERSION, runs: runs.map(runVM), runId, facets });
  }

  private async selectRun(runId: string): Promise<void> {
    const store = await requireStore(this.deps.store);
    this.deps.post({ type: 'facets', runId, facets: await this.facets(store, runId) });
  }

  private async facets(store: ReadQueries, runId: string): Promise<TraceFacets> {
    const summaries = await store.taskSummaries(runId);
    return { taskIds: [...new Set(summaries.map((s) => s.taskId))].sort(), finishReasons: [...FINISH_REASONS] };
  }

  private async query(m: QueryMessage): Promise<void> {
    const store = await requireStore(this.deps.store);
    const key = PageCursors.keyOf(m.filter.runId, [m.filter, m.sort, m.limit]);
    const cursor = this.cursors.get(key, m.offset);
    const query = storeQuery(m.filter, m.sort, m.limit);
    const page = await store.queryTraces(cursor ? { ...query, cursor } : { ...query, offset: m.offset });
    if (page.nextCursor) this.cursors.set(key, m.offset + page.rows.length, page.nextCursor);
    const total = unfiltered(m.filter) ? (await store.getRun(m.filter.runId))?.traceCount ?? null : null;
    // A search right after a batch can miss that batch for a moment (docs/store.md, "Search"): say so.
    const searchNote = searchIndexNote(page.searchIndex);
    this.deps.post({
      type: 'traces', requestId: m.requestId, offset: m.offset, rows: page.rows.map(traceRowVM), total, hasMore: page.nextCursor !== null,
      ...(searchNote ? { searchNote } : {}),
    });
  }


  /** The list of runs changed (a run started, stopped or finished). */
  async runsChanged(): Promise<void> {
    if (!this.ready) return;
    const store = await this.deps.store();
    this.deps.post({ type: 'runs', runs: store ? (await store.listRuns()).map(runVM) : [] });
  }

  /** New traces were stored for `runId`. */
  tracesAdded(runId: string): void {
    this.cursors.clearRun(runId);
    if (this.ready) this.deps.post({ type: 'invalidate', runId });
  }

  /** The webview went away (hidden without retained context, or disposed): wait for a new `ready`. */
  detached(): void {
    this.ready = false;
  }
}
