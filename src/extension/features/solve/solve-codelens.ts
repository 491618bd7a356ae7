/**
 * Beside the RLVR CodeLens of each task function of the latest run: "Solve with trained model",
 * and after a solve the answer's result ("✓ 5/5 by trained model · accepted").
 */
import * as vscode from 'vscode';
import { CommandId } from '../../command-ids';
import { lensesForTasks } from '../editor/task-lenses';
import type { SolveOutcome, SolveOutcomes } from './solve-outcomes';
import type { SolveTasks } from './solve-tasks';

function outcomeTitle(outcome: SolveOutcome): string {
  return outcome.decision ? `${outcome.label} · ${outcome.decision}` : outcome.label;
}

export class SolveCodeLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changes = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changes.event;

  constructor(private readonly tasks: SolveTasks, private readonly outcomes: SolveOutcomes) {}

  refresh(): void {
    this.changes.fire();
  }

  provideCodeLenses(document: vscode.TextDocument): Promise<vscode.CodeLens[]> {
    return lensesForTasks(document, (file) => this.tasks.inFile(file), ({ location }, range) => {
      const lenses: vscode.CodeLens[] = [];
      const outcome = this.outcomes.get(location.taskId);
      if (outcome) {
        lenses.push(new vscode.CodeLens(range, {
          title: outcomeTitle(outcome), command: '',
          tooltip: 'What the trained model\'s latest answer for this function did against its tests (in the sandbox, this session).',
        }));
      }
      lenses.push(new vscode.CodeLens(range, {
        title: outcome ? 'Solve again' : '$(sparkle) Solve with trained model', command: CommandId.solveWithTrainedModel,
        arguments: [{ taskId: location.taskId }],
        tooltip: 'Let an exported (ONNX) model of a training run answer this function; the answer is verified in the sandbox and only replaces the function if you accept the diff.',
      }));
      return lenses;
    });
  }

  dispose(): void {
    this.changes.dispose();
  }
}
