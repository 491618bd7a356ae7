/** The status-bar item: the run's state (step, reward); a click opens the dashboard. */
import * as vscode from 'vscode';
import { CommandId } from '../command-ids';
import { statusText } from '../core/status-text';
import type { TrainingController } from './training-controller';

export function registerStatusBar(deps: { training: TrainingController }, context: vscode.ExtensionContext): void {
  const item = vscode.window.createStatusBarItem('rlvrStudio.run', vscode.StatusBarAlignment.Left, 10);
  item.name = 'RLVR Studio training run';
  item.command = CommandId.openDashboard;
  const render = () => {
    const { text, tooltip } = statusText(deps.training.state);
    item.text = text;
    item.tooltip = tooltip;
    item.backgroundColor = deps.training.state.phase === 'failed' ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
  };
  render();
  item.show();
  context.subscriptions.push(item, deps.training.onDidChangeState(render));
}
