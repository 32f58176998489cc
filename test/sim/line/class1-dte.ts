// A minimal scripted Class 1 DTE for tests: V.21 frames in and out, page data in and out, over
// TestDte in virtual time. Just enough T.30 glue to drive a remote fax machine through a call
// (test helper, not a test file; the firmware's real driver lives in firmware/fax/class1).
import { TestDte, stuff } from './dte.ts';

export interface RxFrame {
  bytes: number[]; // address … FIF, FCS removed
  ok: boolean;
}

/** Receive frames until a final one (or an error code); `implied`: CONNECT already pending (after ATD). */
export function rxFrames(d: TestDte, implied = false): RxFrame[] {
  const out: RxFrame[] = [];
  let first = true;
  for (;;) {
    if (!(first && implied)) d.send('AT+FRH=3\r');
    first = false;
    const c = d.expect(/\r\n(CONNECT|NO CARRIER|ERROR|\+FCERROR)\r\n/);
    if (!c.text.includes('CONNECT')) throw new Error(`rxFrames: ${c.text.trim()}`);
    const data = d.readData();
    const r = d.expect(/\r\n(OK|ERROR|NO CARRIER)\r\n/);
    const ok = r.text.includes('OK');
    const frame = { bytes: data.slice(0, data.length - 2), ok };
    out.push(frame);
    if (ok && frame.bytes[1] === 0x13) return out;
    if (r.text.includes('NO CARRIER')) return out;
  }
}

/** Send frames with +FTH=3 (the last should have control 0x13); `already`: CONNECT already received (after ATA). */
export function txFrames(d: TestDte, frames: number[][], already = false): void {
  if (!already) d.cmd('AT+FTH=3', /\r\nCONNECT\r\n/);
  for (const f of frames) {
    d.send(stuff(f));
    d.expect(f[1] === 0x13 ? /\r\nOK\r\n/ : /\r\nCONNECT\r\n/);
  }
}

/** +FRM: data until the carrier drops. */
export function rxData(d: TestDte, mod: number): number[] {
  d.send(`AT+FRM=${mod}\r`);
  d.expect(/\r\nCONNECT\r\n/);
  const data = d.readData();
  d.expect(/\r\nNO CARRIER\r\n/);
  return data;
}

/** +FTM: send data; OK once it went out. */
export function txData(d: TestDte, mod: number, data: Uint8Array): void {
  d.cmd(`AT+FTM=${mod}`, /\r\nCONNECT\r\n/);
  d.uart.setXonXoff(true); // the modem holds us off with XOFF past 3 KB
  d.send(stuff(data));
  d.expect(/\r\nOK\r\n/, 600000);
  d.uart.setXonXoff(false);
}

export function ident(text: string): number[] {
  const s = text.padEnd(20, ' ');
  const out: number[] = [];
  for (let i = 19; i >= 0; i--) out.push(s.charCodeAt(i));
  return out;
}

export function identOf(f: number[]): string {
  let s = '';
  for (let i = f.length - 1; i >= 3; i--) s += String.fromCharCode(f[i]);
  return s.trim();
}

export function bit(f: number[], n: number): boolean {
  const i = 3 + ((n - 1) >> 3);
  return i < f.length && (f[i] & (1 << ((n - 1) & 7))) !== 0;
}
