// `faxvault sim`: the appliance on a simulated board.
import type { Command } from '../command.ts';
import { CommandFailure, UsageError } from '../command.ts';
import { ImageError, checkDataDir, flashFile, imageSectors, isForeignImage, parseFlashSize } from '../../sim/board/image.ts';
import { sizeText, storeCapacity } from '../../firmware/store/index.ts';
import { SettingsChangeError, recordConfig, settingsBeforeBoot } from '../../sim/image-settings.ts';
import { parseArgs, intOption } from '../args.ts';
import { loadSettings } from '../../sim/config.ts';
import { startSession } from '../../sim/session.ts';
import type { Session } from '../../sim/session.ts';
import { parseKeyScript } from '../../sim/board/keypad.ts';
import type { KeyStep } from '../../sim/board/keypad.ts';
import type { KeyName } from '../../hal/keypad.ts';
import { renderScreen } from '../../sim/board/lcd.ts';
import { EventLog, KeyDecoder, liveScreen, memoryLine } from '../../sim/terminal.ts';
import type { TerminalInput } from '../../sim/terminal.ts';
import { DEMO_KEYS, DEMO_BOX, demoLetter } from '../../sim/demo.ts';
import { readDocumentFile, toSheets } from '../../sim/board/documents.ts';
import { newBitmap, rowOf } from '../../host/image/bitmap.ts';
import type { Bitmap } from '../../host/image/bitmap.ts';
import type { SendPage } from '../../firmware/fax/t30/index.ts';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openModemUart } from '../../hal/node/modem-uart.ts';
import type { OpenedUart } from '../../hal/node/modem-uart.ts';
import { startWebPanel, parseListen } from '../../sim/web/server.ts';
import type { WebPanel } from '../../sim/web/server.ts';
import { NodeNet } from '../../hal/node/net.ts';
import { attachRemoteMachines, parseRemote } from '../../sim/remote-machines.ts';
import type { RemoteSpec } from '../../sim/remote-machines.ts';
import { readKeyFile, KeyFileError } from '../../host/crypto/keyfile.ts';

/** `--key FILE`: the POLY part of a key file (the only suite the appliance runs). */
function loadApplianceKey(path: string): { identity: string; epoch: number; share: Uint8Array } {
  try {
    const kf = readKeyFile(path);
    if (!kf.poly) throw new UsageError(`--key ${path}: no POLY-GF128 share in it (the appliance runs only that suite; issue with --suites poly)`);
    return { identity: kf.identity, epoch: kf.epoch, share: new Uint8Array(Buffer.from(kf.poly.share, 'base64')) };
  } catch (e) {
    if (e instanceof KeyFileError) throw new UsageError(`--key: ${e.message}`);
    throw e;
  }
}


const help = `usage: faxvault sim [options]

Runs the appliance firmware on a simulated board: LCD and keypad in the terminal, printer
pages as PNG files, flash kept in a file, the telephone line emulated (or a real modem).

options:
  --data DIR            keep the flash image (DIR/flash.bin) and printed pages (DIR/printer/)
                        here; a later run with the same DIR finds everything again
  --config FILE         appliance settings as JSON (sections station, fax, panel, …); every
                        bad field is reported by name. Default: the embedded demo settings.
                        With --data the image keeps the settings of its first run (codes
                        hashed) and later runs use them; a different FILE on such an image
                        is refused unless --replace-settings (then reported)
  --replace-settings    replace the settings kept in the --data image by --config FILE's
  --flash-size SIZE     the board's flash, where the store keeps everything: 4M, 16M, 512K …
                        (64K to 64M; default 1M, about 17 typical pages of typed text). A new
                        --data image is made that size; an existing one keeps its own (a
                        different SIZE is refused: a larger store needs a new --data folder).
                        Arrow keys at the idle screen and Status in the menu show the room left
  --quiet               scripted runs: no LCD line per screen, only call results and faults
  --modem M             the modem UART: virtual (the emulated line, default), a device path
                        such as /dev/ttyUSB0 or a pty, or tcp:HOST:PORT (a real or software
                        Class 1 modem outside)
  --realtime            run the clock in real time (default with live keys in a terminal)
  --keys "…"            scripted key presses, then exit (in real time with a modem outside): key names 0-9 * # MENU OK BACK UP
                        DOWN START STOP BOX REPORT SPEED, digit runs (1234), wait:2s,
                        wait:500ms, paper:out, paper:in, show. Runs in virtual time.
  --key-gap MS          virtual time between scripted key presses (default 300)
  --exit-after-calls N  exit after N fax calls have ended
  --send FILE           the appliance sends FILE (PBM, TIFF or PNG) by fax to --to NUMBER;
                        with the virtual line a remote fax machine answers there
  --to NUMBER           the number --send dials
  --sub S, --sid P      subaddress and password sent with --send (for a confidential box)
  --remote NUMBER[,ecm] a fax machine on the virtual line answers at NUMBER (repeatable; ,ecm:
                        it offers ECM and MMR): the panel's sends, the send queue's jobs
                        (faxvault client send) and --send reach it; the pages it receives are
                        written as PNG to DIR/remote-NUMBER/ (DIR: --data, or a temporary folder)
  --remote-send FILE    a remote fax machine on the virtual line calls the appliance and sends
                        FILE (repeatable: one call each)
  --remote-sub S        the SUB (box number) those calls give; --remote-pwd P their password
  --remote-ecm          remote machines use ECM and MMR (default: MH/MR without ECM), both
                        for --remote-send and for the machine that answers --send
  --scan FILE           put a document (PBM, TIFF or PNG; several pages allowed) in the
                        scanner's feeder at start (repeat for more documents)
  --key FILE            the appliance's FAXNIKS key file (faxvault center issue; its POLY part):
                        provisioned into the flash store at boot, where it stays (a later run
                        with the same --data needs no --key). With a key, confidential
                        receptions are delivered to their box owners (docs/LAN-PROTOCOL.md)
  --lan-bind ADDR       real time: the host address the LAN service listens on (settings
                        lan.listen, default port 7760) and connects from (default 127.0.0.1;
                        0.0.0.0 for every interface). In virtual time the LAN is simulated
  --seed TEXT           seed the entropy source (reproducible runs)
  --trace               print the kernel trace (frames, state transitions) as it happens
  --web [HOST:]PORT     serve the web panel there (a bare port listens on 127.0.0.1; 0 = any
                        free port): the appliance drawn live — LCD, keypad, output tray, call,
                        journal, boxes' counts — and a remote fax machine to send a file from.
                        Runs in real time; keys from the page and the terminal both work
  --demo                the quick-start demo (npm start): embedded settings, a short key
                        script when not in a terminal; in one, live keys and the web panel
                        on 127.0.0.1:8080 (or the next free port)
  --help                this text

live keys (terminal): digits * #, Enter = OK, Backspace = BACK, Esc = STOP, arrows = UP/DOWN,
  m = MENU, s = START, b = BOX, r = REPORT, p = SPEED, q or Ctrl-C = quit. Under the LCD the
  last events (calls with their page counts, printed pages and their files, faults); on exit
  a summary.`;

function runLive(session: Session, exitAfterCalls: number | null, onCall: (() => string[]) | null, footer = '', script: { steps: KeyStep[]; gapMs: number } | null = null): Promise<number> {
  const { sim, app } = session;
  const tty = process.stdout.isTTY;
  const events = new EventLog();
  // The store's size and the room left in pages, under the LCD (the idle line keeps its MEM n%).
  const memory = () => memoryLine(storeCapacity(app.store));
  const draw = () => {
    if (tty) process.stdout.write('\x1b[H\x1b[2J' + liveScreen(sim.lcd.lines, events, footer + memory() + '\n'));
    else process.stdout.write(renderScreen(sim.lcd.lines) + '\n');
  };
  // Both rows of a screen are written in one dispatch: draw once after it.
  let pending = false;
  const redraw = () => {
    if (pending) return;
    pending = true;
    setImmediate(() => {
      pending = false;
      draw();
    });
  };
  sim.lcd.onChange = redraw;
  // Printed pages and faults join the events as they happen.
  const printer = sim.printer;
  const endPage = printer.endPage.bind(printer);
  printer.endPage = () => {
    const ok = endPage();
    if (ok) {
      const p = printer.pages[printer.pages.length - 1];
      events.page(p.file);
      if (!tty) process.stdout.write(`printed ${p.file ?? 'a page'}\n`);
      redraw();
    }
    return ok;
  };
  const seen = new Set(app.kernel.faults);
  const faultWatch = setInterval(() => {
    for (const f of app.kernel.faults) {
      if (seen.has(f)) continue;
      seen.add(f);
      events.fault(`${f.who} in ${f.state} on ${f.sig}: ${f.what}`);
      redraw();
    }
  }, 250);
  draw();
  return new Promise((resolve) => {
    let stopped = false;
    const stop = (code: number) => {
      if (stopped) return;
      stopped = true;
      clearInterval(faultWatch);
      if (process.stdin.isTTY) process.stdin.setRawMode(false);
      process.stdin.pause();
      sim.flash.close();
      process.stdout.write(events.summary().concat([memory()]).join('\n') + '\n');
      resolve(code);
    };
    app.onCallEnd = (summary) => {
      events.call(summary);
      if (!tty) process.stdout.write(summary + '\n');
      redraw();
      // What the call brought besides (pages an answering machine received) joins the events.
      if (onCall) for (const l of onCall()) {
        events.add(l);
        if (!tty) process.stdout.write(l + '\n');
      }
      if (exitAfterCalls !== null && app.callsEnded >= exitAfterCalls) stop(0);
    };
    if (process.stdin.isTTY) process.stdin.setRawMode(true);
    process.stdin.setEncoding('utf8');
    const decoder = new KeyDecoder();
    let escTimer: NodeJS.Timeout | null = null;
    const handle = (inputs: TerminalInput[]) => {
      for (const i of inputs) {
        if (i.kind === 'quit') return stop(0);
        sim.keys.press(i.key);
      }
    };
    process.stdin.on('data', (d: string) => {
      if (escTimer) clearTimeout(escTimer);
      escTimer = null;
      handle(decoder.feed(d));
      // A lone ESC is STOP unless the rest of an arrow's sequence follows at once.
      if (decoder.waiting()) escTimer = setTimeout(() => handle(decoder.flush()), 50);
    });
    // Without a terminal (a service, a test) the run ends with --exit-after-calls or a signal.
    if (process.stdin.isTTY) process.stdin.on('end', () => stop(0));
    else process.stdin.pause();
    // Scripted keys in real time (a modem outside): played with real pauses; the run ends after
    // the last step unless --exit-after-calls waits for calls.
    if (script) {
      let i = 0;
      const next = () => {
        if (stopped) return;
        if (i >= script.steps.length) {
          if (exitAfterCalls === null) stop(0);
          return;
        }
        const st = script.steps[i++];
        if (st.kind === 'wait') return void setTimeout(next, st.ms);
        if (st.kind === 'key') sim.keys.press(st.key);
        else if (st.kind === 'paper') sim.printer.setPaper(st.present);
        else if (st.kind === 'show') process.stdout.write(renderScreen(sim.lcd.lines) + '\n');
        setTimeout(next, st.kind === 'show' ? 0 : script.gapMs);
      };
      setTimeout(next, 0);
    }
    process.once('SIGTERM', () => stop(0));
    process.once('SIGINT', () => stop(0));
  });
}

/** Every value of a repeatable option (`--scan a --scan b`). */
function repeated(argv: string[], name: string): string[] {
  const out: string[] = [];
  argv.forEach((a, i) => {
    if (a === '--' + name && i + 1 < argv.length) out.push(argv[i + 1]);
    else if (a.startsWith('--' + name + '=')) out.push(a.slice(name.length + 3));
  });
  return out;
}

function loadPages(option: string, file: string): Bitmap[] {
  try {
    return toSheets(readDocumentFile(file)).map((s) => {
      const b = newBitmap(s.width, s.rows.length, 204, s.linesPerMm < 5 ? 98 : 196);
      s.rows.forEach((r, y) => b.data.set(r, y * r.length));
      return b;
    });
  } catch (e) {
    throw new UsageError(`${option}: ${(e as Error).message}`);
  }
}

/** A page for the T.30 sender: rows read again from the start on each open() (RTN resend). */
function rowPage(b: Bitmap): SendPage {
  return {
    width: b.width,
    fine: b.yDpi !== 98,
    open() {
      let y = 0;
      return { next: () => (y < b.height ? rowOf(b, y++) : null) };
    },
  };
}

const command: Command = {
  name: 'sim',
  summary: 'run the appliance on the simulated board (LCD, keys, line, printer)',
  help,
  async run(argv) {
    const args = parseArgs(argv, {
      data: 'value', config: 'value', modem: 'value', realtime: 'flag', keys: 'value', 'key-gap': 'value',
      'exit-after-calls': 'value', seed: 'value', trace: 'flag', demo: 'flag', scan: 'value',
      send: 'value', to: 'value', sub: 'value', sid: 'value', 'remote-send': 'value', 'remote-sub': 'value',
      'remote-pwd': 'value', 'remote-ecm': 'flag', web: 'value', key: 'value', 'lan-bind': 'value',
      quiet: 'flag', 'replace-settings': 'flag', remote: 'value', 'flash-size': 'value',
    });
    if (args.positional.length) throw new UsageError(`unexpected argument '${args.positional[0]}'`);
    const settings = loadSettings((args.opts.config as string) ?? null);
    const modem = (args.opts.modem as string) ?? 'virtual';
    if (modem !== 'virtual' && !modem.startsWith('/') && !/^tcp:[^:]+:\d+$/.test(modem)) {
      throw new UsageError(`--modem must be virtual, a device path (/dev/…) or tcp:HOST:PORT (got '${modem}')`);
    }
    let external: OpenedUart | null = null;
    if (modem !== 'virtual') {
      try {
        external = await openModemUart(modem);
      } catch (e) {
        throw new UsageError(`--modem ${modem}: cannot open: ${(e as Error).message}`);
      }
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
    // The web panel: asked for, or the demo's in a terminal.
    const webOpt = args.opts.web;
    if (webOpt === true) throw new UsageError('--web needs [HOST:]PORT, e.g. --web 8080');
    let web: { host: string; port: number } | null = null;
    if (typeof webOpt === 'string') {
      try {
        web = parseListen(webOpt);
      } catch (e) {
        throw new UsageError((e as Error).message);
      }
    }
    const demoWeb = web === null && args.opts.demo === true && interactive;
    if (demoWeb) web = { host: '127.0.0.1', port: 8080 };
    if (web && steps) throw new UsageError('--web runs in real time: leave out --keys (press the keys on the page)');
    // A modem outside runs in real time; so do live keys and the web panel.
    const realtime = args.opts.realtime === true || external !== null || web !== null || (steps === null && exitAfterCalls === null);
    // Scripted keys run in virtual time, or in real time with a modem outside (its calls are real).
    if (realtime && steps && external === null) throw new UsageError('--keys runs in virtual time: leave out --realtime (with a modem outside, tcp: or a device, the keys play in real time)');
    const sheets = [];
    for (const f of repeated(argv, 'scan')) {
      try {
        sheets.push(...toSheets(readDocumentFile(f)));
      } catch (e) {
        throw new UsageError(`--scan: ${(e as Error).message}`);
      }
    }
    const remoteDocs = repeated(argv, 'remote-send').map((f) => loadPages('--remote-send', f));
    let answering: RemoteSpec[] = [];
    try {
      answering = repeated(argv, 'remote').map(parseRemote);
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
    if (external && answering.length) throw new UsageError('--remote needs the virtual line (--modem virtual)');
    const sendFile = (args.opts.send as string) ?? null;
    const sendTo = (args.opts.to as string) ?? null;
    if (sendFile && !sendTo) throw new UsageError('--send needs --to NUMBER');
    if (sendTo && !/^[0-9*#+]+$/.test(sendTo)) throw new UsageError(`--to must be a phone number (digits) (got '${sendTo}')`);
    const sendPages = sendFile ? loadPages('--send', sendFile) : null;
    if (external && remoteDocs.length) throw new UsageError('--remote-send needs the virtual line (--modem virtual)');
    if (!remoteDocs.length && (args.opts['remote-sub'] !== undefined || args.opts['remote-pwd'] !== undefined)) {
      throw new UsageError('--remote-sub and --remote-pwd go with --remote-send FILE (what the remote machine sends)');
    }
    const out = (l: string) => process.stdout.write(l + '\n');
    const quiet = args.opts.quiet === true;
    const applianceKey = args.opts.key ? loadApplianceKey(args.opts.key as string) : undefined;
    // The demo keeps its flash and printed pages in a fresh folder, and says where.
    const dataDir = (args.opts.data as string) ?? (args.opts.demo ? mkdtempSync(join(tmpdir(), 'faxvault-demo-')) : null);
    const configFile = (args.opts.config as string) ?? null;
    let flashSectors: number | undefined;
    if (args.opts['flash-size'] !== undefined) {
      if (args.opts['flash-size'] === true) throw new UsageError('--flash-size needs a size, e.g. --flash-size 4M');
      try {
        flashSectors = parseFlashSize(args.opts['flash-size'] as string);
      } catch (e) {
        throw new UsageError((e as Error).message);
      }
    }
    if (dataDir) {
      try {
        checkDataDir(dataDir, true);
        // The flash of a board does not change size: an image keeps the size of its first run.
        const had = imageSectors(dataDir);
        if (had !== null && flashSectors !== undefined && had !== flashSectors) {
          throw new UsageError(`--flash-size ${args.opts['flash-size']}: the image in ${dataDir} is ${sizeText(had * 4096)} and keeps that size; for a store of another size start a new --data folder (export what it holds first: faxvault docs)`);
        }
        if (isForeignImage(dataDir)) {
          throw new ImageError(`${flashFile(dataDir)} holds data but no faxvault store: not an image of this simulator, and a run would erase it; move it away`);
        }
        const note = settingsBeforeBoot(dataDir, configFile, args.opts['replace-settings'] === true);
        if (note) console.error(`faxvault sim: ${note}`);
      } catch (e) {
        if (e instanceof SettingsChangeError) throw new UsageError(e.message);
        if (e instanceof ImageError) throw new CommandFailure(e.message);
        throw e;
      }
    }
    const session = startSession({
      settings,
      dataDir,
      realtime,
      seed: args.opts.seed as string | undefined,
      line: external ? external.uart : 'virtual',
      out: realtime || quiet ? undefined : out,
      trace: args.opts.trace === true,
      applianceKey,
      flashSectors,
      ...(realtime ? { net: new NodeNet((args.opts['lan-bind'] as string) ?? '127.0.0.1', (t) => console.error(`faxvault sim: LAN: ${t}`)) } : {}),
    });
    recordConfig(session.app.store, dataDir ? configFile : null);
    if (sheets.length) session.sim.scanner.load(sheets);
    // Remote callers one after the other: the next dials 2 s after the previous call ended.
    const queue = remoteDocs.slice();
    // The demo: a remote machine sends a confidential letter to box 12.
    const demo = args.opts.demo === true;
    if (demo && remoteDocs.length === 0 && !external) queue.push(demoLetter());
    const nextRemote = () => {
      const pages = queue.shift();
      if (!pages) return;
      session.remoteSends(pages, {
        sub: (args.opts['remote-sub'] as string | undefined) ?? (demo ? DEMO_BOX : undefined),
        pwd: args.opts['remote-pwd'] as string | undefined,
        ecm: args.opts['remote-ecm'] === true,
        coding: args.opts['remote-ecm'] === true ? 'MMR' : 'MH',
        startAfterMs: 2000,
      });
    };
    // Answering machines at numbers: the pages they receive are written and announced after each call.
    const machines = answering.length ? attachRemoteMachines(session, answering, dataDir ?? mkdtempSync(join(tmpdir(), 'faxvault-remote-'))) : null;
    const afterCall = (): string[] => {
      nextRemote();
      return machines ? machines.collect() : [];
    };
    nextRemote();
    if (sendPages && sendTo) {
      if (session.sim.line && !answering.some((r) => r.number === sendTo)) {
        const ecm = args.opts['remote-ecm'] === true;
        session.sim.line.attachRemote(sendTo, { role: 'receive', ecm, coding: ecm ? 'MMR' : 'MR', fine: true });
      }
      session.app.fax.send({
        number: sendTo,
        pages: sendPages.map((p) => rowPage(p)),
        sub: args.opts.sub as string | undefined,
        sid: args.opts.sid as string | undefined,
      });
    }
    if (args.opts.trace && realtime) session.app.kernel.tracer.sink = (l) => process.stderr.write('  ' + l + '\n');
    if (realtime) {
      let panel: WebPanel | null = null;
      if (web) {
        // The demo tries the next ports when 8080 is taken; an explicit --web port must be free.
        for (let i = 0; !panel; i++) {
          try {
            panel = await startWebPanel(session, { host: web.host, port: web.port + (demoWeb ? i : 0) });
          } catch (e) {
            if (!demoWeb || i >= 9) {
              session.sim.flash.close();
              throw new UsageError(`--web: ${(e as Error).message}`);
            }
          }
        }
        out(`web panel: ${panel.url}  (open it in a browser)`);
      }
      const code = await runLive(session, exitAfterCalls, afterCall, panel ? `web panel: ${panel.url}\n` : '', steps ? { steps, gapMs: gap } : null);
      if (panel) await panel.close();
      if (external) await external.close();
      return code;
    }
    session.app.onCallEnd = (summary) => {
      out(summary);
      for (const l of afterCall()) out(l);
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
    if (args.opts.demo && dataDir) {
      const printed = session.sim.printer.pages.map((p) => p.file).filter(Boolean);
      out(`\nprinted ${printed.length} page(s): ${printed.join(' ')}`);
    }
    const faults = session.app.kernel.faults;
    if (faults.length) {
      for (const f of faults) console.error(`fault: ${f.who} in ${f.state} on ${f.sig}: ${f.what}`);
      return 1;
    }
    return 0;
  },
};

export default command;
