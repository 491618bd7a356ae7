/**
 * The slice of the trace store's read API (src/trainer/store/queries.ts) the extension uses. Routers
 * and providers take this instead of a StoreQueries, so tests can hand them a real store opened on a
 * temporary file, and nothing else of the store leaks into the UI code.
 */
import type { StoreQueries } from '../../trainer/store';

export type ReadQueries = Pick<StoreQueries,
  | 'listRuns' | 'getRun' | 'listSteps' | 'listRunTasks' | 'listEvaluations' | 'taskSummaries'
  | 'queryTraces' | 'groupSiblings' | 'getTrace' | 'getTraces'>;

/** Resolves to the current store, or null when the workspace has none yet (no run so far). */
export type StoreSource = () => Promise<ReadQueries | null>;

/** What an error becomes in a webview or notification: its message, plus the hint when it has one. */
export function errorText(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const hint = (error as { hint?: unknown }).hint;
  return typeof hint === 'string' && hint !== '' ? `${error.message} — ${hint}` : error.message;
}

/** The store, or an error that says how to get one. */
export async function requireStore(source: StoreSource): Promise<ReadQueries> {
  const store = await source();
  if (!store) throw new NoStoreError();
  return store;
}

export class NoStoreError extends Error {
  constructor() {
    super('this workspace has no trace store yet: run "RLVR: Start Training" first');
    this.name = 'NoStoreError';
  }
}
