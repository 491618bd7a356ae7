/**
 * The bundled `rlvr` CLI as the extension uses it: where it is, running it with its output in the
 * logs, and whether it has a sub-command (`rlvr help NAME` exits 0 for a command, 2 for none), so
 * features that need a newer CLI say so instead of failing.
 */
import type * as vscode from 'vscode';
import { helpArgs } from '../core/cli-args';
import { runCli, startCli, type CliLocation, type ChildHandle, type LineHandlers, type ProcessResult, type RunOptions } from '../core/cli-process';
import { cliEnvironment } from '../core/studio-venv';
import type { Logs } from './logs';

export class Cli {
  private readonly known = new Map<string, Promise<boolean>>();

  constructor(readonly location: CliLocation, private readonly logs: Logs) {}

  /** Every child is told where the managed venv is (RLVR_STUDIO_VENV); `venv` is asked at each start. */
  static forExtension(context: vscode.ExtensionContext, logs: Logs, venv: () => string): Cli {
    const env = () => cliEnvironment(process.env, venv());
    return new Cli({ nodePath: process.execPath, cliPath: context.asAbsolutePath('dist/rlvr.js'), env }, logs);
  }

  /** Runs `rlvr ARGS` to the end; its stderr goes to the logs as it comes. */
  run(args: readonly string[], cwd: string, options: RunOptions = {}): Promise<ProcessResult> {
    this.logs.line(`$ rlvr ${args.join(' ')}`);
    return runCli(this.location, args, cwd, {
      ...options,
      onStderrLine: (l) => {
        this.logs.line(l);
        options.onStderrLine?.(l);
      },
    });
  }

  start(args: readonly string[], cwd: string, handlers: LineHandlers): ChildHandle {
    return startCli(this.location, args, cwd, handlers);
  }

  /** Whether the bundled CLI has sub-command `name`; asked once per session. */
  has(name: string, cwd: string): Promise<boolean> {
    let answer = this.known.get(name);
    if (!answer) {
      answer = runCli(this.location, helpArgs(name), cwd, { okCodes: [0, 2] }).then((r) => r.status.code === 0, () => false);
      this.known.set(name, answer);
    }
    return answer;
  }
}
