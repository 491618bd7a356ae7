/**
 * The latest run's solvable tasks, loaded once per store change (debounced like the other editor
 * annotations). Only the run and its task list are read: no traces.
 */
import * as vscode from 'vscode';
import type { RunRecord } from '../../../trainer/store';
import { solvableTasks, type SolvableTask } from '../../core/solve/solvable-tasks';
import { errorText } from '../../core/store-port';
import type { Logs } from '../../infra/logs';
import type { WorkspaceStore } from '../../infra/store';

export interface LatestRunTasks {
  run: RunRecord;
  tasks: SolvableTask[];
}

const REFRESH_DEBOUNCE_MS = 2000;

export class SolveTasks implements vscode.Disposable {
  private readonly changes = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changes.event;
  private loaded: Promise<LatestRunTasks | null> | null = null;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly store: WorkspaceStore, private readonly logs: Logs) {}

  latest(): Promise<LatestRunTasks | null> {
    this.loaded ??= this.load().catch((error: unknown) => {
      this.logs.line(`solve: cannot read the latest run's tasks: ${errorText(error)}`);
      return null;
    });
    return this.loaded;
  }

  private async load(): Promise<LatestRunTasks | null> {
    const queries = await this.store.queries();
    const run = queries ? (await queries.listRuns())[0] : undefined;
    if (!queries || !run) return null;
    return { run, tasks: solvableTasks(await queries.listRunTasks(run.id)) };
  }

  async inFile(relativePath: string): Promise<SolvableTask[]> {
    return (await this.latest())?.tasks.filter((t) => t.location.file === relativePath) ?? [];
  }

  storeChanged(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.loaded = null;
      this.changes.fire();
    }, REFRESH_DEBOUNCE_MS);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.changes.dispose();
  }
}
