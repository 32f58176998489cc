// The scanner path end to end, firmware to firmware on the simulated line: sheets in appliance
// A's feeder are scanned line by line into its store (ScanAgent), the stored document goes to
// A's T.30 sender through storedSendPages (rows, re-coded as negotiated), appliance B receives it
// into its store (ReceptionSink) and its spooler prints it (RowDocJob): B's printed pages must be
// the scanned sheets pixel for pixel, whatever coding the two ends agreed on.
import { PRINT_JOBS } from '../../../firmware/print/job-maker.ts';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Kernel } from '../../../firmware/kernel/index.ts';
import { Class1 } from '../../../firmware/fax/class1/driver.ts';
import { T30Session, defaultCaps, defaultPolicy } from '../../../firmware/fax/t30/index.ts';
import { linkedSender } from '../../../firmware/fax/t30/linked-sender.ts';
import type { Caps, JournalRecord, DocumentSink } from '../../../firmware/fax/t30/index.ts';
import { Store } from '../../../firmware/store/index.ts';
import { Mailbox, ReceptionSink } from '../../../firmware/mailbox/index.ts';
import { validateSettings } from '../../../firmware/app/settings.ts';
import { ScanAgent } from '../../../firmware/scan/index.ts';
import { Spooler } from '../../../firmware/print/spooler.ts';
import { RowDocJob, LINES_PER_STEP } from '../../../firmware/print/row-doc-job.ts';
import { storedSendPages } from '../../../firmware/print/stored-send-pages.ts';
import { SimScanner } from '../../../sim/board/scanner.ts';
import type { SheetImage } from '../../../sim/board/scanner.ts';
import { SimPrinter } from '../../../sim/board/printer.ts';
import { SimFlash } from '../../../sim/board/flash.ts';
import { SimRig } from '../fax/t30/sim-rig.ts';

// The appliance's priorities (firmware/app/appliance.ts PRIO): the line first, printing last.
const PRIO = { modem: 60, t30: 50, printer: 10, scan: 5 };

function sheet(seed: number, height: number, linesPerMm: number): SheetImage {
  const rows: Uint8Array[] = [];
  for (let y = 0; y < height; y++) {
    const r = new Uint8Array(216);
    if (y % 40 < 16) {
      for (let c = 0; c < 140; c++) {
        const h = (c * 7919 + (y >> 6) * 104729 + seed * 31) % 97;
        if (h < 55) r[4 + c] = ((0xf0 >> (h % 4)) ^ (y % 40 === 8 ? 0xff : 0)) & 0xff;
      }
    }
    if (y === 0 || y === height - 1) r.fill(0xff);
    rows.push(r);
  }
  return { width: 1728, linesPerMm, rows };
}

function sender(rig: SimRig, caps: Partial<Caps>) {
  const m = rig.line.attachModem('100', {});
  const clock = rig.clock;
  const kernel = new Kernel(clock, { faultPolicy: 'halt' });
  const store = new Store(new SimFlash({ sectorSize: 4096, sectorCount: 128 }));
  store.mount();
  const scanner = new SimScanner();
  const journal: JournalRecord[] = [];
  const full = { full: true, reason: 'memory full' };
  const nothing: DocumentSink = { pageStart: () => full, pageData: () => full, pageEnd: () => null };
  const c1 = new Class1(m.uart, PRIO.modem);
  const fax = new T30Session(c1, PRIO.t30, {
    sender: linkedSender,
    ident: '+1 555 0100',
    caps: { ...defaultCaps(), ...caps, canSend: true },
    policy: defaultPolicy(),
    autoAnswerRings: 0,
    ecmBlockFrames: 64,
    sink: nothing,
    onCallEnd: (r) => journal.push(r),
  });
  const scan = new ScanAgent(PRIO.scan, scanner, store, clock);
  kernel.add(c1);
  kernel.add(fax);
  kernel.add(scan);
  kernel.start();
  return { kernel, store, scanner, fax, scan, journal };
}

function receiver(rig: SimRig, caps: Partial<Caps>) {
  const settings = validateSettings({}).settings!;
  const m = rig.line.attachModem('200', {});
  const clock = rig.clock;
  const kernel = new Kernel(clock, { faultPolicy: 'halt' });
  const store = new Store(new SimFlash({ sectorSize: 4096, sectorCount: 128 }));
  store.mount();
  const mb = new Mailbox(store, clock, () => settings);
  const sink = new ReceptionSink(store, mb, clock);
  const printer = new SimPrinter(null);
  const sp = new Spooler(PRIO.printer, printer, store, PRINT_JOBS);
  // Ordinary receptions print as they arrive.
  sink.onStored = (id, route) => {
    if (route.action === 'ordinary') sp.add(new RowDocJob(store, id, { deleteAfter: true, onDone: null }));
  };
  const c1 = new Class1(m.uart, PRIO.modem);
  const fax = new T30Session(c1, PRIO.t30, {
    sender: linkedSender,
    ident: '+49 30 200',
    caps: { ...defaultCaps(), ...caps },
    policy: defaultPolicy(),
    autoAnswerRings: 1,
    ecmBlockFrames: 64,
    sink,
    onCallEnd: (r) => sink.callEnded(r),
  });
  kernel.add(c1);
  kernel.add(fax);
  kernel.add(sp);
  kernel.start();
  // Printed lines per dispatch of the receiver's kernel.
  const perDispatch = new Map<number, number>();
  const line = printer.line.bind(printer);
  printer.line = (row) => {
    perDispatch.set(kernel.dispatches, (perDispatch.get(kernel.dispatches) ?? 0) + 1);
    return line(row);
  };
  return { kernel, store, printer, sp, perDispatch };
}

const cases: { name: string; tx: Partial<Caps>; rx: Partial<Caps>; coding: string; fine: boolean }[] = [
  { name: 'MMR with ECM, fine', tx: {}, rx: {}, coding: 'mmr', fine: true },
  { name: 'MR without ECM', tx: { ecm: false }, rx: { ecm: false, mmr: false }, coding: 'mr', fine: true },
  { name: 'MH, standard-only receiver (fine sheets halved)', tx: { ecm: false }, rx: { ecm: false, mmr: false, mr: false, fine: false }, coding: 'mh', fine: false },
];

for (const c of cases) {
  test(`scan → store → send → receive → print: ${c.name}`, () => {
    const rig = new SimRig();
    const a = sender(rig, c.tx);
    const b = receiver(rig, c.rx);
    const sheets = [sheet(1, 420, 7.7), sheet(2, 260, 7.7)];
    a.scanner.load(sheets);
    let docId = -1;
    assert.ok(a.scan.scan('tx', '200', (ok, id, why) => {
      assert.ok(ok, why);
      docId = id;
      const pages = storedSendPages(a.store, id);
      assert.is(pages.length, 2);
      assert.ok(a.fax.send({ number: '200', pages }));
    }));
    rig.runUntil(() => a.journal.length > 0 && b.printer.pages.length === 2 && b.sp.status() === 'IDLE', 900000);
    assert.is(a.journal.length, 1, 'the call ended');
    assert.is(a.journal[0].result, 'ok', a.journal[0].reason);
    assert.is(String(a.journal[0].coding).toLowerCase(), c.coding);
    assert.ok(docId >= 0);
    assert.is(b.printer.pages.length, 2);
    for (let p = 0; p < 2; p++) {
      const want = c.fine ? sheets[p].rows : sheets[p].rows.filter((_r, i) => i % 2 === 0);
      const got = b.printer.pages[p].rows;
      assert.is(got.length, want.length, 'page ' + (p + 1) + ' rows');
      for (let i = 0; i < want.length; i++) {
        if (Buffer.compare(got[i], want[i]) !== 0) assert.unreachable('page ' + (p + 1) + ' row ' + i + ' differs');
      }
      assert.is(b.printer.pages[p].linesPerMm, c.fine ? 7.7 : 3.85);
    }
    assert.is(b.store.documents().length, 0, 'printed receptions leave the store');
    assert.ok(Math.max(...b.perDispatch.values()) <= LINES_PER_STEP, 'receiver printed at most ' + LINES_PER_STEP + ' lines per dispatch');
  });
}

test.run();
