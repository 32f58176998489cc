// `faxvault sim`: the appliance on a simulated board.
import type { Command } from '../command.ts';
import { UsageError } from '../command.ts';
import { parseArgs, intOption } from '../args.ts';
import { loadSettings } from '../../sim/config.ts';
import { startSession } from '../../sim/session.ts';
import type { Session } from '../../sim/session.ts';
import { parseKeyScript } from '../../sim/board/keypad.ts';
import type { KeyName } from '../../hal/keypad.ts';
import { renderScreen } from '../../sim/board/lcd.ts';
import { readDocumentFile, toSheets } from '../../sim/board/documents.ts';

const DEMO_KEYS = 'wait:2s MENU DOWN UP 1 wait:1s DOWN BACK 2 2611251430 OK wait:3s BACK wait:2s';

const help = `usage: faxvault sim [options]

Runs the appliance firmware on a simulated board: LCD and keypad in the terminal, printer
pages as PNG files, flash kept in a file, the telephone line emulated (or a real modem).

options:
  --data DIR            keep the flash image (DIR/flash.bin) and printed pages (DIR/printer/)
                        here; a later run with the same DIR finds everything again
  --config FILE         appliance settings as JSON (sections station, fax, panel, …); every
                        bad field is reported by name. Default: the embedded demo settings
  --modem M             the modem UART: virtual (the emulated line, default), a device path
                        such as /dev/ttyUSB0 or a pty, or tcp:HOST:PORT (a real or software
                        Class 1 modem outside)
  --realtime            run the clock in real time (default with live keys in a terminal)
  --keys "…"            scripted key presses, then exit: key names 0-9 * # MENU OK BACK UP
                        DOWN START STOP BOX REPORT SPEED, digit runs (1234), wait:2s,
                        wait:500ms, paper:out, paper:in, show. Runs in virtual time.
  --key-gap MS          virtual time between scripted key presses (default 300)
  --exit-after-calls N  exit after N fax calls have ended
  --scan FILE           put a document (PBM, TIFF or PNG; several pages allowed) in the
                        scanner's feeder at start (repeat for more documents)
  --seed TEXT           seed the entropy source (reproducible runs)
  --trace               print the kernel trace (frames, state transitions) as it happens
  --demo                the quick-start demo (npm start): embedded settings, a short key
                        script when not in a terminal, live keys when in one
  --help                this text

live keys (terminal): digits * #, Enter = OK, Backspace = BACK, Esc = STOP, arrows = UP/DOWN,
  m = MENU, s = START, b = BOX, r = REPORT, p = SPEED, q or Ctrl-C = quit.`;

const LIVE_KEYS: { [seq: string]: KeyName } = {
  '\r': 'OK', '\n': 'OK', '\x7f': 'BACK', '\b': 'BACK', '\x1b': 'STOP', '\x1b[A': 'UP', '\x1b[B': 'DOWN',
  m: 'MENU', s: 'START', b: 'BOX', r: 'REPORT', p: 'SPEED',
};

function runLive(session: Session, exitAfterCalls: number | null): Promise<number> {
  const { sim, app } = session;
  const tty = process.stdout.isTTY;
  const draw = () => {
    if (tty) process.stdout.write('\x1b[H\x1b[2J');
    process.stdout.write(renderScreen(sim.lcd.lines) + '\n');
    if (tty) process.stdout.write('keys: 0-9 * #  Enter=OK  Backspace=BACK  Esc=STOP  arrows  m=MENU  q=quit\n');
  };
  sim.lcd.onChange = draw;
  draw();
  return new Promise((resolve) => {
    const stop = (code: number) => {
      if (process.stdin.isTTY) process.stdin.setRawMode(false);
      process.stdin.pause();
      sim.flash.close();
      resolve(code);
    };
    app.onCallEnd = (summary) => {
      process.stdout.write(summary + '\n');
      if (exitAfterCalls !== null && ++app.callsEnded >= exitAfterCalls) stop(0);
    };
    if (process.stdin.isTTY) process.stdin.setRawMode(true);
    process.stdin.setEncoding('utf8');
    process.stdin.on('data', (d: string) => {
      if (d === 'q' || d === '\x03') return stop(0);
      const k = LIVE_KEYS[d] ?? (/^[0-9*#]$/.test(d) ? (d as KeyName) : null);
      if (k) sim.keys.press(k);
    });
    process.stdin.on('end', () => stop(0));
  });
}

const command: Command = {
  name: 'sim',
  summary: 'run the appliance on the simulated board (LCD, keys, line, printer)',
  help,
  async run(argv) {
    const args = parseArgs(argv, {
      data: 'value', config: 'value', modem: 'value', realtime: 'flag', keys: 'value', 'key-gap': 'value',
      'exit-after-calls': 'value', seed: 'value', trace: 'flag', demo: 'flag', scan: 'value',
    });
    if (args.positional.length) throw new UsageError(`unexpected argument '${args.positional[0]}'`);
    const settings = loadSettings((args.opts.config as string) ?? null);
    const modem = (args.opts.modem as string) ?? 'virtual';
    if (modem !== 'virtual' && !modem.startsWith('/') && !/^tcp:[^:]+:\d+$/.test(modem)) {
      throw new UsageError(`--modem must be virtual, a device path (/dev/…) or tcp:HOST:PORT (got '${modem}')`);
    }
    if (modem !== 'virtual') {
      throw new UsageError(`--modem ${modem}: external modems are not wired into the simulator yet (only 'virtual')`);
    }
    const exitAfterCalls = intOption(args, 'exit-after-calls', 1, 1000000);
    const gap = intOption(args, 'key-gap', 0, 600000) ?? 300;
    let keys = (args.opts.keys as string) ?? null;
    const interactive = !keys && process.stdin.isTTY === true;
    if (args.opts.demo && !interactive && !keys) keys = DEMO_KEYS;
    let steps = null;
    if (keys !== null) {
      try {
        steps = parseKeyScript(keys);
      } catch (e) {
        throw new UsageError((e as Error).message);
      }
    }
    const realtime = args.opts.realtime === true || (steps === null && exitAfterCalls === null);
    if (realtime && steps) throw new UsageError('--keys runs in virtual time: leave out --realtime');
    const scans = argv.filter((a, i) => argv[i - 1] === '--scan' || a.startsWith('--scan='));
    const sheets = [];
    for (const a of scans) {
      try {
        sheets.push(...toSheets(readDocumentFile(a.startsWith('--scan=') ? a.slice(7) : a)));
      } catch (e) {
        throw new UsageError(`--scan: ${(e as Error).message}`);
      }
    }
    const out = (l: string) => process.stdout.write(l + '\n');
    const session = startSession({
      settings,
      dataDir: (args.opts.data as string) ?? null,
      realtime,
      seed: args.opts.seed as string | undefined,
      out: realtime ? undefined : out,
      trace: args.opts.trace === true,
    });
    if (sheets.length) session.sim.scanner.load(sheets);
    if (args.opts.trace && realtime) session.app.kernel.tracer.sink = (l) => process.stderr.write('  ' + l + '\n');
    if (realtime) return runLive(session, exitAfterCalls);
    session.app.onCallEnd = (summary) => {
      out(summary);
      session.app.callsEnded++;
    };
    if (steps) session.runScript(steps, gap);
    if (exitAfterCalls !== null) {
      // Let the line work in virtual time until enough calls ended (an hour of line time at most).
      const limit = session.sim.clock.now() + 3600 * 1000;
      while (session.app.callsEnded < exitAfterCalls && session.sim.clock.now() < limit) session.runFor(1000);
      if (session.app.callsEnded < exitAfterCalls) {
        console.error(`faxvault sim: only ${session.app.callsEnded} of ${exitAfterCalls} calls ended within an hour of line time`);
        session.sim.flash.close();
        return 1;
      }
    }
    session.runFor(0);
    session.sim.flash.close();
    const faults = session.app.kernel.faults;
    if (faults.length) {
      for (const f of faults) console.error(`fault: ${f.who} in ${f.state} on ${f.sig}: ${f.what}`);
      return 1;
    }
    return 0;
  },
};

export default command;
