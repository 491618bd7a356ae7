/**
 * The one training run this window drives: the `rlvr train --events` child (TrainingSupervisor), its
 * state for the status bar and views, progress with cancel (= Stop) while it runs, and what the
 * user sees when it ends. Store changes are announced as the events arrive.
 */
import * as vscode from 'vscode';
import type { TrainEvent } from '../../shared/train-events';
import { isActive, type RunState } from '../core/run-state';
import { num, pct } from '../core/status-text';
import { TrainingSupervisor } from '../core/training-supervisor';
import type { Cli } from '../infra/cli';
import type { Logs } from '../infra/logs';
import type { WorkspaceStore } from '../infra/store';
import { CommandId } from '../command-ids';

export interface TrainingDeps {
  cli: Cli;
  logs: Logs;
  store: WorkspaceStore;
}

export class TrainingController implements vscode.Disposable {
  private readonly supervisor: TrainingSupervisor;
  private readonly states = new vscode.EventEmitter<RunState>();
  readonly onDidChangeState = this.states.event;

  constructor(private readonly deps: TrainingDeps) {
    this.supervisor = new TrainingSupervisor(deps.cli.location, {
      state: (s) => {
        // package.json menus show Stop or Start/Resume by this context key.
        void vscode.commands.executeCommand('setContext', 'rlvrStudio.trainingActive', isActive(s));
        this.states.fire(s);
      },
      event: (e) => this.onEvent(e),
      output: (line) => deps.logs.line(line),
    });
  }

  get state(): RunState {
    return this.supervisor.state;
  }

  /** The run to show first in views: the one training now, else the last one this window started. */
  preferredRunId = (): string | null => this.supervisor.state.runId;

  get active(): boolean {
    return isActive(this.supervisor.state);
  }

  /** Starts the child and shows progress until it exits; Cancel asks it to stop. */
  start(args: readonly string[], cwd: string): void {
    const exited = this.supervisor.start(args, cwd);
    void vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'RLVR', cancellable: true },
      async (progress, token) => {
        token.onCancellationRequested(() => this.stop());
        let reported = 0;
        const sub = this.onDidChangeState((s) => {
          const fraction = s.totalSteps > 0 ? (100 * s.step) / s.totalSteps : 0;
          progress.report({ message: progressMessage(s), increment: Math.max(0, fraction - reported) });
          reported = Math.max(reported, fraction);
        });
        progress.report({ message: 'starting the training process…' });
        try {
          await exited;
        } finally {
          sub.dispose();
        }
      });
    void exited.then(() => this.ended());
  }

  stop(): boolean {
    return this.supervisor.stop();
  }

  private onEvent(event: TrainEvent): void {
    switch (event.type) {
      case 'started':
        this.deps.store.trainingStarted(event.db);
        this.deps.store.fire({ kind: 'runs' });
        return;
      case 'step':
      case 'evaluation':
        this.deps.store.fire({ kind: 'progress', runId: event.runId });
        return;
      default:
        return;
    }
  }

  private ended(): void {
    this.deps.store.trainingEnded();
    this.deps.store.fire({ kind: 'runs' });
    const s = this.supervisor.state;
    if (s.runId) this.deps.store.fire({ kind: 'progress', runId: s.runId });
    void announceEnd(s, this.deps.logs);
  }

  dispose(): void {
    this.supervisor.dispose();
    this.states.dispose();
  }
}

function progressMessage(s: RunState): string {
  switch (s.phase) {
    case 'starting': return 'starting the training process…';
    case 'stopping': return `stopping after step ${s.step + 1}…`;
    default: {
      const reward = s.metrics ? ` · reward ${num(s.metrics.rewardMean)} · pass ${pct(s.metrics.passRate)}` : '';
      return `${s.runId ?? ''} step ${s.step}/${s.totalSteps}${reward}`;
    }
  }
}

async function announceEnd(s: RunState, logs: Logs): Promise<void> {
  const dashboard = 'Open Dashboard';
  if (s.phase === 'completed' || s.phase === 'stopped') {
    const how = s.phase === 'completed' ? 'completed' : 'stopped (resumable)';
    const choice = await vscode.window.showInformationMessage(`RLVR: run ${s.runId} ${how} at step ${s.step}.`, dashboard);
    if (choice === dashboard) await vscode.commands.executeCommand(CommandId.openDashboard, s.runId);
    return;
  }
  if (s.phase !== 'failed') return;
  const showLogs = 'Show Logs';
  const resume = 'Resume';
  const actions = s.runId ? [showLogs, resume] : [showLogs];
  const hint = s.error?.hint ? ` ${s.error.hint}` : '';
  const choice = await vscode.window.showErrorMessage(`RLVR: training failed: ${s.error?.message ?? 'unknown error'}.${hint}`, ...actions);
  if (choice === showLogs) logs.show();
  if (choice === resume) await vscode.commands.executeCommand(CommandId.resumeTraining, s.runId);
}

export function registerTraining(deps: TrainingDeps, context: vscode.ExtensionContext): TrainingController {
  const controller = new TrainingController(deps);
  context.subscriptions.push(controller);
  return controller;
}
