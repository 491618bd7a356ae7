/**
 * The latest run's results per task function, for the CodeLens, the decorations and the Testing
 * view: where each task is (file, span) and how its samples did at the task's latest step. Loaded
 * once per store change and shared by the three.
 */
import * as vscode from 'vscode';
import { errorText, type ReadQueries } from '../../core/store-port';
import { outcomeAtLatestStep, summariesByTask, type TaskOutcome } from '../../core/task-lens';
import { taskLocation, type TaskLocation } from '../../core/task-locations';
import type { Logs } from '../../infra/logs';
import type { StoreChange, WorkspaceStore } from '../../infra/store';

export interface AnnotatedTask {
  location: TaskLocation;
  /** null: the task has no samples yet. */
  outcome: TaskOutcome | null;
}

export interface RunAnnotations {
  runId: string;
  tasks: AnnotatedTask[];
}

const REFRESH_DEBOUNCE_MS = 2000;

async function loadLatestRun(store: ReadQueries): Promise<RunAnnotations | null> {
  const run = (await store.listRuns())[0];
  if (!run) return null;
  const [rows, summaries] = await Promise.all([store.listRunTasks(run.id), store.taskSummaries(run.id)]);
  const byTask = summariesByTask(summaries);
  const tasks: AnnotatedTask[] = [];
  for (const row of rows) {
    const location = taskLocation(row);
    if (!location) continue;
    const summary = byTask.get(row.taskId);
    if (!summary) {
      tasks.push({ location, outcome: null });
      continue;
    }
    const page = await store.queryTraces({ runId: run.id, taskId: row.taskId, kind: summary.kind, step: summary.lastStep, limit: 1000 });
    tasks.push({ location, outcome: outcomeAtLatestStep(summary, page.rows) });
  }
  return { runId: run.id, tasks };
}

export class TaskAnnotations implements vscode.Disposable {
  private readonly changes = new vscode.EventEmitter<{ runEnded: boolean }>();
  /** `runEnded`: a run started or finished (the Testing view publishes then, not on every step). */
  readonly onDidChange = this.changes.event;
  private loaded: Promise<RunAnnotations | null> | null = null;
  private timer: NodeJS.Timeout | undefined;
  private pendingRunEnded = false;

  constructor(private readonly store: WorkspaceStore, private readonly logs: Logs) {}

  latest(): Promise<RunAnnotations | null> {
    this.loaded ??= this.store.queries()
      .then((q) => (q ? loadLatestRun(q) : null))
      .catch((error: unknown) => {
        this.logs.line(`editor annotations: ${errorText(error)}`);
        return null;
      });
    return this.loaded;
  }

  /** The tasks whose file is `relativePath` (workspace-relative, posix). */
  async inFile(relativePath: string): Promise<AnnotatedTask[]> {
    const run = await this.latest();
    return run ? run.tasks.filter((t) => t.location.file === relativePath) : [];
  }

  storeChanged(change: StoreChange): void {
    this.pendingRunEnded ||= change.kind !== 'progress';
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.loaded = null;
      const runEnded = this.pendingRunEnded;
      this.pendingRunEnded = false;
      this.changes.fire({ runEnded });
    }, REFRESH_DEBOUNCE_MS);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.changes.dispose();
  }
}

/** The workspace-relative posix path of a document, as tasks name their files. */
export function relativeFile(uri: vscode.Uri): string | null {
  if (!vscode.workspace.getWorkspaceFolder(uri)) return null;
  return vscode.workspace.asRelativePath(uri, false).split('\\').join('/');
}
