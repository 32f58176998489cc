// What the modem sends the Class 1 driver (result codes, CONNECT, HDLC frames with DLE shielding
// and DLE ETX, page data, and noise), and the HDLC decoder under it. The modem's side is
// generated: for every command the driver writes, the fake modem answers a generated sequence of
// pieces — valid result codes, framed data, DLE sequences, random bytes — spread over virtual
// time. Whatever comes, the driver must not fault (no exception in any dispatch), must answer
// its client within bounded virtual time (every wait has a timer), and must hand out only frames
// it checked (FCS stripped, never longer than a frame can be).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Active, Kernel } from '../../firmware/kernel/index.ts';
import type { Evt, State } from '../../firmware/kernel/index.ts';
import { VirtualClock } from '../../firmware/kernel/virtual-clock.ts';
import { Class1 } from '../../firmware/fax/class1/driver.ts';
import { HdlcDecoder, HdlcEncoder, fcs16, fcsOk } from '../../firmware/fax/class1/hdlc.ts';
import type { Uart } from '../../hal/uart.ts';
import { bytes, check, fc, pieces } from './budget.ts';

const DLE = 0x10;
const ETX = 0x03;

function ascii(s: string): number[] {
  return Array.from(s, (c) => c.charCodeAt(0));
}

/** A frame as +FRH delivers it: shielded octets, FCS, DLE ETX. */
function wireFrame(body: number[], goodFcs: boolean): number[] {
  const f = fcs16(Uint8Array.from(body), 0, body.length) ^ (goodFcs ? 0 : 0xffff);
  const out: number[] = [];
  for (const b of [...body, f & 0xff, f >> 8]) {
    out.push(b);
    if (b === DLE) out.push(DLE);
  }
  return out.concat([DLE, ETX]);
}

const RESULTS = ['OK', 'CONNECT', 'NO CARRIER', 'ERROR', '+FCERROR', 'BUSY', 'NO ANSWER', 'NO DIALTONE', 'RING', '+FRH:3', 'FOO'];

/** One piece of what the modem sends in answer to a command. */
const piece = fc.oneof(
  fc.constantFrom(...RESULTS).map((r) => ascii('\r\n' + r + '\r\n')),
  fc.tuple(fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 0, maxLength: 40 }), fc.boolean()).map(([b, ok]) => wireFrame(b, ok)),
  fc.array(fc.constantFrom(DLE, ETX, 0x1a, 0x11, 0x13, 0x0d, 0x0a), { maxLength: 8 }),
  bytes(64).map((b) => Array.from(b)),
);

/** The modem: for the n-th command line (or data block) it sends answers[n % answers.length]. */
class FuzzModem implements Uart {
  onReadable: (() => void) | null = null;
  onWritable: (() => void) | null = null;
  private rx: number[] = [];
  private commands = 0;
  constructor(readonly clock: VirtualClock, readonly answers: { parts: number[][]; gap: number }[]) {}
  write(b: Uint8Array): number {
    for (let i = 0; i < b.length; i++) {
      if (b[i] !== 0x0d) continue;
      const a = this.answers.length ? this.answers[this.commands++ % this.answers.length] : null;
      if (!a || this.commands > 40) continue; // then silence: every wait must end by its timer
      let t = 1;
      for (const p of a.parts) {
        t += a.gap;
        this.clock.after(t, () => this.send(p));
      }
    }
    return b.length;
  }
  private send(p: number[]): void {
    const was = this.rx.length;
    for (const x of p) this.rx.push(x);
    if (was === 0 && this.rx.length && this.onReadable) this.onReadable();
  }
  read(max: number): Uint8Array {
    return Uint8Array.from(this.rx.splice(0, Math.min(max, this.rx.length)));
  }
  readable(): number {
    return this.rx.length;
  }
  setDtr(): void {}
  setXonXoff(): void {}
}

class Client extends Active {
  events: Evt[] = [];
  constructor() {
    super('client', 1, 64, CLIENT);
  }
}
const CLIENT: State<Client> = {
  name: 'CLIENT',
  on(me, e: Evt) {
    if (e.sig !== 'ENTRY' && e.sig !== 'EXIT') me.events.push(e);
  },
};

type Op = 'init' | 'dial' | 'answer' | 'frames' | 'data-in' | 'data-out' | 'send-frames' | 'silence' | 'hangup';
const OPS: Op[] = ['init', 'dial', 'answer', 'frames', 'data-in', 'data-out', 'send-frames', 'silence', 'hangup'];

function request(c1: Class1, op: Op, got: Uint8Array[]): void {
  if (op === 'init') c1.init();
  else if (op === 'dial') c1.dial('5551234', 60000);
  else if (op === 'answer') c1.answer();
  else if (op === 'frames') c1.receiveFrames(3000);
  else if (op === 'data-in') c1.receiveData(146, 10000, (b) => got.push(b.slice()));
  else if (op === 'data-out') {
    let n = 0;
    c1.sendData(146, () => (n++ < 3 ? new Uint8Array(200).fill(n) : null));
  } else if (op === 'send-frames') c1.sendFrames([Uint8Array.from([0xff, 0x13, 0x80, 0, 0x4e])]);
  else if (op === 'silence') c1.silence(75);
  else c1.hangup();
}

test('the Class 1 driver, whatever the modem answers: no fault, an answer for every request, only checked frames', () => {
  check(
    'class1 driver input',
    fc.property(
      fc.array(fc.constantFrom(...OPS), { minLength: 1, maxLength: 4 }),
      fc.array(fc.record({ parts: fc.array(piece, { maxLength: 5 }), gap: fc.integer({ min: 0, max: 400 }) }), { maxLength: 6 }),
      (ops, answers) => {
        const clock = new VirtualClock(0);
        const k = new Kernel(clock);
        const modem = new FuzzModem(clock, answers);
        const c1 = new Class1(modem, 2);
        const client = new Client();
        c1.client = client;
        k.add(c1);
        k.add(client);
        k.start();
        clock.runUntilIdle();
        const got: Uint8Array[] = [];
        for (const op of ops) {
          const before = client.events.length;
          request(c1, op, got);
          // Every wait of the driver has a timer: within a few minutes of line time it answers.
          clock.runFor(300000);
          assert.ok(client.events.length > before, op + ': no answer from the driver');
        }
        assert.equal(k.faults, [], 'faults: ' + JSON.stringify(k.faults));
        for (const e of client.events) {
          if (e.sig === 'C1_FRAMES') for (const f of (e as unknown as { frames: Uint8Array[] }).frames) assert.ok(f.length <= 300, 'frame of ' + f.length);
        }
      },
    ),
    0.2,
  );
});

test('the HDLC decoder: any bit stream; frames it passes as good have a good FCS; a frame after noise still comes through', () => {
  check(
    'hdlc decoder',
    fc.property(bytes(300), fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 60 }), fc.array(fc.nat(), { maxLength: 5 }), (noise, body, cuts) => {
      const frames: { f: number[]; ok: boolean }[] = [];
      const d = new HdlcDecoder((buf, len, ok) => {
        assert.ok(len >= 3 && len <= 270, 'length ' + len);
        assert.is(ok, fcsOk(buf, len));
        frames.push({ f: Array.from(buf.subarray(0, len - 2)), ok });
      });
      const enc: number[] = [];
      const e = new HdlcEncoder((b) => { for (const x of b) enc.push(x); });
      e.flags(2);
      e.frame(Uint8Array.from(body), 0, body.length);
      e.flags(2);
      e.flush();
      for (const p of pieces(noise, cuts)) d.push(p);
      d.push(Uint8Array.from([0x7e, 0x7e]));
      d.push(Uint8Array.from(enc));
      const good = frames.filter((x) => x.ok);
      assert.ok(good.length >= 1);
      assert.equal(good[good.length - 1].f, body, 'the frame after the noise');
    }),
  );
});

test.run();
