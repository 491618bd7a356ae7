/**
 * Runs one `rlvr train --events` child at a time and folds its event stream into a RunState.
 * Stop is the CLI's own Ctrl-C (SIGINT): it finishes the current step, saves a resumable run and
 * exits; a second Stop kills it. No VS Code here, so it is tested with a stand-in CLI script.
 */
import { parseTrainEvent, type TrainEvent } from '../../shared/train-events';
import { startCli, type ChildHandle, type CliLocation, type ExitStatus } from './cli-process';
import { IDLE_RUN, isActive, reduceRun, type RunAction, type RunState } from './run-state';

export interface TrainingListener {
  state: (state: RunState) => void;
  event: (event: TrainEvent) => void;
  /** Human-readable output: stderr, `log` events and any stdout line that is not an event. */
  output: (line: string) => void;
}

export class TrainingAlreadyRunningError extends Error {
  constructor(runId: string | null) {
    super(`a training run${runId ? ` (${runId})` : ''} is already going in this window; stop it first ("RLVR: Stop Training")`);
    this.name = 'TrainingAlreadyRunningError';
  }
}

export class TrainingSupervisor {
  private current: RunState = IDLE_RUN;
  private child: ChildHandle | null = null;

  constructor(private readonly location: CliLocation, private readonly listener: TrainingListener) {}

  get state(): RunState {
    return this.current;
  }

  /** Starts `rlvr ARGS`; resolves when the process has exited (the state says how the run ended). */
  start(args: readonly string[], cwd: string): Promise<ExitStatus> {
    if (this.child || isActive(this.current)) throw new TrainingAlreadyRunningError(this.current.runId);
    this.listener.output(`$ rlvr ${args.join(' ')}`);
    this.apply({ type: 'launched' });
    const child = startCli(this.location, args, cwd, {
      onStdoutLine: (line) => this.stdoutLine(line),
      onStderrLine: (line) => this.listener.output(line),
    });
    this.child = child;
    return child.exited.then((status) => {
      this.child = null;
      this.apply({ type: 'exited', code: status.code, signal: status.signal });
      this.listener.output(`rlvr train ${status.signal ? `killed by ${status.signal}` : `exited with code ${status.code}`}`);
      return status;
    });
  }

  /** First call: stop after the current step. A second call while stopping: kill now. */
  stop(): boolean {
    if (!this.child) return false;
    if (this.current.phase === 'stopping') {
      this.child.kill();
      return true;
    }
    this.apply({ type: 'stopRequested' });
    this.child.interrupt();
    return true;
  }

  /** The window is closing: ask the run to stop at a safe point, so it stays resumable. */
  dispose(): void {
    this.child?.interrupt();
  }

  private stdoutLine(line: string): void {
    if (line.trim() === '') return;
    const event = parseTrainEvent(line);
    if (!event) {
      this.listener.output(line);
      return;
    }
    if (event.type === 'log') this.listener.output(event.line);
    if (event.type === 'failed') this.listener.output(`rlvr: ${event.message}${event.hint ? `\n  → ${event.hint}` : ''}`);
    this.apply({ type: 'event', event });
    this.listener.event(event);
  }

  private apply(action: RunAction): void {
    const next = reduceRun(this.current, action);
    if (next === this.current) return;
    this.current = next;
    this.listener.state(next);
  }
}
