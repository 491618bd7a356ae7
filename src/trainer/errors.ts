/**
 * Errors a user can act on. Every failure the CLI reports names what failed, with what input, and
 * what to do next (`hint`). Anything that is not an RlvrError is a bug and is printed with its stack.
 */
export class RlvrError extends Error {
  constructor(
    message: string,
    /** Stable machine-readable code, e.g. `bad_flag`, `no_tests`, `sandbox_unavailable`. */
    readonly code: string,
    /** What the user can do about it. */
    readonly hint?: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** A command-line usage mistake (unknown flag, missing value). Exit code 2. */
export class UsageError extends RlvrError {
  constructor(message: string, hint?: string) {
    super(message, 'usage', hint);
  }
}
