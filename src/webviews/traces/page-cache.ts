/**
 * The rows the list has from the host, kept by page. The virtual list asks for the rows of its
 * window; only pages not loaded and not in flight are requested. Replies to an older query
 * (filters changed meanwhile) are recognised by request id and dropped.
 */
import type { TraceRowVM } from '../../shared/view-models';

export interface PageRequest {
  requestId: number;
  offset: number;
  limit: number;
}

export interface PageReply {
  requestId: number;
  offset: number;
  rows: TraceRowVM[];
  total: number | null;
  hasMore: boolean;
}

export class PageCache {
  private pages = new Map<number, TraceRowVM[]>();
  private inFlight = new Map<number, number>();
  /** Pages still shown but to be fetched again (new traces arrived). */
  private stale = new Set<number>();
  private nextRequestId = 1;
  private total: number | null = null;
  /** Rows known to exist when the host does not count: the end of the furthest page seen. */
  private knownEnd = 0;
  private more = true;
  private answered = false;

  constructor(readonly pageSize: number) {
    if (!Number.isInteger(pageSize) || pageSize < 1) throw new Error(`page size must be a positive integer, got ${pageSize}`);
  }

  /** Forgets everything (new filter or sort); replies to earlier requests will be ignored. */
  reset(): void {
    this.pages.clear();
    this.inFlight.clear();
    this.stale.clear();
    this.total = null;
    this.knownEnd = 0;
    this.more = true;
    this.answered = false;
  }

  /** Keeps showing the rows, but fetches every page again when next in view. */
  invalidate(): void {
    for (const page of this.pages.keys()) this.stale.add(page);
  }

  /** Requests needed so that rows [start, end) are loaded or on their way. */
  request(start: number, end: number): PageRequest[] {
    const requests: PageRequest[] = [];
    const last = Math.max(start, end - 1);
    const waiting = new Set(this.inFlight.values());
    for (let page = Math.floor(Math.max(0, start) / this.pageSize); page <= Math.floor(last / this.pageSize); page++) {
      if ((this.pages.has(page) && !this.stale.has(page)) || waiting.has(page)) continue;
      // Past the known end there is nothing to fetch, unless new traces made the page stale
      // (an empty run that starts filling must be asked again).
      if (!this.stale.has(page) && this.total !== null && page * this.pageSize >= this.total && this.answered) continue;
      const requestId = this.nextRequestId++;
      this.inFlight.set(requestId, page);
      requests.push({ requestId, offset: page * this.pageSize, limit: this.pageSize });
    }
    return requests;
  }

  /** Stores a reply; false when it answers a request made before the last `reset`. */
  accept(reply: PageReply): boolean {
    const page = this.inFlight.get(reply.requestId);
    if (page === undefined) return false;
    this.inFlight.delete(reply.requestId);
    this.pages.set(page, reply.rows);
    this.stale.delete(page);
    this.answered = true;
    this.total = reply.total;
    const end = reply.offset + reply.rows.length;
    if (end >= this.knownEnd) {
      this.knownEnd = end;
      this.more = reply.hasMore;
    }
    return true;
  }

  /** Forgets a failed request so that it can be asked again. */
  fail(requestId: number): void {
    this.inFlight.delete(requestId);
  }

  /**
   * Rows the list should size itself for: the host's count, or (uncounted) the rows seen so far
   * plus one page while more follow, so the scrollbar grows as the user scrolls.
   */
  count(): number {
    if (this.total !== null) return this.total;
    if (!this.answered) return 0;
    return this.knownEnd + (this.more ? this.pageSize : 0);
  }

  isCounted(): boolean {
    return this.total !== null;
  }

  isLoading(): boolean {
    return this.inFlight.size > 0;
  }

  rowAt(index: number): TraceRowVM | undefined {
    return this.pages.get(Math.floor(index / this.pageSize))?.[index % this.pageSize];
  }
}
