// One subcommand of the `faxvault` CLI. Each lives in cli/commands/<name>.ts.
export interface Command {
  name: string;
  /** One line for `faxvault --help`. */
  summary: string;
  /** Full `faxvault NAME --help` text. */
  help: string;
  /** Returns the process exit code. */
  run(argv: string[]): Promise<number> | number;
}

/** A user error: printed as `faxvault NAME: message` with exit code 2, no stack trace. */
export class UsageError extends Error {}

/**
 * The command could not do its job for a reason outside the command line (a file that cannot be
 * written, an image that is not ours): printed as `faxvault NAME: message`, exit code 1.
 */
export class CommandFailure extends Error {}
