// `faxvault flash`: upload the device bundle to an Espruino board with EspruinoTools (the
// `espruino` npm package), saving it to the board's flash.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from '../command.ts';
import { UsageError } from '../command.ts';
import { parseArgs } from '../args.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');

const help = `usage: faxvault flash --port PORT [--baud N] [--board NAME] [--dry-run]

Builds dist/faxvault.device.js (npm run build) if missing and uploads it with the espruino
CLI (EspruinoTools), with SAVE_ON_SEND so the code stays in the board's flash.

  --port PORT   /dev/ttyUSB0 (serial) or tcp://HOST[:PORT] (a board on the network)
  --baud N      serial speed (default 115200)
  --board NAME  skip board detection (e.g. ESP32)
  --dry-run     print the espruino command instead of running it

Equivalent by hand:
  npx espruino -p /dev/ttyUSB0 -b 115200 --config SAVE_ON_SEND=1 dist/faxvault.device.js
Then on the board: faxvault.selftest() prints 'N passed, N failed'.
The bundle is minified by the project's build; espruino's own -m minifier is not used (it broke
class names in a test).`;

const command: Command = {
  name: 'flash',
  summary: 'upload the device bundle to an Espruino board (serial or TCP)',
  help,
  run(argv) {
    const args = parseArgs(argv, { port: 'value', baud: 'value', board: 'value', 'dry-run': 'flag' });
    const port = args.opts.port as string | undefined;
    if (!port) throw new UsageError('--port is required (e.g. --port /dev/ttyUSB0 or --port tcp://192.0.2.10)');
    const baud = (args.opts.baud as string) ?? '115200';
    if (!/^\d+$/.test(baud)) throw new UsageError(`--baud must be a number (got '${baud}')`);
    const bundle = join(root, 'dist/faxvault.device.js');
    const cmd = [join(root, 'node_modules/.bin/espruino'), '-p', port, '-b', baud, '--config', 'SAVE_ON_SEND=1'];
    if (args.opts.board) cmd.push('--board', args.opts.board as string);
    cmd.push(bundle);
    if (args.opts['dry-run']) {
      console.log(cmd.join(' '));
      return 0;
    }
    if (!existsSync(bundle)) {
      const b = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
      if (b.status !== 0) return 1;
    }
    const r = spawnSync(cmd[0], cmd.slice(1), { stdio: 'inherit' });
    return r.status ?? 1;
  },
};

export default command;
