/**
 * Workspace trust: training, mining and checks run the workspace's tests and model-written code,
 * so they need a trusted workspace. Browsing a store (runs, traces, dashboard) works in restricted
 * mode. package.json declares `untrustedWorkspaces: limited`.
 */
import * as vscode from 'vscode';

const MANAGE = 'Manage Workspace Trust';

/** True when trusted; otherwise explains why `what` needs trust, offers to manage it, and returns false. */
export async function requireTrust(what: string): Promise<boolean> {
  if (vscode.workspace.isTrusted) return true;
  const choice = await vscode.window.showWarningMessage(
    `${what} runs this workspace's tests and model-written code, so it needs a trusted workspace. ` +
    'Browsing runs and traces works without trust.',
    MANAGE);
  if (choice === MANAGE) await vscode.commands.executeCommand('workbench.trust.manage');
  return false;
}
