// A real fax terminal sends to a confidential box: SpanDSP's terminal calls through SpanDSP's
// T.31 modem (faxpeer) with SUB 12 and a password; the firmware's fax line answers with the
// appliance's ReceptionSink behind it (mailbox routing, flash store). Nothing prints; the
// document waits in box 12; the pass code prints it and the printed rows equal what was sent.
// A second call gives the wrong password and is refused. Both run at once in real time.
import { PRINT_JOBS } from '../../../firmware/print/job-maker.ts';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { startPeer } from '../peer/harness.ts';
import { textPage, writePbm, pbmToTiff, tempDir, diffBitmaps, type Bitmap } from '../peer/pages.ts';
import { Kernel } from '../../../firmware/kernel/index.ts';
import { VirtualClock } from '../../../firmware/kernel/virtual-clock.ts';
import { RealClock } from '../../../hal/node/clock.ts';
import { TcpUart } from '../../../hal/node/tcp-uart.ts';
import type { JournalRecord } from '../../../firmware/fax/t30/index.ts';
import { Store, journalEntries } from '../../../firmware/store/index.ts';
import { Mailbox, ReceptionSink, prepareBoxes } from '../../../firmware/mailbox/index.ts';
import { Spooler } from '../../../firmware/print/index.ts';
import { validateSettings } from '../../../firmware/app/settings.ts';
import { SimFlash } from '../../../sim/board/flash.ts';
import { SimPrinter } from '../../../sim/board/printer.ts';
import { SeededEntropy } from '../../../sim/board/entropy.ts';
import { faxTerminal } from '../../rig/fax-station.ts';

/** The TCP modem link (hal/node/tcp-uart.ts; its constructor form and the older static connect). */
async function openModem(port: number): Promise<TcpUart> {
  const T = TcpUart as unknown as { connect?: (p: number) => Promise<TcpUart> };
  if (typeof T.connect === 'function') return T.connect(port);
  const u = new (TcpUart as unknown as new (o: { host: string; port: number }) => TcpUart & { ready: Promise<void> })({ host: '127.0.0.1', port });
  await u.ready;
  return u;
}

function settings() {
  const s = validateSettings({ boxes: [{ number: '12', owner: 'ann@example.com', code: '4711', pwd: '555' }] }).settings!;
  prepareBoxes(s, new SeededEntropy('interop'));
  return s;
}

interface Run {
  store: Store;
  mb: Mailbox;
  journal: JournalRecord;
  pages: Bitmap[];
  peer: Awaited<ReturnType<typeof startPeer>>;
  trace: string[];
}

async function call(name: string, pwd: string): Promise<Run> {
  const dir = tempDir('fv-box-');
  const pages = [0, 1].map((i) => textPage([`SpanDSP to box 12: ${name}`, `page ${i + 1} of 2`, 'CONFIDENTIAL 0123456789'], { height: 300 + 40 * i }));
  const paths = pages.map((p, i) => {
    const f = join(dir, `p${i}.pbm`);
    writePbm(f, p);
    return f;
  });
  pbmToTiff(paths, join(dir, 'doc.tif'), { coding: 'g3:2d' });
  const peer = await startPeer({ role: 'send', file: join(dir, 'doc.tif'), tcp: 0, ident: '+49 30 5550100', ecm: false, codings: ['mh', 'mr'], maxRate: 14400, sub: '12', pwd });
  const uart = await openModem(peer.tcpPort!);
  const s = settings();
  const clock = new RealClock();
  const trace: string[] = [];
  const store = new Store(new SimFlash({ sectorSize: 4096, sectorCount: 64 }));
  store.mount();
  const mb = new Mailbox(store, clock, () => s);
  const sink = new ReceptionSink(store, mb, clock);
  return new Promise<Run>((resolve, reject) => {
    const timer = setTimeout(() => {
      uart.close();
      reject(new Error('call did not end:\n' + trace.join('\n')));
    }, 120000);
    faxTerminal(uart, clock, {
      ecmBlockFrames: 256,
      sink,
      onTrace: (l) => trace.push(l),
      onCallEnd(r) {
        sink.callEnded(r);
        clearTimeout(timer);
        setTimeout(() => {
          uart.close();
          resolve({ store, mb, journal: r, pages, peer, trace });
        }, 300);
      },
    });
  });
}

const right = call('right password', '555');
const wrong = call('wrong password', '000');

test('SpanDSP sends to box 12 with SUB and PWD: kept, not printed; the pass code prints it pixel-identical', async () => {
  const r = await right;
  try {
    const res = await r.peer.result;
    assert.is(r.journal.result, 'ok', r.journal.reason);
    assert.is(res.status, 0, res.text);
    const docs = r.store.documents();
    assert.is(docs.length, 1);
    assert.equal([docs[0].meta.box, docs[0].meta.sub, docs[0].meta.remote, docs[0].pages], ['12', '12', '+49 30 5550100', 2]);
    assert.is(r.mb.waiting('12').length, 1);
    // At the panel: the right code, then the box prints.
    assert.is(r.mb.tryCode('12', '4711', 'panel').result, 'ok');
    const vc = new VirtualClock(0);
    const k = new Kernel(vc);
    const printer = new SimPrinter(null);
    const sp = new Spooler(10, printer, r.store, PRINT_JOBS);
    k.add(sp);
    k.start();
    sp.printDocument(docs[0].id, false, null);
    vc.runFor(5000);
    assert.is(printer.pages.length, 2);
    printer.pages.forEach((p, i) => {
      const stride = (p.width + 7) >> 3;
      const rows = new Uint8Array(p.rows.length * stride);
      p.rows.forEach((row, y) => rows.set(row, y * stride));
      assert.is(diffBitmaps(r.pages[i], { width: p.width, height: p.rows.length, rows }), null, 'page ' + (i + 1));
    });
    assert.is(r.mb.waiting('12').length, 0);
  } finally {
    await r.peer.kill();
  }
});

test('the wrong password is refused: nothing stored, the refusal journaled', async () => {
  const r = await wrong;
  try {
    await r.peer.result;
    assert.not.equal(r.journal.result, 'ok');
    assert.is(r.store.documents().length, 0);
    const j = journalEntries(r.store);
    assert.ok(j.some((e) => e.kind === 'refused' && e.reason === 'wrong password'), JSON.stringify(j));
  } finally {
    await r.peer.kill();
  }
});

test.run();
