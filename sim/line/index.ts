// The simulated fax line: a PSTN with numbered ports, Class 1 modems that behave like SpanDSP's
// t31 soft modem, and scripted remote fax machines — all on one clock (hal/clock.ts), so a call
// of minutes runs in milliseconds on the VirtualClock, deterministically (or in real time on
// RealClock).
//
//   import { createLine } from '../sim/line/index.ts';
//   const clock = new VirtualClock(0);
//   const line = createLine(clock, { faults: { seed: 's', bitErrorRate: 1e-4 } });
//   const a = line.attachModem('100', { baud: 115200 });   // → { uart, ncu, modem, serial, port }
//   //   a.uart: hal/uart.ts Uart for the firmware's Class 1 driver (8N1 timing, XON/XOFF)
//   //   a.ncu:  hal/ncu.ts Ncu (ring bursts, hook relay, loop current) on the same line port
//   const far = line.attachRemote('200', { role: 'receive' });  // remote-fax.ts: a scripted fax machine
//   a.uart.write(bytes('ATD200\r')); clock.runUntilIdle();
//   far.pages → what it got (coded T.4 bytes per page, line bit order), far.frames → every frame,
//   far.result → { status, reason, pages, rate, ecm, coding, remoteIdent, sub, pwd }
//   line.trace()  → the call as text: tones, carriers, named frames, AT commands, results, faults
//
// Real time: createLine(new RealClock()) and serveModem(line.attachModem(…)) put an emulated
// modem on a loopback TCP port for a DTE outside the process (hal/node TcpUart, or efax through a
// socat pty: test/interop/line/efax-emulator.test.ts).
//
// Faithfulness: test/interop/line/t31-compare.test.ts runs the same AT script against SpanDSP's
// t31 (the interop peer's modempair) and against this emulator and requires identical results;
// timings were calibrated there (answer → CONNECT 3.66 s, V.21 framed ~180 ms after the far
// +FTH=3, final-frame OK ~60 ms after the far OK, V.29 +FRM CONNECT ~315 ms after +FTM).
//
// Numbers: any digit string; dialling an unknown number gives NO CARRIER, a port attached with
// { busy: true } gives BUSY, { noDialTone: true } on the caller gives NO DIALTONE, a remote
// that never answers gives NO ANSWER after `noAnswerMs` of ringing (2 s on, 4 s off).
// Faults (faults.ts, all seeded): bit errors in page data at a rate or at chosen bytes (and in
// the TCF on request), corrupted or noisy V.21 frames (bad FCS → ERROR), carrier loss within a
// page, the line dropping at a time or within a page; a slow DTE through the serial link options
// (dteToModemBaud, modemToDteBaud, stalls) — see SerialLinkOptions.
// The remote machine answers or calls, receives or sends (polling both ways), with or without ECM.

import type { Uart } from '../../hal/uart.ts';
import type { Ncu } from '../../hal/ncu.ts';
import type { Clock } from '../../hal/clock.ts';
import { Line } from './line.ts';
import type { LineOptions, LinePort, PortOptions } from './line.ts';
import { SerialLink } from './serial-link.ts';
import type { SerialLinkOptions } from './serial-link.ts';
import { Class1Modem } from './class1-modem.ts';
import type { Class1ModemOptions } from './class1-modem.ts';
import { RemoteFax } from './remote-fax.ts';
import type { RemoteScript } from './remote-fax.ts';

export { serveModem } from './serve.ts';
export type { LineOptions, PortOptions } from './line.ts';
export type { LineFaults, FrameInfo } from './faults.ts';
export type { SerialLinkOptions } from './serial-link.ts';
export type { RemoteScript } from './remote-fax.ts';
export { Line } from './line.ts';
export { Class1Modem } from './class1-modem.ts';
export { RemoteFax } from './remote-fax.ts';
export { SerialLink } from './serial-link.ts';

export interface ModemAttachOptions extends SerialLinkOptions, PortOptions, Class1ModemOptions {}

export interface AttachedModem {
  uart: Uart;
  ncu: Ncu;
  modem: Class1Modem;
  serial: SerialLink;
  port: LinePort;
}

export interface SimLine {
  line: Line;
  attachModem(number: string, opts?: ModemAttachOptions): AttachedModem;
  attachRemote(number: string, script?: RemoteScript, opts?: PortOptions): RemoteFax;
  /** The call so far, one line per event. */
  trace(): string[];
}

/** A line on `clock`: a VirtualClock (virtual time) or RealClock (real time, for real DTEs). */
export function createLine(clock: Clock, opts: LineOptions = {}): SimLine {
  const line = new Line(clock, opts);
  return {
    line,
    attachModem(number, o = {}) {
      const serial = new SerialLink(clock, o);
      const modem = new Class1Modem(clock, serial.modem, o);
      const port = line.addPort(number, modem, o);
      modem.attach(port);
      const ncu = portNcu(port, modem);
      return { uart: serial.dte, ncu, modem, serial, port };
    },
    attachRemote(number, script = {}, o = {}) {
      const remote = new RemoteFax(clock, script);
      const port = line.addPort(number, remote, o);
      remote.attach(port);
      return remote;
    },
    trace() {
      return line.trace.slice();
    },
  };
}

/**
 * The board's NCU on the modem's line port: a ring burst is reported while on hook; taking the
 * line while it rings answers the call at line level (the modem still needs ATA to start its
 * answer tone); releasing it during a call hangs up. Loop current drops briefly when the far
 * end hangs up or the line drops.
 */
function portNcu(port: LinePort, modem: Class1Modem): Ncu {
  let off = false;
  const ncu: Ncu = {
    onRing: null,
    setOffHook(v: boolean): void {
      if (v === off) return;
      off = v;
      if (v && port.state === 'ringing-in') port.answer();
      if (!v && port.state !== 'idle') modem.lineReleased();
    },
    isOffHook(): boolean {
      return off || port.offHook;
    },
    lineCurrent(): boolean {
      return port.current;
    },
  };
  modem.hooks.onRing = () => {
    if (!off && ncu.onRing) ncu.onRing();
  };
  return ncu;
}
