// ECM retransmission with SpanDSP (T.30 Annex A): one octet of the first ECM block is corrupted
// between the firmware and SpanDSP's T.31 modem, so a frame fails its FCS and the receiver asks
// for it again with PPR. Receiving: the firmware sends PPR and SpanDSP's terminal resends the
// frame; sending: SpanDSP's terminal sends PPR and the firmware resends. Both calls run side by
// side in real time (~25 s); the pages must still arrive pixel for pixel.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { startPeer } from '../peer/harness.ts';
import { textPage, writePbm, pbmToTiff, tempDir, diffBitmaps, decodeTiff, type Bitmap } from '../peer/pages.ts';
import { runFirmware, decodePage, pageFromBitmap, type FirmwareRun } from './rig.ts';
import type { Uart } from '../../../hal/uart.ts';

/**
 * Flips one bit of one data octet in the `nth` high-speed data phase (+FRM when `dir` is 'in',
 * +FTM when 'out'), `after` octets into it. DLE and what would become a DLE are left alone so
 * the DLE shielding stays intact: only the HDLC frame's FCS can notice.
 */
function corruptOnce(dir: 'in' | 'out', nth: number, after: number, times = 1): { wrap: (u: Uart) => Uart; done: () => boolean } {
  let phases = 0;
  let inData = false;
  let count = 0;
  let flipped = false;
  let flips = 0;
  let cmd = '';
  const watch = (bytes: Uint8Array) => {
    for (const b of bytes) {
      if (b === 0x0d) {
        const want = dir === 'in' ? 'AT+FRM=' : 'AT+FTM=';
        if (cmd.startsWith(want)) {
          phases++;
          inData = phases >= nth && phases < nth + times;
          flipped = false;
          count = 0;
        }
        cmd = '';
      } else if (b >= 0x20 && b < 0x7f) cmd += String.fromCharCode(b);
      else cmd = '';
    }
  };
  const flip = (bytes: Uint8Array): Uint8Array => {
    if (flipped || !inData) return bytes;
    const out = bytes.slice();
    for (let i = 0; i < out.length; i++) {
      count++;
      if (count > after && out[i] !== 0x10 && (out[i] ^ 0x04) !== 0x10 && out[i] !== 0x03 && out[i] !== 0x0d) {
        out[i] ^= 0x04;
        flipped = true;
        flips++;
        break;
      }
    }
    return out;
  };
  return {
    done: () => flips >= times,
    wrap: (u) => {
      const w: Uart = {
        onReadable: null,
        onWritable: null,
        write(bytes) {
          if (dir === 'out' && inData && !flipped) {
            const n = u.write(flip(bytes));
            return n;
          }
          const n = u.write(bytes);
          watch(bytes.subarray(0, n));
          return n;
        },
        read(max) {
          const b = u.read(max);
          return dir === 'in' ? flip(b) : b;
        },
        readable: () => u.readable(),
        setDtr: (on) => u.setDtr(on),
        setXonXoff: (on) => u.setXonXoff(on),
      };
      u.onReadable = () => w.onReadable && w.onReadable();
      u.onWritable = () => w.onWritable && w.onWritable();
      return w;
    },
  };
}

function pagesFor(name: string): Bitmap[] {
  return [0, 1].map((i) => textPage([`ECM retransmission: ${name}`, `page ${i + 1} of 2`, 'How vexingly quick daft zebras jump'], { height: 400 }));
}

// SpanDSP sends, the firmware receives: corrupt an octet of the first block as it comes in
const rxPages = pagesFor('SpanDSP to faxvault');
const rxBad = corruptOnce('in', 2, 400); // +FRM #1 is the TCF
const rxDir = tempDir('fv-ecm-');
rxPages.forEach((p, i) => writePbm(join(rxDir, `p${i}.pbm`), p));
pbmToTiff([0, 1].map((i) => join(rxDir, `p${i}.pbm`)), join(rxDir, 'doc.tif'), { coding: 'g4' });
let rxPeer: Awaited<ReturnType<typeof startPeer>> | null = null;
const rxCall: Promise<FirmwareRun> = startPeer({ role: 'send', file: join(rxDir, 'doc.tif'), tcp: 0, ecm: true, codings: ['mh', 'mr', 'mmr'], maxRate: 14400 }).then((p) => {
  rxPeer = p;
  return runFirmware({ port: p.tcpPort!, wrap: rxBad.wrap, timeoutMs: 120000 });
});

// the firmware sends, SpanDSP receives: corrupt an octet of the first block as it goes out
const txPages = pagesFor('faxvault to SpanDSP');
const txBad = corruptOnce('out', 2, 400); // +FTM #1 is the TCF
const txFile = join(tempDir('fv-ecm-'), 'received.tif');
let txPeer: Awaited<ReturnType<typeof startPeer>> | null = null;
const txCall: Promise<FirmwareRun> = startPeer({ role: 'receive', file: txFile, tcp: 0, ecm: true, codings: ['mh', 'mr', 'mmr'], maxRate: 14400 }).then((p) => {
  txPeer = p;
  return runFirmware({ port: p.tcpPort!, wrap: txBad.wrap, timeoutMs: 120000, send: { number: '5550199', pages: txPages.map((b) => pageFromBitmap(b, true)) } });
});

// the firmware sends and every transmission of the first block is damaged four times: after the
// fourth PPR it sends CTC one rate lower, SpanDSP answers CTR, the block goes through at 12000
const ctcPages = pagesFor('faxvault to SpanDSP, CTC').slice(0, 1);
const ctcBad = corruptOnce('out', 2, 400, 4);
const ctcFile = join(tempDir('fv-ecm-'), 'received.tif');
let ctcPeer: Awaited<ReturnType<typeof startPeer>> | null = null;
const ctcCall: Promise<FirmwareRun> = startPeer({ role: 'receive', file: ctcFile, tcp: 0, ecm: true, codings: ['mh', 'mr', 'mmr'], maxRate: 14400 }).then((p) => {
  ctcPeer = p;
  return runFirmware({ port: p.tcpPort!, wrap: ctcBad.wrap, timeoutMs: 150000, send: { number: '5550199', pages: ctcPages.map((b) => pageFromBitmap(b, true)) } });
});

// SpanDSP sends and the firmware receives the first block damaged four times in a row: SpanDSP
// sends CTC, the firmware answers CTR and receives the block at the lower rate (long training)
const rxCtcPages = pagesFor('SpanDSP to faxvault, CTC').slice(0, 1);
const rxCtcBad = corruptOnce('in', 2, 400, 4);
const rxCtcDir = tempDir('fv-ecm-');
writePbm(join(rxCtcDir, 'p0.pbm'), rxCtcPages[0]);
pbmToTiff([join(rxCtcDir, 'p0.pbm')], join(rxCtcDir, 'doc.tif'), { coding: 'g4' });
let rxCtcPeer: Awaited<ReturnType<typeof startPeer>> | null = null;
const rxCtcCall: Promise<FirmwareRun> = startPeer({ role: 'send', file: join(rxCtcDir, 'doc.tif'), tcp: 0, ecm: true, codings: ['mh', 'mr', 'mmr'], maxRate: 14400 }).then((p) => {
  rxCtcPeer = p;
  return runFirmware({ port: p.tcpPort!, wrap: rxCtcBad.wrap, timeoutMs: 150000 });
});

function t30(run: FirmwareRun): string {
  return run.trace.filter((l) => / t30: /.test(l)).join('\n');
}

test('receiving: a corrupted frame is asked for again with PPR, SpanDSP resends it, pages exact', async () => {
  try {
    const run = await rxCall;
    const r = await rxPeer!.result;
    const why = `\n--- firmware\n${t30(run)}\n--- faxpeer\n${rxPeer!.trace().split('\n').filter((l) => /PEER|Rx: +[A-Z]|Tx: +[A-Z]/.test(l)).join('\n')}`;
    assert.ok(rxBad.done(), 'an octet was corrupted');
    assert.is(run.journal.result, 'ok', run.journal.reason + why);
    assert.is(r.status, 0, r.text + why);
    assert.match(t30(run), /-> PPR [1-9]\d* missing/, why);
    if (process.env.FAX_DEBUG) console.log(t30(run) + '\n' + rxPeer!.trace().split('\n').filter((l) => /PPS|PPR|ff 13 b|ff 13 c/.test(l)).join('\n'));
    const kept = run.pages.filter((p) => p.confirmed);
    assert.is(kept.length, 2);
    kept.forEach((p, i) => assert.is(diffBitmaps(rxPages[i], decodePage(p)), null, `page ${i + 1}`));
  } finally {
    if (rxPeer) await (rxPeer as any).kill();
  }
});

test('sending: SpanDSP answers a corrupted frame with PPR, the firmware resends it, pages exact', async () => {
  try {
    const run = await txCall;
    const r = await txPeer!.result;
    const why = `\n--- firmware\n${t30(run)}\n--- faxpeer\n${txPeer!.trace().split('\n').filter((l) => /PEER|Rx: +[A-Z]|Tx: +[A-Z]/.test(l)).join('\n')}`;
    assert.ok(txBad.done(), 'an octet was corrupted');
    assert.is(run.journal.result, 'ok', run.journal.reason + why);
    assert.is(r.status, 0, r.text + why);
    assert.match(t30(run), /<- PPR [1-9]\d* missing[\s\S]*\(resend\)/, why);
    const got = decodeTiff(txFile);
    assert.is(got.length, 2);
    got.forEach((g, i) => assert.is(diffBitmaps(txPages[i], g), null, `page ${i + 1}`));
  } finally {
    if (txPeer) await (txPeer as any).kill();
  }
});

test('sending: four PPRs for one block, CTC one rate lower, SpanDSP answers CTR, the page exact', async () => {
  try {
    const run = await ctcCall;
    const r = await ctcPeer!.result;
    const why = `\n--- firmware\n${t30(run)}\n--- faxpeer\n${ctcPeer!.trace().split('\n').filter((l) => /PEER|Rx: +[A-Z]|Tx: +[A-Z]|CTC|CTR/.test(l)).join('\n')}`;
    assert.ok(ctcBad.done(), 'four transmissions were corrupted');
    assert.is(run.journal.result, 'ok', run.journal.reason + why);
    assert.is(r.status, 0, r.text + why);
    assert.match(t30(run), /(<- PPR[\s\S]*){4}-> CTC[\s\S]*<- CTR/, why);
    assert.is(run.journal.rate, 12000, why);
    const got = decodeTiff(ctcFile);
    assert.is(got.length, 1);
    assert.is(diffBitmaps(ctcPages[0], got[0]), null);
  } finally {
    if (ctcPeer) await (ctcPeer as any).kill();
  }
});

test('receiving: four PPRs for one block, SpanDSP sends CTC, the firmware answers CTR and gets the page exact', async () => {
  try {
    const run = await rxCtcCall;
    const r = await rxCtcPeer!.result;
    const why = `\n--- firmware\n${t30(run)}\n--- faxpeer\n${rxCtcPeer!.trace().split('\n').filter((l) => /PEER|Rx: +[A-Z]|Tx: +[A-Z]|CTC|CTR/.test(l)).join('\n')}`;
    assert.ok(rxCtcBad.done(), 'four transmissions were corrupted');
    assert.is(run.journal.result, 'ok', run.journal.reason + why);
    assert.is(r.status, 0, r.text + why);
    assert.match(t30(run), /(-> PPR[\s\S]*){4}<- CTC[\s\S]*-> CTR/, why);
    const kept = run.pages.filter((p) => p.confirmed);
    assert.is(kept.length, 1, why);
    assert.is(diffBitmaps(rxCtcPages[0], decodePage(kept[0])), null);
  } finally {
    if (rxCtcPeer) await (rxCtcPeer as any).kill();
  }
});

test.run();
