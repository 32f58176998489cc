// `faxvault` — one CLI in front of the simulator, the codec tools, the key center and the client.
import type { Command } from './command.ts';
import { CommandFailure, UsageError } from './command.ts';
import { readFileSync } from 'node:fs';
import { describeFsError } from '../host/files/errors.ts';

// name -> module path (loaded on demand, so `faxvault convert` does not load the simulator).
const COMMANDS: Record<string, () => Promise<{ default: Command }>> = {
  sim: () => import('./commands/sim.ts'),
  flash: () => import('./commands/flash.ts'),
  convert: () => import('./commands/convert.ts'),
  center: () => import('./commands/center.ts'),
  seal: () => import('./commands/seal.ts'),
  open: () => import('./commands/open.ts'),
  docs: () => import('./commands/docs.ts'),
  client: () => import('./commands/client.ts'),
};

async function summaries(): Promise<string> {
  const lines: string[] = [];
  for (const name of Object.keys(COMMANDS)) {
    const c = (await COMMANDS[name]()).default;
    lines.push('  ' + name.padEnd(10) + c.summary);
  }
  return lines.join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const name = argv[0];
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log('usage: faxvault COMMAND [options]    (faxvault COMMAND --help for details)\n\ncommands:\n' + (await summaries()));
    return name ? 0 : 2;
  }
  if (name === '--version' || name === '-V' || name === 'version') {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    console.log(`faxvault ${pkg.version} (node ${process.version})`);
    return 0;
  }
  const load = COMMANDS[name];
  if (!load) {
    console.error(`faxvault: unknown command '${name}' (try faxvault --help)`);
    return 2;
  }
  const cmd = (await load()).default;
  const rest = argv.slice(1);
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(cmd.help);
    return 0;
  }
  try {
    return await cmd.run(rest);
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`faxvault ${name}: ${e.message}`);
      return 2;
    }
    // Anything else is one line too, never a stack trace (FAXVAULT_DEBUG=1 shows it).
    if (process.env.FAXVAULT_DEBUG) console.error(e);
    const fs = e as NodeJS.ErrnoException;
    if (e instanceof CommandFailure) console.error(`faxvault ${name}: ${e.message}`);
    else if (fs && fs.syscall) console.error(`faxvault ${name}: ${fs.path ? fs.path + ': ' : ''}${describeFsError(e)}`);
    else console.error(`faxvault ${name}: internal error: ${(e as Error)?.message ?? String(e)} (FAXVAULT_DEBUG=1 shows where)`);
    return 1;
  }
}
