/**
 * The host side of one trace panel: after the webview's `ready` it sends `init`, then the trace the
 * panel was opened (or restored) for. It also serves the group view and the jump to the task
 * function; the webview names a trace id, and the host looks the file up itself.
 */
import {
  parseTraceMessage, versionMismatch, WEBVIEW_PROTOCOL_VERSION, type HostToTrace, type TraceToHost,
} from '../../../shared/webview-messages';
import type { HeatmapMode } from '../../../shared/view-models';
import { errorText, requireStore, type ReadQueries, type StoreSource } from '../store-port';
import { originalFunction, taskLocation, type TaskLocation } from '../task-locations';
import { groupMemberVM, traceDetailVM } from '../view-models';

export interface TraceRouterDeps {
  store: StoreSource;
  post: (message: HostToTrace) => void;
  /** Text of a workspace-relative file, or null when it is missing or outside the workspace. */
  readWorkspaceFile: (file: string) => Promise<string | null>;
  reveal: (location: TaskLocation, line: number) => void;
  heatmap: () => HeatmapMode;
  saveHeatmap: (mode: HeatmapMode) => void;
  /** The panel now shows this trace (title, serializer state). */
  shown: (traceId: number, title: string) => void;
  log: (line: string) => void;
}

export class TraceRouter {
  private ready = false;
  private traceId: number | null;
  private groupOf: number | null = null;
  /** Task locations per run; a run's task list never changes once stored. */
  private readonly tasksByRun = new Map<string, Map<string, TaskLocation>>();

  constructor(private readonly deps: TraceRouterDeps, initialTraceId: number | null) {
    this.traceId = initialTraceId;
  }

  get currentTraceId(): number | null {
    return this.traceId;
  }

  async receive(raw: unknown): Promise<void> {
    const parsed = parseTraceMessage(raw);
    if (!parsed.ok) {
      this.deps.log(parsed.error);
      return;
    }
    try {
      await this.dispatch(parsed.message);
    } catch (error) {
      this.deps.post({ type: 'error', message: errorText(error) });
    }
  }

  private async dispatch(message: TraceToHost): Promise<void> {
    switch (message.type) {
      case 'ready': return this.init(message);
      case 'openTrace': return this.showTrace(message.traceId);
      case 'openGroup': return this.showGroup(message.traceId);
      case 'revealFunction': return this.revealFunction(message.traceId);
      case 'setHeatmap': return this.deps.saveHeatmap(message.mode);
    }
  }

  private async init(message: Extract<TraceToHost, { type: 'ready' }>): Promise<void> {
    const mismatch = versionMismatch(message);
    if (mismatch) {
      this.deps.post({ type: 'error', message: mismatch });
      return;
    }
    this.ready = true;
    this.deps.post({ type: 'init', version: WEBVIEW_PROTOCOL_VERSION, heatmap: this.deps.heatmap() });
    if (this.traceId !== null) await this.showTrace(this.traceId);
    if (this.groupOf !== null) await this.showGroup(this.groupOf);
  }

  /** The host opens a trace in this panel (from the Traces view, a CodeLens, Open Trace). */
  async open(traceId: number): Promise<void> {
    this.groupOf = null;
    try {
      await this.showTrace(traceId);
    } catch (error) {
      this.deps.post({ type: 'error', message: errorText(error) });
    }
  }

  /** Shows a trace now, or as soon as the webview is ready. */
  private async showTrace(traceId: number): Promise<void> {
    this.traceId = traceId;
    if (!this.ready) return;
    const store = await requireStore(this.deps.store);
    const detail = await store.getTrace(traceId);
    if (!detail) throw new Error(`trace ${traceId} is not in the trace store (was the run deleted, or is another store selected?)`);
    const location = await this.location(store, detail.runId, detail.taskId);
    const text = location ? await this.deps.readWorkspaceFile(location.file) : null;
    const original = location && text !== null ? originalFunction(location, text) : null;
    this.deps.post({ type: 'trace', detail: traceDetailVM(detail, original) });
    this.deps.shown(traceId, `Trace ${traceId} · ${location?.symbol ?? detail.taskId} · step ${detail.step}`);
  }

  /** The G samples of the trace's group, side by side. */
  async showGroup(traceId: number): Promise<void> {
    this.groupOf = traceId;
    if (!this.ready) return;
    const store = await requireStore(this.deps.store);
    const siblings = await store.groupSiblings(traceId);
    if (siblings.length === 0) throw new Error(`trace ${traceId} is not in the trace store, so its group cannot be shown`);
    const details = await store.getTraces(siblings.map((s) => s.id));
    this.deps.post({ type: 'group', traceId, members: details.map(groupMemberVM) });
  }

  private async revealFunction(traceId: number): Promise<void> {
    const store = await requireStore(this.deps.store);
    const detail = await store.getTrace(traceId);
    if (!detail) throw new Error(`trace ${traceId} is not in the trace store`);
    const location = await this.location(store, detail.runId, detail.taskId);
    if (!location) throw new Error(`the run ${detail.runId} has no file location for task ${detail.taskId}`);
    const text = await this.deps.readWorkspaceFile(location.file);
    if (text === null) throw new Error(`${location.file} is not in this workspace (moved or deleted?)`);
    this.deps.reveal(location, originalFunction(location, text)?.line ?? location.startLine);
  }

  private async location(store: ReadQueries, runId: string, taskId: string): Promise<TaskLocation | null> {
    let tasks = this.tasksByRun.get(runId);
    if (!tasks) {
      const rows = await store.listRunTasks(runId);
      tasks = new Map(rows.flatMap((r) => {
        const loc = taskLocation(r);
        return loc ? [[r.taskId, loc] as const] : [];
      }));
      this.tasksByRun.set(runId, tasks);
    }
    return tasks.get(taskId) ?? null;
  }


  /** The webview went away or reloads: wait for its next `ready`. */
  detached(): void {
    this.ready = false;
  }
}
