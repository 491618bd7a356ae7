/** One `rlvr` sub-command. Each lives in its own file under `commands/` and is listed in `main.ts`. */
export interface Command {
  name: string;
  /** One line for `rlvr help`. */
  summary: string;
  /** Full usage text, printed by `rlvr help NAME` and on usage errors. */
  usage: string;
  /** Runs the command with the arguments after its name; resolves to the process exit code. */
  run(argv: string[], io: CommandIO): Promise<number>;
}

/** Output channels, injectable so commands can be tested without a terminal. */
export interface CommandIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Aborted on the first Ctrl-C; commands stop at a safe point. */
  signal: AbortSignal;
}
