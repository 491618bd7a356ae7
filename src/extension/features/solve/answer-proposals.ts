/**
 * Show Diff and Accept. The right side of the diff is a read-only virtual document (scheme
 * `rlvr-solve`) holding the file with the function replaced, as the verifier's splice builds it
 * (`rlvr splice`, from the editor's current text). Accept opens that diff, asks, and only then
 * applies one WorkspaceEdit over the lines that differ; the document is left unsaved, so Undo and
 * Save stay with the user. Nothing is written before the confirmation.
 */
import * as vscode from 'vscode';
import { SOLVE_PROPOSAL_SCHEME } from '../../command-ids';
import { applyReplacement, lineReplacement, lineSpan, matchLineEndings, type TextReplacement } from '../../core/solve/text-edit';

export interface Proposal {
  /** The real file. */
  uri: vscode.Uri;
  /** The document text the splice was made from. */
  before: string;
  edit: TextReplacement | null;
  /** The read-only document with the answer in place. */
  proposalUri: vscode.Uri;
}

export interface AnswerToApply {
  solveId: number;
  symbol: string;
  /** The real file. */
  uri: vscode.Uri;
  /** "it passed 5/5 tests" / "it failed 3 of 5 tests": said in the confirmation. */
  verdict: string;
  passed: boolean;
  /** The file with the answer spliced into `source` (the verifier's splice). */
  splice: (source: string) => Promise<string>;
}

export class AnswerProposals implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly contents = new Map<string, string>();
  private readonly changes = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changes.event;

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.contents.get(uri.toString()) ?? '';
  }

  /** Splices the answer into the document's current text and remembers the result. */
  async propose(answer: AnswerToApply): Promise<Proposal> {
    const document = await vscode.workspace.openTextDocument(answer.uri);
    const before = document.getText();
    const after = matchLineEndings(before, await answer.splice(before));
    const proposalUri = vscode.Uri.from({ scheme: SOLVE_PROPOSAL_SCHEME, path: answer.uri.path, query: `solve=${answer.solveId}` });
    const edit = lineReplacement(before, after);
    // What Accept would make of the document, character for character.
    this.contents.set(proposalUri.toString(), applyReplacement(before, edit));
    this.changes.fire(proposalUri);
    return { uri: answer.uri, before, edit, proposalUri };
  }

  async showDiff(answer: AnswerToApply): Promise<Proposal> {
    const proposal = await this.propose(answer);
    const name = answer.uri.path.split('/').pop() ?? answer.uri.path;
    await vscode.commands.executeCommand('vscode.diff', proposal.uri, proposal.proposalUri,
      `${name}: ${answer.symbol} ↔ trained model's answer`, { preview: true, viewColumn: vscode.ViewColumn.One });
    return proposal;
  }

  /** Shows the diff, asks, applies. True when the edit was applied. */
  async accept(answer: AnswerToApply): Promise<boolean> {
    const proposal = await this.showDiff(answer);
    if (proposal.edit === null) {
      void vscode.window.showInformationMessage(`RLVR: the answer is identical to the current \`${answer.symbol}\`; nothing to change.`);
      return false;
    }
    const lines = lineSpan(proposal.before, proposal.edit);
    const replace = 'Replace';
    const choice = await vscode.window.showWarningMessage(
      `Replace \`${answer.symbol}\` with the trained model's answer? ${answer.verdict}.`,
      { modal: true, detail: `Lines ${lines.first + 1}–${lines.last + 1} of ${vscode.workspace.asRelativePath(answer.uri)} change as shown in the diff. The file is not saved; Undo reverts it.` },
      replace);
    if (choice !== replace) return false;
    const document = await vscode.workspace.openTextDocument(answer.uri);
    if (document.getText() !== proposal.before) {
      throw new Error(`${vscode.workspace.asRelativePath(answer.uri)} changed while the diff was open; press Accept again to see the diff against the new text`);
    }
    const edit = new vscode.WorkspaceEdit();
    edit.replace(answer.uri, new vscode.Range(document.positionAt(proposal.edit.start), document.positionAt(proposal.edit.end)), proposal.edit.text);
    if (!(await vscode.workspace.applyEdit(edit))) throw new Error(`VS Code refused the edit of ${vscode.workspace.asRelativePath(answer.uri)} (is the file read-only?)`);
    return true;
  }

  dispose(): void {
    this.changes.dispose();
    this.contents.clear();
  }
}
