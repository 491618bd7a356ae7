/**
 * The host side of the solve panel. It keeps the panel's state by applying every event it emits
 * (the reducer the webview uses too), so a webview that was hidden and rebuilt gets everything back
 * in `init` after its `ready`; nothing is posted before that. Decisions from the webview are
 * parsed, and only those about the solve on screen reach the handlers.
 */
import { applySolveEvent, type SolveEvent, type SolveState } from '../../../shared/solve-state';
import {
  parseSolveMessage, versionMismatch, WEBVIEW_PROTOCOL_VERSION, type HostToSolve, type SolveToHost,
} from '../../../shared/webview-messages';
import { errorText } from '../store-port';

export type SolveDecision = Exclude<SolveToHost['type'], 'ready'>;

export interface SolveRouterDeps {
  post: (message: HostToSolve) => void;
  /** Called with the current solve's id only. */
  decide: (decision: SolveDecision, solveId: number) => void | Promise<void>;
  log: (line: string) => void;
}

export class SolveRouter {
  private ready = false;
  private snapshot: SolveState | null = null;

  constructor(private readonly deps: SolveRouterDeps) {}

  get state(): SolveState | null {
    return this.snapshot;
  }

  /** Applies `event` to the snapshot and posts it when the webview is listening. */
  emit(event: SolveEvent): void {
    this.snapshot = applySolveEvent(this.snapshot, event);
    if (this.ready) this.deps.post(event);
  }

  /** Shows an error line in the panel (when it is listening) without changing the solve. */
  error(message: string): void {
    if (this.ready) this.deps.post({ type: 'error', message });
  }

  async receive(raw: unknown): Promise<void> {
    const parsed = parseSolveMessage(raw);
    if (!parsed.ok) {
      this.deps.log(parsed.error);
      return;
    }
    const message = parsed.message;
    if (message.type === 'ready') {
      const mismatch = versionMismatch(message);
      if (mismatch) {
        this.deps.post({ type: 'error', message: mismatch });
        return;
      }
      this.ready = true;
      this.deps.post({ type: 'init', version: WEBVIEW_PROTOCOL_VERSION, state: this.snapshot });
      return;
    }
    if (this.snapshot?.solveId !== message.solveId) {
      this.deps.log(`solve panel: ignored \`${message.type}\` for solve ${message.solveId}, which is no longer on screen`);
      return;
    }
    try {
      await this.deps.decide(message.type, message.solveId);
    } catch (error) {
      this.error(errorText(error));
    }
  }

  /** The webview went away or reloads: wait for its next `ready`. */
  detached(): void {
    this.ready = false;
  }
}
