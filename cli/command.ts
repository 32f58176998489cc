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
