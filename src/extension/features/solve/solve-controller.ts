/**
 * "RLVR: Solve with Trained Model": picks the task function (CodeLens argument, cursor, or a list)
 * and the exported model, renders the task's prompt exactly as training does, and runs a
 * SolveSession in the panel. The answer is verified by `rlvr verify` (the sandboxed verifier, in a
 * child process; the candidate is a temporary file outside the workspace). The panel's decisions
 * come back here: Cancel, Show Diff, Accept (diff, confirmation, one WorkspaceEdit), Discard.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { workspaceFileReader } from '../../../trainer/mining/workspace-reader';
import { renderTaskPrompt } from '../../../trainer/tasks/prompt';
import type { Task } from '../../../trainer/tasks/task';
import type { SolveVerificationVM } from '../../../shared/solve-state';
import { spliceArgs, verifyCandidateArgs } from '../../core/cli-args';
import { parseSplice, parseVerification } from '../../core/cli-json';
import type { SolveDecision } from '../../core/routers/solve-router';
import type { ModelCache } from '../../core/solve/model-cache';
import { generationOptions, taskAtLine, taskIdArgument, verdictText, type SolvableTask } from '../../core/solve/solvable-tasks';
import { SolveSession } from '../../core/solve/solve-session';
import { originalFunction } from '../../core/task-locations';
import type { Cli } from '../../infra/cli';
import type { Logs } from '../../infra/logs';
import { readSettings } from '../../infra/settings';
import type { WorkspaceStore } from '../../infra/store';
import { requireTrust } from '../../infra/trust';
import { relativeFile } from '../editor/task-annotations';
import { workspaceFileUri } from '../workspace-files';
import type { AnswerProposals, AnswerToApply } from './answer-proposals';
import { pickSolveModel } from './solve-model-picker';
import type { SolveOutcomes } from './solve-outcomes';
import type { SolvePanel } from './solve-panel';
import type { LatestRunTasks, SolveTasks } from './solve-tasks';

export interface SolveDeps {
  cli: Cli;
  logs: Logs;
  context: vscode.ExtensionContext;
  store: WorkspaceStore;
  tasks: SolveTasks;
  outcomes: SolveOutcomes;
  proposals: AnswerProposals;
  models: ModelCache;
  panel: Pick<SolvePanel, 'show' | 'emit'>;
}

/** The verified answer waiting for the user's decision. */
interface Answer {
  solveId: number;
  task: Task;
  uri: vscode.Uri;
  folder: vscode.WorkspaceFolder;
  code: string;
  verification: SolveVerificationVM;
}

/** A private temporary folder for the candidate (and source) files the CLI reads; removed after. */
async function withScratch<T>(use: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'rlvr-solve-'));
  try {
    return await use(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export class SolveController {
  private session: SolveSession | null = null;
  private answer: Answer | null = null;
  private nextId = 1;

  constructor(private readonly deps: SolveDeps) {}

  async solve(arg?: unknown): Promise<void> {
    if (!(await requireTrust('Solving with the trained model'))) return;
    const latest = await this.deps.tasks.latest();
    if (!latest || latest.tasks.length === 0) {
      void vscode.window.showInformationMessage('RLVR: no training run with tasks in this workspace\'s trace store yet. Train first ("RLVR: Start Training"); its tasks then get a "Solve with trained model" CodeLens.');
      return;
    }
    const picked = await this.pickTask(latest, arg);
    if (!picked) return;
    const { task, location } = picked;
    const uri = await workspaceFileUri(location.file);
    const folder = uri && vscode.workspace.getWorkspaceFolder(uri);
    if (!uri || !folder) throw new Error(`${location.file} (task ${task.symbol}) is not in the open workspace folders`);
    const document = await vscode.workspace.openTextDocument(uri);
    const original = originalFunction(location, document.getText());
    if (!original) {
      throw new Error(`\`${task.symbol}\` is no longer at lines ${location.startLine}–${location.endLine} of ${location.file} (it changed since run ${latest.run.id}); train again or run "RLVR: Mine Tasks"`);
    }
    const runs = (await (await this.deps.store.queries())?.listRuns()) ?? [latest.run];
    const model = await pickSolveModel({ cli: this.deps.cli, context: this.deps.context }, folder, runs, latest.run.id);
    if (!model) return;
    await this.run({ task, uri, folder, line: original.line, language: location.language, model, runConfig: latest.run.config });
  }

  private async run(p: {
    task: Task; uri: vscode.Uri; folder: vscode.WorkspaceFolder; line: number; language: SolvableTask['location']['language'];
    model: { dir: string; label: string }; runConfig: LatestRunTasks['run']['config'];
  }): Promise<void> {
    this.session?.cancel();
    this.answer = null;
    const solveId = this.nextId++;
    const prompt = renderTaskPrompt(p.task, workspaceFileReader(p.folder.uri.fsPath));
    const session = new SolveSession({
      solveId,
      task: { taskId: p.task.id, symbol: p.task.symbol, file: p.task.file, line: p.line, language: p.language },
      model: { label: p.model.label, dir: p.model.dir, provider: null },
      prompt,
      generation: generationOptions(p.runConfig),
    }, {
      loadModel: (dir) => this.deps.models.get(dir),
      verify: (code, signal) => this.verify(p.task, p.folder, code, signal),
      emit: (event) => this.deps.panel.emit(event),
    });
    this.session = session;
    this.deps.panel.show();
    const outcome = await session.run();
    if (this.session !== session) return;
    if (outcome.kind === 'failed') this.deps.logs.line(`solve ${p.task.symbol}: ${outcome.message}`);
    if (outcome.kind !== 'verified') return;
    this.deps.outcomes.verified(p.task.id, outcome.verification);
    this.answer = { solveId, task: p.task, uri: p.uri, folder: p.folder, code: outcome.code, verification: outcome.verification };
  }

  private async pickTask(latest: LatestRunTasks, arg: unknown): Promise<SolvableTask | undefined> {
    const byId = taskIdArgument(arg);
    if (byId) {
      const found = latest.tasks.find((t) => t.task.id === byId);
      if (!found) throw new Error(`task ${byId} is not a task of the latest run (${latest.run.id})`);
      return found;
    }
    const editor = vscode.window.activeTextEditor;
    const file = editor && relativeFile(editor.document.uri);
    const atCursor = file ? taskAtLine(latest.tasks, file, editor.selection.active.line + 1) : null;
    if (atCursor) return atCursor;
    const picked = await vscode.window.showQuickPick(latest.tasks.map((t) => ({
      label: t.task.symbol, description: `${t.location.file}:${t.location.startLine}`, detail: t.location.split === 'eval' ? 'held out from training' : undefined, t,
    })), { title: 'RLVR: Solve with Trained Model — task', placeHolder: `Which function? (tasks of run ${latest.run.id})`, matchOnDescription: true });
    return picked?.t;
  }

  /** `rlvr verify --task ID --candidate FILE --json`: the same sandboxed check training uses. */
  private verify(task: Task, folder: vscode.WorkspaceFolder, code: string, signal: AbortSignal) {
    return withScratch(async (dir) => {
      const candidate = join(dir, 'candidate.txt');
      await writeFile(candidate, code);
      const args = verifyCandidateArgs({ workspace: folder.uri.fsPath, python: readSettings(folder).pythonPath, taskId: task.id, candidate });
      const result = await this.deps.cli.run(args, folder.uri.fsPath, { okCodes: [0, 1], signal });
      return parseVerification(args, result.stdout);
    });
  }

  /** The file with the answer in place, by `rlvr splice` (the verifier's splice) over `source`. */
  private splice(answer: Answer, source: string): Promise<string> {
    return withScratch(async (dir) => {
      const candidate = join(dir, 'candidate.txt');
      const sourceFile = join(dir, 'source.txt');
      await Promise.all([writeFile(candidate, answer.code), writeFile(sourceFile, source)]);
      const { folder, task } = answer;
      const args = spliceArgs({ workspace: folder.uri.fsPath, python: readSettings(folder).pythonPath, taskId: task.id, candidate, source: sourceFile });
      const result = parseSplice(args, (await this.deps.cli.run(args, folder.uri.fsPath, { okCodes: [0, 1] })).stdout);
      if (result.spliced === null) {
        throw new Error(`the answer cannot be spliced into ${task.file}: ${result.flags.map((f) => `${f.code}: ${f.message}`).join('; ') || 'no reason given'}`);
      }
      return result.spliced;
    });
  }

  private toApply(answer: Answer): AnswerToApply {
    return {
      solveId: answer.solveId, symbol: answer.task.symbol, uri: answer.uri,
      verdict: verdictText(answer.verification), passed: answer.verification.passed,
      splice: (source) => this.splice(answer, source),
    };
  }

  /** A decision from the panel, about the solve on screen (the router checked the id). */
  async decide(decision: SolveDecision, solveId: number): Promise<void> {
    if (decision === 'cancel') {
      if (this.session?.id === solveId) this.session.cancel();
      return;
    }
    const answer = this.answer;
    if (!answer || answer.solveId !== solveId) return;
    switch (decision) {
      case 'showDiff':
        await this.deps.proposals.showDiff(this.toApply(answer));
        return;
      case 'accept':
        if (!(await this.deps.proposals.accept(this.toApply(answer)))) return;
        this.finish(answer, 'accepted', `Replaced \`${answer.task.symbol}\` in ${answer.task.file} (not saved yet; Undo reverts it).`);
        return;
      case 'discard':
        this.finish(answer, 'discarded', 'The answer was discarded; the file was not changed.');
        return;
    }
  }

  private finish(answer: Answer, decision: 'accepted' | 'discarded', message: string): void {
    this.answer = null;
    this.deps.panel.emit({ type: 'phase', solveId: answer.solveId, phase: decision, message });
    this.deps.outcomes.decided(answer.task.id, decision);
  }

  /** The panel was closed: stop the work in progress. */
  panelClosed(): void {
    this.session?.cancel();
  }
}
