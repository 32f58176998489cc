// A fake of the Espruino interpreter's API, installed on globalThis, for running hal/espruino's
// drivers under Node: virtual time (getTime/setTime and timers), GPIOs with watches, serial ports
// that record writes and can deliver 'data', require() with fake modules (HD44780, KeyPad, Flash,
// crypto with its AES class, net) and E.hwRand. The fakes model the interpreter's and the modules' documented
// behaviour (espruino.com/Reference, the modules' docs), including what they refuse: an unknown
// option to Serial.setup throws, as the interpreter does ('Unknown option "xon"').
import { createHash, createCipheriv } from 'node:crypto';

type Cb = () => void;

interface Timer {
  id: number;
  at: number;
  cb: Cb;
}

interface Watch {
  id: number;
  cb: (e: { state: boolean; time: number; lastTime: number }) => void;
  pin: string;
  opts: { repeat?: boolean; edge?: string; debounce?: number };
}

// The options Serial.setup knows (src/jsserial.c); anything else is an error.
const SERIAL_OPTIONS = ['rx', 'tx', 'ck', 'cts', 'bytesize', 'stopbits', 'parity', 'flow', 'errors', 'path'];

export class FakeSerial {
  setups: { baud: number; opts: Record<string, unknown> }[] = [];
  written: number[] = [];
  private listeners: ((d: string) => void)[] = [];
  constructor(readonly name: string) {}
  setup(baud: number, opts: Record<string, unknown>): void {
    for (const k of Object.keys(opts || {})) {
      if (!SERIAL_OPTIONS.includes(k)) throw new Error('Unknown option "' + k + '"');
    }
    if (opts && opts.flow !== undefined && opts.flow !== null && opts.flow !== 'none' && opts.flow !== 'xon') {
      throw new Error('Invalid flow control: ' + String(opts.flow));
    }
    this.setups.push({ baud, opts });
  }
  write(data: Uint8Array | string | number[] | number): void {
    if (typeof data === 'number') this.written.push(data & 0xff);
    else if (typeof data === 'string') for (let i = 0; i < data.length; i++) this.written.push(data.charCodeAt(i) & 0xff);
    else for (let i = 0; i < data.length; i++) this.written.push(data[i] & 0xff);
  }
  on(event: string, cb: (d: string) => void): void {
    if (event === 'data') this.listeners.push(cb);
  }
  /** The far end sends bytes: one 'data' event, as the interpreter delivers them (a string). */
  inject(bytes: number[] | string): void {
    const s = typeof bytes === 'string' ? bytes : String.fromCharCode(...bytes);
    for (const l of this.listeners) l(s);
  }
  take(): number[] {
    const w = this.written;
    this.written = [];
    return w;
  }
}

/** The HD44780 controller behind the module: DDRAM of a 20×2 display, cursor, display control. */
export class FakeLcd {
  pins: unknown[] = [];
  ddram = new Array<number>(0x80).fill(0x20);
  addr = 0;
  /** Display-control bits as last written (0x08 | D 0x04 | C 0x02 | B 0x01). */
  control = 0x0c;
  commands: number[] = [];
  write(x: number, c?: number): void {
    if (c) {
      this.commands.push(x);
      if (x === 0x01) {
        this.ddram.fill(0x20);
        this.addr = 0;
      } else if (x & 0x80) this.addr = x & 0x7f;
      else if ((x & 0xf8) === 0x08) this.control = x;
      return;
    }
    this.ddram[this.addr] = x & 0xff;
    this.addr = (this.addr + 1) & 0x7f;
  }
  // The module's API (devices/HD44780.js), built on write() as the module builds it.
  clear(): void {
    this.write(0x01, 1);
  }
  print(str: string): void {
    for (let i = 0; i < str.length; i++) this.write(str.charCodeAt(i));
  }
  cursor(block: boolean): void {
    this.write(block ? 0x0f : 0x0e, 1);
  }
  setCursor(x: number, y: number): void {
    const l = [0x00, 0x40, 0x14, 0x54];
    this.write(0x80 | (l[y] + x), 1);
  }
  /** What row 0/1 of a 20-column display shows. */
  line(row: number): string {
    const base = row === 0 ? 0 : 0x40;
    return String.fromCharCode(...this.ddram.slice(base, base + 20));
  }
  cursorVisible(): boolean {
    return (this.control & 0x03) !== 0;
  }
}

export class FakeKeypad {
  columns: unknown[] = [];
  rows: unknown[] = [];
  cb: ((index: number) => void) | null = null;
  /** The module's index of the key at (row, column): column + row × columns.length. */
  press(row: number, col: number): void {
    if (this.cb) this.cb(col + row * this.columns.length);
  }
}

/** The SPI flash through Espruino's Flash module: 4 KB pages, 32-bit aligned whole-word writes that only clear bits. */
export class FakeFlash {
  mem = new Uint8Array(4 * 1024 * 1024).fill(0xff);
  erased: number[] = [];
  writes: { addr: number; length: number }[] = [];
  read(length: number, addr: number): Uint8Array | undefined {
    if (length <= 0) return undefined; // as jswrap_flash_read does
    return this.mem.slice(addr, addr + length);
  }
  write(data: Uint8Array | number[], addr: number): void {
    if (addr % 4 !== 0 || data.length % 4 !== 0) throw new Error('Flash.write: unaligned (' + addr + ', ' + data.length + ' bytes)');
    if (addr + data.length > this.mem.length) throw new Error('Flash.write: past the end');
    this.writes.push({ addr, length: data.length });
    for (let i = 0; i < data.length; i++) this.mem[addr + i] &= data[i];
  }
  erasePage(addr: number): void {
    const page = addr & ~4095;
    this.erased.push(page);
    this.mem.fill(0xff, page, page + 4096);
  }
}

export class FakeSocket {
  written = '';
  ended = false;
  private handlers: Record<string, ((x?: unknown) => void)[]> = {};
  write(s: string): void {
    this.written += s;
  }
  end(): void {
    this.ended = true;
  }
  on(ev: string, cb: (x?: unknown) => void): void {
    (this.handlers[ev] ||= []).push(cb);
  }
  emit(ev: string, x?: unknown): void {
    for (const h of this.handlers[ev] || []) h(x);
  }
}

export class FakeEspruino {
  /** Monotonic milliseconds of the fake (what timers run on). */
  mono = 0;
  /** getTime() = (mono + offset) / 1000; setTime moves offset, not the timers (src/jswrap_interactive.c). */
  offset = 1_700_000_000_000;
  private timers: Timer[] = [];
  private nextId = 1;
  pins: Record<string, number> = {};
  pinWrites: { pin: string; value: number }[] = [];
  modes: Record<string, string> = {};
  watches: Watch[] = [];
  lastEdge: Record<string, number> = {};
  printed: string[] = [];
  rand: number[] = [];
  seed = 0x2545f491;
  reboots = 0;
  serial: Record<string, FakeSerial> = { Serial1: new FakeSerial('Serial1'), Serial2: new FakeSerial('Serial2'), Serial3: new FakeSerial('Serial3') };
  lcd = new FakeLcd();
  keypad = new FakeKeypad();
  flash = new FakeFlash();
  sockets: FakeSocket[] = [];
  /** Ports where connect() throws at once. */
  refusedPorts: number[] = [];
  modules: Record<string, unknown>;
  private saved: Record<string, unknown> = {};

  constructor(opts: { nativeCrypto?: boolean; net?: boolean } = {}) {
    const self = this;
    this.modules = {
      HD44780: {
        connect(...pins: unknown[]) {
          self.lcd.pins = pins;
          return self.lcd;
        },
      },
      KeyPad: {
        connect(columns: unknown[], rows: unknown[], cb: (i: number) => void) {
          self.keypad.columns = columns;
          self.keypad.rows = rows;
          self.keypad.cb = cb;
          return { read: () => -1 };
        },
      },
      Flash: this.flash,
    };
    if (opts.nativeCrypto) {
      // As the interpreter has them: require('crypto') with SHA256 and the AES class. Its mode
      // 'CTR' ignores `iv` and counts from a zero block (libs/crypto/jswrap_crypto.c), so here too.
      const toBuf = (d: Uint8Array | string) => (typeof d === 'string' ? Buffer.from(d, 'latin1') : Buffer.from(d));
      this.modules.crypto = {
        SHA256(data: Uint8Array | string) {
          return new Uint8Array(createHash('sha256').update(toBuf(data)).digest()).buffer; // an ArrayBuffer
        },
        AES: {
          encrypt(data: Uint8Array, key: Uint8Array, o: { iv?: Uint8Array; mode?: string }) {
            const bits = key.length * 8;
            if (o.mode === 'ECB') {
              const c = createCipheriv('aes-' + bits + '-ecb', Buffer.from(key), null).setAutoPadding(false);
              const whole = data.length - (data.length % 16);
              return new Uint8Array(Buffer.concat([c.update(toBuf(data.subarray(0, whole))), Buffer.alloc(data.length - whole)])).buffer;
            }
            if (o.mode === 'CTR') {
              const c = createCipheriv('aes-' + bits + '-ctr', Buffer.from(key), Buffer.alloc(16));
              return new Uint8Array(c.update(toBuf(data))).buffer;
            }
            throw new Error('fake AES: mode ' + o.mode);
          },
        },
      };
    }
    if (opts.net) {
      this.modules.net = {
        connect(o: { host: string; port: number }, cb: () => void) {
          // As the interpreter's Linux port where nothing listens.
          if (self.refusedPorts.includes(o.port)) throw new Error('Unable to create socket');
          const s = new FakeSocket();
          self.sockets.push(s);
          self.setTimeout(cb, 0);
          return s;
        },
        createServer(cb: (s: FakeSocket) => void) {
          return { listen() {}, close() {}, accept: cb };
        },
      };
    }
  }

  // ---- time ----
  getTime(): number {
    return (this.mono + this.offset) / 1000;
  }
  setTime(s: number): void {
    this.offset = s * 1000 - this.mono;
  }
  setTimeout(cb: Cb, ms: number): number {
    const id = this.nextId++;
    this.timers.push({ id, at: this.mono + Math.max(0, ms || 0), cb });
    return id;
  }
  clearTimeout(id: number): void {
    // The interpreter: clearTimeout(undefined) is an error (with no argument it clears every timer).
    if (id === undefined) throw new Error('clearTimeout(undefined) not allowed');
    this.timers = this.timers.filter((t) => t.id !== id);
  }
  pendingTimers(): number {
    return this.timers.length;
  }
  /** Run the timers due up to mono + ms, in order, moving time to each. */
  advance(ms: number): void {
    const end = this.mono + ms;
    for (;;) {
      let best: Timer | null = null;
      for (const t of this.timers) if (t.at <= end && (!best || t.at < best.at)) best = t;
      if (!best) break;
      this.timers.splice(this.timers.indexOf(best), 1);
      if (best.at > this.mono) this.mono = best.at;
      best.cb();
    }
    this.mono = end;
  }

  // ---- pins ----
  digitalWrite(pin: string, v: boolean | number): void {
    const value = v === true ? 1 : v === false ? 0 : Number(v) & 1;
    this.pins[pin] = value;
    this.pinWrites.push({ pin, value });
  }
  digitalRead(pin: string): number {
    return this.pins[pin] || 0;
  }
  pinMode(pin: string, mode: string): void {
    this.modes[pin] = mode;
  }
  setWatch(cb: Watch['cb'], pin: string, opts: Watch['opts']): number {
    const id = this.nextId++;
    this.watches.push({ id, cb, pin, opts });
    return id;
  }
  /** An input pin changes level: the watches whose edge matches are called with the interpreter's event. */
  level(pin: string, state: number): void {
    const was = this.pins[pin] || 0;
    this.pins[pin] = state;
    if (was === state) return;
    const time = this.getTime();
    const lastTime = this.lastEdge[pin] ?? time;
    this.lastEdge[pin] = time;
    for (const w of this.watches) {
      if (w.pin !== pin) continue;
      const e = w.opts.edge || 'both';
      if (e === 'both' || (e === 'rising' && state === 1) || (e === 'falling' && state === 0)) w.cb({ state: state === 1, time, lastTime });
    }
  }

  install(): void {
    const g = globalThis as Record<string, unknown>;
    const names = ['getTime', 'setTime', 'setTimeout', 'clearTimeout', 'digitalWrite', 'digitalRead', 'pinMode', 'setWatch', 'require', 'print', 'E', 'Serial1', 'Serial2', 'Serial3'];
    for (const n of names) this.saved[n] = g[n];
    const self = this;
    g.getTime = () => self.getTime();
    g.setTime = (s: number) => self.setTime(s);
    g.setTimeout = (cb: Cb, ms: number) => self.setTimeout(cb, ms);
    g.clearTimeout = (id: number) => self.clearTimeout(id);
    g.digitalWrite = (p: string, v: number) => self.digitalWrite(p, v);
    g.digitalRead = (p: string) => self.digitalRead(p);
    g.pinMode = (p: string, m: string) => self.pinMode(p, m);
    g.setWatch = (cb: Watch['cb'], p: string, o: Watch['opts']) => self.setWatch(cb, p, o);
    g.require = (name: string) => {
      if (!(name in self.modules)) throw new Error('Module "' + name + '" not found');
      return self.modules[name];
    };
    g.print = (s: string) => self.printed.push(String(s));
    g.E = {
      // Scripted values first, then a fixed xorshift sequence (signed 32-bit, as the interpreter's).
      hwRand: () => {
        if (self.rand.length > 0) return self.rand.shift();
        let x = self.seed;
        x ^= x << 13;
        x ^= x >>> 17;
        x ^= x << 5;
        self.seed = x | 0;
        return self.seed;
      },
      reboot: () => self.reboots++,
      on() {},
      // a string's characters as octets (the low 8 bits, as the interpreter's strings hold them)
      toUint8Array: (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0) & 0xff),
    };
    g.Serial1 = this.serial.Serial1;
    g.Serial2 = this.serial.Serial2;
    g.Serial3 = this.serial.Serial3;
  }

  uninstall(): void {
    const g = globalThis as Record<string, unknown>;
    for (const n of Object.keys(this.saved)) {
      if (this.saved[n] === undefined) delete g[n];
      else g[n] = this.saved[n];
    }
    this.saved = {};
  }
}

/** Import a hal/espruino module by name. Not a static import: the drivers declare the interpreter's
 * globals (espruino.d.ts), which only tsconfig.device.json checks; here they are typed by the HAL interfaces. */
export async function espruinoModule(name: string): Promise<Record<string, any>> {
  const url = new URL('../../../hal/espruino/' + name + '.ts', import.meta.url).href;
  return import(url);
}
