import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { SimFlash } from '../../../sim/board/flash.ts';
import { SimPrinter } from '../../../sim/board/printer.ts';
import { parseKeyScript } from '../../../sim/board/keypad.ts';
import { LoopbackLan } from '../../../sim/board/net.ts';
import { SeededEntropy } from '../../../sim/board/entropy.ts';
import { VirtualClock } from '../../../firmware/kernel/virtual-clock.ts';

test('flash has NOR semantics: programming only clears bits, erase sets 0xFF', () => {
  const f = new SimFlash({ sectorSize: 256, sectorCount: 4 });
  f.program(10, Uint8Array.of(0xf0, 0x0f));
  f.program(10, Uint8Array.of(0x3c, 0xff));
  assert.equal([...f.read(10, 2)], [0x30, 0x0f]);
  f.erase(0);
  assert.equal([...f.read(10, 2)], [0xff, 0xff]);
  assert.throws(() => f.program(250, new Uint8Array(10)), /crosses a sector boundary/);
  assert.throws(() => f.read(1020, 10), /outside/);
});

test('a flash file persists across instances (a restart with the same --data)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fv-flash-'));
  const file = join(dir, 'flash.bin');
  const a = new SimFlash({ sectorSize: 256, sectorCount: 4, file });
  a.program(300, Uint8Array.of(1, 2, 3));
  a.close();
  const b = new SimFlash({ sectorSize: 256, sectorCount: 4, file });
  assert.equal([...b.read(300, 3)], [1, 2, 3]);
  b.close();
  assert.throws(() => new SimFlash({ sectorSize: 256, sectorCount: 8, file }), /expected 2048/);
});

test('a power cut applies part of the write in progress, then the board is dead until power-on', () => {
  const f = new SimFlash({ sectorSize: 256, sectorCount: 2 });
  f.cutPowerAtWrite(1, () => 0.5);
  f.program(0, Uint8Array.of(0, 0, 0, 0)); // write 0: whole
  assert.throws(() => f.program(4, Uint8Array.of(0, 0, 0, 0)), /power cut/); // write 1: half
  assert.equal([...f.mem.subarray(0, 8)], [0, 0, 0, 0, 0, 0, 0xff, 0xff]);
  assert.ok(f.isDead());
  assert.throws(() => f.read(0, 1), /power cut/);
  assert.throws(() => f.erase(0), /power cut/);
  f.powerOn();
  assert.equal([...f.read(4, 4)], [0, 0, 0xff, 0xff]);
});

test('an interrupted erase leaves the sector partly erased', () => {
  const f = new SimFlash({ sectorSize: 256, sectorCount: 2 });
  f.program(0, new Uint8Array(256));
  f.cutPowerAtWrite(0, () => 0.25);
  assert.throws(() => f.erase(0), /power cut/);
  f.powerOn();
  const s = f.read(0, 256);
  assert.is(s[0], 0xff);
  assert.is(s[63], 0xff);
  assert.is(s[64], 0);
});

test('the printer writes each page as a PNG with the printed pixels', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fv-print-'));
  const p = new SimPrinter(join(dir, 'printer'));
  assert.ok(p.beginPage({ width: 16, linesPerMm: 3.85 }));
  p.line(Uint8Array.of(0x80, 0x01));
  p.line(Uint8Array.of(0xff, 0x00));
  assert.ok(p.endPage());
  const file = join(dir, 'printer', 'page-0001.png');
  assert.ok(existsSync(file));
  const png = readFileSync(file);
  assert.equal([...png.subarray(1, 4)].map((c) => String.fromCharCode(c)).join(''), 'PNG');
  assert.is(png.readUInt32BE(16), 16); // width
  assert.is(png.readUInt32BE(20), 4); // height: a standard-resolution page's rows doubled for viewing
  // IDAT: filter byte + 2 bytes per row, white = 1 in PNG; each row twice.
  const idatAt = png.indexOf('IDAT');
  const len = png.readUInt32BE(idatAt - 4);
  const raw = inflateSync(png.subarray(idatAt + 4, idatAt + 4 + len));
  assert.equal([...raw], [0, 0x7f, 0xfe, 0, 0x7f, 0xfe, 0, 0x00, 0xff, 0, 0x00, 0xff]);
  const phys = png.indexOf('pHYs');
  assert.is(Math.round(png.readUInt32BE(phys + 8) * 0.0254), 196, 'pHYs: the doubled rows are 196 lines per inch');
});

test('a later run with the same folder numbers its pages after the earlier ones', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fv-print2-'));
  for (let run = 0; run < 2; run++) {
    const p = new SimPrinter(dir);
    p.beginPage({ width: 8, linesPerMm: 7.7 });
    p.line(Uint8Array.of(run));
    p.endPage();
  }
  assert.ok(existsSync(join(dir, 'page-0001.png')));
  assert.ok(existsSync(join(dir, 'page-0002.png')));
});

test('paper running out mid-page loses that page and reports it', () => {
  const p = new SimPrinter(null);
  const events: boolean[] = [];
  p.onPaper = (x) => events.push(x);
  p.outAfterLines = 1;
  p.beginPage({ width: 8, linesPerMm: 7.7 });
  assert.ok(p.line(Uint8Array.of(1)));
  assert.not.ok(p.line(Uint8Array.of(2)));
  assert.not.ok(p.endPage());
  assert.is(p.pages.length, 0);
  assert.not.ok(p.beginPage({ width: 8, linesPerMm: 7.7 }));
  assert.equal(events, [false]);
  p.setPaper(true);
  assert.ok(p.beginPage({ width: 8, linesPerMm: 7.7 }));
});

test('key scripts parse names, digit runs, waits, paper; bad tokens are named', () => {
  assert.equal(parseKeyScript('MENU 12 wait:2s wait:500ms wait:1m paper:out ok show'), [
    { kind: 'key', key: 'MENU' }, { kind: 'key', key: '1' }, { kind: 'key', key: '2' },
    { kind: 'wait', ms: 2000 }, { kind: 'wait', ms: 500 }, { kind: 'wait', ms: 60000 },
    { kind: 'paper', present: false }, { kind: 'key', key: 'OK' }, { kind: 'show' },
  ]);
  assert.throws(() => parseKeyScript('MENU ENTER'), /unknown key 'ENTER'/);
});

test('the loopback LAN carries bytes both ways in virtual time and refuses closed ports', () => {
  const clock = new VirtualClock(0);
  const lan = new LoopbackLan(clock);
  const server = lan.host('10.0.0.1');
  const client = lan.host('10.0.0.2');
  const got: string[] = [];
  server.listen(7000, (s) => {
    s.onReadable = () => {
      const msg = new TextDecoder().decode(s.read(100));
      got.push('server:' + msg);
      s.write(new TextEncoder().encode(msg.toUpperCase()));
    };
  });
  const c = client.connect('10.0.0.1', 7000);
  c.onConnect = () => c.write(new TextEncoder().encode('hello'));
  c.onReadable = () => got.push('client:' + new TextDecoder().decode(c.read(100)));
  let refused = '';
  const d = client.connect('10.0.0.1', 7001);
  d.onClose = (err) => (refused = err ?? '');
  clock.runUntilIdle();
  assert.equal(got, ['server:hello', 'client:HELLO']);
  assert.match(refused, /refused/);
});

test('seeded entropy repeats for a seed and differs between seeds', () => {
  const a = new Uint8Array(40), b = new Uint8Array(40), c = new Uint8Array(40);
  new SeededEntropy('x').fill(a);
  new SeededEntropy('x').fill(b);
  new SeededEntropy('y').fill(c);
  assert.equal(a, b);
  assert.not.equal(a, c);
});

test.run();
