// Small option parser for the subcommands: `--name value`, `--name=value`, boolean `--flag`,
// positionals. Unknown options and missing values are UsageErrors naming the option.
import { UsageError } from './command.ts';

export interface ParsedArgs {
  opts: { [name: string]: string | boolean };
  positional: string[];
}

/** `spec` maps option names (without --) to 'value' or 'flag'. */
export function parseArgs(argv: string[], spec: { [name: string]: 'value' | 'flag' }): ParsedArgs {
  const opts: { [name: string]: string | boolean } = {};
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--') || a === '--') {
      positional.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const name = a.slice(2, eq < 0 ? undefined : eq);
    const kind = spec[name];
    if (!kind) throw new UsageError(`unknown option --${name}`);
    if (kind === 'flag') {
      if (eq >= 0) throw new UsageError(`--${name} takes no value`);
      opts[name] = true;
    } else {
      const v = eq >= 0 ? a.slice(eq + 1) : argv[++i];
      if (v === undefined || (eq < 0 && v.startsWith('--'))) throw new UsageError(`--${name} needs a value`);
      opts[name] = v;
    }
  }
  return { opts, positional };
}

export function intOption(args: ParsedArgs, name: string, min: number, max: number): number | null {
  const v = args.opts[name];
  if (v === undefined) return null;
  const n = Number(v);
  if (typeof v !== 'string' || !/^\d+$/.test(v) || n < min || n > max) {
    throw new UsageError(`--${name} must be a whole number from ${min} to ${max} (got ${JSON.stringify(v)})`);
  }
  return n;
}
