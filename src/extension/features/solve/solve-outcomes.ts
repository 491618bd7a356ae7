/**
 * What the trained model's last answer did, per task, for this window's session: the CodeLens shows
 * it on the function ("✓ 5/5 by trained model"). Kept in memory only: it describes an answer the
 * user has seen, not the file, and is gone with the window.
 */
import * as vscode from 'vscode';
import { outcomeLabel, type SolveVerificationVM } from '../../../shared/solve-state';

export interface SolveOutcome {
  label: string;
  passed: boolean;
  /** Accepted into the file, discarded, or still undecided. */
  decision: 'accepted' | 'discarded' | null;
}

export class SolveOutcomes implements vscode.Disposable {
  private readonly byTask = new Map<string, SolveOutcome>();
  private readonly changes = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changes.event;

  get(taskId: string): SolveOutcome | undefined {
    return this.byTask.get(taskId);
  }

  verified(taskId: string, verification: SolveVerificationVM): void {
    this.byTask.set(taskId, { label: outcomeLabel(verification), passed: verification.passed, decision: null });
    this.changes.fire();
  }

  decided(taskId: string, decision: 'accepted' | 'discarded'): void {
    const known = this.byTask.get(taskId);
    if (!known) return;
    this.byTask.set(taskId, { ...known, decision });
    this.changes.fire();
  }

  dispose(): void {
    this.changes.dispose();
  }
}
