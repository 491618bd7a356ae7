/**
 * Errors of the extension host's own plumbing, in the trainer's style: what failed, with what
 * input, and what to do (`hint`). The UI shows `message` and offers `hint` as the next step.
 */
import { RlvrError } from '../../trainer/errors';

const LOGS_HINT = 'Open "RLVR: Show Logs" for the full output; run the same command in a terminal to reproduce it.';

/** A child process (the `rlvr` CLI, the setup script) failed: which command, its exit status and the end of its stderr. */
export class CliProcessError extends RlvrError {
  constructor(
    /** The command line as shown to the user, program first. */
    readonly commandLine: readonly string[],
    readonly exitCode: number | null,
    readonly signal: NodeJS.Signals | null,
    readonly stderrTail: string,
  ) {
    const how = signal ? `was stopped by ${signal}` : `exited with code ${exitCode}`;
    const { detail, hint } = describeCliFailure(stderrTail);
    super(`\`${commandLine.join(' ')}\` ${how}${detail ? `: ${detail}` : ''}`, 'cli_failed', hint ?? LOGS_HINT);
  }
}

/** The CLI printed something on stdout that is not the JSON it promised. */
export class CliOutputError extends RlvrError {
  constructor(args: readonly string[], problem: string) {
    super(`\`rlvr ${args.join(' ')}\` printed unexpected output: ${problem}`, 'cli_bad_output',
      'The extension and its bundled CLI may be out of step; rebuild with `node scripts/build.mjs` or reinstall the extension.');
  }
}

/**
 * The CLI reports a failure as `rlvr: message` and then `  → hint` (src/trainer/cli/main.ts); both
 * are worth showing. Anything else: the last non-empty line.
 */
export function describeCliFailure(stderr: string): { detail: string; hint: string | null } {
  const lines = stderr.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  const at = lines.map((l) => l.startsWith('rlvr: ')).lastIndexOf(true);
  if (at < 0) return { detail: (lines[lines.length - 1] ?? '').slice(0, 400), hint: null };
  const next = lines[at + 1];
  return {
    detail: (lines[at] ?? '').slice('rlvr: '.length, 400),
    hint: next?.startsWith('→ ') ? next.slice(2) : null,
  };
}

/** The user cancelled the work (the Cancel button of a progress notification, or Stop). */
export class CancelledError extends RlvrError {
  constructor(what: string) {
    super(`${what} was cancelled`, 'cancelled');
  }
}
