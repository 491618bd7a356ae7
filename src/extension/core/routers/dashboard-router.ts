/**
 * The host side of the dashboard: `init` with the chosen run's steps and evaluations after the
 * webview's `ready`, then `runUpdate`s with only the steps stored since, while a run trains.
 */
import {
  parseDashboardMessage, versionMismatch, WEBVIEW_PROTOCOL_VERSION, type DashboardToHost, type HostToDashboard,
} from '../../../shared/webview-messages';
import { errorText, requireStore, type StoreSource } from '../store-port';
import { evaluationVM, runVM, stepVM } from '../view-models';

export interface DashboardRouterDeps {
  store: StoreSource;
  post: (message: HostToDashboard) => void;
  preferredRunId: () => string | null;
  exportRun: (runId: string) => void;
  /** The dashboard now shows this run (serializer state). */
  shown: (runId: string | null) => void;
  log: (line: string) => void;
}

export class DashboardRouter {
  private ready = false;
  private runId: string | null;
  /** The last step already sent for `runId`; updates send only later ones. */
  private lastStepSent = -1;

  constructor(private readonly deps: DashboardRouterDeps, initialRunId: string | null) {
    this.runId = initialRunId;
  }

  get currentRunId(): string | null {
    return this.runId;
  }

  async receive(raw: unknown): Promise<void> {
    const parsed = parseDashboardMessage(raw);
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

  private async dispatch(message: DashboardToHost): Promise<void> {
    switch (message.type) {
      case 'ready': {
        const mismatch = versionMismatch(message);
        if (mismatch) return this.deps.post({ type: 'error', message: mismatch });
        this.ready = true;
        return this.init(this.runId ?? this.deps.preferredRunId());
      }
      case 'selectRun': return this.init(message.runId);
      case 'exportRun': return this.deps.exportRun(message.runId);
    }
  }

  /** Sends everything for `wanted` (or the newest run when it is unknown). */
  private async init(wanted: string | null): Promise<void> {
    const store = await this.deps.store();
    const runs = store ? await store.listRuns() : [];
    const runId = runs.find((r) => r.id === wanted)?.id ?? runs[0]?.id ?? null;
    const steps = store && runId ? await store.listSteps(runId) : [];
    const evaluations = store && runId ? await store.listEvaluations(runId) : [];
    this.runId = runId;
    this.lastStepSent = steps[steps.length - 1]?.step ?? -1;
    this.deps.post({
      type: 'init', version: WEBVIEW_PROTOCOL_VERSION, runs: runs.map(runVM), runId,
      steps: steps.map(stepVM), evaluations: evaluations.map(evaluationVM),
    });
    this.deps.shown(runId);
  }

  /** Shows `runId` (a new run started, or the user opened the dashboard for it). */
  async show(runId: string | null): Promise<void> {
    this.runId = runId;
    if (!this.ready) return;
    try {
      await this.init(runId);
    } catch (error) {
      this.deps.post({ type: 'error', message: errorText(error) });
    }
  }

  /** New steps or evaluations were stored for `runId`; the shown run gets only what it lacks. */
  async progress(runId: string): Promise<void> {
    if (!this.ready || runId !== this.runId) return;
    try {
      const store = await requireStore(this.deps.store);
      const steps = await store.listSteps(runId, { from: this.lastStepSent + 1 });
      const evaluations = await store.listEvaluations(runId);
      this.lastStepSent = steps[steps.length - 1]?.step ?? this.lastStepSent;
      this.deps.post({ type: 'runUpdate', runId, steps: steps.map(stepVM), evaluations: evaluations.map(evaluationVM) });
    } catch (error) {
      this.deps.log(`dashboard: could not read the new steps of ${runId}: ${errorText(error)}`);
    }
  }

  async runsChanged(): Promise<void> {
    if (!this.ready) return;
    const store = await this.deps.store();
    this.deps.post({ type: 'runs', runs: store ? (await store.listRuns()).map(runVM) : [] });
  }

  detached(): void {
    this.ready = false;
  }
}
