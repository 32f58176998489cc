// The firmware against efax (a Class 1 DTE nobody here wrote), through modempair's two SpanDSP
// T.31 modems wired back to back: the firmware's driver opens its modem's pty with SerialUart,
// efax the other. Both directions run side by side in real time (~30 s).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { EFAX_HEADER_ROWS, runEfaxReceive, runEfaxSend, startBackToBack } from '../peer/harness.ts';
import { decodeTiff, diffBitmaps, pbmToRawG3, tempDir, textPage, writePbm } from '../peer/pages.ts';
import { RealClock } from '../../../hal/node/clock.ts';
import { SerialUart } from '../../../hal/node/serial-uart.ts';
import type { JournalRecord, SendJob } from '../../../firmware/fax/t30/index.ts';
import { pageFromBitmap, decodePage, type ReceivedPage } from './rig.ts';
import { faxTerminal } from '../../rig/fax-station.ts';

interface FwRun {
  journal: JournalRecord;
  pages: ReceivedPage[];
  trace: string[];
}

/** The firmware's fax line on a pty (SerialUart). */
async function firmwareOnPty(path: string, send: SendJob | null): Promise<FwRun> {
  const uart = new SerialUart({ path });
  await uart.ready;
  const trace: string[] = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('firmware call did not end:\n' + trace.join('\n'))), 120000);
    const { fax, stored } = faxTerminal(uart, new RealClock(), {
      onTrace: (l) => trace.push(l),
      onCallEnd(r) {
        clearTimeout(timer);
        setTimeout(() => {
          (uart as any).close?.();
          resolve({ journal: r, pages: stored, trace });
        }, 300);
      },
    });
    if (send) fax.send(send);
  });
}

function t30(run: FwRun): string {
  return run.trace.filter((l) => / t30: /.test(l)).join('\n');
}

const dirTx = tempDir('fv-efax-');
const toEfax = [
  textPage(['faxvault to efax', 'page 1 of 2', 'Sphinx of black quartz, judge my vow'], { height: 420 }),
  textPage(['faxvault to efax', 'page 2 of 2'], { height: 300 }),
];
// firmware on A dials, efax on B answers (off hook first, as efax -r does)
const callToEfax = startBackToBack().then(async (pair) => {
  try {
    const rx = runEfaxReceive({ device: pair.ptyB, prefix: join(dirTx, 'rx'), ident: '+1 555 0002', timeoutS: 120 });
    await new Promise((r) => setTimeout(r, 1000));
    const fw = await firmwareOnPty(pair.ptyA, { number: '5550002', pages: toEfax.map((p) => pageFromBitmap(p, true)) });
    const efax = await rx;
    return { fw, efax, trace: pair.trace() };
  } finally {
    await pair.kill();
  }
});

const dirRx = tempDir('fv-efax-');
const fromEfax = [textPage(['efax to faxvault', 'The five boxing wizards jump quickly'], { height: 460 })];
writePbm(join(dirRx, 'p1.pbm'), fromEfax[0]);
pbmToRawG3(join(dirRx, 'p1.pbm'), join(dirRx, 'p1.g3'));
// firmware on B waits for RING and answers, efax on A dials
const callFromEfax = startBackToBack().then(async (pair) => {
  try {
    const fw = firmwareOnPty(pair.ptyB, null);
    await new Promise((r) => setTimeout(r, 1000));
    const efax = await runEfaxSend({ device: pair.ptyA, files: [join(dirRx, 'p1.g3')], ident: '+1 555 0001', number: '5550100', timeoutS: 120 });
    return { fw: await fw, efax, trace: pair.trace() };
  } finally {
    await pair.kill();
  }
});

test('the firmware sends two pages to efax: efax stores them pixel for pixel', async () => {
  const { fw, efax, trace } = await callToEfax;
  const why = `\n--- firmware\n${t30(fw)}\n--- efax\n${efax.log}\n--- modempair\n${trace.slice(-3000)}`;
  assert.is(fw.journal.result, 'ok', fw.journal.reason + why);
  assert.is(efax.code, 0, 'efax succeeds' + why);
  assert.is(fw.journal.pages, 2);
  assert.match(efax.log, /\+1 555 0100/, 'efax read our TSI');
  assert.is(fw.journal.remoteIdent, '+1 555 0002');
  assert.is(efax.pages.length, 2, why);
  efax.pages.forEach((f, i) => assert.is(diffBitmaps(toEfax[i], decodeTiff(f)[0]), null, `page ${i + 1}` + why));
});

test('efax sends a page to the firmware: received pixel for pixel below efax\'s header band', async () => {
  const { fw, efax, trace } = await callFromEfax;
  const why = `\n--- firmware\n${t30(fw)}\n--- efax\n${efax.log}\n--- modempair\n${trace.slice(-3000)}`;
  assert.is(fw.journal.result, 'ok', fw.journal.reason + why);
  assert.is(efax.code, 0, 'efax succeeds' + why);
  assert.is(fw.journal.remoteIdent, '+1 555 0001');
  const kept = fw.pages.filter((p) => p.confirmed);
  assert.is(kept.length, 1);
  assert.is(diffBitmaps(fromEfax[0], decodePage(kept[0]), { skipTop: EFAX_HEADER_ROWS }), null, why);
});

test.run();
