/**
 * The workspace's trace store for every view: one read-only connection (StoreAccess), and one event
 * that says what changed in it. Training events say exactly what changed; runs written by someone
 * else (the CLI in a terminal) are noticed by a file watcher on the database.
 */
import * as vscode from 'vscode';
import { StoreAccess } from '../core/store-access';
import { storePathFor } from './workspace';

export type StoreChange =
  /** A run started, stopped or finished. */
  | { kind: 'runs' }
  /** New steps, traces or evaluations of a run. */
  | { kind: 'progress'; runId: string }
  /** The file changed behind our back: anything may have. */
  | { kind: 'external' };

/** Watched changes are coalesced: a training process writes the file many times a second. */
const EXTERNAL_DEBOUNCE_MS = 3000;

export class WorkspaceStore implements vscode.Disposable {
  readonly access: StoreAccess;
  private readonly changes = new vscode.EventEmitter<StoreChange>();
  readonly onDidChange = this.changes.event;
  /** The store of the run this window started last (its `started` event names it). */
  private trainingDb: string | null = null;
  /** While our own run trains, its events report the changes and the watcher stays quiet. */
  private trainingActive = false;
  private readonly watcher: vscode.FileSystemWatcher;
  private timer: NodeJS.Timeout | undefined;

  constructor() {
    this.access = new StoreAccess(() => this.path());
    this.watcher = vscode.workspace.createFileSystemWatcher('**/.rlvr/runs.db*');
    const external = () => this.externalChange();
    this.watcher.onDidCreate(external);
    this.watcher.onDidChange(external);
    this.watcher.onDidDelete(external);
  }

  /** The store path now: the running run's, else the first workspace folder's. */
  path(): string | null {
    if (this.trainingDb) return this.trainingDb;
    const folder = vscode.workspace.workspaceFolders?.[0];
    return folder ? storePathFor(folder) : null;
  }

  queries = () => this.access.queries();

  fire(change: StoreChange): void {
    this.changes.fire(change);
  }

  trainingStarted(db: string): void {
    this.trainingDb = db;
    this.trainingActive = true;
  }

  trainingEnded(): void {
    this.trainingActive = false;
  }

  private externalChange(): void {
    if (this.trainingActive || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.changes.fire({ kind: 'external' });
    }, EXTERNAL_DEBOUNCE_MS);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.watcher.dispose();
    this.changes.dispose();
    void this.access.close();
  }
}

export function registerStore(context: vscode.ExtensionContext): WorkspaceStore {
  const store = new WorkspaceStore();
  context.subscriptions.push(store);
  return store;
}
