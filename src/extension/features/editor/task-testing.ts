/**
 * Verification results in VS Code's Testing view: one item per task function (under its file).
 * Two run profiles: "Latest training results" publishes what the latest run's samples did (reads the
 * store; fine in restricted mode), and "Check ground truth" runs `rlvr verify --ground-truth`
 * (executes the workspace's tests: trusted workspaces only). The palette's "Check Tasks Against
 * Ground Truth" publishes its verdicts here too (`showGroundTruth`).
 */
import * as vscode from 'vscode';
import { TEST_CONTROLLER_ID } from '../../command-ids';
import { groundTruthArgs } from '../../core/cli-args';
import { parseGroundTruth, type GroundTruthVerdict } from '../../core/cli-json';
import { errorText } from '../../core/store-port';
import { failureMessage } from '../../core/task-lens';
import type { Cli } from '../../infra/cli';
import { readSettings } from '../../infra/settings';
import { requireTrust } from '../../infra/trust';
import { pickFolder } from '../../infra/workspace';
import type { AnnotatedTask, RunAnnotations, TaskAnnotations } from './task-annotations';
import { workspaceFileUri } from '../workspace-files';

export interface TaskTestingDeps {
  annotations: TaskAnnotations;
  cli: Cli;
}

export class TaskTesting implements vscode.Disposable {
  private readonly controller = vscode.tests.createTestController(TEST_CONTROLLER_ID, 'RLVR tasks');

  constructor(private readonly deps: TaskTestingDeps) {
    this.controller.createRunProfile('Latest training results', vscode.TestRunProfileKind.Run,
      (request) => this.publishLatest(request), true);
    this.controller.createRunProfile('Check ground truth (runs the tests)', vscode.TestRunProfileKind.Run,
      (request, token) => this.checkGroundTruth(request, token), false);
    this.controller.refreshHandler = () => this.sync(true);
  }

  /** Rebuilds the items from the latest run; publishes its results when asked. */
  async sync(publish: boolean): Promise<void> {
    const run = await this.deps.annotations.latest();
    await this.rebuild(run?.tasks ?? []);
    if (publish && run) this.publish(run, this.allTasks());
  }

  private async rebuild(tasks: readonly AnnotatedTask[]): Promise<void> {
    const files = new Map<string, vscode.TestItem>();
    for (const { location } of tasks) {
      let fileItem = files.get(location.file);
      if (!fileItem) {
        const uri = await workspaceFileUri(location.file);
        fileItem = this.controller.createTestItem(`file:${location.file}`, location.file, uri ?? undefined);
        files.set(location.file, fileItem);
      }
      const taskItem = this.controller.createTestItem(location.taskId, location.symbol, fileItem.uri);
      taskItem.range = new vscode.Range(location.startLine - 1, 0, location.endLine - 1, 0);
      taskItem.description = location.split === 'eval' ? 'held-out' : undefined;
      fileItem.children.add(taskItem);
    }
    this.controller.items.replace([...files.values()]);
  }

  private allTasks(): vscode.TestItem[] {
    const out: vscode.TestItem[] = [];
    this.controller.items.forEach((file) => file.children.forEach((task) => out.push(task)));
    return out;
  }

  /** The task items a request covers (all when it names none), minus its exclusions. */
  private requested(request: vscode.TestRunRequest): vscode.TestItem[] {
    const roots = request.include ?? [];
    const picked = roots.length === 0 ? this.allTasks() : roots.flatMap((item) => {
      const children: vscode.TestItem[] = [];
      item.children.forEach((c) => children.push(c));
      return children.length > 0 ? children : [item];
    });
    const excluded = new Set((request.exclude ?? []).map((i) => i.id));
    return picked.filter((i) => !excluded.has(i.id) && !excluded.has(i.parent?.id ?? ''));
  }

  private async publishLatest(request: vscode.TestRunRequest): Promise<void> {
    const run = await this.deps.annotations.latest();
    if (!run) {
      void vscode.window.showInformationMessage('RLVR: no training run yet, so there are no results to show. Run "RLVR: Start Training" first.');
      return;
    }
    this.publish(run, this.requested(request));
  }

  private publish(run: RunAnnotations, items: readonly vscode.TestItem[]): void {
    const outcomes = new Map(run.tasks.map((t) => [t.location.taskId, t.outcome]));
    const testRun = this.controller.createTestRun(new vscode.TestRunRequest(items), `RLVR run ${run.runId}`, false);
    for (const item of items) {
      const outcome = outcomes.get(item.id);
      if (!outcome) testRun.skipped(item);
      else if (outcome.passed > 0) testRun.passed(item);
      else testRun.failed(item, new vscode.TestMessage(failureMessage(outcome)));
    }
    testRun.end();
  }

  /** Verdicts of a ground-truth check run from the palette, on the items of the latest run's tasks. */
  async showGroundTruth(verdicts: readonly GroundTruthVerdict[]): Promise<void> {
    await this.sync(false);
    const items = this.allTasks();
    if (items.length === 0) return;
    const testRun = this.controller.createTestRun(new vscode.TestRunRequest(items), 'RLVR ground truth', true);
    reportVerdicts(testRun, items, verdicts);
    testRun.end();
  }

  private async checkGroundTruth(request: vscode.TestRunRequest, token: vscode.CancellationToken): Promise<void> {
    if (!(await requireTrust('Checking tasks against ground truth'))) return;
    const folder = await pickFolder('Check ground truth');
    if (!folder) return;
    const items = this.requested(request);
    const testRun = this.controller.createTestRun(request, 'RLVR ground truth', true);
    items.forEach((i) => testRun.started(i));
    const abort = new AbortController();
    token.onCancellationRequested(() => abort.abort());
    try {
      const args = groundTruthArgs({ workspace: folder.uri.fsPath, python: readSettings(folder).pythonPath });
      const result = await this.deps.cli.run(args, folder.uri.fsPath, { okCodes: [0, 1], signal: abort.signal, onStderrLine: (l) => testRun.appendOutput(`${l}\r\n`) });
      reportVerdicts(testRun, items, parseGroundTruth(args, result.stdout));
    } catch (error) {
      testRun.appendOutput(`${errorText(error)}\r\n`);
      items.forEach((i) => testRun.errored(i, new vscode.TestMessage(errorText(error))));
    } finally {
      testRun.end();
    }
  }

  dispose(): void {
    this.controller.dispose();
  }
}

function reportVerdicts(testRun: vscode.TestRun, items: readonly vscode.TestItem[], verdicts: readonly GroundTruthVerdict[]): void {
  const byId = new Map(verdicts.map((v) => [v.id, v]));
  for (const item of items) {
    const verdict = byId.get(item.id);
    if (!verdict) {
      testRun.skipped(item);
      testRun.appendOutput(`${item.label}: not a task of the workspace now (its tests or code changed since the run)\r\n`);
    } else if (verdict.ok) testRun.passed(item);
    else testRun.failed(item, new vscode.TestMessage(verdict.reason ?? 'failed the ground-truth check'));
  }
}
